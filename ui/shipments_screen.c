/*
 * The Shipments tab: the shipments of a window, newest first, in a table that
 * fits the terminal; a selection, paging, a filter as you type, the window moved
 * 91 days at a time (neighbouring windows share no day) up to today, a sort on any
 * column (s, S), and Enter to open one.
 */
#include "list.h"
#include "screen.h"
#include "../src/i18n.h"
#include "../src/value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The table's columns, in order. */
enum column {
    COL_RECEIVED,
    COL_AWB,
    COL_MERCHANT,
    COL_CONTENT,
    COL_STATUS,
    COL_VALUE,
    COL_CHARGED,
    COL_TOTAL,
    COL_EXTERNAL, /* the shop's own tracking number, when there is room */
    COLUMNS
};

/* The widths of the table's columns for the terminal (0: left out): each at least as wide
 * as its translated header where there is room; the text ones share what is left. */
struct layout {
    int width[COLUMNS];
    int time; /* the received column shows the time of day */
};

struct shipments_view {
    const struct account_shipments *list; /* the desk's; NULL until it arrives */
    char from[11], to[11];           /* the window shown, or asked for while it loads */
    char list_from[11], list_to[11]; /* the window of the rows in list */
    char error[512];
    char note[256];       /* what this window's answer lacks (rows not read), or "" */
    int loading;          /* the desk is asking for a window */
    struct list table;    /* the rows shown, the selection, the filter ('/': typing) */
    struct layout layout; /* the columns of the last drawing */
    size_t *order; /* the rows in the sort's order: the list's item i is row order[i] */
    enum column sort;     /* the column the rows are sorted by (s) */
    int reversed;         /* the other way than the column's own (S) */
    int natural[COLUMNS]; /* the widest cell of each column in the rows */
};

static void *
shipments_create(struct ui_ctx *ctx)
{
    (void)ctx;
    return calloc(1, sizeof(struct shipments_view));
}

static void
drop_list(struct shipments_view *sv)
{
    sv->list = NULL;
    list_free(&sv->table);
    free(sv->order);
    sv->order = NULL;
}

static void
shipments_reset(void *state, struct ui_ctx *ctx)
{
    struct shipments_view *sv = state;

    drop_list(sv);
    memset(sv, 0, sizeof *sv);
    /* A new session: the desk asks for the default window at once. */
    sv->loading = ctx->session != NULL;
    value_default_window(sv->from, sv->to);
}

static void
shipments_destroy(void *state)
{
    struct shipments_view *sv = state;

    if (sv != NULL)
        drop_list(sv);
    free(sv);
}

static enum tab_state
shipments_tab_state(const void *state, const struct ui_ctx *ctx)
{
    const struct shipments_view *sv = state;

    (void)ctx;
    return sv->loading ? TAB_LOADING : sv->error[0] != '\0' ? TAB_FAILED : TAB_READY;
}

static void
shipments_enter(void *state, struct ui_ctx *ctx)
{
    (void)state, (void)ctx;
    term_cursor(0);
}

static void
amount(char *out, size_t size, struct jsonread_number n)
{
    if (n.known)
        snprintf(out, size, "%.2f", n.value);
    else
        snprintf(out, size, "%s", "—");
}

/* The row that is the list's item i (the sort's order). */
static const struct account_shipment_row *
row_at(const struct shipments_view *sv, size_t i)
{
    return &sv->list->rows[sv->order != NULL ? sv->order[i] : i];
}

