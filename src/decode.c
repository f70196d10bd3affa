#include "decode.h"
#include "secmem.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BOX_ID 9007199254740992.0 /* 2^53: larger integers are not exact in JSON */

static const cJSON *
member(const cJSON *obj, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(obj, name);
}

/* A string member, sanitised for display; NULL when missing or not a string. */
static char *
member_text(const cJSON *obj, const char *name)
{
    const cJSON *v = member(obj, name);

    if (!cJSON_IsString(v) || v->valuestring == NULL)
        return NULL;
    return text_sanitize(v->valuestring, strlen(v->valuestring));
}

/* true/false or 1/0; anything else (missing, "true", 2, null) is unknown. */
static enum bl_flag
member_flag(const cJSON *obj, const char *name)
{
    const cJSON *v = member(obj, name);

    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v) ? FLAG_YES : FLAG_NO;
    if (cJSON_IsNumber(v) && (v->valuedouble == 0.0 || v->valuedouble == 1.0))
        return v->valuedouble == 1.0 ? FLAG_YES : FLAG_NO;
    return FLAG_UNKNOWN;
}

static void
member_date(const cJSON *obj, const char *name, char out[WCFDATE_ISO_SIZE])
{
    const cJSON *v = member(obj, name);

    if (!cJSON_IsString(v) || wcfdate_to_iso(v->valuestring, out) != 0)
        out[0] = '\0';
}

/* A box ID is a positive integer below 2^53, as a JSON number or a string of digits. */
static int
parse_box_id(const cJSON *v, uint64_t *id)
{
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;

        if (!isfinite(d) || d < 1.0 || d >= MAX_BOX_ID || d != floor(d))
            return -1;
        *id = (uint64_t)d;
        return 0;
    }
    if (cJSON_IsString(v)) {
        const char *s = v->valuestring;
        size_t n = strlen(s);
        uint64_t x = 0;

        if (n == 0 || n > 16 || strspn(s, "0123456789") != n)
            return -1;
        for (size_t i = 0; i < n; i++)
            x = x * 10 + (uint64_t)(s[i] - '0');
        if (x < 1 || (double)x >= MAX_BOX_ID)
            return -1;
        *id = x;
        return 0;
    }
    return -1;
}

static char *
join_name(const char *first, const char *last)
{
    char *name = NULL;

    if (first != NULL && *first != '\0' && last != NULL && *last != '\0') {
        if (asprintf(&name, "%s %s", first, last) < 0)
            name = NULL;
    } else if (first != NULL && *first != '\0') {
        name = strdup(first);
    } else if (last != NULL && *last != '\0') {
        name = strdup(last);
    }
    return name;
}

/* The server's error_description and error_location, kept (sanitised) on err. */
static void
take_server_error(const cJSON *error, struct bl_error *err)
{
    char *d = member_text(error, "error_description");
    char *l = member_text(error, "error_location");

    if (d != NULL && *d == '\0')
        free(d), d = NULL;
    if (l != NULL && *l == '\0')
        free(l), l = NULL;
    err->server_description = d;
    err->server_location = l;
}

static int
fail(struct bl_error *err, long status, enum bl_kind kind, const char *msg)
{
    error_set(err, kind, "%s (HTTP %ld)", msg, status);
    err->http_status = status;
    return -1;
}

static int
decode_record(long status, const cJSON *rec, struct bl_session **out,
              struct bl_error *err)
{
    const cJSON *error = member(rec, "error");
    const cJSON *key = member(rec, "customer_key");
    struct bl_session *s;
    uint64_t box_id;

    if (cJSON_IsObject(error) && member_flag(error, "system_error") == FLAG_YES) {
        const char *d, *l;

        take_server_error(error, err);
        d = err->server_description;
        l = err->server_location;
        if (d != NULL && l != NULL)
            error_set(err, BL_SERVER, "The server reported an internal error: %s (at %s)",
                      d, l);
        else if (d != NULL)
            error_set(err, BL_SERVER, "The server reported an internal error: %s", d);
        else if (l != NULL)
            error_set(err, BL_SERVER, "The server reported an internal error at %s", l);
        else
            error_set(err, BL_SERVER, "The server reported an internal error");
        err->http_status = status;
        return -1;
    }
    if (member_flag(rec, "_verify") != FLAG_YES) {
        if (cJSON_IsObject(error))
            take_server_error(error, err);
        error_set(err, BL_REJECTED, "%s",
                  err->server_description != NULL ? err->server_description
                                                  : "Invalid email or password");
        err->http_status = status;
        return -1;
    }
    if (!cJSON_IsString(key) || key->valuestring == NULL || key->valuestring[0] == '\0')
        return fail(err, status, BL_SERVER,
                    "The server accepted the login but sent no customer key");
    if (parse_box_id(member(rec, "customer_box_id"), &box_id) != 0)
        return fail(err, status, BL_SERVER,
                    "The server accepted the login but sent no valid box ID");

    s = calloc(1, sizeof *s);
    if (s == NULL)
        return fail(err, status, BL_NOMEM, "Out of memory decoding the reply");
    s->customer_key = secmem_strdup(key->valuestring);
    s->first_name = member_text(rec, "customer_first_name");
    s->last_name = member_text(rec, "customer_last_name");
    s->name = join_name(s->first_name, s->last_name);
    s->box_id = box_id;
    s->active = member_flag(rec, "is_active");
    s->vip = member_flag(rec, "is_vip");
    s->business = member_flag(rec, "is_business");
    s->enabled = member_flag(rec, "is_enable");
    s->verified = FLAG_YES;
    member_date(rec, "enrolment_date", s->enrolment_date);
    member_date(rec, "activation_date", s->activation_date);
    if (s->customer_key == NULL) {
        session_free(s);
        return fail(err, status, BL_NOMEM, "Out of memory decoding the reply");
    }
    *out = s;
    return 0;
}

int
decode_login_reply(long http_status, const char *body, size_t len,
                   struct bl_session **out, struct bl_error *err)
{
    const char *end = NULL;
    cJSON *root;
    const cJSON *rec;
    int rc;

    *out = NULL;
    if (http_status < 200 || http_status > 299)
        return fail(err, http_status, BL_SERVER,
                    "The server answered with an error status instead of a login reply");
    root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
    if (root != NULL) {
        while (end < body + len && strchr(" \t\r\n", *end) != NULL && *end != '\0')
            end++;
        if (end != body + len) {
            cJSON_Delete(root);
            root = NULL;
        }
    }
    if (root == NULL)
        return fail(err, http_status, BL_SERVER, "The server's reply is not JSON");
    if (cJSON_IsArray(root) && cJSON_GetArraySize(root) == 0)
        rc = fail(err, http_status, BL_SERVER, "The server's reply is an empty list");
    else if (rec = cJSON_IsArray(root) ? root->child : root, !cJSON_IsObject(rec))
        rc =
            fail(err, http_status, BL_SERVER, "The server's reply is not a login record");
    else
        rc = decode_record(http_status, rec, out, err);
    cJSON_Delete(root);
    return rc;
}
