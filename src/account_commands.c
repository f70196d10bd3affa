/*
 * The account commands: profile, shipments, track (with the customer key stored for
 * the email, or after logging in first), lookup (the partner call: no password) and
 * history.
 */
#include "account.h"
#include "account_json.h"
#include "commands.h"
#include "i18n.h"
#include "jsonwrite.h"
#include "keyring.h"
#include "secmem.h"
#include "text.h"
#include "value.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Whom the account calls are about, and with which key. */
struct account_ref {
    char *email;        /* trimmed, as typed */
    char *email_key;    /* normalised: shown, stored, looked up */
    char *customer_key; /* secmem */
    uint64_t box_id;
    int from_keyring; /* the stored key: it may be refused, and then a login helps */
};

static void
ref_clear(struct account_ref *a)
{
    free(a->email);
    free(a->email_key);
    secmem_free(a->customer_key);
    memset(a, 0, sizeof *a);
}

/* Logs in (as boxlogin login does) and takes the new key for a. */
static int
log_in_for(const struct cli *cli, struct cmd_run *run, struct account_ref *a,
           struct bl_error *err)
{
    struct bl_session *s = NULL;
    int stored;

    if (cmd_log_in(cli, run, a->email, a->email_key, &s, &stored, err) != 0)
        return -1;
    secmem_free(a->customer_key);
    a->customer_key = s->customer_key;
    s->customer_key = NULL;
    a->box_id = s->box_id;
    a->from_keyring = 0;
    session_free(s);
    return 0;
}

/*
 * The key and box ID for the email of the command line: the stored ones, or,
 * when none serves and a password can be had, those of a login first.
 */
static int
open_account(const struct cli *cli, struct cmd_run *run, const char *what,
             struct account_ref *a, struct bl_error *err)
{
    struct bl_error why = {0};
    int found = 0;

    if (value_email(cli->operand, what, &a->email, &a->email_key, err) != 0)
        return -1;
    if (!run->cfg.no_keyring)
        found = keyring_lookup_customer_key(a->email_key, run->cfg.env, &a->customer_key,
                                            &a->box_id, &why);
    if (found == 1) {
        a->from_keyring = 1;
        return 0;
    }
    if (cmd_has_password_source(cli)) {
        error_clear(&why);
        return log_in_for(cli, run, a, err);
    }
    if (why.message != NULL)
        error_set(err, BL_USAGE,
                  /* TRANSLATORS: the email, the environment (TEST or PROD), the email
                     again (keep the command as it is), then why the keyring had none. */
                  _("No stored key for %s (%s): run `boxlogin login --email %s` (%s)"),
                  a->email_key, config_env_badge(run->cfg.env), a->email_key,
                  why.message);
    else
        error_set(err, BL_USAGE,
                  /* TRANSLATORS: the email, the environment (TEST or PROD), the email
                     again (keep the command as it is). */
                  _("No stored key for %s (%s): run `boxlogin login --email %s`"),
                  a->email_key, config_env_badge(run->cfg.env), a->email_key);
    error_clear(&why);
    return -1;
}

/* Decodes the reply to one account call into *out; returns 0 or -1 with err. */
typedef int (*account_decode_fn)(const struct api_reply *reply,
                                 const struct account_ref *a, uint64_t awb, void **out,
                                 struct bl_error *err);

static int
decode_profile(const struct api_reply *r, const struct account_ref *a, uint64_t awb,
               void **out, struct bl_error *err)
{
    (void)awb;
    return account_profile_decode(r->status, r->body, r->len, a->email_key,
                                  (struct account_profile **)out, err);
}

static int
decode_shipments(const struct api_reply *r, const struct account_ref *a, uint64_t awb,
                 void **out, struct bl_error *err)
{
    (void)awb;
    return account_shipments_decode(r->status, r->body, r->len, a->email_key,
                                    (struct account_shipments **)out, err);
}

static int
decode_shipment(const struct api_reply *r, const struct account_ref *a, uint64_t awb,
                void **out, struct bl_error *err)
{
    return account_shipment_decode(r->status, r->body, r->len, a->email_key, awb,
                                   (struct account_shipment **)out, err);
}

/*
 * Sends rq with a's box ID and key and decodes the answer. A stored key that
 * is refused (profile, shipments: only they can tell) is replaced once by a
 * login's, when a password can be had.
 */