/* The headers of the table, translated where drawn. */
static const char *const headers[COLUMNS] = {
    /* TRANSLATORS: table header, upper case, keep short: the date the shipment was
     * received at the warehouse. */
    [COL_RECEIVED] = N_("RECEIVED"),
    /* TRANSLATORS: table header, upper case, keep short: the air waybill number. */
    [COL_AWB] = N_("AWB"),
    /* TRANSLATORS: table header, upper case, keep short: the shop that sent it. */
    [COL_MERCHANT] = N_("MERCHANT"),
    /* TRANSLATORS: table header, upper case, keep short: what is in the parcel. */
    [COL_CONTENT] = N_("CONTENT"),
    /* TRANSLATORS: table header, upper case, keep short: where the shipment stands. */
    [COL_STATUS] = N_("STATUS"),
    /* TRANSLATORS: table header, upper case, keep short: the declared value. */
    [COL_VALUE] = N_("VALUE"),
    /* TRANSLATORS: table header, upper case, keep short: the weight charged for, in
     * pounds (LB, the unit of SkyPostal's weights). */
    [COL_CHARGED] = N_("CHARGED LB"),
    /* TRANSLATORS: table header, upper case, keep short: the total charged. */
    [COL_TOTAL] = N_("TOTAL"),
    /* TRANSLATORS: table header, upper case, keep short: the shop's own tracking number
     * of the shipment (external to SkyPostal). */
    [COL_EXTERNAL] = N_("EXT. TRACKING"),
};

static int
at_least(int w, int least)
{
    return w > least ? w : least;
}

static int
at_most(int w, int most)
{
    return w < most ? w : most;
}

/* The cells of row r, into the buffers given. */
struct cells {
    char date[24], awb[24], value[32], charged[32], total[32];
    const char *text[COLUMNS];
};

static void
cells_of(const struct account_shipment_row *r, int time, struct cells *c)
{
    const char *blank = "—";

    if (r->received[0] == '\0')
        snprintf(c->date, sizeof c->date, "%s", blank);
    else if (time) /* 2018-02-04T21:59:12-05:00 as 2018-02-04 21:59: the server's time */
        snprintf(c->date, sizeof c->date, "%.10s %.5s", r->received, r->received + 11);
    else
        snprintf(c->date, sizeof c->date, "%.10s", r->received);
    snprintf(c->awb, sizeof c->awb, "%llu", (unsigned long long)r->awb);
    amount(c->value, sizeof c->value, r->value);
    amount(c->charged, sizeof c->charged, r->weight_charged);
    amount(c->total, sizeof c->total, r->charge_total);
    c->text[COL_RECEIVED] = c->date;
    c->text[COL_AWB] = c->awb;
    c->text[COL_MERCHANT] = r->merchant != NULL ? r->merchant : blank;
    c->text[COL_CONTENT] = r->content != NULL ? r->content : blank;
    c->text[COL_STATUS] = r->status != NULL ? r->status : blank;
    c->text[COL_VALUE] = c->value;
    c->text[COL_CHARGED] = c->charged;
    c->text[COL_TOTAL] = c->total;
    c->text[COL_EXTERNAL] = r->external_tracking != NULL ? r->external_tracking : blank;
}

/* The most a column is ever given (0: no cap): the texts are capped, so that the status
 * stays near the AWB on a wide terminal; measuring stops there. */
static const int column_cap[COLUMNS] = {
    [COL_MERCHANT] = 20, [COL_CONTENT] = 28, [COL_STATUS] = 16, [COL_EXTERNAL] = 20};

/* Widens *w to the columns text takes, up to cap (0: none). A text takes no more
 * columns than it has bytes, so most texts are not measured at all. */
static void
widen(int *w, const char *text, int cap)
{
    int n;

    if (cap > 0 && *w >= cap)
        return;
    if ((int)strnlen(text, 4096) <= *w)
        return;
    n = term_width(text);
    *w = at_least(*w, cap > 0 && n > cap ? cap : n);
}

/* The widest cell of each column in the rows, up to its cap: measured once per window,
 * not per drawing. */
static void
measure(struct shipments_view *sv)
{
    memset(sv->natural, 0, sizeof sv->natural);
    for (size_t i = 0; sv->list != NULL && i < sv->list->n_rows; i++) {
        struct cells c;

        cells_of(&sv->list->rows[i], 0, &c);
        for (int k = 0; k < COLUMNS; k++)
            widen(&sv->natural[k], c.text[k], column_cap[k]);
    }
}

