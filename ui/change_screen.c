/*
 * Change (e on Summary or Profile): the list of changes, each one's form prefilled with
 * the current values, the review (field: before → after), the confirmation (y in TEST,
 * the typed box ID in PROD), the change running on the desk (src/desk.h: desk_change)
 * and its result, which stays on the screen. Every key is this screen's (digits typed
 * for a box ID are not tab keys). A new password lives in secmem only and is wiped when
 * the screen closes.
 */
#include "address_form.h"
#include "details_form.h"
#include "screen.h"
#include "../src/change.h"
#include "../src/i18n.h"
#include "../src/log.h"
#include "../src/secmem.h"
#include "../src/text.h"
#include "../src/value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

enum step {
    S_LIST,    /* which change */
    S_WAIT,    /* the profile is being read again (older than 60 s) */
    S_FORM,    /* the change's form */
    S_REVIEW,  /* before → after, and the confirmation */
    S_RUNNING, /* on the worker */
    S_RESULT,  /* how it ended */
};

/* The list, in SPEC's order. */
enum item { I_PASSWORD, I_EMAIL, I_TYPE, I_DETAILS, I_ADDRESS, I_COUNT };

static const char *const items[I_COUNT] = {
    /* TRANSLATORS: an entry of the Change list. */
    [I_PASSWORD] = N_("New password"),
    /* TRANSLATORS: an entry of the Change list. */
    [I_EMAIL] = N_("Email"),
    /* TRANSLATORS: an entry of the Change list: VIP and business. */
    [I_TYPE] = N_("Account type"),
    /* TRANSLATORS: an entry of the Change list. */
    [I_DETAILS] = N_("Personal details"),
    /* TRANSLATORS: an entry of the Change list. */
    [I_ADDRESS] = N_("Address and phones"),
};

/* The password form: a choice first, then two masked fields, or a generated one. */
enum pw_mode { PW_CHOOSE, PW_TYPED, PW_GENERATED };

#define PW_ROOM    (4 * 64 + 1) /* 64 characters of at most 4 bytes */
#define EMAIL_ROOM 256
#define BOX_ROOM   24

struct change_view {
    enum step step;
    int item;
    enum change_kind kind;
    enum pw_mode pw_mode;
    char *pw[2]; /* secmem, PW_ROOM each: typed twice */
    size_t pw_len[2];
    int focus;       /* the field with focus: password 0/1; type 0 VIP, 1 business */
    char *generated; /* secmem: a generated password, shown once */
    char email[EMAIL_ROOM];
    size_t email_len;
    int vip, business;
    char box[BOX_ROOM]; /* PROD: the box ID typed */
    size_t box_len;
    struct details_form details; /* the Personal details form */
    struct address_form address; /* the Address and phones form, its city picker */
    struct change_request rq;
    struct change_plan plan;
    int prod;   /* the review asks for the box ID */
    int logged; /* the result's drawing was logged (make bench) */
};

static void
wipe_secrets(struct change_view *cv)
{
    for (int i = 0; i < 2; i++) {
        if (cv->pw[i] != NULL)
            explicit_bzero(cv->pw[i], PW_ROOM);
        cv->pw_len[i] = 0;
    }
    secmem_free(cv->generated);
    cv->generated = NULL;
    change_request_clear(&cv->rq);
    change_plan_clear(&cv->plan);
}

static void *
change_create(struct ui_ctx *ctx)
{
    struct change_view *cv = calloc(1, sizeof *cv);

    (void)ctx;
    if (cv == NULL)
        return NULL;
    cv->pw[0] = secmem_malloc(PW_ROOM);
    cv->pw[1] = secmem_malloc(PW_ROOM);
    if (cv->pw[0] == NULL || cv->pw[1] == NULL) {
        secmem_free(cv->pw[0]);
        secmem_free(cv->pw[1]);
        free(cv);
        return NULL;
    }
    return cv;
}

static void
change_destroy(void *state)
{
    struct change_view *cv = state;

    wipe_secrets(cv);
    details_form_free(&cv->details);
    address_form_free(&cv->address);
    secmem_free(cv->pw[0]);
    secmem_free(cv->pw[1]);
    free(cv);
}

/* Back to the list, everything typed wiped. */
static void
to_list(struct change_view *cv)
{
    wipe_secrets(cv);
    details_form_free(&cv->details);
    address_form_free(&cv->address);
    cv->step = S_LIST;
    cv->focus = 0;
    cv->email_len = cv->box_len = 0;
    cv->email[0] = cv->box[0] = '\0';
}

static void
change_reset(void *state, struct ui_ctx *ctx)
{
    (void)ctx;
    to_list(state);
    ((struct change_view *)state)->item = 0;
}

static void
change_enter(void *state, struct ui_ctx *ctx)
{
    struct change_view *cv = state;

    (void)ctx;
    to_list(cv);
    cv->item = 0;
    desk_change_forget(ctx->desk);
    curs_set(0);
}

/* The screen closes: every secret goes. */
static void
change_leave(void *state, struct ui_ctx *ctx)
{
    (void)ctx;
    to_list(state);
}

