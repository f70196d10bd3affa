/*
 * Writing JSON text straight into a buffer, for the --json objects and the
 * history's lines: the same bytes cJSON_PrintUnformatted writes for the same
 * tree (its escapes: \" \\ \b \f \n \r \t and \u00XX for the other bytes below
 * 32; everything else as it is), without building the tree first. For texts
 * without secrets: the buffer is grown with plain realloc.
 */
#ifndef BOXLOGIN_JSONWRITE_H
#define BOXLOGIN_JSONWRITE_H

#include <stddef.h>
#include <stdio.h>

struct jsonw {
    char *buf;
    size_t len, cap;
    int failed; /* out of memory or a failed write: everything after is dropped */
    int comma;  /* a value was written at this level: the next one needs a comma */
    FILE *out;  /* a stream: buf is written to it whenever it fills */
};

/* Starts an empty text; hint is the size to reserve (0 for a small one). */
void jsonw_init(struct jsonw *w, size_t hint);

/*
 * Starts a text written to out through a 64 KiB buffer: a large one (10 000
 * shipments, the whole history) never sits whole in memory, whose fresh pages
 * are what writing it costs most.
 */
void jsonw_init_stream(struct jsonw *w, FILE *out);

/* Writes what is left to the stream and frees the buffer: 0, or -1 when memory ran
 * out or a write failed on the way. */
int jsonw_end_stream(struct jsonw *w);

/* Writes what the buffer holds to the stream now, and flushes the stream: a text
 * written as its parts complete. 0, or -1 when a write failed. */
int jsonw_flush(struct jsonw *w);

/* Opens ('{' or '[') and closes ('}' or ']') an object or an array. */
void jsonw_open(struct jsonw *w, char bracket);
void jsonw_close(struct jsonw *w, char bracket);

/* The name of the next member of an object. */
void jsonw_key(struct jsonw *w, const char *key);

/* A string value, escaped; null when s is NULL. */
void jsonw_string(struct jsonw *w, const char *s);

/* A value written as it is: a number, true, false or null. */
void jsonw_raw(struct jsonw *w, const char *text);

/* A key and its string value (null for NULL), or its raw value. */
void jsonw_member_string(struct jsonw *w, const char *key, const char *s);
void jsonw_member_raw(struct jsonw *w, const char *key, const char *text);

/* n in decimal, in buf (JSONW_U64_SIZE bytes); returns buf. Without printf: IDs are
 * written by the ten thousand. */
#define JSONW_U64_SIZE 21
char *jsonw_u64(char buf[JSONW_U64_SIZE], unsigned long long n);

/* Ends a line (of JSON lines): a newline, and no comma before what follows. */
void jsonw_newline(struct jsonw *w);

/* The text (the caller frees it), or NULL when memory ran out on the way. */
char *jsonw_finish(struct jsonw *w);

#endif
