#include "jsonscan.h"

#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void
jsonscan_init(struct jsonscan *s, const char *text, size_t len)
{
    memset(s, 0, sizeof *s);
    s->p = (const unsigned char *)text;
    s->end = s->p + len;
    if (len == 0)
        s->status = JSONSCAN_SYNTAX;
    else if (len > 4 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        s->p += 3; /* cJSON looks for it only in a text of five bytes or more */
}

void
jsonscan_reset(struct jsonscan *s, const char *text, size_t len)
{
    char *key = s->key, *value = s->text;
    size_t key_size = s->key_size, text_size = s->text_size;

    jsonscan_init(s, text, len);
    s->key = key;
    s->text = value;
    s->key_size = key_size;
    s->text_size = text_size;
}

void
jsonscan_free(struct jsonscan *s)
{
    if (s->key != NULL)
        explicit_bzero(s->key, s->key_size);
    if (s->text != NULL)
        explicit_bzero(s->text, s->text_size);
    free(s->key);
    free(s->text);
    s->key = s->text = NULL;
    s->key_size = s->text_size = 0;
}

static int
fail(struct jsonscan *s, enum jsonscan_status why)
{
    if (s->status == JSONSCAN_OK)
        s->status = why;
    return -1;
}

/* cJSON's white space: every byte up to 32, NUL included. */
static void
skip_space(struct jsonscan *s)
{
    while (s->p < s->end && *s->p <= 32)
        s->p++;
}

/* Fails unless byte c comes next (after white space), and reads it. */
static int
expect(struct jsonscan *s, unsigned char c)
{
    skip_space(s);
    if (s->p >= s->end || *s->p != c)
        return fail(s, JSONSCAN_SYNTAX);
    s->p++;
    return 0;
}

/* --- numbers --- */

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void
make_c_locale(void)
{
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

locale_t
jsonscan_c_numeric(void)
{
    pthread_once(&c_locale_once, make_c_locale);
    return c_locale;
}

/* Exact powers of ten: a double holds each of them exactly up to 10^22. */
static const double pow10_exact[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/*
 * cJSON takes the run of [0-9+-.eE] that starts here and gives it to strtod,
 * which reads the longest prefix that is a decimal number: [-+]? digits with at
 * most one '.', at least one digit, then e[-+]?digits when the exponent has a
 * digit. A number of up to 15 digits without an exponent is m / 10^k of two
 * exact doubles, which the division rounds correctly, as strtod does; the rest
 * go to strtod in the C locale.
 */
size_t
jsonscan_number(const char *text, size_t avail, double *out)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t i = 0, digits = 0, frac = 0, len;
    uint64_t m = 0;
    int negative = 0, point = 0, simple = 1;
    char small[128], *copy;

    if (i < avail && (t[i] == '-' || t[i] == '+'))
        negative = t[i++] == '-';
    for (; i < avail; i++) {
        if (t[i] >= '0' && t[i] <= '9') {
            digits++;
            frac += point;
            m = m * 10 + (uint64_t)(t[i] - '0');
            simple &= digits <= 15;
        } else if (t[i] == '.' && !point) {
            point = 1;
        } else {
            break;
        }
    }
    if (digits == 0)
        return 0;
    len = i;
    if (i < avail && (t[i] == 'e' || t[i] == 'E')) {
        size_t j = i + 1;

        if (j < avail && (t[j] == '-' || t[j] == '+'))
            j++;
        if (j < avail && t[j] >= '0' && t[j] <= '9') {
            while (j < avail && t[j] >= '0' && t[j] <= '9')
                j++;
            len = j;
            simple = 0;
        }
    }
    if (simple) {
        double v = (double)m / pow10_exact[frac];

        *out = negative ? -v : v;
        return len;
    }
    /* Without the C locale (out of memory), strtod would read with the user's. */
    if (jsonscan_c_numeric() == (locale_t)0)
        return 0;
    copy = len < sizeof small ? small : malloc(len + 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, text, len);
    copy[len] = '\0';
    *out = strtod_l(copy, NULL, c_locale);
    if (copy != small)
        free(copy);
    return len;
}

/* --- strings --- */

static unsigned
hex4(const unsigned char *h)
{
    unsigned v = 0;

    for (int i = 0; i < 4; i++) {
        unsigned d;

        if (h[i] >= '0' && h[i] <= '9')
            d = h[i] - '0';
        else if (h[i] >= 'a' && h[i] <= 'f')
            d = h[i] - 'a' + 10;
        else if (h[i] >= 'A' && h[i] <= 'F')
            d = h[i] - 'A' + 10;
        else
            return 0; /* cJSON's reading of a bad digit */
        v = v << 4 | d;
    }
    return v;
}

static char *
put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | cp >> 6);
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | cp >> 12);
        *o++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | cp >> 18);
        *o++ = (char)(0x80 | (cp >> 12 & 0x3F));
        *o++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/*
 * Reads the string that comes next into *buf (grown as needed), as cJSON does:
 * first the closing quote, stepping over the byte after each backslash; then the
 * escapes, a \u taking the next four bytes whatever they are. Returns 0 or -1.
 */