/* The least a text column (merchant, content) is given before a column is left out. */
#define TEXT_LEAST 8

/*
 * The columns for the terminal. Each column is as wide as its widest cell, and at least
 * its header; the texts are capped (merchant 20, content 28, status 16, the external
 * number 20) so that the status stays near the AWB on a wide terminal. The time of day
 * and the external number come only when everything else has its width; when the
 * merchant and the content do not, they share what is left in proportion to what they
 * want, and the charged weight, then the value, are left out below TEXT_LEAST each.
 */
static struct layout
layout(const struct shipments_view *sv, const char *const head[COLUMNS])
{
    struct layout l = {{0}, 0};
    int hw[COLUMNS], want[COLUMNS], *w = l.width, avail = COLS - 2;
    const int *nat = sv->natural;

    for (int c = 0; c < COLUMNS; c++)
        hw[c] = term_width(head[c]);
    want[COL_RECEIVED] = at_least(10, hw[COL_RECEIVED]);
    want[COL_AWB] = at_least(nat[COL_AWB], hw[COL_AWB]);
    want[COL_STATUS] = at_least(nat[COL_STATUS], hw[COL_STATUS]);
    want[COL_VALUE] = at_least(nat[COL_VALUE], hw[COL_VALUE]);
    want[COL_CHARGED] = at_least(nat[COL_CHARGED], hw[COL_CHARGED]);
    want[COL_TOTAL] = at_least(nat[COL_TOTAL], hw[COL_TOTAL]);
    want[COL_EXTERNAL] = at_least(nat[COL_EXTERNAL], hw[COL_EXTERNAL]);
    want[COL_MERCHANT] =
        at_most(at_least(nat[COL_MERCHANT], hw[COL_MERCHANT]), column_cap[COL_MERCHANT]);
    want[COL_CONTENT] =
        at_most(at_least(nat[COL_CONTENT], hw[COL_CONTENT]), column_cap[COL_CONTENT]);
    /* From the most shown to the least: 0 with the external number and the time, 1
     * without the external number, 2 without the time either, 3 without the charged
     * weight, 4 without the value. The first where the texts get what they want wins;
     * else the last where they get TEXT_LEAST each. */
    for (int step = 0; step <= 4; step++) {
        int fixed = 0, shown = 0, left;

        memcpy(w, want, sizeof want);
        l.time = step <= 1;
        if (l.time)
            w[COL_RECEIVED] = at_least(16, hw[COL_RECEIVED]);
        if (step >= 1)
            w[COL_EXTERNAL] = 0;
        if (step >= 3)
            w[COL_CHARGED] = 0;
        if (step >= 4)
            w[COL_VALUE] = 0;
        for (int c = 0; c < COLUMNS; c++)
            if (c != COL_MERCHANT && c != COL_CONTENT && w[c] > 0) {
                fixed += w[c];
                shown++;
            }
        left = avail - fixed - (shown + 1) * 2;
        if (left >= want[COL_MERCHANT] + want[COL_CONTENT])
            return l; /* everything has its width */
        if (step < 2)
            continue; /* the extras only with room to spare */
        if (left < 2 * TEXT_LEAST && step < 4)
            continue;
        if (left < 0)
            left = 0;
        /* Shared in proportion to what each wants. */
        w[COL_MERCHANT] =
            left * want[COL_MERCHANT] / (want[COL_MERCHANT] + want[COL_CONTENT]);
        w[COL_CONTENT] = left - w[COL_MERCHANT];
        return l;
    }
    return l;
}

/* Draws one row in columns x .. x + width - 1: the cells at their columns, a number
 * right-aligned in its width. */
