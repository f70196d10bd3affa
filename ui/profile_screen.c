/* The Profile tab: what SkyPostal has on file for the customer, addresses and phones. */
#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct profile_view {
    struct account_profile *profile; /* NULL until it arrives */
    char error[512];                 /* why it did not, or "" */
    unsigned long job;               /* the fetch it answers (0: the login's) */
    int loading;
    int top; /* the first line shown (scrolling) */
};

static void *
profile_create(struct ui_ctx *ctx)
{
    (void)ctx;
    return calloc(1, sizeof(struct profile_view));
}

static void
profile_reset(void *state, struct ui_ctx *ctx)
{
    struct profile_view *pv = state;

    if (pv->loading && pv->job != 0)
        worker_cancel(ctx->worker, pv->job); /* a retry in flight */
    account_profile_free(pv->profile);
    memset(pv, 0, sizeof *pv);
    /* A new session: its login fetches the profile at once. */
    pv->loading = ctx->session != NULL;
}

static void
profile_destroy(void *state)
{
    struct profile_view *pv = state;

    if (pv != NULL)
        account_profile_free(pv->profile);
    free(pv);
}

static enum tab_state
profile_tab_state(const void *state)
{
    const struct profile_view *pv = state;

    return pv->loading ? TAB_LOADING : pv->error[0] != '\0' ? TAB_FAILED : TAB_READY;
}

static void
profile_enter(void *state, struct ui_ctx *ctx)
{
    (void)state, (void)ctx;
    curs_set(0);
}

static const char *
flag_word(enum bl_flag f, const char *yes, const char *no, const char *unknown)
{
    return f == FLAG_YES ? yes : f == FLAG_NO ? no : unknown;
}

static void
profile_draw(void *state, struct ui_ctx *ctx)
{
    static const struct key_hint keys[] = {
        {"n", "new lookup", 1}, {"1-3", "tabs", 0}, {"Up/Down", "scroll", 0},
        {"r", "retry", 0},      {"q", "quit", 1},
    };
    struct profile_view *pv = state;
    const struct account_profile *p = pv->profile;
    int first = 3, last = LINES - 3, row = 0;
    char id[24], status[128];

    term_footer(keys, 5);
    if (pv->error[0] != '\0')
        term_status(pv->error, UI_ERROR);
    else if (ctx->message[0] != '\0')
        term_status(ctx->message, ctx->message_meaning);
    if (p == NULL) {
        term_text(stdscr, first, 2, COLS - 3,
                  pv->loading ? "Asking SkyPostal for the profile…"
                              : "No profile: r asks again",
                  term_attr(UI_HINT));
        wnoutrefresh(stdscr);
        return;
    }
    if (pv->top < 0)
        pv->top = 0;
    term_text(stdscr, first - 1, 2, COLS - 3,
              p->name != NULL ? p->name : "(no name on record)", term_attr(UI_TITLE));
    if (p->customer_id != 0)
        snprintf(id, sizeof id, "%llu", (unsigned long long)p->customer_id);
    else
        id[0] = '\0';
    snprintf(status, sizeof status, "%s · %s · %s · %s",
             flag_word(p->active, "ACTIVE", "INACTIVE", "ACTIVE?"),
             flag_word(p->vip, "VIP", "NOT VIP", "VIP?"),
             flag_word(p->business, "BUSINESS", "PERSONAL", "BUSINESS?"),
             flag_word(p->enabled, "ENABLED", "DISABLED", "ENABLED?"));
    term_field(&row, pv->top, first, last, "Customer ID", id, A_NORMAL);
    term_field(&row, pv->top, first, last, "Email", p->email, A_NORMAL);
    term_field(&row, pv->top, first, last, "Born", p->birth_date, A_NORMAL);
    term_field(&row, pv->top, first, last, "Gender", p->gender, A_NORMAL);
    term_field(&row, pv->top, first, last, "Identity no.", p->identity_number, A_NORMAL);
    term_field(&row, pv->top, first, last, "Tax no.", p->tax_number, A_NORMAL);
    term_field(&row, pv->top, first, last, "Campaign", p->campaign, A_NORMAL);
    term_field(&row, pv->top, first, last, "Email offers",
               flag_word(p->email_agreement, "yes", "no", ""), A_NORMAL);
    term_field(&row, pv->top, first, last, "Status", status, A_NORMAL);
    term_field(&row, pv->top, first, last, "Addresses",
               p->n_addresses == 0   ? NULL
               : p->n_addresses == 1 ? "1 on file"
                                     : "on file",
               A_NORMAL);
    for (size_t i = 0; i < p->n_addresses; i++) {
        const struct account_address *a = &p->addresses[i];
        char text[1024];

        snprintf(text, sizeof text, "%s%s%s%s%s%s%s", a->line1 ? a->line1 : "",
                 a->city ? ", " : "", a->city ? a->city : "", a->state ? ", " : "",
                 a->state ? a->state : "", a->country ? ", " : "",
                 a->country ? a->country : "");
        term_field(&row, pv->top, first, last, a->country_code ? a->country_code : "",
                   text, A_NORMAL);
        if (a->zip != NULL || a->phone != NULL) {
            snprintf(text, sizeof text, "%s%s%s", a->zip ? a->zip : "",
                     a->zip && a->phone ? " · " : "", a->phone ? a->phone : "");
            term_field(&row, pv->top, first, last, "", text, A_NORMAL);
        }
    }
    term_field(&row, pv->top, first, last, "Phones", p->n_phones == 0 ? NULL : "",
               A_NORMAL);
    for (size_t i = 0; i < p->n_phones; i++) {
        const char *type = account_phone_type_name(p->phones[i].type);

        term_field(&row, pv->top, first, last, type != NULL ? type : "",
                   p->phones[i].number, A_NORMAL);
    }
    if (pv->top > row - 1)
        pv->top = row - 1;
    wnoutrefresh(stdscr);
}

