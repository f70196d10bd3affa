#include "preconnect.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* The addresses kept of a name, in getaddrinfo's order (RFC 6724). */
#define PRECONNECT_ADDRS 8

struct preconnect {
    pthread_mutex_t mu;
    int refs;     /* the owner and the thread, each until it lets go */
    int resolved; /* the thread is done: n, addrs and fd are set */
    int fd;       /* connecting or connected to addrs[0]; -1: none, or taken */
    size_t n;
    struct sockaddr_storage addrs[PRECONNECT_ADDRS];
    socklen_t lens[PRECONNECT_ADDRS];
    int literal;  /* host is an IP address */
    int families; /* the address families found: 1, or 2 (IPv6 and IPv4) */
    struct timespec started;
    char host[256], port[8];
};

static void
drop(struct preconnect *p)
{
    int last;

    pthread_mutex_lock(&p->mu);
    last = --p->refs == 0;
    pthread_mutex_unlock(&p->mu);
    if (!last)
        return;
    if (p->fd >= 0)
        close(p->fd);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

static void *
resolve_and_connect(void *arg)
{
    struct preconnect *p = arg;
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_protocol = IPPROTO_TCP,
                             .ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV},
                    *res = NULL;
    struct sockaddr_storage addrs[PRECONNECT_ADDRS];
    socklen_t lens[PRECONNECT_ADDRS];
    size_t n = 0;
    int fd = -1, abandoned;

    if (getaddrinfo(p->host, p->port, &hints, &res) == 0) {
        for (const struct addrinfo *a = res; a != NULL && n < PRECONNECT_ADDRS;
             a = a->ai_next) {
            if ((a->ai_family != AF_INET && a->ai_family != AF_INET6) ||
                a->ai_addrlen > sizeof addrs[n])
                continue;
            memcpy(&addrs[n], a->ai_addr, a->ai_addrlen);
            lens[n++] = a->ai_addrlen;
        }
        freeaddrinfo(res);
    }
    pthread_mutex_lock(&p->mu);
    abandoned = p->refs == 1; /* the owner let go: libcurl connects, or nothing does */
    pthread_mutex_unlock(&p->mu);
    if (n > 0 && !abandoned) {
        fd = socket(addrs[0].ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    IPPROTO_TCP);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&addrs[0], lens[0]) != 0 &&
            errno != EINPROGRESS) {
            close(fd);
            fd = -1;
        }
    }
    pthread_mutex_lock(&p->mu);
    memcpy(p->addrs, addrs, n * sizeof addrs[0]);
    memcpy(p->lens, lens, n * sizeof lens[0]);
    p->n = n;
    p->families = 1;
    for (size_t i = 1; i < n; i++)
        if (addrs[i].ss_family != addrs[0].ss_family)
            p->families = 2;
    p->fd = fd;
    p->resolved = 1;
    pthread_mutex_unlock(&p->mu);
    drop(p);
    return NULL;
}

struct preconnect *
preconnect_start(const char *host, const char *port)
{
    struct preconnect *p = calloc(1, sizeof *p);
    size_t len = strlen(host);
    unsigned char any[sizeof(struct in6_addr)];
    pthread_attr_t attr;
    pthread_t thread;
    sigset_t all, old;
    int rc;

    if (p == NULL)
        return NULL;
    /* "[::1]", as URLs write it: getaddrinfo wants the address alone. */
    if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
        host++;
        len -= 2;
    }
    if (len == 0 || len >= sizeof p->host ||
        (size_t)snprintf(p->port, sizeof p->port, "%s", port) >= sizeof p->port) {
        free(p);
        return NULL;
    }
    memcpy(p->host, host, len);
    p->literal =
        inet_pton(AF_INET, p->host, any) == 1 || inet_pton(AF_INET6, p->host, any) == 1;
    p->fd = -1;
    p->refs = 2;
    clock_gettime(CLOCK_MONOTONIC, &p->started);
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        return NULL;
    }
    /* The thread takes no signal: they are the main thread's (a cancel, the UI's). */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_attr_init(&attr);
    if (rc == 0) {
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        rc = pthread_create(&thread, &attr, resolve_and_connect, p);
        pthread_attr_destroy(&attr);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        pthread_mutex_destroy(&p->mu);
        free(p);
        return NULL;
    }
    return p;
}

