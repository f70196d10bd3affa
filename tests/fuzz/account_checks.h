/*
 * Invariants of the account decoders' results, shared by their fuzz harnesses:
 * what a decoder hands out must be safe to print and within SPEC's ranges, and
 * its --json object must parse back with the same values. Failures abort().
 */
#ifndef BOXLOGIN_FUZZ_ACCOUNT_CHECKS_H
#define BOXLOGIN_FUZZ_ACCOUNT_CHECKS_H

#include "account.h"
#include "account_json.h"
#include "inert.h"

#include <cjson/cJSON.h>
#include <math.h>

#define FUZZ_EMAIL "johndoe@email.com"

/* A decoder's failure: a server error or a rejection, inert, with the status. */
static inline void
check_failure(const struct bl_error *err)
{
    if (err->message == NULL || (err->kind != BL_SERVER && err->kind != BL_REJECTED) ||
        err->http_status != 200)
        abort();
    check_inert(err->message);
    check_inert_or_null(err->server_description);
    check_inert_or_null(err->server_location);
}

static inline void
check_flag(enum bl_flag f)
{
    if (f != FLAG_UNKNOWN && f != FLAG_NO && f != FLAG_YES)
        abort();
}

/* An ID is 0 (unknown) or 1 .. 2^53 - 1. */
static inline void
check_id(uint64_t id)
{
    if (id >= JSONREAD_ID_LIMIT)
        abort();
}

static inline void
check_amount(struct jsonread_number n)
{
    if ((n.known != 0 && n.known != 1) || !isfinite(n.value))
        abort();
}

/* The --json text parses back into an object; the caller deletes the result. */
static inline cJSON *
reparse(char *json)
{
    cJSON *o;

    if (json == NULL)
        abort();
    o = cJSON_Parse(json);
    free(json);
    if (!cJSON_IsObject(o))
        abort();
    return o;
}

/* The member name of o printed for the ID id: null when 0, else the same integer. */
static inline void
check_json_id(const cJSON *o, const char *name, uint64_t id)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

    if (id == 0 ? !cJSON_IsNull(v) : !cJSON_IsNumber(v) || v->valuedouble != (double)id)
        abort();
}

/* The member name of o printed for an amount: null when unknown, else the same double. */
static inline void
check_json_amount(const cJSON *o, const char *name, struct jsonread_number n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

    if (!n.known ? !cJSON_IsNull(v) : !cJSON_IsNumber(v) || v->valuedouble != n.value)
        abort();
}

/* The member name of o printed for a string: null when NULL, else the same text. */
static inline void
check_json_text(const cJSON *o, const char *name, const char *s)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

    if (s == NULL ? !cJSON_IsNull(v)
                  : !cJSON_IsString(v) || strcmp(v->valuestring, s) != 0)
        abort();
}

/* The length of a list as the decoders read it: an array's, 1 for an object, else 0. */
static inline size_t
list_size(const cJSON *v)
{
    return cJSON_IsArray(v) ? (size_t)cJSON_GetArraySize(v) : cJSON_IsObject(v) ? 1 : 0;
}

#endif
