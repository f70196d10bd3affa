/* A line of text being edited (edit.h). */
#include "edit.h"
#include "../src/text.h"
#include "term.h"

#include <stdlib.h>
#include <string.h>

void
edit_set(struct edit *e, const char *s)
{
    size_t len = s != NULL ? strlen(s) : 0;

    e->len = 0;
    for (size_t i = 0; i < len && e->len < EDIT_MAX;) {
        unsigned c;
        size_t n = text_utf8_decode((const unsigned char *)s + i, len - i, &c);

        if (n == 0) {
            c = 0xfffd;
            n = 1;
        }
        i += n;
        if (c >= 0x20 && c != 0x7f)
            e->text[e->len++] = c;
    }
    e->at = e->len;
}

/* The UTF-8 of the characters from .. to - 1. */
static char *
utf8_of(const struct edit *e, size_t from, size_t to)
{
    char *out = malloc((to - from) * 4 + 1);
    size_t o = 0;

    if (out == NULL)
        return NULL;
    for (size_t i = from; i < to; i++)
        o += text_utf8_encode(e->text[i], out + o);
    out[o] = '\0';
    return out;
}

char *
edit_text(const struct edit *e)
{
    return utf8_of(e, 0, e->len);
}

int
edit_key(struct edit *e, int ret, wint_t ch)
{
    if (ret == KEY_CODE_YES) {
        switch (ch) {
        case KEY_LEFT:
            e->at -= e->at > 0;
            return 1;
        case KEY_RIGHT:
            e->at += e->at < e->len;
            return 1;
        case KEY_HOME:
            e->at = 0;
            return 1;
        case KEY_END:
            e->at = e->len;
            return 1;
        case KEY_BACKSPACE:
            goto back;
        case KEY_DC:
            if (e->at < e->len) {
                memmove(e->text + e->at, e->text + e->at + 1,
                        (e->len - e->at - 1) * sizeof e->text[0]);
                e->len--;
            }
            return 1;
        default:
            return 0;
        }
    }
    switch (ch) {
    case 0x01: /* ^A */
        e->at = 0;
        return 1;
    case 0x05: /* ^E */
        e->at = e->len;
        return 1;
    case 0x15: /* ^U */
        e->len = e->at = 0;
        return 1;
    case 0x7f:
    case 0x08:
        goto back;
    default:
        break;
    }
    if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0) || e->len >= EDIT_MAX)
        return 0;
    memmove(e->text + e->at + 1, e->text + e->at, (e->len - e->at) * sizeof e->text[0]);
    e->text[e->at++] = (unsigned)ch;
    e->len++;
    return 1;
back:
    if (e->at > 0) {
        memmove(e->text + e->at - 1, e->text + e->at,
                (e->len - e->at) * sizeof e->text[0]);
        e->at--;
        e->len--;
    }
    return 1;
}

void
edit_draw(const struct edit *e, int y, int x, int width, attr_t a, int focus)
{
    size_t from = 0;
    char *before, *shown;
    int cx = x;

    if (width <= 0)
        return;
    mvhline(y, x, ' ' | a, width);
    /* The start moves right until the cursor fits in the field. */
    while ((before = utf8_of(e, from, e->at)) != NULL && term_width(before) > width - 1 &&
           from < e->at) {
        free(before);
        from++;
    }
    if (before != NULL)
        cx = x + term_width(before);
    free(before);
    if ((shown = utf8_of(e, from, e->len)) != NULL)
        term_text(stdscr, y, x, width, shown, a);
    free(shown);
    if (focus)
        move(y, cx);
}

int
edit_differs(const char *before, const char *typed)
{
    char *now = text_trimmed(typed), *was = text_trimmed(before != NULL ? before : "");
    int c = now == NULL || was == NULL || strcmp(now, was) != 0;

    free(now);
    free(was);
    return c;
}
