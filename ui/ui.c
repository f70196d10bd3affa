/* The UI loop: owns the terminal, the only get_wch and the only poll. */
#include "ui.h"
#include "draw.h"
#include "screen.h"
#include "../src/api.h"
#include "../src/commands.h"
#include "../src/log.h"
#include "../src/secmem.h"
#include "../src/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIN_COLS  60
#define MIN_LINES 16
/* libcurl drops connections idle for 118 s (CURLOPT_MAXAGE_CONN): warm up before that. */
#define REWARM_MS 100000.0

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
ui_message(struct ui *ui, enum ui_meaning m, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(ui->message, sizeof ui->message, fmt, ap);
    va_end(ap);
    ui->message_meaning = m;
}

double
ui_ms_since(const struct timespec *t)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) * 1e3 +
           (double)(now.tv_nsec - t->tv_nsec) / 1e6;
}

void
ui_net_activity(struct ui *ui)
{
    clock_gettime(CLOCK_MONOTONIC, &ui->last_net);
}

/* Opens the API connection ahead of the next login (unless --no-prewarm / prewarm =
 * false). */
static void
prewarm(struct ui *ui)
{
    if (!ui->cfg->prewarm)
        return;
    worker_prewarm(ui->worker, ++ui->seq);
    ui_net_activity(ui);
}

/* How long poll may sleep: the screen's wish, but no later than the next warm-up. */
static int
poll_timeout(const struct ui *ui)
{
    int screen = ui->screen->poll_ms(ui), warm;

    if (!ui->cfg->prewarm)
        return screen;
    warm = (int)(REWARM_MS - ui_ms_since(&ui->last_net));
    if (warm < 0)
        warm = 0;
    return screen < 0 || warm < screen ? warm : screen;
}

void
ui_drop_session(struct ui *ui)
{
    session_free(ui->session);
    ui->session = NULL;
    free(ui->key_why);
    ui->key_why = NULL;
}

static void
switch_screen(struct ui *ui)
{
    while (ui->next != NULL) {
        const struct screen *next = ui->next;

        ui->next = NULL;
        if (ui->screen != NULL && ui->screen->leave != NULL)
            ui->screen->leave(ui);
        ui->screen = next;
        clear();
        next->enter(ui);
    }
}

static int
too_small(void)
{
    return COLS < MIN_COLS || LINES < MIN_LINES;
}

static void
centered(int y, const char *text, attr_t a)
{
    int x = (COLS - draw_width(text)) / 2;

    draw_text(stdscr, y, x > 0 ? x : 0, COLS, text, a);
}

static void
redraw(struct ui *ui)
{
    erase();
    if (too_small()) {
        char need[64];

        curs_set(0);
        snprintf(need, sizeof need, "need %dx%d, have %dx%d", MIN_COLS, MIN_LINES, COLS,
                 LINES);
        centered(LINES / 2 - 1, "Terminal too small", A_BOLD);
        centered(LINES / 2, need, A_NORMAL);
        centered(LINES / 2 + 1, "F10 quits", theme_attr(UI_HINT));
        wnoutrefresh(stdscr);
    } else {
        draw_header(ui);
        ui->screen->draw(ui);
    }
    doupdate();
}

/* Hands every waiting worker result to the screen it is for. */
static void
take_results(struct ui *ui)
{
    struct worker_result *r;

    while ((r = worker_take(ui->worker)) != NULL) {
        if (r->kind == RESULT_CONFIG) {
            if (!r->ok)
                error_move(&ui->fatal, &r->err);
            else if (r->note != NULL)
                ui_message(ui, UI_NOTICE, "Note: %s", r->note);
            worker_result_free(r);
            continue;
        }
        ui->screen->result(ui, r);
        switch_screen(ui);
    }
}

/*
 * After an ESC: when more input is already waiting, this was no Esc key but an
 * Alt-combination or an escape sequence ncurses does not know. Swallows it and
 * returns 1; returns 0 for a lone Esc.
 */
static int
swallow_sequence(void)
{
    wint_t ch;
    int ret = get_wch(&ch);

    if (ret == ERR)
        return 0;
    if (ret == OK && (ch == '[' || ch == 'O'))
        while ((ret = get_wch(&ch)) != ERR && !(ret == OK && ch >= 0x40 && ch <= 0x7e))
            ;
    return 1;
}

/* Reads every pending key; returns the reactions. */
static int
take_keys(struct ui *ui)
{
    int react = REACT_NONE, ret;
    wint_t ch;

    while ((ret = get_wch(&ch)) != ERR) {
        if (ret == KEY_CODE_YES && ch == KEY_RESIZE) {
            react |= REACT_REDRAW;
        } else if (ret == OK && ch == 3) { /* Ctrl-C quits from anywhere */
            react |= REACT_QUIT;
        } else if (ret == OK && ch == 27 && swallow_sequence()) {
            continue;
        } else if (too_small()) {
            if ((ret == KEY_CODE_YES && ch == KEY_F(10)) || (ret == OK && ch == 'q'))
                react |= REACT_QUIT;
        } else {
            react |= ui->screen->key(ui, ret, ch) | REACT_REDRAW;
            switch_screen(ui);
        }
        if (react & REACT_QUIT)
            break;
    }
    return react;
}