static int
read_string(struct jsonscan *s, char **buf, size_t *size)
{
    const unsigned char *in, *close;
    char *o;

    skip_space(s);
    if (s->p >= s->end || *s->p != '"')
        return fail(s, JSONSCAN_SYNTAX);
    in = close = s->p + 1;
    while (close < s->end && *close != '"') {
        if (*close == '\\' && ++close >= s->end)
            return fail(s, JSONSCAN_SYNTAX);
        close++;
    }
    if (close >= s->end)
        return fail(s, JSONSCAN_SYNTAX);
    if ((size_t)(close - in) + 1 > *size) {
        size_t want = (size_t)(close - in) + 1 < 256 ? 256 : (size_t)(close - in) + 1;
        char *n = malloc(want);

        if (n == NULL)
            return fail(s, JSONSCAN_NOMEM);
        if (*buf != NULL)
            explicit_bzero(*buf, *size);
        free(*buf);
        *buf = n;
        *size = want;
    }
    o = *buf;
    while (in < close) {
        const unsigned char *run = in;

        while (in < close && *in != '\\')
            in++;
        memcpy(o, run, (size_t)(in - run));
        o += in - run;
        if (in >= close)
            break;
        switch (in[1]) {
        case 'b':
            *o++ = '\b';
            break;
        case 'f':
            *o++ = '\f';
            break;
        case 'n':
            *o++ = '\n';
            break;
        case 'r':
            *o++ = '\r';
            break;
        case 't':
            *o++ = '\t';
            break;
        case '"':
        case '\\':
        case '/':
            *o++ = (char)in[1];
            break;
        case 'u': {
            unsigned cp;

            if (close - in < 6)
                return fail(s, JSONSCAN_SYNTAX);
            cp = hex4(in + 2);
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return fail(s, JSONSCAN_SYNTAX);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;

                if (close - in < 12 || in[6] != '\\' || in[7] != 'u')
                    return fail(s, JSONSCAN_SYNTAX);
                lo = hex4(in + 8);
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return fail(s, JSONSCAN_SYNTAX);
                cp = 0x10000 + ((cp & 0x3FF) << 10 | (lo & 0x3FF));
                in += 6;
            }
            o = put_utf8(o, cp);
            in += 4;
            break;
        }
        default:
            return fail(s, JSONSCAN_SYNTAX);
        }
        in += 2;
    }
    *o = '\0';
    s->p = close + 1;
    return 0;
}

/* --- values --- */

enum json_type
jsonscan_peek(struct jsonscan *s)
{
    size_t left;

    skip_space(s);
    if (s->status != JSONSCAN_OK || s->p >= s->end)
        return JSON_MISSING;
    left = (size_t)(s->end - s->p);
    switch (*s->p) {
    case 'n':
        return left >= 4 && memcmp(s->p, "null", 4) == 0 ? JSON_NULL : JSON_MISSING;
    case 'f':
        return left >= 5 && memcmp(s->p, "false", 5) == 0 ? JSON_FALSE : JSON_MISSING;
    case 't':
        return left >= 4 && memcmp(s->p, "true", 4) == 0 ? JSON_TRUE : JSON_MISSING;
    case '"':
        return JSON_STRING;
    case '[':
        return JSON_ARRAY;
    case '{':
        return JSON_OBJECT;
    default:
        return *s->p == '-' || (*s->p >= '0' && *s->p <= '9') ? JSON_NUMBER
                                                              : JSON_MISSING;
    }
}

