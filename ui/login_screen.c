/* The login form: email and password (ncurses form library), then the wait for the
 * worker. */
#include "screen.h"
#include "../src/i18n.h"
#include "../src/log.h"
#include "../src/prompt.h"
#include "../src/secmem.h"
#include "../src/text.h"

#include <form.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#define LABEL_W   10 /* the label column at least: the longer label and two spaces */
#define FIELD_W   40
#define FORM_ROWS 4
#define MAX_EMAIL 254

enum { F_EMAIL, F_PASSWORD, F_COUNT };

/* The labels beside the fields, translated where drawn. */
static const char *const labels[F_COUNT] = {
    /* TRANSLATORS: label of the login form's first field. */
    [F_EMAIL] = N_("Email"),
    /* TRANSLATORS: label of the login form's second field. */
    [F_PASSWORD] = N_("Password"),
};

struct login {
    FIELD *fields[F_COUNT + 1];
    FORM *form;
    WINDOW *win;             /* the form's window; NULL while the form is not posted */
    WINDOW *sub;             /* the fields' part of it, right of the labels */
    int label_w;             /* the columns left of the fields while posted */
    int revealed;            /* F2: the password is shown */
    int masked;              /* columns of the password typed: a mask of as many */
    int prefilled;           /* --email was put in the form once */
    int busy;                /* a login is on the worker; the form is locked */
    unsigned long job;       /* that login */
    struct timespec started; /* when it was sent */
};

static int
form_top(void)
{
    return LINES >= 20 ? 4 : 3;
}

/* The label column: the wider translated label and two spaces, at least LABEL_W, at most
 * a third of the screen (a longer label is cut with an ellipsis). */
static int
label_column(void)
{
    int widest = 0;

    for (int i = 0; i < F_COUNT; i++) {
        int w = term_width(_(labels[i]));

        if (w > widest)
            widest = w;
    }
    return term_label_column(widest + 2, LABEL_W);
}

static int
request(struct login *ls, int req)
{
    return form_driver_w(ls->form, KEY_CODE_YES, (wchar_t)req);
}

/* Moves to another field (REQ_NEXT_FIELD, REQ_PREV_FIELD), at the end of its text. */
static void
move_focus(struct login *ls, int req)
{
    request(ls, req);
    request(ls, REQ_END_FIELD);
}

static void
focus(struct login *ls, int field)
{
    set_current_field(ls->form, ls->fields[field]);
    request(ls, REQ_END_FIELD);
}

static int
focused(const struct login *ls, int field)
{
    return current_field(ls->form) == ls->fields[field];
}

/*
 * Takes the form off the screen, first moving what was typed into the field
 * buffers (or it is lost), and lets its window go.
 */
static void
unpost(struct login *ls)
{
    if (ls->win == NULL)
        return;
    /* A shrink cuts the form's window before the loop hears of it: the cut window no
     * longer holds the field, and validating would read garbage into the buffer. The
     * buffer already holds every edit (login_key validates after each). */
    if (getmaxx(ls->sub) >= FIELD_W)
        request(ls, REQ_VALIDATION);
    unpost_form(ls->form);
    if (ls->sub != NULL)
        delwin(ls->sub);
    delwin(ls->win);
    ls->sub = NULL;
    ls->win = NULL;
}

/* Puts the form on the screen for the current terminal size; the fields keep their
 * text and the focus. */
static void
post(struct login *ls)
{
    FIELD *cur = current_field(ls->form);

    unpost(ls);
    ls->label_w = label_column();
    ls->win = newwin(FORM_ROWS, ls->label_w + FIELD_W, form_top(),
                     (COLS - ls->label_w - FIELD_W) / 2);
    if (ls->win == NULL)
        return;
    /* The fields live in a part of the window right of the labels, as wide as the
     * translated labels need. */
    ls->sub = derwin(ls->win, FORM_ROWS, FIELD_W, 0, ls->label_w);
    if (ls->sub == NULL) {
        delwin(ls->win);
        ls->win = NULL;
        return;
    }
    keypad(ls->win, TRUE);
    set_form_win(ls->form, ls->win);
    set_form_sub(ls->form, ls->sub);
    set_current_field(ls->form, cur);
    post_form(ls->form);
    request(ls, REQ_END_FIELD);
}

