/*
 * One line of text an agent edits (a form's field): code points in a fixed buffer,
 * the cursor, and the keys of every text field (Left, Right, Home, End, ^A, ^E,
 * Backspace, Del, ^U). What it holds is UTF-8 on the way in and out, whatever the
 * locale. Not for secrets: nothing is wiped.
 */
#ifndef BOXLOGIN_EDIT_H
#define BOXLOGIN_EDIT_H

#include <curses.h>
#include <stddef.h>
#include <wchar.h>

/* The most characters a field holds (the longest text SkyPostal takes). */
#define EDIT_MAX 200

struct edit {
    unsigned text[EDIT_MAX + 1]; /* code points */
    size_t len, at;              /* characters, and the cursor's place */
};

/* What a key did to a form of edits (the change forms). */
enum edit_step {
    EDIT_USED,   /* the form used the key: draw again */
    EDIT_PASS,   /* not the form's key */
    EDIT_SUBMIT, /* Enter, and what was typed is good: the request is ready */
    EDIT_CANCEL, /* Esc: leave without sending */
};

/* Replaces the text with s (UTF-8; NULL is ""), the cursor at its end. */
void edit_set(struct edit *e, const char *s);

/* The text as UTF-8, malloc'd, or NULL without memory. */
char *edit_text(const struct edit *e);

/* Whether typed holds something else than before (NULL is empty), both trimmed; also 1
 * without memory, so that nothing is taken as unchanged by mistake. */
int edit_differs(const char *before, const char *typed);

/* A key, as get_wch gave it: returns 1 when the field used it (draw again). */
int edit_key(struct edit *e, int ret, wint_t ch);

/* Draws the field on line y from column x in width columns with attributes a; with
 * focus, the cursor is left where the next character goes. */
void edit_draw(const struct edit *e, int y, int x, int width, attr_t a, int focus);

#endif
