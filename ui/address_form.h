/*
 * The Address and phones form of the Change screen: the first address's line 1,
 * neighbourhood, locality and zip, its city (chosen with the place picker: country,
 * state, city, each list filtered as the agent types), and the home and mobile phones,
 * prefilled from the profile. Enter checks what was typed with the rules of
 * set-address (src/change.h) and makes a CHANGE_ADDRESS request that asks only for
 * what the agent changed: an untouched phone is kept, an emptied one removed (the plan
 * then carries every current value and phone, as customer_phone replaces them all).
 */
#ifndef BOXLOGIN_ADDRESS_FORM_H
#define BOXLOGIN_ADDRESS_FORM_H

#include "edit.h"
#include "place_picker.h"
#include "../src/account.h"
#include "../src/change.h"

enum address_field {
    ADDRESS_LINE1,
    ADDRESS_NEIGHBORHOOD,
    ADDRESS_LOCALITY,
    ADDRESS_ZIP,
    ADDRESS_CITY,
    ADDRESS_HOME,
    ADDRESS_MOBILE,
    ADDRESS_FIELDS,
};

struct address_form {
    struct edit fields[ADDRESS_FIELDS]; /* the text fields (not ADDRESS_CITY) */
    char *before[ADDRESS_FIELDS];       /* the profile's values (NULL: none); the city
                                           as "City, State, Country" */
    uint64_t place[PLACE_LEVELS];       /* the customer's country, state, city codes */
    char *city_shown;                   /* the city chosen ("City, State, Country"), or
                                           NULL: the customer's */
    uint64_t city_code;                 /* the city chosen, or 0 */
    char *city_name, *state_name, *country_name; /* its names */
    uint64_t place_chosen[PLACE_LEVELS];         /* its country, state, city codes */
    int picking;                                 /* the picker is open */
    struct place_picker picker;
    enum address_field focus;
    int cursor_y, cursor_x;   /* where the last drawing left the cursor; -1: hidden */
    char error[512];          /* why Enter was refused, or "" */
    struct change_request rq; /* made by Enter (EDIT_SUBMIT) */
};

/* Fills the form from the profile p (its first address, first home and first mobile
 * phone; NULL: empty). Returns 0, or -1 without memory. */
int address_form_open(struct address_form *f, const struct account_profile *p);

/* Frees what the form holds and empties it. */
void address_form_free(struct address_form *f);

/*
 * A key: with the picker open, the picker's (place_picker.h); else Tab, Down and Up
 * move between fields, the text keys edit (edit.h), Enter or Space on the City opens
 * the picker, Enter elsewhere checks every field (EDIT_SUBMIT with the request
 * ready, else the error is shown), Esc is EDIT_CANCEL.
 */
enum edit_step address_form_key(struct address_form *f, struct ui_ctx *ctx, int ret,
                                wint_t ch);

/* A job result: 1 when it was the picker's list (taken), else 0. */
int address_form_result(struct address_form *f, struct job_result *r);

/* Moves the request Enter made into rq (the form no longer holds it). */
void address_form_take(struct address_form *f, struct change_request *rq);

/* Puts the cursor where the last drawing left it (in the focused field), or hides it:
 * after whatever else the screen drew. */
void address_form_cursor(const struct address_form *f);

/* Draws the form, or the picker when it is open, on lines y .. y + h - 1. */
void address_form_draw(struct address_form *f, int y, int h);

#endif
