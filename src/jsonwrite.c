#include "jsonwrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
jsonw_init(struct jsonw *w, size_t hint)
{
    memset(w, 0, sizeof *w);
    w->cap = hint > 64 ? hint : 64;
    if ((w->buf = malloc(w->cap)) == NULL) {
        w->failed = 1;
        w->cap = 0;
    }
}

#define STREAM_BUFFER ((size_t)64 << 10)

void
jsonw_init_stream(struct jsonw *w, FILE *out)
{
    jsonw_init(w, STREAM_BUFFER);
    w->out = out;
}

static void
flush(struct jsonw *w)
{
    if (w->failed || w->len == 0)
        return;
    if (fwrite(w->buf, 1, w->len, w->out) != w->len)
        w->failed = 1;
    w->len = 0;
}

int
jsonw_end_stream(struct jsonw *w)
{
    int failed;

    flush(w);
    failed = w->failed;
    free(w->buf);
    memset(w, 0, sizeof *w);
    return failed ? -1 : 0;
}

int
jsonw_flush(struct jsonw *w)
{
    flush(w);
    if (!w->failed && fflush(w->out) != 0)
        w->failed = 1;
    return w->failed ? -1 : 0;
}

/* Makes room for n more bytes (and a NUL); 0 or -1. */
static int
reserve(struct jsonw *w, size_t n)
{
    size_t cap = w->cap;
    char *b;

    if (w->failed)
        return -1;
    if (w->len + n + 1 <= w->cap)
        return 0;
    if (w->out != NULL) {
        flush(w);
        if (w->failed || n + 1 <= w->cap)
            return w->failed ? -1 : 0;
    }
    while (cap < w->len + n + 1)
        cap = cap * 2;
    if ((b = realloc(w->buf, cap)) == NULL) {
        w->failed = 1;
        return -1;
    }
    w->buf = b;
    w->cap = cap;
    return 0;
}

static void
put(struct jsonw *w, const char *s, size_t n)
{
    if (reserve(w, n) != 0)
        return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void
separate(struct jsonw *w)
{
    if (w->comma)
        put(w, ",", 1);
    w->comma = 0;
}

/* A string with cJSON's escapes. */
static void
put_escaped(struct jsonw *w, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    put(w, "\"", 1);
    while (*p != '\0') {
        const unsigned char *run = p;
        char esc[8];

        while (*p >= 32 && *p != '"' && *p != '\\')
            p++;
        put(w, (const char *)run, (size_t)(p - run));
        if (*p == '\0')
            break;
        switch (*p) {
        case '"':
            put(w, "\\\"", 2);
            break;
        case '\\':
            put(w, "\\\\", 2);
            break;
        case '\b':
            put(w, "\\b", 2);
            break;
        case '\f':
            put(w, "\\f", 2);
            break;
        case '\n':
            put(w, "\\n", 2);
            break;
        case '\r':
            put(w, "\\r", 2);
            break;
        case '\t':
            put(w, "\\t", 2);
            break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            put(w, esc, 6);
            break;
        }
        p++;
    }
    put(w, "\"", 1);
}

void
jsonw_open(struct jsonw *w, char bracket)
{
    separate(w);
    put(w, &bracket, 1);
}

void
jsonw_close(struct jsonw *w, char bracket)
{
    put(w, &bracket, 1);
    w->comma = 1;
}

void
jsonw_key(struct jsonw *w, const char *key)
{
    separate(w);
    put_escaped(w, key);
    put(w, ":", 1);
}

void
jsonw_string(struct jsonw *w, const char *s)
{
    separate(w);
    if (s != NULL)
        put_escaped(w, s);
    else
        put(w, "null", 4);
    w->comma = 1;
}

void
jsonw_raw(struct jsonw *w, const char *text)
{
    separate(w);
    put(w, text, strlen(text));
    w->comma = 1;
}

void
jsonw_member_string(struct jsonw *w, const char *key, const char *s)
{
    jsonw_key(w, key);
    jsonw_string(w, s);
}

void
jsonw_member_raw(struct jsonw *w, const char *key, const char *text)
{
    jsonw_key(w, key);
    jsonw_raw(w, text);
}

char *
jsonw_u64(char buf[JSONW_U64_SIZE], unsigned long long n)
{
    char digits[JSONW_U64_SIZE];
    size_t k = 0, i = 0;

    do {
        digits[k++] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0);
    while (k > 0)
        buf[i++] = digits[--k];
    buf[i] = '\0';
    return buf;
}

void
jsonw_newline(struct jsonw *w)
{
    put(w, "\n", 1);
    w->comma = 0;
}

char *
jsonw_finish(struct jsonw *w)
{
    char *text = w->buf;

    if (w->failed) {
        free(w->buf);
        text = NULL;
    } else {
        text[w->len] = '\0';
    }
    memset(w, 0, sizeof *w);
    return text;
}
