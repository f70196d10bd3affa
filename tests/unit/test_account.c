/* The account calls' decoders and their --json objects, by SPEC "The account calls". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "account_json.h"

#define EMAIL "johndoe@email.com"

/* The API pages' example replies, next to this file (the tests run from the repo). */
static char *
fixture(const char *name, size_t *len)
{
    char path[512];
    const char *slash = strrchr(__FILE__, '/');
    FILE *f;
    char *buf;
    long n;

    snprintf(path, sizeof path, "%.*s/fixtures/%s",
             slash != NULL ? (int)(slash - __FILE__) : 1, slash != NULL ? __FILE__ : ".",
             name);
    f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s (run the tests from the top of the source tree)", path);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static struct account_profile *
profile_ok(const char *body)
{
    struct account_profile *p = NULL;
    struct bl_error err = {0};

    /* No email to check against: these bodies name every sort of email. */
    assert_int_equal(account_profile_decode(200, body, strlen(body), NULL, &p, &err), 0);
    assert_non_null(p);
    assert_int_equal(err.kind, BL_OK);
    return p;
}

static struct account_shipments *
shipments_ok(const char *body)
{
    struct account_shipments *s = NULL;
    struct bl_error err = {0};

    assert_int_equal(account_shipments_decode(200, body, strlen(body), EMAIL, &s, &err),
                     0);
    assert_non_null(s);
    assert_int_equal(err.kind, BL_OK);
    return s;
}

static struct account_shipment *
shipment_ok(const char *body)
{
    struct account_shipment *s = NULL;
    struct bl_error err = {0};

    assert_int_equal(
        account_shipment_decode(200, body, strlen(body), EMAIL, 13869085, &s, &err), 0);
    assert_non_null(s);
    assert_int_equal(err.kind, BL_OK);
    return s;
}

enum call { PROFILE, SHIPMENTS, SHIPMENT };

/* Decodes body with call, expects failure of kind with in_message in the message. */
static void
fails(enum call call, long status, const char *body, enum bl_kind kind,
      const char *in_message)
{
    struct account_profile *p = NULL;
    struct account_shipments *l = NULL;
    struct account_shipment *s = NULL;
    struct bl_error err = {0};
    size_t len = strlen(body);
    int rc = call == PROFILE ? account_profile_decode(status, body, len, EMAIL, &p, &err)
             : call == SHIPMENTS
                 ? account_shipments_decode(status, body, len, EMAIL, &l, &err)
                 : account_shipment_decode(status, body, len, EMAIL, 13869085, &s, &err);

    assert_int_equal(rc, -1);
    assert_null(p);
    assert_null(l);
    assert_null(s);
    assert_int_equal(err.kind, kind);
    assert_int_equal(err.http_status, status);
    if (strstr(err.message, in_message) == NULL)
        fail_msg("'%s' not in '%s'", in_message, err.message);
    error_clear(&err);
}

static void
documented_profile(void **state)
{
    size_t len;
    char *body = fixture("profile.json", &len);
    struct account_profile *p = NULL;
    struct bl_error err = {0};
    char *json;

    (void)state;
    assert_int_equal(account_profile_decode(200, body, len, EMAIL, &p, &err), 0);
    assert_true(p->customer_id == 51736850);
    assert_string_equal(p->birth_date, "1980-08-19");
    assert_null(p->tax_number);
    assert_int_equal(p->n_addresses, 1);
    assert_int_equal(p->n_phones, 2);
    json = account_json_profile("test", EMAIL, 811111, p);
    assert_string_equal(
        json,
        "{\"environment\":\"test\",\"email\":\"johndoe@email.com\",\"box_id\":811111,"
        "\"profile\":{\"customer_id\":51736850,\"first_name\":\"John\",\"last_name\":"
        "\"Doe\",\"name\":\"John Doe\",\"email\":\"johndoe@email.com\",\"birth_date\":"
        "\"1980-08-19\",\"gender\":\"M\",\"identity_number\":\"11111111\",\"tax_number\":"
        "null,\"campaign\":\"Test Campaign\",\"email_agreement\":false,\"active\":true,"
        "\"vip\":false,\"business\":false,\"enabled\":true,\"addresses\":[{\"id\":"
        "123999465,\"line1\":\"123 Fake St.\",\"neighborhood\":\"Neighborhood\","
        "\"locality\":\"Locality/Town\",\"city\":\"Calvillo\",\"state\":"
        "\"Aguascalientes\",\"country\":\"Mexico\",\"country_code\":\"MX\",\"zip\":"
        "\"998877\",\"phone\":\"+1 123456789 ext 333\"}],\"phones\":[{\"id\":1190087,"
        "\"type\":\"home\",\"number\":\"+1 123456789 ext 333\"},{\"id\":1190089,\"type\":"
        "\"mobile\",\"number\":\"+1 987654321\"}]}}");
    free(json);
    account_profile_free(p);
    free(body);
}

/* SPEC's example row, then the API page's second one (older, so after it). */
static void
documented_shipments(void **state)
{
    size_t len;
    char *body = fixture("shipments.json", &len);
    struct account_shipments *s = NULL;
    struct bl_error err = {0};
    char *json;

    (void)state;
    assert_int_equal(account_shipments_decode(200, body, len, EMAIL, &s, &err), 0);
    assert_int_equal(s->n_rows, 2);
    assert_int_equal(s->skipped, 0);
    json = account_json_shipments("test", EMAIL, 811111, "2017-12-01", "2018-02-15", s);
    assert_string_equal(
        json,
        "{\"environment\":\"test\",\"email\":\"johndoe@email.com\",\"box_id\":811111,"
        "\"from\":\"2017-12-01\",\"to\":\"2018-02-15\",\"skipped\":0,"
        "\"shipments\":[{\"awb\":13869085,\"external_tracking\":\"322324324\","
        "\"merchant\":\"Amazon.com\",\"content\":\"test 10\",\"status\":\"PAY\","
        "\"received\":\"2018-02-04T21:59:12-05:00\",\"manifested\":null,\"value\":10.0,"
        "\"weight_charged\":0.4409,\"weight_physical\":0.4409,\"weight_volumetric\":0.01,"
        "\"charge_rate\":6.5,\"charge_discount\":0.0,\"charge_total\":6.5,"
        "\"invoice_required\":false,\"invoice_url\":null},"
        "{\"awb\":13818527,\"external_tracking\":\"test_co123nopb1\",\"merchant\":"
        "\"Amazon.com\",\"content\":\"podadora\",\"status\":\"PAY\",\"received\":"
        "\"2018-01-03T22:40:37-05:00\",\"manifested\":null,\"value\":20.0,"
        "\"weight_charged\":45.13,\"weight_physical\":6.6139,\"weight_volumetric\":45.13,"
        "\"charge_rate\":30.5,\"charge_discount\":0.0,\"charge_total\":30.5,"
        "\"invoice_required\":false,\"invoice_url\":null}]}");
    free(json);
    account_shipments_free(s);
    free(body);
}

/* SPEC's example with all four events of the API page; ties keep the server's order. */
static void
documented_shipment(void **state)
{
    size_t len;
    char *body = fixture("shipment.json", &len);
    struct account_shipment *s = NULL;
    struct bl_error err = {0};
    char *json;

    (void)state;
    assert_int_equal(account_shipment_decode(200, body, len, EMAIL, 13869085, &s, &err),
                     0);
    json = account_json_track("test", EMAIL, 811111, 13869085, s);
    assert_string_equal(
        json,
        "{\"environment\":\"test\",\"email\":\"johndoe@email.com\",\"box_id\":811111,"
        "\"awb\":13869085,\"shipment\":{\"awb\":13869085,\"status\":\"Active\","
        "\"content\":\"test "
        "10\",\"merchant\":\"Amazon.com\",\"value\":10.0,\"total\":6.5,"
        "\"weight_physical\":0.4409,\"weight_charged\":0.4409,\"weight_unit\":\"LB\","
        "\"origin\":\"MIA\",\"destination\":\"BOG\",\"recipient\":\"HANS SPERBER\","
        "\"address\":\"CARRERA 20 NO 40 - 77\",\"city\":\"Bogota\",\"state\":"
        "\"Distrito Capital de Bogota\",\"country\":\"Colombia\",\"pieces\":1},"
        "\"tracking\":[{\"time\":\"2018-02-04T21:59:14-05:00\",\"code\":\"PAY\","
        "\"description\":\"BILLED\",\"location\":\"MIA\",\"note\":null},"
        "{\"time\":\"2018-02-04T21:59:13-05:00\",\"code\":\"REC\",\"description\":"
        "\"RECEIVED\",\"location\":\"MIA\",\"note\":null},"
        "{\"time\":\"2018-02-04T21:59:13-05:00\",\"code\":\"PRO\",\"description\":"
        "\"PROCESSED\",\"location\":\"MIA\",\"note\":null},"
        "{\"time\":\"2018-02-04T21:59:13-05:00\",\"code\":\"CUT\",\"description\":"
        "\"PROCESSING PAYMENT\",\"location\":\"MIA\",\"note\":null}]}");
    free(json);
    account_shipment_free(s);
    free(body);
}

static void
ids_exact(void **state)
{
    static const struct {
        const char *json;
        int ok;
        uint64_t id;
    } cases[] = {
        {"1", 1, 1},
        {"\"1\"", 1, 1},
        {"13869085", 1, 13869085},
        {"\"13869085\"", 1, 13869085},
        {"9007199254740991", 1, UINT64_C(9007199254740991)},
        {"\"9007199254740991\"", 1, UINT64_C(9007199254740991)},
        {"\"0009007199254740991\"", 1, UINT64_C(9007199254740991)},
        {"1.3869085e7", 1, 13869085},
        {"9007199254740992", 0, 0},
        {"\"9007199254740992\"", 0, 0},
        {"\"9007199254740993\"", 0, 0},
        {"\"18446744073709551617\"", 0, 0},
        {"0", 0, 0},
        {"\"0\"", 0, 0},
        {"-1", 0, 0},
        {"\"-1\"", 0, 0},
        {"1.5", 0, 0},
        {"\"1.5\"", 0, 0},
        {"1e400", 0, 0},
        {"\"\"", 0, 0},
        {"\" 1\"", 0, 0},
        {"\"+1\"", 0, 0},
        {"\"1e3\"", 0, 0},
        {"\"12a\"", 0, 0},
        {"null", 0, 0},
        {"true", 0, 0},
        {"[1]", 0, 0},
        {"{}", 0, 0},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cJSON *v = cJSON_Parse(cases[i].json);
        uint64_t id = 7;
        char body[512];
        struct account_profile *p;
        struct account_shipments *l;
        struct account_shipment *s;

        assert_non_null(v);
        assert_int_equal(jsonread_id(v, &id) == 0, cases[i].ok);
        assert_true(id == (cases[i].ok ? cases[i].id : 7));
        cJSON_Delete(v);

        /* The same through every ID field of every decoder. */
        snprintf(
            body, sizeof body,
            "[{\"_verify\":true,\"cust_id\":%s,\"customer_address\":[{\"address_id\":"
            "%s}],\"customer_phone\":[{\"phone_id\":%s}]}]",
            cases[i].json, cases[i].json, cases[i].json);
        p = profile_ok(body);
        assert_true(p->customer_id == cases[i].id);
        assert_true(p->addresses[0].id == cases[i].id);
        assert_true(p->phones[0].id == cases[i].id);
        account_profile_free(p);

        snprintf(body, sizeof body, "[{\"_verify\":true,\"trck_nmr_fol\":%s}]",
                 cases[i].json);
        l = shipments_ok(body);
        assert_int_equal(l->n_rows, cases[i].ok);
        assert_int_equal(l->skipped, !cases[i].ok);
        if (cases[i].ok)
            assert_true(l->rows[0].awb == cases[i].id);
        account_shipments_free(l);

        snprintf(
            body, sizeof body,
            "[{\"_verify\":true,\"shipment\":{\"trck_nmr_fol\":%s},\"tracking\":[]}]",
            cases[i].json);
        s = shipment_ok(body);
        assert_true(s->awb == cases[i].id);
        account_shipment_free(s);
    }
}

/* 2^53 - 1 must come out digit for digit, not as 9.00719925474099e+15. */
static void
ids_printed_exactly(void **state)
{
    struct account_shipments *l =
        shipments_ok("[{\"_verify\":true,\"trck_nmr_fol\":\"9007199254740991\"}]");
    char *json =
        account_json_shipments("prod", EMAIL, UINT64_C(9007199254740991), "a", "b", l);

    (void)state;
    assert_non_null(strstr(json, "\"box_id\":9007199254740991,"));
    assert_non_null(strstr(json, "{\"awb\":9007199254740991,"));
    free(json);
    account_shipments_free(l);
}

static void
amounts(void **state)
{
    static const struct {
        const char *json;
        const char *printed;
    } cases[] = {
        {"10", "10.0"},
        {"0", "0.0"},
        {"0.4409", "0.4409"},
        {"6.5", "6.5"},
        {"0.01", "0.01"},
        {"-2.25", "-2.25"},
        {"\"6.5\"", "6.5"},
        {"\"10\"", "10.0"},
        {"\"-0.5e1\"", "-5.0"},
        {"1e21", "1e+21"},
        {"0.30000000000000004", "0.30000000000000004"},
        {"123456789012.34", "123456789012.34"},
        {"1e400", "null"},
        {"\"1e400\"", "null"},
        {"\"\"", "null"},
        {"\"abc\"", "null"},
        {"\"6,5\"", "null"},
        {"\" 6.5\"", "null"},
        {"\"0x10\"", "null"},
        {"\"nan\"", "null"},
        {"\"inf\"", "null"},
        {"\"1.\"", "null"},
        {"null", "null"},
        {"true", "null"},
        {"[1]", "null"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char body[256], out[ACCOUNT_JSON_NUMBER_SIZE];
        cJSON *o;
        struct jsonread_number n;

        snprintf(body, sizeof body, "{\"v\":%s}", cases[i].json);
        o = cJSON_Parse(body);
        assert_non_null(o);
        n = jsonread_amount(o, "v");
        account_json_number(n, out);
        if (strcmp(out, cases[i].printed) != 0)
            fail_msg("%s printed as %s, not %s", cases[i].json, out, cases[i].printed);
        assert_int_equal(n.known, strcmp(cases[i].printed, "null") != 0);
        cJSON_Delete(o);
    }
}

/* SPEC's amount text the plain way: %.15g, else %.16g, else %.17g (the first that reads
 * back), with ".0" on a whole number; the test's own copy, to check the faster path. */
static void
number_oracle(double v, char out[ACCOUNT_JSON_NUMBER_SIZE])
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, ACCOUNT_JSON_NUMBER_SIZE, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            break;
    }
    if (strpbrk(out, ".e") == NULL)
        strcat(out, ".0");
}

