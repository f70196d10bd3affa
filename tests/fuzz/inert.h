/*
 * Invariants shared by the fuzz harnesses. Each failure calls abort() itself
 * (never assert, which NDEBUG would remove), so that the replay in make check,
 * built without libFuzzer, fails as loudly as a fuzzing run.
 */
#ifndef BOXLOGIN_FUZZ_INERT_H
#define BOXLOGIN_FUZZ_INERT_H

#include "text.h"

#include <stdlib.h>
#include <string.h>

/* Sanitised text must be valid UTF-8 without C0, DEL, C1, ESC or bidi controls. */
static inline void
check_inert(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);

    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t k = text_utf8_decode(p + i, n - i, &cp);

        if (k == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
            (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
            cp == 0x200e || cp == 0x200f || cp == 0x061c)
            abort();
        i += k;
    }
}

/* As check_inert, for a string that may be NULL (unknown). */
static inline void
check_inert_or_null(const char *s)
{
    if (s != NULL)
        check_inert(s);
}

static inline int
digits_at(const char *s, size_t at, size_t count, int max)
{
    int v = 0;

    for (size_t i = at; i < at + count; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v <= max ? v : -1;
}

/* A date from the decoders: "" (unknown) or YYYY-MM-DDTHH:MM:SS followed by Z or
 * +hh:mm / -hh:mm, every field in range. */
static inline void
check_iso(const char *s)
{
    size_t n = strlen(s);

    if (n == 0)
        return;
    if ((n != 20 && n != 25) || digits_at(s, 0, 4, 9999) < 0 || s[4] != '-' ||
        digits_at(s, 5, 2, 12) < 1 || s[7] != '-' || digits_at(s, 8, 2, 31) < 1 ||
        s[10] != 'T' || digits_at(s, 11, 2, 23) < 0 || s[13] != ':' ||
        digits_at(s, 14, 2, 59) < 0 || s[16] != ':' || digits_at(s, 17, 2, 59) < 0)
        abort();
    if (n == 20 ? s[19] != 'Z'
                : (s[19] != '+' && s[19] != '-') || digits_at(s, 20, 2, 23) < 0 ||
                      s[22] != ':' || digits_at(s, 23, 2, 59) < 0)
        abort();
}

#endif