/* Empties a field in place: set_field_buffer overwrites every cell, so no text is left
 * behind. The wide field_buffer (take_password) also drew the text into the field's
 * private working window, which only the next field_buffer clears: one more call, on the
 * emptied field, clears it, and its result is wiped like any other. */
static void
clear_field(struct login *ls, int i)
{
    char *lib;

    set_field_buffer(ls->fields[i], 0, "");
    if ((lib = field_buffer(ls->fields[i], 0)) != NULL)
        explicit_bzero(lib, strlen(lib));
    if (i == F_PASSWORD)
        ls->masked = 0;
}

/*
 * Measures the password for its mask: the columns its text takes, read from the copy the
 * form library makes, which is wiped at once (the library would free it unwiped). The
 * text itself goes nowhere: the mask only needs its width.
 */
static void
measure_password(struct login *ls)
{
    char *lib = field_buffer(ls->fields[F_PASSWORD], 0);
    size_t n = lib != NULL ? strlen(lib) : 0, full = n, at = 0;
    mbstate_t st;
    wchar_t c;
    int cols = 0;

    while (n > 0 && lib[n - 1] == ' ')
        n--;
    memset(&st, 0, sizeof st);
    while (at < n) {
        size_t k = mbrtowc(&c, lib + at, n - at, &st);
        int w;

        if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
            k = 1;
            memset(&st, 0, sizeof st);
            c = L'?';
        }
        w = wcwidth(c);
        cols += w > 0 ? w : 1;
        at += k;
    }
    explicit_bzero(&c, sizeof c);
    if (lib != NULL)
        explicit_bzero(lib, full);
    ls->masked = cols;
}

/* The mask over the password field: the form library shows nothing of a field that is not
 * public, so one bullet a column of what was typed is drawn in its place. */
static void
draw_mask(const struct login *ls)
{
    const char *bullet = "•";
    char mask[FIELD_W * 3 + 1];
    int n = ls->masked < FIELD_W - 1 ? ls->masked : FIELD_W - 1;
    size_t at = 0;

    for (int i = 0; i < n; i++) {
        memcpy(mask + at, bullet, 3);
        at += 3;
    }
    mask[at] = '\0';
    wattrset(ls->sub, (int)term_attr(UI_FIELD));
    mvwhline(ls->sub, F_PASSWORD * 2, 0, ' ', FIELD_W);
    wattrset(ls->sub, A_NORMAL);
    term_text(ls->sub, F_PASSWORD * 2, 0, FIELD_W, mask, term_attr(UI_FIELD));
}

static void
login_destroy(void *state)
{
    struct login *ls = state;

    if (ls == NULL)
        return;
    if (ls->form != NULL) {
        unpost(ls);
        clear_field(ls, F_EMAIL);
        clear_field(ls, F_PASSWORD);
        free_form(ls->form);
    }
    for (int i = 0; i < F_COUNT; i++)
        if (ls->fields[i] != NULL)
            free_field(ls->fields[i]);
    free(ls);
}

static void *
login_create(struct ui_ctx *ctx)
{
    struct login *ls = calloc(1, sizeof *ls);

    (void)ctx;
    if (ls == NULL)
        return NULL;
    for (int i = 0; i < F_COUNT; i++) {
        FIELD *f = new_field(1, FIELD_W, i * 2, 0, 0, 0);

        if (f == NULL) {
            login_destroy(ls);
            return NULL;
        }
        set_field_back(f, term_attr(UI_FIELD));
        field_opts_off(f, O_AUTOSKIP | O_STATIC | O_BLANK);
        ls->fields[i] = f;
    }
    set_max_field(ls->fields[F_EMAIL], MAX_EMAIL);
    set_max_field(ls->fields[F_PASSWORD], PROMPT_MAX_SECRET);
    field_opts_off(ls->fields[F_PASSWORD], O_PUBLIC);
    ls->form = new_form(ls->fields);
    if (ls->form == NULL) {
        login_destroy(ls);
        return NULL;
    }
    return ls;
}