static void
draw_row(int y, int x, int width, const struct layout *l,
         const char *const cells[COLUMNS], attr_t a)
{
    int end = x + width;

    for (int c = 0; c < COLUMNS && x < end; c++) {
        int right = c == COL_AWB || (c >= COL_VALUE && c <= COL_TOTAL), w = l->width[c];

        if (w <= 0)
            continue;
        if (w > end - x)
            w = end - x; /* a narrow terminal and long headers: cut, not wrapped */
        if (right) {
            int tw = term_width(cells[c]);

            term_text(stdscr, y, x + (tw < w ? w - tw : 0), w, cells[c], a);
        } else {
            term_text(stdscr, y, x, w, cells[c], a);
        }
        x += w + 2;
    }
}

/* The table's rows as the list sees them: a shipment is its AWB. */
static void
row_key(const void *data, size_t i, char *out, size_t size)
{
    snprintf(out, size, "%llu", (unsigned long long)row_at(data, i)->awb);
}

/* The filter looks at the AWB, the external tracking, the merchant, the content and the
 * status. */
static int
row_matches(const void *data, size_t i, const char *needle)
{
    const struct account_shipment_row *r = row_at(data, i);
    char awb[24];

    snprintf(awb, sizeof awb, "%llu", (unsigned long long)r->awb);
    return list_matches(awb, needle) || list_matches(r->external_tracking, needle) ||
           list_matches(r->merchant, needle) || list_matches(r->content, needle) ||
           list_matches(r->status, needle);
}

static void
row_draw(const void *data, size_t i, int y, int x, int width, attr_t a)
{
    const struct shipments_view *sv = data;
    struct cells c;

    cells_of(row_at(sv, i), sv->layout.time, &c);
    draw_row(y, x, width, &sv->layout, c.text, a);
}

/* Which way each column sorts first (s): dates and amounts largest first, texts and
 * AWBs from the smallest. S turns it round. */
static int
descending(enum column c)
{
    return c == COL_RECEIVED || c == COL_VALUE || c == COL_CHARGED || c == COL_TOTAL;
}

static int
by_number(struct jsonread_number a, struct jsonread_number b)
{
    if (a.known != b.known)
        return a.known ? 1 : -1; /* unknown is the smallest */
    return !a.known ? 0 : (a.value > b.value) - (a.value < b.value);
}

static int
by_text(const char *a, const char *b)
{
    char fa[256], fb[256];

    list_fold(a != NULL ? a : "", fa, sizeof fa);
    list_fold(b != NULL ? b : "", fb, sizeof fb);
    return strcmp(fa, fb);
}

/* Orders two rows (indices into the list) by the sort column; ties keep the desk's order
 * (newest received first). */
static int
by_sort(const void *x, const void *y, void *data)
{
    const struct shipments_view *sv = data;
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    const struct account_shipment_row *a = &sv->list->rows[i], *b = &sv->list->rows[j];
    int c = 0;

    switch (sv->sort) {
    case COL_RECEIVED:
        c = a->received[0] == '\0' || b->received[0] == '\0'
                ? (a->received[0] != '\0') - (b->received[0] != '\0')
                : (a->received_ms > b->received_ms) - (a->received_ms < b->received_ms);
        break;
    case COL_AWB:
        c = (a->awb > b->awb) - (a->awb < b->awb);
        break;
    case COL_MERCHANT:
        c = by_text(a->merchant, b->merchant);
        break;
    case COL_CONTENT:
        c = by_text(a->content, b->content);
        break;
    case COL_STATUS:
        c = by_text(a->status, b->status);
        break;
    case COL_VALUE:
        c = by_number(a->value, b->value);
        break;
    case COL_CHARGED:
        c = by_number(a->weight_charged, b->weight_charged);
        break;
    case COL_TOTAL:
        c = by_number(a->charge_total, b->charge_total);
        break;
    case COL_EXTERNAL:
    case COLUMNS:
        c = by_text(a->external_tracking, b->external_tracking);
        break;
    }
    if (descending(sv->sort) != sv->reversed)
        c = -c;
    return c != 0 ? c : (i > j) - (i < j);
}

static const struct list_items table_rows = {
    .key = row_key,
    .draw = row_draw,
    .match = row_matches,
};

