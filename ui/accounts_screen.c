/*
 * F3 on the form: the customer keys stored for this environment, then the recent
 * emails of the history that have none, each part under its heading and the most
 * recently looked up first, with when that was. Enter opens a stored account with its
 * key (no password) or puts a recent email into the form; Del forgets a stored key.
 */
#include "list.h"
#include "screen.h"
#include "../src/i18n.h"
#include "../src/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A row of the list: a heading, or an account. */
struct entry {
    int heading;    /* 1 "Stored keys", 2 "Recent"; 0: an account */
    size_t account; /* the account's index, when it is one */
};

struct accounts_view {
    struct job_account *accounts; /* from the worker's list */
    size_t n;
    struct entry *entries; /* the rows: the headings and the accounts under them */
    size_t n_entries;
    char note[256];   /* why no stored keys could be listed, or "" */
    struct list rows; /* what is shown of them, the selection, the filter */
    int box_w;        /* the box column of the last drawing */
    int when_w;       /* the column of when it was last looked up (0: left out) */
    int email_w;      /* the emails' column: as wide as the widest, up to what is left */
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
free_accounts(struct accounts_view *av)
{
    for (size_t i = 0; i < av->n; i++)
        free(av->accounts[i].email);
    free(av->accounts);
    av->accounts = NULL;
    av->n = 0;
    free(av->entries);
    av->entries = NULL;
    av->n_entries = 0;
}

static void
drop_accounts(struct accounts_view *av)
{
    free_accounts(av);
    list_free(&av->rows);
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

    term_cursor(0);
    list_set_filter(&av->rows, "");
    av->confirming = av->opening = 0;
    list(av, ctx);
}

static const struct job_account *
selected(const struct accounts_view *av)
{
    long at = list_selected(&av->rows);

    return at >= 0 && !av->entries[at].heading ? &av->accounts[av->entries[at].account]
                                               : NULL;
}

/* When an account was last looked up, in the agent's local time ("2026-12-03 14:05"),
 * from the history's UTC time; "" when unknown. */
static void
when_text(const struct job_account *a, char *out, size_t size)
{
    struct tm tm = {0};
    time_t t;

    out[0] = '\0';
    if (a->last[0] == '\0' || strptime(a->last, "%Y-%m-%dT%H:%M:%S", &tm) == NULL)
        return;
    t = timegm(&tm);
    if (localtime_r(&t, &tm) != NULL)
        strftime(out, size, "%Y-%m-%d %H:%M", &tm);
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

/* The headings, translated where drawn. */
static const char *const headings[3] = {
    NULL,
    /* TRANSLATORS: F3's heading over the accounts whose customer key is in the keyring.
     */
    N_("Stored keys"),
    /* TRANSLATORS: F3's heading over the emails looked up lately that have no stored
     * key. */
    N_("Recent"),
};

/* The rows as the list sees them: an account is its email, a heading its name. */
static void
account_key(const void *data, size_t i, char *out, size_t size)
{
    const struct accounts_view *av = data;
    const struct entry *e = &av->entries[i];

    if (e->heading)
        snprintf(out, size, "\001%d",
                 e->heading); /* no email holds a control character */
    else
        snprintf(out, size, "%s", av->accounts[e->account].email);
}

/* The filter looks at the email and the box; the headings go while it filters. */
static int
account_matches(const void *data, size_t i, const char *needle)
{
    const struct accounts_view *av = data;
    const struct job_account *a;
    char box[24];

    if (av->entries[i].heading)
        return needle[0] == '\0';
    a = &av->accounts[av->entries[i].account];
    snprintf(box, sizeof box, "%llu", (unsigned long long)a->box_id);
    return list_matches(a->email, needle) || (a->stored && list_matches(box, needle));
}

static int
account_selectable(const void *data, size_t i)
{
    const struct accounts_view *av = data;

    return !av->entries[i].heading;
}

static void
account_draw(const void *data, size_t i, int y, int x, int width, attr_t a)
{
    const struct accounts_view *av = data;
    const struct job_account *acc;
    char box[64], when[32];
    int room = width - 1 - av->box_w - 2 - (av->when_w > 0 ? av->when_w + 2 : 0),
        email_w = av->email_w < room ? av->email_w : room;

    if (av->entries[i].heading) {
        term_text(stdscr, y, x, width, _(headings[av->entries[i].heading]),
                  term_attr(UI_COLUMNS));
        return;
    }
    acc = &av->accounts[av->entries[i].account];
    box_text(acc, box, sizeof box);
    when_text(acc, when, sizeof when);
    /* The columns side by side from the left: on a wide terminal the box and the time
     * stay near the email. */
    term_text(stdscr, y, x + 1, email_w, acc->email, a);
    x += 1 + email_w + 2;
    term_text(stdscr, y, x, av->box_w, box, acc->stored ? a : (a | term_attr(UI_HINT)));
    if (av->when_w > 0)
        term_text(stdscr, y, x + av->box_w + 2, av->when_w, when, a | term_attr(UI_HINT));
}

static const struct list_items account_rows = {
    .key = account_key,
    .draw = account_draw,
    .match = account_matches,
    .selectable = account_selectable,
};

/* The accounts changed (listed again): the list shows them, its selection on the same
 * email when it is among them. */
static void
rows_changed(struct accounts_view *av)
{
    size_t n = 0;

    free(av->entries);
    /* The worker lists the stored accounts first, then the recent emails. */
    av->entries = calloc(av->n + 2, sizeof *av->entries);
    for (size_t i = 0; av->entries != NULL && i < av->n; i++) {
        int part = av->accounts[i].stored ? 1 : 2;

        if (i == 0 || (av->accounts[i - 1].stored ? 1 : 2) != part)
            av->entries[n++] = (struct entry){.heading = part};
        av->entries[n++] = (struct entry){.account = i};
    }
    av->n_entries = n;
    list_set_items(&av->rows, &account_rows, av, n);
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
        /* TRANSLATORS: help line for Up and Down (a key name), a few words. */
        {N_("Up/Down"), N_("move the selection"), HINT_HELP_ONLY},
        /* TRANSLATORS: help line for PgUp and PgDn (key names), a few words. */
        {N_("PgUp/PgDn"), N_("a page up or down"), HINT_HELP_ONLY},
        /* TRANSLATORS: help line for Home and End (key names), a few words. */
        {N_("Home/End"), N_("first or last row"), HINT_HELP_ONLY},
        /* TRANSLATORS: help line for Backspace (a key name): edit the filter. */
        {N_("Backspace"), N_("delete the filter's last letter"), HINT_HELP_ONLY},
    };
    struct accounts_view *av = state;
    const struct job_account *sel = selected(av);
    const char *filter = list_filter(&av->rows);
    char line[512], position[64], say[768] = "";
    enum ui_meaning say_m = UI_NOTICE;
    int first = 4, rows, box_w = 10, pos_w, h;

    term_footer(keys, TERM_COUNT(keys));
    if (av->opening) {
        /* TRANSLATORS: %s is the email of the account being opened. */
        snprintf(say, sizeof say, _("Opening %s…"), sel != NULL ? sel->email : "");
    } else if (av->confirming && sel != NULL) {
        /* TRANSLATORS: %s is an email. y and n are the keys that answer: keep them. */
        snprintf(say, sizeof say, _("Forget the stored key of %s? y/n"), sel->email);
    } else if (ctx->message[0] != '\0') {
        snprintf(say, sizeof say, "%s", ctx->message);
        say_m = ctx->message_meaning;
    } else if (av->note[0] != '\0') {
        snprintf(say, sizeof say, "%s", av->note);
    }
    /* Letters are the filter here, so m is no key: the message is wrapped whole. */
    h = term_status_lines(say, say_m, 3);
    /* The rows reach the line above the status message. */
    rows = LINES - 1 - (h > 1 ? h : 1) - first;
    if (filter[0] != '\0')
        /* TRANSLATORS: title of the F3 list; %s is what the agent typed to filter it. */
        snprintf(line, sizeof line, _("Stored accounts and recent emails · filter: %s"),
                 filter);
    else
        /* TRANSLATORS: title of the F3 list. */
        snprintf(line, sizeof line, "%s", _("Stored accounts and recent emails"));
    list_position(&av->rows, position, sizeof position);
    pos_w = term_width(position);
    term_text(stdscr, 2, COLS - 1 - pos_w, pos_w, position, term_attr(UI_TITLE));
    term_text(stdscr, 2, 2, COLS - 5 - pos_w, line, term_attr(UI_TITLE));
    if (list_shown(&av->rows) == 0) {
        if (av->listing)
            snprintf(line, sizeof line, "%s", _("Asking the keyring…"));
        else if (filter[0] != '\0')
            /* TRANSLATORS: the F3 filter lets nothing through; %s is the filter. */
            snprintf(line, sizeof line, _("No account matches “%s”"), filter);
        else
            snprintf(line, sizeof line, "%s", _("Nothing stored or recent"));
        term_text(stdscr, first, 2, COLS - 3, line, term_attr(UI_HINT));
        wnoutrefresh(stdscr);
        return;
    }
    /* The box column as wide as its widest text (10 at least), at most a third of the
     * screen; the emails as wide as the widest, up to the rest. */
    av->email_w = 0;
    for (size_t i = 0; av->accounts != NULL && i < av->n; i++) {
        char box[64];
        int w;

        box_text(&av->accounts[i], box, sizeof box);
        if ((w = term_width(box)) > box_w)
            box_w = w;
        if ((w = term_width(av->accounts[i].email)) > av->email_w)
            av->email_w = w;
    }
    av->box_w = term_label_column(box_w, 10);
    /* When each was last looked up, where the emails keep their width (30 at least). */
    av->when_w =
        COLS - 2 - 1 - av->box_w - 2 - 18 >= (av->email_w < 30 ? av->email_w : 30) ? 16
                                                                                   : 0;
    list_draw(&av->rows, first, rows);
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
            ui_say(ctx, UI_ERROR, "%s: %s", error_stored_title(err.kind), err.message);
        error_clear(&err);
        return REACT_REDRAW;
    }
    return (struct reaction){.redo = REDO_DRAW, .go = GO_FORM, .email = a->email};
}

