#include "value.h"
#include "i18n.h"
#include "text.h"

#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <strings.h>

/*
 * A usage error for a value of what, if the caller wants one; returns -1. fmt is the
 * whole message, with what as its one %s (an option, a variable, a config key or a
 * "file:line: key").
 */
#define expected(err, what, fmt)                                                         \
    ((err) != NULL ? error_set((err), BL_USAGE, (fmt), (what)) : -1)

int
value_env(const char *s, const char *what, enum bl_env *env, struct bl_error *err)
{
    if (strcasecmp(s, "test") == 0)
        *env = ENV_TEST;
    else if (strcasecmp(s, "prod") == 0)
        *env = ENV_PROD;
    else
        /* TRANSLATORS: %s names what was given (an option like --env, a variable or a
           config key): keep it first. test and prod stay as they are. */
        return expected(err, what, _("%s: expected test or prod"));
    return 0;
}

int
value_user_code(const char *s, const char *what, long *code, struct bl_error *err)
{
    long v = 0;
    const char *p = s;

    for (; *p >= '0' && *p <= '9'; p++)
        if ((v = v * 10 + (*p - '0')) > INT_MAX)
            break;
    if (p == s || *p != '\0' || v < 1)
        /* TRANSLATORS: %s names what was given (an option, variable or config key). */
        return expected(err, what, _("%s: expected a positive whole number"));
    *code = v;
    return 0;
}

int
value_app_key(const char *s, const char *what, struct bl_error *err)
{
    const char *p = s;

    while (*p > ' ' && *p <= '~')
        p++;
    if (p == s || *p != '\0')
        /* TRANSLATORS: %s names what was given (a variable or a config key). */
        return expected(err, what, _("%s: expected printable characters without spaces"));
    return 0;
}

int
value_timeout(const char *s, const char *what, long *ms, struct bl_error *err)
{
    long whole = 0, frac = 0, scale = 100;
    const char *p = s;

    if (*p < '0' || *p > '9')
        /* TRANSLATORS: %s names what was given (--timeout or the config key timeout). */
        return expected(err, what, _("%s: expected seconds from 0.1 to 600"));
    for (; *p >= '0' && *p <= '9'; p++)
        if ((whole = whole * 10 + (*p - '0')) > 600)
            return expected(err, what, _("%s: expected seconds from 0.1 to 600"));
    if (*p == '.') {
        if (*++p < '0' || *p > '9')
            return expected(err, what, _("%s: expected seconds from 0.1 to 600"));
        for (; *p >= '0' && *p <= '9'; p++, scale /= 10)
            frac += (*p - '0') * scale;
    }
    if (*p != '\0' || whole * 1000 + frac < 100 || whole * 1000 + frac > 600000)
        return expected(err, what, _("%s: expected seconds from 0.1 to 600"));
    *ms = whole * 1000 + frac;
    return 0;
}

int
value_bool(const char *s, const char *what, int *out, struct bl_error *err)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};

    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(s, no[i]) == 0)
            return *out = 0, 0;
    }
    /* TRANSLATORS: %s names a config key; true and false stay as they are. */
    return expected(err, what, _("%s: expected true or false"));
}

/* C0 controls, DEL and C1 controls (U+0080 to U+009F, 0xC2 0x80-0x9F in UTF-8). */
static int
has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
            return 1;
    return 0;
}

int
value_email(const char *s, const char *what, char **trimmed, char **key,
            struct bl_error *err)
{
    char *t = text_trimmed(s), *k;

    if (t == NULL)
        return err != NULL ? error_set(err, BL_INTERNAL, "%s", _("out of memory")) : -1;
    if (t[0] == '\0' || strchr(t, '@') == NULL || has_control(t)) {
        int empty = t[0] == '\0', control = !empty && has_control(t);

        free(t);
        if (empty)
            /* TRANSLATORS: %s names what was given (--email, or a command). */
            return expected(err, what, _("%s: expected an email address"));
        if (control)
            return expected(
                err, what, _("%s: expected an email address without control characters"));
        return expected(err, what, _("%s: expected an email address (with @)"));
    }
    if (key != NULL) {
        if ((k = text_email_key(t)) == NULL) {
            free(t);
            return err != NULL ? error_set(err, BL_INTERNAL, "%s", _("out of memory"))
                               : -1;
        }
        *key = k;
    }
    if (trimmed != NULL)
        *trimmed = t;
    else
        free(t);
    return 0;
}

/* The number written by the n decimal digits at s (already checked). */
static int
digits(const char *s, int n)
{
    int v = 0;

    while (n-- > 0)
        v = v * 10 + (*s++ - '0');
    return v;
}

int
value_date(const char *s, const char *what, struct value_date *date, struct bl_error *err)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, leap;

    for (int i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            /* TRANSLATORS: %s names what was given (--from, --to); keep YYYY-MM-DD. */
            return expected(err, what, _("%s: expected a date as YYYY-MM-DD"));
    if (s[10] != '\0')
        return expected(err, what, _("%s: expected a date as YYYY-MM-DD"));
    y = digits(s, 4);
    m = digits(s + 5, 2);
    d = digits(s + 8, 2);
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days[m - 1] + (m == 2 && leap))
        /* TRANSLATORS: %s names what was given (--from, --to); keep YYYY-MM-DD. */
        return expected(err, what, _("%s: expected a date as YYYY-MM-DD that exists"));
    date->year = y;
    date->month = m;
    date->day = d;
    return 0;
}

int
value_id(const char *s, const char *what, uint64_t *id, struct bl_error *err)
{
    size_t n = strlen(s);
    uint64_t x = 0;

    if (n == 0 || n > 16 || strspn(s, "0123456789") != n)
        return expected(err, what, _("%s: expected a number from 1 to 9007199254740991"));
    for (size_t i = 0; i < n; i++)
        x = x * 10 + (uint64_t)(s[i] - '0');
    if (x < 1 || x >= (UINT64_C(1) << 53))
        return expected(err, what, _("%s: expected a number from 1 to 9007199254740991"));
    *id = x;
    return 0;
}

void
value_date_format(const struct value_date *date, char out[11])
{
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)date->year % 10000u,
             (unsigned)date->month % 100u, (unsigned)date->day % 100u);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Hinnant's
 * days_from_civil). */
static long
days_from_civil(long y, long m, long d)
{
    long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct value_date
value_date_add(struct value_date date, long n)
{
    long z = days_from_civil(date.year, date.month, date.day) + n + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    struct value_date out;

    out.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    out.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    out.year = (int)(yoe + era * 400 + (out.month <= 2));
    return out;
}

struct value_date
value_date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    struct value_date d = {1970, 1, 1};

    if (localtime_r(&now, &tm) != NULL) {
        d.year = tm.tm_year + 1900;
        d.month = tm.tm_mon + 1;
        d.day = tm.tm_mday;
    }
    return d;
}

int
value_date_compare(const struct value_date *a, const struct value_date *b)
{
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    if (a->month != b->month)
        return a->month < b->month ? -1 : 1;
    return a->day < b->day ? -1 : a->day > b->day;
}

void
value_default_window(char from[11], char to[11])
{
    struct value_date today = value_date_today(),
                      start = value_date_add(today, -VALUE_WINDOW_DAYS);

    value_date_format(&start, from);
    value_date_format(&today, to);
}
