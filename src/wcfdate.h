/* WCF JSON dates ("/Date(ms)/", "/Date(ms-0500)/") to ISO 8601. */
#ifndef BOXLOGIN_WCFDATE_H
#define BOXLOGIN_WCFDATE_H

#include <stdint.h>

#define WCFDATE_ISO_SIZE 32

/*
 * Converts a WCF date to ISO 8601 in the offset it carries
 * ("2019-02-21T09:56:50-05:00"), or in UTC with "Z" when it carries none.
 * Accepts "\/" for "/" as in the raw wire form. Writes into out
 * (WCFDATE_ISO_SIZE bytes) and returns 0, or returns -1 for anything malformed
 * or outside the years 0000..9999 (out is then the empty string).
 */
int wcfdate_to_iso(const char *s, char out[WCFDATE_ISO_SIZE]);

/*
 * As wcfdate_to_iso, and on success also stores the instant in *epoch_ms
 * (milliseconds since 1970 UTC, the order in which dates with different
 * offsets sort). Owns nothing.
 */
int wcfdate_parse(const char *s, int64_t *epoch_ms, char out[WCFDATE_ISO_SIZE]);

/* The size wcfdate_readable writes at most, NUL included. */
#define WCFDATE_SCREEN_SIZE 40

/*
 * Writes an ISO 8601 date of wcfdate_to_iso as a person reads it on a screen,
 * "2019-02-21 09:56 (UTC−05:00)" ("(UTC)" for "Z"), into out (WCFDATE_SCREEN_SIZE bytes;
 * the minus sign is U+2212). Anything else is copied as it is.
 */
void wcfdate_readable(const char *iso, char out[WCFDATE_SCREEN_SIZE]);

#endif
