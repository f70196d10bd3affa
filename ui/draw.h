/* Drawing helpers shared by the screens: width-aware text, header, footer. */
#ifndef BOXLOGIN_DRAW_H
#define BOXLOGIN_DRAW_H

#include "theme.h"

#include <curses.h>

struct ui;

/* Columns the UTF-8 string s takes on the terminal. */
int draw_width(const char *s);

/*
 * Draws UTF-8 text at y, x in at most width columns with attributes a,
 * ending with an ellipsis when it does not fit. Returns the columns used.
 */
int draw_text(WINDOW *w, int y, int x, int width, const char *s, attr_t a);

/* The header line: program name, environment badge, API host. */
void draw_header(const struct ui *ui);

/*
 * The footer line: pairs of key name and what it does, e.g.
 * {"Enter", "log in", "F10", "quit", NULL}.
 */
void draw_footer(const char *const *keys);

/* The status line above the footer: one message with a meaning. */
void draw_status(const char *text, enum ui_meaning m);

#endif