/* Amounts of up to 15 digits with 0 to 15 after the point, their neighbours, and
 * random doubles: the fast path writes what %.Ng writes. */
static void
amounts_as_printf(void **state)
{
    uint64_t x = 88172645463325252ULL;
    size_t checked = 0;

    (void)state;
    for (int i = 0; i < 400000; i++) {
        char text[64], got[ACCOUNT_JSON_NUMBER_SIZE], want[ACCOUNT_JSON_NUMBER_SIZE];
        struct jsonread_number n = {0.0, 1};
        int digits, frac;
        uint64_t m;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        digits = 1 + (int)(x % 15);
        frac = (int)((x >> 8) % (uint64_t)(digits + 1));
        m = (x >> 16) % 1000000000000000ULL;
        for (int d = digits; d < 15; d++)
            m /= 10;
        snprintf(text, sizeof text, "%s%llu.%0*llue-%d", (x >> 60) & 1 ? "-" : "",
                 (unsigned long long)m, 1, 0ULL, frac);
        n.value = strtod(text, NULL);
        switch (i % 4) {
        case 1:
            n.value = nextafter(n.value, INFINITY);
            break;
        case 2:
            memcpy(&n.value, &x, sizeof n.value);
            if (!isfinite(n.value))
                continue;
            break;
        case 3:
            n.value = (double)(x % 100000) / 100.0;
            break;
        }
        account_json_number(n, got);
        number_oracle(n.value, want);
        if (strcmp(got, want) != 0)
            fail_msg("%.17g written as %s, not %s", n.value, got, want);
        checked++;
    }
    assert_true(checked > 300000);
}

