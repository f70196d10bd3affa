#include "api.h"
#include "decode.h"
#include "i18n.h"
#include "log.h"
#include "redact.h"
#include "secmem.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct api {
    struct transport *transport;
    int documented[API_CALLS]; /* the default path gave 404, the documented one did not */
};

_Static_assert(API_NOT_SENT == (int)TRANSPORT_NOT_SENT &&
                   API_SENT == (int)TRANSPORT_SENT &&
                   API_RESEND_STOPPED == (int)TRANSPORT_RESEND_STOPPED,
               "api_reply.sent is transport's word for how far a request got");

void
api_global_start(void)
{
    transport_global_start();
}

int
api_global_init(struct bl_error *err)
{
    return transport_global_init(err);
}

void
api_global_cleanup(void)
{
    transport_global_cleanup();
}

int
api_check_url(const char *base_url, char **host_out, struct bl_error *err)
{
    int plain;

    return transport_check_url(base_url, host_out, &plain, err);
}

struct api *
api_new(struct bl_error *err)
{
    struct api *api = calloc(1, sizeof *api);

    if (api == NULL) {
        error_set(err, BL_INTERNAL, _("out of memory"));
        return NULL;
    }
    if ((api->transport = transport_new(err)) == NULL) {
        free(api);
        return NULL;
    }
    return api;
}

void
api_free(struct api *api)
{
    if (api == NULL)
        return;
    transport_free(api->transport);
    free(api);
}

void
api_cancel(struct api *api, unsigned long seq)
{
    transport_cancel(api->transport, seq);
}

int
api_cancelled(struct api *api, unsigned long seq)
{
    return transport_cancelled(api->transport, seq);
}

int
api_prewarm(struct api *api, unsigned long seq, const struct bl_config *cfg,
            int connections)
{
    return transport_prewarm(api->transport, seq, cfg, connections);
}

void
api_preconnect(struct api *api, const struct bl_config *cfg, struct preconnect *p)
{
    transport_preconnect(api->transport, cfg, p);
}

enum api_write
api_write_outcome(const struct api_reply *reply)
{
    if (reply->err.kind == BL_OK)
        return API_WRITE_ANSWERED;
    return reply->sent == API_NOT_SENT ? API_WRITE_NOT_SENT : API_WRITE_UNKNOWN;
}

/* base_url + "/" + path with exactly one slash between them. */
static char *
call_url(const struct bl_config *cfg, const char *path)
{
    size_t blen = strlen(cfg->base_url);
    char *url = NULL;

    while (blen > 0 && cfg->base_url[blen - 1] == '/')
        blen--;
    while (*path == '/')
        path++;
    if (asprintf(&url, "%.*s/%s", (int)blen, cfg->base_url, path) < 0)
        return NULL;
    return url;
}

/* Adds an exact integer: cJSON prints numbers through a double. Returns 0, or -1
 * without memory. */
static int
add_integer(cJSON *obj, const char *name, uint64_t n)
{
    char digits[24];
    cJSON *v;

    snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    if ((v = cJSON_CreateRaw(digits)) == NULL)
        return -1;
    if (!cJSON_AddItemToObject(obj, name, v)) {
        cJSON_Delete(v);
        return -1;
    }
    return 0;
}

/* Adds s as a string, "" for NULL. Returns 0, or -1 without memory. */
static int
add_string(cJSON *obj, const char *name, const char *s)
{
    cJSON *v = cJSON_CreateString(s != NULL ? s : "");

    if (v == NULL)
        return -1;
    if (!cJSON_AddItemToObject(obj, name, v)) {
        cJSON_Delete(v);
        return -1;
    }
    return 0;
}

/* Adds s as a string when it is not NULL: a field of a change that is sent only when it
 * changes. */
static void
add_changed(cJSON *obj, const char *name, const char *s)
{
    if (s != NULL)
        add_string(obj, name, s);
}

