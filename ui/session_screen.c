/* The session view: who the customer is and what state the account is in. */
#include "screen.h"
#include "../src/i18n.h"
#include "../src/secmem.h"
#include "../src/text.h"
#include "../src/wcfdate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct session_view {
    int show_key; /* k: the customer key in clear */
    int asking;   /* f asked whether to forget the stored key: the next key answers */
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
    term_cursor(0);
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

/* The labels of the summary, in the agent's language where drawn. */
enum summary_label {
    L_BOX_ID,
    L_EMAIL,
    L_ENROLLED,
    L_ACTIVATED,
    L_KEY,
    L_KEYRING,
    L_COUNT
};

static const char *const labels[L_COUNT] = {
    /* TRANSLATORS: label of the summary, left of the customer's box number. */
    [L_BOX_ID] = N_("Box ID"),
    /* TRANSLATORS: label of the summary, left of the customer's email. */
    [L_EMAIL] = N_("Email"),
    /* TRANSLATORS: label of the summary, left of the date the customer enrolled. */
    [L_ENROLLED] = N_("Enrolled"),
    /* TRANSLATORS: label of the summary, left of the date the account was activated. */
    [L_ACTIVATED] = N_("Activated"),
    /* TRANSLATORS: label of the summary, left of the customer key (a secret). */
    [L_KEY] = N_("Customer key"),
    /* TRANSLATORS: label of the summary, left of whether the key was saved to the
     * system keyring. */
    [L_KEYRING] = N_("Keyring"),
};

/* Where the summary's lines go: the label from column x, the value after label_w and two
 * spaces. */
struct place {
    int x, label_w;
};

/* The label column as wide as the widest translated label (12, "Customer key", in
 * English), at most a third of the screen. */
static struct place
place(int x)
{
    int widest = 0;

    for (int i = 0; i < L_COUNT; i++) {
        int w = term_width(_(labels[i]));

        if (w > widest)
            widest = w;
    }
    return (struct place){x, term_label_column(widest, 12)};
}

static void
row(const struct place *p, int y, enum summary_label label, const char *value, attr_t a)
{
    int vx = p->x + p->label_w + 2;

    term_text(stdscr, y, p->x, p->label_w, _(labels[label]), term_attr(UI_HINT));
    term_text(stdscr, y, vx, COLS - vx - 1, value, a);
}

