/*
 * What a screen is, and the small interface the loop (ui.c) offers screens.
 *
 * The loop owns every screen's state, which screen is current, the session
 * shown and the status line. A screen is a table of functions that receive
 * their own state; they paint from it, change it on keys and worker results,
 * and say what the loop should do next in the reaction they return. A screen
 * never switches screens and never names another one: it says where the agent
 * wants to go (a session to show, a new lookup), and the loop decides which
 * screen that is.
 */
#ifndef BOXLOGIN_SCREEN_H
#define BOXLOGIN_SCREEN_H

#include "../src/config.h"
#include "../src/session.h"
#include "../src/desk.h"
#include "../src/worker.h"
#include "term.h"

#include <stdint.h>
#include <wchar.h>

/* What must be redone after a key or a result (bits of reaction.redo). */
#define REDO_DRAW 1u /* the screen changed: paint it again */
#define REDO_QUIT 2u /* leave the UI */
#define REDO_PASS                                                                        \
    4u /* the key is not this screen's: the loop may use it (tabs, account keys) */

/* Where the agent wants to go next; the loop maps each to a screen. */
enum ui_go {
    GO_STAY,
    GO_SESSION,    /* show the customer the desk opened */
    GO_NEW_LOOKUP, /* wipe the session and everything typed: an empty form */
    GO_OPEN,       /* open the item reaction.awb (a shipment) */
    GO_BACK,       /* back to the screen this one was opened from */
    GO_ACCOUNTS,   /* the stored accounts and recent emails, to pick one */
    GO_FORM,       /* the form, with reaction.email (if any) filled in and the password
                      focused */
    GO_STEP,       /* open the item before (reaction.way -1) or after (1) the one open, in
                      the order of the screen it was opened from */
    GO_CHANGE,     /* Change (e), from the Summary or the Profile only */
};

/* What a key or result handler asks of the loop. */
struct reaction {
    unsigned redo;     /* REDO_* bits; 0: nothing to redraw */
    enum ui_go go;     /* GO_STAY: remain on this screen */
    uint64_t awb;      /* with GO_OPEN */
    const char *email; /* with GO_FORM: borrowed, copied by the loop */
    int way;           /* with GO_STEP: -1 the item before, 1 the one after */
};

#define REACT_NONE   ((struct reaction){0})
#define REACT_REDRAW ((struct reaction){.redo = REDO_DRAW})
#define REACT_QUIT   ((struct reaction){.redo = REDO_QUIT})
#define REACT_PASS   ((struct reaction){.redo = REDO_PASS})

/*
 * What screens see of the UI. The loop owns it; screens read it, and change
 * only the status line (ui_say) and job numbers (ui_job).
 */
struct ui_ctx {
    const struct bl_config *cfg;
    const char *host;          /* the API host, for the header and the spinner */
    const char *prefill_email; /* --email, or NULL */
    struct worker *worker;     /* where screens send their own jobs */
    struct desk *desk;         /* the account: screens read it and ask it for things */

    const struct bl_session *session; /* the customer shown (the desk's), or NULL */
    uint64_t opened;                  /* the item the agent opened last (GO_OPEN) */
    char picked[256]; /* an email to fill into the form (GO_FORM), or "" */
    int lookup_mode;  /* the form looks customers up by email (F4) */

    int asking; /* a screen asked a question on the status line: the next key,
                   whatever it is, goes to that screen as the answer */

    char message[512]; /* the status line; "" for none */
    enum ui_meaning message_meaning;
    int message_fresh; /* said while handling the key or result at hand: it goes with the
                          screen change that key or result makes; any other goes */
};

/* Sets the status line (printf-style; fmt is translated by the caller, with _()). */
void ui_say(struct ui_ctx *ctx, enum ui_meaning m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sends a shipment's AWB to the clipboard and says so on the status line. */
void ui_copy_awb(struct ui_ctx *ctx, uint64_t awb);

/* Returns a new job number for a job the current screen queues itself: its results go
 * to that screen's result function, and to no other. */
unsigned long ui_job(struct ui_ctx *ctx);

/* How a tab's content stands, for its label. */
enum tab_state {
    TAB_READY,
    TAB_LOADING, /* a spinner in the label */
    TAB_FAILED,  /* a mark in the label; the tab says why */
};

/*
 * One screen. Every function receives the screen's own state, made by create
 * and freed by destroy; any function may be left NULL except create, destroy
 * and draw.
 */
struct screen {
    /* The label of its tab in the account view, marked with N_() (the loop translates
     * it), or NULL when it is not a tab. */
    const char *tab;
    /* How its content stands (tabs only). */
    enum tab_state (*tab_state)(const void *state, const struct ui_ctx *ctx);
    /* Makes the screen's state; NULL when out of memory. */
    void *(*create)(struct ui_ctx *ctx);
    /* Wipes and frees the state, while the terminal is still in curses mode. */
    void (*destroy)(void *state);
    /* Forgets everything the agent typed or was shown (a new lookup). */
    void (*reset)(void *state, struct ui_ctx *ctx);
    /* The screen becomes current. */
    void (*enter)(void *state, struct ui_ctx *ctx);
    /* The screen stops being current. */
    void (*leave)(void *state, struct ui_ctx *ctx);
    /* The terminal became too small to show the screen: let go of windows that no
     * longer fit. draw is called again once it is large enough. */
    void (*hide)(void *state, struct ui_ctx *ctx);
    /* Paints the screen below the header from state; may be called at any time. */
    void (*draw)(void *state, struct ui_ctx *ctx);
    /* A key, as get_wch gave it. */
    struct reaction (*key)(void *state, struct ui_ctx *ctx, int ret, wint_t ch);
    /* A result of a job this screen queued (ui_job); take what you keep (set its
     * pointer in r to NULL), the loop frees the rest. */
    struct reaction (*result)(void *state, struct ui_ctx *ctx, struct job_result *r);
    /* The desk changed (news says what): offered to every screen. */
    struct reaction (*news)(void *state, struct ui_ctx *ctx,
                            const struct desk_news *news);
    /* How long the loop may sleep before this screen wants drawing again (ms), or -1.
     */
    int (*poll_ms)(const void *state);
    /* The item before (way -1) or after (1) item in this screen's order, as it is shown
     * (sorted, filtered), which becomes its selection; 0 when there is none (GO_STEP). */
    uint64_t (*step)(void *state, uint64_t item, int way);
    /* Whether text is being typed: ? and q are characters then, F1 opens the help. NULL:
     * never. */
    int (*typing)(const void *state);
};

#endif
