/* The Personal details form (details_form.h). */
#include "details_form.h"
#include "../src/i18n.h"
#include "../src/text.h"
#include "term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const labels[DETAILS_FIELDS] = {
    /* TRANSLATORS: label of a field of the Personal details form (short). */
    N_("First name"),
    /* TRANSLATORS: label of a field of the Personal details form (short). */
    N_("Last name"),
    /* TRANSLATORS: label of a field of the Personal details form (short). */
    N_("Identity no."),
    /* TRANSLATORS: label of a field of the Personal details form (short). */
    N_("Tax no."),
    /* TRANSLATORS: label of a field of the Personal details form (short). */
    N_("Birth date"),
    /* TRANSLATORS: label of a field of the Personal details form (short). */
    N_("Gender"),
};

static char *
copy_of(const char *s)
{
    return s != NULL && s[0] != '\0' ? strdup(s) : NULL;
}

int
details_form_open(struct details_form *f, const struct account_profile *p)
{
    int ok = 1;

    details_form_free(f);
    if (p == NULL)
        return 0;
    f->before[DETAILS_FIRST_NAME] = copy_of(p->first_name);
    f->before[DETAILS_LAST_NAME] = copy_of(p->last_name);
    f->before[DETAILS_IDENTITY] = copy_of(p->identity_number);
    f->before[DETAILS_TAX] = copy_of(p->tax_number);
    f->before[DETAILS_BIRTH_DATE] = copy_of(p->birth_date);
    f->before[DETAILS_GENDER] = copy_of(p->gender);
    for (int i = 0; i < DETAILS_FIELDS; i++) {
        const char *was[] = {p->first_name, p->last_name,  p->identity_number,
                             p->tax_number, p->birth_date, p->gender};

        ok &= was[i] == NULL || was[i][0] == '\0' || f->before[i] != NULL;
        if (i < DETAILS_GENDER)
            edit_set(&f->fields[i], f->before[i]);
    }
    if (p->gender != NULL && (p->gender[0] == 'M' || p->gender[0] == 'm') &&
        p->gender[1] == '\0')
        f->gender = 'M';
    else if (p->gender != NULL && (p->gender[0] == 'F' || p->gender[0] == 'f') &&
             p->gender[1] == '\0')
        f->gender = 'F';
    if (!ok) {
        details_form_free(f);
        return -1;
    }
    return 0;
}

void
details_form_free(struct details_form *f)
{
    for (int i = 0; i < DETAILS_FIELDS; i++)
        free(f->before[i]);
    change_request_clear(&f->rq);
    memset(f, 0, sizeof *f);
}

