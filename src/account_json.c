#include "account_json.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Amounts are written raw rather than through cJSON's own number printing so
 * that a whole amount keeps its ".0" as in SPEC ("value":10.0): %.15g is the
 * shortest form for every number the server writes with up to 15 digits
 * ("0.4409", not 0.44090000000000001), %.16g and %.17g are for the rest, so
 * the text always reads back as the same double.
 */
void
account_json_number(struct jsonread_number n, char out[ACCOUNT_JSON_NUMBER_SIZE])
{
    const char *dp = localeconv()->decimal_point;
    size_t dl = strlen(dp);
    char *p;

    if (!n.known || !isfinite(n.value)) {
        snprintf(out, ACCOUNT_JSON_NUMBER_SIZE, "null");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, ACCOUNT_JSON_NUMBER_SIZE, "%.*g", prec, n.value);
        if (strtod(out, NULL) == n.value)
            break;
    }
    /* printf follows LC_NUMERIC ("10,5" in es_ES); JSON wants a point. */
    if (dl > 0 && strcmp(dp, ".") != 0 && (p = strstr(out, dp)) != NULL) {
        *p = '.';
        memmove(p + 1, p + dl, strlen(p + dl) + 1);
    }
    if (strpbrk(out, ".e") == NULL)
        memcpy(out + strlen(out), ".0", 3);
}

/* Adds v as key of o; on failure (v NULL when out of memory) clears *ok. */
static void
add(cJSON *o, const char *key, cJSON *v, int *ok)
{
    if (o == NULL || v == NULL || !cJSON_AddItemToObject(o, key, v)) {
        cJSON_Delete(v);
        *ok = 0;
    }
}