#define ALL_WRONG(v)                                                                     \
    "{\"_verify\":true,\"cust_id\":" v ",\"customer_first_name\":" v                     \
    ",\"customer_last_name\":" v ",\"customer_email\":" v ",\"customer_birth_date\":" v  \
    ",\"customer_gender\":" v ",\"customer_identity_number\":" v                         \
    ",\"customer_tax_number\":" v ",\"customer_campaign\":" v                            \
    ",\"customer_email_agreement\":" v ",\"is_active\":" v ",\"is_vip\":" v              \
    ",\"is_business\":" v ",\"is_enable\":" v ",\"customer_address\":" v                 \
    ",\"customer_phone\":" v "}"

#define PROFILE_UNKNOWN                                                                  \
    "{\"environment\":\"test\",\"email\":\"e\",\"box_id\":1,\"profile\":{"               \
    "\"customer_id\":null,\"first_name\":null,\"last_name\":null,\"name\":null,"         \
    "\"email\":null,\"birth_date\":null,\"gender\":null,\"identity_number\":null,"       \
    "\"tax_number\":null,\"campaign\":null,\"email_agreement\":null,\"active\":null,"    \
    "\"vip\":null,\"business\":null,\"enabled\":null,\"addresses\":null,"                \
    "\"phones\":null}}"