/* Checks field i into *out when it changed; 0, or -1 with err (focus moved there). */
static int
check(struct details_form *f, int i, char **out, struct bl_error *err)
{
    const char *what = _(labels[i]);
    char *typed = edit_text(&f->fields[i]);
    int rc = 0;

    if (typed == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    if (edit_differs(f->before[i], typed)) {
        if (i == DETAILS_TAX)
            rc = change_tax_number_check(typed, what, out, err);
        else if (i == DETAILS_BIRTH_DATE)
            rc = change_birth_date_check(typed, what, out, err);
        else
            rc = change_text_check(typed, what, out, err);
    }
    free(typed);
    if (rc != 0)
        f->focus = (enum details_field)i;
    return rc;
}

/* Enter: every field checked, the request made of those that changed. */
static enum edit_step
submit(struct details_form *f)
{
    struct bl_error err = {0};
    struct change_request *rq = &f->rq;
    int rc;

    change_request_clear(rq);
    rq->kind = CHANGE_DETAILS;
    rc = check(f, DETAILS_FIRST_NAME, &rq->first_name, &err) != 0 ||
         check(f, DETAILS_LAST_NAME, &rq->last_name, &err) != 0 ||
         check(f, DETAILS_IDENTITY, &rq->identity_number, &err) != 0 ||
         check(f, DETAILS_TAX, &rq->tax_number, &err) != 0 ||
         check(f, DETAILS_BIRTH_DATE, &rq->birth_date, &err) != 0;
    if (rc == 0 && f->gender != 0 &&
        (f->before[DETAILS_GENDER] == NULL ||
         strcmp(f->before[DETAILS_GENDER], f->gender == 'M' ? "M" : "F") != 0))
        rc = change_gender_check(f->gender == 'M' ? "M" : "F", _(labels[DETAILS_GENDER]),
                                 &rq->gender, &err) != 0;
    if (rc != 0) {
        snprintf(f->error, sizeof f->error, "%s", err.message);
        change_request_clear(rq);
        error_clear(&err);
        return EDIT_USED;
    }
    rq->kind = CHANGE_DETAILS;
    f->error[0] = '\0';
    return EDIT_SUBMIT;
}

enum edit_step
details_form_key(struct details_form *f, int ret, wint_t ch)
{
    int key = ret == KEY_CODE_YES;

    if ((key && ch == KEY_ENTER) || (!key && (ch == '\r' || ch == '\n')))
        return submit(f);
    if (!key && ch == 27)
        return EDIT_CANCEL;
    if ((key && ch == KEY_DOWN) || (!key && ch == '\t')) {
        f->focus = (enum details_field)((f->focus + 1) % DETAILS_FIELDS);
        return EDIT_USED;
    }
    if (key && (ch == KEY_UP || ch == KEY_BTAB)) {
        f->focus = (enum details_field)((f->focus + DETAILS_FIELDS - 1) % DETAILS_FIELDS);
        return EDIT_USED;
    }
    if (f->focus == DETAILS_GENDER) {
        if ((key && (ch == KEY_LEFT || ch == KEY_RIGHT)) || (!key && ch == ' ')) {
            f->gender = f->gender == 'M' ? 'F' : 'M';
            return EDIT_USED;
        }
        if (!key && (ch == 'm' || ch == 'M' || ch == 'f' || ch == 'F')) {
            f->gender = ch == 'm' || ch == 'M' ? 'M' : 'F';
            return EDIT_USED;
        }
        return EDIT_PASS;
    }
    return edit_key(&f->fields[f->focus], ret, ch) ? EDIT_USED : EDIT_PASS;
}

void
details_form_take(struct details_form *f, struct change_request *rq)
{
    *rq = f->rq;
    memset(&f->rq, 0, sizeof f->rq);
}

void
details_form_draw(struct details_form *f, int y, int h)
{
    int widest = 0, lw, x, w, cy = -1, cx = -1, step;

    for (int i = 0; i < DETAILS_FIELDS; i++) {
        int lwi = term_width(_(labels[i]));

        widest = lwi > widest ? lwi : widest;
    }
    lw = term_label_column(widest, TERM_FIELD_LABEL);
    x = 2 + lw + 1;
    w = COLS - x - 2 < EDIT_MAX ? COLS - x - 2 : EDIT_MAX;
    /* A blank line between fields where there is room for them and the error; on a
     * short terminal none, and no hints. */
    step = h > DETAILS_FIELDS * 2 ? 2 : 1;
    for (int i = 0; i < DETAILS_FIELDS && i * step < h; i++) {
        int row = y + i * step, focus = (int)f->focus == i;

        term_text(stdscr, row, 2, lw, _(labels[i]), focus ? A_BOLD : term_attr(UI_HINT));
        if (i < DETAILS_GENDER) {
            edit_draw(&f->fields[i], row, x, w, term_attr(UI_FIELD), focus);
            if (focus)
                getyx(stdscr, cy, cx);
            if (i == DETAILS_BIRTH_DATE && step == 2)
                /* TRANSLATORS: beside the birth date field: the format to type. */
                term_text(stdscr, row + 1, x, w, _("YYYY-MM-DD"), term_attr(UI_HINT));
        } else {
            char choice[128];

            /* TRANSLATORS: the gender choice; M and F are the values sent: keep them.
             * Space switches between them. */
            snprintf(choice, sizeof choice, _("%s M   %s F   (Space switches)"),
                     f->gender == 'M' ? "(*)" : "( )", f->gender == 'F' ? "(*)" : "( )");
            term_text(stdscr, row, x, w, choice, focus ? A_BOLD : A_NORMAL);
        }
    }
    if (f->error[0] != '\0' && DETAILS_FIELDS * step < h)
        /* Wrapped over the rows left (m is text here: no m hint). */
        term_wrapped(y + DETAILS_FIELDS * step, 2, COLS - 4, h - DETAILS_FIELDS * step,
                     f->error, term_attr(UI_ERROR), 0);
    f->cursor_y = cy;
    f->cursor_x = cx;
    details_form_cursor(f);
}

void
details_form_cursor(const struct details_form *f)
{
    if (f->cursor_y >= 0) {
        move(f->cursor_y, f->cursor_x);
        curs_set(1);
    } else {
        curs_set(0);
    }
}