static cJSON *
text(const char *s)
{
    return s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* An ISO date, or null for "". */
static cJSON *
date(const char *iso)
{
    return iso[0] != '\0' ? cJSON_CreateString(iso) : cJSON_CreateNull();
}

/* IDs are printed from the integer: cJSON would print 2^53 - 1 as 9.00719925474099e+15.
 */
static cJSON *
integer(uint64_t n, int known)
{
    char buf[24];

    if (!known)
        return cJSON_CreateNull();
    snprintf(buf, sizeof buf, "%" PRIu64, n);
    return cJSON_CreateRaw(buf);
}

static cJSON *
id(uint64_t n)
{
    return integer(n, n != 0);
}

static cJSON *
flag(enum bl_flag f)
{
    return f == FLAG_UNKNOWN ? cJSON_CreateNull() : cJSON_CreateBool(f == FLAG_YES);
}

static cJSON *
amount(struct jsonread_number n)
{
    char buf[ACCOUNT_JSON_NUMBER_SIZE];

    account_json_number(n, buf);
    return cJSON_CreateRaw(buf);
}

/* The keys that start every object: environment, email, box_id. */
static cJSON *
head(const char *environment, const char *email, uint64_t box_id, int *ok)
{
    cJSON *o = cJSON_CreateObject();

    add(o, "environment", text(environment), ok);
    add(o, "email", text(email), ok);
    add(o, "box_id", id(box_id), ok);
    return o;
}

/* Prints and frees o; NULL when anything failed on the way. */
static char *
finish(cJSON *o, int ok)
{
    char *s = ok && o != NULL ? cJSON_PrintUnformatted(o) : NULL;

    cJSON_Delete(o);
    return s;
}

static cJSON *
address(const struct account_address *a, int *ok)
{
    cJSON *o = cJSON_CreateObject();

    add(o, "id", id(a->id), ok);
    add(o, "line1", text(a->line1), ok);
    add(o, "neighborhood", text(a->neighborhood), ok);
    add(o, "locality", text(a->locality), ok);
    add(o, "city", text(a->city), ok);
    add(o, "state", text(a->state), ok);
    add(o, "country", text(a->country), ok);
    add(o, "country_code", text(a->country_code), ok);
    add(o, "zip", text(a->zip), ok);
    add(o, "phone", text(a->phone), ok);
    return o;
}

static cJSON *
phone(const struct account_phone *ph, int *ok)
{
    cJSON *o = cJSON_CreateObject();

    add(o, "id", id(ph->id), ok);
    add(o, "type", text(account_phone_type_name(ph->type)), ok);
    add(o, "number", text(ph->number), ok);
    return o;
}

/* Appends v to the array a; on failure clears *ok. */
static void
append(cJSON *a, cJSON *v, int *ok)
{
    if (a == NULL || v == NULL || !cJSON_AddItemToArray(a, v)) {
        cJSON_Delete(v);
        *ok = 0;
    }
}

char *
account_json_profile(const char *environment, const char *email, uint64_t box_id,
                     const struct account_profile *p)
{
    int ok = 1;
    cJSON *root = head(environment, email, box_id, &ok), *o = cJSON_CreateObject();
    cJSON *addrs = p->addresses_known ? cJSON_CreateArray() : cJSON_CreateNull();
    cJSON *phones = p->phones_known ? cJSON_CreateArray() : cJSON_CreateNull();

    add(o, "customer_id", id(p->customer_id), &ok);
    add(o, "first_name", text(p->first_name), &ok);
    add(o, "last_name", text(p->last_name), &ok);
    add(o, "name", text(p->name), &ok);
    add(o, "email", text(p->email), &ok);
    add(o, "birth_date", date(p->birth_date), &ok);
    add(o, "gender", text(p->gender), &ok);
    add(o, "identity_number", text(p->identity_number), &ok);
    add(o, "tax_number", text(p->tax_number), &ok);
    add(o, "campaign", text(p->campaign), &ok);
    add(o, "email_agreement", flag(p->email_agreement), &ok);
    add(o, "active", flag(p->active), &ok);
    add(o, "vip", flag(p->vip), &ok);
    add(o, "business", flag(p->business), &ok);
    add(o, "enabled", flag(p->enabled), &ok);
    for (size_t i = 0; i < p->n_addresses; i++)
        append(addrs, address(&p->addresses[i], &ok), &ok);
    for (size_t i = 0; i < p->n_phones; i++)
        append(phones, phone(&p->phones[i], &ok), &ok);
    add(o, "addresses", addrs, &ok);
    add(o, "phones", phones, &ok);
    add(root, "profile", o, &ok);
    return finish(root, ok);
}

static cJSON *
row(const struct account_shipment_row *r, int *ok)
{
    cJSON *o = cJSON_CreateObject();

    add(o, "awb", id(r->awb), ok);
    add(o, "external_tracking", text(r->external_tracking), ok);
    add(o, "merchant", text(r->merchant), ok);
    add(o, "content", text(r->content), ok);
    add(o, "status", text(r->status), ok);
    add(o, "received", date(r->received), ok);
    add(o, "manifested", date(r->manifested), ok);
    add(o, "value", amount(r->value), ok);
    add(o, "weight_charged", amount(r->weight_charged), ok);
    add(o, "weight_physical", amount(r->weight_physical), ok);
    add(o, "weight_volumetric", amount(r->weight_volumetric), ok);
    add(o, "charge_rate", amount(r->charge_rate), ok);
    add(o, "charge_discount", amount(r->charge_discount), ok);
    add(o, "charge_total", amount(r->charge_total), ok);
    add(o, "invoice_required", flag(r->invoice_required), ok);
    add(o, "invoice_url", text(r->invoice_url), ok);
    return o;
}

char *
account_json_shipments(const char *environment, const char *email, uint64_t box_id,
                       const char *from, const char *to,
                       const struct account_shipments *s)
{
    int ok = 1;
    cJSON *root = head(environment, email, box_id, &ok), *rows = cJSON_CreateArray();

    add(root, "from", text(from), &ok);
    add(root, "to", text(to), &ok);
    add(root, "skipped", integer(s->skipped, 1), &ok);
    for (size_t i = 0; i < s->n_rows && ok; i++)
        append(rows, row(&s->rows[i], &ok), &ok);
    add(root, "shipments", rows, &ok);
    return finish(root, ok);
}

static cJSON *
event(const struct account_event *ev, int *ok)
{
    cJSON *o = cJSON_CreateObject();

    add(o, "time", date(ev->time), ok);
    add(o, "code", text(ev->code), ok);
    add(o, "description", text(ev->description), ok);
    add(o, "location", text(ev->location), ok);
    add(o, "note", text(ev->note), ok);
    return o;
}

char *
account_json_track(const char *environment, const char *email, uint64_t box_id,
                   uint64_t awb, const struct account_shipment *s)
{
    int ok = 1;
    cJSON *root = head(environment, email, box_id, &ok), *o = cJSON_CreateObject();
    cJSON *events = s->tracking_known ? cJSON_CreateArray() : cJSON_CreateNull();

    add(root, "awb", id(awb), &ok);
    add(o, "awb", id(s->awb), &ok);
    add(o, "status", text(s->status), &ok);
    add(o, "content", text(s->content), &ok);
    add(o, "merchant", text(s->merchant), &ok);
    add(o, "value", amount(s->value), &ok);
    add(o, "total", amount(s->total), &ok);
    add(o, "weight_physical", amount(s->weight_physical), &ok);
    add(o, "weight_charged", amount(s->weight_charged), &ok);
    add(o, "weight_unit", text(s->weight_unit), &ok);
    add(o, "origin", text(s->origin), &ok);
    add(o, "destination", text(s->destination), &ok);
    add(o, "recipient", text(s->recipient), &ok);
    add(o, "address", text(s->address), &ok);
    add(o, "city", text(s->city), &ok);
    add(o, "state", text(s->state), &ok);
    add(o, "country", text(s->country), &ok);
    add(o, "pieces", integer(s->pieces, s->pieces_known), &ok);
    add(root, "shipment", o, &ok);
    for (size_t i = 0; i < s->n_events; i++)
        append(events, event(&s->events[i], &ok), &ok);
    add(root, "tracking", events, &ok);
    return finish(root, ok);
}