/* The rows changed (a window arrived): the table shows them, its selection on the same
 * shipment when it is among them. */
static void
table_changed(struct shipments_view *sv)
{
    size_t n = sv->list != NULL ? sv->list->n_rows : 0;

    free(sv->order);
    sv->order = n > 0 ? calloc(n, sizeof *sv->order) : NULL;
    for (size_t i = 0; sv->order != NULL && i < n; i++)
        sv->order[i] = i;
    /* The desk's order is the received column's, newest first: sorted only when not. */
    if (sv->order != NULL && (sv->sort != COL_RECEIVED || sv->reversed))
        qsort_r(sv->order, n, sizeof *sv->order, by_sort, sv);
    list_set_items(&sv->table, &table_rows, sv, n);
}

static void
shipments_draw(void *state, struct ui_ctx *ctx)
{
    /* The way out, a new lookup and opening stay; retrying goes first, then the tabs. */
    static const struct key_hint keys[] = {
        /* TRANSLATORS: key hint (n), one or two words: wipe this customer, empty form. */
        {"n", N_("new lookup"), 1},
        /* TRANSLATORS: key hint (Enter), one word: open the selected shipment. */
        {"Enter", N_("open"), HINT_ESSENTIAL},
        /* TRANSLATORS: key hint (/), one word: filter the table as you type. */
        {"/", N_("filter"), 2},
        /* TRANSLATORS: key hint ([ and ]), one word: move the window of dates shown. */
        {"[ ]", N_("window"), 3},
        /* TRANSLATORS: key hint (1-3), one word: the keys that switch tabs. */
        {"1-3", N_("tabs"), 4},
        /* TRANSLATORS: key hint (r), one word: ask the server again. */
        {"r", N_("retry"), 5},
        /* TRANSLATORS: key hint (c), a few words: copy the selected shipment's AWB to
         * the clipboard. */
        {"c", N_("copy AWB"), 6},
        /* TRANSLATORS: key hint (s and S), one word: s sorts the table by the next
         * column, S the other way round. */
        {"s S", N_("sort"), 7},
        /* TRANSLATORS: key hint (q), one word. */
        {"q", N_("quit"), HINT_ESSENTIAL},
        /* TRANSLATORS: help line for Up and Down (a key name), a few words. */
        {N_("Up/Down"), N_("move the selection"), HINT_HELP_ONLY},
        /* TRANSLATORS: help line for PgUp and PgDn (key names), a few words. */
        {N_("PgUp/PgDn"), N_("a page up or down"), HINT_HELP_ONLY},
        /* TRANSLATORS: help line for Home and End (key names), a few words. */
        {N_("Home/End"), N_("first or last row"), HINT_HELP_ONLY},
        /* TRANSLATORS: help line for Esc on the table, a few words. */
        {"Esc", N_("clear a kept filter"), HINT_HELP_ONLY},
        /* TRANSLATORS: help line for [ and ], a few words. */
        {"[", N_("the 91 days before"), HINT_HELP_ONLY},
        {"]", N_("the 91 days after (up to today)"), HINT_HELP_ONLY},
    };
    /* An empty window has nothing to open or filter: the way to other windows first. */
    static const struct key_hint empty_keys[] = {
        {"n", N_("new lookup"), 2},
        /* TRANSLATORS: key hint ([ and ]), one word: move the window of dates shown. */
        {"[ ]", N_("window"), HINT_ESSENTIAL},
        {"1-3", N_("tabs"), 3},
        {"r", N_("retry"), 4},
        {"q", N_("quit"), HINT_ESSENTIAL},
    };
    static const struct key_hint filter_keys[] = {
        /* TRANSLATORS: key hint (Enter), one word: stop typing the filter, keep it. */
        {"Enter", N_("done"), HINT_ESSENTIAL},
        /* TRANSLATORS: key hint (Esc), one word: empty the filter. */
        {"Esc", N_("clear"), HINT_ESSENTIAL},
    };
    struct shipments_view *sv = state;
    const char *head[COLUMNS];
    char sorted[128];
    const char *say = sv->error[0] != '\0'      ? sv->error
                      : ctx->message[0] != '\0' ? ctx->message
                                                : sv->note;
    /* The rows reach the line above the status message. */
    int h = term_status_height(say), first = 4,
        rows = LINES - 1 - (h > 1 ? h : 1) - first, pos_w;
    char window[64], count[256], line[1024], position[64];
    const char *filter = list_filter(&sv->table), *dash = "–", *dot = "·";

    for (int c = 0; c < COLUMNS; c++)
        head[c] = _(headers[c]);
    /* The sort column's header carries an arrow: down from the largest (the newest). */
    snprintf(sorted, sizeof sorted, "%s %s", head[sv->sort],
             descending(sv->sort) != sv->reversed ? "↓" : "↑");
    head[sv->sort] = sorted;
    sv->layout = layout(sv, head);
    if (sv->table.typing)
        term_footer(filter_keys, TERM_COUNT(filter_keys));
    else if (sv->list != NULL && sv->list->n_rows == 0)
        term_footer(empty_keys, TERM_COUNT(empty_keys));
    else
        term_footer(keys, TERM_COUNT(keys));
    term_status(say, sv->error[0] != '\0'      ? UI_ERROR
                     : ctx->message[0] != '\0' ? ctx->message_meaning
                                               : UI_NOTICE);
    /* "2026-08-31 – 2026-11-29 ·", then what is known of it. */
    snprintf(window, sizeof window, "%s %s %s %s", sv->from, dash, sv->to, dot);
    if (sv->list == NULL) {
        snprintf(line, sizeof line, "%s %s", window,
                 sv->loading ? _("asking SkyPostal…")
                             /* TRANSLATORS: r is the key to press. */
                             : _("no list: r asks again"));
        term_text(stdscr, 2, 2, COLS - 3, line, term_attr(UI_HINT));
        wnoutrefresh(stdscr);
        return;
    }
    if (filter[0] != '\0' || sv->table.typing) {
        snprintf(count, sizeof count,
                 /* TRANSLATORS: how many shipments the filter lets through, of how many;
                  * the plural goes with the second number. */
                 P_("%zu of %zu shipment", "%zu of %zu shipments", sv->list->n_rows),
                 list_shown(&sv->table), sv->list->n_rows);
        snprintf(line, sizeof line, "%s %s %s /%s%s", window, count, dot, filter,
                 sv->table.typing ? "_" : "");
    } else {
        snprintf(count, sizeof count,
                 /* TRANSLATORS: the count of the shipments in the window of dates. */
                 P_("%zu shipment", "%zu shipments", sv->list->n_rows), sv->list->n_rows);
        snprintf(line, sizeof line, "%s %s%s%s", window, count, sv->loading ? " " : "",
                 /* TRANSLATORS: after the count, while the next window is fetched. */
                 sv->loading ? _("(asking for the new window…)") : "");
    }
    /* The position at the right end of the line, the window and count before it. */
    list_position(&sv->table, position, sizeof position);
    pos_w = term_width(position);
    term_text(stdscr, 2, COLS - 1 - pos_w, pos_w, position, A_BOLD);
    term_text(stdscr, 2, 2, COLS - 5 - pos_w, line, A_BOLD);
    mvhline(3, 0, ' ', COLS);
    draw_row(3, 1, COLS - 2, &sv->layout, head, term_attr(UI_COLUMNS));
    if (sv->list->n_rows == 0) {
        /* TRANSLATORS: the table of a window of dates without shipments; [ and ] are the
         * keys that move the window. */
        snprintf(line, sizeof line, "%s",
                 _("No shipments in this window: [ older, ] newer"));
        term_text(stdscr, first, 2, COLS - 3, line, term_attr(UI_HINT));
    } else if (list_shown(&sv->table) == 0 && filter[0] != '\0') {
        /* TRANSLATORS: the table's filter lets no shipment through; %s is the filter. */
        snprintf(line, sizeof line, _("No shipment matches “%s”"), filter);
        term_text(stdscr, first, 2, COLS - 3, line, term_attr(UI_HINT));
    }
    list_draw(&sv->table, first, rows);
    wnoutrefresh(stdscr);
}

