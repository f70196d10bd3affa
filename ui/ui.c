/*
 * The UI loop: the only get_wch and the only poll, the table of screens and
 * the only place that switches between them, the state of every screen, the
 * desk (the account shown), where each worker result goes, and the signals that
 * end the UI.
 */
#include "ui.h"
#include "screen.h"
#include "term.h"
#include "../src/api.h"
#include "../src/i18n.h"
#include "../src/log.h"
#include "../src/places.h"
#include "../src/secmem.h"
#include "../src/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MIN_COLS  60
#define MIN_LINES 16

/*
 * The screens. Adding one: its file, a line here, and where the agent goes to
 * reach it (a destination below, or a tab: the tabs of the account view are the
 * screens with a tab label, in this order, the first holding the account's keys).
 */
extern const struct screen login_screen;
extern const struct screen session_screen;
extern const struct screen profile_screen;
extern const struct screen shipments_screen;
extern const struct screen shipment_screen;
extern const struct screen accounts_screen;
extern const struct screen change_screen;

enum screen_id {
    SCREEN_LOGIN,
    SCREEN_SESSION,
    SCREEN_PROFILE,
    SCREEN_SHIPMENTS,
    SCREEN_SHIPMENT,
    SCREEN_ACCOUNTS,
    SCREEN_CHANGE,
    SCREEN_COUNT,
};

static const struct screen *const screens[SCREEN_COUNT] = {
    [SCREEN_LOGIN] = &login_screen,       [SCREEN_SESSION] = &session_screen,
    [SCREEN_PROFILE] = &profile_screen,   [SCREEN_SHIPMENTS] = &shipments_screen,
    [SCREEN_SHIPMENT] = &shipment_screen, [SCREEN_ACCOUNTS] = &accounts_screen,
    [SCREEN_CHANGE] = &change_screen,
};

/* Which screen each destination is (GO_BACK goes to where the screen was opened from). */
static const enum screen_id destination[] = {
    [GO_SESSION] = SCREEN_SESSION, [GO_NEW_LOOKUP] = SCREEN_LOGIN,
    [GO_OPEN] = SCREEN_SHIPMENT,   [GO_ACCOUNTS] = SCREEN_ACCOUNTS,
    [GO_FORM] = SCREEN_LOGIN,      [GO_CHANGE] = SCREEN_CHANGE,
};

/* A job a screen queued itself, and which screen its results go to. */
struct route {
    unsigned long seq;
    enum screen_id to;
};

#define ROUTES 16

struct ui {
    struct ui_ctx ctx; /* first: ui_job finds the loop from the context */
    void *state[SCREEN_COUNT];
    enum screen_id current;
    enum screen_id opened_from; /* where GO_BACK returns */
    int hidden;                 /* the terminal is too small: the screen is hidden */
    int help;                   /* the help overlay is open over the screen */
    int help_page, help_pages;  /* its page shown (from 0), and how many it has */
    int whole;                  /* m: the status message is shown whole over the screen */
    enum screen_id asker;       /* the screen that asked (ctx.asking) */
    unsigned fresh;             /* account results taken since the last redraw (log) */
    struct desk desk;           /* the account; ctx.desk */
    struct route routes[ROUTES];
    size_t next_route;
    unsigned long credentials_seq; /* the credentials step, whose answer is the loop's */
    int history_warned;            /* the UI said the history cannot be written */
    struct bl_error fatal;         /* set: leave the UI, say this, exit 2 */
};

/* Signal handlers only write the signal number here; the loop does the work. */
static int signal_pipe[2] = {-1, -1};

static void
on_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    ssize_t ignored = write(signal_pipe[1], &b, 1);

    (void)ignored;
    errno = saved;
}

void
ui_say(struct ui_ctx *ctx, enum ui_meaning m, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(ctx->message, sizeof ctx->message, fmt, ap);
    va_end(ap);
    ctx->message_meaning = m;
    ctx->message_fresh = 1;
}

void
ui_copy_awb(struct ui_ctx *ctx, uint64_t awb)
{
    char text[24];

    snprintf(text, sizeof text, "%llu", (unsigned long long)awb);
    term_clipboard(text);
    /* TRANSLATORS: %s is a shipment's AWB number, copied for a ticket. */
    ui_say(ctx, UI_NOTICE,
           _("AWB %s sent to the clipboard (OSC 52; some terminals ignore it)"), text);
}

