#include "jsonread.h"
#include "i18n.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cJSON *
jsonread_member(const cJSON *obj, const char *name)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    return cJSON_GetObjectItemCaseSensitive(obj, name);
}

char *
jsonread_text(const cJSON *obj, const char *name)
{
    const cJSON *v = jsonread_member(obj, name);
    char *t, *shrunk;
    size_t n;

    if (!cJSON_IsString(v) || v->valuestring == NULL)
        return NULL;
    n = strlen(v->valuestring);
    t = text_sanitize(v->valuestring, n);
    /* text_sanitize reserves three bytes per input byte: give back the rest, which
     * matters for a 32 MiB list of shipments. */
    if (t != NULL && n > 16 && (shrunk = realloc(t, strlen(t) + 1)) != NULL)
        t = shrunk;
    return t;
}

char *
jsonread_text_nonempty(const cJSON *obj, const char *name)
{
    char *t = jsonread_text(obj, name);

    if (t != NULL && *t == '\0') {
        free(t);
        t = NULL;
    }
    return t;
}

char *
jsonread_join_name(const char *first, const char *last)
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

enum bl_flag
jsonread_flag(const cJSON *obj, const char *name)
{
    const cJSON *v = jsonread_member(obj, name);

    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v) ? FLAG_YES : FLAG_NO;
    if (cJSON_IsNumber(v) && (v->valuedouble == 0.0 || v->valuedouble == 1.0))
        return v->valuedouble == 1.0 ? FLAG_YES : FLAG_NO;
    return FLAG_UNKNOWN;
}

int
jsonread_date(const cJSON *obj, const char *name, char out[WCFDATE_ISO_SIZE],
              int64_t *epoch_ms)
{
    const cJSON *v = jsonread_member(obj, name);
    int64_t ms;

    out[0] = '\0';
    if (!cJSON_IsString(v) || v->valuestring == NULL ||
        wcfdate_parse(v->valuestring, &ms, out) != 0)
        return -1;
    if (epoch_ms != NULL)
        *epoch_ms = ms;
    return 0;
}

/* An integer min <= n < 2^53 from a JSON number or a string of ASCII digits. */
static int
read_integer(const cJSON *v, uint64_t min, uint64_t *out)
{
    uint64_t x = 0;

    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;

        if (!isfinite(d) || d < (double)min || d >= (double)JSONREAD_ID_LIMIT ||
            d != floor(d))
            return -1;
        *out = (uint64_t)d;
        return 0;
    }
    if (!cJSON_IsString(v) || v->valuestring == NULL || v->valuestring[0] == '\0')
        return -1;
    for (const char *p = v->valuestring; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        x = x * 10 + (uint64_t)(*p - '0');
        if (x >= JSONREAD_ID_LIMIT)
            return -1;
    }
    if (x < min)
        return -1;
    *out = x;
    return 0;
}

int
jsonread_id(const cJSON *v, uint64_t *id)
{
    return read_integer(v, 1, id);
}

int
jsonread_count(const cJSON *v, uint64_t *n)
{
    return read_integer(v, 0, n);
}

/* JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
is_json_number(const char *s)
{
    const char *p = s;

    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        p += strspn(p, "0123456789");
    else
        return 0;
    if (*p == '.') {
        size_t n = strspn(++p, "0123456789");

        if (n == 0)
            return 0;
        p += n;
    }
    if (*p == 'e' || *p == 'E') {
        size_t n;

        p++;
        if (*p == '+' || *p == '-')
            p++;
        if ((n = strspn(p, "0123456789")) == 0)
            return 0;
        p += n;
    }
    return *p == '\0';
}

struct jsonread_number
jsonread_amount(const cJSON *obj, const char *name)
{
    const cJSON *v = jsonread_member(obj, name);
    struct jsonread_number r = {0.0, 0};

    if (cJSON_IsNumber(v)) {
        r.value = v->valuedouble;
    } else if (cJSON_IsString(v) && v->valuestring != NULL &&
               is_json_number(v->valuestring)) {
        /* cJSON reads the number whatever LC_NUMERIC says; strtod would not. */
        cJSON *n = cJSON_Parse(v->valuestring);

        if (!cJSON_IsNumber(n)) {
            cJSON_Delete(n);
            return r;
        }
        r.value = n->valuedouble;
        cJSON_Delete(n);
    } else {
        return r;
    }
    r.known = isfinite(r.value) != 0;
    if (!r.known)
        r.value = 0.0;
    return r;
}

