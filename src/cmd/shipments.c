/* boxlogin shipments EMAIL: the customer's shipments of a window of dates. */
#include "cmd.h"
#include "customer.h"
#include "output.h"
#include "../account.h"
#include "../account_json.h"
#include "../i18n.h"
#include "../jsonwrite.h"
#include "../text.h"
#include "../value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
decode_shipments(const struct api_reply *r, const struct customer *a, uint64_t awb,
                 void **out, struct bl_error *err)
{
    (void)awb;
    return account_shipments_decode(r->status, r->body, r->len, a->email_key,
                                    (struct account_shipments **)out, err);
}

static char *
integer(uint64_t n)
{
    char *s = NULL;

    return asprintf(&s, "%llu", (unsigned long long)n) < 0 ? NULL : s;
}

/* The window of cli's --from and --to: SPEC's defaults around 90 days. */
static int
shipments_window(const struct cli *cli, char from[11], char to[11], struct bl_error *err)
{
    struct value_date f, t = value_date_today();

    if (cli->to != NULL && value_date(cli->to, "--to", &t, err) != 0)
        return -1;
    if (cli->from != NULL) {
        if (value_date(cli->from, "--from", &f, err) != 0)
            return -1;
    } else {
        f = value_date_add(t, -VALUE_WINDOW_DAYS);
    }
    if (value_date_compare(&f, &t) > 0)
        return error_set(err, BL_USAGE, _("--from is after --to: the window is empty"));
    value_date_format(&f, from);
    value_date_format(&t, to);
    return 0;
}

static void
print_shipments(const char *from, const char *to, const struct account_shipments *s)
{
    static const struct output_column cols[] = {
        /* TRANSLATORS: column titles of `boxlogin shipments`, in capitals: the date
           the shipment was received at the warehouse. */
        {N_("RECEIVED"), 0, 0, 0, 0},
        /* TRANSLATORS: the air waybill number (the shipment's number). */
        {N_("AWB"), 1, 0, 0, 0},
        {N_("MERCHANT"), 0, 1, 0, 0},
        /* TRANSLATORS: what the shipment holds. */
        {N_("CONTENT"), 0, 1, 0, 0},
        {N_("STATUS"), 0, 1, 4, 0},
        /* TRANSLATORS: the declared value of the goods. */
        {N_("VALUE"), 1, 0, 2, 0},
        /* TRANSLATORS: the charged weight. */
        {N_("CHARGED"), 1, 0, 1, 0},
        /* TRANSLATORS: the total shipping charge. */
        {N_("TOTAL"), 1, 0, 3, 0},
    };
    const size_t ncols = sizeof cols / sizeof *cols;
    char **cells = calloc(s->n_rows * ncols + 1, sizeof *cells);
    int utf8 = text_locale_utf8();
    char count[128];

    /* TRANSLATORS: how many shipments the window holds, after the window's dates. */
    snprintf(count, sizeof count, P_("%zu shipment", "%zu shipments", s->n_rows),
             s->n_rows);
    printf("%s %s %s %s %s\n", from, utf8 ? "–" : "-", to, utf8 ? "·" : "-", count);
    if (s->n_rows == 0 || cells == NULL) {
        free(cells);
        return;
    }
    for (size_t r = 0; r < s->n_rows; r++) {
        const struct account_shipment_row *row = &s->rows[r];
        char **c = cells + r * ncols;
        char day[11];

        snprintf(day, sizeof day, "%.10s", row->received);
        c[0] = output_or_dash(day);
        c[1] = integer(row->awb);
        c[2] = output_or_dash(row->merchant);
        c[3] = output_or_dash(row->content);
        c[4] = output_or_dash(row->status);
        c[5] = output_amount(row->value);
        c[6] = output_amount(row->weight_charged);
        c[7] = output_amount(row->charge_total);
    }
    output_table(cols, ncols, (const char *const *)cells, s->n_rows, output_columns());
    output_cells_free(cells, s->n_rows * ncols);
}

/* The rows as CSV: the columns are the keys of a row of the --json, in that order (a
 * header even without rows). Returns 0, or -1 with err when out of memory. */
static int
print_csv(const struct account_shipments *s, struct bl_error *err)
{
    struct account_shipment_row none;
    int rc = 0;

    memset(&none, 0, sizeof none);
    for (size_t r = 0; r <= s->n_rows && rc == 0; r++) {
        struct jsonw w;
        char *text;

        jsonw_init(&w, 1024);
        account_json_shipment_row(&w, r == 0 ? &none : &s->rows[r - 1]);
        if ((text = jsonw_finish(&w)) == NULL ||
            output_csv_json_row(stdout, text, strlen(text), r == 0) != 0)
            rc = error_set(err, BL_INTERNAL, "%s", _("out of memory"));
        free(text);
    }
    return rc;
}

static int
shipments_prepare(struct cmd_ctx *ctx, struct bl_error *err)
{
    return shipments_window(ctx->cli, ctx->from, ctx->to, err);
}

static int
shipments_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    struct customer a = {0};
    struct account_shipments *s = NULL;
    int rc = -1;

    if (customer_open(ctx->cli, &ctx->run, "shipments", &a, err) == 0 &&
        customer_call(ctx->cli, &ctx->run, &a,
                      (struct api_request){.call = API_SHIPMENTS,
                                           .start_date = ctx->from,
                                           .end_date = ctx->to},
                      decode_shipments, (void **)&s, err) == 0) {
        if (s->skipped > 0)
            /* TRANSLATORS: shipment rows of the server's reply that had no valid AWB. */
            cmd_say(
                P_("%zu row could not be read", "%zu rows could not be read", s->skipped),
                s->skipped);
        if (ctx->cli->json) {
            struct jsonw w;

            jsonw_init_stream(&w, stdout);
            account_json_write_shipments(&w, config_env_name(ctx->run.cfg.env),
                                         a.email_key, a.box_id, ctx->from, ctx->to, s);
            rc = output_json_end(&w, err);
        } else if (ctx->cli->csv) {
            rc = print_csv(s, err);
        } else {
            print_shipments(ctx->from, ctx->to, s);
            rc = 0;
        }
    }
    if (a.email_key != NULL)
        cmd_remember(&ctx->run, HISTORY_SHIPMENTS, a.email_key, a.box_id, err->kind);
    account_shipments_free(s);
    customer_clear(&a);
    return rc;
}

const struct cmd_entry cmd_entry_shipments = {
    .name = "shipments",
    .options = CMD_OPT_PASSWORD_STDIN | CMD_OPT_JSON | CMD_OPT_CSV | CMD_OPT_WINDOW,
    .flags = CMD_API | CMD_CANCELLABLE,
    .operands = {1, 1, NULL},
    .prepare = shipments_prepare,
    .exec = shipments_exec,
};