static void
login_enter(void *state, struct ui_ctx *ctx)
{
    struct login *ls = state;

    if (!ls->prefilled && ctx->prefill_email != NULL) {
        char *e = text_trimmed(ctx->prefill_email);

        set_field_buffer(ls->fields[F_EMAIL], 0, e != NULL ? e : "");
        free(e);
        /* The first form, prefilled by --email, starts on the password. */
        set_current_field(ls->form, ls->fields[F_PASSWORD]);
    }
    ls->prefilled = 1;
    if (ctx->picked[0] != '\0') {
        /* An email picked from the stored accounts: the password is next. */
        set_field_buffer(ls->fields[F_EMAIL], 0, ctx->picked);
        clear_field(ls, F_PASSWORD);
        set_current_field(ls->form, ls->fields[ctx->lookup_mode ? F_EMAIL : F_PASSWORD]);
        ctx->picked[0] = '\0';
    }
    post(ls);
    worker_form_up(ctx->worker, 1);
}

static void
set_reveal(struct login *ls, int on)
{
    /* Options of the current field cannot change while the form is posted. */
    int posted = ls->win != NULL;

    unpost(ls);
    if (on)
        field_opts_on(ls->fields[F_PASSWORD], O_PUBLIC);
    else
        field_opts_off(ls->fields[F_PASSWORD], O_PUBLIC);
    ls->revealed = on;
    if (posted)
        post(ls);
}

/* Leaving for the session view: the password goes (the email stays until "n"). */
static void
login_leave(void *state, struct ui_ctx *ctx)
{
    struct login *ls = state;

    if (ls->revealed)
        set_reveal(ls, 0);
    clear_field(ls, F_PASSWORD);
    unpost(ls);
    worker_form_up(ctx->worker, 0);
}

static void
login_hide(void *state, struct ui_ctx *ctx)
{
    (void)ctx;
    unpost(state);
}

static void
login_reset(void *state, struct ui_ctx *ctx)
{
    struct login *ls = state;

    (void)ctx;
    if (ls->revealed)
        set_reveal(ls, 0);
    clear_field(ls, F_EMAIL);
    clear_field(ls, F_PASSWORD);
    set_current_field(ls->form, ls->fields[F_EMAIL]);
}

static void
draw_busy(const struct login *ls, const struct ui_ctx *ctx)
{
    struct timespec now;
    double t;
    char text[600], line[640];
    int frame;

    clock_gettime(CLOCK_MONOTONIC, &now);
    t = (double)(now.tv_sec - ls->started.tv_sec) +
        (double)(now.tv_nsec - ls->started.tv_nsec) / 1e9;
    frame = (int)(t * 10);
    if (ctx->lookup_mode)
        /* TRANSLATORS: the status line while looking up (F4): %s is the API host, %.1f
         * the seconds so far (s: seconds). */
        snprintf(text, sizeof text, _("Looking the customer up at %s… %.1f s"), ctx->host,
                 t);
    else
        /* TRANSLATORS: the status line while logging in: %s is the API host, %.1f the
         * seconds so far (s: seconds). */
        snprintf(text, sizeof text, _("Logging in to %s… %.1f s"), ctx->host, t);
    snprintf(line, sizeof line, "%s %s", term_spinner(frame), text);
    term_status(line, UI_NOTICE);
}

/*
 * F4: the form logs in, or looks the customer up by email with the partner call.
 * Looking up hides the password field, and nothing typed into it is kept.
 */
