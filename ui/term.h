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
    UI_COLUMNS,     /* the column headers of a table */
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

/*
 * Shows (1) or hides (0) the cursor: curs_set, and on an xterm whose terminfo cannot
 * hide it (xterm-mono has no civis), DECTCEM, which every xterm knows; the cursor is then
 * shown again on every way out.
 */
void term_cursor(int visible);

/* Restores the terminal and frees curses; safe to call when term_start failed. */
void term_stop(void);

/* Whether the locale can show UTF-8. Where it cannot, term_text and term_width show
 * boxlogin's own punctuation (ellipsis, dashes, the key mask) in ASCII, and anything
 * else that is not ASCII as '?'; a screen only picks a different spinner. */
int term_unicode(void);

/* The spinner's frame for a count of tenths of a second (braille, or |/-\ in ASCII). */
const char *term_spinner(long tenths);

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
 * The width of a label column whose widest label takes widest columns: at least least
 * columns (where the English labels have always lined up), at most a third of the
 * screen, so that the values keep room. A longer label is cut with an ellipsis.
 */
int term_label_column(int widest, int least);

/* The label column of term_field when the labels are no wider: the English one. */
#define TERM_FIELD_LABEL 16

/*
 * One "label  value" line of a scrolling body: line *row of the body, shown at screen
 * line first + *row - top when that is within first..last; the label in label_w columns
 * (term_label_column) from column 2, the value one column after it; an empty or missing
 * value is a dash. Advances *row either way. The label is drawn as given: translate it.
 */
void term_field(int *row, int top, int first, int last, int label_w, const char *label,
                const char *value, attr_t a);

/* Draws text centred on line y of the screen. */
void term_centred(int y, const char *s, attr_t a);

/* The rank of a key hint that is never left out of the footer. */
#define HINT_ESSENTIAL 0
/* The rank of a key that the help lists and the footer never shows. */
#define HINT_HELP_ONLY (-1)

/*
 * One key of a screen: a hint of the footer, and a line of the help overlay. key is as
 * printed on the keyboard (Enter, Esc, F10, ^U) and is not marked for translation; the
 * few that are words (Up/Down) are marked N_() and translated where drawn. NULL or "":
 * no key, what says it all. what (and help) are marked N_() and translated where drawn.
 */
struct key_hint {
    const char *key, *what;
    /* HINT_ESSENTIAL: the way out and the screen's main action, never left out. Else
     * 1, 2, ...: the order of importance; when the line is too narrow, the highest ranks
     * are left out. HINT_HELP_ONLY: in the help, never in the footer. */
    int rank;
};

/* How many elements a static array has (the hints of a footer). */
#define TERM_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/*
 * Says whether text is being typed on the screen drawn next: the footer's help hint is
 * then F1 (? is a character), else ?.
 */
void term_typing(int typing);

/*
 * The footer line: n key hints in the order given, translated, then the help hint. The
 * essential ones and the help hint are always there (the last of them cut if even they
 * do not fit); the others by rank, lowest first, as long as they fit: the least
 * important are left out first, and then the help hint says "more". The hints are kept
 * (not copied: give a static table) as the keys of the screen, for term_help.
 */
void term_footer(const struct key_hint *hints, int n);

/*
 * The help overlay over the screen: every key the last footer was given (those left
 * out of it too), then the n keys of extra that the screen does not list itself (the
 * loop's keys), keys that do the same on one line ("q F10 ^C"), in a framed window as
 * tall as the screen. When they do not fit, page (from 0) of them, and its last line
 * says Space shows the rest. Returns the pages.
 */
int term_help(const struct key_hint *extra, int n, int page);

/*
 * The status line above the footer: a message with a meaning, wrapped at spaces on the
 * lines above the footer, up to three; when even they are too few, the third ends in
 * "… (m: full message)" and term_status_cut gives the message. Returns the lines used.
 */
int term_status(const char *text, enum ui_meaning m);

/* The same where m is text (the form): wrapped on up to most lines, never cut short of
 * them; the last ends with an ellipsis when even they are too few. */
int term_status_lines(const char *text, enum ui_meaning m, int most);

/* Draws text from (y, x) wrapped at spaces on lines of width columns, at most most;
 * when even they are too few, the last ends in "…", and with m_hint "… (m: full
 * message)" and term_status_cut gives the text whole, as for term_status (m_hint 0
 * where m is text: a form). Returns the lines used. */
int term_wrapped(int y, int x, int width, int most, const char *text, attr_t a,
                 int m_hint);

/* The lines term_status takes for text (0 for ""): the lines a screen leaves it. */
int term_status_height(const char *text);

/* Forgets the status drawn last: called before a screen draws. */
void term_status_reset(void);

/* The message term_status drew last if it had to cut it (what m shows), or NULL. The
 * terminal module owns it. */
const char *term_status_cut(void);

/* An overlay in the middle of the screen with text whole, wrapped. */
void term_message(const char *text);

/* Sends text to the terminal's clipboard (OSC 52); terminals may ignore it. */
void term_clipboard(const char *text);

#endif
