#include "api.h"
#include "decode.h"
#include "i18n.h"
#include "jsonread.h"
#include "log.h"
#include "secmem.h"
#include "text.h"
#include "version.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct api {
    CURLM *multi;
    CURL *easy[API_PARALLEL]; /* one a transfer at once; connections live in multi */
    int cancel_pipe[2];
    atomic_ulong cancelled_seq;
    char curl_error[API_PARALLEL][CURL_ERROR_SIZE];
    int documented[API_CALLS]; /* the default path gave 404, the documented one did not */
};

/* What each call is: its default path, the one SkyPostal's documentation names when
 * it differs (tried once on a 404), and how large its reply may be. */
static const struct {
    const char *name, *path, *documented;
    size_t cap;
} calls[API_CALLS] = {
    [API_LOGIN] = {"login", CONFIG_DEFAULT_PATH, NULL, API_MAX_REPLY},
    [API_PARTNER] = {"partner lookup", "service-partner.svc/partner/customer-get-info",
                     "service-customer.svc/partner/customer-get-info", API_MAX_REPLY},
    [API_PROFILE] = {"profile", "service-customer.svc/customer/customer-get-info", NULL,
                     API_MAX_REPLY},
    [API_SHIPMENTS] = {"shipments",
                       "service-customer.svc/customer/customer-get-shipments", NULL,
                       API_MAX_SHIPMENTS_REPLY},
    [API_SHIPMENT] = {"shipment", "service-shipment.svc/shipment/get-shipment-info",
                      "service-customer.svc/shipment/get-shipment-info", API_MAX_REPLY},
};

/* A reply body while it arrives: capped, always NUL-terminated, wiped when freed. */
#define REPLY_PREALLOC_MAX ((size_t)8 << 20)

struct reply {
    CURL *easy; /* the transfer, for its Content-Length */
    char *data;
    size_t len, cap, limit;
    int over_cap;
};

int
api_global_init(void)
{
    return curl_global_init_mem(CURL_GLOBAL_DEFAULT, secmem_malloc, secmem_free,
                                secmem_realloc, secmem_strdup, secmem_calloc) == CURLE_OK
               ? 0
               : -1;
}

void
api_global_cleanup(void)
{
    curl_global_cleanup();
}

