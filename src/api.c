#include "api.h"
#include "decode.h"
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
    CURL *easy;
    int cancel_pipe[2];
    atomic_ulong cancelled_seq;
    char curl_error[CURL_ERROR_SIZE];
};

/* The reply body: capped at API_MAX_REPLY, always NUL-terminated, wiped when freed. */
struct reply {
    char *data;
    size_t len, cap;
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
        return error_set(err, BL_USAGE, "out of memory");
    if (curl_url_set(u, CURLUPART_URL, base_url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        char *safe = text_sanitize(base_url, strnlen(base_url, 200));

        error_set(err, BL_USAGE, "base URL '%s' is not a valid URL", safe);
        free(safe);
    } else if (strcmp(scheme, "https") != 0 &&
               !(strcmp(scheme, "http") == 0 && is_loopback(host))) {
        char *safe = text_sanitize(host, strlen(host));

        if (strcmp(scheme, "http") == 0)
            error_set(err, BL_USAGE,
                      "refusing plain http:// to %s: credentials go over https only "
                      "(http is allowed to loopback hosts, for testing)",
                      safe);
        else
            error_set(err, BL_USAGE, "base URL must start with https://");
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
        error_set(err, BL_SERVER, "out of memory");
        return NULL;
    }
    api->cancel_pipe[0] = api->cancel_pipe[1] = -1;
    if (pipe2(api->cancel_pipe, O_CLOEXEC | O_NONBLOCK) != 0 ||
        (api->multi = curl_multi_init()) == NULL ||
        (api->easy = curl_easy_init()) == NULL) {
        error_set(err, BL_SERVER, "cannot set up the network client: %s",
                  strerror(errno));
        api_free(api);
        return NULL;
    }
    atomic_init(&api->cancelled_seq, 0);
    return api;
}

void
api_free(struct api *api)
{
    if (api == NULL)
        return;
    if (api->easy != NULL)
        curl_easy_cleanup(api->easy);
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

    if (n > API_MAX_REPLY - r->len) {
        r->over_cap = 1;
        return CURL_WRITEFUNC_ERROR;
    }
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap == 0 ? 16384 : r->cap;
        char *d;

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

/* base_url + "/" + login_path with exactly one slash between them. */
static char *
login_url(const struct bl_config *cfg)
{
    const char *path = cfg->login_path;
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

/*
 * The request body, with the credentials both flat and under user_info. The
 * secrets go in by reference and are printed into our own buffer, so no
 * unwiped copy is left behind. Returns a secmem buffer, or NULL.
 */
static char *
request_body(const struct bl_config *cfg, const char *email, const char *password,
             size_t password_len, size_t *len)
{
    char *buf = NULL;
    cJSON *root = cJSON_CreateObject(), *info = cJSON_CreateObject();
    /* Escaping can grow a byte to six ("\u001f"); the rest is well under 256 bytes. */
    size_t cap = 256 + 6 * (strlen(email) + password_len + 2 * strlen(cfg->app_key));

    if (root == NULL || info == NULL)
        goto out;
    cJSON_AddNumberToObject(root, "user_code", (double)cfg->user_code);
    cJSON_AddItemToObject(root, "app_key", cJSON_CreateStringReference(cfg->app_key));
    cJSON_AddItemToObject(root, "customer_email", cJSON_CreateString(email));
    cJSON_AddItemToObject(root, "customer_password",
                          cJSON_CreateStringReference(password));
    cJSON_AddNumberToObject(info, "user_code", (double)cfg->user_code);
    cJSON_AddItemToObject(info, "app_key", cJSON_CreateStringReference(cfg->app_key));
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

/* Runs the prepared easy handle on the multi handle until done or cancelled. */
static CURLcode
run_transfer(struct api *api, unsigned long seq, int *cancelled)
{
    struct curl_waitfd wfd = {.fd = api->cancel_pipe[0], .events = CURL_WAIT_POLLIN};
    CURLcode result = CURLE_OK;
    int running = 1;
    char drain[64];

    *cancelled = 0;
    if (curl_multi_add_handle(api->multi, api->easy) != CURLM_OK)
        return CURLE_FAILED_INIT;
    while (running) {
        CURLMsg *msg;
        int left;

        if (api_cancelled(api, seq)) {
            *cancelled = 1;
            break;
        }
        if (curl_multi_perform(api->multi, &running) != CURLM_OK) {
            result = CURLE_FAILED_INIT;
            break;
        }
        while ((msg = curl_multi_info_read(api->multi, &left)) != NULL)
            if (msg->msg == CURLMSG_DONE)
                result = msg->data.result;
        if (running) {
            wfd.revents = 0;
            curl_multi_poll(api->multi, &wfd, 1, 1000, NULL);
            if (wfd.revents != 0)
                while (read(api->cancel_pipe[0], drain, sizeof drain) > 0)
                    ;
        }
    }
    curl_multi_remove_handle(api->multi, api->easy);
    return result;
}

/* Says what a transfer failure means, in a support agent's words. */
static void
network_error(CURLcode rc, const char *host, long timeout_ms, const char *detail,
              struct bl_error *err)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        error_set(err, BL_NETWORK,
                  "Cannot find the API host %s (DNS lookup failed); "
                  "check the network and the base URL",
                  host);
        break;
    case CURLE_COULDNT_CONNECT:
        error_set(err, BL_NETWORK,
                  "Cannot connect to %s: the server refused or is "
                  "unreachable",
                  host);
        break;
    case CURLE_OPERATION_TIMEDOUT:
        error_set(err, BL_NETWORK,
                  "No answer from %s within %ld.%ld s; try again or "
                  "raise --timeout",
                  host, timeout_ms / 1000, timeout_ms % 1000 / 100);
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        error_set(err, BL_NETWORK,
                  "The certificate of %s is not trusted (%s); nothing "
                  "was sent",
                  host, detail);
        break;
    case CURLE_SSL_CONNECT_ERROR:
        error_set(err, BL_NETWORK,
                  "Secure connection to %s failed (%s); nothing was "
                  "sent",
                  host, detail);
        break;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
        error_set(err, BL_NETWORK,
                  "The connection to %s was closed before an answer "
                  "came; try again",
                  host);
        break;
    default:
        error_set(err, BL_NETWORK, "Network error talking to %s: %s", host, detail);
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

/*
 * Logs the reply with every customer key, app key and password withheld, wherever
 * they stand; logging only, so the reply is read twice.
 */
static void
log_reply(long status, const struct reply *r)
{
    cJSON *root = cJSON_ParseWithLength(r->data != NULL ? r->data : "", r->len);
    char *text = NULL;

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

/* plain: the URL is http:// (check_url allowed it, to loopback only). */
static void
setup_easy(struct api *api, const struct bl_config *cfg, const char *url, int plain,
           struct curl_slist *headers, struct reply *reply)
{
    CURL *h = api->easy;

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
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, reply);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, api->curl_error);
    if (log_enabled()) {
        curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
        curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
    }
}

/* A warm-up that stalls must not hold the login behind it for long. */
#define PREWARM_MAX_MS 3000L

int
api_prewarm(struct api *api, unsigned long seq, const struct bl_config *cfg)
{
    struct bl_config quick = *cfg;
    struct bl_error err = {0};
    struct reply reply = {0};
    CURLcode res;
    long status = 0;
    int cancelled, plain;

    if (check_url(cfg->base_url, NULL, &plain, &err) != 0) {
        error_clear(&err);
        return -1;
    }
    if (quick.timeout_ms > PREWARM_MAX_MS)
        quick.timeout_ms = PREWARM_MAX_MS;
    setup_easy(api, &quick, cfg->base_url, plain, NULL, &reply);
    curl_easy_setopt(api->easy, CURLOPT_NOBODY, 1L);
    res = run_transfer(api, seq, &cancelled);
    curl_easy_getinfo(api->easy, CURLINFO_RESPONSE_CODE, &status);
    if (log_enabled()) {
        char *shown = url_for_log(cfg->base_url);

        log_msg("warm-up HEAD %s: %s (HTTP %ld)", shown != NULL ? shown : "",
                cancelled ? "cancelled" : curl_easy_strerror(res), status);
        free(shown);
    }
    secmem_free(reply.data);
    return res == CURLE_OK && !cancelled ? 0 : -1;
}

int
api_login(struct api *api, unsigned long seq, const struct bl_config *cfg,
          const char *email, const char *password, size_t password_len,
          struct bl_session **out, struct bl_error *err)
{
    struct curl_slist *headers = NULL;
    struct reply reply = {0};
    char *host = NULL, *url = NULL, *body = NULL;
    size_t body_len = 0;
    long status = 0;
    int cancelled, plain, rc = -1;
    CURLcode res;

    *out = NULL;
    if (check_url(cfg->base_url, &host, &plain, err) != 0)
        return -1;
    url = login_url(cfg);
    body = request_body(cfg, email, password, password_len, &body_len);
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Accept: application/json");
    headers = curl_slist_append(headers, "Expect:");
    if (url == NULL || body == NULL || headers == NULL) {
        error_set(err, BL_SERVER, "out of memory preparing the request");
        goto out;
    }
    setup_easy(api, cfg, url, plain, headers, &reply);
    curl_easy_setopt(api->easy, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(api->easy, CURLOPT_POSTFIELDSIZE, (long)body_len);
    api->curl_error[0] = '\0';
    if (log_enabled()) {
        char *shown = url_for_log(url);

        log_msg("POST %s as user_code %ld for %s (password and app key withheld)",
                shown != NULL ? shown : "", cfg->user_code, email);
        free(shown);
    }

    res = run_transfer(api, seq, &cancelled);
    curl_easy_setopt(api->easy, CURLOPT_POSTFIELDS, NULL);
    curl_easy_getinfo(api->easy, CURLINFO_RESPONSE_CODE, &status);
    if (cancelled) {
        error_set(err, BL_CANCELLED, "Cancelled");
    } else if (res != CURLE_OK && reply.over_cap) {
        error_set(err, BL_SERVER, "The server's reply is larger than 1 MiB (HTTP %ld)",
                  status);
        err->http_status = status;
    } else if (res != CURLE_OK && status != 0) {
        error_set(err, BL_SERVER,
                  "The connection broke while the reply was being read "
                  "(HTTP %ld)",
                  status);
        err->http_status = status;
    } else if (res != CURLE_OK) {
        /* libcurl's text quotes the peer (a certificate's names, say): make it inert. */
        const char *raw =
            api->curl_error[0] != '\0' ? api->curl_error : curl_easy_strerror(res);
        char *detail = text_sanitize(raw, strlen(raw));
        char *safe_host = host != NULL ? text_sanitize(host, strlen(host)) : NULL;

        network_error(res, safe_host != NULL ? safe_host : "the API host",
                      cfg->timeout_ms, detail != NULL ? detail : "unknown", err);
        free(detail);
        free(safe_host);
    } else {
        if (log_enabled())
            log_reply(status, &reply);
        rc = decode_login_reply(status, reply.data != NULL ? reply.data : "", reply.len,
                                out, err);
    }
    if (rc != 0)
        log_msg("login failed: %s: %s", error_kind_name(err->kind), err->message);
out:
    secmem_free(reply.data);
    secmem_free(body);
    curl_slist_free_all(headers);
    free(url);
    free(host);
    return rc;
}
