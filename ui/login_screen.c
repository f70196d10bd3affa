/* The login form: email and password (ncurses form library), then the wait for the
 * worker. */
#include "draw.h"
#include "screen.h"
#include "../src/log.h"
#include "../src/prompt.h"
#include "../src/secmem.h"
#include "../src/text.h"

#include <form.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LABEL_W   10
#define FIELD_W   40
#define FORM_W    (LABEL_W + FIELD_W)
#define MAX_EMAIL 254

enum { F_EMAIL, F_PASSWORD, F_COUNT };

static struct {
    FIELD *fields[F_COUNT + 1];
    FORM *form;
    WINDOW *win;
    int revealed;
    int busy;                /* a login is on the worker; the form is locked */
    unsigned long seq;       /* that login */
    struct timespec started; /* when it was sent */
} ls;

static int
form_top(void)
{
    return LINES >= 20 ? 4 : 3;
}

static int
request(int req)
{
    return form_driver_w(ls.form, KEY_CODE_YES, (wchar_t)req);
}

/* Moves to another field (REQ_NEXT_FIELD, REQ_PREV_FIELD), at the end of its text. */
static void
move_focus(int req)
{
    request(req);
    request(REQ_END_FIELD);
}

/* Unposts the form, first moving what was typed into the field buffers (or it is lost).
 */
static void
unpost(void)
{
    request(REQ_VALIDATION);
    unpost_form(ls.form);
}

/* (Re)places the form window for the current terminal size; the fields keep their text.
 */
static void
place_form(void)
{
    FIELD *cur = ls.form != NULL ? current_field(ls.form) : NULL;

    if (ls.form != NULL && ls.win != NULL)
        unpost();
    if (ls.win != NULL)
        delwin(ls.win);
    ls.win = newwin(4, FORM_W, form_top(), (COLS - FORM_W) / 2);
    keypad(ls.win, TRUE);
    set_form_win(ls.form, ls.win);
    set_form_sub(ls.form, ls.win);
    if (cur != NULL)
        set_current_field(ls.form, cur);
    post_form(ls.form);
}

static void
create_form(void)
{
    for (int i = 0; i < F_COUNT; i++) {
        FIELD *f = new_field(1, FIELD_W, i * 2, LABEL_W, 0, 0);

        set_field_back(f, theme_attr(UI_FIELD));
        field_opts_off(f, O_AUTOSKIP | O_STATIC | O_BLANK);
        ls.fields[i] = f;
    }
    set_max_field(ls.fields[F_EMAIL], MAX_EMAIL);
    set_max_field(ls.fields[F_PASSWORD], PROMPT_MAX_SECRET);
    field_opts_off(ls.fields[F_PASSWORD], O_PUBLIC);
    ls.fields[F_COUNT] = NULL;
    ls.form = new_form(ls.fields);
}

static void
login_enter(struct ui *ui)
{
    if (ls.form == NULL) {
        create_form();
        if (ui->cli->email != NULL) {
            char *e = text_trimmed(ui->cli->email);

            set_field_buffer(ls.fields[F_EMAIL], 0, e != NULL ? e : "");
            free(e);
        }
    }
    place_form();
    /* The first form, prefilled by --email, starts on the password. */
    set_current_field(
        ls.form,
        ls.fields[ui->cli->email != NULL && ui->session_seq == 0 ? F_PASSWORD : F_EMAIL]);
    request(REQ_END_FIELD);
}

/* Empties a field in place: set_field_buffer overwrites every cell, so no text is left
 * behind. */
static void
clear_field(int i)
{
    set_field_buffer(ls.fields[i], 0, "");
}

/* Leaving for the session view: the password goes (the email stays until "n"). */
static void
login_leave(struct ui *ui)
{
    (void)ui;
    clear_field(F_PASSWORD);
}

static void
set_reveal(int on)
{
    FIELD *cur = current_field(ls.form);

    /* Options of the current field cannot change while the form is posted. */
    unpost();
    if (on)
        field_opts_on(ls.fields[F_PASSWORD], O_PUBLIC);
    else
        field_opts_off(ls.fields[F_PASSWORD], O_PUBLIC);
    set_current_field(ls.form, cur);
    post_form(ls.form);
    request(REQ_END_FIELD);
    ls.revealed = on;
}