/* Whether libcurl would take a proxy for https (as curl: the lower-case name first;
 * no_proxy is not weighed, which only costs the early connection). */
static int
proxy_in_environment(void)
{
    static const char *const names[] = {"https_proxy", "HTTPS_PROXY", "all_proxy",
                                        "ALL_PROXY"};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = getenv(names[i]);

        if (v != NULL && v[0] != '\0')
            return 1;
    }
    return 0;
}

/* A loopback address written as one; not the name localhost, which libcurl resolves
 * to loopback itself, where the system's resolver might not. */
static int
is_loopback_literal(const char *host)
{
    struct in_addr a4;
    struct in6_addr a6;

    return (inet_pton(AF_INET, host, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127) ||
           (inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6));
}

/* A host name of ASCII letters, digits, dots and hyphens only. */
static int
plain_name(const char *host, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = host[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

struct preconnect *
preconnect_for_url(const char *url)
{
    char host[256], port[8];
    const char *p, *end;
    size_t n;
    int https;

    if (strncasecmp(url, "https://", 8) == 0)
        https = 1, p = url + 8;
    else if (strncasecmp(url, "http://", 7) == 0)
        https = 0, p = url + 7;
    else
        return NULL;
    if (https && proxy_in_environment())
        return NULL;
    end = p + strcspn(p, "/?#");
    if (memchr(p, '@', (size_t)(end - p)) != NULL)
        return NULL;
    if (*p == '[') {
        const char *close = memchr(p, ']', (size_t)(end - p));
        unsigned char a6[sizeof(struct in6_addr)];

        if (close == NULL || (n = (size_t)(close - p - 1)) == 0 || n >= sizeof host)
            return NULL;
        memcpy(host, p + 1, n);
        host[n] = '\0';
        /* An IPv6 address, without a zone (libcurl reads "%25" in it, getaddrinfo not).
         */
        if (inet_pton(AF_INET6, host, a6) != 1)
            return NULL;
        p = close + 1;
    } else {
        n = strcspn(p, ":/?#");
        if (n == 0 || n >= sizeof host || !plain_name(p, n))
            return NULL;
        memcpy(host, p, n);
        host[n] = '\0';
        p += n;
    }
    if (*p == ':') {
        long number;

        n = (size_t)(end - ++p);
        if (n == 0 || n > 5 || strspn(p, "0123456789") < n)
            return NULL;
        memcpy(port, p, n);
        port[n] = '\0';
        number = strtol(port, NULL, 10);
        if (number < 1 || number > 65535)
            return NULL;
    } else if (p == end) {
        snprintf(port, sizeof port, "%s", https ? "443" : "80");
    } else {
        return NULL;
    }
    if (!https && !is_loopback_literal(host))
        return NULL;
    return preconnect_start(host, port);
}

int
preconnect_resolved(struct preconnect *p)
{
    int done;

    pthread_mutex_lock(&p->mu);
    done = p->resolved;
    pthread_mutex_unlock(&p->mu);
    return done;
}

int
preconnect_resolve_entry(struct preconnect *p, char *buf, size_t size)
{
    size_t used;
    int ok = 0;

    pthread_mutex_lock(&p->mu);
    if (!p->resolved || p->n == 0 || p->literal)
        goto out;
    used = (size_t)snprintf(buf, size, "%s:%s:", p->host, p->port);
    for (size_t i = 0; i < p->n && used < size; i++) {
        char text[INET6_ADDRSTRLEN];
        const void *a =
            p->addrs[i].ss_family == AF_INET
                ? (const void *)&((struct sockaddr_in *)&p->addrs[i])->sin_addr
                : (const void *)&((struct sockaddr_in6 *)&p->addrs[i])->sin6_addr;

        if (inet_ntop(p->addrs[i].ss_family, a, text, sizeof text) == NULL)
            goto out;
        used += (size_t)snprintf(buf + used, size - used,
                                 p->addrs[i].ss_family == AF_INET6 ? "%s[%s]" : "%s%s",
                                 i > 0 ? "," : "", text);
    }
    ok = used < size;
out:
    pthread_mutex_unlock(&p->mu);
    return ok;
}

static long
ms_since(const struct timespec *t)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* Whether a and b (len bytes) are the same address and port. */
static int
same_address(const struct sockaddr_storage *a, const struct sockaddr *b, socklen_t len)
{
    if (a->ss_family != b->sa_family)
        return 0;
    if (b->sa_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

        return len >= sizeof *y && x->sin_port == y->sin_port &&
               x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    if (b->sa_family == AF_INET6) {
        const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

        return len >= sizeof *y && x->sin6_port == y->sin6_port &&
               memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
    }
    return 0;
}

/* libcurl's wait before it tries the other address family too (happy eyeballs). */
#define HAPPY_EYEBALLS_MS 200L

/* An early connection older than this is not used: the first call comes after a
 * person typed a password or unlocked the keyring, and a server or a middlebox may
 * have dropped the idle connection without a word. */
#define PRECONNECT_MAX_AGE_MS 10000L

/* Whether a connected socket is still good for a TLS handshake: nothing to read (the
 * server speaks after the ClientHello) and no end of stream from the peer. */
static int
still_open(int fd)
{
    struct pollfd w = {.fd = fd, .events = POLLIN | POLLRDHUP};

    return poll(&w, 1, 0) == 0;
}

int
preconnect_take(struct preconnect *p, const struct sockaddr *addr, socklen_t len,
                int wake_fd, long budget_ms, long *waited_ms)
{
    struct timespec asked;
    long limit;
    int fd = -1, err = 0;
    socklen_t errlen = sizeof err;

    clock_gettime(CLOCK_MONOTONIC, &asked);
    if (waited_ms != NULL)
        *waited_ms = 0;
    pthread_mutex_lock(&p->mu);
    if (p->resolved && p->fd >= 0 && p->n > 0 && same_address(&p->addrs[0], addr, len)) {
        fd = p->fd;
        p->fd = -1;
    }
    /* No longer than libcurl would wait on this address before trying another. */
    limit = p->families > 1 ? HAPPY_EYEBALLS_MS : p->n > 1 ? budget_ms / 2 : budget_ms;
    pthread_mutex_unlock(&p->mu);
    if (fd < 0)
        return PRECONNECT_NONE;
    if (limit > budget_ms)
        limit = budget_ms;
    if (ms_since(&p->started) > PRECONNECT_MAX_AGE_MS) {
        close(fd);
        return PRECONNECT_NONE;
    }
    for (;;) {
        struct pollfd w[2] = {{.fd = fd, .events = POLLOUT},
                              {.fd = wake_fd, .events = POLLIN}};
        long left = limit - ms_since(&p->started);
        int rc;

        if (left < 0)
            left = 0;
        rc = poll(w, wake_fd >= 0 ? 2 : 1, left > 60000 ? 60000 : (int)left);
        if (rc < 0 && errno == EINTR)
            continue;
        if (waited_ms != NULL)
            *waited_ms = ms_since(&asked);
        if (rc > 0 && wake_fd >= 0 && (w[1].revents & POLLIN)) {
            close(fd);
            return PRECONNECT_WOKEN;
        }
        /* Connected and still open: libcurl's (libcurl 7.88 calls connect() on it once
         * more despite CURL_SOCKOPT_ALREADY_CONNECTED, which on a connected socket
         * succeeds: it must be connected when handed over, not connecting). */
        if (rc > 0 && w[0].revents != 0 &&
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) == 0 && err == 0 &&
            still_open(fd))
            return fd;
        if (rc == 0 && left > 0)
            continue;
        close(fd);
        return PRECONNECT_NONE;
    }
}

void
preconnect_free(struct preconnect *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    if (p->fd >= 0) {
        close(p->fd);
        p->fd = -1;
    }
    pthread_mutex_unlock(&p->mu);
    drop(p);
}