static void
add_flag(cJSON *obj, const char *name, enum api_flag f)
{
    if (f != API_FLAG_KEEP)
        cJSON_AddItemToObject(obj, name, cJSON_CreateBool(f == API_FLAG_TRUE));
}

/* The address change's customer_address (one element) and customer_phone. Returns 0,
 * or -1 without memory: a write that lost a phone would delete it, so nothing is sent. */
static int
add_address(cJSON *root, const struct api_request *rq)
{
    const struct api_address *a = rq->address;
    cJSON *list = cJSON_CreateArray(), *phones = cJSON_CreateArray(), *item = NULL;
    int rc = -1;

    if (list == NULL || phones == NULL)
        goto out;
    if (a != NULL) {
        if ((item = cJSON_CreateObject()) == NULL ||
            add_integer(item, "city_code", a->city_code) != 0 ||
            add_string(item, "city_name", a->city_name) != 0 ||
            add_string(item, "phone_area", a->phone_area) != 0 ||
            add_string(item, "phone_number", a->phone_number) != 0 ||
            add_string(item, "phone_extension", a->phone_extension) != 0 ||
            add_string(item, "locality_town", a->locality_town) != 0 ||
            add_string(item, "neighborhood", a->neighborhood) != 0 ||
            add_string(item, "address_01", a->address_01) != 0 ||
            add_string(item, "zip_code", a->zip_code) != 0 ||
            !cJSON_AddItemToArray(list, item))
            goto out;
        item = NULL;
    }
    for (size_t i = 0; i < rq->phone_count; i++) {
        if ((item = cJSON_CreateObject()) == NULL ||
            add_string(item, "phone_area_code", rq->phones[i].area_code) != 0 ||
            add_string(item, "phone_number", rq->phones[i].number) != 0 ||
            add_string(item, "phone_extension", rq->phones[i].extension) != 0 ||
            add_integer(item, "phone_type", (uint64_t)rq->phones[i].type) != 0 ||
            !cJSON_AddItemToArray(phones, item))
            goto out;
        item = NULL;
    }
    if (!cJSON_AddItemToObject(root, "customer_address", list))
        goto out;
    list = NULL;
    if (!cJSON_AddItemToObject(root, "customer_phone", phones))
        goto out;
    phones = NULL;
    rc = 0;
out:
    cJSON_Delete(item);
    cJSON_Delete(list);
    cJSON_Delete(phones);
    return rc;
}

/* strlen, 0 for NULL. */
static size_t
len_of(const char *s)
{
    return s != NULL ? strlen(s) : 0;
}

/* The bytes of rq's strings, for the size of the printed body. */
static size_t
text_size(const struct bl_config *cfg, const struct api_request *rq)
{
    const struct api_details *d = &rq->details;
    const struct api_address *a = rq->address;
    size_t n = len_of(rq->email) + rq->password_len + 2 * strlen(cfg->cred.app_key) +
               len_of(rq->customer_key) + len_of(rq->start_date) + len_of(rq->end_date) +
               len_of(rq->new_email) + len_of(d->first_name) + len_of(d->last_name) +
               len_of(d->identity_number) + len_of(d->birth_date) + len_of(d->gender);

    if (a != NULL)
        n += len_of(a->city_name) + len_of(a->phone_area) + len_of(a->phone_number) +
             len_of(a->phone_extension) + len_of(a->locality_town) +
             len_of(a->neighborhood) + len_of(a->address_01) + len_of(a->zip_code);
    for (size_t i = 0; i < rq->phone_count; i++)
        n += len_of(rq->phones[i].area_code) + len_of(rq->phones[i].number) +
             len_of(rq->phones[i].extension);
    return n;
}

/* Whether call c names a customer by box ID and key: the account calls and the changes.
 */
static int
with_key(enum api_call c)
{
    return c == API_PROFILE || c == API_SHIPMENTS || c == API_SHIPMENT ||
           config_call(c)->write;
}

