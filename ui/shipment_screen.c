/* One shipment: its fields and its tracking events, newest first, scrollable. */
#include "screen.h"
#include "../src/i18n.h"
#include "../src/wcfdate.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct shipment_view {
    const struct account_shipment *shipment; /* the desk's; NULL until it arrives */
    uint64_t awb;                            /* the one shown or asked for */
    char error[512];
    int loading;
    int top; /* the first line shown (scrolling) */
};

static void *
shipment_create(struct ui_ctx *ctx)
{
    (void)ctx;
    return calloc(1, sizeof(struct shipment_view));
}

static void
shipment_reset(void *state, struct ui_ctx *ctx)
{
    (void)ctx;
    memset(state, 0, sizeof(struct shipment_view));
}

static void
shipment_destroy(void *state)
{
    free(state);
}

/* Opening a shipment asks the desk for it, unless it is the one already here. */
static void
shipment_enter(void *state, struct ui_ctx *ctx)
{
    struct shipment_view *sv = state;
    struct bl_error err = {0};

    term_cursor(0);
    if (ctx->session == NULL ||
        (sv->awb == ctx->opened && (sv->shipment != NULL || sv->loading)))
        return;
    sv->shipment = NULL;
    sv->awb = ctx->opened;
    sv->top = 0;
    sv->error[0] = '\0';
    sv->loading = 1;
    if (desk_fetch_shipment(ctx->desk, sv->awb, &err) != 0) {
        sv->loading = 0;
        snprintf(sv->error, sizeof sv->error, "%s", err.message);
    }
    error_clear(&err);
}

/* Back to the table: a shipment still on its way is no longer wanted, and its request
 * must not hold the next ones back. */
static void
shipment_leave(void *state, struct ui_ctx *ctx)
{
    struct shipment_view *sv = state;

    if (!sv->loading)
        return;
    desk_leave_shipment(ctx->desk);
    sv->loading = 0;
    sv->awb = 0;
}

static void
amount(char *out, size_t size, struct jsonread_number n, const char *unit)
{
    if (n.known)
        snprintf(out, size, "%.2f%s%s", n.value, unit != NULL ? " " : "",
                 unit != NULL ? unit : "");
    else
        out[0] = '\0';
}

/* The labels of a shipment, in the agent's language where drawn: what the agent is
 * asked first (where it stands, its latest event, what it cost) comes first. */
enum shipment_label {
    L_STATUS,
    L_LATEST,
    L_TOTAL,
    L_WEIGHT,
    L_VALUE,
    L_CONTENT,
    L_MERCHANT,
    L_PIECES,
    L_FROM,
    L_TO,
    L_RECIPIENT,
    L_ADDRESS,
    L_CITY,
    L_STATE,
    L_COUNTRY,
    L_TRACKING,
    L_COUNT
};

/* The labels; the short ambiguous ones have a context, in label(). */
static const char *const labels[L_COUNT] = {
    /* TRANSLATORS: label of a shipment: where it stands (e.g. in transit). */
    [L_STATUS] = N_("Status"),
    /* TRANSLATORS: label of a shipment: its newest tracking event (time, place, what
     * happened). */
    [L_LATEST] = N_("Latest event"),
    /* TRANSLATORS: label of a shipment: what is in the parcel. */
    [L_CONTENT] = N_("Content"),
    /* TRANSLATORS: label of a shipment: the shop that sent it. */
    [L_MERCHANT] = N_("Merchant"),
    /* TRANSLATORS: label of a shipment: the declared value of the content. */
    [L_VALUE] = N_("Value"),
    /* TRANSLATORS: label of a shipment: the total charged. */
    [L_TOTAL] = N_("Total"),
    /* TRANSLATORS: label of a shipment: the weight it was charged for. */
    [L_WEIGHT] = N_("Charged weight"),
    /* TRANSLATORS: label of a shipment: how many parcels. */
    [L_PIECES] = N_("Pieces"),
    /* From and To: label() */
    /* TRANSLATORS: label of a shipment: who receives it. */
    [L_RECIPIENT] = N_("Recipient"),
    /* TRANSLATORS: label of a shipment: the delivery address. */
    [L_ADDRESS] = N_("Address"),
    /* TRANSLATORS: label of a shipment: the city of the delivery address. */
    [L_CITY] = N_("City"),
    /* State: label() */
    /* TRANSLATORS: label of a shipment: the country of the delivery address. */
    [L_COUNTRY] = N_("Country"),
    /* TRANSLATORS: label of a shipment, above its tracking events. */
    [L_TRACKING] = N_("Tracking"),
};

