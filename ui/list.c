/*
 * The list widget (list.h): htop's Panel for boxlogin. It keeps positions in the
 * shown items and the identity of the chosen one; the screen keeps the items.
 */
#include "list.h"
#include "../src/text.h"
#include "term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

/* The base letter of each of U+00C0 .. U+017F, '.' where there is none to take. */
static const char latin_base[] =
    "aaaaaa.ceeeeiiiidnooooo.ouuuuy..aaaaaa.ceeeeiiiidnooooo.ouuuuy.y"
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii..jjkk.lllllll"
    "lllnnnnnnn..oooooo..rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/* One code point folded: lower case, the accents of Latin letters taken off. */
static unsigned
fold(unsigned c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    if (c >= 0xc0 && c < 0xc0 + sizeof latin_base - 1 && latin_base[c - 0xc0] != '.')
        return (unsigned char)latin_base[c - 0xc0];
    return (unsigned)towlower((wint_t)c);
}

/* The code point at s (len bytes left) into *c; returns its length, 1 for a byte that
 * is not UTF-8 (read as U+FFFD). */
static size_t
next(const char *s, size_t len, unsigned *c)
{
    size_t n = text_utf8_decode((const unsigned char *)s, len, c);

    if (n == 0) {
        *c = 0xfffd;
        n = 1;
    }
    return n;
}

void
list_fold(const char *s, char *out, size_t size)
{
    size_t len = strlen(s), o = 0;
    char one[4];

    if (size == 0)
        return;
    for (size_t i = 0; i < len;) {
        unsigned c;
        size_t k;

        i += next(s + i, len - i, &c);
        k = text_utf8_encode(fold(c), one);
        if (o + k >= size)
            break;
        memcpy(out + o, one, k);
        o += k;
    }
    out[o] = '\0';
}

int
list_matches(const char *text, const char *needle)
{
    unsigned want[LIST_FILTER_MAX * 4 + 1];
    size_t n = 0, nlen = strlen(needle), len;

    for (size_t i = 0; i < nlen && n < sizeof want / sizeof want[0];)
        i += next(needle + i, nlen - i, &want[n++]);
    if (n == 0)
        return 1;
    if (text == NULL)
        return 0;
    len = strlen(text);
    for (size_t i = 0; i < len;) {
        size_t at = i, k = 0;
        unsigned c;

        while (k < n && at < len) {
            at += next(text + at, len - at, &c);
            if (fold(c) != want[k])
                break;
            k++;
        }
        if (k == n)
            return 1;
        i += next(text + i, len - i, &c);
    }
    return 0;
}

/* Whether item i is the one the agent chose. */
static int
is_wanted(const struct list *l, size_t i)
{
    char key[LIST_KEY_MAX];

    l->items->key(l->data, i, key, sizeof key);
    return strcmp(key, l->want) == 0;
}