/* Returns the exit status a signal asks for, or -1 to go on. */
static int
take_signals(void)
{
    unsigned char sig;
    int status = -1;

    while (read(signal_pipe[0], &sig, 1) == 1) {
        if (sig == SIGINT)
            status = 0; /* Ctrl-C is a quit key */
        else if (status < 0 || sig != SIGINT)
            status = 128 + sig;
    }
    return status;
}

static int
run(struct ui *ui)
{
    int status = 0;

    ui->next = &login_screen;
    switch_screen(ui);
    redraw(ui);
    log_msg("form drawn");
    prewarm(ui);
    for (;;) {
        struct pollfd fds[3] = {
            {.fd = STDIN_FILENO, .events = POLLIN},
            {.fd = worker_fd(ui->worker), .events = POLLIN},
            {.fd = signal_pipe[0], .events = POLLIN},
        };
        int react = REACT_NONE, n;

        n = poll(fds, 3, poll_timeout(ui));
        if (n < 0 && errno != EINTR)
            break;
        if (fds[2].revents != 0 && (status = take_signals()) >= 0)
            break;
        status = 0;
        if (fds[1].revents != 0) {
            take_results(ui);
            react |= REACT_REDRAW;
            if (ui->fatal.kind != BL_OK) {
                status = error_exit_status(ui->fatal.kind);
                break;
            }
        }
        /* Also after EINTR: a SIGWINCH is picked up by get_wch as KEY_RESIZE. */
        react |= take_keys(ui);
        if (react & REACT_QUIT)
            break;
        if (ui->cfg->prewarm && ui_ms_since(&ui->last_net) >= REWARM_MS)
            prewarm(ui);
        if (n == 0 || (react & REACT_REDRAW))
            redraw(ui);
    }
    return status;
}

/* The worker must not take the signals that the loop handles. */
static struct worker *
start_worker(const struct bl_config *cfg, const struct config_sources *sources,
             struct bl_error *err)
{
    sigset_t block, old;
    struct worker *w;

    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGWINCH);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    w = worker_start(cfg, sources, err);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return w;
}

int
ui_main(const struct cli *cli)
{
    struct bl_config cfg = {0};
    struct config_sources sources = {0};
    struct bl_error err = {0};
    struct ui ui;
    SCREEN *term = NULL;
    char *host = NULL;
    int status = 2;

    memset(&ui, 0, sizeof ui);
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr,
                "boxlogin: the UI needs a terminal; for scripts use 'boxlogin login'\n");
        return 2;
    }
    /* The keyring is left to the worker: the form is drawn before it answers. */
    if (cmd_load_config(cli, &cfg, &sources, &err) != 0 ||
        api_check_url(cfg.base_url, &host, &err) != 0) {
        fprintf(stderr, "boxlogin: %s\n", err.message);
        goto out;
    }
    if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        fprintf(stderr, "boxlogin: %s\n", strerror(errno));
        goto out;
    }
    /* Ours before newterm: ncurses then leaves SIGINT and SIGTERM alone. */
    signals_catch(on_signal);
    if ((ui.worker = start_worker(&cfg, &sources, &err)) == NULL) {
        fprintf(stderr, "boxlogin: %s\n", err.message);
        goto out;
    }
    /* The worker has its own copy; the UI never needs the app keys. */
    config_sources_free(&sources);
    term = newterm(NULL, stdout, stdin);
    if (term == NULL) {
        const char *t = getenv("TERM");

        fprintf(stderr,
                "boxlogin: cannot use terminal type '%s'; try TERM=xterm-256color\n",
                t != NULL ? t : "");
        goto out;
    }
    set_term(term);
    /* raw, not cbreak: Ctrl-C arrives as a key, and Ctrl-\, Ctrl-Z and Ctrl-S cannot
     * kill, stop or freeze the UI by accident. Signals sent with kill are still handled.
     */
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    theme_init();

    ui.cli = cli;
    ui.cfg = &cfg;
    ui.host = host;
    ui.tty_out = stdout;
    ui.unicode = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    log_msg("UI started (%s, %s)", config_env_name(cfg.env), host);
    status = run(&ui);
out:
    if (term != NULL) {
        login_screen_free();
        endwin();
        delscreen(term);
    }
    if (ui.fatal.kind != BL_OK)
        fprintf(stderr, "boxlogin: %s\n", ui.fatal.message);
    /* The terminal is restored first: a keyring call may hold the worker for a few
     * seconds. */
    worker_stop(ui.worker);
    error_clear(&ui.fatal);
    ui_drop_session(&ui);
    config_free(&cfg);
    config_sources_free(&sources);
    error_clear(&err);
    free(host);
    return status;
}