static int
change_typing(const void *state)
{
    const struct change_view *cv = state;

    return (cv->step == S_FORM &&
            (cv->kind == CHANGE_EMAIL || cv->kind == CHANGE_DETAILS ||
             cv->kind == CHANGE_ADDRESS ||
             (cv->kind == CHANGE_PASSWORD && cv->pw_mode == PW_TYPED))) ||
           (cv->step == S_REVIEW && cv->prod);
}

static int
change_poll_ms(const void *state)
{
    const struct change_view *cv = state;

    return cv->step == S_RUNNING || cv->step == S_WAIT ? 100 : -1;
}

/* The arrow of a review line. */
static const char *
arrow(void)
{
    return term_unicode() ? "→" : "->";
}

/* The characters (not bytes) of the UTF-8 text s of len bytes. */
static size_t
chars_of(const char *s, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xc0) != 0x80;
    return n;
}

/* A line of the mask: as many bullets as characters, at most 64. */
static void
draw_mask(int y, int x, size_t chars, int focused)
{
    char mask[3 * 64 + 1] = "";
    const char *bullet = term_unicode() ? "•" : "*";
    size_t at = 0;

    for (size_t i = 0; i < chars && i < 64; i++) {
        memcpy(mask + at, bullet, strlen(bullet));
        at += strlen(bullet);
    }
    mask[at] = '\0';
    mvhline(y, x, ' ', 34);
    term_text(stdscr, y, x, 34, mask,
              term_attr(UI_FIELD) | (focused ? A_BOLD | A_UNDERLINE : 0));
}

/* One "label  value" line of the forms. */
static void
line(int y, const char *label, const char *value, attr_t a)
{
    term_text(stdscr, y, 4, 20, label, term_attr(UI_HINT));
    term_text(stdscr, y, 26, COLS - 27, value, a);
}

static void
draw_list(const struct change_view *cv, int y)
{
    for (int i = 0; i < I_COUNT; i++) {
        attr_t a = i == cv->item ? A_REVERSE | A_BOLD : A_NORMAL;
        char text[128];

        snprintf(text, sizeof text, " %s ", _(items[i]));
        term_text(stdscr, y + i, 4, COLS - 5, text, a);
    }
}

static void
draw_form(struct change_view *cv, const struct ui_ctx *ctx, int y)
{
    switch (cv->kind) {
    case CHANGE_DETAILS:
        details_form_draw(&cv->details, y, LINES - 2 - y);
        break;
    case CHANGE_ADDRESS:
        address_form_draw(&cv->address, y, LINES - 2 - y);
        break;
    case CHANGE_PASSWORD:
        if (cv->pw_mode == PW_CHOOSE) {
            term_text(stdscr, y, 4, COLS - 5,
                      /* TRANSLATORS: the password form's choice; Enter and g are keys. */
                      _("Enter: type a new password (twice)    g: generate one"),
                      A_NORMAL);
        } else if (cv->pw_mode == PW_GENERATED) {
            /* TRANSLATORS: a generated password follows; it is shown this once. */
            line(y, _("New password"), cv->generated, A_BOLD);
            term_text(stdscr, y + 2, 4, COLS - 5,
                      /* TRANSLATORS: under a generated password; c is the key. */
                      _("Shown once: give it to the customer now (c copies it)."),
                      term_attr(UI_NOTICE));
        } else {
            /* TRANSLATORS: label of the password form's first field. */
            line(y, _("New password"), "", A_NORMAL);
            draw_mask(y, 26, chars_of(cv->pw[0], cv->pw_len[0]), cv->focus == 0);
            /* TRANSLATORS: label of the password form's second field: the same again. */
            line(y + 1, _("Again"), "", A_NORMAL);
            draw_mask(y + 1, 26, chars_of(cv->pw[1], cv->pw_len[1]), cv->focus == 1);
        }
        break;
    case CHANGE_EMAIL: {
        const struct account_profile *p = ctx->desk->profile_data;

        /* TRANSLATORS: label of the email form: the email on record. */
        line(y, _("Current email"), p != NULL && p->email != NULL ? p->email : "",
             A_NORMAL);
        /* TRANSLATORS: label of the email form's field. */
        line(y + 1, _("New email"), "", A_NORMAL);
        mvhline(y + 1, 26, ' ', 40);
        term_text(stdscr, y + 1, 26, COLS - 27, cv->email,
                  term_attr(UI_FIELD) | A_UNDERLINE);
        break;
    }
    case CHANGE_TYPE:
        line(y, "VIP", cv->vip ? "[x]" : "[ ]",
             cv->focus == 0 ? A_REVERSE | A_BOLD : A_NORMAL);
        /* TRANSLATORS: the type form: a business account. */
        line(y + 1, _("Business"), cv->business ? "[x]" : "[ ]",
             cv->focus == 1 ? A_REVERSE | A_BOLD : A_NORMAL);
        break;
    }
}

/*
 * The review's lines from y, each wrapped over the rows it may take before bottom (the
 * first row not drawn on) while later ones keep one each and after rows stay free;
 * returns the row after the last.
 */