int
jsonread_fail(struct bl_error *err, long http_status, enum bl_kind kind,
              const char *message)
{
    error_set(err, kind, "%s (HTTP %ld)", message, http_status);
    err->http_status = http_status;
    return -1;
}

void
jsonread_take_server_error(const cJSON *rec, struct bl_error *err)
{
    const cJSON *error = jsonread_member(rec, "error");

    free(err->server_description);
    free(err->server_location);
    err->server_description = jsonread_text_nonempty(error, "error_description");
    err->server_location = jsonread_text_nonempty(error, "error_location");
}

/* Step 3: error.system_error true is a server error, whatever _verify says. */
static int
check_system_error(long status, const cJSON *rec, struct bl_error *err)
{
    const char *d, *l;

    if (jsonread_flag(jsonread_member(rec, "error"), "system_error") != FLAG_YES)
        return 0;
    jsonread_take_server_error(rec, err);
    d = err->server_description;
    l = err->server_location;
    if (d != NULL && l != NULL)
        error_set(err, BL_SERVER,
                  /* TRANSLATORS: the server's description of the error, then where it
                     says it happened (its own words, both). */
                  _("The server reported an internal error: %s (at %s)"), d, l);
    else if (d != NULL)
        /* TRANSLATORS: %s is the server's description of the error. */
        error_set(err, BL_SERVER, _("The server reported an internal error: %s"), d);
    else if (l != NULL)
        /* TRANSLATORS: %s is where the server says the error happened. */
        error_set(err, BL_SERVER, _("The server reported an internal error at %s"), l);
    else
        error_set(err, BL_SERVER, _("The server reported an internal error"));
    err->http_status = status;
    return -1;
}

/*
 * The messages of jsonread_open that name the reply: whole sentences for each call's
 * reply (what), so that a translation never has to fit an English word in. A name
 * no decoder uses gets the English sentence with it.
 */
static void
not_a_reply(const char *what, int status_error, char *msg, size_t size)
{
    const char *m = NULL;

    if (strcmp(what, "login") == 0)
        m = status_error
                ? _("The server answered with an error status instead of a login reply")
                : _("The server's reply is not a login record");
    else if (strcmp(what, "profile") == 0)
        m = status_error
                ? _("The server answered with an error status instead of a profile reply")
                : _("The server's reply is not a profile record");
    else if (strcmp(what, "shipments") == 0)
        m = status_error ? _("The server answered with an error status instead of a "
                             "shipments reply")
                         : _("The server's reply is not a shipments record");
    else if (strcmp(what, "shipment") == 0)
        m = status_error ? _("The server answered with an error status instead of a "
                             "shipment reply")
                         : _("The server's reply is not a shipment record");
    if (m != NULL)
        snprintf(msg, size, "%s", m);
    else if (status_error)
        snprintf(msg, size,
                 "The server answered with an error status instead of a %s reply", what);
    else
        snprintf(msg, size, "The server's reply is not a %s record", what);
}

int
jsonread_open(long http_status, const char *body, size_t len, const char *what,
              int empty_ok, cJSON **root, const cJSON **rec, struct bl_error *err)
{
    const char *end = NULL;
    char msg[256];
    cJSON *doc;
    const cJSON *first;

    *root = NULL;
    *rec = NULL;
    if (http_status < 200 || http_status > 299) {
        not_a_reply(what, 1, msg, sizeof msg);
        return jsonread_fail(err, http_status, BL_SERVER, msg);
    }
    doc = cJSON_ParseWithLengthOpts(body, len, &end, 0);
    if (doc != NULL) {
        while (end < body + len && *end != '\0' && strchr(" \t\r\n", *end) != NULL)
            end++;
        if (end != body + len) {
            cJSON_Delete(doc);
            doc = NULL;
        }
    }
    if (doc == NULL)
        return jsonread_fail(err, http_status, BL_SERVER,
                             _("The server's reply is not JSON"));
    if (cJSON_IsArray(doc) && doc->child == NULL) {
        if (empty_ok) {
            *root = doc;
            return 0;
        }
        cJSON_Delete(doc);
        return jsonread_fail(err, http_status, BL_SERVER,
                             _("The server's reply is an empty list"));
    }
    first = cJSON_IsArray(doc) ? doc->child : doc;
    if (!cJSON_IsObject(first)) {
        cJSON_Delete(doc);
        not_a_reply(what, 0, msg, sizeof msg);
        return jsonread_fail(err, http_status, BL_SERVER, msg);
    }
    if (check_system_error(http_status, first, err) != 0) {
        cJSON_Delete(doc);
        return -1;
    }
    *root = doc;
    *rec = first;
    return 0;
}
