/* The Profile tab: what SkyPostal has on file for the customer, addresses and phones. */
#include "screen.h"
#include "../src/i18n.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct profile_view {
    const struct account_profile *profile; /* the desk's; NULL until it arrives */
    char error[512];                       /* why it did not, or "" */
    int top;                               /* the first line shown (scrolling) */
};

static void *
profile_create(struct ui_ctx *ctx)
{
    (void)ctx;
    return calloc(1, sizeof(struct profile_view));
}

static void
profile_reset(void *state, struct ui_ctx *ctx)
{
    (void)ctx;
    memset(state, 0, sizeof(struct profile_view));
}

static void
profile_destroy(void *state)
{
    free(state);
}

static enum tab_state
profile_tab_state(const void *state, const struct ui_ctx *ctx)
{
    const struct profile_view *pv = state;

    return ctx->desk->profile.state == DESK_LOADING ? TAB_LOADING
           : pv->error[0] != '\0'                   ? TAB_FAILED
                                                    : TAB_READY;
}

static void
profile_enter(void *state, struct ui_ctx *ctx)
{
    (void)state, (void)ctx;
    term_cursor(0);
}

/* The labels of the profile, in the agent's language where drawn. */
enum profile_label {
    L_CUSTOMER_ID,
    L_EMAIL,
    L_BORN,
    L_GENDER,
    L_IDENTITY,
    L_TAX,
    L_CAMPAIGN,
    L_OFFERS,
    L_STATUS,
    L_ADDRESSES,
    L_PHONES,
    L_COUNT
};

static const char *const labels[L_COUNT] = {
    /* TRANSLATORS: label of the profile, left of SkyPostal's number for the customer. */
    [L_CUSTOMER_ID] = N_("Customer ID"),
    /* TRANSLATORS: label of the profile. */
    [L_EMAIL] = N_("Email"),
    /* TRANSLATORS: label of the profile, left of the date of birth. */
    [L_BORN] = N_("Born"),
    /* TRANSLATORS: label of the profile. */
    [L_GENDER] = N_("Gender"),
    /* TRANSLATORS: label of the profile: the number of an identity document. */
    [L_IDENTITY] = N_("Identity no."),
    /* TRANSLATORS: label of the profile: the customer's tax number. */
    [L_TAX] = N_("Tax no."),
    /* TRANSLATORS: label of the profile: the marketing campaign the customer came from.
     */
    [L_CAMPAIGN] = N_("Campaign"),
    /* TRANSLATORS: label of the profile, left of yes or no: whether the customer accepts
     * offers by email. */
    [L_OFFERS] = N_("Email offers"),
    /* TRANSLATORS: label of the profile, left of the status badges. */
    [L_STATUS] = N_("Status"),
    /* TRANSLATORS: label of the profile, above the postal addresses on file. */
    [L_ADDRESSES] = N_("Addresses"),
    /* TRANSLATORS: label of the profile, above the phone numbers on file. */
    [L_PHONES] = N_("Phones"),
};

/* The kind of a phone, as its label ("" when unknown). */
static const char *
phone_type(enum account_phone_type type)
{
    const char *label = account_phone_type_label(type);

    return label != NULL ? label : "";
}

/* The label column: as wide as the widest label drawn, translated labels, country codes
 * of the addresses and kinds of phone included. */
static int
label_column(const struct account_profile *p)
{
    int widest = 0, w;

    for (int i = 0; i < L_COUNT; i++)
        if ((w = term_width(_(labels[i]))) > widest)
            widest = w;
    for (size_t i = 0; i < p->n_addresses; i++)
        if (p->addresses[i].country_code != NULL &&
            (w = term_width(p->addresses[i].country_code)) > widest)
            widest = w;
    for (size_t i = 0; i < p->n_phones; i++)
        if ((w = term_width(phone_type(p->phones[i].type))) > widest)
            widest = w;
    return term_label_column(widest, TERM_FIELD_LABEL);
}

