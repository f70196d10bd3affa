/*
 * F3 on the form: the customer keys stored for this environment, then the recent
 * emails of the history that have none. Enter opens a stored account with its key
 * (no password) or puts a recent email into the form; Del forgets a stored key.
 */
#include "screen.h"
#include "../src/i18n.h"
#include "../src/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FILTER_MAX 64

struct accounts_view {
    struct job_account *accounts; /* from the worker's list */
    size_t n;
    char note[256]; /* why no stored keys could be listed, or "" */
    size_t *shown;  /* indices the filter lets through */
    size_t n_shown, sel, top;
    char filter[FILTER_MAX + 1];
    unsigned long list_job, open_job, forget_job;
    int listing, opening, confirming; /* confirming: Del asked "forget?" */
    struct timespec started;          /* when opening began */
};

static void *
accounts_create(struct ui_ctx *ctx)
{
    (void)ctx;
    return calloc(1, sizeof(struct accounts_view));
}

static void
drop_accounts(struct accounts_view *av)
{
    for (size_t i = 0; i < av->n; i++)
        free(av->accounts[i].email);
    free(av->accounts);
    free(av->shown);
    av->accounts = NULL;
    av->shown = NULL;
    av->n = av->n_shown = av->sel = av->top = 0;
}

static void
accounts_reset(void *state, struct ui_ctx *ctx)
{
    struct accounts_view *av = state;

    (void)ctx;
    drop_accounts(av);
    memset(av, 0, sizeof *av);
}

static void
accounts_destroy(void *state)
{
    if (state != NULL)
        drop_accounts(state);
    free(state);
}

static void
apply_filter(struct accounts_view *av)
{
    size_t n = 0;

    free(av->shown);
    av->shown = calloc(av->n + 1, sizeof *av->shown);
    for (size_t i = 0; av->shown != NULL && i < av->n; i++)
        if (strstr(av->accounts[i].email, av->filter) != NULL)
            av->shown[n++] = i;
    av->n_shown = n;
    if (av->sel >= n)
        av->sel = n > 0 ? n - 1 : 0;
}

/* Asks the worker for the list (again). */
static void
list(struct accounts_view *av, struct ui_ctx *ctx)
{
    struct bl_error err = {0};

    av->list_job = ui_job(ctx);
    av->listing = job_list(ctx->worker, av->list_job, &err) == 0;
    if (!av->listing)
        ui_say(ctx, UI_ERROR, "%s", err.message);
    error_clear(&err);
}

static void
accounts_enter(void *state, struct ui_ctx *ctx)
{
    struct accounts_view *av = state;

    curs_set(0);
    av->filter[0] = '\0';
    av->confirming = av->opening = 0;
    list(av, ctx);
}

static const struct job_account *
selected(const struct accounts_view *av)
{
    return av->n_shown > 0 ? &av->accounts[av->shown[av->sel]] : NULL;
}

/* The text of the right-hand column of an account: its box, or that it is only recent. */
static void
box_text(const struct job_account *a, char *out, size_t size)
{
    if (a->stored)
        /* TRANSLATORS: beside a stored account's email: its box ID. */
        snprintf(out, size, _("box %llu"), (unsigned long long)a->box_id);
    else
        /* TRANSLATORS: beside an email from the history that has no stored key. */
        snprintf(out, size, "%s", _("recent"));
}

