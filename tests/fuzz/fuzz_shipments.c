/*
 * libFuzzer harness: the shipments (customer-get-shipments) reply decoder and its
 * --json. The decoder reads the list in one pass (src/jsonscan.c); every input is
 * also read the way every other reply is, through a cJSON tree and the jsonread
 * member readers (reference_decode below), and both must give the same outcome,
 * the same error and the same rows, field for field.
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

/* The tree reading of one row; -1 for an element that is not a row. */
static int
reference_row(const cJSON *o, struct account_shipment_row *r)
{
    if (!cJSON_IsObject(o) ||
        jsonread_id(jsonread_member(o, "trck_nmr_fol"), &r->awb) != 0)
        return -1;
    r->external_tracking = jsonread_text_nonempty(o, "external_tracking");
    r->merchant = jsonread_text_nonempty(o, "merchant");
    r->content = jsonread_text_nonempty(o, "shipment_content");
    r->status = jsonread_text_nonempty(o, "shipment_status");
    jsonread_date(o, "date_received", r->received, &r->received_ms);
    jsonread_date(o, "date_manifested", r->manifested, NULL);
    r->value = jsonread_amount(o, "shipment_value");
    r->weight_charged = jsonread_amount(o, "weight_charged");
    r->weight_physical = jsonread_amount(o, "weight_physical");
    r->weight_volumetric = jsonread_amount(o, "weight_volumetric");
    r->charge_rate = jsonread_amount(o, "shipping_charge_rate");
    r->charge_discount = jsonread_amount(o, "shipping_charge_discount");
    r->charge_total = jsonread_amount(o, "shipping_charge_total");
    r->invoice_required = jsonread_flag(o, "invoice_required");
    r->invoice_url = jsonread_text_nonempty(o, "invoice_file_url");
    return 0;
}

static int
row_before(const struct account_shipment_row *a, const struct account_shipment_row *b)
{
    int da = a->received[0] != '\0', db = b->received[0] != '\0';

    if (da != db)
        return da;
    if (da && a->received_ms != b->received_ms)
        return a->received_ms > b->received_ms;
    return a->awb > b->awb;
}

/*
 * The reply read through cJSON: 0 with the rows (in SPEC's order, by a stable
 * insertion sort) in *ref, 1 for a refused key, -1 for another failure (err).
 */
static int
reference_decode(const char *buf, size_t size, struct account_shipments *ref,
                 struct bl_error *err)
{
    cJSON *root;
    const cJSON *rec, *e;

    if (jsonread_open(200, buf, size, "shipments", 1, &root, &rec, err) != 0)
        return -1;
    if (rec != NULL && jsonread_flag(rec, "_verify") != FLAG_YES) {
        jsonread_take_server_error(rec, err);
        cJSON_Delete(root);
        return 1;
    }
    ref->rows = calloc(list_size(root) + 1, sizeof *ref->rows);
    if (ref->rows == NULL)
        abort();
    e = cJSON_IsArray(root) ? root->child : root;
    for (; e != NULL; e = cJSON_IsArray(root) ? e->next : NULL) {
        struct account_shipment_row r = {0};
        size_t k;

        if (reference_row(e, &r) != 0) {
            ref->skipped++;
            continue;
        }
        for (k = ref->n_rows; k > 0 && row_before(&r, &ref->rows[k - 1]); k--)
            ref->rows[k] = ref->rows[k - 1];
        ref->rows[k] = r;
        ref->n_rows++;
    }
    cJSON_Delete(root);
    return 0;
}

static void
same_text(const char *a, const char *b)
{
    if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
        abort();
}

/* The same amount, its double bit for bit (-0.0 is not 0.0). */
static void
same_amount(struct jsonread_number a, struct jsonread_number b)
{
    uint64_t x, y;

    memcpy(&x, &a.value, sizeof x);
    memcpy(&y, &b.value, sizeof y);
    if (a.known != b.known || x != y)
        abort();
}

static void
same_rows(const struct account_shipments *a, const struct account_shipments *b)
{
    if (a->n_rows != b->n_rows || a->skipped != b->skipped)
        abort();
    for (size_t i = 0; i < a->n_rows; i++) {
        const struct account_shipment_row *x = &a->rows[i], *y = &b->rows[i];

        if (x->awb != y->awb || strcmp(x->received, y->received) != 0 ||
            strcmp(x->manifested, y->manifested) != 0 ||
            (x->received[0] != '\0' && x->received_ms != y->received_ms) ||
            x->invoice_required != y->invoice_required)
            abort();
        same_text(x->external_tracking, y->external_tracking);
        same_text(x->merchant, y->merchant);
        same_text(x->content, y->content);
        same_text(x->status, y->status);
        same_text(x->invoice_url, y->invoice_url);
        same_amount(x->value, y->value);
        same_amount(x->weight_charged, y->weight_charged);
        same_amount(x->weight_physical, y->weight_physical);
        same_amount(x->weight_volumetric, y->weight_volumetric);
        same_amount(x->charge_rate, y->charge_rate);
        same_amount(x->charge_discount, y->charge_discount);
        same_amount(x->charge_total, y->charge_total);
    }
}

/* The decoder's outcome (rc, s, err) against the tree's. */
static void
check_reference(const char *buf, size_t size, int rc, const struct account_shipments *s,
                const struct bl_error *err)
{
    struct account_shipments ref = {0};
    struct bl_error ref_err = {0};
    int ref_rc = reference_decode(buf, size, &ref, &ref_err);

    if (ref_rc == 0) {
        if (rc != 0 || s == NULL)
            abort();
        same_rows(s, &ref);
    } else if (ref_rc == 1) {
        if (rc == 0 || err->kind != BL_REJECTED)
            abort();
        same_text(err->server_description, ref_err.server_description);
        same_text(err->server_location, ref_err.server_location);
    } else {
        if (rc == 0 || err->kind != ref_err.kind ||
            strcmp(err->message, ref_err.message) != 0)
            abort();
        same_text(err->server_description, ref_err.server_description);
        same_text(err->server_location, ref_err.server_location);
    }
    for (size_t i = 0; i < ref.n_rows; i++) {
        free(ref.rows[i].external_tracking);
        free(ref.rows[i].merchant);
        free(ref.rows[i].content);
        free(ref.rows[i].status);
        free(ref.rows[i].invoice_url);
    }
    free(ref.rows);
    error_clear(&ref_err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    struct account_shipments *s = NULL;
    struct bl_error err = {0};
    int rc;

    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    rc = account_shipments_decode(200, buf, size, FUZZ_EMAIL, &s, &err);
    check_reference(buf, size, rc, s, &err);
    if (rc == 0) {
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