static void
profile_draw(void *state, struct ui_ctx *ctx)
{
    /* The way out stays; retrying goes first, then scrolling, the tabs, a new lookup. */
    static const struct key_hint keys[] = {
        /* TRANSLATORS: key hint (n), one or two words: wipe this customer, empty form. */
        {"n", N_("new lookup"), 1},
        /* TRANSLATORS: key hint (1-3), one word: the keys that switch tabs. */
        {"1-3", N_("tabs"), 2},
        {
            /* TRANSLATORS: key hint: the arrow keys (a key name), keep short. */
            N_("Up/Down"),
            /* TRANSLATORS: key hint (Up/Down), one word: move the view up or down. */
            N_("scroll"),
            3,
        },
        /* TRANSLATORS: key hint (r), one word: ask the server again. */
        {"r", N_("retry"), 4},
        /* TRANSLATORS: key hint (q), one word. */
        {"q", N_("quit"), HINT_ESSENTIAL},
        /* TRANSLATORS: help line for c: copy the box ID to the clipboard. */
        {"c", N_("copy the box ID"), HINT_HELP_ONLY},
        /* TRANSLATORS: help line for PgUp and PgDn (key names), a few words. */
        {N_("PgUp/PgDn"), N_("scroll a page"), HINT_HELP_ONLY},
        /* TRANSLATORS: help line for Home and End (key names), a few words. */
        {N_("Home/End"), N_("first or last page"), HINT_HELP_ONLY},
        /* Last: left out when changes are turned off. */
        {"e", N_("change"), 5},
    };
    struct profile_view *pv = state;
    const struct account_profile *p = pv->profile;
    const char *say = pv->error[0] != '\0' ? pv->error : ctx->message;
    int h = term_status_height(say), first = 3, last = LINES - 2 - (h > 1 ? h : 1), row,
        lw;
    const char *offers = NULL;
    char addresses[64] = "", phones[64] = "";
    char id[24], status[512];

    term_footer(keys, TERM_COUNT(keys) - (ctx->cfg->changes ? 0 : 1));
    term_status(say, pv->error[0] != '\0' ? UI_ERROR : ctx->message_meaning);
    if (p == NULL) {
        term_text(stdscr, first, 2, COLS - 3,
                  ctx->desk->profile.state == DESK_LOADING
                      ? _("Asking SkyPostal for the profile…")
                      /* TRANSLATORS: r is the key to press. */
                      : _("No profile: r asks again"),
                  term_attr(UI_HINT));
        wnoutrefresh(stdscr);
        return;
    }
    if (pv->top < 0)
        pv->top = 0;
    lw = label_column(p);
    term_text(stdscr, first - 1, 2, COLS - 3,
              p->name != NULL ? p->name : _("(no name on record)"), term_attr(UI_TITLE));
    if (p->customer_id != 0)
        snprintf(id, sizeof id, "%llu", (unsigned long long)p->customer_id);
    else
        id[0] = '\0';
    snprintf(status, sizeof status, "%s · %s · %s · %s",
             session_badge_word(SESSION_ACTIVE, p->active),
             session_badge_word(SESSION_VIP, p->vip),
             session_badge_word(SESSION_BUSINESS, p->business),
             session_badge_word(SESSION_ENABLED, p->enabled));
    /* Twice: first counted without drawing (no line is within 1..0), so that the top
     * stops at the last page before anything is drawn. */
    for (int pass = 0; pass < 2; pass++) {
        int f = pass ? first : 1, l = pass ? last : 0;

        row = 0;
        term_field(&row, pv->top, f, l, lw, _(labels[L_CUSTOMER_ID]), id, A_NORMAL);
        term_field(&row, pv->top, f, l, lw, _(labels[L_EMAIL]), p->email, A_NORMAL);
        term_field(&row, pv->top, f, l, lw, _(labels[L_BORN]), p->birth_date, A_NORMAL);
        term_field(&row, pv->top, f, l, lw, _(labels[L_GENDER]), p->gender, A_NORMAL);
        term_field(&row, pv->top, f, l, lw, _(labels[L_IDENTITY]), p->identity_number,
                   A_NORMAL);
        term_field(&row, pv->top, f, l, lw, _(labels[L_TAX]), p->tax_number, A_NORMAL);
        term_field(&row, pv->top, f, l, lw, _(labels[L_CAMPAIGN]), p->campaign, A_NORMAL);
        if (p->email_agreement == FLAG_YES)
            /* TRANSLATORS: beside "Email offers": the customer accepts them. */
            offers = C_("answer", "yes");
        else if (p->email_agreement == FLAG_NO)
            /* TRANSLATORS: beside "Email offers": the customer does not accept them. */
            offers = C_("answer", "no");
        term_field(&row, pv->top, f, l, lw, _(labels[L_OFFERS]), offers, A_NORMAL);
        term_field(&row, pv->top, f, l, lw, _(labels[L_STATUS]), status, A_NORMAL);
        if (p->n_addresses > 0) {
            /* TRANSLATORS: beside "Addresses" and "Phones": how many are listed below. */
            snprintf(addresses, sizeof addresses,
                     P_("%zu on file", "%zu on file", p->n_addresses), p->n_addresses);
        }
        if (p->n_phones > 0)
            snprintf(phones, sizeof phones, P_("%zu on file", "%zu on file", p->n_phones),
                     p->n_phones);
        term_field(&row, pv->top, f, l, lw, _(labels[L_ADDRESSES]), addresses, A_NORMAL);
        for (size_t i = 0; i < p->n_addresses; i++) {
            const struct account_address *a = &p->addresses[i];
            char text[1024];

            account_address_place(a, text, sizeof text);
            term_field(&row, pv->top, f, l, lw, a->country_code ? a->country_code : "",
                       text, A_NORMAL);
            if (a->zip != NULL || a->phone != NULL) {
                snprintf(text, sizeof text, "%s%s%s", a->zip ? a->zip : "",
                         a->zip && a->phone ? " · " : "", a->phone ? a->phone : "");
                term_field(&row, pv->top, f, l, lw, "", text, A_NORMAL);
            }
        }
        term_field(&row, pv->top, f, l, lw, _(labels[L_PHONES]), phones, A_NORMAL);
        for (size_t i = 0; i < p->n_phones; i++)
            term_field(&row, pv->top, f, l, lw, phone_type(p->phones[i].type),
                       p->phones[i].number, A_NORMAL);
        /* The last page ends with the last line: scrolling stops there. */
        if (pv->top > row - (last - first + 1))
            pv->top = row - (last - first + 1) > 0 ? row - (last - first + 1) : 0;
    }
    wnoutrefresh(stdscr);
}

