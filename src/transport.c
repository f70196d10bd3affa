#include "transport.h"
#include "curl_load.h"
#include "i18n.h"
#include "log.h"
#include "preconnect.h"
#include "redact.h"
#include "secmem.h"
#include "text.h"
#include "version.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/ssl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct transport {
    CURLM *multi;
    /* One a transfer at once, the first TRANSPORT_PARALLEL made with the client, the
       others when a stream first needs them; connections live in multi. */
    CURL *easy[TRANSPORT_SLOTS];
    int cancel_pipe[2];
    atomic_ulong cancelled_seq;
    char curl_error[TRANSPORT_SLOTS][CURL_ERROR_SIZE];
    /* The connection a command opened while the keyring answered (transport_preconnect):
       offered to libcurl until a transfer takes it. */
    struct preconnect *early;
    long early_budget_ms;
    struct curl_slist *early_resolve; /* where libcurl finds the name, without a lookup */
    struct curl_slist *early_unpin;   /* the same pin undone, for the transfers after */
    int early_unpinned;
    curl_socket_t early_fd; /* handed to libcurl, not yet told connected */
};

/* A reply body while it arrives: capped, always NUL-terminated, wiped when freed. */
#define REPLY_PREALLOC_MAX ((size_t)8 << 20)

/* One transfer in flight. */
struct slot {
    struct transfer *x;
    CURL *easy;
    char *data; /* the reply so far, secmem */
    size_t len, cap;
    int over_cap;
    int attempts; /* times libcurl was about to send the request */
    struct transport *t;
    unsigned long seq; /* the call, for a cancel seen before the request is sent */
    int stopped;       /* a second attempt of a once transfer was stopped */
    int cancelled;     /* cancelled while waiting for the early connection */
    int ended;
    CURLcode res;
};

void
transport_global_start(void)
{
    curl_load_start(secmem_malloc, secmem_free, secmem_realloc, secmem_strdup,
                    secmem_calloc, 1);
}

int
transport_global_init(struct bl_error *err)
{
    const char *why;

    /* Loaded here, in this thread, unless main started it. */
    curl_load_start(secmem_malloc, secmem_free, secmem_realloc, secmem_strdup,
                    secmem_calloc, 0);
    if (curl_load_wait(&why) == 0)
        return 0;
    /* TRANSLATORS: %s says what is wrong with the library, in English. */
    return error_set(err, BL_INTERNAL, _("cannot initialise libcurl: %s"), why);
}

