#include "change.h"
#include "decode.h"
#include "i18n.h"
#include "jsonread.h"
#include "jsonwrite.h"
#include "places.h"
#include "secmem.h"
#include "text.h"
#include "value.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

const char change_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ"
                               "abcdefghijkmnopqrstuvwxyz"
                               "23456789";

#define MIN_PASSWORD 8
#define MAX_PASSWORD 64

static void
phone_clear(struct change_phone *p)
{
    free(p->area);
    free(p->number);
    free(p->extension);
    memset(p, 0, sizeof *p);
}

void
change_request_clear(struct change_request *r)
{
    char *texts[] = {r->new_email,    r->first_name,  r->last_name, r->identity_number,
                     r->tax_number,   r->birth_date,  r->gender,    r->line1,
                     r->neighborhood, r->locality,    r->zip,       r->city_name,
                     r->state_name,   r->country_name};

    secmem_free(r->new_password);
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        free(texts[i]);
    phone_clear(&r->home);
    phone_clear(&r->mobile);
    memset(r, 0, sizeof *r);
}

void
change_plan_clear(struct change_plan *plan)
{
    for (size_t i = 0; i < plan->n; i++) {
        free(plan->fields[i].before);
        free(plan->fields[i].after);
    }
    for (size_t i = 0; i < plan->n_owned; i++)
        free(plan->owned[i]);
    free(plan->owned);
    free(plan->phones);
    memset(plan, 0, sizeof *plan);
}

