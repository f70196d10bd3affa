/* The login reply decoder, by SPEC's outcome rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "secmem.h"

#define DOC                                                                              \
    "[{\"_verify\":true,\"activation_date\":\"\\/Date(1550761010000-0500)\\/\","         \
    "\"customer_box_id\":811111,\"customer_first_name\":\"John\","                       \
    "\"customer_key\":\"YpbCNpzqxYqVWv+tzg4e4Ex6ALiT+DfKSYA3NY2dZcw=\","                 \
    "\"customer_last_name\":\"Doe\",\"enrolment_date\":\"\\/Date(1550761008000-0500)\\/" \
    "\","                                                                                \
    "\"error\":{\"error_description\":\"\",\"error_location\":\"\",\"system_error\":"    \
    "false},"                                                                            \
    "\"is_active\":true,\"is_business\":false,\"is_enable\":true,\"is_vip\":false}]"

static struct bl_session *
ok(const char *body)
{
    struct bl_session *s = NULL;
    struct bl_error err = {0};

    assert_int_equal(decode_login_reply(200, body, strlen(body), NULL, &s, &err), 0);
    assert_non_null(s);
    assert_int_equal(err.kind, BL_OK);
    return s;
}

static void
fails(long status, const char *body, enum bl_kind kind, const char *in_message)
{
    struct bl_session *s = NULL;
    struct bl_error err = {0};

    assert_int_equal(decode_login_reply(status, body, strlen(body), NULL, &s, &err), -1);
    assert_null(s);
    assert_int_equal(err.kind, kind);
    assert_int_equal(err.http_status, status);
    assert_non_null(strstr(err.message, in_message));
    error_clear(&err);
}

static void
documented_reply(void **state)
{
    struct bl_session *s = ok(DOC);

    (void)state;
    assert_string_equal(s->name, "John Doe");
    assert_string_equal(s->first_name, "John");
    assert_string_equal(s->last_name, "Doe");
    assert_int_equal(s->box_id, 811111);
    assert_string_equal(s->customer_key, "YpbCNpzqxYqVWv+tzg4e4Ex6ALiT+DfKSYA3NY2dZcw=");
    assert_int_equal(s->active, FLAG_YES);
    assert_int_equal(s->vip, FLAG_NO);
    assert_int_equal(s->business, FLAG_NO);
    assert_int_equal(s->enabled, FLAG_YES);
    assert_int_equal(s->verified, FLAG_YES);
    assert_string_equal(s->enrolment_date, "2019-02-21T09:56:48-05:00");
    assert_string_equal(s->activation_date, "2019-02-21T09:56:50-05:00");
    session_free(s);
}

static void
top_level_object_and_whitespace(void **state)
{
    struct bl_session *s =
        ok("  {\"_verify\":1,\"customer_key\":\"k\",\"customer_box_id\":\"42\"}\r\n");

    (void)state;
    assert_int_equal(s->box_id, 42);
    assert_null(s->name);
    assert_int_equal(s->active, FLAG_UNKNOWN);
    assert_string_equal(s->enrolment_date, "");
    session_free(s);
}

static void
flags_are_tri_state(void **state)
{
    struct bl_session *s =
        ok("[{\"_verify\":true,\"customer_key\":\"k\",\"customer_box_id\":1,"
           "\"is_active\":0,\"is_vip\":1,\"is_business\":\"true\","
           "\"is_enable\":null}]");

    (void)state;
    assert_int_equal(s->active, FLAG_NO);
    assert_int_equal(s->vip, FLAG_YES);
    assert_int_equal(s->business, FLAG_UNKNOWN);
    assert_int_equal(s->enabled, FLAG_UNKNOWN);
    session_free(s);
}

static void
box_id_limits(void **state)
{
    struct bl_session *s;

    (void)state;
    s = ok("[{\"_verify\":true,\"customer_key\":\"k\",\"customer_box_id\":"
           "9007199254740991}]");
    assert_true(s->box_id == 9007199254740991ULL);
    session_free(s);
    s = ok("[{\"_verify\":true,\"customer_key\":\"k\",\"customer_box_id\":"
           "\"9007199254740991\"}]");
    assert_true(s->box_id == 9007199254740991ULL);
    session_free(s);
    static const char *const bad[] = {"0",
                                      "-1",
                                      "1.5",
                                      "9007199254740992",
                                      "1e400",
                                      "\"\"",
                                      "\"12a\"",
                                      "\"-1\"",
                                      "\"0\"",
                                      "\"9007199254740992\"",
                                      "\"99999999999999999\"",
                                      "null",
                                      "true",
                                      "[1]"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char body[200];

        snprintf(body, sizeof body,
                 "[{\"_verify\":true,\"customer_key\":\"k\",\"customer_box_id\":%s}]",
                 bad[i]);
        fails(200, body, BL_SERVER, "box ID");
    }
}

static void
names_are_sanitised(void **state)
{
    struct bl_session *s =
        ok("[{\"_verify\":true,\"customer_key\":\"k\",\"customer_box_id\":1,"
           "\"customer_first_name\":\"A\\u001b[2Jb\\u0007\","
           "\"customer_last_name\":\"\\u009b31mC\\u0000hidden\"}]");

    (void)state;
    assert_string_equal(s->first_name, "Ab");
    assert_string_equal(s->last_name, "C");
    assert_string_equal(s->name, "Ab C");
    session_free(s);
}

static void
outcome_order(void **state)
{
    (void)state;
    /* 2: status, JSON, shape */
    fails(500, DOC, BL_SERVER, "HTTP 500");
    fails(302, "", BL_SERVER, "HTTP 302");
    fails(200, "<html>", BL_SERVER, "not JSON");
    fails(200, "", BL_SERVER, "not JSON");
    fails(200, "[] x", BL_SERVER, "not JSON");
    fails(200, "[]", BL_SERVER, "empty list");
    fails(200, "[42]", BL_SERVER, "not a login record");
    fails(200, "\"x\"", BL_SERVER, "not a login record");
    /* 3: system_error beats _verify */
    fails(200,
          "[{\"_verify\":true,\"customer_key\":\"k\",\"customer_box_id\":1,"
          "\"error\":{\"system_error\":true,\"error_description\":\"DB down\","
          "\"error_location\":\"Login\"}}]",
          BL_SERVER, "DB down (at Login)");
    /* 4: _verify not true */
    fails(200, "[{\"_verify\":false,\"error\":{\"error_description\":\"Bad password\"}}]",
          BL_REJECTED, "Bad password");
    fails(200, "[{\"_verify\":false,\"error\":{\"error_description\":\"\"}}]",
          BL_REJECTED, "Invalid email or password");
    fails(200, "[{\"customer_key\":\"k\",\"customer_box_id\":1}]", BL_REJECTED,
          "Invalid email or password");
    fails(200, "[{\"_verify\":\"true\",\"customer_key\":\"k\",\"customer_box_id\":1}]",
          BL_REJECTED, "Invalid email or password");
    /* 5: a session needs a key and a box ID */
    fails(200, "[{\"_verify\":true,\"customer_key\":\"\",\"customer_box_id\":1}]",
          BL_SERVER, "no customer key");
    fails(200, "[{\"_verify\":true,\"customer_key\":7,\"customer_box_id\":1}]", BL_SERVER,
          "no customer key");
    fails(200, "[{\"_verify\":true,\"customer_key\":\"k\"}]", BL_SERVER, "box ID");
}