void
transport_global_cleanup(void)
{
    curl_load_cleanup();
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

int
transport_check_url(const char *base_url, char **host_out, int *plain,
                    struct bl_error *err)
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
transport_cancelled(struct transport *t, unsigned long seq)
{
    unsigned long c = atomic_load(&t->cancelled_seq);

    return c == seq || c == TRANSPORT_CANCEL_ALL;
}

struct transport *
transport_new(struct bl_error *err)
{
    struct transport *t = calloc(1, sizeof *t);

    if (t == NULL) {
        error_set(err, BL_INTERNAL, _("out of memory"));
        return NULL;
    }
    t->cancel_pipe[0] = t->cancel_pipe[1] = -1;
    if (pipe2(t->cancel_pipe, O_CLOEXEC | O_NONBLOCK) != 0 ||
        (t->multi = curl_multi_init()) == NULL ||
        curl_multi_setopt(t->multi, CURLMOPT_MAXCONNECTS, (long)TRANSPORT_SLOTS) !=
            CURLM_OK) {
        /* TRANSLATORS: %s is the system's reason. */
        error_set(err, BL_INTERNAL, _("cannot set up the network client: %s"),
                  strerror(errno));
        transport_free(t);
        return NULL;
    }
    for (int i = 0; i < TRANSPORT_PARALLEL; i++) {
        if ((t->easy[i] = curl_easy_init()) == NULL) {
            error_set(err, BL_INTERNAL, _("cannot set up the network client"));
            transport_free(t);
            return NULL;
        }
    }
    atomic_init(&t->cancelled_seq, 0);
    t->early_fd = CURL_SOCKET_BAD;
    return t;
}

void
transport_free(struct transport *t)
{
    if (t == NULL)
        return;
    preconnect_free(t->early);
    for (int i = 0; i < TRANSPORT_SLOTS; i++)
        if (t->easy[i] != NULL)
            curl_easy_cleanup(t->easy[i]);
    if (t->multi != NULL)
        curl_multi_cleanup(t->multi);
    curl_slist_free_all(t->early_resolve);
    curl_slist_free_all(t->early_unpin);
    for (int i = 0; i < 2; i++)
        if (t->cancel_pipe[i] >= 0)
            close(t->cancel_pipe[i]);
    free(t);
}

void
transport_cancel(struct transport *t, unsigned long seq)
{
    int saved = errno;
    ssize_t ignored;

    if (atomic_load(&t->cancelled_seq) != TRANSPORT_CANCEL_ALL)
        atomic_store(&t->cancelled_seq, seq);
    ignored = write(t->cancel_pipe[1], "x", 1);
    (void)ignored;
    errno = saved;
}

static size_t
on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct slot *s = userdata;
    size_t n = size * nmemb, limit = s->x->cap;

    if (n > limit - s->len) {
        s->over_cap = 1;
        return CURL_WRITEFUNC_ERROR;
    }
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap == 0 ? 16384 : s->cap;
        curl_off_t announced = -1;
        char *d;

        /* A reply that says its length gets it at once: a 6 MiB list of shipments is
         * not copied (and wiped) through ten doublings on the way. Up to 8 MiB only, so
         * that a header that lies costs little more than the doublings would. */
        if (s->cap == 0 &&
            curl_easy_getinfo(s->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced) ==
                CURLE_OK &&
            announced > 0 && (curl_off_t)cap < announced &&
            (uint64_t)announced <= (uint64_t)limit)
            cap = (uint64_t)announced < REPLY_PREALLOC_MAX ? (size_t)announced + 1
                                                           : REPLY_PREALLOC_MAX;
        while (cap < s->len + n + 1)
            cap *= 2;
        if ((d = secmem_realloc(s->data, cap)) == NULL)
            return CURL_WRITEFUNC_ERROR;
        s->data = d;
        s->cap = cap;
    }
    memcpy(s->data + s->len, ptr, n);
    s->len += n;
    s->data[s->len] = '\0';
    return n;
}

/*
 * Called by libcurl once a connection is ready, just before it sends the request: once
 * for each attempt. libcurl sends a request again, POST included, when the reused
 * connection it went out on dies before the first byte of the answer (NOTES.md); the
 * server may have acted on the first one. A once transfer (a write) is not sent again:
 * its second attempt ends the transfer (CURLE_ABORTED_BY_CALLBACK), its reply lost.
 */
