/*
 * The Shipments tab: the shipments of a window, newest first, in a table that
 * fits the terminal; a selection, paging, a filter as you type, the window moved
 * 90 days at a time, and Enter to open one.
 */
#include "screen.h"
#include "../src/i18n.h"
#include "../src/value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILTER_MAX 64

struct shipments_view {
    const struct account_shipments *list; /* the desk's; NULL until it arrives */
    char from[11], to[11];           /* the window shown, or asked for while it loads */
    char list_from[11], list_to[11]; /* the window of the rows in list */
    char error[512];
    int loading; /* the desk is asking for a window */
    size_t *shown; /* indices of the rows the filter lets through */
    size_t n_shown;
    size_t sel, top; /* selection and first row on screen, in shown */
    wchar_t filter[FILTER_MAX + 1];
    int filtering; /* '/' was pressed: keys go to the filter */
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
    free(sv->shown);
    sv->shown = NULL;
    sv->n_shown = sv->sel = sv->top = 0;
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

/* Whether text contains needle (ASCII letters in any case). */
static int
contains(const char *text, const char *needle)
{
    size_t n = strlen(needle);

    if (n == 0)
        return 1;
    for (; text != NULL && *text != '\0'; text++)
        if (strncasecmp(text, needle, n) == 0)
            return 1;
    return 0;
}

/* Which rows the filter lets through: AWB, external tracking, merchant, content, status.
 */
static void
apply_filter(struct shipments_view *sv)
{
    char needle[FILTER_MAX * 4 + 1];
    size_t n = 0;

    free(sv->shown);
    sv->shown = NULL;
    sv->n_shown = 0;
    if (sv->list == NULL ||
        (sv->shown = calloc(sv->list->n_rows + 1, sizeof *sv->shown)) == NULL)
        return;
    if (wcstombs(needle, sv->filter, sizeof needle) == (size_t)-1)
        needle[0] = '\0';
    for (size_t i = 0; i < sv->list->n_rows; i++) {
        const struct account_shipment_row *r = &sv->list->rows[i];
        char awb[24];

        snprintf(awb, sizeof awb, "%llu", (unsigned long long)r->awb);
        if (contains(awb, needle) || contains(r->external_tracking, needle) ||
            contains(r->merchant, needle) || contains(r->content, needle) ||
            contains(r->status, needle))
            sv->shown[n++] = i;
    }
    sv->n_shown = n;
    if (sv->sel >= n)
        sv->sel = n > 0 ? n - 1 : 0;
}

static void
amount(char *out, size_t size, struct jsonread_number n)
{
    if (n.known)
        snprintf(out, size, "%.2f", n.value);
    else
        snprintf(out, size, "%s", "—");
}

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

/* The widths of the table's columns for the terminal (0: left out): each at least as wide
 * as its translated header where there is room; the text ones share what is left. */
struct layout {
    int width[COLUMNS];
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
    /* The AWB column as wide as the widest AWB shown (digits: one column each). */
    for (size_t i = 0; sv->list != NULL && i < sv->n_shown; i++) {
        char awb[24];
        int n = snprintf(awb, sizeof awb, "%llu",
                         (unsigned long long)sv->list->rows[sv->shown[i]].awb);

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

/* Draws one row: the cells at their columns, a number right-aligned in its width. */
static void
draw_row(int y, const struct layout *l, const char *const cells[COLUMNS], attr_t a)
{
    int x = 1;

    mvhline(y, 0, ' ', COLS);
    for (int c = 0; c < COLUMNS && x < COLS - 1; c++) {
        int right = c == COL_AWB || c >= COL_VALUE, w = l->width[c];

        if (w <= 0)
            continue;
        if (w > COLS - 1 - x)
            w = COLS - 1 - x; /* a narrow terminal and long headers: cut, not wrapped */
        if (right) {
            int tw = term_width(cells[c]);

            term_text(stdscr, y, x + (tw < w ? w - tw : 0), w, cells[c], a);
        } else {
            term_text(stdscr, y, x, w, cells[c], a);
        }
        x += w + 2;
    }
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
        /* TRANSLATORS: key hint (q), one word. */
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
    struct layout l;
    int first = 4, rows = LINES - 3 - first;
    char window[64], count[256], line[1024], filter[FILTER_MAX * 4 + 1];
    const char *dash = "–", *dot = "·";

    for (int c = 0; c < COLUMNS; c++)
        head[c] = _(headers[c]);
    l = layout(sv, head);
    if (wcstombs(filter, sv->filter, sizeof filter) == (size_t)-1)
        filter[0] = '\0';
    if (sv->filtering)
        term_footer(filter_keys, TERM_COUNT(filter_keys));
    else
        term_footer(keys, TERM_COUNT(keys));
    if (sv->error[0] != '\0')
        term_status(sv->error, UI_ERROR);
    else if (ctx->message[0] != '\0')
        term_status(ctx->message, ctx->message_meaning);
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
    if (filter[0] != '\0' || sv->filtering) {
        snprintf(count, sizeof count,
                 /* TRANSLATORS: how many shipments the filter lets through, of how many;
                  * the plural goes with the second number. */
                 P_("%zu of %zu shipment", "%zu of %zu shipments", sv->list->n_rows),
                 sv->n_shown, sv->list->n_rows);
        snprintf(line, sizeof line, "%s %s %s /%s%s", window, count, dot, filter,
                 sv->filtering ? "_" : "");
    } else {
        snprintf(count, sizeof count,
                 /* TRANSLATORS: the count of the shipments in the window of dates. */
                 P_("%zu shipment", "%zu shipments", sv->list->n_rows), sv->list->n_rows);
        snprintf(line, sizeof line, "%s %s%s%s", window, count, sv->loading ? " " : "",
                 /* TRANSLATORS: after the count, while the next window is fetched. */
                 sv->loading ? _("(asking for the new window…)") : "");
    }
    term_text(stdscr, 2, 2, COLS - 3, line, A_BOLD);
    draw_row(3, &l, head, term_attr(UI_HINT));
    if (sv->sel < sv->top)
        sv->top = sv->sel;
    if (rows > 0 && sv->sel >= sv->top + (size_t)rows)
        sv->top = sv->sel - (size_t)rows + 1;
    for (int i = 0; i < rows && sv->top + (size_t)i < sv->n_shown; i++) {
        size_t at = sv->top + (size_t)i;
        const struct account_shipment_row *r = &sv->list->rows[sv->shown[at]];
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
        draw_row(first + i, &l, cells, at == sv->sel ? A_REVERSE : A_NORMAL);
    }
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

/* Moves the window days days (back when negative) and asks for it. */
static void
move_window(struct shipments_view *sv, struct ui_ctx *ctx, long days)
{
    struct value_date from, to;

    if (value_date(sv->from, "from", &from, NULL) != 0 ||
        value_date(sv->to, "to", &to, NULL) != 0)
        return;
    from = value_date_add(from, days);
    to = value_date_add(to, days);
    value_date_format(&from, sv->from);
    value_date_format(&to, sv->to);
    fetch(sv, ctx);
}

/* A key while the filter is being typed. */
static struct reaction
filter_key(struct shipments_view *sv, int ret, wint_t ch)
{
    size_t n = wcslen(sv->filter);

    if (ret == OK && ch == 27) {
        sv->filter[0] = L'\0';
        sv->filtering = 0;
    } else if ((ret == OK && (ch == '\r' || ch == '\n')) ||
               (ret == KEY_CODE_YES && ch == KEY_ENTER)) {
        sv->filtering = 0;
        return REACT_REDRAW;
    } else if ((ret == OK && (ch == 0x7f || ch == 0x08)) ||
               (ret == KEY_CODE_YES && ch == KEY_BACKSPACE)) {
        if (n > 0)
            sv->filter[n - 1] = L'\0';
    } else if (ret == OK && ch >= 0x20 && !(ch >= 0x7f && ch < 0xa0) && n < FILTER_MAX) {
        sv->filter[n] = (wchar_t)ch;
        sv->filter[n + 1] = L'\0';
    } else {
        return REACT_NONE;
    }
    apply_filter(sv);
    return REACT_REDRAW;
}

static struct reaction
shipments_key(void *state, struct ui_ctx *ctx, int ret, wint_t ch)
{
    struct shipments_view *sv = state;
    size_t page = LINES > 10 ? (size_t)LINES - 7 : 1;

    if (ret == KEY_CODE_YES && ch == KEY_F(10))
        return REACT_QUIT;
    if (sv->filtering)
        return filter_key(sv, ret, ch);
    if (ret == KEY_CODE_YES) {
        switch (ch) {
        case KEY_UP:
            sv->sel -= sv->sel > 0;
            break;
        case KEY_DOWN:
            sv->sel += sv->sel + 1 < sv->n_shown;
            break;
        case KEY_PPAGE:
            sv->sel = sv->sel > page ? sv->sel - page : 0;
            break;
        case KEY_NPAGE:
            sv->sel = sv->sel + page < sv->n_shown ? sv->sel + page
                      : sv->n_shown > 0            ? sv->n_shown - 1
                                                   : 0;
            break;
        case KEY_HOME:
            sv->sel = 0;
            break;
        case KEY_END:
            sv->sel = sv->n_shown > 0 ? sv->n_shown - 1 : 0;
            break;
        case KEY_ENTER:
            goto open;
        default:
            return REACT_PASS;
        }
        return REACT_REDRAW;
    }
    switch (ch) {
    case '/':
        sv->filtering = 1;
        return REACT_REDRAW;
    case 27:
        if (sv->filter[0] == L'\0')
            return REACT_PASS;
        sv->filter[0] = L'\0';
        apply_filter(sv);
        return REACT_REDRAW;
    case '[':
    case ']':
        if (ctx->session == NULL)
            return REACT_NONE;
        move_window(sv, ctx, ch == '[' ? -VALUE_WINDOW_DAYS : VALUE_WINDOW_DAYS);
        return REACT_REDRAW;
    case 'r':
    case 'R':
        if (ctx->session == NULL || sv->loading)
            return REACT_NONE;
        fetch(sv, ctx);
        return REACT_REDRAW;
    case '\r':
    case '\n':
        goto open;
    default:
        return REACT_PASS;
    }
open:
    if (sv->n_shown == 0)
        return REACT_NONE;
    return (struct reaction){
        .redo = REDO_DRAW, .go = GO_OPEN, .awb = sv->list->rows[sv->shown[sv->sel]].awb};
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
    drop_list(sv);
    sv->error[0] = '\0';
    sv->list = d->list;
    memcpy(sv->from, d->list_from, sizeof sv->from);
    memcpy(sv->to, d->list_to, sizeof sv->to);
    memcpy(sv->list_from, d->list_from, sizeof sv->list_from);
    memcpy(sv->list_to, d->list_to, sizeof sv->list_to);
    apply_filter(sv);
    if (sv->list->skipped > 0)
        ui_say(ctx, UI_NOTICE,
               P_("%zu row could not be read", "%zu rows could not be read",
                  sv->list->skipped),
               sv->list->skipped);
    return REACT_REDRAW;
}

/* The filter is being typed. */
static int
shipments_typing(const void *state)
{
    return ((const struct shipments_view *)state)->filtering;
}

const struct screen shipments_screen = {
    /* TRANSLATORS: tab label of the account view (key 3), one short word. */
    .tab = N_("Shipments"),     .tab_state = shipments_tab_state,
    .create = shipments_create, .destroy = shipments_destroy,
    .reset = shipments_reset,   .enter = shipments_enter,
    .draw = shipments_draw,     .key = shipments_key,
    .news = shipments_news,     .typing = shipments_typing,
};