static struct reaction
accounts_key(void *state, struct ui_ctx *ctx, int ret, wint_t ch)
{
    struct accounts_view *av = state;

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
    /* Here the keys that type filter the list: emails are what is typed. */
    av->rows.typing = 1;
    if (list_key(&av->rows, ret, ch))
        return REACT_REDRAW;
    if (ret == KEY_CODE_YES) {
        switch (ch) {
        case KEY_DC:
            if (selected(av) != NULL && selected(av)->stored)
                av->confirming = 1;
            return REACT_REDRAW;
        case KEY_ENTER:
            return open_selected(av, ctx);
        default:
            return REACT_NONE;
        }
    }
    switch (ch) {
    case 27:
        if (list_filter(&av->rows)[0] != '\0') {
            list_set_filter(&av->rows, "");
            return REACT_REDRAW;
        }
        return (struct reaction){.redo = REDO_DRAW, .go = GO_FORM};
    case '\r':
    case '\n':
        return open_selected(av, ctx);
    default:
        return REACT_NONE;
    }
}

/* The answers to the list and to a forget, which this screen asked for. */
static struct reaction
accounts_result(void *state, struct ui_ctx *ctx, struct job_result *r)
{
    struct accounts_view *av = state;

    if (r->kind == JOB_LISTED && r->seq == av->list_job) {
        free_accounts(av);
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
        rows_changed(av);
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
    ui_say(ctx, UI_ERROR, "%s: %s", error_stored_title(why->kind),
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