static int
account_call(const struct cli *cli, struct cmd_run *run, struct account_ref *a,
             struct api_request rq, account_decode_fn decode, void **out,
             struct bl_error *err)
{
    for (;;) {
        struct api_reply reply;
        int rc = -1;

        rq.box_id = a->box_id;
        rq.customer_key = a->customer_key;
        rq.email = NULL;
        if (cmd_cancelled(err) != 0)
            return -1;
        api_send(run->api, 1, &run->cfg, &rq, 1, &reply);
        if (reply.err.kind != BL_OK)
            error_move(err, &reply.err);
        else
            rc = decode(&reply, a, rq.awb, out, err);
        api_reply_clear(&reply);
        if (rc == 0 || err->kind != BL_REJECTED || !a->from_keyring ||
            rq.call == API_SHIPMENT || !cmd_has_password_source(cli))
            return rc;
        error_clear(err);
        if (log_in_for(cli, run, a, err) != 0)
            return -1;
    }
}

/* Prints a malloc'd JSON text (or says out of memory) and frees it. */
static int
print_json_text(char *json, struct bl_error *err)
{
    if (json == NULL)
        return error_set(err, BL_INTERNAL, _("out of memory"));
    fwrite(json, 1, strlen(json), stdout);
    putchar('\n');
    free(json);
    return 0;
}

/* Ends a --json text written to stdout with jsonw_init_stream, and its line. A failed
 * write shows at exit (the output is checked then); here only out of memory. */
static int
end_json_stream(struct jsonw *w, struct bl_error *err)
{
    int rc = jsonw_end_stream(w);

    putchar('\n');
    if (rc != 0 && !ferror(stdout))
        return error_set(err, BL_INTERNAL, _("out of memory"));
    return 0;
}

/* The columns output may use: the terminal's, else $COLUMNS, else no limit. */
static size_t
output_columns(void)
{
    struct winsize ws;
    const char *env = getenv("COLUMNS");
    uint64_t n;

    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
        ws.ws_col > 0)
        return ws.ws_col;
    if (env != NULL && value_id(env, "COLUMNS", &n, NULL) == 0 && n >= 20 && n < 10000)
        return (size_t)n;
    return 100000;
}

/* A table column: its title (marked with N_, translated where it is printed), whether it
 * is a number (right-aligned) or free text that may be cut to fit, and in which order it
 * goes when even cut text does not fit (1 first; 0 never). */
struct column {
    const char *title;
    int right, cut, drop;
};

/* n spaces. */
static void
pad(size_t n)
{
    static const char spaces[] = "                                ";

    for (; n > sizeof spaces - 1; n -= sizeof spaces - 1)
        fwrite(spaces, 1, sizeof spaces - 1, stdout);
    fwrite(spaces, 1, n, stdout);
}

/* Prints cell, which takes used columns, in exactly width columns. */
static void
print_cell(const char *cell, size_t used, size_t width, int right, int last)
{
    char *cut = NULL;

    /* Cells hold text made inert already; only one too wide is cut (and made one line).
     */
    if (used > width) {
        cut = text_one_line(cell, width);
        used = cut != NULL ? text_columns(cut) : 0;
        cell = cut != NULL ? cut : "";
    }
    if (right)
        pad(width - used);
    fputs(cell, stdout);
    if (!right && !last)
        pad(width - used);
    free(cut);
}

/*
 * Prints a table of rows x ncols cells (cells[r * ncols + c]) in aligned columns
 * that fit width: the columns that may be cut shrink (the widest first) and show
 * what does not fit with an ellipsis; nothing wraps.
 */
