/* One parser for each value a user types: the command line, the environment, the
 * config file and the prompts all read a value through the same function. */
#ifndef BOXLOGIN_VALUE_H
#define BOXLOGIN_VALUE_H

#include "error.h"

#include <stdint.h>

/* The API environments. */
enum bl_env {
    ENV_TEST,
    ENV_PROD,
};

/* A calendar date. */
struct value_date {
    int year, month, day;
};

/*
 * Each parser below reads s, stores the value and returns 0, or returns -1
 * with a usage error "WHAT: expected ..." in err (when err is not NULL). what
 * names where the value came from: an option ("--env"), a variable
 * ("BOXLOGIN_ENV"), a prompt ("user_code") or a config line ("FILE:3: timeout").
 * No message repeats the value: it may be a secret typed in the wrong place.
 */

/* "test" or "prod", in any case. */
int value_env(const char *s, const char *what, enum bl_env *env, struct bl_error *err);

/* A user code: decimal digits only, from 1 to INT_MAX. */
int value_user_code(const char *s, const char *what, long *code, struct bl_error *err);

/* An app key: one or more printable ASCII characters, no spaces (a paste accident). */
int value_app_key(const char *s, const char *what, struct bl_error *err);

/* Seconds with an optional fraction, from 0.1 to 600; stores milliseconds. */
int value_timeout(const char *s, const char *what, long *ms, struct bl_error *err);

/* true/yes/on/1 or false/no/off/0, in any case. */
int value_bool(const char *s, const char *what, int *out, struct bl_error *err);

/*
 * An email as the UI and the command line accept it: surrounding white space
 * trimmed, then non-empty, with an '@' and no control characters. Stores
 * malloc'd copies (the caller frees them) of the trimmed email as it is sent in
 * *trimmed and of its lower-cased form, the one shown and stored, in *key;
 * either pointer may be NULL. Out of memory is a BL_INTERNAL error.
 */
int value_email(const char *s, const char *what, char **trimmed, char **key,
                struct bl_error *err);

/* A date written YYYY-MM-DD that exists in the calendar (years 1900 to 9999). */
int value_date(const char *s, const char *what, struct value_date *date,
               struct bl_error *err);

/* An ID (a box ID, an AWB): decimal digits only, from 1 to 2^53 - 1. */
int value_id(const char *s, const char *what, uint64_t *id, struct bl_error *err);

/* Writes date as YYYY-MM-DD into out (11 bytes). */
void value_date_format(const struct value_date *date, char out[11]);

/* The date n days after date (n may be negative). */
struct value_date value_date_add(struct value_date date, long n);

/* Today's date in the local time zone. */
struct value_date value_date_today(void);

/* The days of a shipments window (SPEC: the default window, and what [ and ] move by). */
#define VALUE_WINDOW_DAYS 90

/* The default shipments window, YYYY-MM-DD: the VALUE_WINDOW_DAYS days that end today
 * (local date). */
void value_default_window(char from[11], char to[11]);

/* Negative, zero or positive as a is before, the same as or after b. */
int value_date_compare(const struct value_date *a, const struct value_date *b);

#endif
