#include "account.h"
#include "decode.h"
#include "i18n.h"
#include "text.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The elements of a list member: an array's elements, or an object taken as a
 * one-element list (the rule SPEC gives for the top-level reply). list_first
 * returns NULL for anything else, and for an empty array.
 */
static const cJSON *
list_first(const cJSON *v)
{
    return cJSON_IsArray(v) ? v->child : cJSON_IsObject(v) ? v : NULL;
}

static const cJSON *
list_next(const cJSON *list, const cJSON *e)
{
    return cJSON_IsArray(list) ? e->next : NULL;
}

static size_t
list_length(const cJSON *list)
{
    size_t n = 0;

    for (const cJSON *e = list_first(list); e != NULL; e = list_next(list, e))
        n++;
    return n;
}

/*
 * A member that is text or a whole number (phone numbers, zip codes and tax
 * numbers come both ways), as sanitised text; NULL when missing, empty or of
 * another type.
 */
static char *
text_or_integer(const cJSON *obj, const char *name)
{
    const cJSON *v = jsonread_member(obj, name);
    uint64_t n;
    char *s = NULL;

    if (cJSON_IsString(v))
        return jsonread_text_nonempty(obj, name);
    if (jsonread_count(v, &n) == 0 && asprintf(&s, "%" PRIu64, n) < 0)
        s = NULL;
    return s;
}

/* A member that is text or a whole number as the server sent it, not cleaned for
 * display: the string's bytes, or the number's digits; NULL when missing, of another
 * type or out of memory. */
static char *
raw_text_or_integer(const cJSON *obj, const char *name)
{
    const cJSON *v = jsonread_member(obj, name);
    uint64_t n;
    char *s = NULL;

    if (cJSON_IsString(v) && v->valuestring != NULL)
        return strdup(v->valuestring);
    if (jsonread_count(v, &n) == 0 && asprintf(&s, "%" PRIu64, n) < 0)
        s = NULL;
    return s;
}

/* Whether the JSON text holds the escape \u0000 (cJSON ends a string there). */
static int
has_nul_escape(const char *body, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (body[i] == '\\') {
            if (body[i + 1] == 'u' && len - i >= 6 &&
                memcmp(body + i + 2, "0000", 4) == 0)
                return 1;
            i++;
        }
    return 0;
}

/* "AREA NUMBER ext EXT" from the parts that are there; NULL without a number. */
static char *
phone_text(const cJSON *obj, const char *area_key, const char *number_key,
           const char *ext_key)
{
    char *area = text_or_integer(obj, area_key);
    char *number = text_or_integer(obj, number_key);
    char *ext = text_or_integer(obj, ext_key);
    char *s = NULL;

    if (number != NULL &&
        asprintf(&s, "%s%s%s%s%s", area != NULL ? area : "", area != NULL ? " " : "",
                 number, ext != NULL ? " ext " : "", ext != NULL ? ext : "") < 0)
        s = NULL;
    free(area);
    free(number);
    free(ext);
    return s;
}

/* The reply's ID member name, or 0 when it is not a valid ID. */
static uint64_t
id_or_zero(const cJSON *obj, const char *name)
{
    uint64_t id = 0;

    if (jsonread_id(jsonread_member(obj, name), &id) != 0)
        id = 0;
    return id;
}

/*
 * A stable merge sort: equal rows and events keep the server's order, so the
 * same reply always prints the same way (qsort promises no order for ties). It
 * sorts pointers (a row is some 250 bytes: merging the rows themselves moved
 * 70 MB for 10 000 of them), skips the merge of two runs already in order (a
 * list the server sent newest first costs one pass), then puts the elements
 * in place by following the permutation's cycles, with one element aside.
 */
