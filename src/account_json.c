#include "account_json.h"
#include "jsonwrite.h"

#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Amounts are written raw so that a whole amount keeps its ".0" as in SPEC
 * ("value":10.0), in the shortest form that reads back as the same double:
 * %.15g for every number the server writes with up to 15 digits ("0.4409",
 * not 0.44090000000000001), %.16g and %.17g for the rest. Most amounts are a
 * few digits after the point; for them the same text comes from the smallest k
 * with m / 10^k == value (m an integer of at most 15 digits): the 15-digit
 * decimal a double rounds back to is unique, so it is the one %.15g writes.
 */
static const double pow10_table[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/* The fast form for 1e-4 <= |v| < 1e15 (where %.15g does not use an exponent);
 * 0 when v needs the slow one. */
static int
number_fast(double v, char out[ACCOUNT_JSON_NUMBER_SIZE])
{
    double a = fabs(v);
    char digits[JSONW_U64_SIZE], *o = out;

    if (a == 0.0) {
        snprintf(out, ACCOUNT_JSON_NUMBER_SIZE, "%s0.0", signbit(v) ? "-" : "");
        return 1;
    }
    if (!(a >= 1e-4 && a < 1e15))
        return 0;
    for (int k = 0; k < 16; k++) {
        double scaled = a * pow10_table[k];
        unsigned long long m, divisor;

        if (scaled >= 1e15)
            return 0;
        m = (unsigned long long)llround(scaled);
        if ((double)m / pow10_table[k] != a)
            continue;
        divisor = (unsigned long long)pow10_table[k];
        if (v < 0)
            *o++ = '-';
        o = stpcpy(o, jsonw_u64(digits, m / divisor));
        *o++ = '.';
        if (k == 0) {
            *o++ = '0';
        } else {
            /* The k digits after the point, leading zeros included. */
            size_t n = strlen(jsonw_u64(digits, m % divisor));

            memset(o, '0', (size_t)k - n);
            o = stpcpy(o + k - n, digits);
        }
        *o = '\0';
        return 1;
    }
    return 0;
}

void
account_json_number(struct jsonread_number n, char out[ACCOUNT_JSON_NUMBER_SIZE])
{
    const char *dp;
    size_t dl;
    char *p;

    if (!n.known || !isfinite(n.value)) {
        snprintf(out, ACCOUNT_JSON_NUMBER_SIZE, "null");
        return;
    }
    if (number_fast(n.value, out))
        return;
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, ACCOUNT_JSON_NUMBER_SIZE, "%.*g", prec, n.value);
        if (strtod(out, NULL) == n.value)
            break;
    }
    /* printf follows LC_NUMERIC ("10,5" in es_ES); JSON wants a point. */
    dp = localeconv()->decimal_point;
    dl = strlen(dp);
    if (dl > 0 && strcmp(dp, ".") != 0 && (p = strstr(out, dp)) != NULL) {
        *p = '.';
        memmove(p + 1, p + dl, strlen(p + dl) + 1);
    }
    if (strpbrk(out, ".e") == NULL)
        memcpy(out + strlen(out), ".0", 3);
}

/* An ISO date, or null for "". */
static void
date(struct jsonw *w, const char *key, const char *iso)
{
    jsonw_member_string(w, key, iso[0] != '\0' ? iso : NULL);
}

/* IDs are written from the integer: through a double, 2^53 - 1 would not survive. */
static void
integer(struct jsonw *w, const char *key, uint64_t n, int known)
{
    char buf[JSONW_U64_SIZE];

    jsonw_member_raw(w, key, known ? jsonw_u64(buf, n) : "null");
}

static void
id(struct jsonw *w, const char *key, uint64_t n)
{
    integer(w, key, n, n != 0);
}

static void
flag(struct jsonw *w, const char *key, enum bl_flag f)
{
    jsonw_member_raw(w, key,
                     f == FLAG_UNKNOWN ? "null"
                     : f == FLAG_YES   ? "true"
                                       : "false");
}

