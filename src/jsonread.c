#include "jsonread.h"
#include "i18n.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cJSON *
jsonread_parse(const char *text, size_t len, const char **end)
{
    locale_t c = jsonscan_c_numeric(), before = (locale_t)0;
    cJSON *doc;

    if (c != (locale_t)0)
        before = uselocale(c);
    doc = cJSON_ParseWithLengthOpts(text, len, end, 0);
    if (c != (locale_t)0)
        uselocale(before);
    return doc;
}

const cJSON *
jsonread_member(const cJSON *obj, const char *name)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    return cJSON_GetObjectItemCaseSensitive(obj, name);
}

struct json_value
jsonread_view(const cJSON *v)
{
    struct json_value r = {JSON_MISSING, 0.0, NULL};

    if (v == NULL)
        return r;
    if (cJSON_IsNull(v)) {
        r.type = JSON_NULL;
    } else if (cJSON_IsFalse(v)) {
        r.type = JSON_FALSE;
    } else if (cJSON_IsTrue(v)) {
        r.type = JSON_TRUE;
    } else if (cJSON_IsNumber(v)) {
        r.type = JSON_NUMBER;
        r.number = v->valuedouble;
    } else if (cJSON_IsString(v) && v->valuestring != NULL) {
        r.type = JSON_STRING;
        r.string = v->valuestring;
    } else if (cJSON_IsArray(v)) {
        r.type = JSON_ARRAY;
    } else if (cJSON_IsObject(v)) {
        r.type = JSON_OBJECT;
    }
    return r;
}

static struct json_value
member_view(const cJSON *obj, const char *name)
{
    return jsonread_view(jsonread_member(obj, name));
}

char *
jsonread_value_text(const struct json_value *v)
{
    char *t, *shrunk;
    size_t n;

    if (v->type != JSON_STRING)
        return NULL;
    n = strlen(v->string);
    t = text_sanitize(v->string, n);
    /* text_sanitize reserves three bytes per input byte: give back the rest, which
     * matters for a 32 MiB list of shipments. */
    if (t != NULL && n > 16 && (shrunk = realloc(t, strlen(t) + 1)) != NULL)
        t = shrunk;
    return t;
}

char *
jsonread_value_text_nonempty(const struct json_value *v)
{
    char *t = jsonread_value_text(v);

    if (t != NULL && *t == '\0') {
        free(t);
        t = NULL;
    }
    return t;
}

char *
jsonread_text(const cJSON *obj, const char *name)
{
    struct json_value v = member_view(obj, name);

    return jsonread_value_text(&v);
}