static int
stable_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    char *a = base, *hold;
    char **p, **tmp;

    if (n < 2)
        return 0;
    p = malloc(2 * n * sizeof *p);
    hold = malloc(size);
    if (p == NULL || hold == NULL) {
        free(p);
        free(hold);
        return -1;
    }
    tmp = p + n;
    for (size_t i = 0; i < n; i++)
        p[i] = a + i * size;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo + width < n; lo += 2 * width) {
            size_t mid = lo + width, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;

            if (cmp(p[mid], p[mid - 1]) >= 0)
                continue; /* the two runs are in order already */
            while (i < mid && j < hi)
                tmp[k++] = cmp(p[j], p[i]) < 0 ? p[j++] : p[i++];
            while (i < mid)
                tmp[k++] = p[i++];
            while (j < hi)
                tmp[k++] = p[j++];
            memcpy(p + lo, tmp + lo, (hi - lo) * sizeof *p);
        }
    }
    /* Position i gets the element p[i] points at: follow each cycle, moving each
     * element once, and mark the positions done by pointing them at themselves. */
    for (size_t i = 0; i < n; i++) {
        size_t j = i;

        if (p[i] == a + i * size)
            continue;
        memcpy(hold, a + i * size, size);
        while (p[j] != a + i * size) {
            size_t from = (size_t)(p[j] - a) / size;

            memcpy(a + j * size, p[j], size);
            p[j] = a + j * size;
            j = from;
        }
        memcpy(a + j * size, hold, size);
        p[j] = a + j * size;
    }
    free(p);
    free(hold);
    return 0;
}

static int
out_of_memory(struct bl_error *err, long status)
{
    return jsonread_fail(err, status, BL_SERVER, _("Out of memory decoding the reply"));
}

/* _verify not true on profile or shipments: the stored key was refused. The server's
 * description of the error, if any, is on err already. */
static int
key_refused(long status, const char *email, struct bl_error *err)
{
    const char *said = err->server_description;

    if (email != NULL && said != NULL)
        error_set(
            err, BL_REJECTED,
            /* TRANSLATORS: the customer's email, then the server's own words. */
            _("The stored key for %s is no longer accepted (the customer's email or "
              "password may have changed); log in again (the server says: %s)"),
            email, said);
    else if (email != NULL)
        error_set(
            err, BL_REJECTED,
            /* TRANSLATORS: %s is the customer's email. */
            _("The stored key for %s is no longer accepted (the customer's email or "
              "password may have changed); log in again"),
            email);
    else if (said != NULL)
        error_set(err, BL_REJECTED,
                  /* TRANSLATORS: %s is the server's own words. */
                  _("The stored key for this customer is no longer accepted (the "
                    "customer's email or password may have changed); log in again (the "
                    "server says: %s)"),
                  said);
    else
        error_set(err, BL_REJECTED,
                  _("The stored key for this customer is no longer accepted (the "
                    "customer's email or password may have changed); log in again"));
    err->http_status = status;
    return -1;
}

/* --- profile --- */

static void
address_free(struct account_address *a)
{
    free(a->line1);
    free(a->neighborhood);
    free(a->locality);
    free(a->city);
    free(a->state);
    free(a->country);
    free(a->country_code);
    free(a->zip);
    free(a->phone);
    free(a->phone_area);
    free(a->phone_number);
    free(a->phone_extension);
    free(a->raw_line1);
    free(a->raw_neighborhood);
    free(a->raw_locality);
    free(a->raw_city);
    free(a->raw_zip);
    free(a->raw_phone_area);
    free(a->raw_phone_number);
    free(a->raw_phone_extension);
}

/*
 * The API page's names for SPEC's fields. Two are ambiguous: "country_code" is
 * SPEC's ISO code ("MX"), which the API calls ctry_iso_code, while its own
 * country_code is a number (155) that is not shown; the address's phone is
 * phone_area, phone_number and phone_extension joined as for the phone list.
 */
static void
read_address(const cJSON *o, struct account_address *a)
{
    a->id = id_or_zero(o, "address_id");
    a->line1 = jsonread_text_nonempty(o, "address_01");
    a->neighborhood = jsonread_text_nonempty(o, "neighborhood");
    a->locality = jsonread_text_nonempty(o, "locality_town");
    a->city = jsonread_text_nonempty(o, "city_name");
    a->state = jsonread_text_nonempty(o, "state_name");
    a->country = jsonread_text_nonempty(o, "country_name");
    a->country_code = jsonread_text_nonempty(o, "ctry_iso_code");
    a->zip = text_or_integer(o, "zip_code");
    a->phone = phone_text(o, "phone_area", "phone_number", "phone_extension");
    a->phone_area = text_or_integer(o, "phone_area");
    a->phone_number = text_or_integer(o, "phone_number");
    a->phone_extension = text_or_integer(o, "phone_extension");
    a->city_code = id_or_zero(o, "city_code");
    a->state_code = id_or_zero(o, "state_code");
    a->country_num = id_or_zero(o, "country_code");
    a->raw_line1 = raw_text_or_integer(o, "address_01");
    a->raw_neighborhood = raw_text_or_integer(o, "neighborhood");
    a->raw_locality = raw_text_or_integer(o, "locality_town");
    a->raw_city = raw_text_or_integer(o, "city_name");
    a->raw_zip = raw_text_or_integer(o, "zip_code");
    a->raw_phone_area = raw_text_or_integer(o, "phone_area");
    a->raw_phone_number = raw_text_or_integer(o, "phone_number");
    a->raw_phone_extension = raw_text_or_integer(o, "phone_extension");
}