static void
set_lookup(struct login *ls, struct ui_ctx *ctx, int on)
{
    int posted = ls->win != NULL;

    unpost(ls);
    if (ls->revealed)
        set_reveal(ls, 0);
    clear_field(ls, F_PASSWORD);
    if (on) {
        set_current_field(ls->form, ls->fields[F_EMAIL]);
        field_opts_off(ls->fields[F_PASSWORD], O_VISIBLE | O_ACTIVE);
    } else {
        field_opts_on(ls->fields[F_PASSWORD], O_VISIBLE | O_ACTIVE);
    }
    ctx->lookup_mode = on;
    if (posted)
        post(ls);
}

static void
login_draw(void *state, struct ui_ctx *ctx)
{
    /* The way out and the main action stay; ^U goes first, then Tab, F2, F4, F3. */
    static const struct key_hint edit_keys[] = {
        /* TRANSLATORS: key hint (Enter), one or two words: send the login. */
        {"Enter", N_("log in"), HINT_ESSENTIAL},
        /* TRANSLATORS: key hint (F3), one word: the list of stored accounts. */
        {"F3", N_("accounts"), 1},
        /* TRANSLATORS: key hint (F4), one or two words: switch to looking a customer up
         * by email. */
        {"F4", N_("look up"), 2},
        /* TRANSLATORS: key hint (F2), a few words: show or hide the typed password. */
        {"F2", N_("show password"), 3},
        /* TRANSLATORS: key hint (Tab), a few words. */
        {"Tab", N_("next field"), 4},
        /* TRANSLATORS: key hint (Ctrl-U), one word: empty the field. */
        {"^U", N_("clear"), 5},
        /* TRANSLATORS: key hint (F10), one word. */
        {"F10", N_("quit"), HINT_ESSENTIAL},
        /* TRANSLATORS: help line for Up and Down (a key name), a few words. */
        {N_("Up/Down"), N_("previous or next field"), HINT_HELP_ONLY},
        /* TRANSLATORS: help line for Shift-Tab (a key name), a few words. */
        {N_("Shift-Tab"), N_("previous field"), HINT_HELP_ONLY},
        /* TRANSLATORS: help line for Home and End (key names), a few words. */
        {N_("Home/End"), N_("start or end of the field (also ^A, ^E)"), HINT_HELP_ONLY},
    };
    /* In lookup mode: the way back to logging in before the list. */
    static const struct key_hint lookup_keys[] = {
        /* TRANSLATORS: key hint (Enter), one or two words: look the customer up by email.
         */
        {"Enter", N_("look up"), HINT_ESSENTIAL},
        /* TRANSLATORS: key hint (F3), one word: the list of stored accounts. */
        {"F3", N_("accounts"), 2},
        /* TRANSLATORS: key hint (F4), one or two words: switch back to the login. */
        {"F4", N_("log in"), 1},
        /* TRANSLATORS: key hint (Ctrl-U), one word: empty the field. */
        {"^U", N_("clear"), 3},
        /* TRANSLATORS: key hint (F10), one word. */
        {"F10", N_("quit"), HINT_ESSENTIAL},
        /* TRANSLATORS: help line for Home and End (key names), a few words. */
        {N_("Home/End"), N_("start or end of the field (also ^A, ^E)"), HINT_HELP_ONLY},
    };
    static const struct key_hint busy_keys[] = {
        /* TRANSLATORS: key hint (Esc), one word: stop the login under way. */
        {"Esc", N_("cancel"), HINT_ESSENTIAL},
        /* TRANSLATORS: key hint (F10), one word. */
        {"F10", N_("quit"), HINT_ESSENTIAL},
    };
    struct login *ls = state;
    int top = form_top(), lw = label_column(), form_w = lw + FIELD_W,
        x = (COLS - form_w) / 2, wy = -1, wx = -1;
    const char *hint = NULL;

    if (ls->win != NULL)
        getbegyx(ls->win, wy, wx);
    if (ls->win == NULL || wy != top || wx != x || ls->label_w != lw)
        post(ls); /* first drawn, or the terminal was resized */
    if (ls->win == NULL)
        return;
    term_text(stdscr, top - 2, x, form_w,
              ctx->lookup_mode ? _("Look up a customer by email") : _("Customer login"),
              term_attr(UI_TITLE));
    if (ls->busy) {
        term_footer(busy_keys, TERM_COUNT(busy_keys));
        draw_busy(ls, ctx);
    } else {
        if (ctx->lookup_mode)
            term_footer(lookup_keys, TERM_COUNT(lookup_keys));
        else
            term_footer(edit_keys, TERM_COUNT(edit_keys));
        /* Below the form the screen is empty, and m is text: the message is wrapped on
         * as many lines as it needs there. */
        if (ctx->message[0] != '\0')
            term_status_lines(ctx->message, ctx->message_meaning,
                              LINES - 2 - (top + FORM_ROWS));
    }
    wnoutrefresh(stdscr);

    /* The labels live in the form window, left of the fields. */
    for (int i = 0; i < (ctx->lookup_mode ? 1 : F_COUNT); i++)
        term_text(ls->win, i * 2, 0, lw - 2, _(labels[i]),
                  focused(ls, i) && !ls->busy ? A_BOLD : term_attr(UI_HINT));
    mvwhline(ls->win, 3, 0, ' ', form_w);
    if (focused(ls, F_PASSWORD) && ls->revealed)
        /* TRANSLATORS: under the password when it is shown; F2 is the key. */
        hint = _("(shown; F2 hides it)");
    else if (focused(ls, F_PASSWORD))
        /* TRANSLATORS: under the password when it is masked; F2 is the key. */
        hint = _("(hidden; F2 shows it)");
    if (hint != NULL)
        term_text(ls->win, 3, lw, FIELD_W, hint, term_attr(UI_HINT));
    if (!ctx->lookup_mode && !ls->revealed)
        draw_mask(ls);
    touchwin(ls->win);
    pos_form_cursor(ls->form);
    wnoutrefresh(ls->win);
    term_cursor(ls->busy ? 0 : 1);
}

