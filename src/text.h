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
 * leads or trails, and text wider than max_cols columns is cut with "…" ("..." where
 * the locale is not UTF-8; no mark where even that is too wide). The caller frees the
 * result; NULL only when out of memory.
 */
char *text_one_line(const char *s, size_t max_cols);

/* A new malloc'd string formatted from fmt and ap (vasprintf); NULL when out of memory.
 */
char *text_vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Columns the UTF-8 text s takes on a terminal (wide characters count two); where the
 * locale is not UTF-8, the columns of its ASCII (text_ascii). */
size_t text_columns(const char *s);

/* What stands for an unknown value in human output: "—", or "-" where the locale is not
 * UTF-8. */
const char *text_dash(void);

/* Whether the locale's character set is UTF-8; otherwise output uses ASCII ("...", "-").
 */
int text_locale_utf8(void);

/*
 * Writes to out (NUL-terminated, at most 3 characters) the ASCII that stands for the code
 * point cp where the locale cannot show it: ASCII itself, a Latin letter's base letter
 * ("\u00dd" is "Y", "\u00c6" "AE"), typographic punctuation's ASCII ("\u2026" is "...",
 * "\u201c" '"'), nothing for combining marks and zero-width characters, else "?". Never
 * longer than cp's UTF-8. Returns the length written.
 */
size_t text_ascii(unsigned cp, char out[4]);

/*
 * Writes the UTF-8 text s (len bytes) to out (room for len bytes) in ASCII, each
 * character by text_ascii and each invalid byte as "?". A sequence cut at the end of s is
 * left for the next call, unless last. Returns the bytes written; *used says how many of
 * s were read.
 */
size_t text_to_ascii(const char *s, size_t len, char *out, int last, size_t *used);

/*
 * Decodes one UTF-8 sequence at s (at most len bytes); stores the code point
 * in *cp and returns its length, or returns 0 for an invalid or truncated
 * sequence (overlongs, surrogates and values above U+10FFFF are invalid).
 */
size_t text_utf8_decode(const unsigned char *s, size_t len, unsigned *cp);

/* Whether the len bytes at s are valid UTF-8 (text_utf8_decode's rules). */
int text_utf8_valid(const char *s, size_t len);

/* Writes code point c (below U+110000) as UTF-8 into out (4 bytes at most); returns the
 * bytes written. */
size_t text_utf8_encode(unsigned c, char *out);

#endif