int
jsonscan_enter(struct jsonscan *s, enum json_type type)
{
    if (jsonscan_peek(s) != type || (type != JSON_ARRAY && type != JSON_OBJECT))
        return fail(s, JSONSCAN_SYNTAX);
    if (s->depth >= JSONSCAN_NESTING_LIMIT)
        return fail(s, JSONSCAN_SYNTAX);
    s->depth++;
    s->p++;
    s->first = 1;
    return 0;
}

/* The end of a container or the separator before its next item; 1: an item
 * follows, 0: the container ended. */
static int
next_item(struct jsonscan *s, unsigned char close)
{
    if (s->status != JSONSCAN_OK)
        return -1;
    skip_space(s);
    if (s->p >= s->end)
        return fail(s, JSONSCAN_SYNTAX);
    if (*s->p == close) {
        s->p++;
        s->depth--;
        s->first = 0;
        return 0;
    }
    if (!s->first && expect(s, ',') != 0)
        return -1;
    s->first = 0;
    return 1;
}

int
jsonscan_member(struct jsonscan *s, const char **key)
{
    int rc = next_item(s, '}');

    if (rc != 1)
        return rc;
    if (read_string(s, &s->key, &s->key_size) != 0 || expect(s, ':') != 0)
        return -1;
    *key = s->key;
    return 1;
}

int
jsonscan_element(struct jsonscan *s)
{
    return next_item(s, ']');
}

/* Reads a value that is not an array or an object. */
static int
read_scalar(struct jsonscan *s, enum json_type t, struct json_value *v)
{
    size_t n;

    v->type = t;
    v->number = 0.0;
    v->string = NULL;
    switch (t) {
    case JSON_NULL:
    case JSON_TRUE:
        s->p += 4;
        return 0;
    case JSON_FALSE:
        s->p += 5;
        return 0;
    case JSON_NUMBER:
        n = jsonscan_number((const char *)s->p, (size_t)(s->end - s->p), &v->number);
        if (n == 0)
            return fail(s, JSONSCAN_SYNTAX);
        s->p += n;
        return 0;
    case JSON_STRING:
        if (read_string(s, &s->text, &s->text_size) != 0)
            return -1;
        v->string = s->text;
        return 0;
    default:
        return fail(s, JSONSCAN_SYNTAX);
    }
}

/*
 * Reads over the next value without recursion: a bit per container entered here
 * says whether it is an array, and the scanner's depth limit bounds how many.
 */
int
jsonscan_skip(struct jsonscan *s)
{
    unsigned char is_array[JSONSCAN_NESTING_LIMIT / 8 + 1] = {0};
    size_t level = 0;
    struct json_value v;
    const char *key;

    for (;;) {
        enum json_type t = jsonscan_peek(s);

        if (t == JSON_ARRAY || t == JSON_OBJECT) {
            if (jsonscan_enter(s, t) != 0)
                return -1;
            if (t == JSON_ARRAY)
                is_array[level / 8] |= (unsigned char)(1u << level % 8);
            else
                is_array[level / 8] &= (unsigned char)~(1u << level % 8);
            level++;
        } else if (read_scalar(s, t, &v) != 0) {
            return -1;
        }
        /* To the next value, through the ends of the containers that end here. */
        for (;;) {
            int rc;

            if (level == 0)
                return 0;
            rc = is_array[(level - 1) / 8] >> (level - 1) % 8 & 1
                     ? jsonscan_element(s)
                     : jsonscan_member(s, &key);
            if (rc < 0)
                return -1;
            if (rc == 1)
                break;
            level--;
        }
    }
}

int
jsonscan_value(struct jsonscan *s, struct json_value *v)
{
    enum json_type t = jsonscan_peek(s);

    if (t != JSON_ARRAY && t != JSON_OBJECT)
        return read_scalar(s, t, v);
    v->type = t;
    v->number = 0.0;
    v->string = NULL;
    return jsonscan_skip(s);
}

int
jsonscan_finish(struct jsonscan *s)
{
    if (s->status != JSONSCAN_OK)
        return -1;
    while (s->p < s->end &&
           (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
        s->p++;
    return s->p == s->end ? 0 : fail(s, JSONSCAN_SYNTAX);
}

size_t
jsonscan_left(const struct jsonscan *s)
{
    return (size_t)(s->end - s->p);
}