/* Missing, null and every wrong type: all unknown, never 0 or false. */
static void
profile_fields_unknown(void **state)
{
    static const char *const bodies[] = {
        "[{\"_verify\":true}]", ALL_WRONG("null"), ALL_WRONG("-3"),    ALL_WRONG("\"\""),
        ALL_WRONG("2.5"),       ALL_WRONG("{}"),   ALL_WRONG("\"x\""),
    };

    (void)state;
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
        struct account_profile *p = profile_ok(bodies[i]);
        char *json = account_json_profile("test", "e", 1, p);

        if (i == 5) {
            /* An object where a list belongs is a list of one: empty here. */
            assert_int_equal(p->addresses_known, 1);
            assert_int_equal(p->n_addresses, 1);
            assert_null(p->addresses[0].line1);
        } else if (i == 6) {
            /* Text is text: only the fields that want something else are unknown. */
            assert_string_equal(p->first_name, "x");
            assert_string_equal(p->tax_number, "x");
            assert_true(p->customer_id == 0);
            assert_string_equal(p->birth_date, "");
            assert_int_equal(p->active, FLAG_UNKNOWN);
        } else {
            assert_string_equal(json, PROFILE_UNKNOWN);
        }
        free(json);
        account_profile_free(p);
    }
}

static void
profile_details(void **state)
{
    struct account_profile *p = profile_ok(
        "{\"_verify\":1,\"customer_email\":\"  John.Doe@Example.COM \","
        "\"customer_birth_date\":\"\\/Date(335505600000)\\/\","
        "\"customer_tax_number\":\"0\",\"customer_identity_number\":12345,"
        "\"customer_email_agreement\":1,\"is_active\":0,\"is_vip\":\"true\","
        "\"customer_first_name\":\"\",\"customer_last_name\":\"Doe\","
        "\"customer_address\":[7,{\"zip_code\":33126,\"phone_number\":\"5\"}],"
        "\"customer_phone\":[{\"phone_type\":3,\"phone_number\":\"1\","
        "\"phone_area_code\":\"\",\"phone_extension\":\"9\"},{\"phone_type\":\"2\"},"
        "{\"phone_type\":true},{\"phone_type\":1.5},{}]}");

    (void)state;
    assert_string_equal(p->email, "john.doe@example.com");
    assert_string_equal(p->birth_date, "1980-08-19");
    assert_null(p->tax_number);
    assert_string_equal(p->identity_number, "12345");
    assert_int_equal(p->email_agreement, FLAG_YES);
    assert_int_equal(p->active, FLAG_NO);
    assert_int_equal(p->vip, FLAG_UNKNOWN);
    assert_null(p->first_name);
    assert_string_equal(p->name, "Doe");
    assert_int_equal(p->n_addresses, 1);
    assert_string_equal(p->addresses[0].zip, "33126");
    assert_string_equal(p->addresses[0].phone, "5");
    assert_int_equal(p->n_phones, 5);
    assert_int_equal(p->phones[0].type, PHONE_OTHER);
    assert_string_equal(p->phones[0].number, "1 ext 9");
    assert_int_equal(p->phones[1].type, PHONE_MOBILE);
    assert_null(p->phones[1].number);
    assert_int_equal(p->phones[2].type, PHONE_UNKNOWN);
    assert_int_equal(p->phones[3].type, PHONE_UNKNOWN);
    assert_null(account_phone_type_name(PHONE_UNKNOWN));
    account_profile_free(p);

    static const char *const taxes[] = {"0", "\"\"", "\"0\"", "null", "-1", "0.5"};
    for (size_t i = 0; i < sizeof taxes / sizeof *taxes; i++) {
        char body[128];

        snprintf(body, sizeof body, "[{\"_verify\":true,\"customer_tax_number\":%s}]",
                 taxes[i]);
        p = profile_ok(body);
        assert_null(p->tax_number);
        account_profile_free(p);
    }
    p = profile_ok("[{\"_verify\":true,\"customer_tax_number\":987654321}]");
    assert_string_equal(p->tax_number, "987654321");
    account_profile_free(p);
    /* The birth date is the day where the date's own offset has it. */
    p = profile_ok("[{\"_verify\":true,\"customer_birth_date\":"
                   "\"/Date(335505600000+2300)/\"}]");
    assert_string_equal(p->birth_date, "1980-08-20");
    account_profile_free(p);
}