static void
accounts_draw(void *state, struct ui_ctx *ctx)
{
    /* The way out and back, and opening, stay; forgetting goes first. */
    static const struct key_hint keys[] = {
        /* TRANSLATORS: key hint (Enter), one word: open the selected account. */
        {"Enter", N_("open"), HINT_ESSENTIAL},
        /* TRANSLATORS: key hint (Esc), one word: back to the login form. */
        {"Esc", N_("back"), HINT_ESSENTIAL},
        /* TRANSLATORS: key hint without a key: typing letters filters the list. */
        {NULL, N_("type to filter"), 1},
        /* TRANSLATORS: key hint (Del), a few words: delete the stored customer key. */
        {"Del", N_("forget key"), 2},
        /* TRANSLATORS: key hint (F10), one word. */
        {"F10", N_("quit"), HINT_ESSENTIAL},
    };
    struct accounts_view *av = state;
    const struct job_account *sel = selected(av);
    int first = 4, rows = LINES - 3 - first, box_w = 16;
    char line[512];

    term_footer(keys, TERM_COUNT(keys));
    if (av->filter[0] != '\0')
        /* TRANSLATORS: title of the F3 list; %s is what the agent typed to filter it. */
        snprintf(line, sizeof line, _("Stored accounts and recent emails · filter: %s"),
                 av->filter);
    else
        /* TRANSLATORS: title of the F3 list. */
        snprintf(line, sizeof line, "%s", _("Stored accounts and recent emails"));
    term_text(stdscr, 2, 2, COLS - 3, line, term_attr(UI_TITLE));
    if (av->opening) {
        /* TRANSLATORS: %s is the email of the account being opened. */
        snprintf(line, sizeof line, _("Opening %s…"), sel != NULL ? sel->email : "");
        term_status(line, UI_NOTICE);
    } else if (av->confirming && sel != NULL) {
        /* TRANSLATORS: %s is an email. y and n are the keys that answer: keep them. */
        snprintf(line, sizeof line, _("Forget the stored key of %s? y/n"), sel->email);
        term_status(line, UI_NOTICE);
    } else if (ctx->message[0] != '\0') {
        term_status(ctx->message, ctx->message_meaning);
    } else if (av->note[0] != '\0') {
        term_status(av->note, UI_NOTICE);
    }
    if (av->n_shown == 0) {
        term_text(stdscr, first, 2, COLS - 3,
                  av->listing ? _("Asking the keyring…") : _("Nothing stored or recent"),
                  term_attr(UI_HINT));
        wnoutrefresh(stdscr);
        return;
    }
    if (av->sel < av->top)
        av->top = av->sel;
    if (rows > 0 && av->sel >= av->top + (size_t)rows)
        av->top = av->sel - (size_t)rows + 1;
    /* The box column as wide as its widest text on screen (16 at least), at most a third
     * of the screen; the emails have the rest. */
    for (int i = 0; i < rows && av->top + (size_t)i < av->n_shown; i++) {
        char box[64];

        int w;

        box_text(&av->accounts[av->shown[av->top + (size_t)i]], box, sizeof box);
        if ((w = term_width(box)) > box_w)
            box_w = w;
    }
    box_w = term_label_column(box_w, 16);
    for (int i = 0; i < rows && av->top + (size_t)i < av->n_shown; i++) {
        size_t at = av->top + (size_t)i;
        const struct job_account *a = &av->accounts[av->shown[at]];
        attr_t attr = at == av->sel ? A_REVERSE : A_NORMAL;
        char box[64];

        box_text(a, box, sizeof box);
        mvhline(first + i, 0, ' ', COLS);
        term_text(stdscr, first + i, 2, COLS - box_w - 4, a->email, attr);
        term_text(stdscr, first + i, COLS - box_w - 1, box_w, box,
                  a->stored ? attr : (attr | term_attr(UI_HINT)));
    }
    wnoutrefresh(stdscr);
}

/* Enter: a stored account opens with its key; a recent email goes to the form (or is
 * looked up, in lookup mode). */
static struct reaction
open_selected(struct accounts_view *av, struct ui_ctx *ctx)
{
    const struct job_account *a = selected(av);

    struct bl_error err = {0};

    if (a == NULL)
        return REACT_NONE;
    if (a->stored || ctx->lookup_mode) {
        clock_gettime(CLOCK_MONOTONIC, &av->started);
        av->open_job = a->stored ? desk_open_stored(ctx->desk, a->email, &err)
                                 : desk_lookup(ctx->desk, strdup(a->email), &err);
        av->opening = av->open_job != 0;
        if (!av->opening)
            ui_say(ctx, UI_ERROR, "%s: %s", error_title(err.kind), err.message);
        error_clear(&err);
        return REACT_REDRAW;
    }
    return (struct reaction){.redo = REDO_DRAW, .go = GO_FORM, .email = a->email};
}