unsigned long
ui_job(struct ui_ctx *ctx)
{
    struct ui *ui = (struct ui *)ctx;
    unsigned long seq = worker_seq(ctx->worker);

    /* A screen has a job or two on the worker at a time: the oldest route goes first. */
    ui->routes[ui->next_route] = (struct route){seq, ui->current};
    ui->next_route = (ui->next_route + 1) % ROUTES;
    return seq;
}

/* The screen that queued job seq (and forgets the route), or -1. */
static int
route_of(struct ui *ui, unsigned long seq)
{
    for (size_t i = 0; i < ROUTES; i++)
        if (ui->routes[i].seq == seq) {
            ui->routes[i].seq = 0;
            return (int)ui->routes[i].to;
        }
    return -1;
}

static const struct screen *
current(const struct ui *ui)
{
    return screens[ui->current];
}

static void
switch_to(struct ui *ui, enum screen_id next)
{
    const struct screen *from = current(ui);

    if (from->leave != NULL)
        from->leave(ui->state[ui->current], &ui->ctx);
    ui->current = next;
    ui->ctx.asking = 0;
    /* A message belongs to the screen it was said on, unless it says why this change
     * happened (a refused key back on the form). */
    if (!ui->ctx.message_fresh)
        ui->ctx.message[0] = '\0';
    clear();
    if (screens[next]->enter != NULL)
        screens[next]->enter(ui->state[next], &ui->ctx);
    /* Reached while the terminal is too small (Esc): hidden like the one it replaces. */
    if (ui->hidden && screens[next]->hide != NULL)
        screens[next]->hide(ui->state[next], &ui->ctx);
}

/* Carries out where a reaction goes; returns its redo bits. */
static unsigned
follow(struct ui *ui, struct reaction r)
{
    switch (r.go) {
    case GO_STAY:
        break;
    case GO_SESSION:
        ui->ctx.session = ui->desk.session;
        for (int i = 0; i < SCREEN_COUNT; i++)
            if (i != SCREEN_LOGIN && screens[i]->reset != NULL)
                screens[i]->reset(ui->state[i], &ui->ctx);
        switch_to(ui, destination[GO_SESSION]);
        r.redo |= REDO_DRAW;
        break;
    case GO_NEW_LOOKUP:
        /* What the session's key is fetching goes with it. */
        desk_close(&ui->desk);
        ui->ctx.session = NULL;
        for (int i = 0; i < SCREEN_COUNT; i++)
            if (screens[i]->reset != NULL)
                screens[i]->reset(ui->state[i], &ui->ctx);
        switch_to(ui, destination[GO_NEW_LOOKUP]);
        r.redo |= REDO_DRAW;
        break;
    case GO_OPEN:
        ui->ctx.opened = r.awb;
        ui->opened_from = ui->current;
        switch_to(ui, destination[GO_OPEN]);
        r.redo |= REDO_DRAW;
        break;
    case GO_BACK:
        switch_to(ui, ui->opened_from);
        r.redo |= REDO_DRAW;
        break;
    case GO_ACCOUNTS:
        switch_to(ui, destination[GO_ACCOUNTS]);
        r.redo |= REDO_DRAW;
        break;
    case GO_STEP: {
        /* The next shipment of the table, in the table's order and filter. */
        const struct screen *from = screens[ui->opened_from];
        uint64_t next = from->step != NULL ? from->step(ui->state[ui->opened_from],
                                                        ui->ctx.opened, r.way)
                                           : 0;

        if (next == 0) {
            /* TRANSLATORS: Left or Right on a shipment at either end of the table. */
            ui_say(&ui->ctx, UI_NOTICE, "%s",
                   r.way < 0 ? _("This is the first shipment of the table")
                             : _("This is the last shipment of the table"));
        } else {
            ui->ctx.opened = next;
            switch_to(ui, ui->current);
        }
        r.redo |= REDO_DRAW;
        break;
    }
    case GO_CHANGE:
        /* e is passed from every tab to the Summary: only there and on the Profile does
         * it open Change. */
        if (ui->current != SCREEN_SESSION && ui->current != SCREEN_PROFILE)
            break;
        ui->opened_from = ui->current;
        switch_to(ui, destination[GO_CHANGE]);
        r.redo |= REDO_DRAW;
        break;
    case GO_FORM:
        snprintf(ui->ctx.picked, sizeof ui->ctx.picked, "%s",
                 r.email != NULL ? r.email : "");
        switch_to(ui, destination[GO_FORM]);
        r.redo |= REDO_DRAW;
        break;
    }
    return r.redo;
}