/*
 * The request body of rq, with the credentials both flat and under user_info.
 * The secrets (app key, customer key, password, new password) go in by reference
 * and are printed into our own buffer, so no unwiped copy is left behind. Returns
 * a secmem buffer, or NULL.
 */
static char *
request_body(const struct bl_config *cfg, const struct api_request *rq, size_t *len)
{
    char *buf = NULL;
    cJSON *root = cJSON_CreateObject(), *info = cJSON_CreateObject();
    const char *email = rq->email != NULL ? rq->email : "";
    const char *key = rq->customer_key != NULL ? rq->customer_key : "";
    const char *password = rq->password != NULL ? rq->password : "";
    /* Escaping can grow a byte to six ("\u001f"); names, numbers and the phones' framing
     * take well under 1024 bytes, and 160 more a phone. */
    size_t cap = 1024 + 6 * text_size(cfg, rq) + 160 * rq->phone_count;

    if (root == NULL || info == NULL)
        goto out;
    add_integer(root, "user_code", (uint64_t)cfg->cred.user_code);
    cJSON_AddItemToObject(root, "app_key",
                          cJSON_CreateStringReference(cfg->cred.app_key));
    if (with_key(rq->call)) {
        add_integer(root, "customer_box_id", rq->box_id);
        cJSON_AddItemToObject(root, "customer_key", cJSON_CreateStringReference(key));
    }
    switch (rq->call) {
    case API_LOGIN:
        cJSON_AddItemToObject(root, "customer_email", cJSON_CreateString(email));
        cJSON_AddItemToObject(root, "customer_password",
                              cJSON_CreateStringReference(password));
        break;
    case API_PARTNER:
        cJSON_AddItemToObject(root, "customer_email", cJSON_CreateString(email));
        break;
    case API_SHIPMENTS:
        cJSON_AddStringToObject(root, "start_date", rq->start_date);
        cJSON_AddStringToObject(root, "end_date", rq->end_date);
        break;
    case API_SHIPMENT:
        add_integer(root, "trck_nmr_fol", rq->awb);
        cJSON_AddStringToObject(root, "language_code", "");
        break;
    case API_PASSWORD:
        cJSON_AddItemToObject(root, "customer_email", cJSON_CreateString(email));
        cJSON_AddItemToObject(root, "customer_new_password",
                              cJSON_CreateStringReference(password));
        break;
    case API_EMAIL:
        cJSON_AddItemToObject(root, "customer_current_email", cJSON_CreateString(email));
        add_string(root, "customer_new_email", rq->new_email);
        break;
    case API_TYPE:
        add_flag(root, "customer_is_vip", rq->vip);
        add_flag(root, "customer_is_business", rq->business);
        break;
    case API_DETAILS:
        add_changed(root, "customer_first_name", rq->details.first_name);
        add_changed(root, "customer_last_name", rq->details.last_name);
        add_changed(root, "customer_identity_number", rq->details.identity_number);
        if (rq->details.has_tax_number)
            add_integer(root, "customer_tax_number", rq->details.tax_number);
        add_changed(root, "customer_birth_date", rq->details.birth_date);
        add_changed(root, "customer_gender", rq->details.gender);
        break;
    case API_ADDRESS:
        if (add_address(root, rq) != 0)
            goto out;
        break;
    case API_STATES:
        add_integer(root, "country_code", rq->country_code);
        break;
    case API_CITIES:
        add_integer(root, "state_code", rq->state_code);
        break;
    case API_PROFILE:
    case API_COUNTRIES:
    case API_CALLS:
        break;
    }
    add_integer(info, "user_code", (uint64_t)cfg->cred.user_code);
    cJSON_AddItemToObject(info, "app_key",
                          cJSON_CreateStringReference(cfg->cred.app_key));
    cJSON_AddItemToObject(root, "user_info", info);
    info = NULL;
    if ((buf = secmem_malloc(cap)) != NULL &&
        !cJSON_PrintPreallocated(root, buf, (int)cap, 0)) {
        secmem_free(buf);
        buf = NULL;
    }
    if (buf != NULL)
        *len = strlen(buf);
out:
    cJSON_Delete(info);
    cJSON_Delete(root);
    return buf;
}