/* Copies the trimmed email out of its field. */
static char *
take_email(struct login *ls)
{
    return text_trimmed(field_buffer(ls->fields[F_EMAIL], 0));
}

/*
 * Copies the password into a secmem buffer and wipes the copy the form library
 * made for us (it would free it unwiped). The field keeps the text, so that a
 * cancel returns to the form with what was typed. The library pads the buffer
 * with spaces, so trailing spaces of a password cannot be told from padding.
 */
static char *
take_password(struct login *ls, size_t *len)
{
    char *lib = field_buffer(ls->fields[F_PASSWORD], 0), *pw;
    size_t n = lib != NULL ? strlen(lib) : 0, full = n;

    while (n > 0 && lib[n - 1] == ' ')
        n--;
    pw = secmem_malloc(n + 1);
    if (pw != NULL) {
        if (n > 0)
            memcpy(pw, lib, n);
        pw[n] = '\0';
    }
    if (lib != NULL)
        explicit_bzero(lib, full);
    *len = n;
    return pw;
}

/* The first words of a failure's line: a lookup's failure is not a rejected login. */
static const char *
title(const struct ui_ctx *ctx, enum bl_kind kind)
{
    return ctx->lookup_mode ? error_lookup_title(kind) : error_title(kind);
}

/* The form locks while the opening job runs, or says why it could not start. */
static struct reaction
opening(struct login *ls, struct ui_ctx *ctx, struct bl_error *err)
{
    ls->busy = ls->job != 0;
    if (!ls->busy)
        ui_say(ctx, UI_ERROR, "%s: %s", title(ctx, err->kind), err->message);
    error_clear(err);
    return REACT_REDRAW;
}