static struct reaction
accounts_key(void *state, struct ui_ctx *ctx, int ret, wint_t ch)
{
    struct accounts_view *av = state;
    size_t page = LINES > 10 ? (size_t)LINES - 8 : 1;
    size_t n = strlen(av->filter);

    if (ret == KEY_CODE_YES && ch == KEY_F(10))
        return REACT_QUIT;
    if (av->opening) {
        if (ret == OK && ch == 27 && desk_cancel_opening(ctx->desk)) {
            av->opening = 0;
            ui_say(ctx, UI_NOTICE, "%s", _("Cancelled"));
            return REACT_REDRAW;
        }
        return REACT_NONE;
    }
    if (av->confirming) {
        av->confirming = 0;
        if (ret == OK && (ch == 'y' || ch == 'Y') && selected(av) != NULL) {
            struct bl_error err = {0};

            av->forget_job = ui_job(ctx);
            if (job_forget(ctx->worker, av->forget_job, selected(av)->email, &err) != 0)
                ui_say(ctx, UI_ERROR, "%s", err.message);
            error_clear(&err);
        }
        return REACT_REDRAW;
    }
    if (ret == KEY_CODE_YES) {
        switch (ch) {
        case KEY_UP:
            av->sel -= av->sel > 0;
            break;
        case KEY_DOWN:
            av->sel += av->sel + 1 < av->n_shown;
            break;
        case KEY_PPAGE:
            av->sel = av->sel > page ? av->sel - page : 0;
            break;
        case KEY_NPAGE:
            av->sel = av->sel + page < av->n_shown ? av->sel + page
                      : av->n_shown > 0            ? av->n_shown - 1
                                                   : 0;
            break;
        case KEY_HOME:
            av->sel = 0;
            break;
        case KEY_END:
            av->sel = av->n_shown > 0 ? av->n_shown - 1 : 0;
            break;
        case KEY_DC:
            if (selected(av) != NULL && selected(av)->stored)
                av->confirming = 1;
            break;
        case KEY_BACKSPACE:
            if (n > 0)
                av->filter[n - 1] = '\0';
            apply_filter(av);
            break;
        case KEY_ENTER:
            return open_selected(av, ctx);
        default:
            return REACT_NONE;
        }
        return REACT_REDRAW;
    }
    switch (ch) {
    case 27:
        if (n > 0) {
            av->filter[0] = '\0';
            apply_filter(av);
            return REACT_REDRAW;
        }
        return (struct reaction){.redo = REDO_DRAW, .go = GO_FORM};
    case '\r':
    case '\n':
        return open_selected(av, ctx);
    case 0x7f:
    case 0x08:
        if (n > 0)
            av->filter[n - 1] = '\0';
        apply_filter(av);
        return REACT_REDRAW;
    default:
        /* Emails are what is typed here: printable ASCII, lower-cased as they are stored.
         */
        if (ch > 0x20 && ch < 0x7f && n < FILTER_MAX) {
            av->filter[n] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
            av->filter[n + 1] = '\0';
            apply_filter(av);
            return REACT_REDRAW;
        }
        return REACT_NONE;
    }
}

/* The answers to the list and to a forget, which this screen asked for. */
static struct reaction
accounts_result(void *state, struct ui_ctx *ctx, struct job_result *r)
{
    struct accounts_view *av = state;

    if (r->kind == JOB_LISTED && r->seq == av->list_job) {
        drop_accounts(av);
        av->listing = 0;
        av->accounts = r->u.list.accounts;
        av->n = r->u.list.n;
        r->u.list.accounts = NULL;
        r->u.list.n = 0;
        if (r->u.list.note != NULL)
            /* TRANSLATORS: %s says why the keyring could not list the stored keys. */
            snprintf(av->note, sizeof av->note, _("No stored keys: %s"), r->u.list.note);
        else
            av->note[0] = '\0';
        apply_filter(av);
        return REACT_REDRAW;
    }
    if (r->kind == JOB_FORGOT && r->seq == av->forget_job) {
        if (r->err.kind != BL_OK)
            ui_say(ctx, UI_ERROR, _("Could not forget the key: %s"),
                   r->err.message != NULL ? r->err.message : "?");
        else
            ui_say(ctx, UI_NOTICE, "%s", _("Stored key forgotten"));
        list(av, ctx);
        return REACT_REDRAW;
    }
    return REACT_NONE;
}

/* The opening this screen started answered. */
static struct reaction
accounts_news(void *state, struct ui_ctx *ctx, const struct desk_news *news)
{
    struct accounts_view *av = state;
    struct reaction next = REACT_REDRAW;
    const struct bl_error *why = &ctx->desk->open_err;

    if (!(news->changed & (DESK_OPENED | DESK_FAILED_TO)) || !av->opening ||
        news->seq != av->open_job)
        return REACT_NONE;
    av->opening = 0;
    if (news->changed & DESK_OPENED) {
        struct timespec now, cpu;

        clock_gettime(CLOCK_MONOTONIC, &now);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
        log_msg("open %lu: session %.1f ms after Enter (cpu %.1f ms)", news->seq,
                (double)(now.tv_sec - av->started.tv_sec) * 1e3 +
                    (double)(now.tv_nsec - av->started.tv_nsec) / 1e6,
                (double)cpu.tv_sec * 1e3 + (double)cpu.tv_nsec / 1e6);
        ctx->message[0] = '\0';
        next.go = GO_SESSION;
        return next;
    }
    /* Back to the form with the email, the password focused, and what happened. */
    ui_say(ctx, UI_ERROR, "%s: %s", error_title(why->kind),
           why->message != NULL ? why->message : "?");
    next.go = GO_FORM;
    next.email = selected(av) != NULL ? selected(av)->email : NULL;
    return next;
}

static int
accounts_poll_ms(const void *state)
{
    const struct accounts_view *av = state;

    return av->opening || av->listing ? 100 : -1;
}

/* Letters filter the list. */
static int
accounts_typing(const void *state)
{
    (void)state;
    return 1;
}

const struct screen accounts_screen = {
    .create = accounts_create,
    .destroy = accounts_destroy,
    .reset = accounts_reset,
    .enter = accounts_enter,
    .draw = accounts_draw,
    .key = accounts_key,
    .result = accounts_result,
    .news = accounts_news,
    .poll_ms = accounts_poll_ms,
    .typing = accounts_typing,
};
