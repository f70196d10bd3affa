/* Text from outside: making server strings inert, normalising emails. */
#ifndef BOXLOGIN_TEXT_H
#define BOXLOGIN_TEXT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Returns a malloc'd copy of the len bytes at s that is safe to print on a
 * terminal: escape sequences (CSI, OSC, DCS, ... in 7- and 8-bit form), C0 and
 * C1 controls, DEL and bidirectional controls (overrides, isolates, marks) are removed,
 * tabs and line breaks become single spaces, invalid UTF-8 becomes U+FFFD, and a NUL ends
 * the text. Valid UTF-8 (accents, CJK) is kept. The caller frees the result;
 * NULL only when out of memory.
 */
char *text_sanitize(const char *s, size_t len);

/*
 * Returns a malloc'd copy of email with surrounding white space removed
 * (text_trimmed) or additionally ASCII-lower-cased (text_email_key), the form
 * that is shown, printed and stored. The caller frees the result.
 */
char *text_trimmed(const char *email);
char *text_email_key(const char *email);

/*
 * Returns a malloc'd copy of s made safe (text_sanitize) and fit for one line of
 * human output: every run of white space (ASCII or Unicode) becomes one space, none
 * leads or trails, and text wider than max_cols (at least 2) columns is cut with
 * "…" ("..." where the locale is not UTF-8). The caller frees the result; NULL only when
 * out of memory.
 */
char *text_one_line(const char *s, size_t max_cols);

/* A new malloc'd string formatted from fmt and ap (vasprintf); NULL when out of memory.
 */
char *text_vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Columns the UTF-8 text s takes on a terminal (wide characters count two). */
size_t text_columns(const char *s);

/* What stands for an unknown value in human output: "—", or "-" where the locale is not
 * UTF-8. */
const char *text_dash(void);

/* Whether the locale's character set is UTF-8; otherwise output uses ASCII ("...", "-").
 */
int text_locale_utf8(void);

/*
 * Decodes one UTF-8 sequence at s (at most len bytes); stores the code point
 * in *cp and returns its length, or returns 0 for an invalid or truncated
 * sequence (overlongs, surrogates and values above U+10FFFF are invalid).
 */
size_t text_utf8_decode(const unsigned char *s, size_t len, unsigned *cp);

#endif
