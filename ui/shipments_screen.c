/*
 * The Shipments tab: the shipments of a window, newest first, in a table that
 * fits the terminal; a selection, paging, a filter as you type, the window moved
 * 91 days at a time (neighbouring windows share no day) up to today, and Enter to
 * open one.
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
    COLUMNS
};

/* The widths of the table's columns for the terminal (0: left out): each at least as wide
 * as its translated header where there is room; the text ones share what is left. */
struct layout {
    int width[COLUMNS];
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
    curs_set(0);
}

static void
amount(char *out, size_t size, struct jsonread_number n)
{
    if (n.known)
        snprintf(out, size, "%.2f", n.value);
    else
        snprintf(out, size, "%s", "—");
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
    /* TRANSLATORS: table header, upper case, keep short: the weight charged for. */
    [COL_CHARGED] = N_("CHARGED"),
    /* TRANSLATORS: table header, upper case, keep short: the total charged. */
    [COL_TOTAL] = N_("TOTAL"),
};

static int
at_least(int w, int least)
{
    return w > least ? w : least;
}

static struct layout
layout(const struct shipments_view *sv, const char *const head[COLUMNS])
{
    struct layout l = {{0}};
    int hw[COLUMNS], *w = l.width, left, fixed = 0;

    for (int c = 0; c < COLUMNS; c++)
        hw[c] = term_width(head[c]);
    w[COL_RECEIVED] = at_least(10, hw[COL_RECEIVED]);
    w[COL_AWB] = at_least(3, hw[COL_AWB]);
    w[COL_STATUS] = at_least(6, hw[COL_STATUS]);
    w[COL_VALUE] = at_least(7, hw[COL_VALUE]);
    w[COL_CHARGED] = at_least(7, hw[COL_CHARGED]);
    w[COL_TOTAL] = at_least(7, hw[COL_TOTAL]);
    /* The AWB column as wide as the widest AWB of the window (digits: one column each),
     * so that it stays put while the filter changes. */
    for (size_t i = 0; sv->list != NULL && i < sv->list->n_rows; i++) {
        char awb[24];
        int n =
            snprintf(awb, sizeof awb, "%llu", (unsigned long long)sv->list->rows[i].awb);

        w[COL_AWB] = at_least(w[COL_AWB], n);
    }
    for (int c = 0; c < COLUMNS; c++)
        if (c != COL_MERCHANT && c != COL_CONTENT)
            fixed += w[c];
    left = COLS - 2 - fixed - (COLUMNS - 1) * 2;
    /* Merchant and content need room to be read: the charged weight goes first, then the
     * value. */
    if (left < 24) {
        left += w[COL_CHARGED] + 2;
        w[COL_CHARGED] = 0;
    }
    if (left < 24) {
        left += w[COL_VALUE] + 2;
        w[COL_VALUE] = 0;
    }
    /* Two fifths to the merchant, but both headers whole when they fit. */
    w[COL_MERCHANT] = left * 2 / 5;
    if (left >= hw[COL_MERCHANT] + hw[COL_CONTENT]) {
        w[COL_MERCHANT] = at_least(w[COL_MERCHANT], hw[COL_MERCHANT]);
        if (left - w[COL_MERCHANT] < hw[COL_CONTENT])
            w[COL_MERCHANT] = left - hw[COL_CONTENT];
    }
    w[COL_CONTENT] = left - w[COL_MERCHANT];
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
        int right = c == COL_AWB || c >= COL_VALUE, w = l->width[c];

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
    const struct shipments_view *sv = data;

    snprintf(out, size, "%llu", (unsigned long long)sv->list->rows[i].awb);
}

/* The filter looks at the AWB, the external tracking, the merchant, the content and the
 * status. */
static int
row_matches(const void *data, size_t i, const char *needle)
{
    const struct shipments_view *sv = data;
    const struct account_shipment_row *r = &sv->list->rows[i];
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
    const struct account_shipment_row *r = &sv->list->rows[i];
    char date[11], awb[24], value[32], charged[32], total[32];
    const char *blank = "—";
    const char *cells[COLUMNS];

    snprintf(date, sizeof date, "%.10s", r->received[0] ? r->received : blank);
    snprintf(awb, sizeof awb, "%llu", (unsigned long long)r->awb);
    amount(value, sizeof value, r->value);
    amount(charged, sizeof charged, r->weight_charged);
    amount(total, sizeof total, r->charge_total);
    cells[COL_RECEIVED] = date;
    cells[COL_AWB] = awb;
    cells[COL_MERCHANT] = r->merchant != NULL ? r->merchant : blank;
    cells[COL_CONTENT] = r->content != NULL ? r->content : blank;
    cells[COL_STATUS] = r->status != NULL ? r->status : blank;
    cells[COL_VALUE] = value;
    cells[COL_CHARGED] = charged;
    cells[COL_TOTAL] = total;
    draw_row(y, x, width, &sv->layout, cells, a);
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
    list_set_items(&sv->table, &table_rows, sv, sv->list != NULL ? sv->list->n_rows : 0);
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
        .redo = REDO_DRAW, .go = GO_OPEN, .awb = sv->list->rows[at].awb};
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
            ui_copy_awb(ctx, sv->list->rows[list_selected(&sv->table)].awb);
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
};