/* A label in the agent's language. */
static const char *
label(enum shipment_label l)
{
    switch (l) {
    case L_FROM:
        /* TRANSLATORS: label of a shipment: the place it was sent from. */
        return C_("shipment", "From");
    case L_TO:
        /* TRANSLATORS: label of a shipment: the place it goes to. */
        return C_("shipment", "To");
    case L_STATE:
        /* TRANSLATORS: label of a shipment: the state or province of the delivery
         * address (not its status). */
        return C_("address", "State");
    default:
        return _(labels[l]);
    }
}

/* The screen line of body line row when it is within first..last, else -1; advances
 * *row either way. */
static int
body_line(int *row, int top, int first, int last)
{
    int y = first + (*row)++ - top;

    return y >= first && y <= last ? y : -1;
}

/* The columns of the events' table: time, place, code; the description has the rest. */
struct event_columns {
    int time, place, code;
};

static int
widest(int w, const char *s)
{
    int n = s != NULL ? term_width(s) : 0;

    return n > w ? n : w;
}

/* The headers of the events' table, translated where drawn. */
static const char *const event_headers[4] = {
    /* TRANSLATORS: header of the tracking events' table, upper case, keep short: when
     * the event happened. */
    N_("TIME"),
    /* TRANSLATORS: header of the tracking events' table, upper case, keep short: where
     * it happened (an airport or city code). */
    N_("PLACE"),
    /* TRANSLATORS: header of the tracking events' table, upper case, keep short: the
     * event's code. */
    N_("CODE"),
    /* TRANSLATORS: header of the tracking events' table, upper case, keep short: what
     * happened, and a note. */
    N_("EVENT"),
};

static struct event_columns
event_columns(const struct account_shipment *s)
{
    struct event_columns c = {term_width(_(event_headers[0])),
                              term_width(_(event_headers[1])),
                              term_width(_(event_headers[2]))};

    for (size_t i = 0; i < s->n_events; i++) {
        char when[WCFDATE_SCREEN_SIZE];

        wcfdate_readable(s->events[i].time, when);
        c.time = widest(c.time, when);
        c.place = widest(c.place, s->events[i].location);
        c.code = widest(c.code, s->events[i].code);
    }
    /* Places and codes are short codes: a long one is cut, the description keeps room. */
    if (c.place > 12)
        c.place = 12;
    if (c.code > 10)
        c.code = 10;
    return c;
}

/* One line of the events' table at y: the cells at their columns. */
static void
event_line(int y, const struct event_columns *c, const char *when, const char *place,
           const char *code, const char *what, attr_t a)
{
    int x = 2, end = COLS - 1;

    if (a != A_NORMAL)
        mvhline(y, 1, ' ' | a, COLS - 2);
    term_text(stdscr, y, x, c->time < end - x ? c->time : end - x, when, a);
    x += c->time + 2;
    if (x < end)
        term_text(stdscr, y, x, c->place < end - x ? c->place : end - x, place, a);
    x += c->place + 2;
    if (x < end)
        term_text(stdscr, y, x, c->code < end - x ? c->code : end - x, code, a);
    x += c->code + 2;
    if (x < end)
        term_text(stdscr, y, x, end - x, what, a);
}