static int
is_loopback(const char *host)
{
    struct in_addr a4;
    struct in6_addr a6;

    if (strcasecmp(host, "localhost") == 0)
        return 1;
    if (inet_pton(AF_INET, host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    if (host[0] == '[') {
        char bare[INET6_ADDRSTRLEN];
        size_t n = strlen(host);

        if (n < 3 || n - 2 >= sizeof bare || host[n - 1] != ']')
            return 0;
        memcpy(bare, host + 1, n - 2);
        bare[n - 2] = '\0';
        return inet_pton(AF_INET6, bare, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
    }
    return 0;
}

/* api_check_url, also saying whether the URL is plain http (then to loopback). */
static int
check_url(const char *base_url, char **host_out, int *plain, struct bl_error *err)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    int rc = -1;

    *plain = 0;
    if (u == NULL)
        return error_set(err, BL_INTERNAL, _("out of memory"));
    if (curl_url_set(u, CURLUPART_URL, base_url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        char *safe = text_sanitize(base_url, strnlen(base_url, 200));

        /* TRANSLATORS: %s is the base URL of the configuration, as it was given. */
        error_set(err, BL_USAGE, _("base URL '%s' is not a valid URL"), safe);
        free(safe);
    } else if (strcmp(scheme, "https") != 0 &&
               !(strcmp(scheme, "http") == 0 && is_loopback(host))) {
        char *safe = text_sanitize(host, strlen(host));

        if (strcmp(scheme, "http") == 0)
            error_set(err, BL_USAGE,
                      /* TRANSLATORS: %s is the API's host name. */
                      _("refusing plain http:// to %s: credentials go over https only "
                        "(http is allowed to loopback hosts, for testing)"),
                      safe);
        else
            error_set(err, BL_USAGE, _("base URL must start with https://"));
        free(safe);
    } else {
        rc = 0;
        *plain = strcmp(scheme, "http") == 0;
        if (host_out != NULL)
            *host_out = strdup(host);
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

int
api_check_url(const char *base_url, char **host_out, struct bl_error *err)
{
    int plain;

    return check_url(base_url, host_out, &plain, err);
}

int
api_cancelled(struct api *api, unsigned long seq)
{
    unsigned long c = atomic_load(&api->cancelled_seq);

    return c == seq || c == API_CANCEL_ALL;
}

struct api *
api_new(struct bl_error *err)
{
    struct api *api = calloc(1, sizeof *api);

    if (api == NULL) {
        error_set(err, BL_INTERNAL, _("out of memory"));
        return NULL;
    }
    api->cancel_pipe[0] = api->cancel_pipe[1] = -1;
    if (pipe2(api->cancel_pipe, O_CLOEXEC | O_NONBLOCK) != 0 ||
        (api->multi = curl_multi_init()) == NULL) {
        /* TRANSLATORS: %s is the system's reason. */
        error_set(err, BL_INTERNAL, _("cannot set up the network client: %s"),
                  strerror(errno));
        api_free(api);
        return NULL;
    }
    for (int i = 0; i < API_PARALLEL; i++) {
        if ((api->easy[i] = curl_easy_init()) == NULL) {
            error_set(err, BL_INTERNAL, _("cannot set up the network client"));
            api_free(api);
            return NULL;
        }
    }
    atomic_init(&api->cancelled_seq, 0);
    return api;
}

void
api_free(struct api *api)
{
    if (api == NULL)
        return;
    for (int i = 0; i < API_PARALLEL; i++)
        if (api->easy[i] != NULL)
            curl_easy_cleanup(api->easy[i]);
    if (api->multi != NULL)
        curl_multi_cleanup(api->multi);
    for (int i = 0; i < 2; i++)
        if (api->cancel_pipe[i] >= 0)
            close(api->cancel_pipe[i]);
    free(api);
}

void
api_cancel(struct api *api, unsigned long seq)
{
    int saved = errno;
    ssize_t ignored;

    if (atomic_load(&api->cancelled_seq) != API_CANCEL_ALL)
        atomic_store(&api->cancelled_seq, seq);
    ignored = write(api->cancel_pipe[1], "x", 1);
    (void)ignored;
    errno = saved;
}

static size_t
on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct reply *r = userdata;
    size_t n = size * nmemb;

    if (n > r->limit - r->len) {
        r->over_cap = 1;
        return CURL_WRITEFUNC_ERROR;
    }
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap == 0 ? 16384 : r->cap;
        curl_off_t announced = -1;
        char *d;

        /* A reply that says its length gets it at once: a 6 MiB list of shipments is
         * not copied (and wiped) through ten doublings on the way. Up to 8 MiB only, so
         * that a header that lies costs little more than the doublings would. */
        if (r->cap == 0 && r->easy != NULL &&
            curl_easy_getinfo(r->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced) ==
                CURLE_OK &&
            announced > 0 && (curl_off_t)cap < announced &&
            (uint64_t)announced <= (uint64_t)r->limit)
            cap = (uint64_t)announced < REPLY_PREALLOC_MAX ? (size_t)announced + 1
                                                           : REPLY_PREALLOC_MAX;
        while (cap < r->len + n + 1)
            cap *= 2;
        if ((d = secmem_realloc(r->data, cap)) == NULL)
            return CURL_WRITEFUNC_ERROR;
        r->data = d;
        r->cap = cap;
    }
    memcpy(r->data + r->len, ptr, n);
    r->len += n;
    r->data[r->len] = '\0';
    return n;
}

/*
 * Logs the proxy libcurl took from the environment (its note after "Uses proxy env
 * variable ": NAME == 'URL') as host and port, never with the credentials in the URL.
 */
static void
log_proxy(const char *note, size_t len)
{
    const char *eq = memmem(note, len, " == '", 5), *end = note + len;
    char *url = NULL, *scheme = NULL, *host = NULL, *port = NULL;
    CURLU *u = curl_url();

    while (end > note && end[-1] != '\'')
        end--;
    if (u != NULL && eq != NULL && end > eq + 5 &&
        (url = strndup(eq + 5, (size_t)(end - 1 - (eq + 5)))) != NULL &&
        curl_url_set(u, CURLUPART_URL, url,
                     CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
        log_msg("proxy %s:%s (%s, from %.*s)", host, port, scheme, (int)(eq - note),
                note);
    else
        log_msg("proxy from the environment (not shown: unreadable)");
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    if (url != NULL)
        explicit_bzero(url, strlen(url));
    free(url);
}

/* The length of the name of a header line that carries credentials, or 0. */
static size_t
credential_header(const char *line, size_t len)
{
    static const char *const names[] = {
        "Authorization:", "Proxy-Authorization:", "Cookie:", "Set-Cookie:"};

    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (len >= strlen(names[i]) && strncasecmp(line, names[i], strlen(names[i])) == 0)
            return strlen(names[i]);
    return 0;
}

/*
 * Logs libcurl's connection notes and headers; request and reply bodies never, and
 * neither the proxy's credentials nor any credential header.
 */
static int
on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *userdata)
{
    static const char proxy_note[] = "Uses proxy env variable ";
    const char *what = type == CURLINFO_TEXT         ? "*"
                       : type == CURLINFO_HEADER_IN  ? "<"
                       : type == CURLINFO_HEADER_OUT ? ">"
                                                     : NULL;

    (void)h, (void)userdata;
    if (what == NULL)
        return 0;
    while (size > 0) {
        const char *nl = memchr(data, '\n', size);
        size_t n = nl != NULL ? (size_t)(nl - data) : size;
        size_t len = n > 0 && data[n - 1] == '\r' ? n - 1 : n, name;

        if (type == CURLINFO_TEXT && len >= sizeof proxy_note - 1 &&
            memcmp(data, proxy_note, sizeof proxy_note - 1) == 0)
            log_proxy(data + sizeof proxy_note - 1, len - (sizeof proxy_note - 1));
        else if (type != CURLINFO_TEXT && (name = credential_header(data, len)) != 0)
            log_msg("curl %s %.*s [withheld]", what, (int)name, data);
        else if (len > 0)
            log_msg("curl %s %.*s", what, (int)len, data);
        data += nl != NULL ? n + 1 : n;
        size -= nl != NULL ? n + 1 : n;
    }
    return 0;
}

/* url without the user name and password it may carry, for the log; the caller frees it.
 */
static char *
url_for_log(const char *url)
{
    CURLU *u = curl_url();
    char *bare = NULL, *copy;

    if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK)
        curl_url_get(u, CURLUPART_URL, &bare, 0);
    curl_url_cleanup(u);
    copy = strdup(bare != NULL ? bare : "(URL not shown)");
    curl_free(bare);
    return copy;
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

/* Adds an exact integer: cJSON prints numbers through a double. */
static void
add_integer(cJSON *obj, const char *name, uint64_t n)
{
    char digits[24];

    snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    cJSON_AddItemToObject(obj, name, cJSON_CreateRaw(digits));
}

/*
 * The request body of rq, with the credentials both flat and under user_info.
 * The secrets go in by reference and are printed into our own buffer, so no
 * unwiped copy is left behind. Returns a secmem buffer, or NULL.
 */
static char *
request_body(const struct bl_config *cfg, const struct api_request *rq, size_t *len)
{
    char *buf = NULL;
    cJSON *root = cJSON_CreateObject(), *info = cJSON_CreateObject();
    const char *email = rq->email != NULL ? rq->email : "";
    const char *key = rq->customer_key != NULL ? rq->customer_key : "";
    /* Escaping can grow a byte to six ("\u001f"); the rest is well under 512 bytes. */
    size_t cap = 512 + 6 * (strlen(email) + rq->password_len +
                            2 * strlen(cfg->cred.app_key) + strlen(key));

    if (root == NULL || info == NULL)
        goto out;
    add_integer(root, "user_code", (uint64_t)cfg->cred.user_code);
    cJSON_AddItemToObject(root, "app_key",
                          cJSON_CreateStringReference(cfg->cred.app_key));
    switch (rq->call) {
    case API_LOGIN:
        cJSON_AddItemToObject(root, "customer_email", cJSON_CreateString(email));
        cJSON_AddItemToObject(root, "customer_password",
                              cJSON_CreateStringReference(rq->password));
        break;
    case API_PARTNER:
        cJSON_AddItemToObject(root, "customer_email", cJSON_CreateString(email));
        break;
    case API_PROFILE:
    case API_SHIPMENTS:
    case API_SHIPMENT:
        add_integer(root, "customer_box_id", rq->box_id);
        cJSON_AddItemToObject(root, "customer_key", cJSON_CreateStringReference(key));
        break;
    case API_CALLS:
        break;
    }
    if (rq->call == API_SHIPMENTS) {
        cJSON_AddStringToObject(root, "start_date", rq->start_date);
        cJSON_AddStringToObject(root, "end_date", rq->end_date);
    } else if (rq->call == API_SHIPMENT) {
        add_integer(root, "trck_nmr_fol", rq->awb);
        cJSON_AddStringToObject(root, "language_code", "");
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

/* Told of a transfer's end (handle i, its result) while the others go on. */
typedef void (*transfer_fn)(void *ctx, size_t i, CURLcode res);

/*
 * Runs the prepared easy handles 0 .. n-1 at once on the multi handle until all
 * are done or call seq is cancelled; stores each one's result in res, and tells
 * ended(ctx, i, result) of each as it ends when ended is not NULL.
 */
static void
run_transfers(struct api *api, unsigned long seq, size_t n, CURLcode *res, int *cancelled,
              transfer_fn ended, void *ctx)
{
    struct curl_waitfd wfd = {.fd = api->cancel_pipe[0], .events = CURL_WAIT_POLLIN};
    int running = 1;
    char drain[64];

    *cancelled = 0;
    for (size_t i = 0; i < n; i++)
        res[i] = CURLE_FAILED_INIT; /* until it ends, or when it cannot start */
    for (size_t i = 0; i < n; i++) {
        if (curl_multi_add_handle(api->multi, api->easy[i]) != CURLM_OK) {
            n = i;
            break;
        }
    }
    while (running) {
        CURLMsg *msg;
        int left;

        if (api_cancelled(api, seq)) {
            *cancelled = 1;
            break;
        }
        if (curl_multi_perform(api->multi, &running) != CURLM_OK)
            break;
        while ((msg = curl_multi_info_read(api->multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            for (size_t k = 0; k < n; k++) {
                if (msg->easy_handle != api->easy[k])
                    continue;
                res[k] = msg->data.result;
                if (ended != NULL)
                    ended(ctx, k, res[k]);
            }
        }
        if (running) {
            wfd.revents = 0;
            curl_multi_poll(api->multi, &wfd, 1, 1000, NULL);
            if (wfd.revents != 0)
                while (read(api->cancel_pipe[0], drain, sizeof drain) > 0)
                    ;
        }
    }
    for (size_t i = 0; i < n; i++)
        curl_multi_remove_handle(api->multi, api->easy[i]);
}

/* Says what a transfer failure means, in a support agent's words. */
static void
network_error(CURLcode rc, const char *host, long timeout_ms, const char *detail,
              struct bl_error *err)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        error_set(err, BL_NETWORK,
                  /* TRANSLATORS: %s is the API's host name. */
                  _("Cannot find the API host %s (DNS lookup failed); "
                    "check the network and the base URL"),
                  host);
        break;
    case CURLE_COULDNT_CONNECT:
        error_set(err, BL_NETWORK,
                  /* TRANSLATORS: %s is the API's host name. */
                  _("Cannot connect to %s: the server refused or is "
                    "unreachable"),
                  host);
        break;
    case CURLE_OPERATION_TIMEDOUT:
        error_set(err, BL_NETWORK,
                  /* TRANSLATORS: the API's host name, then the timeout in seconds
                     (whole seconds, then tenths: 7.5 s); --timeout is an option. */
                  _("No answer from %s within %ld.%ld s; try again or "
                    "raise --timeout"),
                  host, timeout_ms / 1000, timeout_ms % 1000 / 100);
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        error_set(err, BL_NETWORK,
                  /* TRANSLATORS: the API's host name, then the TLS library's reason. */
                  _("The certificate of %s is not trusted (%s); nothing "
                    "was sent"),
                  host, detail);
        break;
    case CURLE_SSL_CONNECT_ERROR:
        error_set(err, BL_NETWORK,
                  /* TRANSLATORS: the API's host name, then the TLS library's reason. */
                  _("Secure connection to %s failed (%s); nothing was "
                    "sent"),
                  host, detail);
        break;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
        error_set(err, BL_NETWORK,
                  /* TRANSLATORS: %s is the API's host name. */
                  _("The connection to %s was closed before an answer "
                    "came; try again"),
                  host);
        break;
    default:
        /* TRANSLATORS: the API's host name, then the network library's reason. */
        error_set(err, BL_NETWORK, _("Network error talking to %s: %s"), host, detail);
        break;
    }
}

/* Whether a member's name is one a secret goes by. */
static int
is_secret_name(const char *name)
{
    static const char *const secret_names[] = {"customer_key", "app_key",
                                               "customer_password"};

    for (size_t i = 0; name != NULL && i < sizeof secret_names / sizeof *secret_names;
         i++)
        if (strcasecmp(name, secret_names[i]) == 0)
            return 1;
    return 0;
}

/*
 * Replaces the value of every member named like a secret, at every depth and however
 * often it appears, in place. Walks the tree with a stack as deep as cJSON nests.
 * Returns -1 when one could not be replaced (out of memory, or deeper than cJSON parses).
 */
static int
withhold_secrets(cJSON *root)
{
    cJSON *parents[CJSON_NESTING_LIMIT + 1], *resume[CJSON_NESTING_LIMIT + 1];
    cJSON *parent = root, *c = root != NULL ? root->child : NULL;
    size_t depth = 0;

    while (c != NULL || depth > 0) {
        if (c == NULL) {
            depth--;
            parent = parents[depth];
            c = resume[depth];
        } else if (is_secret_name(c->string)) {
            cJSON *mark = cJSON_CreateString("[withheld]");

            if (mark == NULL)
                return -1;
            mark->string = c->string;
            c->string = NULL;
            cJSON_ReplaceItemViaPointer(parent, c, mark);
            c = mark->next;
        } else if (c->child != NULL) {
            if (depth == CJSON_NESTING_LIMIT + 1)
                return -1;
            parents[depth] = parent;
            resume[depth] = c->next;
            depth++;
            parent = c;
            c = c->child;
        } else {
            c = c->next;
        }
    }
    return 0;
}

#define LOG_REPLY_MAX (64 << 10)

/*
 * Logs the reply with every customer key, app key and password withheld, wherever
 * they stand; logging only, so the reply is read twice.
 */
static void
log_reply(long status, const struct reply *r)
{
    cJSON *root;
    char *text = NULL;

    /* The log shows 2000 characters of a reply: a long list is not worth reading twice.
     */
    if (r->len > LOG_REPLY_MAX) {
        log_msg("reply: HTTP %ld, %zu bytes (not logged: over %d KiB)", status, r->len,
                LOG_REPLY_MAX >> 10);
        return;
    }
    root = jsonread_parse(r->data != NULL ? r->data : "", r->len, NULL);
    if (root == NULL)
        log_msg("reply: HTTP %ld, %zu bytes, not JSON", status, r->len);
    else if (withhold_secrets(root) != 0 || (text = cJSON_PrintUnformatted(root)) == NULL)
        log_msg("reply: HTTP %ld, %zu bytes (not logged: out of memory)", status, r->len);
    else
        log_msg("reply: HTTP %ld, %zu bytes: %.2000s", status, r->len, text);
    cJSON_free(text);
    cJSON_Delete(root);
}

/*
 * OpenSSL decrypts records in place and keeps the plaintext (here the reply, with
 * the customer key) in its read buffer until it is overwritten, then frees it
 * unwiped. Ask it to cleanse the plaintext once it is handed to us.
 */
static CURLcode
on_ssl_ctx(CURL *h, void *ssl_ctx, void *userdata)
{
    (void)h, (void)userdata;
    SSL_CTX_set_options(ssl_ctx, SSL_OP_CLEANSE_PLAINTEXT);
    return CURLE_OK;
}

/* Prepares easy handle i; plain: the URL is http:// (check_url allowed it, to loopback
 * only). */
static void
setup_easy(struct api *api, int i, const struct bl_config *cfg, const char *url,
           int plain, struct curl_slist *headers, struct reply *reply)
{
    CURL *h = api->easy[i];

    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, plain ? "http,https" : "https");
    /* A proxy would see a plain request, password and app key included, in clear. */
    if (plain)
        curl_easy_setopt(h, CURLOPT_PROXY, "");
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    if (cfg->cacert != NULL)
        curl_easy_setopt(h, CURLOPT_CAINFO, cfg->cacert);
    curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, cfg->timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, cfg->timeout_ms);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "boxlogin/" BOXLOGIN_VERSION);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    reply->easy = h;
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, reply);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, api->curl_error[i]);
    api->curl_error[i][0] = '\0';
    if (log_enabled()) {
        curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
        curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
    }
}

/* A warm-up that stalls must not hold the login behind it for long. */
#define PREWARM_MAX_MS 3000L

int
api_prewarm(struct api *api, unsigned long seq, const struct bl_config *cfg,
            int connections)
{
    struct bl_config quick = *cfg;
    struct bl_error err = {0};
    struct reply reply[API_PARALLEL];
    CURLcode res[API_PARALLEL];
    long status = 0;
    int cancelled, plain, ok = 1;

    if (check_url(cfg->base_url, NULL, &plain, &err) != 0) {
        error_clear(&err);
        return -1;
    }
    if (connections < 1 || connections > API_PARALLEL)
        connections = 1;
    if (quick.timeout_ms > PREWARM_MAX_MS)
        quick.timeout_ms = PREWARM_MAX_MS;
    memset(reply, 0, sizeof reply);
    for (int i = 0; i < connections; i++) {
        reply[i].limit = API_MAX_REPLY;
        setup_easy(api, i, &quick, cfg->base_url, plain, NULL, &reply[i]);
        curl_easy_setopt(api->easy[i], CURLOPT_NOBODY, 1L);
    }
    run_transfers(api, seq, (size_t)connections, res, &cancelled, NULL, NULL);
    for (int i = 0; i < connections; i++) {
        curl_easy_getinfo(api->easy[i], CURLINFO_RESPONSE_CODE, &status);
        if (log_enabled()) {
            char *shown = url_for_log(cfg->base_url);

            log_msg("warm-up HEAD %s: %s (HTTP %ld)", shown != NULL ? shown : "",
                    cancelled ? "cancelled" : curl_easy_strerror(res[i]), status);
            free(shown);
        }
        ok &= res[i] == CURLE_OK && !cancelled;
        secmem_free(reply[i].data);
    }
    return ok ? 0 : -1;
}

/* The path call c goes to: the configured one, or the default (or the documented one,
 * once the default answered 404 and it did not). *configured says which. */
static const char *
call_path(const struct api *api, const struct bl_config *cfg, enum api_call c,
          int *configured)
{
    const char *set = config_call_path(cfg, (int)c);

    *configured = set != NULL;
    if (set != NULL)
        return set;
    return api->documented[c] ? calls[c].documented : calls[c].path;
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
    size_t mib = calls[c].cap >> 20;

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
    }
    err->http_status = status;
}