static void
print_table(const struct column *cols, size_t ncols, const char *const *cells,
            size_t rows, size_t width)
{
    size_t w[16] = {0}, shown = ncols;
    int hidden[16] = {0};
    const char *title[16] = {0};

    /* Widths are columns on the terminal, not bytes: a translated title may be accented
     * ("ENVÍO") or longer than its cells. */
    for (size_t c = 0; c < ncols && c < 16; c++) {
        title[c] = _(cols[c].title);
        w[c] = text_columns(title[c]);
        for (size_t r = 0; r < rows; r++) {
            size_t n =
                text_columns(cells[r * ncols + c] != NULL ? cells[r * ncols + c] : "");

            if (n > w[c])
                w[c] = n > 60 ? 60 : n;
        }
    }
    for (;;) {
        size_t widest = ncols, dropped = ncols, total = 0;

        for (size_t c = 0; c < ncols; c++)
            total += hidden[c] ? 0 : w[c] + 2;
        total -= 2;
        if (total <= width || shown == 1)
            break;
        for (size_t c = 0; c < ncols; c++)
            if (!hidden[c] && cols[c].cut && w[c] > 5 &&
                (widest == ncols || w[c] > w[widest]))
                widest = c;
        if (widest < ncols) {
            w[widest]--;
            continue;
        }
        /* As narrow as text goes: leave out the least needed column. */
        for (size_t c = 0; c < ncols; c++)
            if (!hidden[c] && cols[c].drop > 0 &&
                (dropped == ncols || cols[c].drop < cols[dropped].drop))
                dropped = c;
        if (dropped == ncols)
            break;
        hidden[dropped] = 1;
        shown--;
    }
    for (size_t r = 0; r <= rows; r++) {
        size_t left = shown;

        for (size_t c = 0; c < ncols; c++) {
            if (hidden[c])
                continue;
            left--;
            if (r == 0)
                print_cell(title[c], text_columns(title[c]), w[c], cols[c].right,
                           left == 0);
            else if (cells[(r - 1) * ncols + c] != NULL)
                print_cell(cells[(r - 1) * ncols + c],
                           text_columns(cells[(r - 1) * ncols + c]), w[c], cols[c].right,
                           left == 0);
            else
                print_cell("", 0, w[c], cols[c].right, left == 0);
            fputs(left > 0 ? "  " : "\n", stdout);
        }
    }
}

static void
free_cells(char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
}

/* An amount with two decimals, or a dash when unknown; the caller frees it. */
static char *
amount(struct jsonread_number n)
{
    char *s = NULL;

    if (!n.known)
        return strdup(text_dash());
    return asprintf(&s, "%.2f", n.value) < 0 ? NULL : s;
}

static char *
integer(uint64_t n)
{
    char *s = NULL;

    return asprintf(&s, "%llu", (unsigned long long)n) < 0 ? NULL : s;
}

static char *
copy_or_dash(const char *s)
{
    return strdup(s != NULL && s[0] != '\0' ? s : text_dash());
}

/* The columns the labels of "  Label   value" lines take at least. */
#define LABEL_COLUMNS 16

/* One "  Label   value" line of the human output. */
struct field_line {
    const char *label, *value;
};

/*
 * The columns the labels of lines take: LABEL_COLUMNS, or more when a (translated)
 * label needs it, so that every value still starts in the same column two spaces
 * after the widest label. Counted in terminal columns: "Envío" is 5, not 6 bytes.
 */
static size_t
label_columns(size_t cols, const struct field_line *lines, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t w = text_columns(lines[i].label) + 2;

        if (w > cols)
            cols = w;
    }
    return cols;
}

/*
 * A line "  Label   value" of the human output, the label padded to label_cols
 * columns (not bytes); value is made one line and inert.
 */
static void
field(const char *label, const char *value, size_t width, size_t label_cols)
{
    size_t used = text_columns(label);
    char *shown = text_one_line(value != NULL && value[0] != '\0' ? value : text_dash(),
                                width > label_cols + 6 ? width - label_cols - 2 : 4);

    printf("  %s%*s%s\n", label, used < label_cols ? (int)(label_cols - used) : 0, "",
           shown != NULL ? shown : text_dash());
    free(shown);
}

static void
print_fields(const struct field_line *lines, size_t n, size_t width, size_t label_cols)
{
    for (size_t i = 0; i < n; i++)
        field(lines[i].label, lines[i].value, width, label_cols);
}

static const char *
flag_word(enum bl_flag f, const char *yes, const char *no, const char *unknown)
{
    return f == FLAG_YES ? yes : f == FLAG_NO ? no : unknown;
}