static int
too_small(void)
{
    return COLS < MIN_COLS || LINES < MIN_LINES;
}

static void
draw_header(const struct ui *ui)
{
    int prod = ui->ctx.cfg->env == ENV_PROD, x;
    attr_t bar = term_attr(prod ? UI_HEADER_PROD : UI_HEADER);
    char badge[16];

    move(0, 0);
    bkgdset(' ' | bar);
    clrtoeol();
    bkgdset(' ');
    x = 1 + term_text(stdscr, 0, 1, COLS - 2, "boxlogin", bar | A_BOLD) + 2;
    snprintf(badge, sizeof badge, " %s ", config_env_badge(ui->ctx.cfg->env));
    x += term_text(stdscr, 0, x, COLS - x, badge,
                   term_attr(prod ? UI_ENV_PROD : UI_ENV_TEST));
    x += 2;
    /* Which way the form finds a customer: a lookup by email sends no password. */
    if (ui->ctx.lookup_mode && ui->ctx.session == NULL) {
        /* TRANSLATORS: header badge for the partner lookup mode (F4); upper case. */
        const char *mode = _("LOOK UP BY EMAIL");

        x += term_text(stdscr, 0, x, COLS - x - 1, mode, bar | A_BOLD) + 2;
    }
    term_text(stdscr, 0, x, COLS - x - 1, ui->ctx.host, bar);
}

/* The tab screens in order; returns how many. */
static int
tabs(enum screen_id out[SCREEN_COUNT])
{
    int n = 0;

    for (int i = 0; i < SCREEN_COUNT; i++)
        if (screens[i]->tab != NULL)
            out[n++] = (enum screen_id)i;
    return n;
}

/* The line of tabs under the header: the current one stands out; one that is loading
 * spins, one that failed is marked. */
static void
draw_tabs(const struct ui *ui)
{
    enum screen_id t[SCREEN_COUNT];
    int n = tabs(t), x = 1;
    struct timespec now;
    long frame;

    clock_gettime(CLOCK_MONOTONIC, &now);
    frame = now.tv_sec * 10 + now.tv_nsec / 100000000;
    move(1, 0);
    clrtoeol();
    for (int i = 0; i < n && x < COLS - 1; i++) {
        const struct screen *s = screens[t[i]];
        enum tab_state st =
            s->tab_state != NULL ? s->tab_state(ui->state[t[i]], &ui->ctx) : TAB_READY;
        const char *mark = st == TAB_FAILED  ? "!"
                           : st == TAB_READY ? ""
                                             : term_spinner(frame);
        attr_t a = t[i] == ui->current ? (A_REVERSE | A_BOLD) : term_attr(UI_HINT);
        char number[16];

        /* " 2 Profile ⠋ ": the label, translated, drawn on its own so that a long one is
         * cut with the ellipsis rather than mid-character. */
        snprintf(number, sizeof number, " %d ", i + 1);
        x += term_text(stdscr, 1, x, COLS - x - 1, number, a);
        x += term_text(stdscr, 1, x, COLS - x - 1, _(s->tab), a);
        if (mark[0] != '\0') {
            x += term_text(stdscr, 1, x, COLS - x - 1, " ", a);
            x += term_text(stdscr, 1, x, COLS - x - 1, mark, a);
        }
        x += term_text(stdscr, 1, x, COLS - x - 1, " ", a) + 1;
    }
}

/* Whether the current screen takes text: ? and q are characters there. */
static int
typing(const struct ui *ui)
{
    const struct screen *s = current(ui);

    return s->typing != NULL && s->typing(ui->state[ui->current]);
}

