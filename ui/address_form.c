/* The Address and phones form (address_form.h). */
#include "address_form.h"
#include "../src/i18n.h"
#include "../src/text.h"
#include "term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const labels[ADDRESS_FIELDS] = {
    /* TRANSLATORS: label of a field of the Address and phones form (short): the
     * street and number. */
    N_("Line 1"),
    /* TRANSLATORS: label of a field of the Address and phones form (short). */
    N_("Neighborhood"),
    /* TRANSLATORS: label of a field of the Address and phones form (short). */
    N_("Locality"),
    /* TRANSLATORS: label of a field of the Address and phones form (short). */
    N_("Zip code"),
    /* TRANSLATORS: label of a field of the Address and phones form (short). */
    N_("City"),
    /* TRANSLATORS: label of a field of the Address and phones form (short). */
    N_("Home phone"),
    /* TRANSLATORS: label of a field of the Address and phones form (short). */
    N_("Mobile phone"),
};

/* A phone as the form shows it and change_phone_parse reads it: "+AREA NUMBER xEXT";
 * malloc'd, NULL without a number (or memory). */
static char *
phone_typed(const char *area, const char *number, const char *ext)
{
    char *out = NULL;

    if (number == NULL || number[0] == '\0')
        return NULL;
    while (area != NULL && (*area == '+' || *area == ' '))
        area++;
    if (asprintf(&out, "%s%s%s%s%s", area != NULL && area[0] != '\0' ? "+" : "",
                 area != NULL ? area : "", area != NULL && area[0] != '\0' ? " " : "",
                 number, ext != NULL && ext[0] != '\0' ? " x" : "") < 0)
        return NULL;
    if (ext != NULL && ext[0] != '\0') {
        char *more = NULL;

        if (asprintf(&more, "%s%s", out, ext) < 0)
            more = NULL;
        free(out);
        out = more;
    }
    return out;
}

