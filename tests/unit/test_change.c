/* The pure parts of a change: the plan, the verification, outcomes and exit statuses,
 * the --json object, the password rules and the generated password, the write's reply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "change_flow.h"
#include "places.h"
#include "value.h"
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
    struct change_request rq = {.kind = CHANGE_EMAIL,
                                .new_email = (char *)"john@new.example"};
    struct change_plan plan;
    struct bl_error err = {0};
    struct change_report r = {.env = ENV_TEST,
                              .email = "johndoe@email.com",
                              .box_id = 811111,
                              .plan = &plan,
                              .outcome = CHANGE_APPLIED,
                              .verified = 1,
                              .key_stored = 1};
    char *json;

    (void)state;
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), 0);
    json = change_json(&r);
    assert_string_equal(
        json,
        "{\"environment\":\"test\",\"email\":\"johndoe@email.com\",\"box_id\":811111,"
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
    assert_int_equal(check("1234567"), -1); /* 7 characters */
    assert_int_equal(check("ñññññññ"), -1); /* 7 characters, 14 bytes */
    assert_int_equal(
        check("ñññññññññññññññññññññññññññññññññññññññññññññññññññññññññññññññ"),
        0); /* 64 */
    assert_int_equal(
        check("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        -1); /* 65 */
    assert_int_equal(check("pass\t12345"), -1);
    assert_int_equal(check("pass\x7f"
                           "12345"),
                     -1);
    assert_int_equal(check("pass\xc2\x9b"
                           "12345"),
                     -1); /* C1 */
    assert_int_equal(check("pass\xff"
                           "12345"),
                     -1); /* not UTF-8 */
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
    assert_int_equal(
        decode(CHANGE_TYPE, "[{\"_verify\":true,\"is_vip\":true}]", NULL, &err), 0);
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
    /* An address change: a no inside a yes is not a yes; inside a no, its words. */
    assert_int_equal(decode(CHANGE_ADDRESS,
                            "[{\"_verify\":true,\"customer_phone\":[{\"_verify\":true},"
                            "{\"_verify\":false,\"error\":{\"error_description\":\"Bad "
                            "area\"}}]}]",
                            NULL, &err),
                     -1);
    assert_int_equal(err.kind, BL_SERVER);
    assert_non_null(strstr(err.message, "Bad area"));
    error_clear(&err);
    assert_int_equal(decode(CHANGE_ADDRESS,
                            "[{\"_verify\":false,\"customer_address\":{\"_verify\":false,"
                            "\"error\":{\"error_description\":\"No city\"}}}]",
                            NULL, &err),
                     -1);
    assert_int_equal(err.kind, BL_REJECTED);
    assert_string_equal(err.message, "No city");
    error_clear(&err);
    assert_int_equal(
        decode(CHANGE_ADDRESS,
               "[{\"_verify\":true,\"customer_phone\":[{\"_verify\":true}]}]", NULL,
               &err),
        0);

    assert_int_equal(
        decode(CHANGE_EMAIL,
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

static void
phones_and_details_are_checked(void **state)
{
    struct change_phone ph;
    struct bl_error err = {0};
    char *out = NULL;
    static const char *const bad[] = {"57 3001234567",
                                      "+57",
                                      "+57 30",
                                      "+12345 3001234",
                                      "+57 3001234567 x",
                                      "+57 300 1234567",
                                      "+57 3001234567 x1234567",
                                      ""};

    (void)state;
    assert_int_equal(change_phone_parse(" +57 3001234567 x12 ", "--home", &ph, &err), 0);
    assert_int_equal(ph.ask, CHANGE_PHONE_SET);
    assert_string_equal(ph.area, "57");
    assert_string_equal(ph.number, "3001234567");
    assert_string_equal(ph.extension, "12");
    free(ph.area);
    free(ph.number);
    free(ph.extension);
    assert_int_equal(change_phone_parse("+1 1234567", "--home", &ph, &err), 0);
    assert_null(ph.extension);
    free(ph.area);
    free(ph.number);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(change_phone_parse(bad[i], "--mobile", &ph, &err), -1);
        assert_int_equal(err.kind, BL_USAGE);
        assert_null(ph.area);
        error_clear(&err);
    }
    assert_int_equal(change_tax_number_check("123456789012345", "t", &out, &err), 0);
    free(out);
    assert_int_equal(change_tax_number_check("0", "t", &out, &err), -1);
    error_clear(&err);
    assert_int_equal(change_tax_number_check("1234567890123456", "t", &out, &err), -1);
    error_clear(&err);
    assert_int_equal(change_birth_date_check("2000-02-29", "b", &out, &err), 0);
    free(out);
    assert_int_equal(change_birth_date_check("1900-02-29", "b", &out, &err), -1);
    error_clear(&err);
    /* Before 1900 and after today: the range is what is wrong, not the calendar. */
    assert_int_equal(change_birth_date_check("1899-05-05", "b", &out, &err), -1);
    assert_non_null(strstr(err.message, "1900-01-01 to today"));
    error_clear(&err);
    {
        struct value_date t = value_date_add(value_date_today(), 1);
        char tomorrow[11];

        value_date_format(&t, tomorrow);
        assert_int_equal(change_birth_date_check(tomorrow, "b", &out, &err), -1);
        assert_non_null(strstr(err.message, "1900-01-01 to today"));
        error_clear(&err);
        t = value_date_today();
        value_date_format(&t, tomorrow);
        assert_int_equal(change_birth_date_check(tomorrow, "b", &out, &err), 0);
        free(out);
    }
    /* Text that is not UTF-8 says so. */
    assert_int_equal(change_text_check("Bogot\xe1", "--city", &out, &err), -1);
    assert_string_equal(err.message, "--city is not valid UTF-8");
    error_clear(&err);
    assert_int_equal(change_gender_check("f", "g", &out, &err), 0);
    assert_string_equal(out, "F");
    free(out);
    assert_int_equal(change_gender_check("Female", "g", &out, &err), -1);
    error_clear(&err);
}

/* A profile with one address whose own phone is the home one, and a mobile. */
static struct account_profile
with_address(struct account_address *a, struct account_phone ph[2])
{
    struct account_profile p = profile("a@b.c", FLAG_NO, FLAG_NO);

    memset(a, 0, sizeof *a);
    a->line1 = "1 Main St";
    a->zip = "998877";
    a->city = "Calvillo";
    a->city_code = 95411;
    a->phone_area = "+1";
    a->phone_number = "123";
    a->phone_extension = "9";
    /* As the server sent them: what a change writes back. */
    a->raw_line1 = "1 Main St";
    a->raw_zip = "998877";
    a->raw_city = "Calvillo";
    a->raw_phone_area = "+1";
    a->raw_phone_number = "123";
    a->raw_phone_extension = "9";
    ph[0] = (struct account_phone){.type = PHONE_HOME,
                                   .type_number = 1,
                                   .area = "+1",
                                   .digits = "123",
                                   .extension = "9",
                                   .raw_area = "+1",
                                   .raw_digits = "123",
                                   .raw_extension = "9"};
    ph[1] = (struct account_phone){.type = PHONE_MOBILE,
                                   .type_number = 2,
                                   .area = "1",
                                   .digits = "456",
                                   .raw_area = "1",
                                   .raw_digits = "456"};
    p.addresses_known = p.phones_known = 1;
    p.n_addresses = 1;
    p.addresses = a;
    p.n_phones = 2;
    p.phones = ph;
    return p;
}

static void
an_address_change_carries_every_phone(void **state)
{
    struct account_address a;
    struct account_phone ph[2];
    struct account_profile p = with_address(&a, ph);
    struct change_request rq = {.kind = CHANGE_ADDRESS, .zip = "110221"};
    struct change_plan plan;
    struct api_request w;
    struct bl_error err = {0};

    (void)state;
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), 0);
    assert_int_equal(plan.n, 1);
    w = change_write_request(&rq, &plan, 1, "k", "a@b.c");
    assert_int_equal(w.call, API_ADDRESS);
    assert_int_equal(w.address->city_code, 95411);
    assert_string_equal(w.address->city_name, "Calvillo");
    assert_string_equal(w.address->zip_code, "110221");
    assert_string_equal(w.address->address_01, "1 Main St");
    assert_string_equal(w.address->phone_area, "1");
    assert_string_equal(w.address->neighborhood, ""); /* unknown: sent as "" */
    assert_int_equal(w.phone_count, 2);
    assert_string_equal(w.phones[0].area_code, "1");
    assert_int_equal(w.phones[0].type, 1);
    assert_string_equal(w.phones[1].number, "456");
    assert_int_equal(w.phones[1].type, 2);
    change_plan_clear(&plan);

    /* --mobile replaces the mobile; the address keeps its (home) phone. */
    rq = (struct change_request){.kind = CHANGE_ADDRESS,
                                 .mobile = {CHANGE_PHONE_SET, "57", "300", NULL}};
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), 0);
    assert_int_equal(plan.n, 1);
    assert_string_equal(plan.fields[0].before, "+1 456");
    assert_string_equal(plan.fields[0].after, "+57 300");
    w = change_write_request(&rq, &plan, 1, "k", "a@b.c");
    assert_int_equal(w.phone_count, 2);
    assert_string_equal(w.phones[1].number, "300");
    assert_string_equal(w.address->phone_number, "123");
    /* Verified ignoring a leading '+'. */
    ph[1].area = ph[1].raw_area = "+57";
    ph[1].digits = ph[1].raw_digits = "300";
    assert_int_equal(change_verify(&plan, &p), 1);
    /* Each phone sent must be there once: twice, or with another type, is not it. */
    ph[0].digits = ph[0].raw_digits = "300";
    ph[0].area = ph[0].raw_area = "57";
    ph[0].extension = ph[0].raw_extension = NULL;
    assert_int_equal(change_verify(&plan, &p), 0);
    ph[0] = (struct account_phone){.type = PHONE_HOME,
                                   .type_number = 1,
                                   .area = "+1",
                                   .digits = "123",
                                   .extension = "9",
                                   .raw_area = "+1",
                                   .raw_digits = "123",
                                   .raw_extension = "9"};
    ph[1].type_number = 1;
    assert_int_equal(change_verify(&plan, &p), 0);
    ph[1].type_number = 2;
    /* An unchanged value of the address that moved is not it either. */
    a.raw_line1 = "2 Main St";
    assert_int_equal(change_verify(&plan, &p), 0);
    a.raw_line1 = "1 Main St";
    assert_int_equal(change_verify(&plan, &p), 1);
    ph[1].digits = ph[1].raw_digits = "456";
    assert_int_equal(change_verify(&plan, &p), 0);
    change_plan_clear(&plan);

    /* Carried values go back as the server has them, not as they are shown. */
    a.raw_line1 = "1 Main St\r\nRear";
    rq = (struct change_request){.kind = CHANGE_ADDRESS, .zip = "1"};
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), 0);
    w = change_write_request(&rq, &plan, 1, "k", "a@b.c");
    assert_string_equal(w.address->address_01, "1 Main St\r\nRear");
    change_plan_clear(&plan);
    /* ...and what cannot be (not UTF-8, or cut at a NUL) is refused. */
    a.raw_line1 = "Bogot\xe1";
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), -1);
    assert_int_equal(err.kind, BL_SERVER);
    error_clear(&err);
    rq.line1 = "2 Main St"; /* replaced: not carried */
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), 0);
    change_plan_clear(&plan);
    a.raw_line1 = "1 Main St";
    p.text_nul = 1;
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), -1);
    assert_int_equal(err.kind, BL_SERVER);
    error_clear(&err);
    p.text_nul = 0;
    p.phones_unread = 1;
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), -1);
    assert_int_equal(err.kind, BL_SERVER);
    error_clear(&err);
    p.phones_unread = 0;
    ph[1].digits = NULL;
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), -1);
    assert_int_equal(err.kind, BL_SERVER);
    error_clear(&err);
    ph[1].digits = "300";

    /* The address's own phone cannot be removed; a phone without a type cannot be
       carried; no address at all is a usage error. */
    rq = (struct change_request){.kind = CHANGE_ADDRESS,
                                 .home = {.ask = CHANGE_PHONE_REMOVE}};
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), -1);
    assert_int_equal(err.kind, BL_USAGE);
    error_clear(&err);
    rq = (struct change_request){.kind = CHANGE_ADDRESS, .zip = "1"};
    ph[1].type = PHONE_UNKNOWN;
    ph[1].type_number = -1;
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), -1);
    assert_int_equal(err.kind, BL_SERVER);
    error_clear(&err);
    p.n_addresses = 0;
    assert_int_equal(change_plan_make(&rq, &p, &plan, &err), -1);
    assert_int_equal(err.kind, BL_USAGE);
    error_clear(&err);
}