/* The keys the loop itself handles, listed in every screen's help after the screen's. */
static const struct key_hint loop_keys[] = {
    /* TRANSLATORS: help overlay line for F1 (and ?): open this list of keys. */
    {"F1", N_("this help"), HINT_HELP_ONLY},
    /* TRANSLATORS: help overlay line for F10 and Ctrl-C: leave boxlogin. */
    {"F10", N_("quit"), HINT_HELP_ONLY},
    {"^C", N_("quit"), HINT_HELP_ONLY},
};
/* ... where no text is typed ... */
static const struct key_hint loop_keys_untyped[] = {
    {"F1", N_("this help"), HINT_HELP_ONLY},
    {"?", N_("this help"), HINT_HELP_ONLY},
    /* TRANSLATORS: help overlay line for m: show a message that was cut, whole. */
    {"m", N_("show a cut message whole"), HINT_HELP_ONLY},
    /* TRANSLATORS: help overlay line for q: leave boxlogin. */
    {"q", N_("quit"), HINT_HELP_ONLY},
    {"F10", N_("quit"), HINT_HELP_ONLY},
    {"^C", N_("quit"), HINT_HELP_ONLY},
};
/* ... and on the tabs of the account view, whose keys the Summary holds. */
static const struct key_hint loop_keys_tabs[] = {
    /* TRANSLATORS: help overlay line for 1, 2, 3: switch to that tab. */
    {"1-3", N_("Summary, Profile, Shipments"), HINT_HELP_ONLY},
    /* TRANSLATORS: help overlay line for Tab: the next tab. */
    {"Tab", N_("next tab"), HINT_HELP_ONLY},
    /* TRANSLATORS: help overlay line for Shift-Tab (a key name): the previous tab. */
    {N_("Shift-Tab"), N_("previous tab"), HINT_HELP_ONLY},
    /* TRANSLATORS: help overlay line for n: wipe this customer, back to an empty form. */
    {"n", N_("new lookup: wipe this customer"), HINT_HELP_ONLY},
    /* TRANSLATORS: help overlay line for k: show or hide the customer key. */
    {"k", N_("show or hide the customer key"), HINT_HELP_ONLY},
    /* TRANSLATORS: help overlay line for f: delete the stored key, after a y/n question.
     */
    {"f", N_("forget the stored key (asks first)"), HINT_HELP_ONLY},
    {"F1", N_("this help"), HINT_HELP_ONLY},
    {"?", N_("this help"), HINT_HELP_ONLY},
    {"m", N_("show a cut message whole"), HINT_HELP_ONLY},
    {"q", N_("quit"), HINT_HELP_ONLY},
    {"F10", N_("quit"), HINT_HELP_ONLY},
    {"^C", N_("quit"), HINT_HELP_ONLY},
};

/* The help overlay: the keys of the screen just drawn, then the loop's. */
static void
help_overlay(struct ui *ui)
{
    if (current(ui)->tab != NULL)
        ui->help_pages =
            term_help(loop_keys_tabs, TERM_COUNT(loop_keys_tabs), ui->help_page);
    else if (typing(ui))
        ui->help_pages = term_help(loop_keys, TERM_COUNT(loop_keys), ui->help_page);
    else
        ui->help_pages =
            term_help(loop_keys_untyped, TERM_COUNT(loop_keys_untyped), ui->help_page);
}

/* Draws the screen as it is now into curses' buffers, without sending it to the
 * terminal: the help's page count comes out of it. */
static void
compose(struct ui *ui)
{
    erase();
    if (too_small()) {
        char need[128];

        if (!ui->hidden && current(ui)->hide != NULL)
            current(ui)->hide(ui->state[ui->current], &ui->ctx);
        ui->hidden = 1;
        term_cursor(0);
        /* TRANSLATORS: under "Terminal too small": columns x lines needed, then the
         * terminal's. */
        snprintf(need, sizeof need, _("need %dx%d, have %dx%d"), MIN_COLS, MIN_LINES,
                 COLS, LINES);
        term_centred(LINES / 2 - 1, _("Terminal too small"), A_BOLD);
        term_centred(LINES / 2, need, A_NORMAL);
        /* TRANSLATORS: F10 is the key; keep it. */
        term_centred(LINES / 2 + 1, _("F10 quits"), term_attr(UI_HINT));
        wnoutrefresh(stdscr);
    } else {
        ui->hidden = 0;
        draw_header(ui);
        if (current(ui)->tab != NULL)
            draw_tabs(ui);
        term_typing(typing(ui));
        term_status_reset();
        wnoutrefresh(stdscr);
        current(ui)->draw(ui->state[ui->current], &ui->ctx);
        if (ui->whole && term_status_cut() != NULL) {
            term_message(term_status_cut());
            term_cursor(0);
        } else if (ui->help) {
            help_overlay(ui);
            term_cursor(0);
        }
    }
}