static int
draw_review(const struct change_view *cv, const struct ui_ctx *ctx, int y, int bottom)
{
    char text[600];
    int after = cv->step == S_REVIEW ? (ctx->cfg->env == ENV_PROD ? 3 : 2) : 3;

    if (cv->generated != NULL)
        after += 2;
    for (size_t i = 0; i < cv->plan.n; i++) {
        const struct change_field *f = &cv->plan.fields[i];

        if (f->before == NULL && f->after == NULL)
            /* TRANSLATORS: a review line: a new password is never shown. */
            snprintf(text, sizeof text, "%s: %s", f->name, _("(new)"));
        else
            snprintf(text, sizeof text, "%s: %s %s %s", f->name,
                     /* TRANSLATORS: a value the profile does not show. */
                     f->before != NULL ? f->before : _("(unknown)"), arrow(), f->after);
        y += term_wrapped(y, 4, COLS - 5, bottom - y - after - (int)(cv->plan.n - 1 - i),
                          text, A_BOLD, 1);
    }
    if (cv->step != S_REVIEW)
        return y;
    y++;
    if (ctx->cfg->env == ENV_PROD) {
        char box[32];

        snprintf(box, sizeof box, "%llu", (unsigned long long)ctx->session->box_id);
        /* TRANSLATORS: %s is the customer's box ID, which the agent types to confirm. */
        snprintf(text, sizeof text, _("PROD: type the box ID %s and Enter to apply"),
                 box);
        y += term_wrapped(y, 4, COLS - 5, bottom - y - 1, text, term_attr(UI_ERROR), 1);
        mvhline(y, 4, ' ', 24);
        term_text(stdscr, y, 4, 24, cv->box, term_attr(UI_FIELD) | A_UNDERLINE);
    } else {
        term_wrapped(y, 4, COLS - 5, bottom - y,
                     /* TRANSLATORS: the review's question; y and Esc are keys. */
                     _("Apply this change? y applies, Esc leaves without sending"),
                     term_attr(UI_NOTICE), 1);
    }
    return y;
}

/* Whether the result shows a generated password that c copies: one the account now
 * has, or may have. */
static int
password_to_copy(const struct change_view *cv, const struct desk_change *c)
{
    return cv->generated != NULL && c->sent &&
           (c->outcome == CHANGE_APPLIED || c->outcome == CHANGE_UNKNOWN);
}

/* The run or the result from y; its message wrapped over the rows left before bottom. */
static void
draw_result(const struct change_view *cv, const struct ui_ctx *ctx, int y, int bottom)
{
    const struct desk_change *c = &ctx->desk->change;
    const char *head = NULL;
    enum ui_meaning m = UI_NORMAL;
    int hint;

    if (cv->step == S_RUNNING) {
        struct timespec now;

        clock_gettime(CLOCK_MONOTONIC, &now);
        term_text(stdscr, y, 4, 2,
                  term_spinner(now.tv_sec * 10 + now.tv_nsec / 100000000), A_NORMAL);
        term_text(stdscr, y, 6, COLS - 7,
                  /* TRANSLATORS: while a change runs; Esc is the key. */
                  _("Applying the change… (Esc cancels until it is sent)"),
                  term_attr(UI_NOTICE));
        return;
    }
    if (!c->answered)
        return;
    if (!c->sent) {
        head = _("Not sent: the change was not made.");
        m = UI_ERROR;
    } else {
        switch (c->outcome) {
        case CHANGE_APPLIED:
            head = _("Applied: the change was made and read back.");
            m = UI_GOOD;
            break;
        case CHANGE_REJECTED:
            head = _("Rejected: the server refused the change.");
            m = UI_ERROR;
            break;
        case CHANGE_UNKNOWN:
            head = _("Unknown: the change may or may not have been made.");
            m = UI_ERROR;
            break;
        case CHANGE_NOT_APPLIED:
            head = _("Not applied: the server said yes, but nothing changed.");
            m = UI_ERROR;
            break;
        case CHANGE_NOTHING:
        case CHANGE_DRY_RUN:
            head = _("Nothing to change.");
            break;
        }
    }
    term_text(stdscr, y++, 4, COLS - 5, head, term_attr(m) | A_BOLD);
    hint = password_to_copy(cv, c);
    if (!c->sent && c->err.message != NULL)
        y += term_wrapped(y, 4, COLS - 5, bottom - y, c->err.message, A_NORMAL, 1);
    else if (c->message != NULL)
        y += term_wrapped(y, 4, COLS - 5, bottom - y - (hint ? 2 : 0), c->message,
                          A_NORMAL, 1);
    if (hint)
        term_text(stdscr, y + 1, 4, COLS - 5,
                  /* TRANSLATORS: after a generated password was set; c is the key. */
                  _("c copies the new password; it is wiped when this screen closes."),
                  term_attr(UI_HINT));
}

/* TRANSLATORS: key hint (Esc), a few words: leave without sending anything. */
#define HINT_LEAVE                                                                       \
    {                                                                                    \
        "Esc", N_("leave, nothing sent"), HINT_ESSENTIAL                                 \
    }