/* Asks the desk for the shipments of the window from .. to. */
static void
fetch(struct shipments_view *sv, struct ui_ctx *ctx)
{
    struct bl_error err = {0};

    sv->loading = 1;
    sv->error[0] = '\0';
    if (desk_fetch_shipments(ctx->desk, sv->from, sv->to, &err) != 0) {
        sv->loading = 0;
        snprintf(sv->error, sizeof sv->error, _("Shipments: %s"), err.message);
    }
    error_clear(&err);
}

/* How far [ and ] move the window: its own length, so that neighbours share no day. */
#define WINDOW_STEP (VALUE_WINDOW_DAYS + 1)

/* Moves the window a step back (-1) or forward (1) and asks for it; forward it stops at
 * the window that ends today. Returns 0, or -1 when it is already there. */
static int
move_window(struct shipments_view *sv, struct ui_ctx *ctx, int way)
{
    struct value_date from, to, today = value_date_today();

    if (value_date(sv->from, "from", &from, NULL) != 0 ||
        value_date(sv->to, "to", &to, NULL) != 0)
        return 0;
    if (way > 0 && value_date_compare(&to, &today) >= 0)
        return -1;
    from = value_date_add(from, (long)way * WINDOW_STEP);
    to = value_date_add(to, (long)way * WINDOW_STEP);
    if (value_date_compare(&to, &today) > 0) {
        to = today;
        from = value_date_add(today, -VALUE_WINDOW_DAYS);
    }
    value_date_format(&from, sv->from);
    value_date_format(&to, sv->to);
    fetch(sv, ctx);
    return 0;
}