static struct reaction
submit(struct login *ls, struct ui_ctx *ctx)
{
    struct bl_error err = {0};
    char *email, *pw;
    size_t len;

    if (request(ls, REQ_VALIDATION) != E_OK)
        return REACT_REDRAW;
    email = take_email(ls);
    if (email == NULL || email[0] == '\0' || strchr(email, '@') == NULL) {
        ui_say(ctx, UI_ERROR, "%s",
               email != NULL && email[0] != '\0'
                   ? _("That email has no @: check it and try again")
                   : _("Type the customer's email first"));
        focus(ls, F_EMAIL);
        free(email);
        return REACT_REDRAW;
    }
    ctx->message[0] = '\0';
    if (ctx->lookup_mode) {
        clock_gettime(CLOCK_MONOTONIC, &ls->started);
        ls->job = desk_lookup(ctx->desk, email, &err);
        return opening(ls, ctx, &err);
    }
    pw = take_password(ls, &len);
    if (pw == NULL || len == 0) {
        ui_say(ctx, UI_ERROR, "%s", _("Type the customer's password first"));
        focus(ls, F_PASSWORD);
        secmem_free(pw);
        free(email);
        return REACT_REDRAW;
    }
    clock_gettime(CLOCK_MONOTONIC, &ls->started);
    ctx->message[0] = '\0';
    ls->job = desk_login(ctx->desk, email, pw, len, &err);
    return opening(ls, ctx, &err);
}

/* Enter: on the email it moves on (or looks up), on the password it logs in. */
static struct reaction
enter_key(struct login *ls, struct ui_ctx *ctx)
{
    if (focused(ls, F_EMAIL) && !ctx->lookup_mode) {
        char *email;

        /* An empty email stays focused: what is typed next is the email, not a hidden
         * password. */
        request(ls, REQ_VALIDATION);
        email = take_email(ls);
        if (email == NULL || email[0] == '\0')
            ui_say(ctx, UI_ERROR, "%s", _("Type the customer's email first"));
        else
            move_focus(ls, REQ_NEXT_FIELD);
        free(email);
        return REACT_REDRAW;
    }
    return submit(ls, ctx);
}

/* Esc while logging in: back to the form with what was typed, unless the answer is in.
 */
static struct reaction
cancel(struct login *ls, struct ui_ctx *ctx)
{
    if (!desk_cancel_opening(ctx->desk))
        return REACT_NONE; /* too late: the answer arrives next */
    ls->busy = 0;
    ui_say(ctx, UI_NOTICE, "%s",
           ctx->lookup_mode ? _("Lookup cancelled") : _("Login cancelled"));
    return REACT_REDRAW;
}

/* Function and cursor keys on the form. */
static struct reaction
edit_key(struct login *ls, struct ui_ctx *ctx, wint_t ch)
{
    switch (ch) {
    case KEY_F(2):
        if (!ctx->lookup_mode)
            set_reveal(ls, !ls->revealed);
        break;
    case KEY_F(3):
        return (struct reaction){.redo = REDO_DRAW, .go = GO_ACCOUNTS};
    case KEY_F(4):
        set_lookup(ls, ctx, !ctx->lookup_mode);
        ctx->message[0] = '\0';
        break;
    case KEY_DOWN:
        move_focus(ls, REQ_NEXT_FIELD);
        break;
    case KEY_UP:
    case KEY_BTAB:
        move_focus(ls, REQ_PREV_FIELD);
        break;
    case KEY_ENTER:
        return enter_key(ls, ctx);
    case KEY_LEFT:
        request(ls, REQ_LEFT_CHAR);
        break;
    case KEY_RIGHT:
        request(ls, REQ_RIGHT_CHAR);
        break;
    case KEY_HOME:
        request(ls, REQ_BEG_FIELD);
        break;
    case KEY_END:
        request(ls, REQ_END_FIELD);
        break;
    case KEY_BACKSPACE:
        request(ls, REQ_DEL_PREV);
        break;
    case KEY_DC:
        request(ls, REQ_DEL_CHAR);
        break;
    default:
        return REACT_NONE;
    }
    return REACT_REDRAW;
}

