/* The session view: who the customer is and what state the account is in. */
#include "screen.h"
#include "../src/secmem.h"
#include "../src/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct session_view {
    int show_key;             /* k: the customer key in clear */
    unsigned long forget_job; /* f: the forget on the worker, or 0 */
    int forgotten;            /* f succeeded: the stored key is gone */
};

static void *
session_create(struct ui_ctx *ctx)
{
    (void)ctx;
    return calloc(1, sizeof(struct session_view));
}

static void
session_destroy(void *state)
{
    free(state);
}

static void
session_reset(void *state, struct ui_ctx *ctx)
{
    (void)ctx;
    memset(state, 0, sizeof(struct session_view));
}

static void
session_enter(void *state, struct ui_ctx *ctx)
{
    session_reset(state, ctx);
    curs_set(0);
}

/* VIP and BUSINESS are facts, not alarms; the other flags are good or bad news. */
static enum ui_meaning
badge_meaning(const struct session_badge *b)
{
    if (b->value == FLAG_UNKNOWN)
        return UI_UNKNOWN;
    switch (b->flag) {
    case SESSION_VIP:
    case SESSION_BUSINESS:
        return b->value == FLAG_YES ? UI_INFO : UI_PLAIN;
    case SESSION_ACTIVE:
    case SESSION_ENABLED:
    case SESSION_VERIFIED:
        break;
    }
    return b->value == FLAG_YES ? UI_GOOD : UI_BAD;
}

static void
row(int y, int x, const char *label, const char *value, attr_t a)
{
    term_text(stdscr, y, x, 14, label, term_attr(UI_HINT));
    term_text(stdscr, y, x + 14, COLS - x - 15, value, a);
}

/* The badges on as many lines as they need from y; returns the line after them. */
static int
draw_badges(const struct bl_session *s, int y, int x)
{
    struct session_badge b[SESSION_BADGES];
    int bx = x;

    session_badges(s, b);
    for (int i = 0; i < SESSION_BADGES; i++) {
        char word[24];

        snprintf(word, sizeof word, " %s ", b[i].word);
        if (bx + term_width(word) >= COLS - 1) {
            bx = x;
            y++;
        }
        bx += term_text(stdscr, y, bx, COLS - bx - 1, word,
                        term_attr(badge_meaning(&b[i])));
        bx += 1;
    }
    return y + 1;
}

static void
draw_keyring(const struct session_view *sv, const struct ui_ctx *ctx, int y, int x)
{
    char line[600];

    if (sv->forgotten) {
        row(y, x, "Keyring", "Stored key forgotten (f)", term_attr(UI_NOTICE));
        return;
    }
    switch (ctx->key_state) {
    case KEYRING_OPENED:
        row(y, x, "Keyring", "Opened with the key stored in the keyring",
            term_attr(UI_GOOD));
        break;
    case KEYRING_SAVING:
        row(y, x, "Keyring",
            term_unicode() ? "Saving the key to the keyring…"
                           : "Saving the key to the keyring...",
            term_attr(UI_NOTICE));
        break;
    case KEYRING_SAVED:
        row(y, x, "Keyring", "Key saved to keyring", term_attr(UI_GOOD));
        break;
    case KEYRING_NOT_SAVED:
        snprintf(line, sizeof line, "Key not saved: %s",
                 ctx->key_note != NULL ? ctx->key_note : "unknown reason");
        row(y, x, "Keyring", line, term_attr(UI_ERROR));
        break;
    }
}