#define ROW_WRONG(v)                                                                     \
    "{\"_verify\":true,\"trck_nmr_fol\":5,\"external_tracking\":" v ",\"merchant\":" v   \
    ",\"shipment_content\":" v ",\"shipment_status\":" v ",\"date_received\":" v         \
    ",\"date_manifested\":" v ",\"shipment_value\":" v ",\"weight_charged\":" v          \
    ",\"weight_physical\":" v ",\"weight_volumetric\":" v ",\"shipping_charge_rate\":" v \
    ",\"shipping_charge_discount\":" v ",\"shipping_charge_total\":" v                   \
    ",\"invoice_required\":" v ",\"invoice_file_url\":" v "}"

#define ROW_UNKNOWN                                                                      \
    "{\"awb\":5,\"external_tracking\":null,\"merchant\":null,\"content\":null,"          \
    "\"status\":null,\"received\":null,\"manifested\":null,\"value\":null,"              \
    "\"weight_charged\":null,\"weight_physical\":null,\"weight_volumetric\":null,"       \
    "\"charge_rate\":null,\"charge_discount\":null,\"charge_total\":null,"               \
    "\"invoice_required\":null,\"invoice_url\":null}"

static void
row_fields_unknown(void **state)
{
    static const char *const wrong[] = {
        ROW_WRONG("null"), ROW_WRONG("[]"),   ROW_WRONG("{}"),
        ROW_WRONG("true"), ROW_WRONG("\"\""), ROW_WRONG("-7"),
    };

    (void)state;
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
        char body[1024];
        struct account_shipments *l;
        char *json;

        snprintf(body, sizeof body, "[%s]", wrong[i]);
        l = shipments_ok(body);
        json = account_json_shipments("test", "e", 1, "a", "b", l);
        /* true is a flag and -7 an amount: those two are read, the rest is unknown. */
        if (i != 3 && i != 5)
            assert_non_null(strstr(json, "\"shipments\":[" ROW_UNKNOWN "]"));
        free(json);
        account_shipments_free(l);
    }
}

/* A row without a valid AWB, or that is not an object, is skipped and counted. */
static void
rows_skipped(void **state)
{
    struct account_shipments *l = shipments_ok(
        "[{\"_verify\":true,\"trck_nmr_fol\":3},{\"trck_nmr_fol\":null},{},7,\"x\","
        "null,[],{\"trck_nmr_fol\":0},{\"trck_nmr_fol\":-1},{\"trck_nmr_fol\":2.5},"
        "{\"trck_nmr_fol\":\"2\",\"_verify\":false}]");

    (void)state;
    assert_int_equal(l->n_rows, 2);
    assert_int_equal(l->skipped, 9);
    assert_true(l->rows[0].awb == 3);
    assert_true(l->rows[1].awb == 2);
    account_shipments_free(l);

    /* The first element decides _verify even when it is not a usable row. */
    l = shipments_ok("{\"_verify\":true}");
    assert_int_equal(l->n_rows, 0);
    assert_int_equal(l->skipped, 1);
    account_shipments_free(l);
}