static enum account_phone_type
phone_type(const cJSON *v)
{
    uint64_t n;

    if (jsonread_count(v, &n) != 0)
        return PHONE_UNKNOWN;
    return n == 1 ? PHONE_HOME : n == 2 ? PHONE_MOBILE : PHONE_OTHER;
}

static void
read_phone(const cJSON *o, struct account_phone *p)
{
    uint64_t n;

    p->id = id_or_zero(o, "phone_id");
    p->type = phone_type(jsonread_member(o, "phone_type"));
    p->type_number =
        jsonread_count(jsonread_member(o, "phone_type"), &n) == 0 && n <= 1000000
            ? (long)n
            : -1;
    p->number = phone_text(o, "phone_area_code", "phone_number", "phone_extension");
    p->area = text_or_integer(o, "phone_area_code");
    p->digits = text_or_integer(o, "phone_number");
    p->extension = text_or_integer(o, "phone_extension");
    p->raw_area = raw_text_or_integer(o, "phone_area_code");
    p->raw_digits = raw_text_or_integer(o, "phone_number");
    p->raw_extension = raw_text_or_integer(o, "phone_extension");
}

const char *
account_phone_type_name(enum account_phone_type type)
{
    switch (type) {
    case PHONE_HOME:
        return "home";
    case PHONE_MOBILE:
        return "mobile";
    case PHONE_OTHER:
        return "other";
    case PHONE_UNKNOWN:
        break;
    }
    return NULL;
}

void
account_join(char *out, size_t size, const char *const parts[], size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t used = strlen(out);

        if (parts[k] == NULL || parts[k][0] == '\0')
            continue;
        snprintf(out + used, size - used, "%s%s", used > 0 ? ", " : "", parts[k]);
    }
}

void
account_address_place(const struct account_address *a, char *out, size_t size)
{
    const char *parts[] = {a->line1, a->neighborhood, a->locality,
                           a->city,  a->state,        a->country};

    out[0] = '\0';
    account_join(out, size, parts, sizeof parts / sizeof *parts);
}

const char *
account_phone_type_label(enum account_phone_type type)
{
    switch (type) {
    case PHONE_HOME:
        /* TRANSLATORS: label of a phone number in the profile, lower case. */
        return C_("phone", "home");
    case PHONE_MOBILE:
        /* TRANSLATORS: label of a phone number in the profile, lower case. */
        return C_("phone", "mobile");
    case PHONE_OTHER:
        /* TRANSLATORS: label of a phone number in the profile, lower case. */
        return C_("phone", "other");
    case PHONE_UNKNOWN:
        break;
    }
    return NULL;
}

/* Elements of a list that are not objects are left out: they hold nothing to show. */
static size_t
object_count(const cJSON *list)
{
    size_t n = 0;

    for (const cJSON *e = list_first(list); e != NULL; e = list_next(list, e))
        n += cJSON_IsObject(e);
    return n;
}