static void
print_profile(const struct account_ref *a, const struct account_profile *p)
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
        const struct field_line lines[] = {
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

        label_cols = label_columns(LABEL_COLUMNS, lines, n);
        for (size_t i = 0; i < p->n_phones; i++) {
            const char *type = account_phone_type_label(p->phones[i].type);
            const struct field_line phone = {type != NULL ? type : text_dash(), NULL};

            label_cols = label_columns(label_cols, &phone, 1);
        }
        print_fields(lines, n, width, label_cols);
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
        field(ad->country_code != NULL ? ad->country_code : text_dash(), line, width,
              label_cols);
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

        field(type != NULL ? type : text_dash(), p->phones[i].number, width, label_cols);
    }
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
    static const struct column cols[] = {
        /* TRANSLATORS: column titles of `boxlogin shipments`, in capitals: the date
           the shipment was received at the warehouse. */
        {N_("RECEIVED"), 0, 0, 0},
        /* TRANSLATORS: the air waybill number (the shipment's number). */
        {N_("AWB"), 1, 0, 0},
        {N_("MERCHANT"), 0, 1, 0},
        /* TRANSLATORS: what the shipment holds. */
        {N_("CONTENT"), 0, 1, 0},
        {N_("STATUS"), 0, 1, 4},
        /* TRANSLATORS: the declared value of the goods. */
        {N_("VALUE"), 1, 0, 2},
        /* TRANSLATORS: the charged weight. */
        {N_("CHARGED"), 1, 0, 1},
        /* TRANSLATORS: the total shipping charge. */
        {N_("TOTAL"), 1, 0, 3},
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
        c[0] = copy_or_dash(day);
        c[1] = integer(row->awb);
        c[2] = copy_or_dash(row->merchant);
        c[3] = copy_or_dash(row->content);
        c[4] = copy_or_dash(row->status);
        c[5] = amount(row->value);
        c[6] = amount(row->weight_charged);
        c[7] = amount(row->charge_total);
    }
    print_table(cols, ncols, (const char *const *)cells, s->n_rows, output_columns());
    free_cells(cells, s->n_rows * ncols);
}