static void
places_are_found_ignoring_case_and_accents(void **state)
{
    static const char reply[] =
        "[{\"_verify\":true,\"city_code\":1,\"city_name\":\"Bogot\xc3\xa1\"},"
        "{\"_verify\":true,\"city_code\":2,\"city_name\":\"Bogot\xc3\xa1 Rural\"},"
        "{\"_verify\":true,\"city_code\":3,\"city_name\":\"San Juanito\"},"
        "{\"_verify\":true,\"city_code\":4,\"city_name\":\"San Juan de Rioseco\"},"
        "{\"_verify\":true,\"city_code\":\"x\",\"city_name\":\"Skipped\"}]";
    struct place_list *l = NULL;
    const struct place *one, *cands[PLACES_CANDIDATES];
    struct bl_error err = {0};
    size_t n;

    (void)state;
    assert_int_equal(places_decode(API_CITIES, 200, reply, strlen(reply), &l, &err), 0);
    assert_int_equal(l->n, 4);
    assert_int_equal(l->skipped, 1);
    assert_int_equal(places_find(l, " BOGOTA ", 0, &one, cands, &n), PLACES_ONE);
    assert_int_equal(one->code, 1);
    assert_int_equal(places_find(l, "bogota r", 0, &one, cands, &n), PLACES_ONE);
    assert_int_equal(one->code, 2);
    assert_int_equal(places_find(l, "san juan", 0, &one, cands, &n), PLACES_SEVERAL);
    assert_int_equal(n, 2);
    assert_int_equal(places_find(l, "juan", 0, &one, cands, &n), PLACES_NONE);
    assert_int_equal(n, 2); /* those that contain it */
    assert_int_equal(places_find(l, "Bogata", 0, &one, cands, &n), PLACES_NONE);
    assert_int_equal(cands[0]->code, 1); /* the nearest first */
    assert_int_equal(places_match(l, "san juan", "Cundinamarca", &one, &err), -1);
    assert_int_equal(err.kind, BL_USAGE);
    /* A city's candidates carry their codes, for --city-code. */
    assert_non_null(strstr(err.message, "San Juan de Rioseco (4), San Juanito (3)"));
    error_clear(&err);
    places_list_free(l);
}