/* A key while the filter is being typed: Enter keeps it, Esc clears it; the list takes
 * the rest (the filter's text, the selection's moves). */
static struct reaction
filter_key(struct shipments_view *sv, int ret, wint_t ch)
{
    if (ret == OK && ch == 27) {
        list_set_filter(&sv->table, "");
        sv->table.typing = 0;
    } else if ((ret == OK && (ch == '\r' || ch == '\n')) ||
               (ret == KEY_CODE_YES && ch == KEY_ENTER)) {
        sv->table.typing = 0;
    } else if (!list_key(&sv->table, ret, ch)) {
        return REACT_NONE;
    }
    return REACT_REDRAW;
}

/* Enter: the selected shipment opens. */
static struct reaction
open_selected(const struct shipments_view *sv)
{
    long at = list_selected(&sv->table);

    if (at < 0)
        return REACT_NONE;
    return (struct reaction){
        .redo = REDO_DRAW, .go = GO_OPEN, .awb = row_at(sv, (size_t)at)->awb};
}

static struct reaction
shipments_key(void *state, struct ui_ctx *ctx, int ret, wint_t ch)
{
    struct shipments_view *sv = state;

    if (ret == KEY_CODE_YES && ch == KEY_F(10))
        return REACT_QUIT;
    if (sv->table.typing)
        return filter_key(sv, ret, ch);
    if (list_key(&sv->table, ret, ch))
        return REACT_REDRAW;
    if (ret == KEY_CODE_YES)
        return ch == KEY_ENTER ? open_selected(sv) : REACT_PASS;
    switch (ch) {
    case '/':
        sv->table.typing = 1;
        return REACT_REDRAW;
    case 27: /* clears a kept filter */
        if (list_filter(&sv->table)[0] == '\0')
            return REACT_PASS;
        list_set_filter(&sv->table, "");
        return REACT_REDRAW;
    case '[':
    case ']':
        if (ctx->session == NULL)
            return REACT_NONE;
        if (move_window(sv, ctx, ch == '[' ? -1 : 1) != 0)
            /* TRANSLATORS: ] pressed on the window that ends today. */
            ui_say(ctx, UI_NOTICE, "%s", _("This window ends today: [ goes back"));
        return REACT_REDRAW;
    case 'c':
    case 'C':
        if (list_selected(&sv->table) >= 0)
            ui_copy_awb(ctx, row_at(sv, (size_t)list_selected(&sv->table))->awb);
        return REACT_REDRAW;
    case 's': /* the next column shown, in its own direction; the selection stays put */
        for (int i = 0; i < COLUMNS; i++) {
            sv->sort = (enum column)((sv->sort + 1) % COLUMNS);
            if (sv->layout.width[sv->sort] > 0)
                break;
        }
        sv->reversed = 0;
        table_changed(sv);
        return REACT_REDRAW;
    case 'S':
        sv->reversed = !sv->reversed;
        table_changed(sv);
        return REACT_REDRAW;
    case 'r':
    case 'R':
        if (ctx->session == NULL || sv->loading)
            return REACT_NONE;
        fetch(sv, ctx);
        return REACT_REDRAW;
    case '\r':
    case '\n':
        return open_selected(sv);
    default:
        return REACT_PASS;
    }
}