/* What a transfer's end means for the reply to call c: an HTTP answer, or why not. */
static void
take_result(struct api *api, int i, enum api_call c, const struct bl_config *cfg,
            const char *host, CURLcode res, int cancelled, struct reply *body,
            struct api_reply *out)
{
    curl_easy_getinfo(api->easy[i], CURLINFO_RESPONSE_CODE, &out->status);
    if (cancelled) {
        error_set(&out->err, BL_CANCELLED, "%s", _("Cancelled"));
    } else if (res != CURLE_OK && body->over_cap) {
        over_cap(c, out->status, &out->err);
    } else if (res != CURLE_OK && out->status != 0) {
        error_set(&out->err, BL_SERVER,
                  /* TRANSLATORS: %ld is the HTTP status. */
                  _("The connection broke while the reply was being read "
                    "(HTTP %ld)"),
                  out->status);
        out->err.http_status = out->status;
    } else if (res != CURLE_OK) {
        /* libcurl's text quotes the peer (a certificate's names, say): make it inert. */
        const char *raw =
            api->curl_error[i][0] != '\0' ? api->curl_error[i] : curl_easy_strerror(res);
        char *detail = text_sanitize(raw, strlen(raw)),
             *safe_host = text_sanitize(host, strlen(host));

        /* Out of memory only: words that stand in for the host name and the reason. */
        network_error(res,
                      /* TRANSLATORS: stands in for the API's host name in the network
                         errors ("Cannot connect to %s...") when it cannot be shown. */
                      safe_host != NULL ? safe_host : _("the API host"), cfg->timeout_ms,
                      /* TRANSLATORS: stands in for the reason of a network error when it
                         cannot be shown. */
                      detail != NULL ? detail : C_("network error reason", "unknown"),
                      &out->err);
        free(detail);
        free(safe_host);
    } else {
        if (log_enabled()) {
            struct reply logged = *body;

            log_reply(out->status, &logged);
        }
        out->body = body->data;
        out->len = body->len;
        body->data = NULL;
        if (out->body == NULL)
            out->body = secmem_strdup("");
    }
    if (out->err.kind != BL_OK)
        log_msg("%s call failed: %s: %s", calls[c].name, error_kind_name(out->err.kind),
                out->err.message);
}

