/* libFuzzer harness: the shipment (get-shipment-info) reply decoder and its --json. */
#include "account_checks.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_shipment(const struct account_shipment *s)
{
    check_id(s->awb);
    check_inert_or_null(s->status);
    check_inert_or_null(s->content);
    check_inert_or_null(s->merchant);
    check_inert_or_null(s->weight_unit);
    check_inert_or_null(s->origin);
    check_inert_or_null(s->destination);
    check_inert_or_null(s->recipient);
    check_inert_or_null(s->address);
    check_inert_or_null(s->city);
    check_inert_or_null(s->state);
    check_inert_or_null(s->country);
    check_amount(s->value);
    check_amount(s->total);
    check_amount(s->weight_physical);
    check_amount(s->weight_charged);
    if ((s->pieces_known && s->pieces >= JSONREAD_ID_LIMIT) ||
        (!s->tracking_known && (s->n_events != 0 || s->skipped != 0)))
        abort();
    for (size_t i = 0; i < s->n_events; i++) {
        const struct account_event *ev = &s->events[i];

        if (ev->time[0] == '\0' || (i > 0 && s->events[i - 1].time_ms < ev->time_ms) ||
            (ev->note != NULL && ev->note[0] == '\0'))
            abort();
        check_iso(ev->time);
        check_inert_or_null(ev->code);
        check_inert_or_null(ev->description);
        check_inert_or_null(ev->location);
        check_inert_or_null(ev->note);
    }
}

static void
check_json(const struct account_shipment *s)
{
    cJSON *o = reparse(account_json_track("test", FUZZ_EMAIL, 811111, 13869085, s));
    const cJSON *sh = cJSON_GetObjectItemCaseSensitive(o, "shipment");
    const cJSON *events = cJSON_GetObjectItemCaseSensitive(o, "tracking");

    check_json_id(o, "awb", 13869085);
    check_json_id(sh, "awb", s->awb);
    check_json_text(sh, "recipient", s->recipient);
    check_json_amount(sh, "value", s->value);
    check_json_amount(sh, "total", s->total);
    if (s->tracking_known ? (size_t)cJSON_GetArraySize(events) != s->n_events
                          : !cJSON_IsNull(events))
        abort();
    for (size_t i = 0; i < s->n_events; i++) {
        check_json_text(cJSON_GetArrayItem(events, (int)i), "time", s->events[i].time);
        check_json_text(cJSON_GetArrayItem(events, (int)i), "note", s->events[i].note);
    }
    cJSON_Delete(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    struct account_shipment *s = NULL;
    struct bl_error err = {0};

    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    if (account_shipment_decode(200, buf, size, FUZZ_EMAIL, 13869085, &s, &err) == 0) {
        cJSON *doc = cJSON_ParseWithLength(buf, size);
        const cJSON *rec = cJSON_IsArray(doc) ? doc->child : doc;

        /* Every tracking element is either an event or counted as skipped. */
        if (s == NULL || err.message != NULL || doc == NULL ||
            s->n_events + s->skipped !=
                list_size(cJSON_GetObjectItemCaseSensitive(rec, "tracking")))
            abort();
        cJSON_Delete(doc);
        check_shipment(s);
        check_json(s);
        account_shipment_free(s);
    } else {
        if (s != NULL)
            abort();
        check_failure(&err);
        error_clear(&err);
    }
    free(buf);
    return 0;
}
