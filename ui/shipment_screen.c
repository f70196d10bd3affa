/* One shipment: its fields and its tracking events, newest first, scrollable. */
#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct shipment_view {
    struct account_shipment *shipment; /* NULL until it arrives */
    uint64_t awb;                      /* the one shown or asked for */
    char error[512];
    unsigned long job;
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
    struct shipment_view *sv = state;

    if (sv->loading && sv->job != 0)
        worker_cancel(ctx->worker, sv->job);
    account_shipment_free(sv->shipment);
    memset(sv, 0, sizeof *sv);
}

static void
shipment_destroy(void *state)
{
    struct shipment_view *sv = state;

    if (sv != NULL)
        account_shipment_free(sv->shipment);
    free(sv);
}

/* Opening a shipment asks the worker for it, unless it is the one already here. */
static void
shipment_enter(void *state, struct ui_ctx *ctx)
{
    struct shipment_view *sv = state;
    const struct bl_session *s = ctx->session;
    struct worker_fetch f = {.what = FETCH_SHIPMENT, .awb = ctx->opened};

    curs_set(0);
    if (s == NULL || (sv->awb == ctx->opened && (sv->shipment != NULL || sv->loading)))
        return;
    account_shipment_free(sv->shipment);
    sv->shipment = NULL;
    sv->awb = ctx->opened;
    sv->top = 0;
    sv->error[0] = '\0';
    sv->loading = 1;
    sv->job = ui_job(ctx);
    f.email = s->email;
    f.box_id = s->box_id;
    f.customer_key = s->customer_key;
    worker_fetch(ctx->worker, sv->job, &f);
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

static void
shipment_draw(void *state, struct ui_ctx *ctx)
{
    static const struct key_hint keys[] = {{"Esc", "back", 1},
                                           {"Up/Down", "scroll", 0},
                                           {"n", "new lookup", 0},
                                           {"q", "quit", 1}};
    struct shipment_view *sv = state;
    const struct account_shipment *s = sv->shipment;
    int first = 3, last = LINES - 3, row = 0;
    char title[64], value[48], total[48], weight[64], pieces[24];

    term_footer(keys, 4);
    snprintf(title, sizeof title, "Shipment %llu", (unsigned long long)sv->awb);
    term_text(stdscr, 1, 2, COLS - 3, title, term_attr(UI_TITLE));
    if (sv->error[0] != '\0')
        term_status(sv->error, UI_ERROR);
    else if (ctx->message[0] != '\0')
        term_status(ctx->message, ctx->message_meaning);
    if (s == NULL) {
        term_text(stdscr, first, 2, COLS - 3,
                  sv->loading ? "Asking SkyPostal for the shipment…" : "",
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
    term_field(&row, sv->top, first, last, "Status", s->status, A_BOLD);
    term_field(&row, sv->top, first, last, "Content", s->content, A_NORMAL);
    term_field(&row, sv->top, first, last, "Merchant", s->merchant, A_NORMAL);
    term_field(&row, sv->top, first, last, "Value", value, A_NORMAL);
    term_field(&row, sv->top, first, last, "Total", total, A_NORMAL);
    term_field(&row, sv->top, first, last, "Charged weight", weight, A_NORMAL);
    term_field(&row, sv->top, first, last, "Pieces", pieces, A_NORMAL);
    term_field(&row, sv->top, first, last, "From", s->origin, A_NORMAL);
    term_field(&row, sv->top, first, last, "To", s->destination, A_NORMAL);
    term_field(&row, sv->top, first, last, "Recipient", s->recipient, A_NORMAL);
    term_field(&row, sv->top, first, last, "Address", s->address, A_NORMAL);
    term_field(&row, sv->top, first, last, "City", s->city, A_NORMAL);
    term_field(&row, sv->top, first, last, "State", s->state, A_NORMAL);
    term_field(&row, sv->top, first, last, "Country", s->country, A_NORMAL);
    term_field(&row, sv->top, first, last, "Tracking",
               s->n_events == 0 ? "no events" : "newest first", term_attr(UI_TITLE));
    for (size_t i = 0; i < s->n_events; i++) {
        const struct account_event *e = &s->events[i];
        char text[1024], when[20];

        /* 2018-02-04T21:59:14-05:00 as 2018-02-04 21:59: the server's own time. */
        snprintf(when, sizeof when, "%.10s %.5s", e->time, e->time + 11);
        snprintf(text, sizeof text, "%s  %s  %s%s%s", e->location ? e->location : "",
                 e->code ? e->code : "", e->description ? e->description : "",
                 e->note ? " · " : "", e->note ? e->note : "");
        term_field(&row, sv->top, first, last, when, text, A_NORMAL);
    }
    if (sv->top > row - 1)
        sv->top = row - 1;
    wnoutrefresh(stdscr);
}

static struct reaction
shipment_key(void *state, struct ui_ctx *ctx, int ret, wint_t ch)
{
    struct shipment_view *sv = state;

    (void)ctx;
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
    default:
        return REACT_NONE;
    }
}

static struct reaction
shipment_result(void *state, struct ui_ctx *ctx, struct worker_result *r)
{
    struct shipment_view *sv = state;

    if (r->kind != RESULT_SHIPMENT || ctx->session == NULL || r->seq != sv->job)
        return REACT_NONE;
    sv->loading = 0;
    sv->shipment = r->shipment;
    r->shipment = NULL;
    if (sv->shipment == NULL)
        snprintf(sv->error, sizeof sv->error, "%s",
                 r->err.message != NULL ? r->err.message : "no answer");
    else if (sv->shipment->skipped > 0)
        ui_say(ctx, UI_NOTICE, "%zu tracking event%s could not be read",
               sv->shipment->skipped, sv->shipment->skipped == 1 ? "" : "s");
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
    .draw = shipment_draw,
    .key = shipment_key,
    .result = shipment_result,
    .poll_ms = shipment_poll_ms,
};