static void
server_error_strings_are_kept(void **state)
{
    const char *body =
        "[{\"_verify\":false,\"error\":{\"system_error\":true,"
        "\"error_description\":\"DB\\u001b[31m down\",\"error_location\":\"X\"}}]";
    struct bl_session *s = NULL;
    struct bl_error err = {0};

    (void)state;
    assert_int_equal(decode_login_reply(200, body, strlen(body), NULL, &s, &err), -1);
    assert_string_equal(err.server_description, "DB down");
    assert_string_equal(err.server_location, "X");
    error_clear(&err);
}

static void
customer_key_form(void **state)
{
    static const char *const bad[] = {
        "a b",        "\\u001b[31m", "ab\\u009bcd", "ab\\u202ecd", "\\u00e9t\\u00e9",
        "key\\u007f", "key\\t",      "key\\n",
    };
    char key[520], body[700];
    struct bl_session *s;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(body, sizeof body,
                 "[{\"_verify\":true,\"customer_key\":\"%s\",\"customer_box_id\":1}]",
                 bad[i]);
        fails(200, body, BL_SERVER, "malformed customer key");
    }
    memset(key, 'k', 513);
    key[513] = '\0';
    snprintf(body, sizeof body,
             "[{\"_verify\":true,\"customer_key\":\"%s\",\"customer_box_id\":1}]", key);
    fails(200, body, BL_SERVER, "malformed customer key");
    /* 512 characters of every printable ASCII character but the space are fine. */
    for (int i = 0; i < 512; i++)
        key[i] = (char)(0x21 + i % 94);
    key[512] = '\0';
    snprintf(body, sizeof body, "{\"_verify\":true,\"customer_key\":\"");
    for (int i = 0, n = (int)strlen(body); i < 512; i++) {
        if (key[i] == '"' || key[i] == '\\')
            body[n++] = '\\';
        body[n++] = key[i];
        body[n] = '\0';
    }
    strcat(body, "\",\"customer_box_id\":1}");
    s = ok(body);
    assert_string_equal(s->customer_key, key);
    session_free(s);
}