static void
redraw(struct ui *ui)
{
    compose(ui);
    doupdate();
}

/* The answers that belong to the loop: the credentials step and the history's warning.
 */
static unsigned
loop_result(struct ui *ui, struct job_result *r)
{
    if (r->kind == JOB_NOTE) {
        /* Said once: every lookup after it would repeat it. */
        if (r->u.note != NULL && !ui->history_warned)
            ui_say(&ui->ctx, UI_ERROR, "%s", r->u.note);
        ui->history_warned = 1;
    } else if (r->err.kind != BL_OK) {
        error_move(&ui->fatal, &r->err);
    } else if (r->u.note != NULL) {
        ui_say(&ui->ctx, UI_NOTICE, _("Note: %s"), r->u.note);
    }
    return REDO_DRAW;
}

/* Tells every screen what the desk's news is; returns the redo bits. */
static unsigned
spread(struct ui *ui, const struct desk_news *news)
{
    unsigned redo = 0;

    if (news->changed == 0)
        return 0;
    ui->ctx.session = ui->desk.session;
    /* An answer, not an opening (whose parts only start loading). */
    if ((news->changed & DESK_PROFILE) && !(news->changed & DESK_OPENED))
        ui->fresh |= 1u;
    if ((news->changed & DESK_SHIPMENTS) && !(news->changed & DESK_OPENED))
        ui->fresh |= 2u;
    if (news->changed & DESK_SAY)
        ui_say(&ui->ctx, news->bad ? UI_ERROR : UI_NOTICE, "%s", news->say);
    for (int i = 0; i < SCREEN_COUNT; i++)
        if (screens[i]->news != NULL)
            redo |= follow(ui, screens[i]->news(ui->state[i], &ui->ctx, news));
    return redo | REDO_DRAW;
}

/* Hands every waiting worker result to whoever queued its job: the loop, the desk or
 * a screen; returns the redo bits. An answer nobody waits for any more is dropped. */
static unsigned
take_results(struct ui *ui)
{
    struct job_result *r;
    unsigned redo = 0;
    int to;

    while ((r = worker_take(ui->ctx.worker)) != NULL) {
        ui->ctx.message_fresh = 0;
        if (r->kind == JOB_NOTE ||
            (r->seq == ui->credentials_seq && r->kind == JOB_CREDENTIALS)) {
            redo |= loop_result(ui, r);
        } else if (desk_owns(&ui->desk, r->seq)) {
            struct desk_news news;

            desk_take(&ui->desk, r, &news);
            redo |= spread(ui, &news);
        } else if ((to = route_of(ui, r->seq)) >= 0 && screens[to]->result != NULL) {
            redo |= follow(ui, screens[to]->result(ui->state[to], &ui->ctx, r));
        }
        job_result_free(r);
    }
    return redo;
}

/* After ESC [ or ESC O: the rest of a sequence ncurses does not know, up to its final
 * byte, is swallowed whole. */
static void
swallow_sequence(void)
{
    int ret;
    wint_t ch;

    while ((ret = get_wch(&ch)) != ERR && !(ret == OK && ch >= 0x40 && ch <= 0x7e))
        ;
}

/* Gives a key to screen id; a question it asks takes the next key. */
static struct reaction
screen_key(struct ui *ui, enum screen_id id, int ret, wint_t ch)
{
    struct reaction r = screens[id]->key(ui->state[id], &ui->ctx, ret, ch);

    if (ui->ctx.asking)
        ui->asker = id;
    return r;
}

/* Moves to tab i (0-based) of the account view, if there is one. */
static unsigned
to_tab(struct ui *ui, int i)
{
    enum screen_id t[SCREEN_COUNT];
    int n = tabs(t);

    if (i < 0 || i >= n || t[i] == ui->current)
        return 0;
    switch_to(ui, t[i]);
    return REDO_DRAW;
}

/*
 * A key for the current screen; what a tab does not use goes to the tabs (1 2 3,
 * Tab, Shift-Tab) and then to the first tab, which holds the account's keys (n c k
 * f q on every tab).
 */