/* The footer of the form, which depends on the kind and the password's mode. */
static void
form_footer(const struct change_view *cv)
{
    static const struct key_hint choose_keys[] = {
        /* TRANSLATORS: key hint (Enter), a few words: type the new password. */
        {"Enter", N_("type it"), HINT_ESSENTIAL},
        /* TRANSLATORS: key hint (g), one word: make a new password. */
        {"g", N_("generate"), HINT_ESSENTIAL},
        HINT_LEAVE,
    };
    static const struct key_hint typed_keys[] = {
        /* TRANSLATORS: key hint (Enter), one word: see the change before applying. */
        {"Enter", N_("review"), HINT_ESSENTIAL},
        /* TRANSLATORS: key hint (Tab), a few words: the next field or box. */
        {"Tab", N_("next field"), 1},
        /* TRANSLATORS: key hint (^U), one word: empty the field. */
        {"^U", N_("clear"), 2},
        HINT_LEAVE,
    };
    static const struct key_hint generated_keys[] = {
        {"Enter", N_("review"), HINT_ESSENTIAL},
        /* TRANSLATORS: key hint (c), a few words: copy the generated password. */
        {"c", N_("copy password"), 1},
        HINT_LEAVE,
    };
    static const struct key_hint email_keys[] = {
        {"Enter", N_("review"), HINT_ESSENTIAL},
        {"^U", N_("clear"), 1},
        HINT_LEAVE,
    };
    static const struct key_hint fields_keys[] = {
        {"Enter", N_("review"), HINT_ESSENTIAL},
        {"Tab", N_("next field"), 1},
        {"^U", N_("clear"), 2},
        HINT_LEAVE,
    };
    static const struct key_hint pick_keys[] = {
        /* TRANSLATORS: key hint (Enter), one word: take the place selected. */
        {"Enter", N_("choose"), HINT_ESSENTIAL},
        /* TRANSLATORS: key hint without a key: typing letters filters the list. */
        {NULL, N_("type to filter"), 1},
        /* TRANSLATORS: key hint (Esc), a few words: the filter, else the list before. */
        {"Esc", N_("back a list"), HINT_ESSENTIAL},
        /* TRANSLATORS: help line for Up and Down (a key name), a few words. */
        {N_("Up/Down"), N_("move the selection"), HINT_HELP_ONLY},
        /* TRANSLATORS: help line for PgUp and PgDn (key names), a few words. */
        {N_("PgUp/PgDn"), N_("a page up or down"), HINT_HELP_ONLY},
    };
    static const struct key_hint type_keys[] = {
        {"Enter", N_("review"), HINT_ESSENTIAL},
        /* TRANSLATORS: key hint (Space, a key name), one word: tick or untick the box. */
        {N_("Space"), N_("toggle"), 1},
        {"Tab", N_("next field"), 2},
        /* TRANSLATORS: help line for v and b: tick or untick VIP, Business. */
        {"v b", N_("toggle VIP, Business"), HINT_HELP_ONLY},
        HINT_LEAVE,
    };

    switch (cv->kind) {
    case CHANGE_PASSWORD:
        if (cv->pw_mode == PW_CHOOSE)
            term_footer(choose_keys, TERM_COUNT(choose_keys));
        else if (cv->pw_mode == PW_GENERATED)
            term_footer(generated_keys, TERM_COUNT(generated_keys));
        else
            term_footer(typed_keys, TERM_COUNT(typed_keys));
        break;
    case CHANGE_EMAIL:
        term_footer(email_keys, TERM_COUNT(email_keys));
        break;
    case CHANGE_TYPE:
        term_footer(type_keys, TERM_COUNT(type_keys));
        break;
    case CHANGE_DETAILS:
        term_footer(fields_keys, TERM_COUNT(fields_keys));
        break;
    case CHANGE_ADDRESS:
        if (cv->address.picking)
            term_footer(pick_keys, TERM_COUNT(pick_keys));
        else
            term_footer(fields_keys, TERM_COUNT(fields_keys));
        break;
    }
}

/* The footer of the wait, the review, the run and the result. */
static void
run_footer(const struct change_view *cv)
{
    static const struct key_hint test_keys[] = {
        /* TRANSLATORS: key hint (y), one word: apply the change reviewed (TEST). */
        {"y", N_("apply"), HINT_ESSENTIAL},
        HINT_LEAVE,
    };
    static const struct key_hint prod_keys[] = {
        /* TRANSLATORS: key hint (Enter) in PROD: apply once the box ID is typed. */
        {"Enter", N_("apply, after the box ID"), HINT_ESSENTIAL},
        HINT_LEAVE,
    };
    static const struct key_hint running_keys[] = {
        /* TRANSLATORS: key hint (Esc), a few words: stop the change before it is sent. */
        {"Esc", N_("cancel (until sent)"), HINT_ESSENTIAL},
        {"F10", N_("quit"), 1},
    };
    static const struct key_hint result_keys[] = {
        /* TRANSLATORS: key hint (Esc), one word: back to the account. */
        {"Esc", N_("back"), HINT_ESSENTIAL},
        {"q", N_("quit"), 1},
    };
    static const struct key_hint result_password_keys[] = {
        {"Esc", N_("back"), HINT_ESSENTIAL},
        {"c", N_("copy password"), 1},
        {"q", N_("quit"), 2},
    };

    if (cv->step == S_REVIEW && cv->prod)
        term_footer(prod_keys, TERM_COUNT(prod_keys));
    else if (cv->step == S_REVIEW)
        term_footer(test_keys, TERM_COUNT(test_keys));
    else if (cv->step == S_RUNNING)
        term_footer(running_keys, TERM_COUNT(running_keys));
    else if (cv->generated != NULL)
        term_footer(result_password_keys, TERM_COUNT(result_password_keys));
    else
        term_footer(result_keys, TERM_COUNT(result_keys));
}

