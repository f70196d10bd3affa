/*
 * The Personal details form of the Change screen: first and last name, identity and
 * tax numbers, birth date (YYYY-MM-DD) and gender (a choice), prefilled from the
 * profile. Enter checks what was typed with the rules of set-details (src/change.h)
 * and makes a CHANGE_DETAILS request that asks only for the fields the agent changed;
 * a bad value keeps the form, its field focused, with a one-line error.
 */
#ifndef BOXLOGIN_DETAILS_FORM_H
#define BOXLOGIN_DETAILS_FORM_H

#include "edit.h"
#include "../src/account.h"
#include "../src/change.h"

enum details_field {
    DETAILS_FIRST_NAME,
    DETAILS_LAST_NAME,
    DETAILS_IDENTITY,
    DETAILS_TAX,
    DETAILS_BIRTH_DATE,
    DETAILS_GENDER,
    DETAILS_FIELDS,
};

struct details_form {
    struct edit fields[DETAILS_GENDER]; /* the text fields */
    char *before[DETAILS_FIELDS];       /* the profile's values (NULL: none) */
    int gender;                         /* 0 not on file, 'M' or 'F' */
    enum details_field focus;
    int cursor_y, cursor_x;   /* where the last drawing left the cursor; -1: hidden */
    char error[512];          /* why Enter was refused, or "" */
    struct change_request rq; /* made by Enter (EDIT_SUBMIT) */
};

/* Fills the form from the profile p (NULL: empty). Returns 0, or -1 without memory. */
int details_form_open(struct details_form *f, const struct account_profile *p);

/* Frees what the form holds and empties it. */
void details_form_free(struct details_form *f);

/*
 * A key: Tab, Down and Up move between fields; the text keys edit (edit.h); Space,
 * Left and Right choose the gender on its field; Enter checks every field (EDIT_SUBMIT
 * with the request ready, else the error is shown); Esc is EDIT_CANCEL.
 */
enum edit_step details_form_key(struct details_form *f, int ret, wint_t ch);

/* Moves the request Enter made into rq (the form no longer holds it). */
void details_form_take(struct details_form *f, struct change_request *rq);

/* Puts the cursor where the last drawing left it (in the focused field), or hides it:
 * after whatever else the screen drew. */
void details_form_cursor(const struct details_form *f);

/* Draws the form on lines y .. y + h - 1, the cursor in the focused field. */
void details_form_draw(struct details_form *f, int y, int h);

#endif