/* A 404 at a default path that SkyPostal's documentation names otherwise: the reply
 * to send again there (once, and not when the path is configured). */
static int
wants_documented(const struct api *api, const struct bl_config *cfg,
                 const struct api_request *rq, const struct api_reply *out)
{
    int configured;

    call_path(api, cfg, rq->call, &configured);
    return out->err.kind == BL_OK && out->status == 404 && !configured &&
           calls[rq->call].documented != NULL && !api->documented[rq->call];
}

/* One round of api_send_each: what its transfers' ends need. */
struct round {
    struct api *api;
    const struct bl_config *cfg;
    const char *host;
    const struct api_request *rqs;
    struct api_reply *out;
    struct reply body[API_PARALLEL];
    int slot_of[API_PARALLEL]; /* transfer i is request slot_of[i] */
    int taken[API_PARALLEL];
    int *delivered; /* by request: handed to done already */
    int last;       /* no round after this one: every reply is final */
    api_reply_fn done;
    void *ctx;
};

/* Transfer i has ended: its reply, handed over at once when it is final. */
static void
take_transfer(struct round *r, size_t i, CURLcode res, int cancelled)
{
    int k = r->slot_of[i];

    if (r->taken[i])
        return;
    r->taken[i] = 1;
    take_result(r->api, (int)i, r->rqs[k].call, r->cfg, r->host, res, cancelled,
                &r->body[i], &r->out[k]);
    secmem_free(r->body[i].data);
    r->body[i].data = NULL;
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

static void
on_transfer(void *ctx, size_t i, CURLcode res)
{
    take_transfer(ctx, i, res, 0);
}

/* One round: sends each request in rqs whose todo is set, at once, on its path.
 * Returns 1 when call seq was cancelled meanwhile, else 0. */
static int
send_round(struct round *r, unsigned long seq, int plain, const int *todo, size_t n)
{
    struct curl_slist *headers = NULL;
    char *url[API_PARALLEL] = {0}, *post[API_PARALLEL] = {0};
    int cancelled, configured;
    CURLcode res[API_PARALLEL];
    size_t used = 0;

    memset(r->body, 0, sizeof r->body);
    memset(r->taken, 0, sizeof r->taken);
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Accept: application/json");
    headers = curl_slist_append(headers, "Expect:");
    for (size_t k = 0; k < n; k++) {
        size_t post_len = 0;

        if (!todo[k])
            continue;
        api_reply_clear(&r->out[k]);
        url[used] =
            call_url(r->cfg, call_path(r->api, r->cfg, r->rqs[k].call, &configured));
        post[used] = request_body(r->cfg, &r->rqs[k], &post_len);
        if (headers == NULL || url[used] == NULL || post[used] == NULL) {
            error_set(&r->out[k].err, BL_INTERNAL, _("out of memory preparing the request"));
            free(url[used]);
            secmem_free(post[used]);
            url[used] = post[used] = NULL;
            continue;
        }
        r->body[used].limit = calls[r->rqs[k].call].cap;
        setup_easy(r->api, (int)used, r->cfg, url[used], plain, headers, &r->body[used]);
        curl_easy_setopt(r->api->easy[used], CURLOPT_POSTFIELDS, post[used]);
        curl_easy_setopt(r->api->easy[used], CURLOPT_POSTFIELDSIZE, (long)post_len);
        if (log_enabled()) {
            char *shown = url_for_log(url[used]);

            log_msg("POST %s as user_code %ld%s%s (password, keys and app key withheld)",
                    shown != NULL ? shown : "", r->cfg->cred.user_code,
                    r->rqs[k].email != NULL ? " for " : "",
                    r->rqs[k].email != NULL ? r->rqs[k].email : "");
            free(shown);
        }
        r->slot_of[used++] = (int)k;
    }
    run_transfers(r->api, seq, used, res, &cancelled, on_transfer, r);
    /* Those that did not end: cancelled, or never started. */
    for (size_t i = 0; i < used; i++)
        take_transfer(r, i, res[i], cancelled);
    for (size_t i = 0; i < used; i++) {
        curl_easy_setopt(r->api->easy[i], CURLOPT_POSTFIELDS, NULL);
        secmem_free(post[i]);
        free(url[i]);
    }
    curl_slist_free_all(headers);
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
    if (check_url(cfg->base_url, &host, &plain, &err) != 0) {
        for (size_t k = 0; k < n; k++)
            error_set(&out[k].err, err.kind, "%s", err.message);
        error_clear(&err);
    } else {
        int todo[API_PARALLEL] = {0}, again = 0, stopped;

        r.host = host;
        for (size_t k = 0; k < n; k++)
            todo[k] = 1;
        stopped = send_round(&r, seq, plain, todo, n);
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
            send_round(&r, seq, plain, todo, n);
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
