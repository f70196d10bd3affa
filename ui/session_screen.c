/* The session view: who the customer is and what state the account is in. */
#include "draw.h"
#include "screen.h"
#include "../src/secmem.h"
#include "../src/text.h"

#include <stdlib.h>
#include <string.h>

static struct {
    int show_key;
    unsigned long forget_seq;
} ss;

static void
session_enter(struct ui *ui)
{
    (void)ui;
    ss.show_key = 0;
    ss.forget_seq = 0;
    curs_set(0);
}

static enum ui_meaning
badge_meaning(int i, enum bl_flag v)
{
    /* ACTIVE, VIP, BUSINESS, ENABLED, VERIFIED: VIP and BUSINESS are facts, not alarms.
     */
    if (v == FLAG_UNKNOWN)
        return UI_UNKNOWN;
    if (i == 1 || i == 2)
        return v == FLAG_YES ? UI_INFO : UI_PLAIN;
    return v == FLAG_YES ? UI_GOOD : UI_BAD;
}

static void
row(int y, int x, const char *label, const char *value, attr_t a)
{
    draw_text(stdscr, y, x, 14, label, theme_attr(UI_HINT));
    draw_text(stdscr, y, x + 14, COLS - x - 15, value, a);
}

static void
session_draw(struct ui *ui)
{
    static const char *const keys[] = {"n", "new lookup", "c", "copy box ID",
                                       "k", "show key",   "f", "forget key",
                                       "q", "quit",       NULL};
    const struct bl_session *s = ui->session;
    struct session_badge b[SESSION_BADGES];
    char box[32], keyline[600];
    int x = COLS >= 80 ? 4 : 2, y = 2, bx;

    if (s == NULL)
        return;
    draw_text(stdscr, y, x, COLS - x - 1,
              s->name != NULL ? s->name : "(no name on record)", theme_attr(UI_TITLE));
    snprintf(box, sizeof box, "%llu", (unsigned long long)s->box_id);
    y += 2;
    row(y++, x, "Box ID", box, A_BOLD);
    y++;
    session_badges(s, b);
    bx = x;
    for (int i = 0; i < SESSION_BADGES; i++) {
        char word[24];

        snprintf(word, sizeof word, " %s ", b[i].word);
        if (bx + draw_width(word) >= COLS - 1) {
            bx = x;
            y++;
        }
        bx += draw_text(stdscr, y, bx, COLS - bx - 1, word,
                        theme_attr(badge_meaning(i, b[i].value)));
        bx += 1;
    }
    y += 2;
    row(y++, x, "Email", s->email != NULL ? s->email : "", A_NORMAL);
    row(y++, x, "Enrolled", s->enrolment_date[0] ? s->enrolment_date : "—", A_NORMAL);
    row(y++, x, "Activated", s->activation_date[0] ? s->activation_date : "—", A_NORMAL);
    if (ss.show_key) {
        char *shown = text_sanitize(s->customer_key, strlen(s->customer_key));

        row(y++, x, "Customer key", shown != NULL ? shown : "", A_BOLD);
        secmem_free(shown);
    } else {
        row(y++, x, "Customer key", "••••••••••••  (k shows it)", theme_attr(UI_HINT));
    }
    switch (ui->key_state) {
    case KEY_SAVING:
        row(y++, x, "Keyring", "Saving the key to the keyring…", theme_attr(UI_NOTICE));
        break;
    case KEY_SAVED:
        row(y++, x, "Keyring", "Key saved to keyring", theme_attr(UI_GOOD));
        break;
    case KEY_NOT_SAVED:
        snprintf(keyline, sizeof keyline, "Key not saved: %s",
                 ui->key_why != NULL ? ui->key_why : "unknown reason");
        row(y++, x, "Keyring", keyline, theme_attr(UI_ERROR));
        break;
    }
    if (ui->message[0] != '\0')
        draw_status(ui->message, ui->message_meaning);
    draw_footer(keys);
    wnoutrefresh(stdscr);
}

/* The box ID to the terminal's clipboard (OSC 52); terminals may ignore it, so say
 * "sent". */
static void
copy_box_id(struct ui *ui)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char text[32], enc[64];
    size_t n, o = 0;

    n = (size_t)snprintf(text, sizeof text, "%llu",
                         (unsigned long long)ui->session->box_id);
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)text[i] << 16;

        v |= i + 1 < n ? (unsigned char)text[i + 1] << 8 : 0;
        v |= i + 2 < n ? (unsigned char)text[i + 2] : 0;
        enc[o++] = b64[(v >> 18) & 63];
        enc[o++] = b64[(v >> 12) & 63];
        enc[o++] = (char)(i + 1 < n ? b64[(v >> 6) & 63] : '=');
        enc[o++] = (char)(i + 2 < n ? b64[v & 63] : '=');
    }
    enc[o] = '\0';
    fprintf(ui->tty_out, "\033]52;c;%s\a", enc);
    fflush(ui->tty_out);
    ui_message(ui, UI_NOTICE,
               "Box ID %s sent to the clipboard (OSC 52; some terminals ignore it)",
               text);
}

static int
session_key(struct ui *ui, int ret, wint_t ch)
{
    if (ret == KEY_CODE_YES)
        return ch == KEY_F(10) ? REACT_QUIT : REACT_NONE;
    switch (ch) {
    case 'q':
    case 'Q':
        return REACT_QUIT;
    case 'n':
    case 'N':
        ui_drop_session(ui);
        login_screen_reset();
        ui->message[0] = '\0';
        ui->next = &login_screen;
        return REACT_REDRAW;
    case 'c':
    case 'C':
        copy_box_id(ui);
        return REACT_REDRAW;
    case 'k':
    case 'K':
        ss.show_key = !ss.show_key;
        return REACT_REDRAW;
    case 'f':
    case 'F':
        ss.forget_seq = ++ui->seq;
        worker_forget(ui->worker, ss.forget_seq, ui->session->email);
        ui_message(ui, UI_NOTICE, "Forgetting the stored key…");
        return REACT_REDRAW;
    default:
        return REACT_NONE;
    }
}

static void
session_result(struct ui *ui, struct worker_result *r)
{
    if (r->kind == RESULT_KEY && r->seq == ui->session_seq) {
        ui->key_state = r->ok ? KEY_SAVED : KEY_NOT_SAVED;
        free(ui->key_why);
        ui->key_why = r->err.message;
        r->err.message = NULL;
    } else if (r->kind == RESULT_FORGET && r->seq == ss.forget_seq) {
        if (!r->ok)
            ui_message(ui, UI_ERROR, "Could not forget the key: %s",
                       r->err.message ? r->err.message : "?");
        else if (r->count == 0)
            ui_message(ui, UI_NOTICE, "No stored key for %s", ui->session->email);
        else
            ui_message(ui, UI_NOTICE, "Stored key forgotten");
        if (r->ok && ui->key_state == KEY_SAVED) {
            ui->key_state = KEY_NOT_SAVED;
            free(ui->key_why);
            ui->key_why = strdup("forgotten (f)");
        }
    }
    worker_result_free(r);
}

static int
session_poll_ms(const struct ui *ui)
{
    (void)ui;
    return -1;
}

static void
session_leave(struct ui *ui)
{
    (void)ui;
    ss.show_key = 0;
}

const struct screen session_screen = {
    .enter = session_enter,
    .draw = session_draw,
    .key = session_key,
    .result = session_result,
    .poll_ms = session_poll_ms,
    .leave = session_leave,
};