static void
deep_nesting_is_not_json(void **state)
{
    static char body[200001];

    (void)state;
    memset(body, '[', 100000);
    memset(body + 100000, ']', 100000);
    fails(200, body, BL_SERVER, "not JSON");
}

#define WITH_EMAIL(e)                                                                    \
    "[{\"_verify\":true,\"customer_box_id\":999,\"customer_key\":\"MALLORYKEY\","        \
    "\"customer_email\":" e "}]"

/* A reply that names another customer's email is about that customer: nothing of it
 * is used. The same email trimmed and in other case is the one asked for. */
static void
a_reply_for_another_customer_is_a_server_error(void **state)
{
    static const char *const same[] = {WITH_EMAIL("\" JohnDoe@Email.COM \""),
                                       WITH_EMAIL("\"\""), WITH_EMAIL("null"),
                                       WITH_EMAIL("7")};
    const char *other = WITH_EMAIL("\"mallory@evil.example\"");
    struct bl_session *s = NULL;
    struct bl_error err = {0};

    (void)state;
    assert_int_equal(
        decode_login_reply(200, other, strlen(other), "johndoe@email.com", &s, &err), -1);
    assert_null(s);
    assert_int_equal(err.kind, BL_SERVER);
    assert_int_equal(err.http_status, 200);
    assert_non_null(strstr(err.message, "mallory@evil.example"));
    error_clear(&err);
    assert_int_equal(decode_partner_reply(200, other, strlen(other), " JohnDoe@email.com",
                                          396, &s, &err),
                     -1);
    assert_null(s);
    assert_int_equal(err.kind, BL_SERVER);
    error_clear(&err);
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        assert_int_equal(decode_partner_reply(200, same[i], strlen(same[i]),
                                              "johndoe@email.com", 396, &s, &err),
                         0);
        assert_int_equal(s->box_id, 999);
        session_free(s);
        s = NULL;
    }
    assert_int_equal(decode_check_email(200, "A@B.C ", "a@b.c", &err), 0);
    assert_int_equal(decode_check_email(200, NULL, "a@b.c", &err), 0);
    assert_int_equal(decode_check_email(200, "x\033[2J@b.c", "a@b.c", &err), -1);
    assert_null(strchr(err.message, '\033'));
    error_clear(&err);
}

#define REFUSED(d)                                                                       \
    "[{\"_verify\":false,\"error\":{\"error_description\":\"" d "\","                    \
    "\"error_location\":\"\",\"system_error\":false}}]"

static void
partner_refused(long status, const char *body, const char *in_message,
                const char *not_in_message)
{
    struct bl_session *s = NULL;
    struct bl_error err = {0};

    assert_int_equal(
        decode_partner_reply(status, body, strlen(body), "Who@X.Y", 396, &s, &err), -1);
    assert_null(s);
    assert_int_equal(err.kind, BL_REJECTED);
    assert_int_equal(err.http_status, status);
    if (strstr(err.message, in_message) == NULL || strstr(err.message, not_in_message))
        fail_msg("'%s' should say '%s', not '%s'", err.message, in_message,
                 not_in_message);
    error_clear(&err);
}

/* No such customer is not a credentials problem: the reply's status and words tell. */
static void
partner_refusals_say_which(void **state)
{
    const char *creds = "may not look customers up", *none = "No customer who@x.y";

    (void)state;
    partner_refused(200, REFUSED("The email is not registered"), none, creds);
    partner_refused(200, REFUSED(""),
                    "No customer who@x.y (or not one these credentials may see)", creds);
    partner_refused(200, REFUSED("User is not authorized to use this method"), creds,
                    none);
    partner_refused(200, REFUSED("Usuario no autorizado"), creds, none);
    partner_refused(200, REFUSED("Invalid app_key"), creds, none);
    partner_refused(403, REFUSED("The email is not registered"), creds, none);
    partner_refused(401, "<html>Unauthorized</html>", creds, none);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(documented_reply),
        cmocka_unit_test(top_level_object_and_whitespace),
        cmocka_unit_test(flags_are_tri_state),
        cmocka_unit_test(box_id_limits),
        cmocka_unit_test(names_are_sanitised),
        cmocka_unit_test(outcome_order),
        cmocka_unit_test(server_error_strings_are_kept),
        cmocka_unit_test(customer_key_form),
        cmocka_unit_test(deep_nesting_is_not_json),
        cmocka_unit_test(a_reply_for_another_customer_is_a_server_error),
        cmocka_unit_test(partner_refusals_say_which),
    };
    secmem_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