static void
rows_sorted(void **state)
{
    /* Same instant in different offsets sorts by the instant; undated rows last. */
    struct account_shipments *l = shipments_ok(
        "[{\"_verify\":true,\"trck_nmr_fol\":1,\"date_received\":\"/Date(1000)/\"},"
        "{\"trck_nmr_fol\":2},"
        "{\"trck_nmr_fol\":3,\"date_received\":\"/Date(5000-0500)/\"},"
        "{\"trck_nmr_fol\":4,\"date_received\":\"/Date(5000+0900)/\"},"
        "{\"trck_nmr_fol\":5,\"date_received\":\"/Date(253402300800000)/\"},"
        "{\"trck_nmr_fol\":6,\"date_received\":\"/Date(-86400000)/\"},"
        "{\"trck_nmr_fol\":7,\"date_received\":\"/Date(2000)/\"},"
        "{\"trck_nmr_fol\":8}]");
    static const uint64_t order[] = {4, 3, 7, 1, 6, 8, 5, 2};

    (void)state;
    assert_int_equal(l->n_rows, 8);
    for (size_t i = 0; i < 8; i++)
        if (l->rows[i].awb != order[i])
            fail_msg("row %zu is %" PRIu64 ", not %" PRIu64, i, l->rows[i].awb, order[i]);
    /* Year 10000 is out of range: undated, not skipped. */
    assert_string_equal(l->rows[6].received, "");
    assert_string_equal(l->rows[4].received, "1969-12-31T00:00:00Z");
    account_shipments_free(l);
}

static void
hostile_strings(void **state)
{
    struct account_shipments *l =
        shipments_ok("[{\"_verify\":true,\"trck_nmr_fol\":1,"
                     "\"merchant\":\"A\\u001b]0;pwned\\u0007mazon\\u001b[2J\","
                     "\"shipment_content\":\"x\\u009b31my\\u202eevil\\u2066z\\u0085\","
                     "\"shipment_status\":\"\xff\xfe\xc3(ok\xe6\x97\xa5\","
                     "\"external_tracking\":\"line\\nbreak\\ttab\\u0000hidden\","
                     "\"invoice_file_url\":\"\\u001b\"}]");

    (void)state;
    assert_string_equal(l->rows[0].merchant, "Amazon");
    assert_string_equal(l->rows[0].content, "xyevilz");
    assert_string_equal(l->rows[0].status,
                        "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd(ok\xe6\x97\xa5");
    assert_string_equal(l->rows[0].external_tracking, "line break tab");
    assert_null(l->rows[0].invoice_url); /* nothing left once sanitised */
    account_shipments_free(l);
}

#define SHIPMENT_WRONG(v)                                                                \
    "[{\"_verify\":true,\"trck_nmr_fol\":" v ",\"shipment\":{\"trck_nmr_fol\":" v        \
    ",\"status_name\":" v ",\"content\":" v ",\"merchant_name\":" v                      \
    ",\"price_value\":" v ",\"total_shipping\":" v ",\"physical_weight\":" v             \
    ",\"charged_weight\":" v ",\"weight_unit\":" v ",\"iata_code_origin\":" v            \
    ",\"iata_code\":" v ",\"name\":" v ",\"address\":" v ",\"city_name\":" v             \
    ",\"state_name\":" v ",\"country_name\":" v ",\"quantity\":" v                       \
    "},\"tracking\":[{\"entry_date\":\"/Date(0)/\",\"track_cdg\":" v                     \
    ",\"track_description\":" v ",\"iata_code\":" v ",\"track_obs\":" v "}]}]"

/* Every field of the shipment and of an event mistyped: all unknown. */
static void
shipment_fields_unknown(void **state)
{
    static const char *const bodies[] = {SHIPMENT_WRONG("null"), SHIPMENT_WRONG("[]"),
                                         SHIPMENT_WRONG("{}"), SHIPMENT_WRONG("true"),
                                         SHIPMENT_WRONG("-1.5")};

    (void)state;
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
        struct account_shipment *s = shipment_ok(bodies[i]);
        char *json = account_json_track("test", "e", 1, 9, s);
        const char *amounts = i == 4 ? "-1.5" : "null";
        char want[1024];

        snprintf(want, sizeof want,
                 "{\"awb\":null,\"status\":null,\"content\":null,\"merchant\":null,"
                 "\"value\":%s,\"total\":%s,\"weight_physical\":%s,"
                 "\"weight_charged\":%s,\"weight_unit\":null,\"origin\":null,"
                 "\"destination\":null,\"recipient\":null,\"address\":null,\"city\":"
                 "null,\"state\":null,\"country\":null,\"pieces\":null},\"tracking\":"
                 "[{\"time\":\"1970-01-01T00:00:00Z\",\"code\":null,\"description\":"
                 "null,\"location\":null,\"note\":null}]}",
                 amounts, amounts, amounts, amounts);
        if (strstr(json, want) == NULL)
            fail_msg("%s", json);
        free(json);
        account_shipment_free(s);
    }
}

