/* Colours by meaning, with the same meanings in bold/reverse for NO_COLOR and monochrome.
 */
#ifndef BOXLOGIN_THEME_H
#define BOXLOGIN_THEME_H

#include <curses.h>

enum ui_meaning {
    UI_NORMAL,
    UI_TITLE,       /* the program name, the customer's name */
    UI_HEADER,      /* the header line in TEST */
    UI_HEADER_PROD, /* the header line in PROD: alarming */
    UI_ENV_TEST,    /* the TEST badge */
    UI_ENV_PROD,    /* the PROD badge */
    UI_GOOD,        /* ACTIVE, ENABLED, VERIFIED, key saved */
    UI_BAD,         /* INACTIVE, DISABLED */
    UI_INFO,        /* VIP, BUSINESS */
    UI_PLAIN,       /* NOT VIP, PERSONAL */
    UI_UNKNOWN,     /* a flag the server did not say */
    UI_ERROR,       /* a failed login, a problem */
    UI_NOTICE,      /* neutral news: cancelled, copied */
    UI_HINT,        /* key hints, secondary text */
    UI_KEY,         /* a key name in the footer */
    UI_FIELD,       /* an input field */
    UI_MEANINGS,
};

/* Sets up colour pairs after newterm; NO_COLOR or a monochrome terminal use attributes
 * only. */
void theme_init(void);

/* The attributes (colour pair included) that show meaning m. */
attr_t theme_attr(enum ui_meaning m);

#endif
