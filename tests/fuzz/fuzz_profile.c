/* libFuzzer harness: the profile (customer-get-info) reply decoder and its --json. */
#include "account_checks.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_profile(const struct account_profile *p)
{
    cJSON *o, *po;
    const cJSON *addrs, *phones;

    check_id(p->customer_id);
    check_inert_or_null(p->first_name);
    check_inert_or_null(p->last_name);
    check_inert_or_null(p->name);
    check_inert_or_null(p->email);
    check_inert_or_null(p->gender);
    check_inert_or_null(p->identity_number);
    check_inert_or_null(p->tax_number);
    check_inert_or_null(p->campaign);
    if (p->tax_number != NULL &&
        (p->tax_number[0] == '\0' || strcmp(p->tax_number, "0") == 0))
        abort();
    if (p->birth_date[0] != '\0' && (strlen(p->birth_date) != 10 ||
                                     p->birth_date[4] != '-' || p->birth_date[7] != '-'))
        abort();
    check_flag(p->email_agreement);
    check_flag(p->active);
    check_flag(p->vip);
    check_flag(p->business);
    check_flag(p->enabled);
    if ((!p->addresses_known && p->n_addresses != 0) ||
        (!p->phones_known && p->n_phones != 0))
        abort();
    for (size_t i = 0; i < p->n_addresses; i++) {
        const struct account_address *a = &p->addresses[i];

        check_id(a->id);
        check_inert_or_null(a->line1);
        check_inert_or_null(a->neighborhood);
        check_inert_or_null(a->locality);
        check_inert_or_null(a->city);
        check_inert_or_null(a->state);
        check_inert_or_null(a->country);
        check_inert_or_null(a->country_code);
        check_inert_or_null(a->zip);
        check_inert_or_null(a->phone);
    }
    for (size_t i = 0; i < p->n_phones; i++) {
        check_id(p->phones[i].id);
        check_inert_or_null(p->phones[i].number);
        if (p->phones[i].type < PHONE_UNKNOWN || p->phones[i].type > PHONE_OTHER)
            abort();
    }

    o = reparse(account_json_profile("test", FUZZ_EMAIL, 811111, p));
    po = cJSON_GetObjectItemCaseSensitive(o, "profile");
    check_json_id(o, "box_id", 811111);
    check_json_id(po, "customer_id", p->customer_id);
    check_json_text(po, "name", p->name);
    check_json_text(po, "tax_number", p->tax_number);
    check_json_text(po, "birth_date", p->birth_date[0] != '\0' ? p->birth_date : NULL);
    addrs = cJSON_GetObjectItemCaseSensitive(po, "addresses");
    phones = cJSON_GetObjectItemCaseSensitive(po, "phones");
    if (p->addresses_known ? (size_t)cJSON_GetArraySize(addrs) != p->n_addresses
                           : !cJSON_IsNull(addrs))
        abort();
    if (p->phones_known ? (size_t)cJSON_GetArraySize(phones) != p->n_phones
                        : !cJSON_IsNull(phones))
        abort();
    for (size_t i = 0; i < p->n_addresses; i++)
        check_json_id(cJSON_GetArrayItem(addrs, (int)i), "id", p->addresses[i].id);
    for (size_t i = 0; i < p->n_phones; i++) {
        check_json_id(cJSON_GetArrayItem(phones, (int)i), "id", p->phones[i].id);
        check_json_text(cJSON_GetArrayItem(phones, (int)i), "type",
                        account_phone_type_name(p->phones[i].type));
    }
    cJSON_Delete(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    struct account_profile *p = NULL;
    struct bl_error err = {0};

    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    if (account_profile_decode(200, buf, size, FUZZ_EMAIL, &p, &err) == 0) {
        if (p == NULL || err.message != NULL)
            abort();
        check_profile(p);
        account_profile_free(p);
    } else {
        if (p != NULL)
            abort();
        check_failure(&err);
        error_clear(&err);
    }
    free(buf);
    return 0;
}