static void
tracking_shapes(void **state)
{
    struct account_shipment *s;
    char *json;

    (void)state;
    /* An object where the list belongs is a list of one, as for the whole reply. */
    s = shipment_ok("[{\"_verify\":true,\"shipment\":{},\"tracking\":{\"entry_date\":"
                    "\"/Date(0)/\",\"track_cdg\":\"REC\",\"track_obs\":\"at door\"}}]");
    assert_int_equal(s->n_events, 1);
    assert_int_equal(s->skipped, 0);
    assert_string_equal(s->events[0].note, "at door");
    json = account_json_track("test", "e", 1, 9, s);
    assert_string_equal(
        json, "{\"environment\":\"test\",\"email\":\"e\",\"box_id\":1,\"awb\":9,"
              "\"shipment\":{\"awb\":null,\"status\":null,\"content\":null,\"merchant\":"
              "null,\"value\":null,\"total\":null,\"weight_physical\":null,"
              "\"weight_charged\":null,\"weight_unit\":null,\"origin\":null,"
              "\"destination\":null,\"recipient\":null,\"address\":null,\"city\":null,"
              "\"state\":null,\"country\":null,\"pieces\":null},\"tracking\":[{\"time\":"
              "\"1970-01-01T00:00:00Z\",\"code\":\"REC\",\"description\":null,"
              "\"location\":null,\"note\":\"at door\"}]}");
    free(json);
    account_shipment_free(s);

    /* Missing, null, text: unknown (null), not an empty list. */
    static const char *const unknown[] = {"", ",\"tracking\":null",
                                          ",\"tracking\":\"none\"", ",\"tracking\":0"};
    for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++) {
        char body[128];

        snprintf(body, sizeof body, "[{\"_verify\":true,\"shipment\":{}%s}]", unknown[i]);
        s = shipment_ok(body);
        assert_int_equal(s->tracking_known, 0);
        assert_int_equal(s->n_events, 0);
        json = account_json_track("test", "e", 1, 9, s);
        assert_non_null(strstr(json, ",\"tracking\":null}"));
        free(json);
        account_shipment_free(s);
    }

    /* Undated events (and non-objects) are skipped and counted; the rest newest first. */
    s = shipment_ok(
        "[{\"_verify\":true,\"trck_nmr_fol\":\"42\",\"shipment\":{\"quantity\":\"3\"},"
        "\"tracking\":[{\"entry_date\":\"/Date(1000)/\",\"track_cdg\":\"A\"},"
        "{\"entry_date\":null},{\"entry_date\":\"/Date(253402300800000)/\"},"
        "{\"track_cdg\":\"B\"},3,{\"entry_date\":\"/Date(3000-0100)/\",\"track_cdg\":"
        "\"C\"},{\"entry_date_db\":\"/Date(3000)/\"},"
        "{\"entry_date\":\"/Date(2000+0500)/"
        "\",\"track_cdg\":\"D\",\"track_obs\":\"\"}]}]");
    assert_true(s->awb == 42);
    assert_int_equal(s->pieces_known, 1);
    assert_true(s->pieces == 3);
    assert_int_equal(s->n_events, 3);
    assert_int_equal(s->skipped, 5);
    assert_string_equal(s->events[0].code, "C");
    assert_string_equal(s->events[1].code, "D");
    assert_null(s->events[1].note);
    assert_string_equal(s->events[2].code, "A");
    account_shipment_free(s);
}

static void
outcome_order(void **state)
{
    static const enum call calls[] = {PROFILE, SHIPMENTS, SHIPMENT};
    static char deep[10001];

    (void)state;
    memset(deep, '[', 5000);
    memset(deep + 5000, ']', 5000);
    for (size_t i = 0; i < 3; i++) {
        enum call c = calls[i];

        fails(c, 500, "[{\"_verify\":true}]", BL_SERVER, "HTTP 500");
        fails(c, 404, "", BL_SERVER, "error status");
        fails(c, 200, "", BL_SERVER, "not JSON");
        fails(c, 200, "<html>", BL_SERVER, "not JSON");
        fails(c, 200, "[] []", BL_SERVER, "not JSON");
        fails(c, 200, "[{}]\x01", BL_SERVER, "not JSON");
        fails(c, 200, deep, BL_SERVER, "not JSON");
        fails(c, 200, "[42]", BL_SERVER, "record");
        fails(c, 200, "null", BL_SERVER, "record");
        fails(c, 200,
              "[{\"_verify\":true,\"error\":{\"system_error\":true,\"error_description\":"
              "\"DB down\",\"error_location\":\"GetInfo\"}}]",
              BL_SERVER, "internal error: DB down (at GetInfo)");
        fails(c, 200, "[{\"_verify\":false,\"error\":{\"system_error\":1}}]", BL_SERVER,
              "internal error");
        if (c != SHIPMENTS)
            fails(c, 200, " [ ]\n", BL_SERVER, "empty list");
    }
}

