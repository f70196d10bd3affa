/* The pure parts of a change: the plan, the verification, outcomes and exit statuses,
 * the --json object, the password rules and the generated password, the write's reply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "secmem.h"

static struct account_profile
profile(const char *email, enum bl_flag vip, enum bl_flag business)
{
    struct account_profile p;

    memset(&p, 0, sizeof p);
    p.email = (char *)email;
    p.vip = vip;
    p.business = business;
    return p;
}

static void
a_type_change_plans_only_the_flags_that_change(void **state)
{
    struct account_profile p = profile("a@b.c", FLAG_NO, FLAG_YES);
    struct change_request rq = {.kind = CHANGE_TYPE, .vip = 1, .business = 1};
    struct change_plan plan;
    struct bl_error err = {0};

    (void)state;
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), 0);
    assert_int_equal(plan.n, 1);
    assert_string_equal(plan.fields[0].name, "vip");
    assert_string_equal(plan.fields[0].before, "false");
    assert_string_equal(plan.fields[0].after, "true");
    change_plan_clear(&plan);

    rq.vip = 0;
    rq.business = CHANGE_FLAG_KEEP;
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), 0);
    assert_int_equal(plan.n, 0);
    change_plan_clear(&plan);

    /* An unknown current value is always sent. */
    p.business = FLAG_UNKNOWN;
    rq.business = 1;
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), 0);
    assert_int_equal(plan.n, 1);
    assert_string_equal(plan.fields[0].name, "business");
    assert_null(plan.fields[0].before);
    change_plan_clear(&plan);
}

static void
an_email_change_to_the_same_email_is_nothing(void **state)
{
    struct account_profile p = profile("a@b.c", FLAG_NO, FLAG_NO);
    struct change_request rq = {.kind = CHANGE_EMAIL, .new_email = (char *)"a@b.c"};
    struct change_plan plan;
    struct bl_error err = {0};

    (void)state;
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), 0);
    assert_int_equal(plan.n, 0);
    rq.new_email = (char *)"x@y.z";
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), 0);
    assert_int_equal(plan.n, 1);
    assert_string_equal(plan.fields[0].before, "a@b.c");
    assert_string_equal(plan.fields[0].after, "x@y.z");
    change_plan_clear(&plan);
}

static void
verification_trims_ignores_email_case_and_compares_flags_exactly(void **state)
{
    struct account_profile before = profile("a@b.c", FLAG_NO, FLAG_NO);
    struct change_request rq = {.kind = CHANGE_EMAIL, .new_email = (char *)"x@y.z"};
    struct change_plan plan;
    struct bl_error err = {0};
    struct account_profile after = profile(" X@Y.Z ", FLAG_NO, FLAG_NO);

    (void)state;
    assert_int_equal(change_plan_make(&rq, &before, &plan, &err), 0);
    assert_int_equal(change_verify(&plan, &after), 1);
    after.email = (char *)"a@b.c";
    assert_int_equal(change_verify(&plan, &after), 0);
    change_plan_clear(&plan);

    rq = (struct change_request){.kind = CHANGE_TYPE, .vip = 1, .business = -1};
    assert_int_equal(change_plan_make(&rq, &before, &plan, &err), 0);
    after.vip = FLAG_UNKNOWN;
    assert_int_equal(change_verify(&plan, &after), 0);
    after.vip = FLAG_YES;
    assert_int_equal(change_verify(&plan, &after), 1);
    change_plan_clear(&plan);
}

static void
outcomes_have_their_words_and_exit_statuses(void **state)
{
    (void)state;
    assert_string_equal(change_outcome_name(CHANGE_NOT_APPLIED), "not-applied");
    assert_string_equal(change_outcome_name(CHANGE_DRY_RUN), "dry-run");
    assert_int_equal(change_exit_status(CHANGE_APPLIED), 0);
    assert_int_equal(change_exit_status(CHANGE_NOTHING), 0);
    assert_int_equal(change_exit_status(CHANGE_DRY_RUN), 0);
    assert_int_equal(change_exit_status(CHANGE_REJECTED), 1);
    assert_int_equal(change_exit_status(CHANGE_UNKNOWN), 4);
    assert_int_equal(change_exit_status(CHANGE_NOT_APPLIED), 4);
}

static void
the_json_object_keeps_spec_order(void **state)
{
    struct account_profile p = profile("johndoe@email.com", FLAG_NO, FLAG_NO);
    struct change_request rq = {.kind = CHANGE_EMAIL, .new_email = (char *)"john@new.example"};
    struct change_plan plan;
    struct bl_error err = {0};
    struct change_report r = {.env = ENV_TEST, .email = "johndoe@email.com",
                              .box_id = 811111, .plan = &plan, .outcome = CHANGE_APPLIED,
                              .verified = 1, .key_stored = 1};
    char *json;

    (void)state;
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), 0);
    json = change_json(&r);
    assert_string_equal(
        json, "{\"environment\":\"test\",\"email\":\"johndoe@email.com\",\"box_id\":811111,"
              "\"change\":\"email\",\"fields\":[{\"field\":\"email\",\"before\":"
              "\"johndoe@email.com\",\"after\":\"john@new.example\"}],\"outcome\":\"applied\","
              "\"verified\":true,\"message\":null,\"key_stored\":true}\n");
    free(json);
    change_plan_clear(&plan);

    rq = (struct change_request){.kind = CHANGE_PASSWORD};
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), 0);
    r.new_password = "abcDEF234567";
    r.outcome = CHANGE_UNKNOWN;
    r.verified = -1;
    r.message = "lost";
    r.key_stored = 0;
    json = change_json(&r);
    assert_non_null(strstr(json, "\"fields\":[{\"field\":\"password\",\"before\":null,"
                                 "\"after\":null}],\"new_password\":\"abcDEF234567\","
                                 "\"outcome\":\"unknown\",\"verified\":null,"
                                 "\"message\":\"lost\",\"key_stored\":false}"));
    free(json);
    change_plan_clear(&plan);
}