static void
change_draw(void *state, struct ui_ctx *ctx)
{
    static const struct key_hint list_keys[] = {
        /* TRANSLATORS: key hint (Enter), one word: open the change chosen. */
        {"Enter", N_("choose"), HINT_ESSENTIAL},
        /* TRANSLATORS: key hint: the arrow keys (a key name), keep short. */
        {N_("Up/Down"), N_("move"), 1},
        /* TRANSLATORS: key hint (Esc), one word: leave Change without changing. */
        {"Esc", N_("back"), HINT_ESSENTIAL},
        {"q", N_("quit"), 2},
    };
    struct change_view *cv = state;
    const char *title = _(items[(int)cv->kind]);
    char head[256];
    int y = 2;

    if (ctx->session == NULL)
        return;
    /* TRANSLATORS: the title of the Change screen: the customer's email. */
    snprintf(head, sizeof head, _("Change %s"),
             ctx->session->email != NULL ? ctx->session->email : "");
    term_text(stdscr, y, 2, COLS - 3, head, term_attr(UI_TITLE));
    y += 2;
    switch (cv->step) {
    case S_LIST:
        draw_list(cv, y);
        term_footer(list_keys, TERM_COUNT(list_keys));
        break;
    case S_WAIT:
        term_text(stdscr, y, 4, COLS - 5, _("Reading the profile…"), term_attr(UI_HINT));
        run_footer(cv);
        break;
    case S_FORM:
        term_text(stdscr, y, 2, COLS - 3, title, A_BOLD);
        draw_form(cv, ctx, y + 2);
        form_footer(cv);
        break;
    case S_REVIEW:
    case S_RUNNING:
    case S_RESULT: {
        /* Above the footer and the status, whose rows are kept free. */
        int bottom = LINES - 1 - term_status_height(ctx->message);

        term_text(stdscr, y, 2, COLS - 3, title, A_BOLD);
        y = draw_review(cv, ctx, y + 2, bottom);
        if (cv->step != S_REVIEW)
            draw_result(cv, ctx, y + 1, bottom);
        run_footer(cv);
        break;
    }
    }
    if (ctx->message[0] != '\0')
        term_status(ctx->message, ctx->message_meaning);
    /* The cursor of a form with fields stays in its field, whatever was drawn after;
     * elsewhere there is none. */
    if (cv->step == S_FORM && cv->kind == CHANGE_DETAILS)
        details_form_cursor(&cv->details);
    else if (cv->step == S_FORM && cv->kind == CHANGE_ADDRESS)
        address_form_cursor(&cv->address);
    else
        curs_set(0);
    wnoutrefresh(stdscr);
    if (cv->step == S_RESULT && !cv->logged) {
        cv->logged = 1;
        log_msg("change result drawn");
    }
}

/* The form of cv->kind, prefilled from the profile. */
static void
open_form(struct change_view *cv, struct ui_ctx *ctx)
{
    const struct account_profile *p = ctx->desk->profile_data;

    cv->step = S_FORM;
    cv->focus = 0;
    cv->pw_mode = PW_CHOOSE;
    snprintf(cv->email, sizeof cv->email, "%s",
             p != NULL && p->email != NULL ? p->email : "");
    cv->email_len = strlen(cv->email);
    cv->vip = p != NULL && p->vip == FLAG_YES;
    cv->business = p != NULL && p->business == FLAG_YES;
    /* Without memory a form is empty: what is typed then is still checked. */
    if (cv->kind == CHANGE_DETAILS)
        (void)details_form_open(&cv->details, p);
    else if (cv->kind == CHANGE_ADDRESS)
        (void)address_form_open(&cv->address, p);
}

static struct reaction
choose(struct change_view *cv, struct ui_ctx *ctx)
{
    static const enum change_kind kinds[] = {CHANGE_PASSWORD, CHANGE_EMAIL, CHANGE_TYPE,
                                             CHANGE_DETAILS, CHANGE_ADDRESS};
    struct bl_error err = {0};

    cv->kind = kinds[cv->item];
    /* The plan's "before" is the profile shown if it is younger than 60 s. */
    if (desk_profile_fresh(ctx->desk)) {
        open_form(cv, ctx);
        return REACT_REDRAW;
    }
    if (desk_refresh_profile(ctx->desk, &err) != 0) {
        ui_say(ctx, UI_ERROR, "%s", err.message);
        error_clear(&err);
        return REACT_REDRAW;
    }
    cv->step = S_WAIT;
    return REACT_REDRAW;
}

