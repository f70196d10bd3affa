/*
 * A city chosen from SkyPostal's lists: a country, then one of its states, then one of
 * that state's cities, each a list (list.h) filtered as the agent types, ignoring case
 * and accents. The lists come from worker jobs (job_places) through the process's
 * places cache: the first choice costs one round trip per level, any later one none.
 * A screen that hosts the picker gives it its keys, its job results and where to draw.
 */
#ifndef BOXLOGIN_PLACE_PICKER_H
#define BOXLOGIN_PLACE_PICKER_H

#include "list.h"
#include "screen.h"
#include "../src/places.h"

#include <stdint.h>

/* The levels of the picker. */
enum place_level {
    PLACE_COUNTRY,
    PLACE_STATE,
    PLACE_CITY,
    PLACE_LEVELS,
};

struct place_picker {
    enum place_level level;                       /* the list shown */
    const struct place_list *lists[PLACE_LEVELS]; /* the cache's; NULL: not yet in */
    const struct place *chosen[PLACE_LEVELS];     /* what Enter took at each level */
    uint64_t current[PLACE_LEVELS]; /* the customer's own country, state, city: the
                                       selection starts there (0: unknown) */
    unsigned long job;              /* the list asked for and awaited; 0: none */
    char error[512];                /* why the last list did not come, or "" */
    struct list rows;
};

/* What a key did to the picker. */
enum place_step {
    PLACE_USED,   /* the picker used the key: draw again */
    PLACE_PASS,   /* not the picker's key */
    PLACE_CHOSEN, /* Enter on a city: chosen[] holds the country, state and city */
    PLACE_CLOSED, /* Esc on the countries with no filter: nothing chosen */
};

/* Opens the picker on the countries (fetched when this process has not yet), the
 * selection on the customer's country, state and city of current (0: unknown) as each
 * list comes. */
void place_picker_open(struct place_picker *pp, struct ui_ctx *ctx,
                       const uint64_t current[PLACE_LEVELS]);

/* Lets go of what the picker holds (the lists are the cache's) and empties it. */
void place_picker_free(struct place_picker *pp);

/*
 * A key: Up, Down, PgUp, PgDn, Home, End move; letters filter; Enter takes the
 * selection (a country or state opens its list; a city is PLACE_CHOSEN) or asks again
 * for a list that did not come; Esc clears the filter, else goes back a level, else
 * closes the picker.
 */
enum place_step place_picker_key(struct place_picker *pp, struct ui_ctx *ctx, int ret,
                                 wint_t ch);

/* A job result: returns 1 when it was the list the picker awaited (taken), else 0. */
int place_picker_result(struct place_picker *pp, struct job_result *r);

/* Draws the picker on lines y .. y + h - 1: where it is (country › state), the filter
 * and the position on the first, the list below it. */
void place_picker_draw(struct place_picker *pp, int y, int h);

#endif