/* Two strings the same, NULL only as NULL. */
static int
same_text(const char *a, const char *b)
{
    return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

int
change_plan_equal(const struct change_plan *a, const struct change_plan *b)
{
    const struct api_address *x = &a->address, *y = &b->address;

    if (a->kind != b->kind || a->n != b->n || a->city_code != b->city_code ||
        a->state_code != b->state_code || a->country_num != b->country_num ||
        a->n_phones != b->n_phones)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (!same_text(a->fields[i].name, b->fields[i].name) ||
            !same_text(a->fields[i].before, b->fields[i].before) ||
            !same_text(a->fields[i].after, b->fields[i].after))
            return 0;
    if (x->city_code != y->city_code || !same_text(x->city_name, y->city_name) ||
        !same_text(x->phone_area, y->phone_area) ||
        !same_text(x->phone_number, y->phone_number) ||
        !same_text(x->phone_extension, y->phone_extension) ||
        !same_text(x->locality_town, y->locality_town) ||
        !same_text(x->neighborhood, y->neighborhood) ||
        !same_text(x->address_01, y->address_01) || !same_text(x->zip_code, y->zip_code))
        return 0;
    for (size_t i = 0; i < a->n_phones; i++)
        if (a->phones[i].type != b->phones[i].type ||
            !same_text(a->phones[i].area_code, b->phones[i].area_code) ||
            !same_text(a->phones[i].number, b->phones[i].number) ||
            !same_text(a->phones[i].extension, b->phones[i].extension))
            return 0;
    return 1;
}

static const char *
bool_word(int b)
{
    return b ? "true" : "false";
}

/* Adds a field to plan; before may be NULL (unknown or a password). Returns 0 or -1. */
static int
add_field(struct change_plan *plan, const char *name, int boolean, const char *before,
          const char *after)
{
    struct change_field *f = &plan->fields[plan->n];

    f->name = name;
    f->boolean = boolean;
    f->before = before != NULL ? strdup(before) : NULL;
    f->after = after != NULL ? strdup(after) : NULL;
    plan->n++;
    return (before != NULL && f->before == NULL) || (after != NULL && f->after == NULL)
               ? -1
               : 0;
}

/* Plans one flag: sent when asked and different from (or unknown in) the profile. */
static int
plan_flag(struct change_plan *plan, const char *name, int asked, enum bl_flag now)
{
    if (asked == CHANGE_FLAG_KEEP || (now != FLAG_UNKNOWN && (int)now == asked))
        return 0;
    return add_field(plan, name, 1,
                     now == FLAG_UNKNOWN ? NULL : bool_word(now == FLAG_YES),
                     bool_word(asked));
}

/* A copy of s trimmed, or NULL for NULL (or without memory). */
static char *
trimmed_or_null(const char *s)
{
    return s != NULL ? text_trimmed(s) : NULL;
}

/* Plans one text field: sent when asked and different (trimmed, exactly) from the
 * profile's, or when the profile's is unknown. */
static int
plan_text(struct change_plan *plan, const char *name, const char *asked, const char *now)
{
    char *t = trimmed_or_null(now);
    int rc = 0;

    if (asked != NULL && (t == NULL || strcmp(t, asked) != 0))
        rc = add_field(plan, name, 0, t, asked);
    free(t);
    return rc;
}

static int
plan_details(const struct change_request *rq, const struct account_profile *p,
             struct change_plan *plan)
{
    int rc = plan_text(plan, "first_name", rq->first_name, p->first_name);

    if (rc == 0)
        rc = plan_text(plan, "last_name", rq->last_name, p->last_name);
    if (rc == 0)
        rc = plan_text(plan, "identity_number", rq->identity_number, p->identity_number);
    if (rc == 0)
        rc = plan_text(plan, "tax_number", rq->tax_number, p->tax_number);
    if (rc == 0)
        rc = plan_text(plan, "birth_date", rq->birth_date,
                       p->birth_date[0] != '\0' ? p->birth_date : NULL);
    if (rc == 0)
        rc = plan_text(plan, "gender", rq->gender, p->gender);
    return rc;
}

/* An area without its leading '+' and spaces; points into area ("" for NULL). */
static const char *
bare_area(const char *area)
{
    if (area == NULL)
        return "";
    while (*area == '+' || *area == ' ')
        area++;
    return area;
}

/* Whether two phones' parts are the same phone: the areas ignoring a leading '+', the
 * numbers and extensions (NULL as "") exactly. */
static int
same_phone(const char *area1, const char *num1, const char *ext1, const char *area2,
           const char *num2, const char *ext2)
{
    return strcmp(bare_area(area1), bare_area(area2)) == 0 &&
           strcmp(num1 != NULL ? num1 : "", num2 != NULL ? num2 : "") == 0 &&
           strcmp(ext1 != NULL ? ext1 : "", ext2 != NULL ? ext2 : "") == 0;
}

char *
change_phone_text(const char *area, const char *number, const char *extension)
{
    const char *a = bare_area(area);
    char *s = NULL;

    if (number == NULL || number[0] == '\0')
        return NULL;
    if (asprintf(&s, "%s%s%s%s%s%s", a[0] != '\0' ? "+" : "", a, a[0] != '\0' ? " " : "",
                 number, extension != NULL && extension[0] != '\0' ? " ext " : "",
                 extension != NULL ? extension : "") < 0)
        s = NULL;
    return s;
}

/* The phones of type t in p as one text, "+1 123 ext 4, +1 567"; "" for none;
 * malloc'd, or NULL without memory. */
static char *
phones_of(const struct account_profile *p, enum account_phone_type t)
{
    char *out = strdup("");

    for (size_t i = 0; out != NULL && i < p->n_phones; i++) {
        const struct account_phone *ph = &p->phones[i];
        char *one, *joined = NULL;

        if (ph->type != t ||
            (one = change_phone_text(ph->area, ph->digits, ph->extension)) == NULL)
            continue;
        if (asprintf(&joined, "%s%s%s", out, out[0] != '\0' ? ", " : "", one) < 0)
            joined = NULL;
        free(one);
        free(out);
        out = joined;
    }
    return out;
}

/* Keeps a copy of s (NULL: "") owned by the plan; NULL without memory. */
static const char *
own(struct change_plan *plan, const char *s)
{
    char *copy = strdup(s != NULL ? s : ""), **more;

    if (copy == NULL)
        return NULL;
    if ((more = realloc(plan->owned, (plan->n_owned + 1) * sizeof(char *))) == NULL) {
        free(copy);
        return NULL;
    }
    plan->owned = more;
    plan->owned[plan->n_owned++] = copy;
    return copy;
}

/* Plans the phones of type t as asked (ask): a field when they would change. */
static int
plan_phones(struct change_plan *plan, const char *name, const struct account_profile *p,
            enum account_phone_type t, const struct change_phone *ask)
{
    char *now, *want;
    int rc = 0;

    if (ask->ask == CHANGE_PHONE_KEEP)
        return 0;
    if ((now = phones_of(p, t)) == NULL)
        return -1;
    want = ask->ask == CHANGE_PHONE_SET
               ? change_phone_text(ask->area, ask->number, ask->extension)
               : strdup("");
    if (want == NULL)
        rc = -1;
    else if (strcmp(now, want) != 0)
        rc = add_field(plan, name, 0, now, want);
    free(now);
    free(want);
    return rc;
}

/* Carries phone ph into customer_phone as the server sent it (its raw parts, the area
 * without '+'), with the server's own phone_type number. */
static int
carry_phone(struct change_plan *plan, const struct account_phone *ph, size_t *k)
{
    struct api_phone *out = &plan->phones[*k];

    if ((out->area_code = own(plan, bare_area(ph->raw_area))) == NULL ||
        (out->number = own(plan, ph->raw_digits)) == NULL ||
        (out->extension = own(plan, ph->raw_extension)) == NULL)
        return -1;
    out->type = (int)ph->type_number;
    (*k)++;
    return 0;
}

static int
add_new_phone(struct change_plan *plan, const struct change_phone *ask, int type,
              size_t *k)
{
    struct api_phone *out = &plan->phones[*k];

    if (ask->ask != CHANGE_PHONE_SET)
        return 0;
    if ((out->area_code = own(plan, ask->area)) == NULL ||
        (out->number = own(plan, ask->number)) == NULL ||
        (out->extension = own(plan, ask->extension)) == NULL)
        return -1;
    out->type = type;
    (*k)++;
    return 0;
}

/* The ask for phones of type t: home's, mobile's, or none for the others. */
static const struct change_phone *
ask_of(const struct change_request *rq, enum account_phone_type t)
{
    return t == PHONE_HOME ? &rq->home : t == PHONE_MOBILE ? &rq->mobile : NULL;
}

/* Whether s (NULL is fine) can be sent back byte for byte: valid UTF-8. */
static int
sendable(const char *s)
{
    return s == NULL || text_utf8_valid(s, strlen(s));
}

/* Whether the parts of phone ph that a change would carry can be sent back as they are.
 */
static int
phone_sendable(const struct account_phone *ph)
{
    return sendable(ph->raw_area) && sendable(ph->raw_digits) &&
           sendable(ph->raw_extension);
}

/* Plans one text field of the address: sent when asked and different (trimmed,
 * exactly) from the value the server has (raw), which is shown as shown. */
static int
plan_raw_text(struct change_plan *plan, const char *name, const char *asked,
              const char *raw, const char *shown)
{
    char *t = trimmed_or_null(raw), *before = trimmed_or_null(shown);
    int rc = 0;

    if (raw != NULL && t == NULL)
        rc = -1;
    else if (asked != NULL && (t == NULL || strcmp(t, asked) != 0))
        rc = add_field(plan, name, 0, before, asked);
    free(t);
    free(before);
    return rc;
}

/* Whether two names are the same place's, ignoring case and accents. */
static int
same_place_name(const char *a, const char *b)
{
    char *fa = a != NULL ? places_fold(a) : NULL, *fb = b != NULL ? places_fold(b) : NULL;
    int same = fa != NULL && fb != NULL && strcmp(fa, fb) == 0;

    free(fa);
    free(fb);
    return same;
}

/* Whether a place (a state or a country) changes: by its codes when both are known,
 * else by its names ignoring case and accents. */
static int
place_changes(uint64_t now_code, uint64_t new_code, const char *now_name,
              const char *new_name)
{
    if (now_code != 0 && new_code != 0)
        return now_code != new_code;
    return !same_place_name(now_name, new_name);
}

/* Refuses with a server error: what the profile holds cannot be carried over. */
static int
refuse_carry(struct bl_error *err, const char *why)
{
    error_set(err, BL_SERVER, "%s", why);
    return -2;
}

/* Checks that every value the address change would carry can be sent back as the
 * server has it. Returns 0, or -2 with err. */
static int
check_carried(const struct change_request *rq, const struct account_profile *p,
              struct bl_error *err)
{
    const struct account_address *a = &p->addresses[0];

    if (p->text_nul)
        return refuse_carry(
            err,
            /* TRANSLATORS: \u0000 is how JSON writes a NUL character; keep it. */
            _("the profile holds a text with a NUL character (\\u0000), which cannot be "
              "sent back as it is: nothing was sent"));
    if (p->phones_unread > 0)
        return refuse_carry(err, _("a phone in the profile cannot be read, so it cannot "
                                   "be carried over: nothing was sent"));
    for (size_t i = 0; i < p->n_phones; i++) {
        const struct account_phone *ph = &p->phones[i];
        const struct change_phone *ask = ask_of(rq, ph->type);

        if (ask != NULL && ask->ask != CHANGE_PHONE_KEEP)
            continue; /* replaced or removed: not carried */
        if (ph->digits == NULL)
            return refuse_carry(err, _("a phone in the profile cannot be read, so it "
                                       "cannot be carried over: nothing was sent"));
        if (ph->type_number < 0)
            return refuse_carry(err, _("a phone in the profile has no type, so it cannot "
                                       "be carried over: nothing was sent"));
        if (!phone_sendable(ph))
            goto bad;
    }
    if ((rq->line1 == NULL && !sendable(a->raw_line1)) ||
        (rq->neighborhood == NULL && !sendable(a->raw_neighborhood)) ||
        (rq->locality == NULL && !sendable(a->raw_locality)) ||
        (rq->zip == NULL && !sendable(a->raw_zip)) ||
        (rq->city_code == 0 && !sendable(a->raw_city)) || !sendable(a->raw_phone_area) ||
        !sendable(a->raw_phone_number) || !sendable(a->raw_phone_extension))
        goto bad;
    return 0;
bad:
    return refuse_carry(err, _("the customer's address or phones hold text that is not "
                               "valid UTF-8, which cannot be sent back as it is: nothing "
                               "was sent"));
}

/*
 * The address change: its fields, the one element of customer_address with every
 * current value of what does not change, and customer_phone, every current phone with
 * the change applied. Values carried over are sent as the server has them, never as
 * cleaned for display. Returns 0, -1 without memory, or -2 with err.
 */
static int
plan_address(const struct change_request *rq, const struct account_profile *p,
             struct change_plan *plan, struct bl_error *err)
{
    const struct account_address *a;
    struct api_address *out = &plan->address;
    enum account_phone_type own_type = PHONE_UNKNOWN;
    const struct change_phone *own_ask = NULL;
    size_t k = 0;

    if (p->addresses_known && p->n_addresses == 0) {
        error_set(err, BL_USAGE, "%s",
                  /* TRANSLATORS: set-address edits the customer's first address. */
                  _("the customer has no address on file to change"));
        return -2;
    }
    if (!p->addresses_known || !p->phones_known)
        return refuse_carry(
            err, _("the profile does not show the customer's address and "
                   "phones, so they cannot be carried over: nothing was sent"));
    a = &p->addresses[0];
    /* The address's own phone: the phone whose parts equal the address's. */
    for (size_t i = 0;
         a->raw_phone_number != NULL && a->raw_phone_number[0] != '\0' && i < p->n_phones;
         i++)
        if (same_phone(p->phones[i].raw_area, p->phones[i].raw_digits,
                       p->phones[i].raw_extension, a->raw_phone_area, a->raw_phone_number,
                       a->raw_phone_extension)) {
            own_type = p->phones[i].type;
            break;
        }
    own_ask = ask_of(rq, own_type);
    if (own_ask != NULL && own_ask->ask == CHANGE_PHONE_REMOVE) {
        char *text =
            change_phone_text(a->phone_area, a->phone_number, a->phone_extension);

        error_set(err, BL_USAGE,
                  /* TRANSLATORS: %s is a phone; keep --home and --mobile as they are. */
                  _("the address's own phone (%s) cannot be removed, only replaced "
                    "(--home or --mobile)"),
                  text != NULL ? text : "");
        free(text);
        return -2;
    }
    if (check_carried(rq, p, err) != 0)
        return -2;
    if (plan_raw_text(plan, "line1", rq->line1, a->raw_line1, a->line1) != 0 ||
        plan_raw_text(plan, "neighborhood", rq->neighborhood, a->raw_neighborhood,
                      a->neighborhood) != 0 ||
        plan_raw_text(plan, "locality", rq->locality, a->raw_locality, a->locality) !=
            0 ||
        plan_raw_text(plan, "zip", rq->zip, a->raw_zip, a->zip) != 0)
        return -1;
    if (rq->city_code != 0 && rq->city_code != a->city_code) {
        char code[24];

        snprintf(code, sizeof code, "%llu", (unsigned long long)rq->city_code);
        if (add_field(plan, "city", 0, a->city,
                      rq->city_name != NULL ? rq->city_name : code) != 0 ||
            (rq->state_name != NULL &&
             place_changes(a->state_code, rq->state_code, a->state, rq->state_name) &&
             add_field(plan, "state", 0, a->state, rq->state_name) != 0) ||
            (rq->country_name != NULL &&
             place_changes(a->country_num, rq->country_num, a->country,
                           rq->country_name) &&
             add_field(plan, "country", 0, a->country, rq->country_name) != 0))
            return -1;
        plan->city_code = rq->city_code;
        plan->state_code = rq->state_code;
        plan->country_num = rq->country_num;
    }
    if (plan_phones(plan, "home", p, PHONE_HOME, &rq->home) != 0 ||
        plan_phones(plan, "mobile", p, PHONE_MOBILE, &rq->mobile) != 0)
        return -1;
    if (plan->n == 0)
        return 0;
    /* The element: what changes, and every current value of what does not. */
    out->city_code = plan->city_code != 0 ? plan->city_code : a->city_code;
    if ((out->city_name =
             own(plan, plan->city_code != 0 ? (rq->city_name != NULL ? rq->city_name : "")
                                            : a->raw_city)) == NULL ||
        (out->locality_town =
             own(plan, rq->locality != NULL ? rq->locality : a->raw_locality)) == NULL ||
        (out->neighborhood = own(plan, rq->neighborhood != NULL ? rq->neighborhood
                                                                : a->raw_neighborhood)) ==
            NULL ||
        (out->address_01 = own(plan, rq->line1 != NULL ? rq->line1 : a->raw_line1)) ==
            NULL ||
        (out->zip_code = own(plan, rq->zip != NULL ? rq->zip : a->raw_zip)) == NULL)
        return -1;
    if (own_ask != NULL && own_ask->ask == CHANGE_PHONE_SET) {
        out->phone_area = own(plan, own_ask->area);
        out->phone_number = own(plan, own_ask->number);
        out->phone_extension = own(plan, own_ask->extension);
    } else {
        out->phone_area = own(plan, bare_area(a->raw_phone_area));
        out->phone_number = own(plan, a->raw_phone_number);
        out->phone_extension = own(plan, a->raw_phone_extension);
    }
    if (out->phone_area == NULL || out->phone_number == NULL ||
        out->phone_extension == NULL)
        return -1;
    /* customer_phone replaces every phone: all of them, the change applied. The
     * address's own phone is among them, as in the API page's example. */
    if ((plan->phones = calloc(p->n_phones + 2, sizeof *plan->phones)) == NULL)
        return -1;
    for (size_t i = 0; i < p->n_phones; i++) {
        const struct change_phone *ask = ask_of(rq, p->phones[i].type);

        if (ask != NULL && ask->ask != CHANGE_PHONE_KEEP)
            continue;
        if (carry_phone(plan, &p->phones[i], &k) != 0)
            return -1;
    }
    if (add_new_phone(plan, &rq->home, 1, &k) != 0 ||
        add_new_phone(plan, &rq->mobile, 2, &k) != 0)
        return -1;
    plan->n_phones = k;
    return 0;
}

int
change_plan_make(const struct change_request *rq, const struct account_profile *before,
                 struct change_plan *plan, struct bl_error *err)
{
    int rc = 0;

    memset(plan, 0, sizeof *plan);
    plan->kind = rq->kind;
    switch (rq->kind) {
    case CHANGE_PASSWORD:
        rc = add_field(plan, "password", 0, NULL, NULL);
        break;
    case CHANGE_EMAIL: {
        char *now = before->email != NULL ? text_email_key(before->email) : NULL;

        if (now == NULL || strcmp(now, rq->new_email) != 0)
            rc = add_field(plan, "email", 0, now, rq->new_email);
        free(now);
        break;
    }
    case CHANGE_TYPE:
        rc = plan_flag(plan, "vip", rq->vip, before->vip);
        if (rc == 0)
            rc = plan_flag(plan, "business", rq->business, before->business);
        break;
    case CHANGE_DETAILS:
        rc = plan_details(rq, before, plan);
        break;
    case CHANGE_ADDRESS:
        if ((rc = plan_address(rq, before, plan, err)) < -1) {
            change_plan_clear(plan);
            return -1; /* err says why */
        }
        break;
    }
    if (rc != 0) {
        change_plan_clear(plan);
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    }
    return 0;
}

/* Whether a and b are equal once trimmed, ignoring case when fold. */
static int
same_trimmed(const char *a, const char *b, int fold)
{
    char *ta = a != NULL ? text_trimmed(a) : NULL,
         *tb = b != NULL ? text_trimmed(b) : NULL;
    int same = ta != NULL && tb != NULL &&
               (fold ? strcasecmp(ta, tb) == 0 : strcmp(ta, tb) == 0);

    free(ta);
    free(tb);
    return same;
}

/* What after shows of the field named name (its profile's value as plans write it);
 * malloc'd, NULL when unknown (or without memory). *code is the address's city code. */
static char *
shown_value(const char *name, const struct account_profile *p, uint64_t *code)
{
    const struct account_address *a = p->n_addresses > 0 ? &p->addresses[0] : NULL;
    const char *v = NULL;

    *code = a != NULL ? a->city_code : 0;
    if (strcmp(name, "home") == 0 || strcmp(name, "mobile") == 0)
        return p->phones_known
                   ? phones_of(p, strcmp(name, "home") == 0 ? PHONE_HOME : PHONE_MOBILE)
                   : NULL;
    if (strcmp(name, "email") == 0)
        v = p->email;
    else if (strcmp(name, "first_name") == 0)
        v = p->first_name;
    else if (strcmp(name, "last_name") == 0)
        v = p->last_name;
    else if (strcmp(name, "identity_number") == 0)
        v = p->identity_number;
    else if (strcmp(name, "tax_number") == 0)
        v = p->tax_number;
    else if (strcmp(name, "birth_date") == 0)
        v = p->birth_date[0] != '\0' ? p->birth_date : NULL;
    else if (strcmp(name, "gender") == 0)
        v = p->gender;
    else if (a == NULL)
        v = NULL;
    else if (strcmp(name, "line1") == 0)
        v = a->line1;
    else if (strcmp(name, "neighborhood") == 0)
        v = a->neighborhood;
    else if (strcmp(name, "locality") == 0)
        v = a->locality;
    else if (strcmp(name, "zip") == 0)
        v = a->zip;
    else if (strcmp(name, "city") == 0)
        v = a->city;
    else if (strcmp(name, "state") == 0)
        v = a->state;
    else if (strcmp(name, "country") == 0)
        v = a->country;
    return v != NULL ? strdup(v) : NULL;
}

/* Whether a and b (NULL as "") are equal once trimmed. */
static int
same_raw(const char *a, const char *b)
{
    char *ta = text_trimmed(a != NULL ? a : ""), *tb = text_trimmed(b != NULL ? b : "");
    int same = ta != NULL && tb != NULL && strcmp(ta, tb) == 0;

    free(ta);
    free(tb);
    return same;
}

/* Appends "; " (unless at the start) and the formatted text to buf (size bytes). */
static void __attribute__((format(printf, 3, 4)))
say_more(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    va_list ap;

    if (len > 0 && len + 2 < size) {
        memcpy(buf + len, "; ", 3);
        len += 2;
    }
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

/*
 * What the address change sent that after does not hold beyond the plan's fields: an
 * unchanged value of the element that moved, or a phone sent that is not there exactly
 * once (area ignoring '+', number, extension and type). Writes what is wrong to buf
 * (size bytes, "" when nothing) and returns how many things are.
 */
static int
address_problems(const struct change_plan *plan, const struct account_profile *after,
                 char *buf, size_t size)
{
    const struct api_address *sent = &plan->address;
    const struct account_address *a;
    int n = 0;

    buf[0] = '\0';
    if (after->n_addresses == 0) {
        say_more(buf, size, "%s", _("the address is gone"));
        return 1;
    }
    a = &after->addresses[0];
    if (plan->city_code == 0 && sent->city_code != 0 && a->city_code != sent->city_code) {
        say_more(buf, size, "city: %s", a->city != NULL ? a->city : "(none)");
        n++;
    }
    {
        const char *names[] = {"line1", "neighborhood", "locality", "zip"};
        const char *sent_v[] = {sent->address_01, sent->neighborhood, sent->locality_town,
                                sent->zip_code};
        const char *raw[] = {a->raw_line1, a->raw_neighborhood, a->raw_locality,
                             a->raw_zip};
        const char *shown[] = {a->line1, a->neighborhood, a->locality, a->zip};

        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            if (!same_raw(sent_v[i], raw[i])) {
                say_more(buf, size, "%s: %s", names[i],
                         shown[i] != NULL ? shown[i] : "(none)");
                n++;
            }
    }
    if (!same_phone(sent->phone_area, sent->phone_number, sent->phone_extension,
                    a->raw_phone_area, a->raw_phone_number, a->raw_phone_extension)) {
        say_more(buf, size, "address phone: %s", a->phone != NULL ? a->phone : "(none)");
        n++;
    }
    for (size_t i = 0; i < plan->n_phones; i++) {
        const struct api_phone *ph = &plan->phones[i];
        size_t times = 0;
        char *text;

        for (size_t j = 0; j < after->n_phones; j++)
            times += after->phones[j].type_number == ph->type &&
                     same_phone(ph->area_code, ph->number, ph->extension,
                                after->phones[j].raw_area, after->phones[j].raw_digits,
                                after->phones[j].raw_extension);
        if (times == 1)
            continue;
        text = change_phone_text(ph->area_code, ph->number, ph->extension);
        if (times == 0)
            /* TRANSLATORS: a phone, then its phone_type number. */
            say_more(buf, size, _("phone %s (type %d) missing"), text != NULL ? text : "",
                     ph->type);
        else
            /* TRANSLATORS: a phone, its phone_type number, then how many times. */
            say_more(buf, size, _("phone %s (type %d) %zu times"),
                     text != NULL ? text : "", ph->type, times);
        free(text);
        n++;
    }
    return n;
}

/* Whether the state or country of an address change shows the new one: by its code
 * when the plan and the profile know it, else by its name ignoring case and accents. */
static int
same_place(const char *name, const struct change_plan *plan,
           const struct account_profile *after, const char *want)
{
    const struct account_address *a =
        after->n_addresses > 0 ? &after->addresses[0] : NULL;
    int state = strcmp(name, "state") == 0;
    uint64_t code = state ? plan->state_code : plan->country_num;

    if (a == NULL)
        return 0;
    if (code != 0 && (state ? a->state_code : a->country_num) != 0)
        return code == (state ? a->state_code : a->country_num);
    return same_place_name(state ? a->state : a->country, want);
}

int
change_verify(const struct change_plan *plan, const struct account_profile *after)
{
    for (size_t i = 0; i < plan->n; i++) {
        const struct change_field *f = &plan->fields[i];
        enum bl_flag want =
            f->after != NULL && strcmp(f->after, "true") == 0 ? FLAG_YES : FLAG_NO;
        uint64_t code = 0;
        char *now;
        int same;

        if (strcmp(f->name, "password") == 0)
            continue;
        if (strcmp(f->name, "vip") == 0) {
            if (after->vip != want)
                return 0;
            continue;
        }
        if (strcmp(f->name, "business") == 0) {
            if (after->business != want)
                return 0;
            continue;
        }
        if (strcmp(f->name, "state") == 0 || strcmp(f->name, "country") == 0) {
            if (!same_place(f->name, plan, after, f->after))
                return 0;
            continue;
        }
        now = shown_value(f->name, after, &code);
        if (strcmp(f->name, "city") == 0)
            same = code != 0 && code == plan->city_code; /* compared by its code */
        else
            same = same_trimmed(now, f->after, strcmp(f->name, "email") == 0);
        free(now);
        if (!same)
            return 0;
    }
    if (plan->kind == CHANGE_ADDRESS && plan->n > 0) {
        char buf[1024];

        if (address_problems(plan, after, buf, sizeof buf) > 0)
            return 0;
    }
    return 1;
}

const char *
change_outcome_name(enum change_outcome o)
{
    static const char *const names[] = {
        [CHANGE_APPLIED] = "applied", [CHANGE_REJECTED] = "rejected",
        [CHANGE_UNKNOWN] = "unknown", [CHANGE_NOT_APPLIED] = "not-applied",
        [CHANGE_NOTHING] = "nothing", [CHANGE_DRY_RUN] = "dry-run",
    };

    return names[o];
}

int
change_exit_status(enum change_outcome o)
{
    switch (o) {
    case CHANGE_APPLIED:
    case CHANGE_NOTHING:
    case CHANGE_DRY_RUN:
        return 0;
    case CHANGE_REJECTED:
        return 1;
    case CHANGE_UNKNOWN:
    case CHANGE_NOT_APPLIED:
        break;
    }
    return 4;
}

enum history_action
change_history_action(enum change_kind k)
{
    static const enum history_action actions[] = {
        [CHANGE_PASSWORD] = HISTORY_SET_PASSWORD, [CHANGE_EMAIL] = HISTORY_SET_EMAIL,
        [CHANGE_TYPE] = HISTORY_SET_TYPE,         [CHANGE_DETAILS] = HISTORY_SET_DETAILS,
        [CHANGE_ADDRESS] = HISTORY_SET_ADDRESS,
    };

    return actions[k];
}

static enum api_call
call_of(enum change_kind k)
{
    static const enum api_call calls[] = {
        [CHANGE_PASSWORD] = API_PASSWORD, [CHANGE_EMAIL] = API_EMAIL,
        [CHANGE_TYPE] = API_TYPE,         [CHANGE_DETAILS] = API_DETAILS,
        [CHANGE_ADDRESS] = API_ADDRESS,
    };

    return calls[k];
}

static enum api_flag
api_flag_of(int f)
{
    return f == CHANGE_FLAG_KEEP ? API_FLAG_KEEP : f ? API_FLAG_TRUE : API_FLAG_FALSE;
}

struct api_request
change_write_request(const struct change_request *rq, const struct change_plan *plan,
                     uint64_t box_id, const char *key, const char *email_key)
{
    struct api_request w = {.call = call_of(rq->kind),
                            .box_id = box_id,
                            .customer_key = key,
                            .email = email_key};

    switch (rq->kind) {
    case CHANGE_PASSWORD:
        w.password = rq->new_password;
        w.password_len = rq->new_password_len;
        break;
    case CHANGE_EMAIL:
        w.new_email = rq->new_email;
        break;
    case CHANGE_TYPE:
        /* Only the flags that change. */
        for (size_t i = 0; i < plan->n; i++) {
            int on = strcmp(plan->fields[i].after, "true") == 0;

            if (strcmp(plan->fields[i].name, "vip") == 0)
                w.vip = api_flag_of(on);
            else
                w.business = api_flag_of(on);
        }
        break;
    case CHANGE_DETAILS:
        /* Only the fields that change: SkyPostal keeps what is not sent. */
        for (size_t i = 0; i < plan->n; i++) {
            const char *name = plan->fields[i].name, *v = plan->fields[i].after;

            if (strcmp(name, "first_name") == 0)
                w.details.first_name = v;
            else if (strcmp(name, "last_name") == 0)
                w.details.last_name = v;
            else if (strcmp(name, "identity_number") == 0)
                w.details.identity_number = v;
            else if (strcmp(name, "birth_date") == 0)
                w.details.birth_date = v;
            else if (strcmp(name, "gender") == 0)
                w.details.gender = v;
            else if (strcmp(name, "tax_number") == 0) {
                w.details.has_tax_number = 1;
                w.details.tax_number = strtoull(v, NULL, 10);
            }
        }
        break;
    case CHANGE_ADDRESS:
        w.address = &plan->address;
        w.phones = plan->phones;
        w.phone_count = plan->n_phones;
        break;
    }
    return w;
}

char *
change_shown(const struct change_plan *plan, const struct account_profile *p)
{
    char buf[2048] = "";

    for (size_t i = 0; i < plan->n; i++) {
        const char *name = plan->fields[i].name;
        size_t len = strlen(buf);
        uint64_t code;
        char *v;

        if (strcmp(name, "password") == 0)
            continue;
        if (strcmp(name, "vip") == 0 || strcmp(name, "business") == 0) {
            enum bl_flag f = strcmp(name, "vip") == 0 ? p->vip : p->business;

            snprintf(buf + len, sizeof buf - len, "%s%s: %s", len > 0 ? ", " : "", name,
                     f == FLAG_YES  ? "true"
                     : f == FLAG_NO ? "false"
                                    : "null");
            continue;
        }
        v = shown_value(name, p, &code);
        snprintf(buf + len, sizeof buf - len, "%s%s: %s", len > 0 ? ", " : "", name,
                 v == NULL      ? "null"
                 : v[0] == '\0' ? "(none)"
                                : v);
        free(v);
    }
    if (plan->kind == CHANGE_ADDRESS && plan->n > 0) {
        char more[1024];

        if (address_problems(plan, p, more, sizeof more) > 0) {
            size_t len = strlen(buf);

            snprintf(buf + len, sizeof buf - len, "%s%s", len > 0 ? "; " : "", more);
        }
    }
    return strdup(buf);
}

const char *
change_kind_name(enum change_kind k)
{
    static const char *const names[] = {
        [CHANGE_PASSWORD] = "password", [CHANGE_EMAIL] = "email",
        [CHANGE_TYPE] = "type",         [CHANGE_DETAILS] = "details",
        [CHANGE_ADDRESS] = "address",
    };

    return names[k];
}

/* A field's value: a JSON boolean, a string, or null. */
static void
write_value(struct jsonw *w, const char *key, const char *v, int boolean)
{
    if (v == NULL)
        jsonw_member_raw(w, key, "null");
    else if (boolean)
        jsonw_member_raw(w, key, strcmp(v, "true") == 0 ? "true" : "false");
    else
        jsonw_member_string(w, key, v);
}

char *
change_json(const struct change_report *r)
{
    char box[JSONW_U64_SIZE];
    struct jsonw w;
    /* Room for the whole object at once (an escaped byte takes at most six): a buffer
     * that grew would leave the generated password in the block it moved from. */
    size_t room =
        1024 + 6 * (strlen(r->email) + (r->message != NULL ? strlen(r->message) : 0) +
                    (r->new_password != NULL ? strlen(r->new_password) : 0));

    for (size_t i = 0; i < r->plan->n; i++)
        room +=
            6 *
            ((r->plan->fields[i].before != NULL ? strlen(r->plan->fields[i].before) : 0) +
             (r->plan->fields[i].after != NULL ? strlen(r->plan->fields[i].after) : 0));
    jsonw_init(&w, room);
    jsonw_open(&w, '{');
    jsonw_member_string(&w, "environment", config_env_name(r->env));
    jsonw_member_string(&w, "email", r->email);
    jsonw_member_raw(&w, "box_id", r->box_id != 0 ? jsonw_u64(box, r->box_id) : "null");
    jsonw_member_string(&w, "change", change_kind_name(r->plan->kind));
    jsonw_key(&w, "fields");
    jsonw_open(&w, '[');
    for (size_t i = 0; i < r->plan->n; i++) {
        const struct change_field *f = &r->plan->fields[i];

        jsonw_open(&w, '{');
        jsonw_member_string(&w, "field", f->name);
        write_value(&w, "before", f->before, f->boolean);
        write_value(&w, "after", f->after, f->boolean);
        jsonw_close(&w, '}');
    }
    jsonw_close(&w, ']');
    if (r->new_password != NULL)
        jsonw_member_string(&w, "new_password", r->new_password);
    jsonw_member_string(&w, "outcome", change_outcome_name(r->outcome));
    jsonw_member_raw(&w, "verified",
                     r->verified < 0 ? "null"
                     : r->verified   ? "true"
                                     : "false");
    if (r->message != NULL)
        jsonw_member_string(&w, "message", r->message);
    else
        jsonw_member_raw(&w, "message", "null");
    jsonw_member_raw(&w, "key_stored", r->key_stored ? "true" : "false");
    jsonw_close(&w, '}');
    jsonw_newline(&w);
    return jsonw_finish(&w);
}

/* Whether the len bytes at pw are email, trimmed and ignoring ASCII case, without a copy
 * of the password. */
static int
is_email(const char *pw, size_t len, const char *email)
{
    size_t el;

    while (len > 0 && (*pw == ' ' || *pw == '\t')) {
        pw++;
        len--;
    }
    while (len > 0 && (pw[len - 1] == ' ' || pw[len - 1] == '\t'))
        len--;
    while (*email == ' ' || *email == '\t')
        email++;
    el = strlen(email);
    while (el > 0 && (email[el - 1] == ' ' || email[el - 1] == '\t'))
        el--;
    return el == len && strncasecmp(pw, email, len) == 0;
}

int
change_password_check(const char *pw, size_t len, const char *email, struct bl_error *err)
{
    size_t chars = 0, spaces = 0;

    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = text_utf8_decode((const unsigned char *)pw + i, len - i, &cp);

        if (n == 0)
            return error_set(err, BL_USAGE, "%s",
                             _("the new password is not valid UTF-8"));
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
            return error_set(err, BL_USAGE, "%s",
                             _("the new password holds a control character"));
        spaces += cp == ' ';
        chars++;
        i += n;
    }
    if (chars < MIN_PASSWORD || chars > MAX_PASSWORD)
        /* TRANSLATORS: %d and %d are the shortest and longest a password may be. */
        return error_set(err, BL_USAGE, _("the new password must be %d to %d characters"),
                         MIN_PASSWORD, MAX_PASSWORD);
    if (spaces == chars)
        return error_set(err, BL_USAGE, "%s",
                         _("the new password must not be only spaces"));
    if (email != NULL && is_email(pw, len, email))
        return error_set(err, BL_USAGE, "%s",
                         _("the new password must not be the customer's email"));
    return 0;
}

int
change_password_generate(char **out, struct bl_error *err)
{
    const size_t n = sizeof change_alphabet - 1;
    /* Bytes at or above this are dropped, so that each character is as likely. */
    const unsigned limit = 256 - 256 % n;
    char *pw = secmem_malloc(CHANGE_GENERATED_LEN + 1);
    unsigned char pool[64];

    if (pw == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    for (;;) {
        size_t got = 0, used = sizeof pool;
        int digit = 0;

        while (got < CHANGE_GENERATED_LEN) {
            if (used == sizeof pool) {
                if (getrandom(pool, sizeof pool, 0) != (ssize_t)sizeof pool) {
                    int e = errno;

                    explicit_bzero(pool, sizeof pool);
                    secmem_free(pw);
                    /* TRANSLATORS: %s is the system's reason. */
                    return error_set(err, BL_INTERNAL, _("no random numbers: %s"),
                                     strerror(e != 0 ? e : EIO));
                }
                used = 0;
            }
            if (pool[used] < limit) {
                pw[got] = change_alphabet[pool[used] % n];
                digit |= pw[got] >= '2' && pw[got] <= '9';
                got++;
            }
            used++;
        }
        pw[got] = '\0';
        if (digit)
            break;
    }
    explicit_bzero(pool, sizeof pool);
    *out = pw;
    return 0;
}

/* The first element of the reply's customer_address or customer_phone whose _verify is
 * false: the server refused that address or phone. NULL when none is. */
static const cJSON *
refused_element(const cJSON *rec)
{
    const char *lists[] = {"customer_address", "customer_phone"};

    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
        const cJSON *l = jsonread_member(rec, lists[i]), *e;

        if (cJSON_IsObject(l) && jsonread_flag(l, "_verify") == FLAG_NO)
            return l;
        for (e = cJSON_IsArray(l) ? l->child : NULL; e != NULL; e = e->next)
            if (jsonread_flag(e, "_verify") == FLAG_NO)
                return e;
    }
    return NULL;
}

int
change_reply_decode(enum change_kind kind, long http_status, const char *body, size_t len,
                    const char *new_email, char **new_key, struct bl_error *err)
{
    cJSON *root = NULL;
    const cJSON *rec = NULL, *inner;
    int rc = -1;

    if (new_key != NULL)
        *new_key = NULL;
    if (jsonread_open(http_status, body, len, "change", 0, &root, &rec, err) != 0)
        return -1;
    /* Neither a yes nor a no: the change may have been made, and only reading it back
     * can tell. */
    if (jsonread_flag(rec, "_verify") == FLAG_UNKNOWN) {
        error_set(err, BL_SERVER, "%s",
                  /* TRANSLATORS: the server's answer to a change has no yes or no. */
                  _("The reply to the change says neither yes nor no"));
        err->http_status = http_status;
        goto out;
    }
    inner = kind == CHANGE_ADDRESS ? refused_element(rec) : NULL;
    if (jsonread_flag(rec, "_verify") != FLAG_YES) {
        error_set(err, BL_REJECTED, "%s", _("The server refused the change"));
        err->http_status = http_status;
        jsonread_take_server_error(rec, err);
        if (err->server_description == NULL && inner != NULL)
            jsonread_take_server_error(inner, err);
        if (err->server_description != NULL)
            error_set(err, BL_REJECTED, "%s", err->server_description);
        goto out;
    }
    if (inner != NULL) {
        /* A yes with a no inside: part of the change may have been made, and only
         * reading it back can tell. */
        error_set(err, BL_SERVER, "%s",
                  /* TRANSLATORS: the server said yes to an address change, but no to
                     one of its addresses or phones. */
                  _("The server accepted the change but refused part of it"));
        err->http_status = http_status;
        jsonread_take_server_error(inner, err);
        if (err->server_description != NULL)
            /* TRANSLATORS: %s is the server's own words. */
            error_set(err, BL_SERVER,
                      _("The server accepted the change but refused part of it: %s"),
                      err->server_description);
        goto out;
    }
    if (kind == CHANGE_EMAIL) {
        const cJSON *key = jsonread_member(rec, "customer_key");
        char *named = jsonread_text(rec, "customer_email");

        if (named == NULL || named[0] == '\0' ||
            decode_check_email(http_status, named, new_email, err) != 0) {
            free(named);
            if (err->kind == BL_OK)
                error_set(err, BL_SERVER, "%s",
                          _("The reply to the email change names no email"));
            goto out;
        }
        free(named);
        if (!cJSON_IsString(key) || !decode_key_is_well_formed(key->valuestring)) {
            error_set(err, BL_SERVER, "%s",
                      _("The reply to the email change carries no valid customer key"));
            goto out;
        }
        if (new_key != NULL && (*new_key = secmem_strdup(key->valuestring)) == NULL) {
            error_set(err, BL_INTERNAL, "%s", _("out of memory"));
            goto out;
        }
    }
    rc = 0;
out:
    cJSON_Delete(root);
    return rc;
}

/* --- what an agent types for details and addresses --- */

#define MAX_TEXT 200

int
change_text_check(const char *s, const char *what, char **out, struct bl_error *err)
{
    char *t = text_trimmed(s);
    size_t chars = 0, len;

    *out = NULL;
    if (t == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    len = strlen(t);
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = text_utf8_decode((const unsigned char *)t + i, len - i, &cp);

        if (n == 0) {
            free(t);
            /* TRANSLATORS: %s is an option, like --first-name. */
            return error_set(err, BL_USAGE, _("%s is not valid UTF-8"), what);
        }
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
            free(t);
            /* TRANSLATORS: %s is an option, like --first-name. */
            return error_set(err, BL_USAGE,
                             _("%s must be text without control characters"), what);
        }
        chars++;
        i += n;
    }
    if (chars == 0 || chars > MAX_TEXT) {
        free(t);
        /* TRANSLATORS: %s is an option, like --first-name; %d the most characters. */
        return error_set(err, BL_USAGE, _("%s must be 1 to %d characters"), what,
                         MAX_TEXT);
    }
    *out = t;
    return 0;
}

