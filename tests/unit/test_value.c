/* The one parser of each value a user types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

/* s is refused for what, with a message that names what and never repeats s. */
static void
refused(int rc, struct bl_error *err, const char *s, const char *want)
{
    assert_int_equal(rc, -1);
    assert_int_equal(err->kind, BL_USAGE);
    assert_string_equal(err->message, want);
    if (*s != '\0' && strstr(want, s) == NULL && strstr(err->message, s) != NULL)
        fail_msg("'%s' repeats '%s'", err->message, s);
    error_clear(err);
}

static void
environments(void **state)
{
    static const char *const bad[] = {"", "staging", "tes", "test ", " prod", "prod\n"};
    struct bl_error err = {0};
    enum bl_env env = ENV_PROD;

    (void)state;
    assert_int_equal(value_env("test", "--env", &env, &err), 0);
    assert_int_equal(env, ENV_TEST);
    for (const char *const *s = (const char *const[]){"prod", "PROD", "Prod", NULL}; *s;
         s++) {
        env = ENV_TEST;
        assert_int_equal(value_env(*s, "--env", &env, &err), 0);
        assert_int_equal(env, ENV_PROD);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(value_env(bad[i], "BOXLOGIN_ENV", &env, &err), &err, bad[i],
                "BOXLOGIN_ENV: expected test or prod");
    /* No message wanted: the value is simply refused. */
    assert_int_equal(value_env("x", "--env", &env, NULL), -1);
}

static void
user_codes(void **state)
{
    static const char *const bad[] = {
        "",   "0",    "-3",  "+5",         " 5",
        "5 ", "0x10", "1e3", "2147483648", "99999999999999999999"};
    struct bl_error err = {0};
    long code = 0;

    (void)state;
    assert_int_equal(value_user_code("396", "--user-code", &code, &err), 0);
    assert_int_equal(code, 396);
    assert_int_equal(value_user_code("0396", "--user-code", &code, &err), 0);
    assert_int_equal(code, 396);
    assert_int_equal(value_user_code("2147483647", "--user-code", &code, &err), 0);
    assert_int_equal(code, 2147483647L);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(value_user_code(bad[i], "user_code", &code, &err), &err, bad[i],
                "user_code: expected a positive whole number");
    assert_int_equal(code, 2147483647L);
}

static void
app_keys(void **state)
{
    static const char *const bad[] = {"",     "has space", "tab\there",
                                      "nl\n", "del\x7f",   "caf\xc3\xa9"};
    struct bl_error err = {0};

    (void)state;
    assert_int_equal(value_app_key("1656d700707ad9a77f737e5df3db088a", "app_key", &err),
                     0);
    assert_int_equal(value_app_key("!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "app_key", &err),
                     0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(value_app_key(bad[i], "BOXLOGIN_APP_KEY", &err), &err, bad[i],
                "BOXLOGIN_APP_KEY: expected printable characters without spaces");
}

static void
timeouts_and_booleans(void **state)
{
    static const char *const bad[] = {"",   "0",  "0.09", "601", "600.5",
                                      "1.", ".5", "-1",   "1s"};
    struct bl_error err = {0};
    long ms = 0;
    int b = -1;

    (void)state;
    assert_int_equal(value_timeout("20", "--timeout", &ms, &err), 0);
    assert_int_equal(ms, 20000);
    assert_int_equal(value_timeout("0.1", "--timeout", &ms, &err), 0);
    assert_int_equal(ms, 100);
    assert_int_equal(value_timeout("2.505", "--timeout", &ms, &err), 0);
    assert_int_equal(ms, 2505);
    assert_int_equal(value_timeout("600", "--timeout", &ms, &err), 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(value_timeout(bad[i], "--timeout", &ms, &err), &err, bad[i],
                "--timeout: expected seconds from 0.1 to 600");
    assert_int_equal(value_bool("Yes", "prewarm", &b, &err), 0);
    assert_int_equal(b, 1);
    assert_int_equal(value_bool("OFF", "prewarm", &b, &err), 0);
    assert_int_equal(b, 0);
    refused(value_bool("maybe", "prewarm", &b, &err), &err, "maybe",
            "prewarm: expected true or false");
}

static void
emails(void **state)
{
    struct bl_error err = {0};
    char *sent = NULL, *key = NULL;

    (void)state;
    assert_int_equal(value_email("  JohnDoe@Email.COM\t", "--email", &sent, &key, &err),
                     0);
    assert_string_equal(sent, "JohnDoe@Email.COM");
    assert_string_equal(key, "johndoe@email.com");
    free(sent);
    free(key);
    assert_int_equal(value_email("jos\xc3\xa9@ex.example", "--email", NULL, &key, &err),
                     0);
    assert_string_equal(key, "jos\xc3\xa9@ex.example");
    free(key);
    refused(value_email("", "--email", &sent, &key, &err), &err, "",
            "--email: expected an email address");
    refused(value_email(" \t ", "--email", &sent, &key, &err), &err, "",
            "--email: expected an email address");
    refused(value_email("not-an-email", "forget", &sent, &key, &err), &err,
            "not-an-email", "forget: expected an email address (with @)");
    refused(value_email("a@b\x1b[2J.c", "--email", &sent, &key, &err), &err, "a@b",
            "--email: expected an email address without control characters");
    refused(value_email("a@b\xc2\x9b.c", "--email", &sent, &key, &err), &err, "a@b",
            "--email: expected an email address without control characters");
    refused(value_email("a@b\x7f", "--email", &sent, &key, &err), &err, "a@b",
            "--email: expected an email address without control characters");
}

static void
dates(void **state)
{
    static const char *const bad[] = {
        "",           "2024-1-05",   "2024-01-5",  "20240105",   "2024-13-01",
        "2024-00-10", "2024-01-00",  "2023-02-29", "1900-02-29", "2024-04-31",
        "1899-12-31", "2024-01-05 ", "2024/01/05", "+024-01-05"};
    struct bl_error err = {0};
    struct value_date d = {0};

    (void)state;
    assert_int_equal(value_date("2024-02-29", "--from", &d, &err), 0);
    assert_int_equal(d.year, 2024);
    assert_int_equal(d.month, 2);
    assert_int_equal(d.day, 29);
    assert_int_equal(value_date("2000-02-29", "--from", &d, &err), 0);
    assert_int_equal(value_date("9999-12-31", "--to", &d, &err), 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(value_date(bad[i], "--to", &d, &err), -1);
        assert_non_null(strstr(err.message, "--to: expected a date as YYYY-MM-DD"));
        error_clear(&err);
    }
    assert_int_equal(d.year, 9999);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(environments), cmocka_unit_test(user_codes),
        cmocka_unit_test(app_keys),     cmocka_unit_test(timeouts_and_booleans),
        cmocka_unit_test(emails),       cmocka_unit_test(dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