static int
read_profile_lists(const cJSON *rec, struct account_profile *p)
{
    const cJSON *addrs = jsonread_member(rec, "customer_address");
    const cJSON *phones = jsonread_member(rec, "customer_phone");
    size_t na = object_count(addrs), np = object_count(phones);

    p->addresses_known = cJSON_IsArray(addrs) || cJSON_IsObject(addrs);
    p->phones_known = cJSON_IsArray(phones) || cJSON_IsObject(phones);
    if (cJSON_IsArray(phones))
        p->phones_unread = (size_t)cJSON_GetArraySize(phones) - np;
    if ((na > 0 && (p->addresses = calloc(na, sizeof *p->addresses)) == NULL) ||
        (np > 0 && (p->phones = calloc(np, sizeof *p->phones)) == NULL))
        return -1;
    for (const cJSON *e = list_first(addrs); e != NULL && p->n_addresses < na;
         e = list_next(addrs, e))
        if (cJSON_IsObject(e))
            read_address(e, &p->addresses[p->n_addresses++]);
    for (const cJSON *e = list_first(phones); e != NULL && p->n_phones < np;
         e = list_next(phones, e))
        if (cJSON_IsObject(e))
            read_phone(e, &p->phones[p->n_phones++]);
    return 0;
}

/* The calendar date of a WCF date in its own offset: the ISO text's first ten bytes. */
static void
read_day(const cJSON *rec, const char *name, char out[ACCOUNT_DATE_SIZE])
{
    char iso[WCFDATE_ISO_SIZE];

    out[0] = '\0';
    if (jsonread_date(rec, name, iso, NULL) == 0) {
        memcpy(out, iso, ACCOUNT_DATE_SIZE - 1);
        out[ACCOUNT_DATE_SIZE - 1] = '\0';
    }
}

/*
 * SPEC's profile fields from the API page's names. tax_number comes as a
 * number (0 when the customer has none) or as text; both 0 and "0" are none.
 */
static int
read_profile(const cJSON *rec, struct account_profile *p)
{
    char *email = jsonread_text_nonempty(rec, "customer_email");

    p->customer_id = id_or_zero(rec, "cust_id");
    p->first_name = jsonread_text_nonempty(rec, "customer_first_name");
    p->last_name = jsonread_text_nonempty(rec, "customer_last_name");
    p->name = jsonread_join_name(p->first_name, p->last_name);
    if (email != NULL) {
        p->email = text_email_key(email);
        free(email);
    }
    read_day(rec, "customer_birth_date", p->birth_date);
    p->gender = jsonread_text_nonempty(rec, "customer_gender");
    p->identity_number = text_or_integer(rec, "customer_identity_number");
    p->tax_number = text_or_integer(rec, "customer_tax_number");
    if (p->tax_number != NULL && strcmp(p->tax_number, "0") == 0) {
        free(p->tax_number);
        p->tax_number = NULL;
    }
    p->campaign = jsonread_text_nonempty(rec, "customer_campaign");
    p->email_agreement = jsonread_flag(rec, "customer_email_agreement");
    p->active = jsonread_flag(rec, "is_active");
    p->vip = jsonread_flag(rec, "is_vip");
    p->business = jsonread_flag(rec, "is_business");
    p->enabled = jsonread_flag(rec, "is_enable");
    return read_profile_lists(rec, p);
}

int
account_profile_decode(long http_status, const char *body, size_t len, const char *email,
                       struct account_profile **out, struct bl_error *err)
{
    struct account_profile *p;
    cJSON *root;
    const cJSON *rec;
    int rc = 0;

    *out = NULL;
    if (jsonread_open(http_status, body, len, "profile", 0, &root, &rec, err) != 0)
        return -1;
    if (jsonread_flag(rec, "_verify") != FLAG_YES) {
        jsonread_take_server_error(rec, err);
        rc = key_refused(http_status, email, err);
    } else if ((p = calloc(1, sizeof *p)) == NULL) {
        rc = out_of_memory(err, http_status);
    } else if (read_profile(rec, p) != 0) {
        account_profile_free(p);
        rc = out_of_memory(err, http_status);
    } else if (decode_check_email(http_status, p->email, email, err) != 0) {
        /* A profile of another customer than the key's: nothing of it is shown. */
        account_profile_free(p);
        rc = -1;
    } else {
        p->text_nul = has_nul_escape(body, len);
        *out = p;
    }
    cJSON_Delete(root);
    return rc;
}

void
account_profile_free(struct account_profile *p)
{
    if (p == NULL)
        return;
    free(p->first_name);
    free(p->last_name);
    free(p->name);
    free(p->email);
    free(p->gender);
    free(p->identity_number);
    free(p->tax_number);
    free(p->campaign);
    for (size_t i = 0; i < p->n_addresses; i++)
        address_free(&p->addresses[i]);
    free(p->addresses);
    for (size_t i = 0; i < p->n_phones; i++) {
        free(p->phones[i].number);
        free(p->phones[i].area);
        free(p->phones[i].digits);
        free(p->phones[i].extension);
        free(p->phones[i].raw_area);
        free(p->phones[i].raw_digits);
        free(p->phones[i].raw_extension);
    }
    free(p->phones);
    free(p);
}

