/* libFuzzer harness: WCF dates to ISO 8601. */
#include "inert.h"
#include "wcfdate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil),
 * written independently of the code under test. */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

static int64_t
num(const char *s, size_t n)
{
    int64_t v = 0;

    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/*
 * A successful conversion must give SPEC's form and name the same instant as
 * the input: the ISO text read back (date, time, offset) is the input's
 * milliseconds rounded down to the second, and the offset is the input's.
 */
static void
check_round_trip(const char *in, const char *out, int64_t epoch_ms)
{
    const char *p = strstr(in, "Date(");
    int64_t ms = 0, secs, days, off = 0;
    int neg = 0;

    check_iso(out);
    if (out[0] == '\0' || p == NULL)
        abort();
    p += 5;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    for (; *p >= '0' && *p <= '9'; p++)
        ms = ms * 10 + (*p - '0');
    if (neg)
        ms = -ms;
    if (ms != epoch_ms)
        abort();
    if (*p == '+' || *p == '-') {
        /* The same offset, not the same text: "-0000" is written "+00:00". */
        off = (p[0] == '-' ? -1 : 1) * (num(p + 1, 2) * 3600 + num(p + 3, 2) * 60);
        if (strlen(out) != 25 ||
            off != (out[19] == '-' ? -1 : 1) *
                       (num(out + 20, 2) * 3600 + num(out + 23, 2) * 60))
            abort();
    } else if (strlen(out) != 20) {
        abort();
    }
    days = days_from_civil(num(out, 4), num(out + 5, 2), num(out + 8, 2));
    secs = days * 86400 + num(out + 11, 2) * 3600 + num(out + 14, 2) * 60 +
           num(out + 17, 2) - off;
    if (secs != (ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)))
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1), out[WCFDATE_ISO_SIZE], again[WCFDATE_ISO_SIZE];
    int64_t ms = 0;

    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    if (wcfdate_parse(buf, &ms, out) == 0) {
        check_round_trip(buf, out, ms);
        if (wcfdate_to_iso(buf, again) != 0 || strcmp(out, again) != 0)
            abort();
    } else if (out[0] != '\0' || wcfdate_to_iso(buf, again) != -1 || again[0] != '\0') {
        abort();
    }
    free(buf);
    return 0;
}