char *
jsonread_text_nonempty(const cJSON *obj, const char *name)
{
    struct json_value v = member_view(obj, name);

    return jsonread_value_text_nonempty(&v);
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
jsonread_value_flag(const struct json_value *v)
{
    if (v->type == JSON_TRUE || v->type == JSON_FALSE)
        return v->type == JSON_TRUE ? FLAG_YES : FLAG_NO;
    if (v->type == JSON_NUMBER && (v->number == 0.0 || v->number == 1.0))
        return v->number == 1.0 ? FLAG_YES : FLAG_NO;
    return FLAG_UNKNOWN;
}

enum bl_flag
jsonread_flag(const cJSON *obj, const char *name)
{
    struct json_value v = member_view(obj, name);

    return jsonread_value_flag(&v);
}

int
jsonread_value_date(const struct json_value *v, char out[WCFDATE_ISO_SIZE],
                    int64_t *epoch_ms)
{
    int64_t ms;

    out[0] = '\0';
    if (v->type != JSON_STRING || wcfdate_parse(v->string, &ms, out) != 0)
        return -1;
    if (epoch_ms != NULL)
        *epoch_ms = ms;
    return 0;
}

int
jsonread_date(const cJSON *obj, const char *name, char out[WCFDATE_ISO_SIZE],
              int64_t *epoch_ms)
{
    struct json_value v = member_view(obj, name);

    return jsonread_value_date(&v, out, epoch_ms);
}

/* An integer min <= n < 2^53 from a JSON number or a string of ASCII digits. */
static int
read_integer(const struct json_value *v, uint64_t min, uint64_t *out)
{
    uint64_t x = 0;

    if (v->type == JSON_NUMBER) {
        double d = v->number;

        if (!isfinite(d) || d < (double)min || d >= (double)JSONREAD_ID_LIMIT ||
            d != floor(d))
            return -1;
        *out = (uint64_t)d;
        return 0;
    }
    if (v->type != JSON_STRING || v->string[0] == '\0')
        return -1;
    for (const char *p = v->string; *p != '\0'; p++) {
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
jsonread_value_id(const struct json_value *v, uint64_t *id)
{
    return read_integer(v, 1, id);
}

int
jsonread_id(const cJSON *v, uint64_t *id)
{
    struct json_value view = jsonread_view(v);

    return read_integer(&view, 1, id);
}

int
jsonread_count(const cJSON *v, uint64_t *n)
{
    struct json_value view = jsonread_view(v);

    return read_integer(&view, 0, n);
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
jsonread_value_amount(const struct json_value *v)
{
    struct jsonread_number r = {0.0, 0};

    if (v->type == JSON_NUMBER) {
        r.value = v->number;
    } else if (v->type == JSON_STRING && is_json_number(v->string)) {
        /* The number as cJSON would read it, whatever LC_NUMERIC says. */
        if (jsonscan_number(v->string, strlen(v->string), &r.value) == 0)
            return r;
    } else {
        return r;
    }
    r.known = isfinite(r.value) != 0;
    if (!r.known)
        r.value = 0.0;
    return r;
}

struct jsonread_number
jsonread_amount(const cJSON *obj, const char *name)
{
    struct json_value v = member_view(obj, name);

    return jsonread_value_amount(&v);
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

/* Step 3: error.system_error true is a server error, whatever _verify says; its
 * description and location are on err already. */
static int
server_error(long status, struct bl_error *err)
{
    const char *d = err->server_description, *l = err->server_location;

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

static int
check_system_error(long status, const cJSON *rec, struct bl_error *err)
{
    if (jsonread_flag(jsonread_member(rec, "error"), "system_error") != FLAG_YES)
        return 0;
    jsonread_take_server_error(rec, err);
    return server_error(status, err);
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
    doc = jsonread_parse(body, len, &end);
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

void
jsonread_head_clear(struct jsonread_head *head)
{
    free(head->description);
    free(head->location);
    head->description = head->location = NULL;
}

int
jsonread_judge(long http_status, enum jsonscan_status status, size_t n_elements,
               struct jsonread_head *head, const char *what, int empty_ok,
               struct bl_error *err)
{
    char msg[256];

    if (http_status < 200 || http_status > 299) {
        not_a_reply(what, 1, msg, sizeof msg);
        return jsonread_fail(err, http_status, BL_SERVER, msg);
    }
    if (status == JSONSCAN_NOMEM)
        return jsonread_fail(err, http_status, BL_SERVER,
                             _("Out of memory decoding the reply"));
    if (status != JSONSCAN_OK)
        return jsonread_fail(err, http_status, BL_SERVER,
                             _("The server's reply is not JSON"));
    if (n_elements == 0)
        return empty_ok ? 0
                        : jsonread_fail(err, http_status, BL_SERVER,
                                        _("The server's reply is an empty list"));
    if (!head->is_object) {
        not_a_reply(what, 0, msg, sizeof msg);
        return jsonread_fail(err, http_status, BL_SERVER, msg);
    }
    if (head->system_error != FLAG_YES)
        return 0;
    jsonread_head_take_error(head, err);
    return server_error(http_status, err);
}

void
jsonread_head_take_error(struct jsonread_head *head, struct bl_error *err)
{
    free(err->server_description);
    free(err->server_location);
    err->server_description = head->description;
    err->server_location = head->location;
    head->description = head->location = NULL;
}