static unsigned
account_key(struct ui *ui, int ret, wint_t ch)
{
    struct reaction r = screen_key(ui, ui->current, ret, ch);
    enum screen_id t[SCREEN_COUNT];
    int n = tabs(t), at = 0;

    if (!(r.redo & REDO_PASS) || current(ui)->tab == NULL)
        return follow(ui, r) & ~REDO_PASS;
    while (at < n && t[at] != ui->current)
        at++;
    if (ret == OK && ch >= '1' && ch < (wint_t)('1' + n))
        return to_tab(ui, (int)(ch - '1'));
    if (ret == OK && ch == '\t')
        return to_tab(ui, (at + 1) % n);
    if (ret == KEY_CODE_YES && ch == KEY_BTAB)
        return to_tab(ui, (at + n - 1) % n);
    if (ui->current != t[0])
        return follow(ui, screen_key(ui, t[0], ret, ch)) & ~REDO_PASS;
    return 0;
}

/*
 * One key; returns the redo bits. F10 and Ctrl-C quit everywhere; F1, or ? where no
 * text is typed, opens the help, and the key that closes it does nothing else. While
 * the terminal is too small the screen is hidden: only Esc reaches it (to cancel, to
 * go back), and q quits where it is no text.
 */
static unsigned
one_key(struct ui *ui, int ret, wint_t ch)
{
    int fkey = ret == KEY_CODE_YES;

    ui->ctx.message_fresh = 0;
    if (fkey && ch == KEY_RESIZE)
        return REDO_DRAW;
    if ((ret == OK && ch == 3) || (fkey && ch == KEY_F(10)))
        return REDO_QUIT;
    if (too_small()) {
        if (ret == OK && ch == 27)
            return account_key(ui, ret, ch) | REDO_DRAW;
        return ret == OK && ch == 'q' && !typing(ui) ? REDO_QUIT : 0;
    }
    /* Grown back from too small in this batch: the screen (a form's window) must be back
     * before it takes the keys typed after the resize. */
    if (ui->hidden)
        redraw(ui);
    /* Space shows the help's next page, while there is one; any other key closes it. How
     * many pages there are is that of the screen as it is now, not as it was last drawn:
     * F1 typed ahead with the Space, or a key or an answer taken since, may have changed
     * what the help lists. */
    if (ui->help && ret == OK && ch == ' ') {
        compose(ui);
        if (ui->help_page + 1 < ui->help_pages) {
            ui->help_page++;
            return REDO_DRAW;
        }
    }
    if (ui->help || ui->whole) {
        ui->help = ui->whole = 0;
        return REDO_DRAW;
    }
    /* m shows a message that had to be cut, where m is no text. */
    if (ret == OK && ch == 'm' && !typing(ui) && !ui->ctx.asking &&
        term_status_cut() != NULL) {
        ui->whole = 1;
        return REDO_DRAW;
    }
    if ((fkey && ch == KEY_F(1)) || (ret == OK && ch == '?' && !typing(ui))) {
        ui->help = 1;
        ui->help_page = 0;
        return REDO_DRAW;
    }
    if (ui->ctx.asking)
        return (follow(ui, screen_key(ui, ui->asker, ret, ch)) & ~REDO_PASS) | REDO_DRAW;
    return account_key(ui, ret, ch);
}

/*
 * Reads every pending key; returns the redo bits. An Esc read together with the next
 * key is Esc, then that key; only an ESC [ or ESC O sequence that ncurses did not turn
 * into a key is swallowed.
 */
static unsigned
take_keys(struct ui *ui)
{
    unsigned redo = 0;
    int ret, have = 0;
    wint_t ch;

    while (have || (ret = get_wch(&ch)) != ERR) {
        have = 0;
        if (ret == OK && ch == 27) {
            wint_t next;
            int next_ret = get_wch(&next);

            if (next_ret == OK && (next == '[' || next == 'O')) {
                swallow_sequence();
                continue;
            }
            redo |= one_key(ui, ret, ch);
            if (next_ret != ERR) {
                ret = next_ret;
                ch = next;
                have = 1;
            }
        } else {
            redo |= one_key(ui, ret, ch);
        }
        if (redo & REDO_QUIT)
            break;
    }
    return redo;
}

/*
 * Returns the exit status the signals read ask for, or -1 to go on. The first
 * signal that ends the UI decides: a SIGINT (a quit key, 0) after a SIGTERM
 * does not turn 143 into 0.
 */
