/* libFuzzer harness: the shipments (customer-get-shipments) reply decoder and its --json.
 */
#include "account_checks.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_row(const struct account_shipment_row *r)
{
    if (r->awb < 1)
        abort();
    check_id(r->awb);
    check_inert_or_null(r->external_tracking);
    check_inert_or_null(r->merchant);
    check_inert_or_null(r->content);
    check_inert_or_null(r->status);
    check_inert_or_null(r->invoice_url);
    check_iso(r->received);
    check_iso(r->manifested);
    check_amount(r->value);
    check_amount(r->weight_charged);
    check_amount(r->weight_physical);
    check_amount(r->weight_volumetric);
    check_amount(r->charge_rate);
    check_amount(r->charge_discount);
    check_amount(r->charge_total);
    check_flag(r->invoice_required);
}

/* SPEC's order: newest received first, undated last, then AWB descending. */
static void
check_order(const struct account_shipment_row *a, const struct account_shipment_row *b)
{
    int da = a->received[0] != '\0', db = b->received[0] != '\0';

    if (da < db || (da && db && a->received_ms < b->received_ms))
        abort();
    if (da == db && (!da || a->received_ms == b->received_ms) && a->awb < b->awb)
        abort();
}

static void
check_json(const struct account_shipments *s)
{
    cJSON *o = reparse(account_json_shipments("test", FUZZ_EMAIL, 811111, "2017-12-01",
                                              "2018-02-15", s));
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(o, "shipments");
    const cJSON *skipped = cJSON_GetObjectItemCaseSensitive(o, "skipped");

    if (!cJSON_IsArray(rows) || (size_t)cJSON_GetArraySize(rows) != s->n_rows ||
        !cJSON_IsNumber(skipped) || skipped->valuedouble != (double)s->skipped)
        abort();
    for (size_t i = 0; i < s->n_rows; i++) {
        const cJSON *r = cJSON_GetArrayItem(rows, (int)i);

        check_json_id(r, "awb", s->rows[i].awb);
        check_json_text(r, "merchant", s->rows[i].merchant);
        check_json_text(r, "received",
                        s->rows[i].received[0] ? s->rows[i].received : NULL);
        check_json_amount(r, "value", s->rows[i].value);
        check_json_amount(r, "weight_charged", s->rows[i].weight_charged);
        check_json_amount(r, "charge_total", s->rows[i].charge_total);
    }
    cJSON_Delete(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    struct account_shipments *s = NULL;
    struct bl_error err = {0};

    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    if (account_shipments_decode(200, buf, size, FUZZ_EMAIL, &s, &err) == 0) {
        cJSON *doc = cJSON_ParseWithLength(buf, size);

        /* Every element is either a row or counted as skipped. */
        if (s == NULL || err.message != NULL || doc == NULL ||
            s->n_rows + s->skipped != list_size(doc))
            abort();
        cJSON_Delete(doc);
        for (size_t i = 0; i < s->n_rows; i++) {
            check_row(&s->rows[i]);
            if (i > 0)
                check_order(&s->rows[i - 1], &s->rows[i]);
        }
        check_json(s);
        account_shipments_free(s);
    } else {
        if (s != NULL)
            abort();
        check_failure(&err);
        error_clear(&err);
    }
    free(buf);
    return 0;
}
