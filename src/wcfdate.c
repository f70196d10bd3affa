#include "wcfdate.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days). */
static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;

    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t
floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Matches "/" or "\/" at *p and advances past it. */
static int
eat_slash(const char **p)
{
    if (**p == '\\')
        (*p)++;
    if (**p != '/')
        return 0;
    (*p)++;
    return 1;
}

static int
eat_digits(const char **p, int count, int *value)
{
    *value = 0;
    for (int i = 0; i < count; i++, (*p)++) {
        if (**p < '0' || **p > '9')
            return 0;
        *value = *value * 10 + (**p - '0');
    }
    return 1;
}

int
wcfdate_parse(const char *s, int64_t *epoch_ms, char out[WCFDATE_ISO_SIZE])
{
    /* ±8.64e15 ms is the widest range a JavaScript date allows; years are checked below.
     */
    const int64_t max_ms = 8640000000000000LL;
    const char *p = s;
    int64_t ms = 0;
    int neg = 0, digits = 0, off_min = 0, has_off = 0;

    out[0] = '\0';
    if (s == NULL || !eat_slash(&p) || strncmp(p, "Date(", 5) != 0)
        return -1;
    p += 5;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        ms = ms * 10 + (*p - '0');
        if (ms > max_ms)
            return -1;
    }
    if (digits == 0)
        return -1;
    if (neg)
        ms = -ms;
    if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, hh, mm;

        if (!eat_digits(&p, 2, &hh) || !eat_digits(&p, 2, &mm) || hh > 23 || mm > 59)
            return -1;
        off_min = sign * (hh * 60 + mm);
        has_off = 1;
    }
    if (*p++ != ')' || !eat_slash(&p) || *p != '\0')
        return -1;

    int64_t secs = floor_div(ms, 1000) + (int64_t)off_min * 60;
    int64_t days = floor_div(secs, 86400), sod = secs - days * 86400, year;
    unsigned month, day;

    civil_from_days(days, &year, &month, &day);
    if (year < 0 || year > 9999)
        return -1;
    int n =
        snprintf(out, WCFDATE_ISO_SIZE, "%04d-%02u-%02uT%02d:%02d:%02d", (int)year, month,
                 day, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
    if (has_off) {
        int a = off_min < 0 ? -off_min : off_min;

        snprintf(out + n, WCFDATE_ISO_SIZE - (size_t)n, "%c%02d:%02d",
                 off_min < 0 ? '-' : '+', a / 60, a % 60);
    } else {
        snprintf(out + n, WCFDATE_ISO_SIZE - (size_t)n, "Z");
    }
    *epoch_ms = ms;
    return 0;
}

int
wcfdate_to_iso(const char *s, char out[WCFDATE_ISO_SIZE])
{
    int64_t ms;

    return wcfdate_parse(s, &ms, out);
}

void
wcfdate_readable(const char *iso, char out[WCFDATE_SCREEN_SIZE])
{
    size_t n = strnlen(iso, WCFDATE_ISO_SIZE);
    const char *zone = iso + 19;

    /* YYYY-MM-DDTHH:MM:SS then Z or +HH:MM / -HH:MM */
    if (n < 20 || iso[10] != 'T' || iso[13] != ':' || iso[16] != ':') {
        snprintf(out, WCFDATE_SCREEN_SIZE, "%.*s", WCFDATE_SCREEN_SIZE - 1, iso);
        return;
    }
    if (zone[0] == 'Z')
        snprintf(out, WCFDATE_SCREEN_SIZE, "%.10s %.5s (UTC)", iso, iso + 11);
    else
        snprintf(out, WCFDATE_SCREEN_SIZE, "%.10s %.5s (UTC%s%.5s)", iso, iso + 11,
                 zone[0] == '-' ? "\u2212" : "+", zone + 1);
}