/* --- shipments --- */

static void
row_free(struct account_shipment_row *r)
{
    free(r->external_tracking);
    free(r->merchant);
    free(r->content);
    free(r->status);
    free(r->invoice_url);
}

/* Newest received first, undated rows last, then the higher AWB first. */
static int
row_order(const void *pa, const void *pb)
{
    const struct account_shipment_row *a = pa, *b = pb;
    int da = a->received[0] != '\0', db = b->received[0] != '\0';

    if (da != db)
        return db - da;
    if (da && a->received_ms != b->received_ms)
        return a->received_ms > b->received_ms ? -1 : 1;
    if (a->awb != b->awb)
        return a->awb > b->awb ? -1 : 1;
    return 0;
}

/*
 * The members of a row, by the API page's names, for SPEC's row fields. The
 * list is read in one pass with src/jsonscan.c rather than through a cJSON tree:
 * for 10 000 rows that is a third of the time and no tree of half a million
 * nodes. The rules are jsonread's, as for every other reply: the first of two
 * members of the same name counts, and each value is read by the jsonread_value
 * reader that reads it in a parsed reply.
 */
enum row_member {
    M_AWB,
    M_EXTERNAL_TRACKING,
    M_MERCHANT,
    M_CONTENT,
    M_STATUS,
    M_RECEIVED,
    M_MANIFESTED,
    M_VALUE,
    M_WEIGHT_CHARGED,
    M_WEIGHT_PHYSICAL,
    M_WEIGHT_VOLUMETRIC,
    M_CHARGE_RATE,
    M_CHARGE_DISCOUNT,
    M_CHARGE_TOTAL,
    M_INVOICE_REQUIRED,
    M_INVOICE_URL,
    M_VERIFY, /* this one and the next: read on the first element only */
    M_ERROR,
    ROW_MEMBERS
};

static const char *const row_member_names[ROW_MEMBERS] = {
    "trck_nmr_fol",
    "external_tracking",
    "merchant",
    "shipment_content",
    "shipment_status",
    "date_received",
    "date_manifested",
    "shipment_value",
    "weight_charged",
    "weight_physical",
    "weight_volumetric",
    "shipping_charge_rate",
    "shipping_charge_discount",
    "shipping_charge_total",
    "invoice_required",
    "invoice_file_url",
    "_verify",
    "error",
};

static int
row_member(const char *key)
{
    for (int m = 0; m < ROW_MEMBERS; m++)
        if (key[0] == row_member_names[m][0] && strcmp(key, row_member_names[m]) == 0)
            return m;
    return -1;
}

static void
take_row_member(struct account_shipment_row *r, int m, const struct json_value *v,
                struct jsonread_head *head)
{
    switch (m) {
    case M_AWB:
        if (jsonread_value_id(v, &r->awb) != 0)
            r->awb = 0;
        break;
    case M_EXTERNAL_TRACKING:
        r->external_tracking = jsonread_value_text_nonempty(v);
        break;
    case M_MERCHANT:
        r->merchant = jsonread_value_text_nonempty(v);
        break;
    case M_CONTENT:
        r->content = jsonread_value_text_nonempty(v);
        break;
    case M_STATUS:
        r->status = jsonread_value_text_nonempty(v);
        break;
    case M_RECEIVED:
        jsonread_value_date(v, r->received, &r->received_ms);
        break;
    case M_MANIFESTED:
        jsonread_value_date(v, r->manifested, NULL);
        break;
    case M_VALUE:
        r->value = jsonread_value_amount(v);
        break;
    case M_WEIGHT_CHARGED:
        r->weight_charged = jsonread_value_amount(v);
        break;
    case M_WEIGHT_PHYSICAL:
        r->weight_physical = jsonread_value_amount(v);
        break;
    case M_WEIGHT_VOLUMETRIC:
        r->weight_volumetric = jsonread_value_amount(v);
        break;
    case M_CHARGE_RATE:
        r->charge_rate = jsonread_value_amount(v);
        break;
    case M_CHARGE_DISCOUNT:
        r->charge_discount = jsonread_value_amount(v);
        break;
    case M_CHARGE_TOTAL:
        r->charge_total = jsonread_value_amount(v);
        break;
    case M_INVOICE_REQUIRED:
        r->invoice_required = jsonread_value_flag(v);
        break;
    case M_INVOICE_URL:
        r->invoice_url = jsonread_value_text_nonempty(v);
        break;
    case M_VERIFY:
        head->verify = jsonread_value_flag(v);
        break;
    default:
        break;
    }
}