/* Makes the plan of cv->rq from the profile; to the review, or says why not. */
static struct reaction
review(struct change_view *cv, struct ui_ctx *ctx)
{
    struct bl_error err = {0};

    change_plan_clear(&cv->plan);
    if (ctx->desk->profile_data == NULL) {
        ui_say(ctx, UI_ERROR, "%s", _("No profile: the change cannot be planned"));
        change_request_clear(&cv->rq);
        return REACT_REDRAW;
    }
    if (change_plan_make(&cv->rq, ctx->desk->profile_data, &cv->plan, &err) != 0) {
        ui_say(ctx, UI_ERROR, "%s", err.message);
        error_clear(&err);
        change_request_clear(&cv->rq);
        return REACT_REDRAW;
    }
    if (cv->plan.n == 0) {
        ui_say(ctx, UI_NOTICE, "%s", _("Nothing to change."));
        change_request_clear(&cv->rq);
        return REACT_REDRAW;
    }
    ctx->message[0] = '\0';
    cv->prod = ctx->cfg->env == ENV_PROD;
    cv->box_len = 0;
    cv->box[0] = '\0';
    cv->step = S_REVIEW;
    return REACT_REDRAW;
}

/* Enter on a form: the request, checked, then the review. */
static struct reaction
submit(struct change_view *cv, struct ui_ctx *ctx)
{
    const char *email = ctx->session->email;
    struct bl_error err = {0};

    change_request_clear(&cv->rq);
    cv->rq.kind = cv->kind;
    cv->rq.vip = cv->rq.business = CHANGE_FLAG_KEEP;
    switch (cv->kind) {
    case CHANGE_PASSWORD: {
        const char *pw = cv->pw_mode == PW_GENERATED ? cv->generated : cv->pw[0];
        size_t len = cv->pw_mode == PW_GENERATED ? strlen(cv->generated) : cv->pw_len[0];

        if (cv->pw_mode == PW_TYPED && cv->focus == 0) {
            cv->focus = 1;
            return REACT_REDRAW;
        }
        if (cv->pw_mode == PW_TYPED &&
            (cv->pw_len[0] != cv->pw_len[1] || memcmp(cv->pw[0], cv->pw[1], len) != 0)) {
            ui_say(ctx, UI_ERROR, "%s", _("The two passwords differ: type them again"));
            explicit_bzero(cv->pw[1], PW_ROOM);
            cv->pw_len[1] = 0;
            return REACT_REDRAW;
        }
        if (change_password_check(pw, len, email, &err) != 0) {
            ui_say(ctx, UI_ERROR, "%s", err.message);
            error_clear(&err);
            return REACT_REDRAW;
        }
        if ((cv->rq.new_password = secmem_malloc(len + 1)) == NULL) {
            ui_say(ctx, UI_ERROR, "%s", _("out of memory"));
            return REACT_REDRAW;
        }
        memcpy(cv->rq.new_password, pw, len);
        cv->rq.new_password[len] = '\0';
        cv->rq.new_password_len = len;
        cv->rq.generated = cv->pw_mode == PW_GENERATED;
        break;
    }
    case CHANGE_EMAIL:
        if (value_email(cv->email, _("New email"), NULL, &cv->rq.new_email, &err) != 0) {
            ui_say(ctx, UI_ERROR, "%s", err.message);
            error_clear(&err);
            return REACT_REDRAW;
        }
        break;
    case CHANGE_TYPE:
        cv->rq.vip = cv->vip;
        cv->rq.business = cv->business;
        break;
    case CHANGE_DETAILS:
    case CHANGE_ADDRESS:
        break; /* their forms make their requests (fields_key) */
    }
    return review(cv, ctx);
}

/* Appends the character ch to the text buf (len bytes, room bytes) as UTF-8. */
static void
append(char *buf, size_t *len, size_t room, wint_t ch)
{
    char mb[8];
    mbstate_t st;
    size_t n;

    memset(&st, 0, sizeof st);
    n = wcrtomb(mb, (wchar_t)ch, &st);
    if (n != (size_t)-1 && *len + n < room) {
        memcpy(buf + *len, mb, n);
        *len += n;
        buf[*len] = '\0';
    }
    explicit_bzero(mb, sizeof mb);
}

/* Removes the last UTF-8 character of buf. */
static void
backspace(char *buf, size_t *len)
{
    while (*len > 0) {
        unsigned char c = (unsigned char)buf[--*len];

        buf[*len] = '\0';
        if ((c & 0xc0) != 0x80)
            break;
    }
}

static int
is_backspace(int ret, wint_t ch)
{
    return (ret == KEY_CODE_YES && ch == KEY_BACKSPACE) ||
           (ret == OK && (ch == 127 || ch == 8));
}

/* Whether ch is a character to type (not a control). */
static int
printable(int ret, wint_t ch)
{
    return ret == OK && ch >= 0x20 && ch != 0x7f;
}

/* A key on the Personal details or Address and phones form: Enter with good values
 * goes to the review, Esc (the picker closed) back to the list. */
static struct reaction
fields_key(struct change_view *cv, struct ui_ctx *ctx, int ret, wint_t ch)
{
    enum edit_step step = cv->kind == CHANGE_DETAILS
                              ? details_form_key(&cv->details, ret, ch)
                              : address_form_key(&cv->address, ctx, ret, ch);

    switch (step) {
    case EDIT_SUBMIT:
        change_request_clear(&cv->rq);
        if (cv->kind == CHANGE_DETAILS)
            details_form_take(&cv->details, &cv->rq);
        else
            address_form_take(&cv->address, &cv->rq);
        cv->rq.vip = cv->rq.business = CHANGE_FLAG_KEEP;
        return review(cv, ctx);
    case EDIT_CANCEL:
        to_list(cv);
        ctx->message[0] = '\0';
        return REACT_REDRAW;
    case EDIT_USED:
        ctx->message[0] = '\0';
        return REACT_REDRAW;
    case EDIT_PASS:
        break;
    }
    return REACT_NONE;
}