char *
api_body_shown(const struct bl_config *cfg, const struct api_request *rq)
{
    static char withheld[] = "(withheld)";
    struct bl_config c = *cfg;
    struct api_request r = *rq;
    size_t len;

    c.cred.app_key = withheld;
    r.customer_key = withheld;
    if (r.password != NULL) {
        r.password = withheld;
        r.password_len = strlen(withheld);
    }
    return request_body(&c, &r, &len);
}

/* The path call c goes to: the configured one, or the default (or the documented one,
 * once the default answered 404 and it did not). *set says it is the configured one. */
static const char *
call_path(const struct api *api, const struct bl_config *cfg, enum api_call c, int *set)
{
    const char *path = config_call_path(cfg, c, set);

    return !*set && api->documented[c] ? config_call(c)->documented : path;
}

void
api_reply_clear(struct api_reply *r)
{
    secmem_free(r->body);
    error_clear(&r->err);
    memset(r, 0, sizeof *r);
}

/* The reply to call c was larger than its cap: a server error that names the cap. */
static void
over_cap(enum api_call c, long status, struct bl_error *err)
{
    size_t mib = config_call(c)->cap >> 20;

    switch (c) {
    case API_LOGIN:
        error_set(err, BL_SERVER,
                  /* TRANSLATORS: the cap in MiB (1 or 32), then the HTTP status. */
                  _("The server's reply to the login call is larger than %zu MiB (HTTP "
                    "%ld)"),
                  mib, status);
        break;
    case API_PARTNER:
        error_set(
            err, BL_SERVER,
            /* TRANSLATORS: the cap in MiB (1 or 32), then the HTTP status. */
            _("The server's reply to the partner lookup call is larger than %zu MiB "
              "(HTTP %ld)"),
            mib, status);
        break;
    case API_PROFILE:
        error_set(err, BL_SERVER,
                  /* TRANSLATORS: the cap in MiB (1 or 32), then the HTTP status. */
                  _("The server's reply to the profile call is larger than %zu MiB (HTTP "
                    "%ld)"),
                  mib, status);
        break;
    case API_SHIPMENTS:
        error_set(err, BL_SERVER,
                  /* TRANSLATORS: the cap in MiB (1 or 32), then the HTTP status. */
                  _("The server's reply to the shipments call is larger than %zu MiB "
                    "(HTTP %ld)"),
                  mib, status);
        break;
    case API_SHIPMENT:
    case API_CALLS:
        error_set(
            err, BL_SERVER,
            /* TRANSLATORS: the cap in MiB (1 or 32), then the HTTP status. */
            _("The server's reply to the shipment call is larger than %zu MiB (HTTP "
              "%ld)"),
            mib, status);
        break;
    case API_PASSWORD:
    case API_EMAIL:
    case API_TYPE:
    case API_DETAILS:
    case API_ADDRESS:
        error_set(err, BL_SERVER,
                  /* TRANSLATORS: the cap in MiB (1), then the HTTP status. The call is a
                     change to the customer's account (password, email, address...). */
                  _("The server's reply to the change is larger than %zu MiB (HTTP %ld)"),
                  mib, status);
        break;
    case API_COUNTRIES:
    case API_STATES:
    case API_CITIES:
        error_set(err, BL_SERVER,
                  /* TRANSLATORS: the cap in MiB (1), then the HTTP status. The lists are
                     those of countries, states and cities. */
                  _("The server's reply to the places list is larger than %zu MiB (HTTP "
                    "%ld)"),
                  mib, status);
        break;
    }
    err->http_status = status;
}