static void
login_draw(struct ui *ui)
{
    static const char *const edit_keys[] = {"Enter", "log in",        "Tab", "next field",
                                            "F2",    "show password", "^U",  "clear",
                                            "F10",   "quit",          NULL};
    static const char *const busy_keys[] = {"Esc", "cancel", "F10", "quit", NULL};
    static const char *const spin_utf8[] = {"⠋", "⠙", "⠹", "⠸", "⠼",
                                            "⠴", "⠦", "⠧", "⠇", "⠏"};
    static const char *const spin_ascii[] = {"|", "/", "-", "\\"};
    int top = form_top(), x = (COLS - FORM_W) / 2, wy, wx;

    getbegyx(ls.win, wy, wx);
    if (wy != top || wx != x)
        place_form(); /* the terminal was resized */
    draw_text(stdscr, top - 2, x, FORM_W, "Customer login", theme_attr(UI_TITLE));
    draw_footer(ls.busy ? busy_keys : edit_keys);
    if (ls.busy) {
        double t = ui_ms_since(&ls.started) / 1000.0;
        char line[600];
        int frame = (int)(t * 10);
        const char *spin = ui->unicode ? spin_utf8[frame % 10] : spin_ascii[frame % 4];

        snprintf(line, sizeof line, "%s Logging in to %s… %.1f s", spin, ui->host, t);
        draw_status(line, UI_NOTICE);
    } else if (ui->message[0] != '\0') {
        draw_status(ui->message, ui->message_meaning);
    }
    wnoutrefresh(stdscr);

    /* The labels live in the form window, beside their fields. */
    for (int i = 0; i < F_COUNT; i++) {
        int focus = current_field(ls.form) == ls.fields[i] && !ls.busy;

        draw_text(ls.win, i * 2, 0, LABEL_W, i == F_EMAIL ? "Email" : "Password",
                  focus ? A_BOLD : theme_attr(UI_HINT));
    }
    mvwhline(ls.win, 3, 0, ' ', FORM_W);
    if (!ls.revealed && current_field(ls.form) == ls.fields[F_PASSWORD])
        draw_text(ls.win, 3, LABEL_W, FIELD_W, "(hidden; F2 shows it)",
                  theme_attr(UI_HINT));
    touchwin(ls.win);
    pos_form_cursor(ls.form);
    wnoutrefresh(ls.win);
    curs_set(ls.busy ? 0 : 1);
}

/* Copies the trimmed email out of its field. */
static char *
take_email(void)
{
    return text_trimmed(field_buffer(ls.fields[F_EMAIL], 0));
}

/*
 * Copies the password into a secmem buffer and wipes the copy the form library
 * made for us (it would free it unwiped). The field keeps the text, so that a
 * cancel returns to the form with what was typed. The library pads the buffer
 * with spaces, so trailing spaces of a password cannot be told from padding.
 */