static void
amount(struct jsonw *w, const char *key, struct jsonread_number n)
{
    char buf[ACCOUNT_JSON_NUMBER_SIZE];

    account_json_number(n, buf);
    jsonw_member_raw(w, key, buf);
}

/* Opens the object and writes the keys that start every one: environment, email,
 * box_id. */
static void
head(struct jsonw *w, const char *environment, const char *email, uint64_t box_id)
{
    jsonw_open(w, '{');
    jsonw_member_string(w, "environment", environment);
    jsonw_member_string(w, "email", email);
    id(w, "box_id", box_id);
}

/* Opens the list named key, or writes null for it when it is not known (0). */
static int
list(struct jsonw *w, const char *key, int known)
{
    if (!known) {
        jsonw_member_raw(w, key, "null");
        return 0;
    }
    jsonw_key(w, key);
    jsonw_open(w, '[');
    return 1;
}

static void
address(struct jsonw *w, const struct account_address *a)
{
    jsonw_open(w, '{');
    id(w, "id", a->id);
    jsonw_member_string(w, "line1", a->line1);
    jsonw_member_string(w, "neighborhood", a->neighborhood);
    jsonw_member_string(w, "locality", a->locality);
    jsonw_member_string(w, "city", a->city);
    jsonw_member_string(w, "state", a->state);
    jsonw_member_string(w, "country", a->country);
    jsonw_member_string(w, "country_code", a->country_code);
    jsonw_member_string(w, "zip", a->zip);
    jsonw_member_string(w, "phone", a->phone);
    jsonw_close(w, '}');
}

static void
phone(struct jsonw *w, const struct account_phone *ph)
{
    jsonw_open(w, '{');
    id(w, "id", ph->id);
    jsonw_member_string(w, "type", account_phone_type_name(ph->type));
    jsonw_member_string(w, "number", ph->number);
    jsonw_close(w, '}');
}

char *
account_json_profile(const char *environment, const char *email, uint64_t box_id,
                     const struct account_profile *p)
{
    struct jsonw w;

    jsonw_init(&w, 0);
    head(&w, environment, email, box_id);
    jsonw_key(&w, "profile");
    jsonw_open(&w, '{');
    id(&w, "customer_id", p->customer_id);
    jsonw_member_string(&w, "first_name", p->first_name);
    jsonw_member_string(&w, "last_name", p->last_name);
    jsonw_member_string(&w, "name", p->name);
    jsonw_member_string(&w, "email", p->email);
    date(&w, "birth_date", p->birth_date);
    jsonw_member_string(&w, "gender", p->gender);
    jsonw_member_string(&w, "identity_number", p->identity_number);
    jsonw_member_string(&w, "tax_number", p->tax_number);
    jsonw_member_string(&w, "campaign", p->campaign);
    flag(&w, "email_agreement", p->email_agreement);
    flag(&w, "active", p->active);
    flag(&w, "vip", p->vip);
    flag(&w, "business", p->business);
    flag(&w, "enabled", p->enabled);
    if (list(&w, "addresses", p->addresses_known)) {
        for (size_t i = 0; i < p->n_addresses; i++)
            address(&w, &p->addresses[i]);
        jsonw_close(&w, ']');
    }
    if (list(&w, "phones", p->phones_known)) {
        for (size_t i = 0; i < p->n_phones; i++)
            phone(&w, &p->phones[i]);
        jsonw_close(&w, ']');
    }
    jsonw_close(&w, '}');
    jsonw_close(&w, '}');
    return jsonw_finish(&w);
}