static void
places_keep_one_per_code_and_list_what_contains_the_typing(void **state)
{
    static const char reply[] =
        "[{\"_verify\":true,\"city_code\":1,\"city_name\":\"San Juan\"},"
        "{\"_verify\":true,\"city_code\":1,\"city_name\":\"San Juan\"},"
        "{\"_verify\":true,\"city_code\":2,\"city_name\":\"San Juanito\"},"
        "{\"_verify\":true,\"city_code\":3,\"city_name\":\"Puerto San Juan\"},"
        "{\"_verify\":true,\"city_code\":4,\"city_name\":\"Santa Ana\"},"
        "{\"_verify\":true,\"city_code\":5,\"city_name\":\"Santa Ana\"}]";
    struct place_list *l = NULL;
    const struct place *one, *cands[PLACES_CANDIDATES];
    struct bl_error err = {0};
    size_t n;

    (void)state;
    assert_int_equal(places_decode(API_CITIES, 200, reply, strlen(reply), &l, &err), 0);
    assert_int_equal(l->n, 5); /* code 1 once */
    /* "San Juan" is exact once: it wins over San Juanito. */
    assert_int_equal(places_find(l, "san juan", 0, &one, cands, &n), PLACES_ONE);
    assert_int_equal(one->code, 1);
    /* Several start with "san ju": the candidates are those that contain it. */
    assert_int_equal(places_find(l, "san ju", 0, &one, cands, &n), PLACES_SEVERAL);
    assert_int_equal(n, 3);
    assert_int_equal(cands[2]->code, 3); /* Puerto San Juan, after those that start so */
    /* Two cities of one name: both, told apart by their codes. */
    assert_int_equal(places_match(l, "santa ana", "X", &one, &err), -1);
    assert_non_null(strstr(err.message, "Santa Ana (4), Santa Ana (5)"));
    error_clear(&err);
    places_list_free(l);
}