static int
check(const char *pw)
{
    struct bl_error err = {0};
    int rc = change_password_check(pw, strlen(pw), "a@b.example", &err);

    error_clear(&err);
    return rc;
}

static void
password_rules(void **state)
{
    (void)state;
    assert_int_equal(check("pass12345"), 0);
    assert_int_equal(check("contraseña"), 0);
    assert_int_equal(check("1234567"), -1);                /* 7 characters */
    assert_int_equal(check("ñññññññ"), -1);                /* 7 characters, 14 bytes */
    assert_int_equal(check("ñññññññññññññññññññññññññññññññññññññññññññññññññññññññññññññññ"),
                     0); /* 64 */
    assert_int_equal(
        check("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), -1); /* 65 */
    assert_int_equal(check("pass\t12345"), -1);
    assert_int_equal(check("pass\x7f" "12345"), -1);
    assert_int_equal(check("pass\xc2\x9b" "12345"), -1); /* C1 */
    assert_int_equal(check("pass\xff" "12345"), -1);     /* not UTF-8 */
    assert_int_equal(check("          "), -1);
    assert_int_equal(check("A@B.Example"), -1);
}

static void
generated_passwords_use_the_alphabet_and_hold_a_digit(void **state)
{
    struct bl_error err = {0};

    (void)state;
    for (int i = 0; i < 200; i++) {
        char *pw = NULL;
        int digit = 0;

        assert_int_equal(change_password_generate(&pw, &err), 0);
        assert_int_equal(strlen(pw), CHANGE_GENERATED_LEN);
        for (const char *c = pw; *c; c++) {
            assert_non_null(strchr(change_alphabet, *c));
            assert_null(strchr("0O1lI", *c));
            digit |= *c >= '0' && *c <= '9';
        }
        assert_true(digit);
        assert_int_equal(check(pw), 0);
        secmem_free(pw);
    }
}

static int
decode(enum change_kind k, const char *body, char **key, struct bl_error *err)
{
    return change_reply_decode(k, 200, body, strlen(body), "new@mail.com", key, err);
}

static void
write_replies_are_a_yes_a_no_or_unknown(void **state)
{
    struct bl_error err = {0};
    char *key = NULL;

    (void)state;
    assert_int_equal(decode(CHANGE_TYPE, "[{\"_verify\":true,\"is_vip\":true}]", NULL, &err),
                     0);
    assert_int_equal(decode(CHANGE_TYPE,
                            "[{\"_verify\":false,\"error\":{\"error_description\":"
                            "\"The email is already registered\"}}]",
                            NULL, &err),
                     -1);
    assert_int_equal(err.kind, BL_REJECTED);
    assert_string_equal(err.message, "The email is already registered");
    error_clear(&err);
    assert_int_equal(decode(CHANGE_TYPE, "not json", NULL, &err), -1);
    assert_int_equal(err.kind, BL_SERVER);
    error_clear(&err);
    /* Neither yes nor no: the change may have been made, so it is read back (unknown),
     * never called refused. */
    assert_int_equal(decode(CHANGE_TYPE, "[{\"is_vip\":true}]", NULL, &err), -1);
    assert_int_equal(err.kind, BL_SERVER);
    error_clear(&err);
    assert_int_equal(decode(CHANGE_TYPE, "[{\"_verify\":\"maybe\"}]", NULL, &err), -1);
    assert_int_equal(err.kind, BL_SERVER);
    error_clear(&err);

    assert_int_equal(decode(CHANGE_EMAIL,
                            "[{\"_verify\":true,\"customer_email\":\"NEW@MAIL.COM\","
                            "\"customer_key\":\"YFC4PGUafmTiBu3g8YjSOVZrnNyKaUHZReHlhy9AFDg=\"}]",
                            &key, &err),
                     0);
    assert_string_equal(key, "YFC4PGUafmTiBu3g8YjSOVZrnNyKaUHZReHlhy9AFDg=");
    secmem_free(key);
    /* Another email, or no valid key: unknown, never a key. */
    assert_int_equal(decode(CHANGE_EMAIL,
                            "[{\"_verify\":true,\"customer_email\":\"other@mail.com\","
                            "\"customer_key\":\"K\"}]",
                            &key, &err),
                     -1);
    assert_int_equal(err.kind, BL_SERVER);
    assert_null(key);
    error_clear(&err);
    assert_int_equal(decode(CHANGE_EMAIL,
                            "[{\"_verify\":true,\"customer_email\":\"new@mail.com\","
                            "\"customer_key\":\"a b\"}]",
                            &key, &err),
                     -1);
    assert_int_equal(err.kind, BL_SERVER);
    assert_null(key);
    error_clear(&err);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_type_change_plans_only_the_flags_that_change),
        cmocka_unit_test(an_email_change_to_the_same_email_is_nothing),
        cmocka_unit_test(verification_trims_ignores_email_case_and_compares_flags_exactly),
        cmocka_unit_test(outcomes_have_their_words_and_exit_statuses),
        cmocka_unit_test(the_json_object_keeps_spec_order),
        cmocka_unit_test(password_rules),
        cmocka_unit_test(generated_passwords_use_the_alphabet_and_hold_a_digit),
        cmocka_unit_test(write_replies_are_a_yes_a_no_or_unknown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