static int
take_signals(void)
{
    unsigned char sig;
    int status = -1;

    while (read(signal_pipe[0], &sig, 1) == 1)
        if (status < 0 && sig != SIGWINCH) /* a resize only wakes the loop */
            status = sig == SIGINT ? 0 : 128 + sig;
    return status;
}

/* ncurses' own SIGWINCH handler, which makes the next get_wch say KEY_RESIZE. */
static struct sigaction curses_winch;

/*
 * A resize that comes while the loop is not in poll (drawing, say) would only be seen
 * at the next key: ncurses' handler runs, then ours wakes poll through the pipe.
 */
static void
on_winch(int sig)
{
    if (curses_winch.sa_handler != SIG_DFL && curses_winch.sa_handler != SIG_IGN)
        curses_winch.sa_handler(sig);
    on_signal(sig);
}

static void
catch_winch(void)
{
    struct sigaction sa = {.sa_handler = on_winch};

    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &sa, &curses_winch);
    if (curses_winch.sa_flags & SA_SIGINFO) /* not ncurses' kind: leave it alone */
        sigaction(SIGWINCH, &curses_winch, NULL);
}

/* How long poll may sleep: what the current screen wishes, or a spinner's frame while
 * a tab is loading. */
static int
poll_timeout(const struct ui *ui)
{
    const struct screen *s = current(ui);
    int ms = s->poll_ms != NULL && !ui->hidden ? s->poll_ms(ui->state[ui->current]) : -1;

    if (s->tab != NULL && !ui->hidden)
        for (int i = 0; i < SCREEN_COUNT; i++)
            if (screens[i]->tab != NULL && screens[i]->tab_state != NULL &&
                screens[i]->tab_state(ui->state[i], &ui->ctx) == TAB_LOADING)
                return ms < 0 || ms > 100 ? 100 : ms;
    return ms;
}

/* Logs which account results are now on screen, with the process's CPU time so far
 * (for make bench). */
static void
log_drawn(struct ui *ui)
{
    struct timespec cpu;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    for (unsigned bit = 0; bit < 2; bit++)
        if (ui->fresh & (1u << bit))
            log_msg("%s drawn (cpu %.1f ms)", bit ? "shipments" : "profile",
                    (double)cpu.tv_sec * 1e3 + (double)cpu.tv_nsec / 1e6);
    ui->fresh = 0;
}

/*
 * Leaving while a change runs: one not yet sent is cancelled (and noted as such), one
 * sent is waited for, at most its calls' timeouts, so that its outcome is in the history
 * before the worker stops.
 */
