/*
 * The terminal: curses set-up and restore on every way out (fatal signals
 * included), colours by meaning, and the width-aware text that screens draw with.
 */
#ifndef BOXLOGIN_TERM_H
#define BOXLOGIN_TERM_H

#include "../src/error.h"

#include <curses.h>

/* What a piece of the screen means; term_attr gives how it looks. */
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

/*
 * Starts curses on the process's terminal (raw, no echo, keypad, colours) and
 * arranges for the terminal to be restored if a fatal signal (SIGSEGV,
 * SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGQUIT, SIGTRAP, SIGSYS) ends the process.
 * Refuses terminals that cannot position the cursor. Returns 0, or -1 with a
 * usage error and the terminal untouched.
 */
int term_start(struct bl_error *err);

/* Restores the terminal and frees curses; safe to call when term_start failed. */
void term_stop(void);

/* Whether the locale can show UTF-8 (else spinner, mask and dashes use ASCII). */
int term_unicode(void);

/* The attributes (colour pair included) that show meaning m. */
attr_t term_attr(enum ui_meaning m);

/* Columns the UTF-8 string s takes on the terminal. */
int term_width(const char *s);

/*
 * Draws UTF-8 text at y, x in at most width columns with attributes a,
 * ending with an ellipsis when it does not fit. Returns the columns used.
 */
int term_text(WINDOW *w, int y, int x, int width, const char *s, attr_t a);

/*
 * One "label  value" line of a scrolling body: line *row of the body, shown at screen
 * line first + *row - top when that is within first..last; an empty or missing value
 * is a dash. Advances *row either way.
 */
void term_field(int *row, int top, int first, int last, const char *label,
                const char *value, attr_t a);

/* Draws text centred on line y of the screen. */
void term_centred(int y, const char *s, attr_t a);

/* One key hint of the footer: the key, what it does, and whether it must stay. */
struct key_hint {
    const char *key, *what;
    int essential; /* the way out and the screen's main action: never left out */
};

/*
 * The footer line: n key hints in the order given. When they do not fit, the
 * hints that are not essential are left out from the last one back.
 */
void term_footer(const struct key_hint *hints, int n);

/* The status line above the footer: one message with a meaning. */
void term_status(const char *text, enum ui_meaning m);

/* Sends text to the terminal's clipboard (OSC 52); terminals may ignore it. */
void term_clipboard(const char *text);

#endif