/* What transfer x's end means for the reply to call c: an HTTP answer, or why not. */
static void
take_result(enum api_call c, struct transfer *x, struct api_reply *out)
{
    out->status = x->status;
    out->sent = (enum api_sent)x->sent;
    if (x->over_cap) {
        over_cap(c, out->status, &out->err);
    } else if (x->err.kind != BL_OK) {
        error_move(&out->err, &x->err);
    } else {
        out->body = x->body;
        out->len = x->len;
        x->body = NULL;
    }
    secmem_free(x->body);
    x->body = NULL;
    error_clear(&x->err);
    if (out->err.kind != BL_OK)
        log_msg("%s call failed: %s: %s", config_call(c)->name,
                error_kind_name(out->err.kind), out->err.message);
}

/* A 404 at a default path that SkyPostal's documentation names otherwise: the reply
 * to send again there (once, and not when the path is configured). Never a write's:
 * a 404 is its answer, and a write is not sent twice. */
static int
wants_documented(const struct api *api, const struct bl_config *cfg,
                 const struct api_request *rq, const struct api_reply *out)
{
    const struct config_call *def = config_call(rq->call);
    int set;

    config_call_path(cfg, rq->call, &set);
    return out->err.kind == BL_OK && out->status == 404 && !set &&
           def->documented != NULL && !def->write && !api->documented[rq->call];
}

/* One round of api_send_each: what its transfers' ends need. */
struct round {
    struct api *api;
    const struct bl_config *cfg;
    const struct api_request *rqs;
    struct api_reply *out;
    struct transfer x[API_PARALLEL];
    int slot_of[API_PARALLEL]; /* transfer i is request slot_of[i] */
    int *delivered;            /* by request: handed to done already */
    int last;                  /* no round after this one: every reply is final */
    api_reply_fn done;
    void *ctx;
};

/* Transfer i has ended: its reply, handed over at once when it is final. */
static void
on_transfer(void *ctx, size_t i, struct transfer *x)
{
    struct round *r = ctx;
    int k = r->slot_of[i];

    take_result(r->rqs[k].call, x, &r->out[k]);
    /* The documented path answered 404 too: the default stays (before done may clear the
     * reply). */
    if (r->last && r->out[k].err.kind == BL_OK && r->out[k].status == 404)
        r->api->documented[r->rqs[k].call] = 0;
    if (r->done != NULL && !r->delivered[k] &&
        (r->last || !wants_documented(r->api, r->cfg, &r->rqs[k], &r->out[k]))) {
        r->delivered[k] = 1;
        r->done(r->ctx, (size_t)k, &r->out[k]);
    }
}

/* One round: sends each request in rqs whose todo is set, at once, on its path.
 * Returns 1 when call seq was cancelled meanwhile, else 0. */
static int
send_round(struct round *r, unsigned long seq, const char *host, int plain,
           const int *todo, size_t n)
{
    char *url[API_PARALLEL] = {0}, *post[API_PARALLEL] = {0};
    int cancelled, set;
    size_t used = 0;

    memset(r->x, 0, sizeof r->x);
    for (size_t k = 0; k < n; k++) {
        const struct api_request *rq = &r->rqs[k];
        size_t post_len = 0;

        if (!todo[k])
            continue;
        api_reply_clear(&r->out[k]);
        url[used] = call_url(r->cfg, call_path(r->api, r->cfg, rq->call, &set));
        post[used] = request_body(r->cfg, rq, &post_len);
        if (url[used] == NULL || post[used] == NULL) {
            error_set(&r->out[k].err, BL_INTERNAL,
                      _("out of memory preparing the request"));
            free(url[used]);
            secmem_free(post[used]);
            url[used] = post[used] = NULL;
            continue;
        }
        r->x[used] = (struct transfer){.url = url[used],
                                       .post = post[used],
                                       .post_len = post_len,
                                       .cap = config_call(rq->call)->cap,
                                       .once = config_call(rq->call)->write,
                                       .hold = rq->hold};
        if (log_enabled()) {
            char *shown = redact_url(url[used]);

            log_msg("POST %s as user_code %ld%s%s (password, keys and app key withheld)",
                    shown != NULL ? shown : "", r->cfg->cred.user_code,
                    rq->email != NULL ? " for " : "", rq->email != NULL ? rq->email : "");
            free(shown);
        }
        r->slot_of[used++] = (int)k;
    }
    cancelled = transport_run(r->api->transport, seq, r->cfg, host, plain, r->x, used,
                              on_transfer, r);
    for (size_t i = 0; i < used; i++) {
        secmem_free(post[i]);
        free(url[i]);
    }
    return cancelled;
}