/* "City, State, Country" of the parts that are known; malloc'd, NULL for none. */
static char *
place_text(const char *city, const char *state, const char *country)
{
    const char *parts[] = {city, state, country};
    size_t len = 1, at = 0;
    char *out;

    for (int i = 0; i < 3; i++)
        len += parts[i] != NULL ? strlen(parts[i]) + 2 : 0;
    if (len == 1 || (out = malloc(len)) == NULL)
        return NULL;
    out[0] = '\0';
    for (int i = 0; i < 3; i++)
        if (parts[i] != NULL && parts[i][0] != '\0')
            at += (size_t)snprintf(out + at, len - at, "%s%s", at > 0 ? ", " : "",
                                   parts[i]);
    if (at == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* The first phone of type t in p, as typed. */
static char *
first_phone(const struct account_profile *p, enum account_phone_type t)
{
    for (size_t i = 0; i < p->n_phones; i++)
        if (p->phones[i].type == t && p->phones[i].digits != NULL)
            return phone_typed(p->phones[i].area, p->phones[i].digits,
                               p->phones[i].extension);
    return NULL;
}

int
address_form_open(struct address_form *f, const struct account_profile *p)
{
    const struct account_address *a;
    int ok = 1;

    address_form_free(f);
    if (p == NULL)
        return 0;
    if (p->n_addresses > 0) {
        a = &p->addresses[0];
        ok &= (a->line1 == NULL || a->line1[0] == '\0' ||
               (f->before[ADDRESS_LINE1] = strdup(a->line1)) != NULL) &&
              (a->neighborhood == NULL || a->neighborhood[0] == '\0' ||
               (f->before[ADDRESS_NEIGHBORHOOD] = strdup(a->neighborhood)) != NULL) &&
              (a->locality == NULL || a->locality[0] == '\0' ||
               (f->before[ADDRESS_LOCALITY] = strdup(a->locality)) != NULL) &&
              (a->zip == NULL || a->zip[0] == '\0' ||
               (f->before[ADDRESS_ZIP] = strdup(a->zip)) != NULL);
        f->before[ADDRESS_CITY] = place_text(a->city, a->state, a->country);
        f->place[PLACE_COUNTRY] = a->country_num;
        f->place[PLACE_STATE] = a->state_code;
        f->place[PLACE_CITY] = a->city_code;
    }
    f->before[ADDRESS_HOME] = first_phone(p, PHONE_HOME);
    f->before[ADDRESS_MOBILE] = first_phone(p, PHONE_MOBILE);
    for (int i = 0; i < ADDRESS_FIELDS; i++)
        if (i != ADDRESS_CITY)
            edit_set(&f->fields[i], f->before[i]);
    if (!ok) {
        address_form_free(f);
        return -1;
    }
    return 0;
}

void
address_form_free(struct address_form *f)
{
    for (int i = 0; i < ADDRESS_FIELDS; i++)
        free(f->before[i]);
    free(f->city_shown);
    free(f->city_name);
    free(f->state_name);
    free(f->country_name);
    place_picker_free(&f->picker);
    change_request_clear(&f->rq);
    memset(f, 0, sizeof *f);
}

/* Checks text field i into *out when it changed; 0, or -1 with err. */
static int
check_text(struct address_form *f, int i, char **out, struct bl_error *err)
{
    char *typed = edit_text(&f->fields[i]);
    int rc = 0;

    if (typed == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    if (edit_differs(f->before[i], typed))
        rc = change_text_check(typed, _(labels[i]), out, err);
    free(typed);
    if (rc != 0)
        f->focus = (enum address_field)i;
    return rc;
}

/* Checks phone field i into *out: kept when untouched, removed when emptied. */
static int
check_phone(struct address_form *f, int i, struct change_phone *out, struct bl_error *err)
{
    char *typed = edit_text(&f->fields[i]), *t;
    int rc = 0;

    if (typed == NULL || (t = text_trimmed(typed)) == NULL) {
        free(typed);
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    }
    if (!edit_differs(f->before[i], t))
        out->ask = CHANGE_PHONE_KEEP;
    else if (t[0] == '\0')
        out->ask = CHANGE_PHONE_REMOVE;
    else
        rc = change_phone_parse(t, _(labels[i]), out, err);
    free(typed);
    free(t);
    if (rc != 0)
        f->focus = (enum address_field)i;
    return rc;
}

/* Enter: every field checked, the request made of what changed. */
static enum edit_step
submit(struct address_form *f)
{
    struct bl_error err = {0};
    struct change_request *rq = &f->rq;
    int rc;

    change_request_clear(rq);
    rq->kind = CHANGE_ADDRESS;
    rc = check_text(f, ADDRESS_LINE1, &rq->line1, &err) != 0 ||
         check_text(f, ADDRESS_NEIGHBORHOOD, &rq->neighborhood, &err) != 0 ||
         check_text(f, ADDRESS_LOCALITY, &rq->locality, &err) != 0 ||
         check_text(f, ADDRESS_ZIP, &rq->zip, &err) != 0 ||
         check_phone(f, ADDRESS_HOME, &rq->home, &err) != 0 ||
         check_phone(f, ADDRESS_MOBILE, &rq->mobile, &err) != 0;
    if (rc == 0 && f->city_code != 0 && f->city_code != f->place[PLACE_CITY]) {
        rq->city_code = f->city_code;
        if ((rq->city_name = strdup(f->city_name)) == NULL ||
            (rq->state_name = strdup(f->state_name)) == NULL ||
            (rq->country_name = strdup(f->country_name)) == NULL)
            rc = error_set(&err, BL_INTERNAL, "%s", _("out of memory"));
    }
    if (rc != 0) {
        snprintf(f->error, sizeof f->error, "%s", err.message);
        change_request_clear(rq);
        error_clear(&err);
        return EDIT_USED;
    }
    rq->kind = CHANGE_ADDRESS;
    f->error[0] = '\0';
    return EDIT_SUBMIT;
}

/* The picker chose a city: the form shows it and Enter will ask for it. */
static void
chosen(struct address_form *f)
{
    const struct place *const *c = f->picker.chosen;

    free(f->city_shown);
    free(f->city_name);
    free(f->state_name);
    free(f->country_name);
    f->city_shown =
        place_text(c[PLACE_CITY]->name, c[PLACE_STATE]->name, c[PLACE_COUNTRY]->name);
    f->city_name = strdup(c[PLACE_CITY]->name);
    f->state_name = strdup(c[PLACE_STATE]->name);
    f->country_name = strdup(c[PLACE_COUNTRY]->name);
    f->city_code = f->city_shown != NULL && f->city_name != NULL &&
                           f->state_name != NULL && f->country_name != NULL
                       ? c[PLACE_CITY]->code
                       : 0;
    /* Next time the picker starts on this city. */
    f->place_chosen[PLACE_COUNTRY] = c[PLACE_COUNTRY]->code;
    f->place_chosen[PLACE_STATE] = c[PLACE_STATE]->code;
    f->place_chosen[PLACE_CITY] = c[PLACE_CITY]->code;
}

/* Opens the picker on the city shown. */
static void
pick(struct address_form *f, struct ui_ctx *ctx)
{
    f->picking = 1;
    f->error[0] = '\0';
    place_picker_open(&f->picker, ctx, f->city_code != 0 ? f->place_chosen : f->place);
}

enum edit_step
address_form_key(struct address_form *f, struct ui_ctx *ctx, int ret, wint_t ch)
{
    int key = ret == KEY_CODE_YES;

    if (f->picking) {
        switch (place_picker_key(&f->picker, ctx, ret, ch)) {
        case PLACE_CHOSEN:
            chosen(f);
            f->picking = 0;
            f->focus = ADDRESS_HOME;
            return EDIT_USED;
        case PLACE_CLOSED:
            f->picking = 0;
            return EDIT_USED;
        case PLACE_USED:
            return EDIT_USED;
        case PLACE_PASS:
            return EDIT_PASS;
        }
    }
    if ((key && ch == KEY_ENTER) || (!key && (ch == '\r' || ch == '\n'))) {
        if (f->focus == ADDRESS_CITY) {
            pick(f, ctx);
            return EDIT_USED;
        }
        return submit(f);
    }
    if (!key && ch == 27)
        return EDIT_CANCEL;
    if ((key && ch == KEY_DOWN) || (!key && ch == '\t')) {
        f->focus = (enum address_field)((f->focus + 1) % ADDRESS_FIELDS);
        return EDIT_USED;
    }
    if (key && (ch == KEY_UP || ch == KEY_BTAB)) {
        f->focus = (enum address_field)((f->focus + ADDRESS_FIELDS - 1) % ADDRESS_FIELDS);
        return EDIT_USED;
    }
    if (f->focus == ADDRESS_CITY) {
        if (!key && ch == ' ') {
            pick(f, ctx);
            return EDIT_USED;
        }
        return EDIT_PASS;
    }
    return edit_key(&f->fields[f->focus], ret, ch) ? EDIT_USED : EDIT_PASS;
}

int
address_form_result(struct address_form *f, struct job_result *r)
{
    return place_picker_result(&f->picker, r);
}

void
address_form_take(struct address_form *f, struct change_request *rq)
{
    *rq = f->rq;
    memset(&f->rq, 0, sizeof f->rq);
}

void
address_form_draw(struct address_form *f, int y, int h)
{
    int widest = 0, lw, x, w, cy = -1, cx = -1, step;

    if (f->picking) {
        f->cursor_y = -1;
        curs_set(0);
        place_picker_draw(&f->picker, y, h);
        return;
    }
    for (int i = 0; i < ADDRESS_FIELDS; i++) {
        int lwi = term_width(_(labels[i]));

        widest = lwi > widest ? lwi : widest;
    }
    lw = term_label_column(widest, TERM_FIELD_LABEL);
    x = 2 + lw + 1;
    w = COLS - x - 2 < EDIT_MAX ? COLS - x - 2 : EDIT_MAX;
    /* A blank line between fields where there is room for them and the error; on a
     * short terminal none, and no hints. */
    step = h > ADDRESS_FIELDS * 2 ? 2 : 1;
    for (int i = 0; i < ADDRESS_FIELDS && i * step < h; i++) {
        int row = y + i * step, focus = (int)f->focus == i;

        term_text(stdscr, row, 2, lw, _(labels[i]), focus ? A_BOLD : term_attr(UI_HINT));
        if (i == ADDRESS_CITY) {
            const char *city = f->city_shown != NULL ? f->city_shown : f->before[i];
            char line[640];

            /* TRANSLATORS: the city field; %s is "City, State, Country"; Enter is the
             * key that opens the lists to choose another. */
            snprintf(line, sizeof line, _("%s  (Enter chooses another)"),
                     city != NULL ? city : text_dash());
            term_text(stdscr, row, x, w, line, focus ? A_BOLD : A_NORMAL);
        } else {
            edit_draw(&f->fields[i], row, x, w, term_attr(UI_FIELD), focus);
            if (focus)
                getyx(stdscr, cy, cx);
            if ((i == ADDRESS_HOME || i == ADDRESS_MOBILE) && focus && step == 2)
                /* TRANSLATORS: under a phone field: how to type a phone; keep +AREA
                 * NUMBER xEXT's form. Emptying the field removes the phone. */
                term_text(stdscr, row + 1, x, w, _("+AREA NUMBER xEXT; empty removes it"),
                          term_attr(UI_HINT));
        }
    }
    if (f->error[0] != '\0' && ADDRESS_FIELDS * step < h)
        /* Wrapped over the rows left (m is text here: no m hint). */
        term_wrapped(y + ADDRESS_FIELDS * step, 2, COLS - 4, h - ADDRESS_FIELDS * step,
                     f->error, term_attr(UI_ERROR), 0);
    f->cursor_y = cy;
    f->cursor_x = cx;
    address_form_cursor(f);
}

void
address_form_cursor(const struct address_form *f)
{
    if (f->cursor_y >= 0) {
        move(f->cursor_y, f->cursor_x);
        curs_set(1);
    } else {
        curs_set(0);
    }
}
