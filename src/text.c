#include "text.h"

#include <stdlib.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

int
text_utf8_valid(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = text_utf8_decode((const unsigned char *)s + i, len - i, &cp);

        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

size_t
text_utf8_encode(unsigned c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xc0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xe0 | c >> 12);
        out[1] = (char)(0x80 | (c >> 6 & 0x3f));
        out[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | c >> 18);
    out[1] = (char)(0x80 | (c >> 12 & 0x3f));
    out[2] = (char)(0x80 | (c >> 6 & 0x3f));
    out[3] = (char)(0x80 | (c & 0x3f));
    return 4;
}

size_t
text_utf8_decode(const unsigned char *s, size_t len, unsigned *cp)
{
    unsigned c = s[0], min;
    size_t n;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2, c &= 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3, c &= 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4, c &= 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

/*
 * Bidirectional embeddings, overrides and isolates reorder what follows them, and
 * the invisible marks (LRM, RLM, ALM) still steer neutral characters: none is a
 * visible letter, so dropping them changes nothing a reader should see.
 */
static int
is_bidi_control(unsigned cp)
{
    return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

/* Where an escape sequence is in the input, and what ends it. */
enum esc_state {
    TEXT,
    ESCAPE, /* after ESC */
    CSI,    /* parameters until a final byte 0x40..0x7e */
    STRING, /* OSC, DCS, SOS, PM, APC: until BEL or ST */
    STRING_ESC,
};

char *
text_sanitize(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    char *out;
    size_t o = 0, i = 0;
    enum esc_state st = TEXT;

    /* Printable ASCII, what most of what servers send is, is inert as it is. */
    while (i < len && p[i] >= 0x20 && p[i] < 0x7f)
        i++;
    if (i == len || p[i] == '\0') {
        if ((out = malloc(i + 1)) != NULL) {
            memcpy(out, s, i);
            out[i] = '\0';
        }
        return out;
    }
    i = 0;
    /* U+FFFD takes 3 bytes where one invalid byte stood. */
    if ((out = malloc(len * 3 + 1)) == NULL)
        return NULL;
    while (i < len && p[i] != '\0') {
        unsigned cp;
        size_t n = text_utf8_decode(p + i, len - i, &cp);

        if (n == 0) {
            i++;
            if (st == TEXT) {
                memcpy(out + o, "\xef\xbf\xbd", 3);
                o += 3;
            }
            continue;
        }
        switch (st) {
        case ESCAPE:
            if (cp == '[')
                st = CSI;
            else if (cp == ']' || cp == 'P' || cp == 'X' || cp == '^' || cp == '_')
                st = STRING;
            else
                st = TEXT; /* a two-character sequence such as ESC c */
            i += n;
            continue;
        case CSI:
            if (cp >= 0x40 && cp <= 0x7e)
                st = TEXT;
            else if (cp == 0x1b)
                st = ESCAPE;
            i += n;
            continue;
        case STRING:
        case STRING_ESC:
            if (cp == 0x07 || cp == 0x9c || (st == STRING_ESC && cp == '\\'))
                st = TEXT;
            else
                st = cp == 0x1b ? STRING_ESC : STRING;
            i += n;
            continue;
        case TEXT:
            break;
        }
        i += n;
        if (cp == 0x1b) {
            st = ESCAPE;
        } else if (cp == 0x9b) {
            st = CSI;
        } else if (cp == 0x9d || cp == 0x90 || cp == 0x98 || cp == 0x9e || cp == 0x9f) {
            st = STRING;
        } else if (cp == '\t' || cp == '\n' || cp == '\r') {
            if (o > 0 && out[o - 1] != ' ')
                out[o++] = ' ';
        } else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || is_bidi_control(cp)) {
            /* dropped */
        } else {
            memcpy(out + o, p + i - n, n);
            o += n;
        }
    }
    out[o] = '\0';
    return out;
}

/* ASCII only: the locale must not change what an email is. */
static int
is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

char *
text_trimmed(const char *email)
{
    const char *b = email, *e = email + strlen(email);

    while (b < e && is_space((unsigned char)*b))
        b++;
    while (e > b && is_space((unsigned char)e[-1]))
        e--;
    return strndup(b, (size_t)(e - b));
}

char *
text_email_key(const char *email)
{
    char *k = text_trimmed(email);

    for (char *c = k; c != NULL && *c != '\0'; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    return k;
}

/* ASCII and Unicode spaces, the line and paragraph separators included. */
static int
is_white(unsigned cp)
{
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85 || cp == 0xa0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200b) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000 || cp == 0xfeff;
}

/* The base letters of U+00C0..U+017F; '*' stands for two letters (ascii_pair). */
static const char latin_letters[] = "AAAAAA*CEEEEIIII" /* U+00C0 */
                                    "DNOOOOOxOUUUUY**" /* U+00D0 */
                                    "aaaaaa*ceeeeiiii" /* U+00E0 */
                                    "dnooooo/ouuuuy*y" /* U+00F0 */
                                    "AaAaAaCcCcCcCcDd" /* U+0100 */
                                    "DdEeEeEeEeEeGgGg" /* U+0110 */
                                    "GgGgHhHhIiIiIiIi" /* U+0120 */
                                    "Ii**JjKkkLlLlLlL" /* U+0130 */
                                    "lLlNnNnNnnNnOoOo" /* U+0140 */
                                    "Oo**RrRrRrSsSsSs" /* U+0150 */
                                    "SsTtTtTtUuUuUuUu" /* U+0160 */
                                    "UuUuWwYyYZzZzZzs" /* U+0170 */;

static const char *
ascii_pair(unsigned cp)
{
    switch (cp) {
    case 0xc6:
        return "AE";
    case 0xde:
        return "TH";
    case 0xdf:
        return "ss";
    case 0xe6:
        return "ae";
    case 0xfe:
        return "th";
    case 0x132:
        return "IJ";
    case 0x133:
        return "ij";
    case 0x152:
        return "OE";
    default: /* U+0153 */
        return "oe";
    }
}

/* Punctuation, spaces and signs of Latin-1 and of the general punctuation block. */
static const char *
ascii_sign(unsigned cp)
{
    if (cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f || cp == 0x205f ||
        cp == 0x3000)
        return " ";
    if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 ||
        cp == 0xfeff)
        return ""; /* combining marks (an accent after its letter) and zero widths */
    if (cp == 0xad || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xb7)
        return "-";
    if ((cp >= 0x2018 && cp <= 0x201b) || cp == 0x2032 || cp == 0xb4)
        return "'";
    if ((cp >= 0x201c && cp <= 0x201f) || cp == 0x2033 || cp == 0xab || cp == 0xbb)
        return "\"";
    switch (cp) {
    case 0xa1:
        return "!";
    case 0xbf:
        return "?";
    case 0xb2:
        return "2";
    case 0xb3:
        return "3";
    case 0xb9:
        return "1";
    case 0xd7:
        return "x";
    case 0xf7:
        return "/";
    case 0x2022: /* the UI's key mask */
        return "*";
    case 0x2026:
        return "...";
    case 0x2039:
        return "<";
    case 0x203a:
        return ">";
    case 0x2044:
        return "/";
    case 0x20ac:
        return "EUR";
    case 0x2122:
        return "TM";
    case 0x2190:
        return "<-";
    case 0x2191: /* more rows above */
        return "^";
    case 0x2192:
        return "->";
    case 0x2193: /* more rows below */
        return "v";
    default:
        return "?";
    }
}