/* The first element's error object: system_error, error_description and
 * error_location, each the first of its name; anything but an object leaves them
 * unknown. */
static int
scan_error_object(struct jsonscan *s, struct jsonread_head *head)
{
    static const char *const names[] = {"system_error", "error_description",
                                        "error_location"};
    unsigned seen = 0;
    const char *key;
    struct json_value v;
    int rc;

    if (jsonscan_peek(s) != JSON_OBJECT)
        return jsonscan_skip(s);
    if (jsonscan_enter(s, JSON_OBJECT) != 0)
        return -1;
    while ((rc = jsonscan_member(s, &key)) == 1) {
        size_t m = 0;

        while (m < 3 && strcmp(key, names[m]) != 0)
            m++;
        if (m == 3 || (seen & 1u << m) != 0) {
            if (jsonscan_skip(s) != 0)
                return -1;
            continue;
        }
        seen |= 1u << m;
        if (jsonscan_value(s, &v) != 0)
            return -1;
        if (m == 0)
            head->system_error = jsonread_value_flag(&v);
        else if (m == 1)
            head->description = jsonread_value_text_nonempty(&v);
        else
            head->location = jsonread_value_text_nonempty(&v);
    }
    return rc;
}

/* Reads the object that comes next into r; head is the first element's, NULL for the
 * others. Returns 0, or -1 when the text is not JSON. */
static int
scan_row(struct jsonscan *s, struct account_shipment_row *r, struct jsonread_head *head)
{
    unsigned seen = 0;
    const char *key;
    struct json_value v;
    int rc;

    if (jsonscan_enter(s, JSON_OBJECT) != 0)
        return -1;
    while ((rc = jsonscan_member(s, &key)) == 1) {
        int m = row_member(key);

        if (m < 0 || (seen & 1u << m) != 0 || (head == NULL && m >= M_VERIFY)) {
            if (jsonscan_skip(s) != 0)
                return -1;
            continue;
        }
        seen |= 1u << m;
        if (m == M_ERROR) {
            if (scan_error_object(s, head) != 0)
                return -1;
            continue;
        }
        if (jsonscan_value(s, &v) != 0)
            return -1;
        take_row_member(r, m, &v, head);
    }
    return rc;
}

struct rows_scan {
    struct jsonscan scan;
    struct account_shipments *s;
    size_t cap; /* rows allocated */
    size_t n;   /* elements read */
    int nomem;
    struct jsonread_head head;
};

/* Reads the next element: a row, or (not an object or no valid AWB) one skipped. */
static int
scan_element(struct rows_scan *rs)
{
    enum json_type type = jsonscan_peek(&rs->scan);
    struct account_shipments *s = rs->s;
    struct account_shipment_row *r;

    if (rs->n++ == 0)
        rs->head.is_object = type == JSON_OBJECT;
    if (type != JSON_OBJECT) {
        s->skipped++;
        return jsonscan_skip(&rs->scan);
    }
    if (s->n_rows == rs->cap) {
        size_t cap = rs->cap == 0 ? 64 : rs->cap * 2;

        if ((r = realloc(s->rows, cap * sizeof *r)) == NULL) {
            rs->nomem = 1;
            return -1;
        }
        s->rows = r;
        rs->cap = cap;
    }
    r = &s->rows[s->n_rows];
    memset(r, 0, sizeof *r);
    r->invoice_required = FLAG_UNKNOWN; /* a member missing from the row is unknown */
    if (scan_row(&rs->scan, r, rs->n == 1 ? &rs->head : NULL) != 0 || r->awb == 0) {
        row_free(r);
        s->skipped++;
        return rs->scan.status == JSONSCAN_OK ? 0 : -1;
    }
    s->n_rows++;
    return 0;
}