void
api_send(struct api *api, unsigned long seq, const struct bl_config *cfg,
         const struct api_request *rqs, size_t n, struct api_reply *out)
{
    api_send_each(api, seq, cfg, rqs, n, out, NULL, NULL);
}

void
api_send_each(struct api *api, unsigned long seq, const struct bl_config *cfg,
              const struct api_request *rqs, size_t n, struct api_reply *out,
              api_reply_fn done, void *ctx)
{
    int delivered[API_PARALLEL] = {0}, plain;
    struct round r = {.api = api,
                      .cfg = cfg,
                      .rqs = rqs,
                      .out = out,
                      .done = done,
                      .ctx = ctx,
                      .delivered = delivered};
    struct bl_error err = {0};
    char *host = NULL;

    if (n > API_PARALLEL)
        n = API_PARALLEL;
    memset(out, 0, n * sizeof *out);
    if (transport_check_url(cfg->base_url, &host, &plain, &err) != 0) {
        for (size_t k = 0; k < n; k++)
            error_set(&out[k].err, err.kind, "%s", err.message);
        error_clear(&err);
    } else {
        int todo[API_PARALLEL] = {0}, again = 0, stopped;

        for (size_t k = 0; k < n; k++)
            todo[k] = 1;
        stopped = send_round(&r, seq, host, plain, todo, n);
        /* A 404 at a default path that SkyPostal's documentation names otherwise: try
         * the documented one once, and keep it if it answers anything but 404 (not
         * after a cancel: then nothing goes out again). */
        for (size_t k = 0; k < n && !stopped; k++) {
            todo[k] = !delivered[k] && wants_documented(api, cfg, &rqs[k], &out[k]);
            if (todo[k]) {
                api->documented[rqs[k].call] = 1;
                again = 1;
            }
        }
        if (again) {
            r.last = 1;
            send_round(&r, seq, host, plain, todo, n);
        }
    }
    /* Whatever was not handed over yet (set aside for a round that was not needed,
     * or never sent). */
    for (size_t k = 0; k < n && done != NULL; k++)
        if (!delivered[k]) {
            delivered[k] = 1;
            done(ctx, k, &out[k]);
        }
    free(host);
}

int
api_login(struct api *api, unsigned long seq, const struct bl_config *cfg,
          const char *email, const char *password, size_t password_len,
          struct bl_session **out, struct bl_error *err)
{
    struct api_request rq = {.call = API_LOGIN,
                             .email = email,
                             .password = password,
                             .password_len = password_len};
    struct api_reply reply;
    int rc = -1;

    *out = NULL;
    api_send(api, seq, cfg, &rq, 1, &reply);
    if (reply.err.kind != BL_OK)
        error_move(err, &reply.err);
    else
        rc = decode_login_reply(reply.status, reply.body, reply.len, email, out, err);
    if (rc != 0 && reply.body != NULL)
        log_msg("login failed: %s: %s", error_kind_name(err->kind), err->message);
    api_reply_clear(&reply);
    return rc;
}

/* A stream of reads: each slot's request, its body and URL, and its reply. */
struct stream {
    struct api *api;
    const struct bl_config *cfg;
    api_next_fn next;
    api_reply_fn done;
    void *ctx;
    struct api_request rq[API_SLOTS];
    char *url[API_SLOTS], *post[API_SLOTS];
    int again[API_SLOTS];      /* sent again at the documented path next */
    int documented[API_SLOTS]; /* this one went to the documented path */
};