static void
finish_change(struct ui *ui)
{
    long limit =
        3 * (ui->ctx.cfg->timeout_ms > 0 ? ui->ctx.cfg->timeout_ms : 30000) + 2000;
    struct timespec start, now;

    if (!desk_change_busy(&ui->desk))
        return;
    desk_change_cancel(&ui->desk);
    log_msg("quitting: waiting for the change to end");
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (desk_change_busy(&ui->desk)) {
        struct pollfd fd = {.fd = worker_fd(ui->ctx.worker), .events = POLLIN};
        long spent;

        clock_gettime(CLOCK_MONOTONIC, &now);
        spent =
            (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (spent >= limit)
            break;
        if (poll(&fd, 1, (int)(limit - spent)) > 0)
            take_results(ui);
    }
}

/* The terminal hung up: its other side closed (POLLHUP, POLLERR) or it went away. */
#define HUNG_UP (POLLHUP | POLLERR | POLLNVAL)

static int
run(struct ui *ui)
{
    if (screens[ui->current]->enter != NULL)
        screens[ui->current]->enter(ui->state[ui->current], &ui->ctx);
    redraw(ui);
    log_msg("form drawn");
    for (;;) {
        struct pollfd fds[3] = {
            {.fd = STDIN_FILENO, .events = POLLIN},
            {.fd = worker_fd(ui->ctx.worker), .events = POLLIN},
            {.fd = signal_pipe[0], .events = POLLIN},
        };
        unsigned redo = 0;
        int n, status;

        n = poll(fds, 3, poll_timeout(ui));
        if (n < 0 && errno != EINTR)
            return 129;
        if (fds[2].revents != 0 && (status = take_signals()) >= 0) {
            finish_change(ui);
            return status;
        }
        if (fds[0].revents & HUNG_UP) {
            log_msg("the terminal hung up");
            finish_change(ui);
            return 129;
        }
        if (fds[1].revents != 0) {
            redo |= take_results(ui);
            if (ui->fatal.kind != BL_OK)
                return error_exit_status(ui->fatal.kind);
        }
        /* Also after EINTR: a SIGWINCH is picked up by get_wch as KEY_RESIZE. */
        redo |= take_keys(ui);
        if (redo & REDO_QUIT) {
            finish_change(ui);
            return 0;
        }
        if (n == 0 || (redo & REDO_DRAW))
            redraw(ui);
        if (ui->fresh != 0 && log_enabled())
            log_drawn(ui);
    }
}

/* The worker must not take the signals that the loop handles. */
static struct worker *
start_worker(const struct bl_config *cfg, struct bl_error *err)
{
    sigset_t block, old;
    struct worker *w;

    signals_fill(&block);
    sigaddset(&block, SIGWINCH);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    w = worker_start(cfg, err);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return w;
}

/* Makes every screen's state; returns 0 or -1. */
static int
create_screens(struct ui *ui)
{
    for (int i = 0; i < SCREEN_COUNT; i++)
        if ((ui->state[i] = screens[i]->create(&ui->ctx)) == NULL)
            return -1;
    return 0;
}

static void
destroy_screens(struct ui *ui)
{
    for (int i = 0; i < SCREEN_COUNT; i++) {
        if (ui->state[i] != NULL)
            screens[i]->destroy(ui->state[i]);
        ui->state[i] = NULL;
    }
}

int
ui_main(const struct cli *cli)
{
    struct bl_config cfg = {0};
    struct config_sources sources = {0};
    struct bl_error err = {0};
    struct ui ui;
    char *host = NULL;
    int status = 2, started = 0;

    memset(&ui, 0, sizeof ui);
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "boxlogin: %s\n",
                _("the UI needs a terminal; for scripts use 'boxlogin login'"));
        return 2;
    }
    /* The keyring is left to the worker: the form is drawn before it answers. */
    if (config_load(&cli->args, &cfg, &sources, &err) != 0 ||
        api_check_url(cfg.base_url, &host, &err) != 0)
        goto out;
    if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        error_set(&err, BL_INTERNAL, "%s", strerror(errno));
        goto out;
    }
    /* Ours before newterm: ncurses then leaves SIGINT and SIGTERM alone. */
    signals_catch(on_signal);
    if ((ui.ctx.worker = start_worker(&cfg, &err)) == NULL)
        goto out;
    /* The credentials step (the keyring may take seconds) is the worker's first job. */
    ui.credentials_seq = worker_seq(ui.ctx.worker);
    if (job_credentials(ui.ctx.worker, ui.credentials_seq, &sources, &err) != 0)
        goto out;
    /* The job has its own copy; the UI never needs the app keys. */
    config_sources_free(&sources);
    desk_init(&ui.desk, ui.ctx.worker, &cfg);
    ui.ctx.desk = &ui.desk;
    if (term_start(&err) != 0)
        goto out;
    started = 1;
    catch_winch();
    ui.ctx.cfg = &cfg;
    ui.ctx.host = host;
    ui.ctx.prefill_email = cli->email;
    ui.current = SCREEN_LOGIN;
    if (create_screens(&ui) != 0) {
        error_set(&err, BL_INTERNAL, "%s", _("out of memory"));
        goto out;
    }
    log_msg("UI started (%s, %s)", config_env_name(cfg.env), host);
    status = run(&ui);
out:
    /* The screens go while the terminal is still in curses mode, and the terminal is
     * restored before the worker is stopped: a keyring call may hold it for seconds. */
    destroy_screens(&ui);
    if (started)
        term_stop();
    if (err.kind != BL_OK) {
        fprintf(stderr, "boxlogin: %s\n", err.message);
        status = error_exit_status(err.kind);
    }
    if (ui.fatal.kind != BL_OK)
        fprintf(stderr, "boxlogin: %s\n", ui.fatal.message);
    desk_free(&ui.desk);
    worker_stop(ui.ctx.worker);
    places_cache_clear(); /* the lists JOB_PLACES lent the screens */
    error_clear(&ui.fatal);
    config_free(&cfg);
    config_sources_free(&sources);
    error_clear(&err);
    free(host);
    return status;
}
