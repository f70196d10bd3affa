/*
 * One list widget for every list of the UI (the shipments table, F3's accounts): a
 * selection that follows its item by identity, scrolling, paging, a filter, the
 * position ("18/10000"), "more" marks and one full-width selection bar.
 *
 * The screen keeps its items; the list holds only their indices and the identity of
 * the item the agent chose, and reads the items through the screen's callbacks. A
 * zeroed struct list is an empty list; list_free returns it to that.
 */
#ifndef BOXLOGIN_LIST_H
#define BOXLOGIN_LIST_H

#include <curses.h>
#include <stddef.h>
#include <wchar.h>

/* The longest identity of an item (an AWB, an email), terminating NUL included. */
#define LIST_KEY_MAX 256
/* The most characters a filter holds. */
#define LIST_FILTER_MAX 64

/* How a screen's items look to the list; data is what the screen gave list_set_items. */
struct list_items {
    /* Writes the identity of item i (its AWB, its email) into out. */
    void (*key)(const void *data, size_t i, char *out, size_t size);
    /* Draws item i on line y in columns x .. x + width - 1 with attributes a; the whole
     * line is already painted with a (the selection bar has no gaps). */
    void (*draw)(const void *data, size_t i, int y, int x, int width, attr_t a);
    /* Whether item i matches needle, a filter already folded (list_fold): compare its
     * texts with list_matches. */
    int (*match)(const void *data, size_t i, const char *needle);
    /* Whether item i can be selected; NULL: every item. An item that cannot (a heading)
     * is drawn and passed over by the selection, and not counted in the position. */
    int (*selectable)(const void *data, size_t i);
};

struct list {
    const struct list_items *items;
    const void *data;
    size_t n;      /* items */
    size_t *shown; /* the indices of the items the filter lets through, in order */
    size_t n_shown;
    size_t sel, top;         /* the selection and the first line on screen, in shown */
    char want[LIST_KEY_MAX]; /* the identity of the item the agent chose ("": none yet) */
    size_t want_at;          /* where that item was: the nearest row when it is gone */
    int rows;                /* the lines of the last drawing: one page */
    char filter[LIST_FILTER_MAX * 4 + 1]; /* as typed, UTF-8 */
    char needle[LIST_FILTER_MAX * 4 + 1]; /* folded */
    int typing;                           /* printable keys go to the filter */
};

/*
 * Shows the n items of data (again, after they changed) through items' callbacks. The
 * selection stays on the item the agent chose when it is still there and let through;
 * otherwise it goes to the nearest row, and comes back to that item when it returns.
 */
void list_set_items(struct list *l, const struct list_items *items, const void *data,
                    size_t n);

/* Frees what the list holds and empties it: no items, no filter, no selection. */
void list_free(struct list *l);

/* The index of the selected item, or -1 when no item is shown. */
long list_selected(const struct list *l);

/* Selects item i (an index of the items) as if the agent had moved to it; returns 1,
 * or 0 when the filter does not let it through (nothing changes). */
int list_select(struct list *l, size_t i);

/* How many items the filter lets through. */
size_t list_shown(const struct list *l);

/* Replaces the filter with text (UTF-8) and applies it. */
void list_set_filter(struct list *l, const char *text);

/* The filter as typed (UTF-8, "" for none); the list owns it. */
const char *list_filter(const struct list *l);

/*
 * A key, as get_wch gave it: Up, Down, PgUp, PgDn (a page), Home and End move the
 * selection; while l->typing, printable characters and Backspace edit the filter.
 * Returns 1 when the key was used (draw again), 0 when it is the screen's.
 */
int list_key(struct list *l, int ret, wint_t ch);

/*
 * Draws the shown items on lines y .. y + h - 1 of the whole width: each item in the
 * columns 1 .. COLS - 2, the selected one on a full-width bar, and a mark in the last
 * column of the first and last line when there are more items above or below.
 */
void list_draw(struct list *l, int y, int h);

/*
 * Moves the selection to the item shown before (way -1) or after (1) the item whose
 * identity is key, and returns that item's index; -1 (nothing moved) when key is not
 * shown or there is no item on that side.
 */
long list_step(struct list *l, const char *key, int way);

/* Writes the position of the selection ("18/10000", of the items shown) into out, or ""
 * when nothing is shown. */
void list_position(const struct list *l, char *out, size_t size);

/* Writes s folded into out: lower case, without accents (é is e, Ñ is n). */
void list_fold(const char *s, char *out, size_t size);

/* Whether text contains needle (folded, list_fold) ignoring case and accents. */
int list_matches(const char *text, const char *needle);

#endif