/* The first position in shown whose item is at or after item i (n_shown: none). */
static size_t
position_of(const struct list *l, size_t i)
{
    size_t lo = 0, hi = l->n_shown;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (l->shown[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Whether shown row at can be selected. */
static int
can_select(const struct list *l, size_t at)
{
    return l->items->selectable == NULL || l->items->selectable(l->data, l->shown[at]);
}

/* Moves the selection off a row that cannot be selected: on in direction way (1 down,
 * -1 up), else the other way; it stays when no row can be. */
static void
settle(struct list *l, int way)
{
    for (int pass = 0; pass < 2 && l->n_shown > 0; pass++, way = -way) {
        size_t at = l->sel;

        for (;;) {
            if (can_select(l, at)) {
                l->sel = at;
                return;
            }
            if ((way < 0 && at == 0) || (way > 0 && at + 1 >= l->n_shown))
                break;
            at = way < 0 ? at - 1 : at + 1;
        }
    }
}

/* Puts the selection on the chosen item, or on the nearest row when it is not shown. */
static void
reselect(struct list *l)
{
    size_t at;

    l->sel = 0;
    if (l->n_shown == 0)
        return;
    if (l->want[0] != '\0') {
        if (l->want_at < l->n && is_wanted(l, l->want_at)) {
            /* Where it was (the same items): shown, or filtered out. */
            at = position_of(l, l->want_at);
            if (at < l->n_shown && l->shown[at] == l->want_at) {
                l->sel = at;
                return;
            }
        } else {
            for (size_t i = 0; i < l->n_shown; i++)
                if (is_wanted(l, l->shown[i])) {
                    l->want_at = l->shown[i];
                    l->sel = i;
                    return;
                }
        }
    }
    at = position_of(l, l->want_at);
    l->sel = at < l->n_shown ? at : l->n_shown - 1;
    settle(l, 1);
}

/* Lists the items the filter lets through, then selects again. */
static void
refilter(struct list *l)
{
    free(l->shown);
    l->shown = NULL;
    l->n_shown = 0;
    if (l->n > 0 && (l->shown = calloc(l->n, sizeof *l->shown)) != NULL) {
        size_t n = 0;

        for (size_t i = 0; i < l->n; i++)
            if (l->needle[0] == '\0' || l->items->match(l->data, i, l->needle))
                l->shown[n++] = i;
        l->n_shown = n;
    }
    reselect(l);
}

void
list_set_items(struct list *l, const struct list_items *items, const void *data, size_t n)
{
    l->items = items;
    l->data = data;
    l->n = items != NULL ? n : 0;
    refilter(l);
}

void
list_free(struct list *l)
{
    free(l->shown);
    memset(l, 0, sizeof *l);
}

long
list_selected(const struct list *l)
{
    return l->n_shown > 0 ? (long)l->shown[l->sel] : -1;
}

size_t
list_shown(const struct list *l)
{
    return l->n_shown;
}

void
list_set_filter(struct list *l, const char *text)
{
    snprintf(l->filter, sizeof l->filter, "%s", text);
    list_fold(l->filter, l->needle, sizeof l->needle);
    refilter(l);
}

const char *
list_filter(const struct list *l)
{
    return l->filter;
}

/* The agent moved the selection: the item under it is the one to follow. */
static void
choose(struct list *l)
{
    if (l->n_shown == 0)
        return;
    l->want_at = l->shown[l->sel];
    l->items->key(l->data, l->want_at, l->want, sizeof l->want);
}

int
list_select(struct list *l, size_t i)
{
    size_t at = position_of(l, i);

    if (at >= l->n_shown || l->shown[at] != i)
        return 0;
    l->sel = at;
    choose(l);
    return 1;
}

/* Adds c to the filter, or takes its last character off when c is 0. */
static void
edit_filter(struct list *l, unsigned c)
{
    size_t n = strlen(l->filter);

    if (c == 0) {
        while (n > 0 && ((unsigned char)l->filter[n - 1] & 0xc0) == 0x80)
            n--; /* the continuation bytes of the last character */
        if (n > 0)
            n--;
        l->filter[n] = '\0';
    } else if (n + 4 < sizeof l->filter) {
        l->filter[n + text_utf8_encode(c, l->filter + n)] = '\0';
    }
    list_fold(l->filter, l->needle, sizeof l->needle);
    refilter(l);
}

int
list_key(struct list *l, int ret, wint_t ch)
{
    size_t page = l->rows > 0 ? (size_t)l->rows : 1;
    size_t last = l->n_shown > 0 ? l->n_shown - 1 : 0;
    size_t top_most = l->n_shown > page ? l->n_shown - page : 0;

    if (ret == KEY_CODE_YES) {
        int way = 1; /* which way the selection moved: it passes over headings so */

        switch (ch) {
        case KEY_UP:
            l->sel -= l->sel > 0;
            way = -1;
            break;
        case KEY_DOWN:
            l->sel += l->sel < last;
            break;
        case KEY_PPAGE: /* the view moves a page with the selection, as in htop */
            l->sel = l->sel > page ? l->sel - page : 0;
            l->top = l->top > page ? l->top - page : 0;
            way = -1;
            break;
        case KEY_NPAGE:
            l->sel = l->sel + page < last ? l->sel + page : last;
            l->top = l->top + page < top_most ? l->top + page : top_most;
            break;
        case KEY_HOME:
            l->sel = 0;
            break;
        case KEY_END:
            l->sel = last;
            way = -1;
            break;
        case KEY_BACKSPACE:
            if (!l->typing)
                return 0;
            edit_filter(l, 0);
            return 1;
        default:
            return 0;
        }
        settle(l, way);
        choose(l);
        return 1;
    }
    if (!l->typing || ret != OK)
        return 0;
    if (ch == 0x7f || ch == 0x08)
        edit_filter(l, 0);
    else if (ch >= 0x20 && !(ch >= 0x7f && ch < 0xa0) && ch <= 0x10ffff)
        edit_filter(l, (unsigned)ch);
    else
        return 0;
    return 1;
}

void
list_draw(struct list *l, int y, int h)
{
    size_t top_most;

    l->rows = h > 0 ? h : 0;
    if (h <= 0 || l->n_shown == 0)
        return;
    /* As many rows on screen as there are, and the selection among them. */
    top_most = l->n_shown > (size_t)h ? l->n_shown - (size_t)h : 0;
    if (l->top > top_most)
        l->top = top_most;
    if (l->sel < l->top)
        l->top = l->sel;
    else if (l->sel >= l->top + (size_t)h)
        l->top = l->sel - (size_t)h + 1;
    for (int i = 0; i < h && l->top + (size_t)i < l->n_shown; i++) {
        size_t at = l->top + (size_t)i;
        attr_t a = at == l->sel ? A_REVERSE : A_NORMAL;

        mvhline(y + i, 0, ' ' | a, COLS);
        l->items->draw(l->data, l->shown[at], y + i, 1, COLS - 2, a);
        /* More rows above, more below: a mark in the margin, on the bar when selected. */
        if (i == 0 && l->top > 0)
            term_text(stdscr, y + i, COLS - 1, 1, "↑", a);
        if (i == h - 1 && at + 1 < l->n_shown)
            term_text(stdscr, y + i, COLS - 1, 1, "↓", a);
    }
}

void
list_position(const struct list *l, char *out, size_t size)
{
    size_t at = l->sel + 1, n = l->n_shown;

    if (l->items != NULL && l->items->selectable != NULL) {
        at = n = 0;
        for (size_t i = 0; i < l->n_shown; i++)
            if (can_select(l, i)) {
                n++;
                at += i <= l->sel;
            }
    }
    if (n == 0)
        snprintf(out, size, "%s", "");
    else
        snprintf(out, size, "%zu/%zu", at, n);
}

long
list_step(struct list *l, const char *key, int way)
{
    for (size_t i = 0; i < l->n_shown; i++) {
        char k[LIST_KEY_MAX];

        l->items->key(l->data, l->shown[i], k, sizeof k);
        if (strcmp(k, key) != 0)
            continue;
        if ((way < 0 && i == 0) || (way > 0 && i + 1 >= l->n_shown))
            return -1;
        l->sel = way < 0 ? i - 1 : i + 1;
        choose(l);
        return (long)l->shown[l->sel];
    }
    return -1;
}