/* Whether s is n digits, n in lo..hi. */
static int
digits(const char *s, size_t lo, size_t hi)
{
    size_t n = strspn(s, "0123456789");

    return s[n] == '\0' && n >= lo && n <= hi;
}

int
change_tax_number_check(const char *s, const char *what, char **out, struct bl_error *err)
{
    char *t = text_trimmed(s);

    *out = NULL;
    if (t == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    if (!digits(t, 1, 15) || t[0] == '0') {
        free(t);
        /* TRANSLATORS: %s is the option, --tax-number. */
        return error_set(err, BL_USAGE,
                         _("%s must be 1 to 15 digits, not starting with 0"), what);
    }
    *out = t;
    return 0;
}

/* The birth date's range, as a usage error naming what. */
static int
birth_range(struct bl_error *err, const char *what)
{
    /* TRANSLATORS: %s is the option, --birth-date; keep YYYY-MM-DD as it is. */
    return error_set(err, BL_USAGE,
                     _("%s must be a date from 1900-01-01 to today (YYYY-MM-DD)"), what);
}

int
change_birth_date_check(const char *s, const char *what, char **out, struct bl_error *err)
{
    struct value_date d, today;
    char *t = text_trimmed(s);

    *out = NULL;
    if (t == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    if (value_date(t, what, &d, err) != 0) {
        /* A real date before 1900 is not one that does not exist: say what is wrong. */
        if (strlen(t) == 10 && t[4] == '-' && t[7] == '-' &&
            strspn(t, "0123456789") == 4 && strncmp(t, "1900", 4) < 0)
            birth_range(err, what);
        free(t);
        return -1;
    }
    today = value_date_today(); /* the agent's day: a date after it is a typing mistake */
    if (value_date_compare(&d, &today) > 0) {
        free(t);
        return birth_range(err, what);
    }
    *out = t;
    return 0;
}

int
change_gender_check(const char *s, const char *what, char **out, struct bl_error *err)
{
    char *t = text_trimmed(s);

    *out = NULL;
    if (t == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    if (strcasecmp(t, "M") != 0 && strcasecmp(t, "F") != 0) {
        free(t);
        /* TRANSLATORS: %s is the option, --gender; keep M and F as they are. */
        return error_set(err, BL_USAGE, _("%s must be M or F"), what);
    }
    t[0] = (char)toupper((unsigned char)t[0]);
    *out = t;
    return 0;
}

/* Copies the run of digits at *p (lo to hi of them) into a new string, moving *p past
 * it; NULL when there is no such run (or without memory). */
static char *
take_digits(const char **p, size_t lo, size_t hi)
{
    size_t n = strspn(*p, "0123456789");
    char *d;

    if (n < lo || n > hi || (d = strndup(*p, n)) == NULL)
        return NULL;
    *p += n;
    return d;
}

int
change_phone_parse(const char *s, const char *what, struct change_phone *out,
                   struct bl_error *err)
{
    const char *p = s;

    memset(out, 0, sizeof *out);
    p += strspn(p, " \t");
    if (*p++ != '+' || (out->area = take_digits(&p, 1, 4)) == NULL || *p != ' ')
        goto bad;
    p += strspn(p, " ");
    if ((out->number = take_digits(&p, 4, 15)) == NULL)
        goto bad;
    p += strspn(p, " \t");
    if (*p == 'x' || *p == 'X') {
        p++;
        if ((out->extension = take_digits(&p, 1, 6)) == NULL)
            goto bad;
        p += strspn(p, " \t");
    }
    if (*p != '\0')
        goto bad;
    out->ask = CHANGE_PHONE_SET;
    return 0;
bad:
    phone_clear(out);
    /* TRANSLATORS: %s is an option, like --home; keep +AREA NUMBER[ xEXT] as it is. */
    return error_set(err, BL_USAGE,
                     _("%s must be a phone written +AREA NUMBER[ xEXT], like +57 "
                       "3001234567 x12"),
                     what);
}