/* The badges on as many lines as they need from y; returns the line after them. */
static int
draw_badges(const struct bl_session *s, int y, int x)
{
    struct session_badge b[SESSION_BADGES];
    int bx = x;

    session_badges(s, b);
    for (int i = 0; i < SESSION_BADGES; i++) {
        char word[128];

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
draw_keyring(const struct ui_ctx *ctx, const struct place *p, int y)
{
    const struct desk *d = ctx->desk;
    /* A key the server refuses is no good news, wherever it is stored. */
    int refused = desk_key_refused(d);
    char line[600];

    switch (d->key) {
    case DESK_KEY_FORGOTTEN:
        /* TRANSLATORS: beside "Keyring" after f (the key pressed) forgot the stored key.
         */
        row(p, y, L_KEYRING, _("Stored key forgotten (f)"), term_attr(UI_NOTICE));
        break;
    case DESK_KEY_OPENED:
        row(p, y, L_KEYRING, _("Opened with the key stored in the keyring"),
            term_attr(refused ? UI_ERROR : UI_GOOD));
        break;
    case DESK_KEY_SAVING:
        row(p, y, L_KEYRING, _("Saving the key to the keyring…"), term_attr(UI_NOTICE));
        break;
    case DESK_KEY_SAVED:
        row(p, y, L_KEYRING, _("Key saved to keyring"),
            term_attr(refused ? UI_ERROR : UI_GOOD));
        break;
    case DESK_KEY_NOT_SAVED:
        /* TRANSLATORS: %s says why the keyring did not take the key. */
        snprintf(line, sizeof line, _("Key not saved: %s"),
                 d->key_note != NULL ? d->key_note : _("unknown reason"));
        row(p, y, L_KEYRING, line, term_attr(UI_ERROR));
        break;
    }
}

/* Appends a problem to the verdict, after a separator. */
static void
add_problem(char *line, size_t size, const char *problem)
{
    size_t n = strlen(line);

    snprintf(line + n, size - n, "%s%s", n > 0 ? " · " : "", problem);
}

/*
 * The verdict, the summary's first line: "Account OK", or what is wrong, in the colour of
 * its worst part. It starts from the login's flags and follows the profile: its flags
 * once it answers, or that it could not be read, or that the key was refused.
 */
static void
draw_verdict(const struct ui_ctx *ctx, int y, int x)
{
    const struct desk *d = ctx->desk;
    const struct bl_session *s = ctx->session;
    enum bl_flag enabled = s->enabled, active = s->active;
    char line[512] = "";

    if (d->profile.state == DESK_READY && d->profile_data != NULL) {
        if (d->profile_data->enabled != FLAG_UNKNOWN)
            enabled = d->profile_data->enabled;
        if (d->profile_data->active != FLAG_UNKNOWN)
            active = d->profile_data->active;
    }
    if (enabled == FLAG_NO)
        /* TRANSLATORS: part of the summary's verdict: the account is disabled. */
        add_problem(line, sizeof line, _("Disabled"));
    if (active == FLAG_NO)
        /* TRANSLATORS: part of the summary's verdict: the account is inactive. */
        add_problem(line, sizeof line, _("Inactive"));
    if (desk_key_refused(d))
        add_problem(line, sizeof line,
                    d->key == DESK_KEY_OPENED || d->key == DESK_KEY_SAVED
                        /* TRANSLATORS: part of the summary's verdict: the server refuses
                         * the key stored in the keyring. */
                        ? _("Stored key no longer accepted")
                        /* TRANSLATORS: part of the summary's verdict: the server refuses
                         * the customer key (not stored). */
                        : _("Key no longer accepted"));
    else if (d->profile.state == DESK_FAILED)
        /* TRANSLATORS: part of the summary's verdict: the profile call failed. */
        add_problem(line, sizeof line, _("Profile could not be read"));
    if (line[0] == '\0')
        /* TRANSLATORS: the summary's verdict when nothing is wrong. */
        term_text(stdscr, y, x, COLS - x - 1, _("Account OK"), term_attr(UI_GOOD));
    else
        term_text(stdscr, y, x, COLS - x - 1, line, term_attr(UI_BAD));
}

/* One "label  value" line of the extras at y, from column x with labels in label_w. */
static void
extra_row(int y, int x, int label_w, const char *label, const char *value)
{
    term_text(stdscr, y, x, label_w, label, term_attr(UI_HINT));
    term_text(stdscr, y, x + label_w + 2, COLS - x - label_w - 3,
              value != NULL && value[0] != '\0' ? value : "—", A_NORMAL);
}

/*
 * What the agent asks next, in the Summary's empty half when there is room: where the
 * customer lives and the mobile (from the profile, once it answers), and the three
 * newest shipments of the window (received, AWB, status, merchant: the list's latest
 * state; the events of each are a call per shipment, on its own screen). Beside the
 * summary on a wide terminal, else below it, from line y up to line last; lines that do
 * not fit are left out.
 */
static void
draw_extras(const struct ui_ctx *ctx, const struct place *p, int y, int last)
{
    const struct desk *d = ctx->desk;
    const struct account_profile *pr =
        d->profile.state == DESK_READY ? d->profile_data : NULL;
    const char *mobile = NULL;
    int x = p->x, lw = p->label_w;

    if (COLS >= 120) { /* the right half, from the top */
        x = COLS / 2;
        y = 2;
    }
    if (pr != NULL) {
        const struct account_address *a = pr->n_addresses > 0 ? &pr->addresses[0] : NULL;

        for (size_t i = 0; i < pr->n_phones && mobile == NULL; i++)
            if (pr->phones[i].type == PHONE_MOBILE)
                mobile = pr->phones[i].number;
        if (y + 2 <= last) {
            /* TRANSLATORS: label of the summary, left of the customer's country (the same
             * word as a shipment's). */
            extra_row(y++, x, lw, _("Country"), a != NULL ? a->country : NULL);
            /* TRANSLATORS: label of the summary, left of the customer's city. */
            extra_row(y++, x, lw, _("City"), a != NULL ? a->city : NULL);
            /* TRANSLATORS: label of the summary, left of the customer's mobile phone. */
            extra_row(y++, x, lw, _("Mobile"), mobile);
            y++;
        }
    }
    if (d->list == NULL || d->list->n_rows == 0 || y + 1 > last)
        return;
    /* TRANSLATORS: heading of the summary over the three newest shipments. */
    term_text(stdscr, y++, x, COLS - x - 1, _("Latest shipments"), term_attr(UI_COLUMNS));
    for (size_t i = 0; i < d->list->n_rows && i < 3 && y <= last; i++) {
        const struct account_shipment_row *r = &d->list->rows[i];
        char line[512];

        snprintf(line, sizeof line, "%.10s  %llu  %s  %s",
                 r->received[0] != '\0' ? r->received : "—", (unsigned long long)r->awb,
                 r->status != NULL ? r->status : "—",
                 r->merchant != NULL ? r->merchant : "—");
        term_text(stdscr, y++, x, COLS - x - 1, line, A_NORMAL);
    }
}

static void
session_draw(void *state, struct ui_ctx *ctx)
{
    /* The way out and a new lookup stay; forgetting the key goes first. Two tables:
     * with e (change) and without it (changes turned off). */
    static struct key_hint keys[] = {
        /* TRANSLATORS: key hint (n), one or two words: wipe this customer, empty form. */
        {"n", N_("new lookup"), HINT_ESSENTIAL},
        /* TRANSLATORS: key hint (1-3), one word: the keys that switch tabs. */
        {"1-3", N_("tabs"), 1},
        /* TRANSLATORS: key hint (c), a few words: copy the box ID to the clipboard. */
        {"c", N_("copy box ID"), 2},
        /* TRANSLATORS: key hint (k), a few words: show or hide the customer key. */
        {"k", N_("show key"), 3},
        /* TRANSLATORS: key hint (e), one word: change the account (password, email…). */
        {"e", N_("change"), 4},
        /* TRANSLATORS: key hint (f), a few words: delete the stored customer key. */
        {"f", N_("forget key"), 5},
        /* TRANSLATORS: key hint (q), one word. */
        {"q", N_("quit"), HINT_ESSENTIAL},
    };
    static struct key_hint keys_read_only[] = {
        {"n", N_("new lookup"), HINT_ESSENTIAL},
        {"1-3", N_("tabs"), 1},
        {"c", N_("copy box ID"), 2},
        {"k", N_("show key"), 3},
        {"f", N_("forget key"), 4},
        {"q", N_("quit"), HINT_ESSENTIAL},
    };
    enum { K_SHOW_KEY = 3 };
    struct session_view *sv = state;
    const struct bl_session *s = ctx->session;
    const char *dash = "—";
    char box[32], date[WCFDATE_SCREEN_SIZE];
    int y = 2;
    struct place p = place(COLS >= 80 ? 4 : 2);

    if (s == NULL)
        return;
    /* k says what it does next. */
    keys[K_SHOW_KEY].what = keys_read_only[K_SHOW_KEY].what =
        sv->show_key
            /* TRANSLATORS: key hint (k), a few words: hide the customer key shown. */
            ? N_("hide key")
            : N_("show key");
    draw_verdict(ctx, y++, p.x);
    term_text(stdscr, y, p.x, COLS - p.x - 1,
              s->name != NULL ? s->name : _("(no name on record)"), term_attr(UI_TITLE));
    snprintf(box, sizeof box, "%llu", (unsigned long long)s->box_id);
    y += 2;
    row(&p, y++, L_BOX_ID, box, A_BOLD);
    y = draw_badges(s, y + 1, p.x) + 1;
    row(&p, y++, L_EMAIL, s->email != NULL ? s->email : "", A_NORMAL);
    /* Dates as a person reads them; the commands and JSON keep ISO 8601. */
    wcfdate_readable(s->enrolment_date, date);
    row(&p, y++, L_ENROLLED, date[0] ? date : dash, A_NORMAL);
    wcfdate_readable(s->activation_date, date);
    row(&p, y++, L_ACTIVATED, date[0] ? date : dash, A_NORMAL);
    if (sv->show_key) {
        char *shown = text_sanitize(s->customer_key, strlen(s->customer_key));

        row(&p, y++, L_KEY, shown != NULL ? shown : "", A_BOLD);
        secmem_free(shown);
    } else {
        char hidden[256];

        /* The mask, then how to see the key. */
        snprintf(hidden, sizeof hidden, "%s  %s", "••••••••••••",
                 /* TRANSLATORS: beside the hidden customer key; k is the key to press. */
                 _("(k shows it)"));
        row(&p, y++, L_KEY, hidden, term_attr(UI_HINT));
    }
    draw_keyring(ctx, &p, y);
    draw_extras(ctx, &p, y + 2, LINES - 2 - term_status_height(ctx->message));
    if (ctx->message[0] != '\0')
        term_status(ctx->message, ctx->message_meaning);
    if (ctx->cfg->changes)
        term_footer(keys, TERM_COUNT(keys));
    else
        term_footer(keys_read_only, TERM_COUNT(keys_read_only));
    wnoutrefresh(stdscr);
}

/* Forgets the stored key of the customer shown (after "forget?" was answered y). */
static struct reaction
forget(struct ui_ctx *ctx)
{
    struct bl_error err = {0};

    if (desk_forget(ctx->desk, &err) != 0)
        ui_say(ctx, UI_ERROR, "%s", err.message);
    else
        ui_say(ctx, UI_NOTICE, "%s", _("Forgetting the stored key…"));
    error_clear(&err);
    return REACT_REDRAW;
}

static struct reaction
session_key(void *state, struct ui_ctx *ctx, int ret, wint_t ch)
{
    struct session_view *sv = state;
    char box[32];

    if (sv->asking) {
        /* The answer to "forget?": y forgets, any other key leaves the key stored. */
        sv->asking = ctx->asking = 0;
        if (ret == OK && (ch == 'y' || ch == 'Y'))
            return forget(ctx);
        ui_say(ctx, UI_NOTICE, "%s", _("Nothing forgotten"));
        return REACT_REDRAW;
    }
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
               _("Box ID %s sent to the clipboard (OSC 52; some terminals ignore it)"),
               box);
        return REACT_REDRAW;
    case 'e':
    case 'E':
        /* Change, unless changes are turned off (changes = false, --read-only). */
        if (!ctx->cfg->changes)
            return REACT_PASS;
        return (struct reaction){.redo = REDO_DRAW, .go = GO_CHANGE};
    case 'k':
    case 'K':
        sv->show_key = !sv->show_key;
        return REACT_REDRAW;
    case 'f':
    case 'F':
        /* With the keyring off there is nothing to ask: forget says so. */
        if (ctx->cfg->no_keyring)
            return forget(ctx);
        sv->asking = ctx->asking = 1;
        ui_say(ctx, UI_NOTICE, _("Forget the stored key of %s? y/n"),
               ctx->session->email != NULL ? ctx->session->email : "");
        return REACT_REDRAW;
    default:
        return REACT_PASS;
    }
}

const struct screen session_screen = {
    /* TRANSLATORS: tab label of the account view (key 1), one short word. */
    .tab = N_("Summary"),   .create = session_create, .destroy = session_destroy,
    .reset = session_reset, .enter = session_enter,   .draw = session_draw,
    .key = session_key,
};