static int
on_prereq(void *userdata, char *conn_primary_ip, char *conn_local_ip,
          int conn_primary_port, int conn_local_port)
{
    struct slot *s = userdata;

    (void)conn_primary_ip, (void)conn_local_ip, (void)conn_primary_port,
        (void)conn_local_port;
    /* A cancel that came while the connection was being made: not sent. */
    if (s->attempts == 0 && s->x->once && s->x->hold &&
        transport_cancelled(s->t, s->seq)) {
        log_msg("cancelled before the request was sent: not sending it");
        return CURL_PREREQFUNC_ABORT;
    }
    if (s->attempts++ > 0 && s->x->once) {
        s->stopped = 1;
        log_msg("the connection died after the request was sent: not sending it again");
        return CURL_PREREQFUNC_ABORT;
    }
    return CURL_PREREQFUNC_OK;
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

void
transport_preconnect(struct transport *t, const struct bl_config *cfg,
                     struct preconnect *p)
{
    preconnect_free(t->early);
    t->early = p;
    t->early_budget_ms = cfg->timeout_ms;
}

/* libcurl asks for a socket: the early connection when it is to this address. */
static curl_socket_t
on_open_socket(void *userdata, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct slot *s = userdata;
    struct transport *t = s->t;

    if (purpose == CURLSOCKTYPE_IPCXN && t->early != NULL) {
        long waited;
        int fd;

        log_test_pause("early-take");
        fd = preconnect_take(t->early, &a->addr, a->addrlen, t->cancel_pipe[0],
                             t->early_budget_ms, &waited);

        /* Offered once: whatever came of it, later connections are libcurl's. */
        preconnect_free(t->early);
        t->early = NULL;
        if (fd >= 0) {
            log_msg("using the connection opened while the keyring answered (waited %ld "
                    "ms for it)",
                    waited);
            t->early_fd = fd;
            return fd;
        }
        if (fd == PRECONNECT_WOKEN && transport_cancelled(t, s->seq)) {
            s->cancelled = 1;
            return CURL_SOCKET_BAD;
        }
    }
    t->early_fd = CURL_SOCKET_BAD;
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* The early connection is made already: libcurl goes on to TLS. */
static int
on_socket_options(void *userdata, curl_socket_t fd, curlsocktype purpose)
{
    struct slot *s = userdata;

    if (purpose == CURLSOCKTYPE_IPCXN && fd == s->t->early_fd) {
        s->t->early_fd = CURL_SOCKET_BAD;
        return CURL_SOCKOPT_ALREADY_CONNECTED;
    }
    return CURL_SOCKOPT_OK;
}

/* Offers the early connection, if any, to easy handle h. */
static void
offer_early(struct transport *t, CURL *h, struct slot *s)
{
    char entry[512];

    if (t->early == NULL) {
        /* The pin served the early connection; later lookups are libcurl's again (a
         * pin never expires: a long check would not see the name move). */
        if (t->early_unpin != NULL && !t->early_unpinned) {
            curl_easy_setopt(h, CURLOPT_RESOLVE, t->early_unpin);
            t->early_unpinned = 1;
        }
        return;
    }
    /* The first transfer comes before the name is known: libcurl connects itself. */
    if (t->early_resolve == NULL && !preconnect_resolved(t->early)) {
        log_msg("the early connection is not ready: libcurl connects");
        preconnect_free(t->early);
        t->early = NULL;
        return;
    }
    if (t->early_resolve == NULL &&
        preconnect_resolve_entry(t->early, entry, sizeof entry)) {
        char *port_end = strchr(strchr(entry, ':') + 1, ':');

        t->early_resolve = curl_slist_append(NULL, entry);
        /* "-HOST:PORT" removes the pin "HOST:PORT:ADDRESSES". */
        memmove(entry + 1, entry, (size_t)(port_end - entry));
        entry[0] = '-';
        entry[port_end - entry + 1] = '\0';
        t->early_unpin = curl_slist_append(NULL, entry);
    }
    if (t->early_resolve != NULL)
        curl_easy_setopt(h, CURLOPT_RESOLVE, t->early_resolve);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, s);
    curl_easy_setopt(h, CURLOPT_SOCKOPTFUNCTION, on_socket_options);
    curl_easy_setopt(h, CURLOPT_SOCKOPTDATA, s);
}

/* Prepares easy handle i for slot s; plain: the URL is http:// (transport_check_url
 * allowed it, to loopback only). */
static void
setup_easy(struct transport *t, unsigned long seq, int i, const struct bl_config *cfg,
           int plain, struct curl_slist *headers, struct slot *s)
{
    CURL *h = t->easy[i];
    struct transfer *x = s->x;

    memset(s, 0, sizeof *s);
    s->x = x;
    s->t = t;
    s->seq = seq;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, s->x->url);
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
    s->easy = h;
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, on_prereq);
    curl_easy_setopt(h, CURLOPT_PREREQDATA, s);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t->curl_error[i]);
    t->curl_error[i][0] = '\0';
    if (s->x->post != NULL) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, s->x->post);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)s->x->post_len);
    } else {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    }
    if (log_enabled()) {
        curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
        curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, redact_debug);
    }
    offer_early(t, h, s);
}

/* Told of a slot's end (handle i) while the others go on. */
typedef void (*slot_fn)(void *ctx, size_t i, int cancelled);

/* Whether one of slots 0 .. n-1 is a held once transfer whose request was handed to
 * its connection and that has not ended: a cancel waits for it. */
static int
holding(const struct slot *slots, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (slots[i].x->once && slots[i].x->hold && slots[i].attempts > 0 &&
            !slots[i].ended)
            return 1;
    return 0;
}

/*
 * Runs the prepared easy handles 0 .. n-1 at once on the multi handle until all
 * are done or call seq is cancelled; stores each one's result in its slot, and tells
 * ended(ctx, i, 0) of each as it ends when ended is not NULL. Returns 1 when cancelled,
 * else 0.
 */