static void
session_draw(void *state, struct ui_ctx *ctx)
{
    static const struct key_hint keys[] = {
        {"n", "new lookup", 1}, {"1-3", "tabs", 0},     {"c", "copy box ID", 0},
        {"k", "show key", 0},   {"f", "forget key", 0}, {"q", "quit", 1},
    };
    struct session_view *sv = state;
    const struct bl_session *s = ctx->session;
    const char *dash = term_unicode() ? "—" : "-";
    char box[32];
    int x = COLS >= 80 ? 4 : 2, y = 2;

    if (s == NULL)
        return;
    term_text(stdscr, y, x, COLS - x - 1,
              s->name != NULL ? s->name : "(no name on record)", term_attr(UI_TITLE));
    snprintf(box, sizeof box, "%llu", (unsigned long long)s->box_id);
    y += 2;
    row(y++, x, "Box ID", box, A_BOLD);
    y = draw_badges(s, y + 1, x) + 1;
    row(y++, x, "Email", s->email != NULL ? s->email : "", A_NORMAL);
    row(y++, x, "Enrolled", s->enrolment_date[0] ? s->enrolment_date : dash, A_NORMAL);
    row(y++, x, "Activated", s->activation_date[0] ? s->activation_date : dash, A_NORMAL);
    if (sv->show_key) {
        char *shown = text_sanitize(s->customer_key, strlen(s->customer_key));

        row(y++, x, "Customer key", shown != NULL ? shown : "", A_BOLD);
        secmem_free(shown);
    } else {
        row(y++, x, "Customer key",
            term_unicode() ? "••••••••••••  (k shows it)" : "************  (k shows it)",
            term_attr(UI_HINT));
    }
    draw_keyring(sv, ctx, y, x);
    if (ctx->message[0] != '\0')
        term_status(ctx->message, ctx->message_meaning);
    term_footer(keys, 6);
    wnoutrefresh(stdscr);
}

static struct reaction
session_key(void *state, struct ui_ctx *ctx, int ret, wint_t ch)
{
    struct session_view *sv = state;
    char box[32];

    if (ret == KEY_CODE_YES)
        return ch == KEY_F(10) ? REACT_QUIT : REACT_PASS;
    switch (ch) {
    case 'q':
    case 'Q':
        return REACT_QUIT;
    case 'n':
    case 'N':
        ctx->message[0] = '\0';
        return (struct reaction){.redo = REDO_DRAW, .go = GO_NEW_LOOKUP};
    case 'c':
    case 'C':
        snprintf(box, sizeof box, "%llu", (unsigned long long)ctx->session->box_id);
        term_clipboard(box);
        ui_say(ctx, UI_NOTICE,
               "Box ID %s sent to the clipboard (OSC 52; some terminals ignore it)", box);
        return REACT_REDRAW;
    case 'k':
    case 'K':
        sv->show_key = !sv->show_key;
        return REACT_REDRAW;
    case 'f':
    case 'F':
        sv->forget_job = ui_job(ctx);
        worker_forget(ctx->worker, sv->forget_job, ctx->session->email);
        ui_say(ctx, UI_NOTICE, "%s",
               term_unicode() ? "Forgetting the stored key…"
                              : "Forgetting the stored key...");
        return REACT_REDRAW;
    default:
        return REACT_PASS;
    }
}

static struct reaction
session_result(void *state, struct ui_ctx *ctx, struct worker_result *r)
{
    struct session_view *sv = state;

    if (r->kind != RESULT_FORGET || r->seq != sv->forget_job || ctx->session == NULL)
        return REACT_NONE;
    sv->forget_job = 0;
    if (!r->ok)
        ui_say(ctx, UI_ERROR, "Could not forget the key: %s",
               r->err.message != NULL ? r->err.message : "?");
    else if (r->count == 0)
        ui_say(ctx, UI_NOTICE, "No stored key for %s", ctx->session->email);
    else
        ui_say(ctx, UI_NOTICE, "Stored key forgotten");
    if (r->ok && r->count > 0)
        sv->forgotten = 1;
    return REACT_REDRAW;
}

const struct screen session_screen = {
    .tab = "Summary",
    .create = session_create,
    .destroy = session_destroy,
    .reset = session_reset,
    .enter = session_enter,
    .draw = session_draw,
    .key = session_key,
    .result = session_result,
};