size_t
text_ascii(unsigned cp, char out[4])
{
    const char *s;

    if (cp < 0x80) {
        out[0] = (char)cp;
        out[1] = '\0';
        return 1;
    }
    if (cp >= 0xc0 && cp <= 0x17f && latin_letters[cp - 0xc0] != '*') {
        out[0] = latin_letters[cp - 0xc0];
        out[1] = '\0';
        return 1;
    }
    s = cp >= 0xc0 && cp <= 0x17f ? ascii_pair(cp) : ascii_sign(cp);
    /* Each replacement is at most 3 bytes, and no longer than cp's UTF-8. */
    memcpy(out, s, strlen(s) + 1);
    return strlen(s);
}

/* The bytes of the UTF-8 sequence that the lead byte c starts, or 0. */
static size_t
sequence_length(unsigned char c)
{
    return c >= 0xc2 && c <= 0xdf   ? 2
           : c >= 0xe0 && c <= 0xef ? 3
           : c >= 0xf0 && c <= 0xf4 ? 4
                                    : 0;
}

size_t
text_to_ascii(const char *s, size_t len, char *out, int last, size_t *used)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;

    while (i < len) {
        unsigned cp;
        size_t n;

        if (p[i] < 0x80) {
            out[o++] = (char)p[i++];
            continue;
        }
        if ((n = text_utf8_decode(p + i, len - i, &cp)) != 0) {
            char a[4];
            size_t k = text_ascii(cp, a);

            memcpy(out + o, a, k);
            o += k;
            i += n;
            continue;
        }
        /* A sequence that the next write completes. */
        n = sequence_length(p[i]);
        if (!last && n > len - i) {
            size_t k = 1;

            while (i + k < len && (p[i + k] & 0xc0) == 0x80)
                k++;
            if (i + k == len)
                break;
        }
        out[o++] = '?';
        i++;
    }
    *used = i;
    return o;
}