static struct reaction
form_key(struct change_view *cv, struct ui_ctx *ctx, int ret, wint_t ch)
{
    int enter = ret == OK && (ch == '\n' || ch == '\r');
    int tab = (ret == OK && ch == '\t') ||
              (ret == KEY_CODE_YES && (ch == KEY_UP || ch == KEY_DOWN || ch == KEY_BTAB));
    struct bl_error err = {0};

    switch (cv->kind) {
    case CHANGE_PASSWORD:
        if (cv->pw_mode == PW_CHOOSE) {
            if (ret == OK && (ch == 'g' || ch == 'G')) {
                if (change_password_generate(&cv->generated, &err) != 0) {
                    ui_say(ctx, UI_ERROR, "%s", err.message);
                    error_clear(&err);
                    return REACT_REDRAW;
                }
                cv->pw_mode = PW_GENERATED;
            } else if (enter) {
                cv->pw_mode = PW_TYPED;
            }
            return REACT_REDRAW;
        }
        if (cv->pw_mode == PW_GENERATED) {
            if (ret == OK && (ch == 'c' || ch == 'C')) {
                term_clipboard(cv->generated);
                ui_say(ctx, UI_NOTICE, "%s",
                       _("New password sent to the clipboard (OSC 52; some terminals "
                         "ignore it)"));
                return REACT_REDRAW;
            }
            return enter ? submit(cv, ctx) : REACT_NONE;
        }
        if (enter)
            return submit(cv, ctx);
        if (tab)
            cv->focus = !cv->focus;
        else if (is_backspace(ret, ch))
            backspace(cv->pw[cv->focus], &cv->pw_len[cv->focus]);
        else if (ret == OK && ch == 21) { /* ^U */
            explicit_bzero(cv->pw[cv->focus], PW_ROOM);
            cv->pw_len[cv->focus] = 0;
        } else if (printable(ret, ch))
            append(cv->pw[cv->focus], &cv->pw_len[cv->focus], PW_ROOM, ch);
        return REACT_REDRAW;
    case CHANGE_EMAIL:
        if (enter)
            return submit(cv, ctx);
        if (is_backspace(ret, ch))
            backspace(cv->email, &cv->email_len);
        else if (ret == OK && ch == 21)
            cv->email[cv->email_len = 0] = '\0';
        else if (printable(ret, ch))
            append(cv->email, &cv->email_len, sizeof cv->email, ch);
        return REACT_REDRAW;
    case CHANGE_TYPE:
        if (enter)
            return submit(cv, ctx);
        if (tab)
            cv->focus = !cv->focus;
        else if (ret == OK && ch == ' ')
            *(cv->focus == 0 ? &cv->vip : &cv->business) ^= 1;
        else if (ret == OK && (ch == 'v' || ch == 'V'))
            cv->vip ^= 1;
        else if (ret == OK && (ch == 'b' || ch == 'B'))
            cv->business ^= 1;
        return REACT_REDRAW;
    case CHANGE_DETAILS:
    case CHANGE_ADDRESS:
        return fields_key(cv, ctx, ret, ch);
    }
    return REACT_NONE;
}

/* y, or the box ID typed in PROD: the change goes to the desk. */
static struct reaction
apply(struct change_view *cv, struct ui_ctx *ctx)
{
    struct bl_error err = {0};

    ctx->message[0] = '\0';
    if (desk_change(ctx->desk, &cv->rq, &cv->plan, &err) != 0) {
        /* The request may be gone with the failure: back to the list, not to a review
         * whose y would have nothing (or the wrong thing) to send. */
        ui_say(ctx, UI_ERROR, "%s", err.message);
        error_clear(&err);
        to_list(cv);
        return REACT_REDRAW;
    }
    cv->step = S_RUNNING;
    cv->logged = 0;
    /* make bench times the change from here to its result drawn. */
    log_msg("change %s confirmed", change_kind_name(cv->plan.kind));
    return REACT_REDRAW;
}

/* Esc on the review, or a wrong box ID: nothing sent, noted as cancelled. */
static struct reaction
decline(struct change_view *cv, struct ui_ctx *ctx, const char *why)
{
    desk_change_declined(ctx->desk, &cv->rq, &cv->plan);
    ui_say(ctx, UI_NOTICE, "%s", why);
    return (struct reaction){.redo = REDO_DRAW, .go = GO_BACK};
}