/* Asks the desk for the profile again. */
static void
retry(struct profile_view *pv, struct ui_ctx *ctx)
{
    struct bl_error err = {0};

    pv->error[0] = '\0';
    if (desk_fetch_profile(ctx->desk, &err) != 0)
        snprintf(pv->error, sizeof pv->error, _("Profile: %s"), err.message);
    error_clear(&err);
}

static struct reaction
profile_key(void *state, struct ui_ctx *ctx, int ret, wint_t ch)
{
    struct profile_view *pv = state;

    if (ret == KEY_CODE_YES) {
        switch (ch) {
        case KEY_F(10):
            return REACT_QUIT;
        case KEY_UP:
            pv->top--;
            return REACT_REDRAW;
        case KEY_DOWN:
            pv->top++;
            return REACT_REDRAW;
        case KEY_PPAGE:
            pv->top -= LINES - 6;
            return REACT_REDRAW;
        case KEY_NPAGE:
            pv->top += LINES - 6;
            return REACT_REDRAW;
        case KEY_HOME:
            pv->top = 0;
            return REACT_REDRAW;
        case KEY_END:
            pv->top = INT_MAX / 2; /* the drawing stops at the last page */
            return REACT_REDRAW;
        default:
            return REACT_PASS;
        }
    }
    if ((ch == 'r' || ch == 'R') && ctx->session != NULL &&
        ctx->desk->profile.state != DESK_LOADING) {
        retry(pv, ctx);
        return REACT_REDRAW;
    }
    return REACT_PASS;
}

static struct reaction
profile_news(void *state, struct ui_ctx *ctx, const struct desk_news *news)
{
    struct profile_view *pv = state;
    const struct desk *d = ctx->desk;

    if (!(news->changed & DESK_PROFILE))
        return REACT_NONE;
    pv->profile = d->profile.state == DESK_READY ? d->profile_data : NULL;
    pv->error[0] = '\0';
    if (d->profile.state == DESK_FAILED)
        /* TRANSLATORS: the profile could not be fetched; %s says why. */
        snprintf(pv->error, sizeof pv->error, _("Profile: %s"), d->profile.error);
    return REACT_REDRAW;
}

const struct screen profile_screen = {
    /* TRANSLATORS: tab label of the account view (key 2), one short word. */
    .tab = N_("Profile"),     .tab_state = profile_tab_state,
    .create = profile_create, .destroy = profile_destroy,
    .reset = profile_reset,   .enter = profile_enter,
    .draw = profile_draw,     .key = profile_key,
    .news = profile_news,
};