/* Asks the worker for the profile again. */
static void
retry(struct profile_view *pv, struct ui_ctx *ctx)
{
    const struct bl_session *s = ctx->session;
    struct worker_fetch f = {.what = FETCH_PROFILE,
                             .email = s->email,
                             .box_id = s->box_id,
                             .customer_key = s->customer_key};

    pv->job = ui_job(ctx);
    pv->loading = 1;
    pv->error[0] = '\0';
    worker_fetch(ctx->worker, pv->job, &f);
}

static struct reaction
profile_key(void *state, struct ui_ctx *ctx, int ret, wint_t ch)
{
    struct profile_view *pv = state;

    if (ret == KEY_CODE_YES) {
        switch (ch) {
        case KEY_F(10):
            return REACT_QUIT;
        case KEY_UP:
            pv->top--;
            return REACT_REDRAW;
        case KEY_DOWN:
            pv->top++;
            return REACT_REDRAW;
        case KEY_PPAGE:
            pv->top -= LINES - 6;
            return REACT_REDRAW;
        case KEY_NPAGE:
            pv->top += LINES - 6;
            return REACT_REDRAW;
        case KEY_HOME:
            pv->top = 0;
            return REACT_REDRAW;
        default:
            return REACT_PASS;
        }
    }
    if ((ch == 'r' || ch == 'R') && ctx->session != NULL && !pv->loading) {
        retry(pv, ctx);
        return REACT_REDRAW;
    }
    return REACT_PASS;
}

static struct reaction
profile_result(void *state, struct ui_ctx *ctx, struct worker_result *r)
{
    struct profile_view *pv = state;

    if (r->kind != RESULT_PROFILE || ctx->session == NULL ||
        r->seq != (pv->job != 0 ? pv->job : ctx->session_job))
        return REACT_NONE;
    pv->loading = 0;
    account_profile_free(pv->profile);
    pv->profile = r->profile;
    r->profile = NULL;
    if (pv->profile == NULL)
        snprintf(pv->error, sizeof pv->error, "Profile: %s",
                 r->err.message != NULL ? r->err.message : "no answer");
    return REACT_REDRAW;
}

const struct screen profile_screen = {
    .tab = "Profile",
    .tab_state = profile_tab_state,
    .create = profile_create,
    .destroy = profile_destroy,
    .reset = profile_reset,
    .enter = profile_enter,
    .draw = profile_draw,
    .key = profile_key,
    .result = profile_result,
};