static int
run_slots(struct transport *t, unsigned long seq, struct slot *slots, size_t n,
          slot_fn ended, void *ctx)
{
    struct curl_waitfd wfd = {.fd = t->cancel_pipe[0], .events = CURL_WAIT_POLLIN};
    int running = 1, cancelled = 0;
    char drain[64];

    for (size_t i = 0; i < n; i++)
        slots[i].res = CURLE_FAILED_INIT; /* until it ends, or when it cannot start */
    for (size_t i = 0; i < n; i++) {
        if (curl_multi_add_handle(t->multi, t->easy[i]) != CURLM_OK) {
            n = i;
            break;
        }
    }
    while (running) {
        CURLMsg *msg;
        int left;

        if (transport_cancelled(t, seq) && !holding(slots, n)) {
            cancelled = 1;
            break;
        }
        if (curl_multi_perform(t->multi, &running) != CURLM_OK)
            break;
        while ((msg = curl_multi_info_read(t->multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            for (size_t k = 0; k < n; k++) {
                if (msg->easy_handle != t->easy[k])
                    continue;
                slots[k].res = msg->data.result;
                if (ended != NULL)
                    ended(ctx, k, 0);
            }
        }
        if (running) {
            wfd.revents = 0;
            curl_multi_poll(t->multi, &wfd, 1, 1000, NULL);
            if (wfd.revents != 0)
                while (read(t->cancel_pipe[0], drain, sizeof drain) > 0)
                    ;
        }
    }
    for (size_t i = 0; i < n; i++)
        curl_multi_remove_handle(t->multi, t->easy[i]);
    return cancelled;
}

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

/* What one run of transfers needs at each end. */
struct run {
    struct transport *t;
    const struct bl_config *cfg;
    const char *host;
    struct slot slots[TRANSPORT_SLOTS];
    transport_done_fn done;
    void *ctx;
};

/* Slot i has ended (or was stopped, cancelled): its transfer's outcome, handed over. */
static void
finish(void *ctx, size_t i, int cancelled)
{
    struct run *r = ctx;
    struct slot *s = &r->slots[i];
    struct transfer *x = s->x;

    if (s->ended)
        return;
    s->ended = 1;
    curl_easy_getinfo(r->t->easy[i], CURLINFO_RESPONSE_CODE, &x->status);
    x->sent = s->attempts == 0 ? TRANSPORT_NOT_SENT
              : s->stopped     ? TRANSPORT_RESEND_STOPPED
                               : TRANSPORT_SENT;
    x->over_cap = 0;
    if (cancelled || s->cancelled ||
        (s->attempts == 0 && x->hold && s->res == CURLE_ABORTED_BY_CALLBACK)) {
        error_set(&x->err, BL_CANCELLED, "%s", _("Cancelled"));
    } else if (s->res != CURLE_OK && s->over_cap) {
        x->over_cap = 1;
    } else if (s->stopped) {
        char *safe_host = text_sanitize(r->host, strlen(r->host));

        error_set(&x->err, BL_NETWORK,
                  /* TRANSLATORS: %s is the API's host name. A change was sent once and
                     its answer lost: it was not sent again. */
                  _("The connection to %s was lost after the request was sent, before "
                    "any answer; it was not sent again, and it may or may not have been "
                    "carried out"),
                  safe_host != NULL ? safe_host : _("the API host"));
        free(safe_host);
    } else if (s->res != CURLE_OK && x->status != 0) {
        error_set(&x->err, BL_SERVER,
                  /* TRANSLATORS: %ld is the HTTP status. */
                  _("The connection broke while the reply was being read "
                    "(HTTP %ld)"),
                  x->status);
        x->err.http_status = x->status;
    } else if (s->res != CURLE_OK) {
        /* libcurl's text quotes the peer (a certificate's names, say): make it inert. */
        const char *raw = r->t->curl_error[i][0] != '\0' ? r->t->curl_error[i]
                                                         : curl_easy_strerror(s->res);
        char *detail = text_sanitize(raw, strlen(raw)),
             *safe_host = text_sanitize(r->host, strlen(r->host));

        /* Out of memory only: words that stand in for the host name and the reason. */
        network_error(
            s->res,
            /* TRANSLATORS: stands in for the API's host name in the network
               errors ("Cannot connect to %s...") when it cannot be shown. */
            safe_host != NULL ? safe_host : _("the API host"), r->cfg->timeout_ms,
            /* TRANSLATORS: stands in for the reason of a network error when it
               cannot be shown. */
            detail != NULL ? detail : C_("network error reason", "unknown"), &x->err);
        free(detail);
        free(safe_host);
    } else {
        /* A warm-up's HEAD has no body worth a line. */
        if (x->post != NULL && log_enabled())
            redact_log_reply(x->status, s->data, s->len);
        x->body = s->data;
        x->len = s->len;
        s->data = NULL;
        if (x->body == NULL)
            x->body = secmem_strdup("");
    }
    secmem_free(s->data);
    s->data = NULL;
    if (r->done != NULL)
        r->done(r->ctx, i, x);
}

int
transport_run(struct transport *t, unsigned long seq, const struct bl_config *cfg,
              const char *host, int plain, struct transfer *x, size_t n,
              transport_done_fn done, void *ctx)
{
    struct run r = {.t = t, .cfg = cfg, .host = host, .done = done, .ctx = ctx};
    struct curl_slist *headers = NULL;
    int cancelled;

    if (n > TRANSPORT_PARALLEL)
        n = TRANSPORT_PARALLEL;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Accept: application/json");
    headers = curl_slist_append(headers, "Expect:");
    for (size_t i = 0; i < n; i++) {
        x[i].status = 0;
        x[i].body = NULL;
        x[i].len = 0;
        x[i].over_cap = 0;
        x[i].sent = TRANSPORT_NOT_SENT;
        error_clear(&x[i].err);
        if (headers == NULL) {
            error_set(&x[i].err, BL_INTERNAL, _("out of memory preparing the request"));
            if (done != NULL)
                done(ctx, i, &x[i]);
        }
    }
    if (headers == NULL)
        return 0;
    for (size_t i = 0; i < n; i++) {
        r.slots[i].x = &x[i];
        setup_easy(t, seq, (int)i, cfg, plain, headers, &r.slots[i]);
    }
    cancelled = run_slots(t, seq, r.slots, n, finish, &r);
    /* Those that did not end: cancelled, or never started. */
    for (size_t i = 0; i < n; i++)
        finish(&r, i, cancelled);
    for (size_t i = 0; i < n; i++)
        curl_easy_setopt(t->easy[i], CURLOPT_POSTFIELDS, NULL);
    curl_slist_free_all(headers);
    return cancelled;
}

/* Makes the HTTP headers every POST carries; NULL when out of memory. */
static struct curl_slist *
post_headers(void)
{
    struct curl_slist *h;

    if ((h = curl_slist_append(NULL, "Content-Type: application/json")) == NULL)
        return NULL;
    if (curl_slist_append(h, "Accept: application/json") == NULL ||
        curl_slist_append(h, "Expect:") == NULL) {
        curl_slist_free_all(h);
        return NULL;
    }
    return h;
}

int
transport_stream(struct transport *t, unsigned long seq, const struct bl_config *cfg,
                 const char *host, int plain, size_t slots, transport_next_fn next,
                 transport_done_fn done, void *ctx)
{
    struct run r = {.t = t, .cfg = cfg, .host = host, .done = done, .ctx = ctx};
    struct curl_waitfd wfd = {.fd = t->cancel_pipe[0], .events = CURL_WAIT_POLLIN};
    struct transfer x[TRANSPORT_SLOTS];
    int busy[TRANSPORT_SLOTS] = {0}, used[TRANSPORT_SLOTS] = {0}, cancelled = 0;
    struct curl_slist *headers = post_headers();
    size_t active = 0;
    char drain[64];

    if (slots > TRANSPORT_SLOTS)
        slots = TRANSPORT_SLOTS;
    for (;;) {
        int more = 1, running, ended = 0;
        CURLMsg *msg;

        if (transport_cancelled(t, seq)) {
            cancelled = 1;
            break;
        }
        for (size_t i = 0; i < slots && more == 1; i++) {
            if (busy[i])
                continue;
            memset(&x[i], 0, sizeof x[i]);
            if ((more = next(ctx, i, &x[i])) != 1)
                break;
            r.slots[i].x = &x[i];
            if (headers == NULL ||
                (t->easy[i] == NULL && (t->easy[i] = curl_easy_init()) == NULL)) {
                error_set(&x[i].err, BL_INTERNAL,
                          _("out of memory preparing the request"));
                done(ctx, i, &x[i]);
                continue;
            }
            setup_easy(t, seq, (int)i, cfg, plain, headers, &r.slots[i]);
            /* A read's body is small: libcurl's upload buffer (64 KiB a handle by
             * default, allocated as each request is sent) at its least. */
            curl_easy_setopt(t->easy[i], CURLOPT_UPLOAD_BUFFERSIZE, 16384L);
            r.slots[i].res = CURLE_FAILED_INIT;
            used[i] = 1;
            if (curl_multi_add_handle(t->multi, t->easy[i]) != CURLM_OK) {
                finish(&r, i, 0);
                continue;
            }
            busy[i] = 1;
            active++;
        }
        if (active == 0 && more < 0)
            break;
        if (curl_multi_perform(t->multi, &running) != CURLM_OK)
            break;
        while ((msg = curl_multi_info_read(t->multi, &running)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            for (size_t i = 0; i < slots; i++) {
                if (!busy[i] || msg->easy_handle != t->easy[i])
                    continue;
                r.slots[i].res = msg->data.result;
                curl_multi_remove_handle(t->multi, t->easy[i]);
                busy[i] = 0;
                active--;
                finish(&r, i, 0);
                ended = 1;
                break;
            }
        }
        /* A slot just freed is given its next transfer at once, not after the wait. */
        if (ended)
            continue;
        wfd.revents = 0;
        curl_multi_poll(t->multi, &wfd, 1, TRANSPORT_TICK_MS, NULL);
        if (wfd.revents != 0)
            while (read(t->cancel_pipe[0], drain, sizeof drain) > 0)
                ;
    }
    for (size_t i = 0; i < slots; i++) {
        if (busy[i]) {
            curl_multi_remove_handle(t->multi, t->easy[i]);
            finish(&r, i, cancelled);
        }
        if (used[i])
            curl_easy_setopt(t->easy[i], CURLOPT_POSTFIELDS, NULL);
    }
    curl_slist_free_all(headers);
    return cancelled;
}

/* A warm-up that stalls must not hold the login behind it for long. */
#define PREWARM_MAX_MS 3000L

int
transport_prewarm(struct transport *t, unsigned long seq, const struct bl_config *cfg,
                  int connections)
{
    struct bl_config quick = *cfg;
    struct bl_error err = {0};
    struct transfer x[TRANSPORT_PARALLEL];
    struct slot slots[TRANSPORT_PARALLEL];
    long status = 0;
    int cancelled, plain, ok = 1;

    if (transport_check_url(cfg->base_url, NULL, &plain, &err) != 0) {
        error_clear(&err);
        return -1;
    }
    if (connections < 1 || connections > TRANSPORT_PARALLEL)
        connections = 1;
    if (quick.timeout_ms > PREWARM_MAX_MS)
        quick.timeout_ms = PREWARM_MAX_MS;
    memset(x, 0, sizeof x);
    for (int i = 0; i < connections; i++) {
        x[i] = (struct transfer){.url = cfg->base_url, .cap = API_MAX_REPLY};
        slots[i].x = &x[i];
        setup_easy(t, seq, i, &quick, plain, NULL, &slots[i]);
    }
    cancelled = run_slots(t, seq, slots, (size_t)connections, NULL, NULL);
    for (int i = 0; i < connections; i++) {
        curl_easy_getinfo(t->easy[i], CURLINFO_RESPONSE_CODE, &status);
        if (log_enabled()) {
            char *shown = redact_url(cfg->base_url);

            log_msg("warm-up HEAD %s: %s (HTTP %ld)", shown != NULL ? shown : "",
                    cancelled ? "cancelled" : curl_easy_strerror(slots[i].res), status);
            free(shown);
        }
        ok &= slots[i].res == CURLE_OK && !cancelled;
        secmem_free(slots[i].data);
    }
    return ok ? 0 : -1;
}