static void
key_refused(void **state)
{
    static const char *const refused[] = {
        "[{\"_verify\":false}]",
        "[{\"_verify\":0,\"trck_nmr_fol\":1}]",
        "[{\"_verify\":\"true\"}]",
        "[{\"error\":{\"error_description\":\"\"}}]",
        "{\"_verify\":null,\"shipment\":{}}",
    };
    struct account_shipments *l;

    (void)state;
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        fails(PROFILE, 200, refused[i], BL_REJECTED,
              "The stored key for johndoe@email.com is no longer accepted (the "
              "customer's email or password may have changed); log in again");
        fails(SHIPMENTS, 200, refused[i], BL_REJECTED, "no longer accepted");
        fails(SHIPMENT, 200, refused[i], BL_REJECTED,
              "No shipment 13869085 for johndoe@email.com (or the stored key is no "
              "longer accepted)");
    }
    fails(PROFILE, 200,
          "[{\"_verify\":false,\"error\":{\"error_description\":\"Invalid key\"}}]",
          BL_REJECTED, "log in again (the server says: Invalid key)");
    fails(SHIPMENT, 200,
          "[{\"_verify\":false,\"error\":{\"error_description\":\"No \\u001b[1mdata\"}}]",
          BL_REJECTED, "No data");
    fails(SHIPMENT, 200, "[{\"_verify\":true}]", BL_SERVER, "no shipment details");
    fails(SHIPMENT, 200, "[{\"_verify\":true,\"shipment\":[]}]", BL_SERVER,
          "no shipment details");

    /* An empty list is "no shipments", not an error. */
    l = shipments_ok(" [ ] ");
    assert_int_equal(l->n_rows, 0);
    assert_int_equal(l->skipped, 0);
    account_shipments_free(l);
}

/* Builds a reply of n rows like the API page's, each padded with pad bytes of content. */
static char *
big_reply(size_t n, size_t pad, size_t *len)
{
    size_t cap = n * (700 + pad) + 16, o = 0;
    char *b = malloc(cap), *filler = malloc(pad + 1);

    assert_non_null(b);
    assert_non_null(filler);
    memset(filler, 'x', pad);
    filler[pad] = '\0';
    b[o++] = '[';
    for (size_t i = 0; i < n; i++) {
        o += (size_t)snprintf(
            b + o, cap - o,
            "%s{\"_verify\":true,\"date_manifested\":null,\"date_received\":"
            "\"\\/Date(%lld-0500)\\/\",\"error\":{\"error_description\":\"\","
            "\"error_location\":\"\",\"system_error\":false},\"external_tracking\":"
            "\"EXT%zu\",\"invoice_file_name\":\"\",\"invoice_file_url\":\"\","
            "\"invoice_required\":0,\"lnge_code\":\"ENG\",\"merchant\":\"Amazon.com\","
            "\"shipment_content\":\"test %zu %s\",\"shipment_status\":\"PAY\","
            "\"shipment_value\":10,\"shipping_charge_discount\":0,"
            "\"shipping_charge_rate\":6.5,\"shipping_charge_total\":6.5,"
            "\"trck_nmr_fol\":%zu,\"weight_charged\":0.4409,\"weight_physical\":0.4409,"
            "\"weight_volumetric\":0.01}",
            i > 0 ? "," : "", 1517799552000LL - (long long)((i * 7919) % n) * 60000, i, i,
            filler, 13000000 + i);
    }
    b[o++] = ']';
    b[o] = '\0';
    free(filler);
    *len = o;
    return b;
}

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * 10 000 rows, plain and padded to the 32 MiB cap, decoded whole and in order, and
 * printed. The times are printed for information only: how fast is `make bench`'s
 * question (as a ratio against a reference), never a pass/fail here.
 */
static void
ten_thousand_rows(void **state)
{
    static const size_t pads[] = {0, 2600};

    (void)state;
    for (size_t k = 0; k < 2; k++) {
        size_t len;
        char *body = big_reply(10000, pads[k], &len), *json;
        struct account_shipments *l = NULL;
        struct bl_error err = {0};
        double t0 = now(), t1, t2;

        assert_true(len <= 32u << 20);
        assert_int_equal(account_shipments_decode(200, body, len, EMAIL, &l, &err), 0);
        t1 = now();
        json =
            account_json_shipments("test", EMAIL, 811111, "2017-12-01", "2018-02-15", l);
        t2 = now();
        assert_non_null(json);
        assert_int_equal(l->n_rows, 10000);
        for (size_t i = 1; i < l->n_rows; i++)
            assert_true(l->rows[i - 1].received_ms > l->rows[i].received_ms ||
                        (l->rows[i - 1].received_ms == l->rows[i].received_ms &&
                         l->rows[i - 1].awb > l->rows[i].awb));
        printf("# 10000 rows, %.1f MiB: decoded in %.0f ms, --json built in %.0f ms\n",
               (double)len / (1 << 20), (t1 - t0) * 1000, (t2 - t1) * 1000);
        free(json);
        account_shipments_free(l);
        free(body);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(documented_profile),  cmocka_unit_test(documented_shipments),
        cmocka_unit_test(documented_shipment), cmocka_unit_test(ids_exact),
        cmocka_unit_test(ids_printed_exactly), cmocka_unit_test(amounts),
        cmocka_unit_test(amounts_as_printf),   cmocka_unit_test(profile_fields_unknown),
        cmocka_unit_test(profile_details),     cmocka_unit_test(row_fields_unknown),
        cmocka_unit_test(rows_skipped),        cmocka_unit_test(rows_sorted),
        cmocka_unit_test(hostile_strings),     cmocka_unit_test(shipment_fields_unknown),
        cmocka_unit_test(tracking_shapes),     cmocka_unit_test(outcome_order),
        cmocka_unit_test(key_refused),         cmocka_unit_test(ten_thousand_rows),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