/* The transport asks for slot i's next transfer: the same request at the documented
 * path after a 404, else the caller's next request. */
static int
stream_next(void *ctx, size_t i, struct transfer *x)
{
    struct stream *st = ctx;
    const struct api_request *rq = &st->rq[i];
    size_t post_len = 0;
    int set;

    if (!st->again[i]) {
        int got;

        memset(&st->rq[i], 0, sizeof st->rq[i]);
        if ((got = st->next(st->ctx, i, &st->rq[i])) != 1)
            return got;
    }
    st->documented[i] = st->again[i];
    st->again[i] = 0;
    st->url[i] = call_url(st->cfg, call_path(st->api, st->cfg, rq->call, &set));
    st->post[i] = request_body(st->cfg, rq, &post_len);
    *x = (struct transfer){.url = st->url[i],
                           .post = st->post[i],
                           .post_len = post_len,
                           .cap = config_call(rq->call)->cap,
                           .once = 1};
    if (st->url[i] == NULL || st->post[i] == NULL) {
        /* An empty URL fails at once, as a transfer that could not start. */
        free(st->url[i]);
        secmem_free(st->post[i]);
        st->post[i] = NULL;
        st->url[i] = strdup("");
        x->url = st->url[i] != NULL ? st->url[i] : "";
        x->post = "";
        x->post_len = 0;
    }
    if (log_enabled()) {
        char *shown = redact_url(x->url);

        log_msg("POST %s as user_code %ld%s%s (keys and app key withheld)",
                shown != NULL ? shown : "", st->cfg->cred.user_code,
                rq->email != NULL ? " for " : "", rq->email != NULL ? rq->email : "");
        free(shown);
    }
    return 1;
}

/* Slot i's transfer has ended: its reply, or the same request again at the documented
 * path after a 404. */
static void
stream_done(void *ctx, size_t i, struct transfer *x)
{
    struct stream *st = ctx;
    struct api_reply reply = {0};

    take_result(st->rq[i].call, x, &reply);
    secmem_free(st->post[i]);
    free(st->url[i]);
    st->post[i] = NULL;
    st->url[i] = NULL;
    if (!st->documented[i] && wants_documented(st->api, st->cfg, &st->rq[i], &reply)) {
        st->api->documented[st->rq[i].call] = 1;
        st->again[i] = 1;
        api_reply_clear(&reply);
        return;
    }
    if (st->documented[i] && reply.err.kind == BL_OK && reply.status == 404)
        st->api->documented[st->rq[i].call] = 0;
    st->done(st->ctx, i, &reply);
    api_reply_clear(&reply);
}

int
api_stream(struct api *api, unsigned long seq, const struct bl_config *cfg, size_t slots,
           api_next_fn next, api_reply_fn done, void *ctx, struct bl_error *err)
{
    struct stream st = {.api = api, .cfg = cfg, .next = next, .done = done, .ctx = ctx};
    char *host = NULL;
    int plain, cancelled;

    if (transport_check_url(cfg->base_url, &host, &plain, err) != 0)
        return -1;
    cancelled = transport_stream(api->transport, seq, cfg, host, plain, slots,
                                 stream_next, stream_done, &st);
    for (size_t i = 0; i < API_SLOTS; i++) {
        secmem_free(st.post[i]);
        free(st.url[i]);
    }
    free(host);
    return cancelled;
}

int
api_partner(struct api *api, unsigned long seq, const struct bl_config *cfg,
            const char *email, struct bl_session **out, struct bl_error *err)
{
    struct api_request rq = {.call = API_PARTNER, .email = email};
    struct api_reply reply;
    int rc = -1;

    *out = NULL;
    api_send(api, seq, cfg, &rq, 1, &reply);
    if (reply.err.kind != BL_OK)
        error_move(err, &reply.err);
    else
        rc = decode_partner_reply(reply.status, reply.body, reply.len, email,
                                  cfg->cred.user_code, out, err);
    api_reply_clear(&reply);
    return rc;
}