static void
shipment_draw(void *state, struct ui_ctx *ctx)
{
    /* The way out and back stay; scrolling goes first, then a new lookup. */
    static const struct key_hint keys[] = {
        /* TRANSLATORS: key hint (Esc), one word: back to the table of shipments. */
        {"Esc", N_("back"), HINT_ESSENTIAL},
        /* TRANSLATORS: key hint (Left and Right arrows, a key name), keep short. */
        {
            N_("Left/Right"),
            /* TRANSLATORS: key hint (Left/Right), one or two words: the previous or next
             * shipment of the table. */
            N_("prev/next"),
            4,
        },
        {
            /* TRANSLATORS: key hint: the arrow keys (a key name), keep short. */
            N_("Up/Down"),
            /* TRANSLATORS: key hint (Up/Down), one word: move the view up or down. */
            N_("scroll"),
            2,
        },
        /* TRANSLATORS: key hint (n), one or two words: wipe this customer, empty form. */
        {"n", N_("new lookup"), 1},
        /* TRANSLATORS: key hint (c), a few words: copy the selected shipment's AWB to
         * the clipboard. */
        {"c", N_("copy AWB"), 3},
        /* TRANSLATORS: key hint (q), one word. */
        {"q", N_("quit"), HINT_ESSENTIAL},
        /* TRANSLATORS: help line for PgUp and PgDn (key names), a few words. */
        {N_("PgUp/PgDn"), N_("scroll a page"), HINT_HELP_ONLY},
        /* TRANSLATORS: help line for Home and End (key names), a few words. */
        {N_("Home/End"), N_("first or last page"), HINT_HELP_ONLY},
    };
    struct shipment_view *sv = state;
    const struct account_shipment *s = sv->shipment;
    const char *say = sv->error[0] != '\0' ? sv->error : ctx->message;
    int h = term_status_height(say), first = 3, last = LINES - 2 - (h > 1 ? h : 1), row,
        widest_label = 0, lw;
    char tracking[128], latest[1024], when_latest[WCFDATE_SCREEN_SIZE];
    const char *latest_rest =
        NULL; /* the event on a line of its own, when it is narrow */
    char title[128], value[48], total[48], weight[64], pieces[24];
    const char *values[L_COUNT];
    attr_t attrs[L_COUNT];
    struct event_columns ec;

    term_footer(keys, TERM_COUNT(keys));
    /* TRANSLATORS: title of one shipment; %llu is its AWB number. */
    snprintf(title, sizeof title, _("Shipment %llu"), (unsigned long long)sv->awb);
    term_text(stdscr, 1, 2, COLS - 3, title, term_attr(UI_TITLE));
    /* Whose shipment it is, for the ticket: the customer's name and box ID, under the
     * title. */
    if (ctx->session != NULL) {
        char whose[512];

        /* TRANSLATORS: under a shipment's title: %s is the customer's name, %llu the
         * box ID. */
        snprintf(whose, sizeof whose, _("%s · Box ID %llu"),
                 ctx->session->name != NULL ? ctx->session->name
                                            : _("(no name on record)"),
                 (unsigned long long)ctx->session->box_id);
        term_text(stdscr, 2, 2, COLS - 3, whose, term_attr(UI_HINT));
    }
    term_status(say, sv->error[0] != '\0' ? UI_ERROR : ctx->message_meaning);
    if (s == NULL) {
        term_text(stdscr, first, 2, COLS - 3,
                  sv->loading ? _("Asking SkyPostal for the shipment…") : "",
                  term_attr(UI_HINT));
        wnoutrefresh(stdscr);
        return;
    }
    if (sv->top < 0)
        sv->top = 0;
    amount(value, sizeof value, s->value, NULL);
    amount(total, sizeof total, s->total, NULL);
    amount(weight, sizeof weight, s->weight_charged, s->weight_unit);
    if (s->pieces_known)
        snprintf(pieces, sizeof pieces, "%llu", (unsigned long long)s->pieces);
    else
        pieces[0] = '\0';
    values[L_STATUS] = s->status;
    values[L_CONTENT] = s->content;
    values[L_MERCHANT] = s->merchant;
    values[L_VALUE] = value;
    values[L_TOTAL] = total;
    values[L_WEIGHT] = weight;
    values[L_PIECES] = pieces;
    values[L_FROM] = s->origin;
    values[L_TO] = s->destination;
    values[L_RECIPIENT] = s->recipient;
    values[L_ADDRESS] = s->address;
    values[L_CITY] = s->city;
    values[L_STATE] = s->state;
    values[L_COUNTRY] = s->country;
    values[L_LATEST] = NULL;
    if (s->n_events == 0) {
        /* TRANSLATORS: beside "Tracking": the shipment has no tracking events. */
        values[L_TRACKING] = _("no events");
    } else {
        const struct account_event *e = &s->events[0];
        /* The newest event in a line: "2019-02-21 09:56 (UTC−05:00) · BOG · DELIVERED".
         */
        wcfdate_readable(e->time, when_latest);
        snprintf(latest, sizeof latest, "%s · %s · %s%s%s", when_latest,
                 e->location ? e->location : "—", e->description ? e->description : "—",
                 e->note ? " · " : "", e->note ? e->note : "");
        values[L_LATEST] = latest;
        /* TRANSLATORS: beside "Tracking": the events below are listed newest first. */
        values[L_TRACKING] = _("newest first");
    }
    /* The events' times are the server's local time: its offset said once when they all
     * share it ("newest first · UTC−05:00"). */
    if (s->n_events > 0) {
        char when[WCFDATE_SCREEN_SIZE];
        const char *zone;
        int same = 1;

        wcfdate_readable(s->events[0].time, when);
        for (size_t i = 1; i < s->n_events; i++)
            same &= strcmp(s->events[i].time + 19, s->events[0].time + 19) == 0;
        if (same && (zone = strchr(when, '(')) != NULL) {
            snprintf(tracking, sizeof tracking, "%s · %.*s", values[L_TRACKING],
                     (int)strcspn(zone + 1, ")"), zone + 1);
            values[L_TRACKING] = tracking;
        }
    }
    for (int i = 0; i < L_COUNT; i++)
        attrs[i] = A_NORMAL;
    attrs[L_STATUS] = A_BOLD;
    attrs[L_LATEST] = A_BOLD;
    attrs[L_TOTAL] = A_BOLD;
    attrs[L_TRACKING] = term_attr(UI_TITLE);
    for (int i = 0; i < L_COUNT; i++) {
        int w = term_width(label((enum shipment_label)i));

        if (w > widest_label)
            widest_label = w;
    }
    lw = term_label_column(widest_label, TERM_FIELD_LABEL);
    /* A latest event too long for its line: the time on it, what happened on the next. */
    if (values[L_LATEST] == latest && term_width(latest) > COLS - 2 - lw - 3) {
        values[L_LATEST] = when_latest;
        latest_rest = latest + strlen(when_latest) + strlen(" · ");
    }
    ec = event_columns(s);
    /* Twice: first counted without drawing (no line is within 1..0), so that the top
     * stops at the last page before anything is drawn. */
    for (int pass = 0; pass < 2; pass++) {
        int f = pass ? first : 1, l = pass ? last : 0, y;

        row = 0;
        for (int i = 0; i < L_COUNT; i++) {
            term_field(&row, sv->top, f, l, lw, label((enum shipment_label)i), values[i],
                       attrs[i]);
            if (i == L_LATEST && latest_rest != NULL)
                term_field(&row, sv->top, f, l, lw, "", latest_rest, attrs[i]);
        }
        /* A header over the events, as over the shipments' table. */
        if (s->n_events > 0 && (y = body_line(&row, sv->top, f, l)) >= 0)
            event_line(y, &ec, _(event_headers[0]), _(event_headers[1]),
                       _(event_headers[2]), _(event_headers[3]), term_attr(UI_COLUMNS));
        for (size_t i = 0; i < s->n_events; i++) {
            const struct account_event *e = &s->events[i];
            char text[1024], when[WCFDATE_SCREEN_SIZE];

            if ((y = body_line(&row, sv->top, f, l)) < 0)
                continue;
            wcfdate_readable(e->time, when);
            snprintf(text, sizeof text, "%s%s%s", e->description ? e->description : "",
                     e->note ? " · " : "", e->note ? e->note : "");
            event_line(y, &ec, when, e->location ? e->location : "",
                       e->code ? e->code : "", text, A_NORMAL);
        }
        /* The last page ends with the last line: scrolling stops there. */
        if (sv->top > row - (last - first + 1))
            sv->top = row - (last - first + 1) > 0 ? row - (last - first + 1) : 0;
    }
    wnoutrefresh(stdscr);
}

