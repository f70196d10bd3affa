/*
 * A streaming reader of one JSON text held in memory: the caller walks the
 * document value by value, and nothing is built but the string it is reading.
 * A list of 10 000 shipments is read in one pass, without the parse tree (and
 * its half a million allocations) that cJSON builds.
 *
 * It reads exactly what the cJSON of Debian 12 (1.7.15-1+deb12u4) reads, the
 * way it reads it, so that a reply means the same whichever reader took it:
 * white space is any byte up to 32; 1000 levels of nesting at most; a number
 * is what strtod takes from the run of [0-9+-.eE] that starts it; a string may
 * hold raw control bytes and any other byte, a \u escape that is not four hex
 * digits reads as U+0000, and its value ends at its first U+0000; a UTF-8 BOM
 * is skipped at the start. tests/fuzz/fuzz_jsonscan.c checks it against cJSON
 * on every input the fuzzer finds.
 */
#ifndef BOXLOGIN_JSONSCAN_H
#define BOXLOGIN_JSONSCAN_H

#include <locale.h>
#include <stddef.h>

#define JSONSCAN_NESTING_LIMIT 1000 /* cJSON's CJSON_NESTING_LIMIT */

enum json_type {
    JSON_MISSING, /* no such member */
    JSON_NULL,
    JSON_FALSE,
    JSON_TRUE,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
};

/* One value as the readers of src/jsonread.c see it, whoever parsed it. */
struct json_value {
    enum json_type type;
    double number;      /* JSON_NUMBER */
    const char *string; /* JSON_STRING: decoded, NUL-terminated; not owned */
};

enum jsonscan_status {
    JSONSCAN_OK,
    JSONSCAN_SYNTAX, /* not JSON (or nested deeper than the limit) */
    JSONSCAN_NOMEM,
};

struct jsonscan {
    const unsigned char *p, *end;
    size_t depth;
    int first;                   /* no member or element read yet in this container */
    enum jsonscan_status status; /* the first failure; every call fails after it */
    char *key, *text;            /* decoded key and string value (scratch) */
    size_t key_size, text_size;
};

/* Starts reading the len bytes at text; owns nothing until it reads a string. */
void jsonscan_init(struct jsonscan *s, const char *text, size_t len);

/* Starts reading another text, keeping the scratch buffers (for many small texts,
 * such as the history's lines). */
void jsonscan_reset(struct jsonscan *s, const char *text, size_t len);

/* Wipes and frees the scratch buffers. */
void jsonscan_free(struct jsonscan *s);

/*
 * The type of the next value, without reading it: JSON_NULL .. JSON_OBJECT, or
 * JSON_MISSING when what comes next cannot start a value.
 */
enum json_type jsonscan_peek(struct jsonscan *s);

/*
 * Reads the next value into *v. An array or an object is read whole (checked,
 * not kept) and only its type is given. v->string points into the scanner and
 * lasts until the next string is read. Returns 0, or -1 on failure (status).
 */
int jsonscan_value(struct jsonscan *s, struct json_value *v);

/* Reads over the next value, whatever it is. Returns 0 or -1. */
int jsonscan_skip(struct jsonscan *s);

/* Enters the array or object that comes next (its type is given). Returns 0 or -1. */
int jsonscan_enter(struct jsonscan *s, enum json_type type);

/*
 * In an object entered with jsonscan_enter: 1 with *key (decoded, valid until
 * the next key) when a member follows, whose value the caller then reads or
 * skips; 0 at the object's end (read); -1 on failure.
 */
int jsonscan_member(struct jsonscan *s, const char **key);

/* In an array: 1 when an element follows (the caller reads or skips it), 0 at the
 * array's end (read), -1 on failure. */
int jsonscan_element(struct jsonscan *s);

/* After the document's value: 0 when only " \t\r\n" follow it, else -1. */
int jsonscan_finish(struct jsonscan *s);

/* The C locale's numbers (LC_NUMERIC "C"), made once, for reading numbers whatever the
 * user's locale says; (locale_t)0 when it could not be made. */
locale_t jsonscan_c_numeric(void);

/* The bytes not read yet (0 once a whole text has been read). */
size_t jsonscan_left(const struct jsonscan *s);

/*
 * cJSON's number at text (avail bytes readable there): stores its value in *out
 * and returns how many bytes it takes, or 0 when none is there (or when memory
 * runs out: for the C locale, or to copy a number of 128 characters or more).
 * The value does not depend on LC_NUMERIC.
 */
size_t jsonscan_number(const char *text, size_t avail, double *out);

#endif