static void
row(struct jsonw *w, const struct account_shipment_row *r)
{
    jsonw_open(w, '{');
    id(w, "awb", r->awb);
    jsonw_member_string(w, "external_tracking", r->external_tracking);
    jsonw_member_string(w, "merchant", r->merchant);
    jsonw_member_string(w, "content", r->content);
    jsonw_member_string(w, "status", r->status);
    date(w, "received", r->received);
    date(w, "manifested", r->manifested);
    amount(w, "value", r->value);
    amount(w, "weight_charged", r->weight_charged);
    amount(w, "weight_physical", r->weight_physical);
    amount(w, "weight_volumetric", r->weight_volumetric);
    amount(w, "charge_rate", r->charge_rate);
    amount(w, "charge_discount", r->charge_discount);
    amount(w, "charge_total", r->charge_total);
    flag(w, "invoice_required", r->invoice_required);
    jsonw_member_string(w, "invoice_url", r->invoice_url);
    jsonw_close(w, '}');
}

void
account_json_shipment_row(struct jsonw *w, const struct account_shipment_row *r)
{
    row(w, r);
}

void
account_json_write_shipments(struct jsonw *w, const char *environment, const char *email,
                             uint64_t box_id, const char *from, const char *to,
                             const struct account_shipments *s)
{
    head(w, environment, email, box_id);
    jsonw_member_string(w, "from", from);
    jsonw_member_string(w, "to", to);
    integer(w, "skipped", s->skipped, 1);
    jsonw_key(w, "shipments");
    jsonw_open(w, '[');
    for (size_t i = 0; i < s->n_rows; i++)
        row(w, &s->rows[i]);
    jsonw_close(w, ']');
    jsonw_close(w, '}');
}

char *
account_json_shipments(const char *environment, const char *email, uint64_t box_id,
                       const char *from, const char *to,
                       const struct account_shipments *s)
{
    struct jsonw w;

    /* About 350 bytes a row: reserved at once rather than doubled up to it. */
    jsonw_init(&w, 512 + s->n_rows * 384);
    account_json_write_shipments(&w, environment, email, box_id, from, to, s);
    return jsonw_finish(&w);
}

static void
event(struct jsonw *w, const struct account_event *ev)
{
    jsonw_open(w, '{');
    date(w, "time", ev->time);
    jsonw_member_string(w, "code", ev->code);
    jsonw_member_string(w, "description", ev->description);
    jsonw_member_string(w, "location", ev->location);
    jsonw_member_string(w, "note", ev->note);
    jsonw_close(w, '}');
}

char *
account_json_track(const char *environment, const char *email, uint64_t box_id,
                   uint64_t awb, const struct account_shipment *s)
{
    struct jsonw w;

    jsonw_init(&w, 0);
    head(&w, environment, email, box_id);
    id(&w, "awb", awb);
    jsonw_key(&w, "shipment");
    jsonw_open(&w, '{');
    id(&w, "awb", s->awb);
    jsonw_member_string(&w, "status", s->status);
    jsonw_member_string(&w, "content", s->content);
    jsonw_member_string(&w, "merchant", s->merchant);
    amount(&w, "value", s->value);
    amount(&w, "total", s->total);
    amount(&w, "weight_physical", s->weight_physical);
    amount(&w, "weight_charged", s->weight_charged);
    jsonw_member_string(&w, "weight_unit", s->weight_unit);
    jsonw_member_string(&w, "origin", s->origin);
    jsonw_member_string(&w, "destination", s->destination);
    jsonw_member_string(&w, "recipient", s->recipient);
    jsonw_member_string(&w, "address", s->address);
    jsonw_member_string(&w, "city", s->city);
    jsonw_member_string(&w, "state", s->state);
    jsonw_member_string(&w, "country", s->country);
    integer(&w, "pieces", s->pieces, s->pieces_known);
    jsonw_close(&w, '}');
    if (list(&w, "tracking", s->tracking_known)) {
        for (size_t i = 0; i < s->n_events; i++)
            event(&w, &s->events[i]);
        jsonw_close(&w, ']');
    }
    jsonw_close(&w, '}');
    return jsonw_finish(&w);
}
