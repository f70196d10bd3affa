/* Making server strings inert; email normalisation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <locale.h>
#include <string.h>

#include "text.h"

static void
check_n(const char *in, size_t len, const char *want)
{
    char *out = text_sanitize(in, len);

    assert_non_null(out);
    assert_string_equal(out, want);
    free(out);
}

static void
check(const char *in, const char *want)
{
    check_n(in, strlen(in), want);
}

static void
utf8_is_kept(void **state)
{
    (void)state;
    check("José Ñúñez 山田 🙂", "José Ñúñez 山田 🙂");
    check("", "");
}

static void
csi_osc_and_other_escapes_are_removed_whole(void **state)
{
    (void)state;
    check("a\x1b[2Jb", "ab");
    check("a\x1b[38;5;196mred\x1b[0m", "ared");
    check("a\x1b]0;title\x07"
          "b",
          "ab");
    check("a\x1b]52;c;cHduZWQ=\x1b\\b", "ab");
    check("a\x1bPdcs\x1b\\b", "ab");
    check("a\x1b"
          "cb",
          "ab");
    check("unterminated\x1b]0;title", "unterminated");
    check("a\xc2\x9b"
          "31mb",
          "ab"); /* 8-bit CSI */
    check("a\xc2\x9d"
          "0;x\xc2\x9c"
          "b",
          "ab"); /* 8-bit OSC ... ST */
}

static void
controls_are_removed_and_breaks_become_spaces(void **state)
{
    (void)state;
    check("a\x07"
          "b\x7f"
          "c\x01"
          "d",
          "abcd");
    check("a\r\nb", "a b");
    check("a\tb", "a b");
    check("\nlead", "lead");
    check("a\xc2\x85"
          "b",
          "ab"); /* NEL, a C1 control */
}

static void
bidi_overrides_are_removed(void **state)
{
    (void)state;
    check("a\xe2\x80\xae"
          "evil\xe2\x80\xac"
          "b",
          "aevilb");
    check("a\xe2\x81\xa6"
          "x\xe2\x81\xa9",
          "ax");
}

static void
invalid_utf8_becomes_replacement(void **state)
{
    (void)state;
    check("a\xff"
          "b",
          "a\xef\xbf\xbd"
          "b");
    check("a\xc3", "a\xef\xbf\xbd");
    check("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");                 /* overlong */
    check("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* surrogate */
    check("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

static void
nul_ends_the_text(void **state)
{
    (void)state;
    check_n("ab\0cd", 5, "ab");
}

static void
emails_are_trimmed_and_lower_cased(void **state)
{
    char *t = text_trimmed("  JohnDoe@Email.COM\t\n");
    char *k = text_email_key("  JohnDoe@Email.COM\t\n");

    (void)state;
    assert_string_equal(t, "JohnDoe@Email.COM");
    assert_string_equal(k, "johndoe@email.com");
    free(t);
    free(k);
    k = text_email_key("ÉLISE@Example.com");
    /* ASCII only: the locale never changes which account an email names. */
    assert_string_equal(k, "\xc3\x89lise@example.com");
    free(k);
}

static void
one_line_collapses_white_space_and_cuts(void **state)
{
    static const struct {
        const char *in, *out;
        size_t cols;
    } cases[] = {
        {"  John \t\r\n  Doe  ", "John Doe", 80},
        {"John\xc2\xa0\xe3\x80\x80\xe2\x80\xa8"
         "Doe",
         "John Doe", 80},
        {"abcdef", "abcdef", 6},
        {"abcdefg", "abcde\xe2\x80\xa6", 6},
        {"abcd efg", "abcd\xe2\x80\xa6", 6},
        {"\xe5\xb1\xb1\xe7\x94\xb0\xe5\xb1\xb1\xe7\x94\xb0",
         "\xe5\xb1\xb1\xe7\x94\xb0\xe2\x80\xa6", 6},
        {"a\x1b[2Jb", "ab", 80},
        {"   ", "", 80},
    };

    (void)state;
    assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *s = text_one_line(cases[i].in, cases[i].cols);

        assert_string_equal(s, cases[i].out);
        free(s);
    }
    setlocale(LC_CTYPE, "C");
}

/* A locale that cannot show "…" gets "...", which takes three columns. */
static void
one_line_cuts_with_ascii_dots_in_the_c_locale(void **state)
{
    static const struct {
        const char *in, *out;
        size_t cols;
    } cases[] = {
        {"abcdef", "abcdef", 6}, {"abcdefg", "abc...", 6}, {"ab defg", "ab...", 6},
        {"abcdefg", "...", 3},   {"abcdefg", "ab", 2}, /* no room for the mark: cut, never
                                                          wider */
    };

    (void)state;
    assert_non_null(setlocale(LC_CTYPE, "C"));
    assert_int_equal(text_locale_utf8(), 0);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *s = text_one_line(cases[i].in, cases[i].cols);

        assert_string_equal(s, cases[i].out);
        free(s);
    }
}

static void
utf8_encodes_what_it_decodes(void **state)
{
    static const unsigned cps[] = {0x41,   0xe9,   0x7ff,   0x800,
                                   0x20ac, 0xffff, 0x10000, 0x10ffff};
    char out[4];

    (void)state;
    for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
        unsigned back = 0;
        size_t n = text_utf8_encode(cps[i], out);

        assert_true(text_utf8_valid(out, n));
        assert_int_equal(text_utf8_decode((const unsigned char *)out, n, &back), n);
        assert_int_equal(back, cps[i]);
    }
    assert_int_equal(text_utf8_encode(0xe9, out), 2);
    assert_memory_equal(out, "\xc3\xa9", 2);
    assert_true(text_utf8_valid("Bogot\xc3\xa1", 7));
    assert_false(text_utf8_valid("Bogot\xe1", 6));    /* Latin-1 */
    assert_false(text_utf8_valid("\xed\xa0\x80", 3)); /* a surrogate */
    assert_false(text_utf8_valid("\xc3", 1));         /* cut short */
    assert_true(text_utf8_valid("", 0));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_is_kept),
        cmocka_unit_test(one_line_cuts_with_ascii_dots_in_the_c_locale),
        cmocka_unit_test(csi_osc_and_other_escapes_are_removed_whole),
        cmocka_unit_test(controls_are_removed_and_breaks_become_spaces),
        cmocka_unit_test(bidi_overrides_are_removed),
        cmocka_unit_test(invalid_utf8_becomes_replacement),
        cmocka_unit_test(nul_ends_the_text),
        cmocka_unit_test(emails_are_trimmed_and_lower_cased),
        cmocka_unit_test(one_line_collapses_white_space_and_cuts),
        cmocka_unit_test(utf8_encodes_what_it_decodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