/* The desk's shipments part answered: its rows, or why not. */
static struct reaction
shipments_news(void *state, struct ui_ctx *ctx, const struct desk_news *news)
{
    struct shipments_view *sv = state;
    const struct desk *d = ctx->desk;

    if (!(news->changed & DESK_SHIPMENTS) || d->shipments.state == DESK_LOADING)
        return REACT_NONE;
    sv->loading = 0;
    if (d->shipments.state == DESK_FAILED) {
        /* The dates go back to the rows still shown. */
        memcpy(sv->from, d->asked_from, sizeof sv->from);
        memcpy(sv->to, d->asked_to, sizeof sv->to);
        /* TRANSLATORS: the shipments could not be fetched; %s says why. */
        snprintf(sv->error, sizeof sv->error, _("Shipments: %s"), d->shipments.error);
        return REACT_REDRAW;
    }
    if (d->list == NULL)
        return REACT_REDRAW;
    sv->error[0] = '\0';
    sv->list = d->list;
    memcpy(sv->from, d->list_from, sizeof sv->from);
    memcpy(sv->to, d->list_to, sizeof sv->to);
    memcpy(sv->list_from, d->list_from, sizeof sv->list_from);
    memcpy(sv->list_to, d->list_to, sizeof sv->list_to);
    measure(sv);
    table_changed(sv);
    /* Said here, where the rows are, not on whichever tab is shown when they arrive. */
    sv->note[0] = '\0';
    if (sv->list->skipped > 0)
        snprintf(sv->note, sizeof sv->note,
                 P_("%zu row could not be read", "%zu rows could not be read",
                    sv->list->skipped),
                 sv->list->skipped);
    return REACT_REDRAW;
}

/* Left and Right on a shipment: the one before or after it in the table as shown. */
static uint64_t
shipments_step(void *state, uint64_t awb, int way)
{
    struct shipments_view *sv = state;
    char key[24];
    long at;

    if (sv->list == NULL)
        return 0;
    snprintf(key, sizeof key, "%llu", (unsigned long long)awb);
    at = list_step(&sv->table, key, way);
    return at < 0 ? 0 : row_at(sv, (size_t)at)->awb;
}

/* The filter is being typed. */
static int
shipments_typing(const void *state)
{
    return ((const struct shipments_view *)state)->table.typing;
}

const struct screen shipments_screen = {
    /* TRANSLATORS: tab label of the account view (key 3), one short word. */
    .tab = N_("Shipments"),     .tab_state = shipments_tab_state,
    .create = shipments_create, .destroy = shipments_destroy,
    .reset = shipments_reset,   .enter = shipments_enter,
    .draw = shipments_draw,     .key = shipments_key,
    .news = shipments_news,     .typing = shipments_typing,
    .step = shipments_step,
};