static struct reaction
shipment_key(void *state, struct ui_ctx *ctx, int ret, wint_t ch)
{
    struct shipment_view *sv = state;

    if (ret == KEY_CODE_YES) {
        switch (ch) {
        case KEY_F(10):
            return REACT_QUIT;
        case KEY_BACKSPACE:
            return (struct reaction){.redo = REDO_DRAW, .go = GO_BACK};
        case KEY_UP:
            sv->top--;
            return REACT_REDRAW;
        case KEY_DOWN:
            sv->top++;
            return REACT_REDRAW;
        case KEY_PPAGE:
            sv->top -= LINES - 6;
            return REACT_REDRAW;
        case KEY_NPAGE:
            sv->top += LINES - 6;
            return REACT_REDRAW;
        case KEY_HOME:
            sv->top = 0;
            return REACT_REDRAW;
        case KEY_LEFT:
        case KEY_RIGHT:
            return (struct reaction){
                .redo = REDO_DRAW, .go = GO_STEP, .way = ch == KEY_LEFT ? -1 : 1};
        case KEY_END:
            sv->top = INT_MAX / 2; /* the drawing stops at the last page */
            return REACT_REDRAW;
        default:
            return REACT_NONE;
        }
    }
    switch (ch) {
    case 27:
    case 0x7f:
    case 0x08:
        return (struct reaction){.redo = REDO_DRAW, .go = GO_BACK};
    case 'q':
    case 'Q':
        return REACT_QUIT;
    case 'n':
    case 'N':
        ctx->message[0] = '\0';
        return (struct reaction){.redo = REDO_DRAW, .go = GO_NEW_LOOKUP};
    case 'c':
    case 'C':
        if (sv->awb != 0)
            ui_copy_awb(ctx, sv->awb);
        return REACT_REDRAW;
    default:
        return REACT_NONE;
    }
}

