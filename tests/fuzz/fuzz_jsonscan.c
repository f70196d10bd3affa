/*
 * libFuzzer harness: the streaming reader (src/jsonscan.c) against cJSON. For
 * every input both must agree on whether it is JSON (by jsonread_open's rule:
 * one value, then only " \t\r\n"), and when it is, on every value: the same
 * tree, the same member names, the same strings (to their first NUL, as cJSON
 * keeps them) and the same numbers, bit for bit. Also, a number held in a
 * string reads as cJSON_Parse reads it (jsonread_amount's path).
 */
#include "jsonscan.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct out {
    char *buf;
    size_t len, cap;
};

static void
put(struct out *o, const void *p, size_t n)
{
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 256;

        while (cap < o->len + n)
            cap *= 2;
        if ((o->buf = realloc(o->buf, cap)) == NULL)
            abort();
        o->cap = cap;
    }
    memcpy(o->buf + o->len, p, n);
    o->len += n;
}

/* A string as a length and its bytes up to the first NUL. */
static void
put_text(struct out *o, const char *s)
{
    size_t n = strlen(s);

    put(o, &n, sizeof n);
    put(o, s, n);
}

static void
put_number(struct out *o, double d)
{
    put(o, "#", 1);
    put(o, &d, sizeof d);
}

/* The walk over the cJSON tree. Recursive: both readers stop at 1000 levels. */
static void /* NOLINTNEXTLINE(misc-no-recursion) */
walk_tree(const cJSON *v, struct out *o)
{
    if (cJSON_IsNull(v)) {
        put(o, "n", 1);
    } else if (cJSON_IsFalse(v)) {
        put(o, "f", 1);
    } else if (cJSON_IsTrue(v)) {
        put(o, "t", 1);
    } else if (cJSON_IsNumber(v)) {
        put_number(o, v->valuedouble);
    } else if (cJSON_IsString(v)) {
        put(o, "s", 1);
        put_text(o, v->valuestring);
    } else if (cJSON_IsArray(v)) {
        put(o, "[", 1);
        for (const cJSON *c = v->child; c != NULL; c = c->next)
            walk_tree(c, o);
        put(o, "]", 1);
    } else if (cJSON_IsObject(v)) {
        put(o, "{", 1);
        for (const cJSON *c = v->child; c != NULL; c = c->next) {
            put(o, "k", 1);
            put_text(o, c->string);
            walk_tree(c, o);
        }
        put(o, "}", 1);
    } else {
        abort();
    }
}

/* The same walk with the scanner; -1 when it fails. */
static int /* NOLINTNEXTLINE(misc-no-recursion) */
walk_scan(struct jsonscan *s, struct out *o)
{
    enum json_type t = jsonscan_peek(s);
    struct json_value v;
    const char *key;

    if (t == JSON_ARRAY || t == JSON_OBJECT) {
        int rc;

        if (jsonscan_enter(s, t) != 0)
            return -1;
        put(o, t == JSON_ARRAY ? "[" : "{", 1);
        while ((rc = t == JSON_ARRAY ? jsonscan_element(s) : jsonscan_member(s, &key)) ==
               1) {
            if (t == JSON_OBJECT) {
                put(o, "k", 1);
                put_text(o, key);
            }
            if (walk_scan(s, o) != 0)
                return -1;
        }
        put(o, t == JSON_ARRAY ? "]" : "}", 1);
        return rc;
    }
    if (jsonscan_value(s, &v) != 0)
        return -1;
    switch (v.type) {
    case JSON_NULL:
        put(o, "n", 1);
        break;
    case JSON_FALSE:
        put(o, "f", 1);
        break;
    case JSON_TRUE:
        put(o, "t", 1);
        break;
    case JSON_NUMBER:
        put_number(o, v.number);
        break;
    case JSON_STRING:
        put(o, "s", 1);
        put_text(o, v.string);
        break;
    default:
        abort();
    }
    return 0;
}

/* The same double, bit for bit (-0.0 is not 0.0). */
static int
same_bits(double a, double b)
{
    uint64_t x, y;

    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    return x == y;
}

/* The input as one string: cJSON_Parse's number against jsonscan_number. */
static void
check_number_text(const char *buf, size_t size)
{
    cJSON *n;
    double d;
    size_t used;

    if (size == 0 || !(buf[0] == '-' || (buf[0] >= '0' && buf[0] <= '9')) ||
        strlen(buf) != size)
        return;
    n = cJSON_Parse(buf);
    used = jsonscan_number(buf, size, &d);
    if ((used > 0) != cJSON_IsNumber(n))
        abort();
    if (used > 0 && !same_bits(d, n->valuedouble))
        abort();
    cJSON_Delete(n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    const char *end = NULL;
    struct out a = {0}, b = {0};
    struct jsonscan s;
    cJSON *doc;
    int tree_ok, scan_ok;

    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';

    doc = size > 0 ? cJSON_ParseWithLengthOpts(buf, size, &end, 0) : NULL;
    if (doc != NULL)
        while (end < buf + size && *end != '\0' && strchr(" \t\r\n", *end) != NULL)
            end++;
    tree_ok = doc != NULL && end == buf + size;

    jsonscan_init(&s, buf, size);
    scan_ok = walk_scan(&s, &b) == 0 && jsonscan_finish(&s) == 0;
    if (!scan_ok && s.status != JSONSCAN_SYNTAX)
        abort();
    jsonscan_free(&s);

    if (tree_ok != scan_ok) {
        fprintf(stderr, "cJSON %s it, jsonscan %s it\n", tree_ok ? "takes" : "refuses",
                scan_ok ? "takes" : "refuses");
        abort();
    }
    if (tree_ok) {
        walk_tree(doc, &a);
        if (a.len != b.len || memcmp(a.buf, b.buf, a.len) != 0) {
            fprintf(stderr, "cJSON and jsonscan read different values\n");
            abort();
        }
    }
    cJSON_Delete(doc);
    check_number_text(buf, size);
    free(a.buf);
    free(b.buf);
    free(buf);
    return 0;
}