static struct reaction
review_key(struct change_view *cv, struct ui_ctx *ctx, int ret, wint_t ch)
{
    if (ret == OK && ch == 27)
        return decline(cv, ctx, _("Cancelled: the change was not sent"));
    if (ctx->cfg->env != ENV_PROD) {
        if (ret == OK && (ch == 'y' || ch == 'Y'))
            return apply(cv, ctx);
        ui_say(ctx, UI_NOTICE, "%s",
               _("y applies the change, Esc leaves without sending"));
        return REACT_REDRAW;
    }
    if (ret == OK && (ch == '\n' || ch == '\r')) {
        char box[32];

        snprintf(box, sizeof box, "%llu", (unsigned long long)ctx->session->box_id);
        if (strcmp(cv->box, box) == 0)
            return apply(cv, ctx);
        return decline(cv, ctx,
                       _("Declined: that is not the box ID; the change was not sent"));
    }
    if (is_backspace(ret, ch))
        backspace(cv->box, &cv->box_len);
    else if (printable(ret, ch))
        append(cv->box, &cv->box_len, sizeof cv->box, ch);
    return REACT_REDRAW;
}

static struct reaction
change_key(void *state, struct ui_ctx *ctx, int ret, wint_t ch)
{
    struct change_view *cv = state;
    int esc = ret == OK && ch == 27;

    if (ctx->session == NULL)
        return esc ? (struct reaction){.redo = REDO_DRAW, .go = GO_BACK} : REACT_NONE;
    switch (cv->step) {
    case S_LIST:
        if (esc)
            return (struct reaction){.redo = REDO_DRAW, .go = GO_BACK};
        if (ret == OK && (ch == 'q' || ch == 'Q'))
            return REACT_QUIT;
        if (ret == KEY_CODE_YES && ch == KEY_UP)
            cv->item = (cv->item + I_COUNT - 1) % I_COUNT;
        else if ((ret == KEY_CODE_YES && ch == KEY_DOWN) || (ret == OK && ch == '\t'))
            cv->item = (cv->item + 1) % I_COUNT;
        else if (ret == OK && (ch == '\n' || ch == '\r'))
            return choose(cv, ctx);
        return REACT_REDRAW;
    case S_WAIT:
        if (esc)
            to_list(cv);
        else if (ret == OK && (ch == 'q' || ch == 'Q'))
            return REACT_QUIT;
        return REACT_REDRAW;
    case S_FORM:
        if (cv->kind == CHANGE_DETAILS || cv->kind == CHANGE_ADDRESS)
            return fields_key(cv, ctx, ret, ch);
        if (esc) {
            to_list(cv);
            ctx->message[0] = '\0';
            return REACT_REDRAW;
        }
        return form_key(cv, ctx, ret, ch);
    case S_REVIEW:
        return review_key(cv, ctx, ret, ch);
    case S_RUNNING:
        if (esc) {
            if (desk_change_cancel(ctx->desk)) {
                ui_say(ctx, UI_NOTICE, "%s", _("Cancelled: the change was not sent"));
                return (struct reaction){.redo = REDO_DRAW, .go = GO_BACK};
            }
            ui_say(ctx, UI_ERROR, "%s", _("too late: the change was sent"));
            return REACT_REDRAW;
        }
        if (ret == OK && (ch == 'q' || ch == 'Q'))
            return REACT_QUIT;
        /* TRANSLATORS: a key pressed while a change runs. */
        ui_say(ctx, UI_NOTICE, "%s", _("a change is running"));
        return REACT_REDRAW;
    case S_RESULT:
        if (esc || (ret == OK && (ch == '\n' || ch == '\r')))
            return (struct reaction){.redo = REDO_DRAW, .go = GO_BACK};
        if (ret == OK && (ch == 'q' || ch == 'Q'))
            return REACT_QUIT;
        if (ret == OK && (ch == 'c' || ch == 'C') &&
            password_to_copy(cv, &ctx->desk->change)) {
            term_clipboard(cv->generated);
            ui_say(ctx, UI_NOTICE, "%s",
                   _("New password sent to the clipboard (OSC 52; some terminals ignore "
                     "it)"));
        }
        return REACT_REDRAW;
    }
    return REACT_NONE;
}

static struct reaction
change_news(void *state, struct ui_ctx *ctx, const struct desk_news *news)
{
    struct change_view *cv = state;

    if (cv->step == S_WAIT && (news->changed & DESK_PROFILE)) {
        if (ctx->desk->profile.state == DESK_READY) {
            open_form(cv, ctx);
        } else {
            /* TRANSLATORS: %s is why the profile could not be read. */
            ui_say(ctx, UI_ERROR, _("The profile could not be read: %s"),
                   ctx->desk->profile.error != NULL ? ctx->desk->profile.error : "");
            cv->step = S_LIST;
        }
        return REACT_REDRAW;
    }
    if (cv->step == S_RUNNING && (news->changed & DESK_CHANGED)) {
        cv->step = S_RESULT;
        return REACT_REDRAW;
    }
    return REACT_NONE;
}

/* The places lists the address form's picker asked for. */
static struct reaction
change_result(void *state, struct ui_ctx *ctx, struct job_result *r)
{
    struct change_view *cv = state;

    (void)ctx;
    if (cv->step == S_FORM && cv->kind == CHANGE_ADDRESS &&
        address_form_result(&cv->address, r))
        return REACT_REDRAW;
    return REACT_NONE;
}

const struct screen change_screen = {
    .create = change_create,
    .destroy = change_destroy,
    .reset = change_reset,
    .enter = change_enter,
    .leave = change_leave,
    .draw = change_draw,
    .key = change_key,
    .result = change_result,
    .news = change_news,
    .poll_ms = change_poll_ms,
    .typing = change_typing,
};