/* Columns a code point takes; a locale that cannot tell gets the widest guess, one that
 * cannot show it those of its ASCII. */
static size_t
columns(unsigned cp)
{
    int w;

    if (cp >= 0x80 && !text_locale_utf8()) {
        char a[4];

        return text_ascii(cp, a);
    }
    w = wcwidth((wchar_t)cp);
    return w >= 0 ? (size_t)w : cp >= 0x1100 ? 2 : 1;
}

size_t
text_columns(const char *s)
{
    size_t len = strlen(s), cols = 0;
    unsigned cp;

    for (size_t i = 0, n; i < len; i += n) {
        if ((unsigned char)s[i] <
            0x80) { /* ASCII: one column (inert text has no controls) */
            cols++;
            n = 1;
            continue;
        }
        if ((n = text_utf8_decode((const unsigned char *)s + i, len - i, &cp)) == 0) {
            n = 1;
            cp = '?';
        }
        cols += columns(cp);
    }
    return cols;
}

char *
text_one_line(const char *s, size_t max_cols)
{
    /* Same size in bytes: 3 columns in ASCII, 1 in UTF-8. */
    const char *ellipsis = text_locale_utf8() ? "…" : "...";
    size_t ell_cols = text_locale_utf8() ? 1 : 3;
    char *safe = text_sanitize(s, strlen(s)), *out;
    size_t len, o = 0, cols = 0, keep = 0;
    unsigned cp;

    if (safe == NULL)
        return NULL;
    len = strlen(safe);
    if ((out = malloc(len + sizeof "...")) == NULL) {
        free(safe);
        return NULL;
    }
    /* text_sanitize leaves valid UTF-8 only: every decode succeeds. */
    for (size_t i = 0, n, space = 0; safe[i] != '\0'; i += n) {
        if ((n = text_utf8_decode((const unsigned char *)safe + i, len - i, &cp)) == 0)
            break;
        if (is_white(cp)) {
            space = o > 0;
            continue;
        }
        if (space)
            out[o++] = ' ';
        space = 0;
        memcpy(out + o, safe + i, n);
        o += n;
    }
    out[o] = '\0';
    free(safe);
    /* Too wide: cut after the last character that leaves room for the ellipsis, or
     * (narrower than "...") after the last that fits. */
    for (size_t i = 0, n, fit = 0; i < o; i += n) {
        n = text_utf8_decode((const unsigned char *)out + i, o - i, &cp);
        if (cols + columns(cp) + ell_cols <= max_cols)
            keep = i + n;
        if (cols + columns(cp) <= max_cols)
            fit = i + n;
        if ((cols += columns(cp)) > max_cols) {
            if (ell_cols > max_cols) {
                out[fit] = '\0';
                break;
            }
            while (keep > 0 && out[keep - 1] == ' ')
                keep--;
            memcpy(out + keep, ellipsis, sizeof "...");
            break;
        }
    }
    return out;
}

int
text_locale_utf8(void)
{
    return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

char *
text_vformat(const char *fmt, va_list ap)
{
    char *s = NULL;

    return vasprintf(&s, fmt, ap) < 0 ? NULL : s;
}

const char *
text_dash(void)
{
    return text_locale_utf8() ? "—" : "-";
}