/* The whole reply: a list of elements, or an object taken as the one element. */
static void
scan_rows(struct rows_scan *rs)
{
    int rc;

    if (jsonscan_peek(&rs->scan) != JSON_ARRAY) {
        if (scan_element(rs) == 0)
            jsonscan_finish(&rs->scan);
        return;
    }
    if (jsonscan_enter(&rs->scan, JSON_ARRAY) != 0)
        return;
    while ((rc = jsonscan_element(&rs->scan)) == 1)
        if (scan_element(rs) != 0)
            return;
    if (rc == 0)
        jsonscan_finish(&rs->scan);
}

int
account_shipments_decode(long http_status, const char *body, size_t len,
                         const char *email, struct account_shipments **out,
                         struct bl_error *err)
{
    struct rows_scan rs = {.head = {0, FLAG_UNKNOWN, FLAG_UNKNOWN, NULL, NULL}};
    enum jsonscan_status status = JSONSCAN_OK;
    int rc;

    *out = NULL;
    if ((rs.s = calloc(1, sizeof *rs.s)) == NULL)
        return out_of_memory(err, http_status);
    if (http_status >= 200 && http_status <= 299) {
        jsonscan_init(&rs.scan, body, len);
        scan_rows(&rs);
        status = rs.nomem ? JSONSCAN_NOMEM : rs.scan.status;
        jsonscan_free(&rs.scan);
    }
    rc = jsonread_judge(http_status, status, rs.n, &rs.head, "shipments", 1, err);
    if (rc == 0 && rs.n > 0 && rs.head.verify != FLAG_YES) {
        jsonread_head_take_error(&rs.head, err);
        rc = key_refused(http_status, email, err);
    }
    if (rc == 0 &&
        stable_sort(rs.s->rows, rs.s->n_rows, sizeof *rs.s->rows, row_order) != 0)
        rc = out_of_memory(err, http_status);
    jsonread_head_clear(&rs.head);
    if (rc != 0) {
        account_shipments_free(rs.s);
        return -1;
    }
    if (rs.s->n_rows == 0) {
        free(rs.s->rows);
        rs.s->rows = NULL;
    } else if (rs.cap > rs.s->n_rows) {
        struct account_shipment_row *shrunk =
            realloc(rs.s->rows, rs.s->n_rows * sizeof *rs.s->rows);

        if (shrunk != NULL)
            rs.s->rows = shrunk;
    }
    *out = rs.s;
    return 0;
}

void
account_shipments_free(struct account_shipments *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n_rows; i++)
        row_free(&s->rows[i]);
    free(s->rows);
    free(s);
}

/* --- one shipment --- */

/*
 * The tracking event's fields. The API page has two dates (entry_date and
 * entry_date_db, equal in its example) and two descriptions (track_description
 * and track_description_op): entry_date and track_description are the ones
 * meant for the customer. Returns -1 for an event without a valid date.
 */
static int
read_event(const cJSON *o, struct account_event *ev)
{
    if (!cJSON_IsObject(o) || jsonread_date(o, "entry_date", ev->time, &ev->time_ms) != 0)
        return -1;
    ev->code = jsonread_text_nonempty(o, "track_cdg");
    ev->description = jsonread_text_nonempty(o, "track_description");
    ev->location = jsonread_text_nonempty(o, "iata_code");
    ev->note = jsonread_text_nonempty(o, "track_obs");
    return 0;
}

static void
event_free(struct account_event *ev)
{
    free(ev->code);
    free(ev->description);
    free(ev->location);
    free(ev->note);
}

static int
event_order(const void *pa, const void *pb)
{
    const struct account_event *a = pa, *b = pb;

    if (a->time_ms != b->time_ms)
        return a->time_ms > b->time_ms ? -1 : 1;
    return 0;
}

/*
 * SPEC's shipment fields from the API page's names. Where the page has two
 * candidates: total is total_shipping (not subtotal_shipping or shipping, equal
 * in its example), origin is iata_code_origin (not city_iata_code_origin),
 * destination is iata_code, recipient is name, pieces is quantity. The AWB is
 * the shipment's trck_nmr_fol, else the record's.
 */
