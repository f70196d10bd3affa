/* boxlogin profile EMAIL: what SkyPostal has on file for the customer. */
#include "cmd.h"
#include "customer.h"
#include "output.h"
#include "../account.h"
#include "../account_json.h"
#include "../i18n.h"
#include "../text.h"
#include "../value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
decode_profile(const struct api_reply *r, const struct customer *a, uint64_t awb,
               void **out, struct bl_error *err)
{
    (void)awb;
    return account_profile_decode(r->status, r->body, r->len, a->email_key,
                                  (struct account_profile **)out, err);
}

static const char *
flag_word(enum bl_flag f, const char *yes, const char *no, const char *unknown)
{
    return f == FLAG_YES ? yes : f == FLAG_NO ? no : unknown;
}

static void
print_profile(const struct customer *a, const struct account_profile *p)
{
    size_t width = output_columns(), label_cols;
    char box[24], id[24], status[256];

    snprintf(box, sizeof box, "%llu", (unsigned long long)a->box_id);
    if (p->customer_id != 0)
        snprintf(id, sizeof id, "%llu", (unsigned long long)p->customer_id);
    else
        snprintf(id, sizeof id, "%s", text_dash());
    snprintf(status, sizeof status,
             text_locale_utf8() ? "%s · %s · %s · %s" : "%s - %s - %s - %s",
             session_badge_word(SESSION_ACTIVE, p->active),
             session_badge_word(SESSION_VIP, p->vip),
             session_badge_word(SESSION_BUSINESS, p->business),
             session_badge_word(SESSION_ENABLED, p->enabled));
    {
        char *name = text_one_line(p->name != NULL ? p->name : _("(no name on record)"),
                                   width < 80 ? width : 80);

        printf("%s\n", name != NULL ? name : "");
        free(name);
    }
    {
        const struct output_field lines[] = {
            {_("Customer ID"), id},
            {_("Box ID"), box},
            {_("Email"), p->email != NULL ? p->email : a->email_key},
            /* TRANSLATORS: the customer's date of birth. */
            {_("Born"), p->birth_date},
            {_("Gender"), p->gender},
            /* TRANSLATORS: the customer's identity document number. */
            {_("Identity no."), p->identity_number},
            /* TRANSLATORS: the customer's tax number. */
            {_("Tax no."), p->tax_number},
            {_("Campaign"), p->campaign},
            /* TRANSLATORS: whether the customer agreed to get emails (yes or no). */
            {_("Email offers"),
             flag_word(p->email_agreement, _("yes"), _("no"), text_dash())},
            /* TRANSLATORS: the account's badges (ACTIVE · VIP · ...). */
            {_("Status"), status},
        };
        const size_t n = sizeof lines / sizeof *lines;

        label_cols = output_label_columns(OUTPUT_LABEL_COLUMNS, lines, n);
        for (size_t i = 0; i < p->n_phones; i++) {
            const char *type = account_phone_type_label(p->phones[i].type);
            const struct output_field phone = {type != NULL ? type : text_dash(), NULL};

            label_cols = output_label_columns(label_cols, &phone, 1);
        }
        output_fields(lines, n, width, label_cols);
    }
    if (p->addresses_known) {
        printf("%s\n", _("Addresses"));
    } else {
        /* TRANSLATORS: %s is a dash: the addresses are unknown. */
        printf(_("Addresses: %s"), text_dash());
        putchar('\n');
    }
    for (size_t i = 0; i < p->n_addresses; i++) {
        const struct account_address *ad = &p->addresses[i];
        const char *more[] = {ad->zip, ad->phone};
        char line[2048];

        account_address_place(ad, line, sizeof line);
        account_join(line, sizeof line, more, 2);
        output_field(ad->country_code != NULL ? ad->country_code : text_dash(), line,
                     width, label_cols);
    }
    if (p->phones_known) {
        printf("%s\n", _("Phones"));
    } else {
        /* TRANSLATORS: %s is a dash: the phones are unknown. */
        printf(_("Phones: %s"), text_dash());
        putchar('\n');
    }
    for (size_t i = 0; i < p->n_phones; i++) {
        const char *type = account_phone_type_label(p->phones[i].type);

        output_field(type != NULL ? type : text_dash(), p->phones[i].number, width,
                     label_cols);
    }
}

static int
profile_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    struct customer a = {0};
    struct account_profile *p = NULL;
    int rc = -1;

    if (customer_open(ctx->cli, &ctx->run, "profile", &a, err) == 0 &&
        customer_call(ctx->cli, &ctx->run, &a, (struct api_request){.call = API_PROFILE},
                      decode_profile, (void **)&p, err) == 0) {
        if (ctx->cli->json) {
            rc = output_json_text(account_json_profile(config_env_name(ctx->run.cfg.env),
                                                       a.email_key, a.box_id, p),
                                  err);
        } else {
            print_profile(&a, p);
            rc = 0;
        }
    }
    if (a.email_key != NULL)
        cmd_remember(&ctx->run, HISTORY_PROFILE, a.email_key, a.box_id, err->kind);
    account_profile_free(p);
    customer_clear(&a);
    return rc;
}

const struct cmd_entry cmd_entry_profile = {
    .name = "profile",
    .options = CMD_OPT_PASSWORD_STDIN | CMD_OPT_JSON,
    .flags = CMD_API | CMD_CANCELLABLE,
    .operands = {1, 1, NULL},
    .exec = profile_exec,
};