static void
places_fold_strips_latin_accents_only(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {" Bogot\xc3\xa1 ", "bogota"},
        {"S\xc3\xa3o Paulo", "sao paulo"},
        {"Stra\xc3\x9f"
         "e",
         "strasse"},
        {"Bogota\xcc\x81", "bogota"}, /* a combining accent */
        {"\xe5\x8c\x97\xe4\xba\xac\xe5\xb8\x82",
         "\xe5\x8c\x97\xe4\xba\xac\xe5\xb8\x82"}, /* kept */
        {"\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0",
         "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0"}, /* lower case */
        {"\xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1",
         "\xce\xb1\xce\xb8\xce\xae\xce\xbd\xce\xb1"},
        {"a\xff"
         "b",
         "a?b"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *f = places_fold(cases[i].in);

        assert_non_null(f);
        assert_string_equal(f, cases[i].out);
        free(f);
    }
}

/* A request emptied after its review (the UI's, after a failed apply) is never sent: a
 * zeroed request reads as a password change with no password. No API client is
 * given: reaching the network would crash. */
static void
a_request_that_no_longer_matches_its_review_is_not_sent(void **state)
{
    struct change_request rq = {0};
    struct change_plan plan = {.kind = CHANGE_TYPE};
    struct change_flow f = {.rq = &rq, .plan = &plan, .verified = -1};
    struct api_reply reply;

    (void)state;
    change_flow_write(&f, &reply);
    assert_int_equal(reply.sent, API_NOT_SENT);
    assert_int_equal(reply.err.kind, BL_INTERNAL);
    api_reply_clear(&reply);
    /* The same kind, but a password change with its password gone. */
    plan.kind = CHANGE_PASSWORD;
    change_flow_write(&f, &reply);
    assert_int_equal(reply.sent, API_NOT_SENT);
    assert_int_equal(reply.err.kind, BL_INTERNAL);
    api_reply_clear(&reply);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_type_change_plans_only_the_flags_that_change),
        cmocka_unit_test(an_email_change_to_the_same_email_is_nothing),
        cmocka_unit_test(
            verification_trims_ignores_email_case_and_compares_flags_exactly),
        cmocka_unit_test(outcomes_have_their_words_and_exit_statuses),
        cmocka_unit_test(the_json_object_keeps_spec_order),
        cmocka_unit_test(password_rules),
        cmocka_unit_test(generated_passwords_use_the_alphabet_and_hold_a_digit),
        cmocka_unit_test(write_replies_are_a_yes_a_no_or_unknown),
        cmocka_unit_test(phones_and_details_are_checked),
        cmocka_unit_test(an_address_change_carries_every_phone),
        cmocka_unit_test(places_are_found_ignoring_case_and_accents),
        cmocka_unit_test(places_fold_strips_latin_accents_only),
        cmocka_unit_test(places_keep_one_per_code_and_list_what_contains_the_typing),
        cmocka_unit_test(a_request_that_no_longer_matches_its_review_is_not_sent),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
