/* The connection to the API over libcurl: one multi handle whose connections (and TLS
 * sessions) live as long as the client, a cancel that stops a transfer at once, the
 * transport rules (https, http to loopback only and never through a proxy, TLS 1.2 and
 * up, no redirects), reply caps, warm-ups, and requests that are never sent twice. */
#ifndef BOXLOGIN_TRANSPORT_H
#define BOXLOGIN_TRANSPORT_H

#include "config.h"
#include "error.h"

#include <stddef.h>

/* Transfers at once: the account view asks for the profile and the shipments together.
 */
#define TRANSPORT_PARALLEL 3

/* Transfers at once of a stream (transport_stream): `boxlogin check --concurrency`. */
#define TRANSPORT_SLOTS 16

/* How far a request got before its transfer ended. */
enum transport_sent {
    TRANSPORT_NOT_SENT,       /* never sent: no connection was ready for it */
    TRANSPORT_SENT,           /* sent, or being sent when the transfer failed */
    TRANSPORT_RESEND_STOPPED, /* sent once; the connection died before any answer and
                                 libcurl's attempt to send it again was stopped */
};

/* One transfer: what to send (filled by the caller) and how it ended. */
struct transfer {
    const char *url;
    const char *post; /* the JSON body (borrowed), post_len bytes; NULL: a HEAD */
    size_t post_len;
    size_t cap;  /* the largest reply taken */
    int once;    /* never sent a second time, not even by libcurl (a write) */
    int hold;    /* once: a cancel that comes after the request was handed to the
                    connection waits for the transfer's end (a command's write) */
    long status; /* the HTTP status, 0 when no answer came */
    char *body;  /* the reply, secmem, NUL-terminated at body[len]; NULL without one */
    size_t len;
    int over_cap; /* the reply was larger than cap (err is left to the caller) */
    enum transport_sent sent;
    struct bl_error err; /* BL_OK when an HTTP answer came whole, whatever its status */
};

struct transport;

/* Starts loading libcurl and initialising it with the wiping allocator on a thread of
 * its own (curl_load.h); call once in main before any other thread. */
void transport_global_start(void);

/* Waits until libcurl is ready, loading it in this thread unless transport_global_start
 * did on its own: returns 0, or -1 with an internal error. Thread-safe. */
int transport_global_init(struct bl_error *err);

void transport_global_cleanup(void);

/*
 * Checks that base_url may be used: https, or http to a loopback host only; *plain
 * says it is http. On success stores the host name (malloc'd, caller frees) in *host
 * if host is not NULL and returns 0; otherwise returns -1 with a usage error.
 */
int transport_check_url(const char *base_url, char **host, int *plain,
                        struct bl_error *err);

/* A client with no connection yet; NULL with err set on failure. Free it with
 * transport_free. Used from one thread at a time, but for transport_cancel. */
struct transport *transport_new(struct bl_error *err);
void transport_free(struct transport *t);

/* transport_cancel with this cancels every call, now and later (shutting down). */
#define TRANSPORT_CANCEL_ALL (~0UL)

/* Cancels call seq at once, whether it is running or not yet started. Async-signal-safe.
 */
void transport_cancel(struct transport *t, unsigned long seq);

/* Whether call seq has been cancelled (also after it ended). Thread-safe. */
int transport_cancelled(struct transport *t, unsigned long seq);

/* Told of the end of transfer i (its fields filled) while the others go on. */
typedef void (*transport_done_fn)(void *ctx, size_t i, struct transfer *x);

/*
 * Runs the n transfers x[0 .. n-1] (at most TRANSPORT_PARALLEL) at once with cfg's
 * timeout and CA file, to the host (named in messages) of cfg's base URL, which
 * transport_check_url allowed (plain: it is http). Each one's outcome goes into its
 * fields, and to done(ctx, i, &x[i]) as it ends when done is not NULL; the caller
 * frees each body with secmem_free and clears each err. A transfer marked once that
 * libcurl would send again ends TRANSPORT_RESEND_STOPPED. Returns 1 when call seq was
 * cancelled meanwhile (the transfers not ended then say so), else 0.
 */
int transport_run(struct transport *t, unsigned long seq, const struct bl_config *cfg,
                  const char *host, int plain, struct transfer *x, size_t n,
                  transport_done_fn done, void *ctx);

/*
 * Asked for the next transfer of a free slot (0 .. slots - 1): fills x (url, post, cap,
 * once; x and what it points to must last until its end is told) and returns 1; returns
 * 0 when there is none yet (asked again within TRANSPORT_TICK_MS), or -1 when there is
 * none for now (the stream ends when no transfer is left running).
 */
typedef int (*transport_next_fn)(void *ctx, size_t slot, struct transfer *x);

/* How often a stream asks for more while it waits. */
#define TRANSPORT_TICK_MS 100

/*
 * Runs a stream of transfers, at most slots (up to TRANSPORT_SLOTS) at once, each slot
 * with its own easy handle over the connections the multi handle keeps: next(ctx, i, x)
 * gives slot i its next transfer, done(ctx, i, x) says how it ended (the caller takes
 * x->body, secmem, and clears x->err), and the slot is free again. Ends when next has
 * no more and nothing runs, or when call seq is cancelled (returns 1; the transfers
 * running then end BL_CANCELLED), else returns 0.
 */
int transport_stream(struct transport *t, unsigned long seq, const struct bl_config *cfg,
                     const char *host, int plain, size_t slots, transport_next_fn next,
                     transport_done_fn done, void *ctx);

/*
 * Takes p, a TCP connection to cfg's API host being opened (preconnect_for_url; NULL:
 * none): the first transfer to that address uses it instead of connecting, waiting
 * for it at most cfg's timeout. Any failure leaves the connecting to libcurl.
 */
struct preconnect;
void transport_preconnect(struct transport *t, const struct bl_config *cfg,
                          struct preconnect *p);

/*
 * Opens connections (TCP and TLS) to cfg's API host with a HEAD on the base URL, as
 * many at once as asked (up to TRANSPORT_PARALLEL). Quietly returns -1 on any failure.
 */
int transport_prewarm(struct transport *t, unsigned long seq, const struct bl_config *cfg,
                      int connections);

#endif