static int
read_shipment(const cJSON *rec, const cJSON *sh, struct account_shipment *s)
{
    const cJSON *tracking = jsonread_member(rec, "tracking");
    size_t n = list_length(tracking);

    s->awb = id_or_zero(sh, "trck_nmr_fol");
    if (s->awb == 0)
        s->awb = id_or_zero(rec, "trck_nmr_fol");
    s->status = jsonread_text_nonempty(sh, "status_name");
    s->content = jsonread_text_nonempty(sh, "content");
    s->merchant = jsonread_text_nonempty(sh, "merchant_name");
    s->value = jsonread_amount(sh, "price_value");
    s->total = jsonread_amount(sh, "total_shipping");
    s->weight_physical = jsonread_amount(sh, "physical_weight");
    s->weight_charged = jsonread_amount(sh, "charged_weight");
    s->weight_unit = jsonread_text_nonempty(sh, "weight_unit");
    s->origin = jsonread_text_nonempty(sh, "iata_code_origin");
    s->destination = jsonread_text_nonempty(sh, "iata_code");
    s->recipient = jsonread_text_nonempty(sh, "name");
    s->address = jsonread_text_nonempty(sh, "address");
    s->city = jsonread_text_nonempty(sh, "city_name");
    s->state = jsonread_text_nonempty(sh, "state_name");
    s->country = jsonread_text_nonempty(sh, "country_name");
    s->pieces_known = jsonread_count(jsonread_member(sh, "quantity"), &s->pieces) == 0;
    s->tracking_known = cJSON_IsArray(tracking) || cJSON_IsObject(tracking);
    if (n > 0 && (s->events = calloc(n, sizeof *s->events)) == NULL)
        return -1;
    for (const cJSON *e = list_first(tracking); e != NULL && s->n_events + s->skipped < n;
         e = list_next(tracking, e)) {
        if (read_event(e, &s->events[s->n_events]) == 0)
            s->n_events++;
        else
            s->skipped++;
    }
    return stable_sort(s->events, s->n_events, sizeof *s->events, event_order);
}

int
account_shipment_decode(long http_status, const char *body, size_t len, const char *email,
                        uint64_t awb, struct account_shipment **out, struct bl_error *err)
{
    struct account_shipment *s;
    cJSON *root;
    const cJSON *rec, *sh;
    int rc = 0;

    *out = NULL;
    if (jsonread_open(http_status, body, len, "shipment", 0, &root, &rec, err) != 0)
        return -1;
    sh = jsonread_member(rec, "shipment");
    if (jsonread_flag(rec, "_verify") != FLAG_YES) {
        /* The server cannot say whether the AWB or the key was refused. */
        jsonread_take_server_error(rec, err);
        if (err->server_description != NULL)
            error_set(err, BL_REJECTED, "%s", err->server_description);
        else if (email != NULL)
            error_set(err, BL_REJECTED,
                      /* TRANSLATORS: the shipment's AWB, then the customer's email. */
                      _("No shipment %llu for %s (or the stored key is no longer "
                        "accepted)"),
                      (unsigned long long)awb, email);
        else
            error_set(err, BL_REJECTED,
                      /* TRANSLATORS: %llu is the shipment's AWB. */
                      _("No shipment %llu for this customer (or the stored key is no "
                        "longer accepted)"),
                      (unsigned long long)awb);
        err->http_status = http_status;
        rc = -1;
    } else if (!cJSON_IsObject(sh)) {
        rc = jsonread_fail(err, http_status, BL_SERVER,
                           _("The server's reply has no shipment details"));
    } else if ((s = calloc(1, sizeof *s)) == NULL) {
        rc = out_of_memory(err, http_status);
    } else if (read_shipment(rec, sh, s) != 0) {
        account_shipment_free(s);
        rc = out_of_memory(err, http_status);
    } else {
        *out = s;
    }
    cJSON_Delete(root);
    return rc;
}

void
account_shipment_free(struct account_shipment *s)
{
    if (s == NULL)
        return;
    free(s->status);
    free(s->content);
    free(s->merchant);
    free(s->weight_unit);
    free(s->origin);
    free(s->destination);
    free(s->recipient);
    free(s->address);
    free(s->city);
    free(s->state);
    free(s->country);
    for (size_t i = 0; i < s->n_events; i++)
        event_free(&s->events[i]);
    free(s->events);
    free(s);
}