/* The buffer follows every edit (see unpost), and the mask follows the password. */
static void
after_edit(struct login *ls)
{
    if (ls->win == NULL)
        return;
    request(ls, REQ_VALIDATION);
    if (focused(ls, F_PASSWORD))
        measure_password(ls);
}

static struct reaction
login_key(void *state, struct ui_ctx *ctx, int ret, wint_t ch)
{
    struct login *ls = state;

    if (ret == KEY_CODE_YES && ch == KEY_F(10))
        return REACT_QUIT;
    if (ls->busy)
        return ret == OK && ch == 27 ? cancel(ls, ctx) : REACT_NONE;
    worker_typing(ctx->worker);
    if (ret == KEY_CODE_YES) {
        struct reaction r = edit_key(ls, ctx, ch);

        after_edit(ls);
        return r;
    }
    switch (ch) {
    case '\t':
        move_focus(ls, REQ_NEXT_FIELD);
        break;
    case '\r':
    case '\n':
        return enter_key(ls, ctx);
    case 0x15: /* ^U */
        request(ls, REQ_CLR_FIELD);
        break;
    case 0x01: /* ^A */
        request(ls, REQ_BEG_FIELD);
        break;
    case 0x05: /* ^E */
        request(ls, REQ_END_FIELD);
        break;
    case 0x7f:
    case 0x08:
        request(ls, REQ_DEL_PREV);
        break;
    default:
        if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0))
            return REACT_NONE;
        form_driver_w(ls->form, OK, (wchar_t)ch);
        break;
    }
    after_edit(ls);
    return REACT_REDRAW;
}

static struct reaction
login_news(void *state, struct ui_ctx *ctx, const struct desk_news *news)
{
    struct login *ls = state;
    struct reaction next = REACT_REDRAW;
    struct timespec now, cpu;
    int opened = (news->changed & DESK_OPENED) != 0;

    if (!(news->changed & (DESK_OPENED | DESK_FAILED_TO)) || !ls->busy ||
        news->seq != ls->job)
        return REACT_NONE; /* another screen's opening */
    ls->busy = 0;
    clock_gettime(CLOCK_MONOTONIC, &now);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    log_msg("login %lu: %s %.1f ms after Enter (cpu %.1f ms)", news->seq,
            opened ? "session" : "failure",
            (double)(now.tv_sec - ls->started.tv_sec) * 1e3 +
                (double)(now.tv_nsec - ls->started.tv_nsec) / 1e6,
            (double)cpu.tv_sec * 1e3 + (double)cpu.tv_nsec / 1e6);
    if (ls->revealed)
        set_reveal(ls, 0);
    clear_field(ls, F_PASSWORD);
    if (opened) {
        ctx->message[0] = '\0';
        next.go = GO_SESSION;
    } else {
        ui_say(ctx, UI_ERROR, "%s: %s", title(ctx, ctx->desk->open_err.kind),
               ctx->desk->open_err.message);
        focus(ls, F_PASSWORD);
    }
    return next;
}

/* The form takes text, except while it is locked. */
static int
login_typing(const void *state)
{
    const struct login *ls = state;

    return !ls->busy;
}

static int
login_poll_ms(const void *state)
{
    const struct login *ls = state;

    return ls->busy ? 100 : -1;
}

const struct screen login_screen = {
    .create = login_create,
    .destroy = login_destroy,
    .reset = login_reset,
    .enter = login_enter,
    .leave = login_leave,
    .hide = login_hide,
    .draw = login_draw,
    .key = login_key,
    .news = login_news,
    .poll_ms = login_poll_ms,
    .typing = login_typing,
};
