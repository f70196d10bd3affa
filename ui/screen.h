/* What the UI loop shares with the screens, and what a screen is. */
#ifndef BOXLOGIN_SCREEN_H
#define BOXLOGIN_SCREEN_H

#include "../src/cli.h"
#include "../src/config.h"
#include "../src/session.h"
#include "../src/worker.h"
#include "theme.h"

#include <stdio.h>
#include <time.h>
#include <wchar.h>

/* What a key handler asks the loop to do next (a bitmask). */
enum reaction {
    REACT_NONE = 0,
    REACT_REDRAW = 1,
    REACT_QUIT = 2,
};

enum key_state {
    KEY_SAVING,
    KEY_SAVED,
    KEY_NOT_SAVED,
};

struct screen;

/* The UI's state. The loop owns it; screens read it and change it through their handlers.
 */
struct ui {
    const struct cli *cli;
    const struct bl_config *cfg;
    const char *host;
    struct worker *worker;
    FILE *tty_out;     /* where escape sequences curses does not know go (OSC 52) */
    int unicode;       /* the locale is UTF-8 */
    unsigned long seq; /* the last job number given to the worker */
    const struct screen *screen;
    const struct screen *next; /* set by a handler to switch screens */

    struct bl_session *session; /* the customer shown; owned, wiped when freed */
    unsigned long session_seq;  /* the login that made it */
    enum key_state key_state;
    char *key_why; /* why the key was not saved */

    struct timespec last_net; /* the last network work asked of the worker */
    struct bl_error fatal;    /* set: leave the UI, say this, exit 2 */

    char message[512]; /* the status line */
    enum ui_meaning message_meaning;
};

/* One screen. draw only paints state, so it may be called at any time (a resize is a
 * redraw). */
struct screen {
    void (*enter)(struct ui *ui);
    void (*draw)(struct ui *ui);
    /* ret and ch as get_wch gave them; returns a reaction. */
    int (*key)(struct ui *ui, int ret, wint_t ch);
    /* A worker result; the screen frees it. */
    void (*result)(struct ui *ui, struct worker_result *r);
    /* How long the loop may sleep before the screen wants drawing again (ms), or -1. */
    int (*poll_ms)(const struct ui *ui);
    void (*leave)(struct ui *ui);
};

extern const struct screen login_screen;
extern const struct screen session_screen;

/* Empties the login form, email included (a new lookup). */
void login_screen_reset(void);

/* Frees the form, wiping what its fields held. */
void login_screen_free(void);

/* Sets the status line (printf-style). */
void ui_message(struct ui *ui, enum ui_meaning m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Notes that the worker is about to use the network (it keeps the connection warm). */
void ui_net_activity(struct ui *ui);

/* Milliseconds since t (CLOCK_MONOTONIC). */
double ui_ms_since(const struct timespec *t);

/* Frees the session (wiping the customer key) and what goes with it. */
void ui_drop_session(struct ui *ui);

#endif
