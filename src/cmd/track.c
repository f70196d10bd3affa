/* boxlogin track EMAIL AWB: one shipment of the customer and its tracking events. */
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
decode_shipment(const struct api_reply *r, const struct customer *a, uint64_t awb,
                void **out, struct bl_error *err)
{
    return account_shipment_decode(r->status, r->body, r->len, a->email_key, awb,
                                   (struct account_shipment **)out, err);
}

static void
print_track(const struct account_shipment *s, uint64_t awb)
{
    static const struct output_column cols[] = {
        /* TRANSLATORS: column titles of the tracking events of `boxlogin track`, in
           capitals: when the event happened. */
        {N_("TIME"), 0, 0, 0, 0},
        /* TRANSLATORS: where the event happened (an airport code). */
        {N_("LOCATION"), 0, 1, 2, 0},
        /* TRANSLATORS: the event's code (PAY, REC...). */
        {N_("CODE"), 0, 1, 3, 0},
        {N_("DESCRIPTION"), 0, 1, 0, 0},
        {N_("NOTE"), 0, 1, 1, 0},
    };
    const size_t ncols = sizeof cols / sizeof *cols;
    size_t width = output_columns();
    char *value = output_amount(s->value), *total = output_amount(s->total),
         *charged = output_amount(s->weight_charged);
    char weight[96];
    char **cells;

    /* TRANSLATORS: the heading of `boxlogin track`; %llu is the shipment's AWB. */
    printf(_("Shipment %llu"), (unsigned long long)awb);
    putchar('\n');
    snprintf(weight, sizeof weight, "%s %s", charged != NULL ? charged : text_dash(),
             s->weight_unit != NULL ? s->weight_unit : "");
    {
        const struct output_field lines[] = {
            /* TRANSLATORS: the shipment's status. */
            {_("Status"), s->status},
            /* TRANSLATORS: what the shipment holds. */
            {_("Content"), s->content},
            {_("Merchant"), s->merchant},
            /* TRANSLATORS: the declared value of the goods. */
            {_("Value"), value},
            /* TRANSLATORS: the total shipping charge. */
            {_("Total"), total},
            {_("Charged weight"), weight},
            /* TRANSLATORS: the shipment's origin (an airport code). */
            {C_("shipment origin", "From"), s->origin},
            /* TRANSLATORS: the shipment's destination (an airport code). */
            {C_("shipment destination", "To"), s->destination},
            {_("Recipient"), s->recipient},
            {_("Address"), s->address},
            {_("City"), s->city},
            /* TRANSLATORS: the state or province of the recipient's address. */
            {C_("address", "State"), s->state},
            {_("Country"), s->country},
        };
        const size_t n = sizeof lines / sizeof *lines;

        output_fields(lines, n, width,
                      output_label_columns(OUTPUT_LABEL_COLUMNS, lines, n));
    }
    free(value);
    free(total);
    free(charged);
    if (s->n_events == 0)
        /* TRANSLATORS: the heading of the tracking events, when there are none. */
        printf("%s\n", _("Tracking: no events"));
    else
        /* TRANSLATORS: the heading of the table of tracking events. */
        printf("%s\n", _("Tracking"));
    if (s->n_events == 0 ||
        (cells = calloc(s->n_events * ncols + 1, sizeof *cells)) == NULL)
        return;
    for (size_t r = 0; r < s->n_events; r++) {
        const struct account_event *e = &s->events[r];
        char **c = cells + r * ncols;

        c[0] = output_or_dash(e->time);
        c[1] = output_or_dash(e->location);
        c[2] = output_or_dash(e->code);
        c[3] = output_or_dash(e->description);
        c[4] = output_or_dash(e->note);
    }
    output_table(cols, ncols, (const char *const *)cells, s->n_events, width);
    output_cells_free(cells, s->n_events * ncols);
}

static int
track_prepare(struct cmd_ctx *ctx, struct bl_error *err)
{
    return value_id(ctx->cli->operand2, "AWB", &ctx->awb, err);
}

static int
track_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    struct customer a = {0};
    struct account_shipment *s = NULL;
    int rc = -1;

    if (customer_open(ctx->cli, &ctx->run, "track", &a, err) == 0 &&
        customer_call(ctx->cli, &ctx->run, &a,
                      (struct api_request){.call = API_SHIPMENT, .awb = ctx->awb},
                      decode_shipment, (void **)&s, err) == 0) {
        if (s->skipped > 0)
            /* TRANSLATORS: tracking events of the server's reply that had no valid date.
             */
            cmd_say(P_("%zu tracking event could not be read",
                       "%zu tracking events could not be read", s->skipped),
                    s->skipped);
        if (ctx->cli->json) {
            rc = output_json_text(account_json_track(config_env_name(ctx->run.cfg.env),
                                                     a.email_key, a.box_id, ctx->awb, s),
                                  err);
        } else {
            print_track(s, ctx->awb);
            rc = 0;
        }
    }
    if (a.email_key != NULL)
        cmd_remember(&ctx->run, HISTORY_TRACK, a.email_key, a.box_id, err->kind);
    account_shipment_free(s);
    customer_clear(&a);
    return rc;
}

const struct cmd_entry cmd_entry_track = {
    .name = "track",
    .options = CMD_OPT_PASSWORD_STDIN | CMD_OPT_JSON,
    .flags = CMD_API | CMD_CANCELLABLE,
    /* TRANSLATORS: keep track and the placeholders EMAIL and AWB as they are. */
    .operands = {2, 2, N_("track takes an EMAIL and an AWB")},
    .prepare = track_prepare,
    .exec = track_exec,
};