static char *
take_password(size_t *len)
{
    char *lib = field_buffer(ls.fields[F_PASSWORD], 0), *pw;
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

static int
submit(struct ui *ui)
{
    char *email, *pw;
    size_t len;

    if (request(REQ_VALIDATION) != E_OK)
        return REACT_REDRAW;
    email = take_email();
    if (email == NULL || email[0] == '\0' || strchr(email, '@') == NULL) {
        ui_message(ui, UI_ERROR,
                   email != NULL && email[0] != '\0'
                       ? "That email has no @: check it and try again"
                       : "Type the customer's email first");
        set_current_field(ls.form, ls.fields[F_EMAIL]);
        request(REQ_END_FIELD);
        free(email);
        return REACT_REDRAW;
    }
    pw = take_password(&len);
    if (pw == NULL || len == 0) {
        ui_message(ui, UI_ERROR, "Type the customer's password first");
        set_current_field(ls.form, ls.fields[F_PASSWORD]);
        secmem_free(pw);
        free(email);
        return REACT_REDRAW;
    }
    ls.seq = ++ui->seq;
    ls.busy = 1;
    clock_gettime(CLOCK_MONOTONIC, &ls.started);
    ui_net_activity(ui);
    ui->message[0] = '\0';
    worker_login(ui->worker, ls.seq, email, pw, len);
    return REACT_REDRAW;
}

/* Enter: on the email it moves on, on the password it logs in. */
static int
enter(struct ui *ui)
{
    if (current_field(ls.form) == ls.fields[F_EMAIL]) {
        move_focus(REQ_NEXT_FIELD);
        return REACT_REDRAW;
    }
    return submit(ui);
}

static int
login_key(struct ui *ui, int ret, wint_t ch)
{
    if (ret == KEY_CODE_YES && ch == KEY_F(10))
        return REACT_QUIT;
    if (ls.busy) {
        if (ret == OK && ch == 27) {
            worker_cancel(ui->worker, ls.seq);
            ls.busy = 0;
            ui_message(ui, UI_NOTICE, "Login cancelled");
        }
        return REACT_REDRAW;
    }
    if (ret == KEY_CODE_YES) {
        switch (ch) {
        case KEY_F(2):
            set_reveal(!ls.revealed);
            break;
        case KEY_DOWN:
            move_focus(REQ_NEXT_FIELD);
            break;
        case KEY_UP:
        case KEY_BTAB:
            move_focus(REQ_PREV_FIELD);
            break;
        case KEY_ENTER:
            return enter(ui);
        case KEY_LEFT:
            request(REQ_LEFT_CHAR);
            break;
        case KEY_RIGHT:
            request(REQ_RIGHT_CHAR);
            break;
        case KEY_HOME:
            request(REQ_BEG_FIELD);
            break;
        case KEY_END:
            request(REQ_END_FIELD);
            break;
        case KEY_BACKSPACE:
            request(REQ_DEL_PREV);
            break;
        case KEY_DC:
            request(REQ_DEL_CHAR);
            break;
        default:
            break;
        }
        return REACT_REDRAW;
    }
    switch (ch) {
    case '\t':
        move_focus(REQ_NEXT_FIELD);
        break;
    case '\r':
    case '\n':
        return enter(ui);
    case 0x15: /* ^U */
        request(REQ_CLR_FIELD);
        break;
    case 0x01: /* ^A */
        request(REQ_BEG_FIELD);
        break;
    case 0x05: /* ^E */
        request(REQ_END_FIELD);
        break;
    case 0x7f:
    case 0x08:
        request(REQ_DEL_PREV);
        break;
    default:
        if (ch >= 0x20 && !(ch >= 0x7f && ch < 0xa0))
            form_driver_w(ls.form, OK, (wchar_t)ch);
        break;
    }
    return REACT_REDRAW;
}

static void
login_result(struct ui *ui, struct worker_result *r)
{
    if (r->kind != RESULT_LOGIN || !ls.busy || r->seq != ls.seq) {
        /* An answer to a cancelled login, or for an earlier session. */
        worker_result_free(r);
        return;
    }
    ls.busy = 0;
    log_msg("login %lu: %s %.1f ms after Enter", r->seq,
            r->session ? "session" : "failure", ui_ms_since(&ls.started));
    ui_net_activity(ui);
    clear_field(F_PASSWORD);
    if (ls.revealed)
        set_reveal(0);
    if (r->session != NULL) {
        ui_drop_session(ui);
        ui->session = r->session;
        r->session = NULL;
        ui->session_seq = r->seq;
        ui->key_state = KEY_SAVING;
        ui->message[0] = '\0';
        ui->next = &session_screen;
    } else {
        ui_message(ui, UI_ERROR, "%s: %s", error_title(r->err.kind), r->err.message);
        set_current_field(ls.form, ls.fields[F_PASSWORD]);
    }
    worker_result_free(r);
}

static int
login_poll_ms(const struct ui *ui)
{
    (void)ui;
    return ls.busy ? 100 : -1;
}

void
login_screen_reset(void)
{
    if (ls.form == NULL)
        return;
    clear_field(F_EMAIL);
    clear_field(F_PASSWORD);
    set_current_field(ls.form, ls.fields[F_EMAIL]);
}

void
login_screen_free(void)
{
    if (ls.form == NULL)
        return;
    login_screen_reset();
    unpost();
    free_form(ls.form);
    for (int i = 0; i < F_COUNT; i++)
        free_field(ls.fields[i]);
    if (ls.win != NULL)
        delwin(ls.win);
    memset(&ls, 0, sizeof ls);
}

const struct screen login_screen = {
    .enter = login_enter,
    .draw = login_draw,
    .key = login_key,
    .result = login_result,
    .poll_ms = login_poll_ms,
    .leave = login_leave,
};