static struct reaction
shipment_news(void *state, struct ui_ctx *ctx, const struct desk_news *news)
{
    struct shipment_view *sv = state;
    const struct desk *d = ctx->desk;

    if (!(news->changed & DESK_SHIPMENT) || !sv->loading || d->awb != sv->awb)
        return REACT_NONE;
    sv->loading = 0;
    sv->shipment = d->shipment.state == DESK_READY ? d->shipment_data : NULL;
    if (sv->shipment == NULL)
        snprintf(sv->error, sizeof sv->error, "%s",
                 d->shipment.error != NULL ? d->shipment.error : _("no answer"));
    else if (sv->shipment->skipped > 0)
        ui_say(ctx, UI_NOTICE,
               P_("%zu tracking event could not be read",
                  "%zu tracking events could not be read", sv->shipment->skipped),
               sv->shipment->skipped);
    return REACT_REDRAW;
}

static int
shipment_poll_ms(const void *state)
{
    const struct shipment_view *sv = state;

    return sv->loading ? 100 : -1;
}

const struct screen shipment_screen = {
    .create = shipment_create,
    .destroy = shipment_destroy,
    .reset = shipment_reset,
    .enter = shipment_enter,
    .leave = shipment_leave,
    .draw = shipment_draw,
    .key = shipment_key,
    .news = shipment_news,
    .poll_ms = shipment_poll_ms,
};