static void
print_track(const struct account_shipment *s, uint64_t awb)
{
    static const struct column cols[] = {
        /* TRANSLATORS: column titles of the tracking events of `boxlogin track`, in
           capitals: when the event happened. */
        {N_("TIME"), 0, 0, 0},
        /* TRANSLATORS: where the event happened (an airport code). */
        {N_("LOCATION"), 0, 1, 2},
        /* TRANSLATORS: the event's code (PAY, REC...). */
        {N_("CODE"), 0, 1, 3},
        {N_("DESCRIPTION"), 0, 1, 0},
        {N_("NOTE"), 0, 1, 1},
    };
    const size_t ncols = sizeof cols / sizeof *cols;
    size_t width = output_columns();
    char *value = amount(s->value), *total = amount(s->total),
         *charged = amount(s->weight_charged);
    char weight[96];
    char **cells;

    /* TRANSLATORS: the heading of `boxlogin track`; %llu is the shipment's AWB. */
    printf(_("Shipment %llu"), (unsigned long long)awb);
    putchar('\n');
    snprintf(weight, sizeof weight, "%s %s", charged != NULL ? charged : text_dash(),
             s->weight_unit != NULL ? s->weight_unit : "");
    {
        const struct field_line lines[] = {
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

        print_fields(lines, n, width, label_columns(LABEL_COLUMNS, lines, n));
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

        c[0] = copy_or_dash(e->time);
        c[1] = copy_or_dash(e->location);
        c[2] = copy_or_dash(e->code);
        c[3] = copy_or_dash(e->description);
        c[4] = copy_or_dash(e->note);
    }
    print_table(cols, ncols, (const char *const *)cells, s->n_events, width);
    free_cells(cells, s->n_events * ncols);
}

int
cmd_profile(const struct cli *cli)
{
    struct cmd_run run = {0};
    struct account_ref a = {0};
    struct bl_error err = {0};
    struct account_profile *p = NULL;
    int status;

    if (cmd_start(cli, &run, &err) == 0 &&
        open_account(cli, &run, "profile", &a, &err) == 0 &&
        account_call(cli, &run, &a, (struct api_request){.call = API_PROFILE},
                     decode_profile, (void **)&p, &err) == 0) {
        if (cli->json)
            print_json_text(account_json_profile(config_env_name(run.cfg.env),
                                                 a.email_key, a.box_id, p),
                            &err);
        else
            print_profile(&a, p);
    }
    if (a.email_key != NULL)
        cmd_remember(&run, HISTORY_PROFILE, a.email_key, a.box_id, err.kind);
    status = err.kind == BL_OK ? 0 : cmd_fail(cli->json, &err);
    account_profile_free(p);
    ref_clear(&a);
    cmd_finish(&run);
    error_clear(&err);
    return status;
}

int
cmd_shipments(const struct cli *cli)
{
    struct cmd_run run = {0};
    struct account_ref a = {0};
    struct bl_error err = {0};
    struct account_shipments *s = NULL;
    char from[11], to[11];
    int status;

    if (shipments_window(cli, from, to, &err) == 0 && cmd_start(cli, &run, &err) == 0 &&
        open_account(cli, &run, "shipments", &a, &err) == 0 &&
        account_call(cli, &run, &a,
                     (struct api_request){
                         .call = API_SHIPMENTS, .start_date = from, .end_date = to},
                     decode_shipments, (void **)&s, &err) == 0) {
        if (s->skipped > 0)
            /* TRANSLATORS: shipment rows of the server's reply that had no valid AWB. */
            cmd_say(
                P_("%zu row could not be read", "%zu rows could not be read", s->skipped),
                s->skipped);
        if (cli->json) {
            struct jsonw w;

            jsonw_init_stream(&w, stdout);
            account_json_write_shipments(&w, config_env_name(run.cfg.env), a.email_key,
                                         a.box_id, from, to, s);
            end_json_stream(&w, &err);
        } else
            print_shipments(from, to, s);
    }
    if (a.email_key != NULL)
        cmd_remember(&run, HISTORY_SHIPMENTS, a.email_key, a.box_id, err.kind);
    status = err.kind == BL_OK ? 0 : cmd_fail(cli->json, &err);
    account_shipments_free(s);
    ref_clear(&a);
    cmd_finish(&run);
    error_clear(&err);
    return status;
}

int
cmd_track(const struct cli *cli)
{
    struct cmd_run run = {0};
    struct account_ref a = {0};
    struct bl_error err = {0};
    struct account_shipment *s = NULL;
    uint64_t awb = 0;
    int status;

    if (value_id(cli->operand2, "AWB", &awb, &err) == 0 &&
        cmd_start(cli, &run, &err) == 0 &&
        open_account(cli, &run, "track", &a, &err) == 0 &&
        account_call(cli, &run, &a,
                     (struct api_request){.call = API_SHIPMENT, .awb = awb},
                     decode_shipment, (void **)&s, &err) == 0) {
        if (s->skipped > 0)
            /* TRANSLATORS: tracking events of the server's reply that had no valid date.
             */
            cmd_say(P_("%zu tracking event could not be read",
                       "%zu tracking events could not be read", s->skipped),
                    s->skipped);
        if (cli->json)
            print_json_text(account_json_track(config_env_name(run.cfg.env), a.email_key,
                                               a.box_id, awb, s),
                            &err);
        else
            print_track(s, awb);
    }
    if (a.email_key != NULL)
        cmd_remember(&run, HISTORY_TRACK, a.email_key, a.box_id, err.kind);
    status = err.kind == BL_OK ? 0 : cmd_fail(cli->json, &err);
    account_shipment_free(s);
    ref_clear(&a);
    cmd_finish(&run);
    error_clear(&err);
    return status;
}

int
cmd_lookup(const struct cli *cli)
{
    struct cmd_run run = {0};
    struct bl_error err = {0};
    struct bl_session *s = NULL;
    char *email = NULL, *email_key = NULL;
    int status, stored = 0;

    if (value_email(cli->operand, "lookup", &email, &email_key, &err) == 0 &&
        cmd_start(cli, &run, &err) == 0) {
        api_partner(run.api, 1, &run.cfg, email, &s, &err);
        cmd_remember(&run, HISTORY_LOOKUP, email_key, s != NULL ? s->box_id : 0,
                     err.kind);
        if (s != NULL && (s->email = strdup(email_key)) == NULL)
            error_set(&err, BL_INTERNAL, _("out of memory"));
        if (s != NULL && err.kind == BL_OK) {
            cmd_keep_session(&run, s, &stored);
            cmd_print_session(cli, &run, s, stored, "partner");
        }
    }
    status = err.kind == BL_OK ? 0 : cmd_fail(cli->json, &err);
    session_free(s);
    cmd_finish(&run);
    error_clear(&err);
    free(email);
    free(email_key);
    return status;
}

/* A history outcome as the agent reads it: the file keeps SPEC's English word (that of
 * --json), the table shows it in the agent's language; an unknown word as it is. */
static const char *
outcome_word(const char *stored)
{
    /* TRANSLATORS: the outcomes of a lookup in the history table, one or two words. */
    if (strcmp(stored, "session") == 0)
        return C_("history outcome", "session");
    if (strcmp(stored, "rejected") == 0)
        return C_("history outcome", "rejected");
    if (strcmp(stored, "network") == 0)
        return C_("history outcome", "network");
    if (strcmp(stored, "server") == 0)
        return C_("history outcome", "server");
    if (strcmp(stored, "usage") == 0)
        return C_("history outcome", "usage");
    if (strcmp(stored, "cancelled") == 0)
        return C_("history outcome", "cancelled");
    if (strcmp(stored, "internal") == 0)
        return C_("history outcome", "internal");
    return stored;
}

int
cmd_history(const struct cli *cli)
{
    static const struct column cols[] = {
        /* TRANSLATORS: column titles of `boxlogin history`, in capitals: when the
           lookup was made. */
        {N_("TIME"), 0, 0, 0},
        /* TRANSLATORS: the environment (test or prod). */
        {N_("ENV"), 0, 0, 2},
        /* TRANSLATORS: what was looked up (login, lookup, profile...). */
        {N_("ACTION"), 0, 0, 0},
        {N_("EMAIL"), 0, 1, 0},
        {N_("BOX ID"), 1, 0, 1},
        /* TRANSLATORS: how the lookup ended (session, rejected, network...). */
        {N_("OUTCOME"), 0, 0, 0},
    };
    const size_t ncols = sizeof cols / sizeof *cols;
    struct history_entry *e = NULL;
    struct bl_error err = {0};
    size_t n = 0, skipped = 0;
    uint64_t limit = 0;
    char *path = history_path();
    int status;

    if (cli->limit != NULL && value_id(cli->limit, "--limit", &limit, &err) != 0)
        goto out;
    if (path == NULL) {
        error_set(&err, BL_USAGE, _("no home directory: set HOME or XDG_STATE_HOME"));
        goto out;
    }
    if (history_read(path, (size_t)limit, &e, &n, &skipped, &err) != 0)
        goto out;
    if (skipped > 0)
        cmd_say(P_("%zu line of the history could not be read",
                   "%zu lines of the history could not be read", skipped),
                skipped);
    if (cli->json) {
        struct jsonw w;

        jsonw_init_stream(&w, stdout);
        jsonw_open(&w, '[');
        for (size_t i = 0; i < n; i++)
            history_entry_write(&w, &e[i]);
        jsonw_close(&w, ']');
        end_json_stream(&w, &err);
    } else if (n == 0) {
        cmd_say("%s", _("no lookups in the history yet"));
    } else {
        /* The cells point into the entries; only the box IDs are written here. */
        const char **cells = calloc(n * ncols + 1, sizeof *cells);
        char(*boxes)[24] = calloc(n + 1, sizeof *boxes);

        for (size_t r = 0; cells != NULL && boxes != NULL && r < n; r++) {
            const char **c = cells + r * ncols;

            snprintf(boxes[r], sizeof boxes[r], "%llu", (unsigned long long)e[r].box_id);
            c[0] = e[r].time;
            c[1] = e[r].environment;
            c[2] = e[r].action;
            c[3] = e[r].email;
            c[4] = e[r].box_id != 0 ? boxes[r] : text_dash();
            c[5] = outcome_word(e[r].outcome);
        }
        if (cells != NULL && boxes != NULL)
            print_table(cols, ncols, cells, n, output_columns());
        else
            error_set(&err, BL_INTERNAL, _("out of memory"));
        free(cells);
        free(boxes);
    }
out:
    status = err.kind == BL_OK ? 0 : cmd_fail(cli->json, &err);
    history_entries_free(e, n);
    error_clear(&err);
    free(path);
    return status;
}
