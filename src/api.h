/* The SkyPostal box API client: the login, the partner lookup, the account calls, the
 * changes and the places lists, several at once when asked. Each call's request body
 * is built here; the transfers are transport.c's, the log's redaction redact.c's. */
#ifndef BOXLOGIN_API_H
#define BOXLOGIN_API_H

#include "config.h"
#include "error.h"
#include "session.h"
#include "transport.h"

#include <stddef.h>
#include <stdint.h>

/* Transfers at once (enum api_call and the reply caps are config.h's). */
#define API_PARALLEL TRANSPORT_PARALLEL

/* A flag of the type change: not sent (the zero value), or sent false or true. */
enum api_flag {
    API_FLAG_KEEP,
    API_FLAG_FALSE,
    API_FLAG_TRUE,
};

/* The fields of the details change: NULL (or has_tax_number 0) is not sent. */
struct api_details {
    const char *first_name;
    const char *last_name;
    const char *identity_number;
    int has_tax_number;
    uint64_t tax_number;    /* sent as a JSON number */
    const char *birth_date; /* YYYY-MM-DD */
    const char *gender;     /* "M" or "F" */
};

/* The one element of the address change's customer_address: every field is sent, NULL
 * as "". */
struct api_address {
    uint64_t city_code; /* sent as a JSON number */
    const char *city_name;
    const char *phone_area;
    const char *phone_number;
    const char *phone_extension;
    const char *locality_town;
    const char *neighborhood;
    const char *address_01;
    const char *zip_code;
};

/* A phone of the address change's customer_phone, which replaces every phone. */
struct api_phone {
    const char *area_code;
    const char *number;
    const char *extension; /* NULL sent as "" */
    int type;              /* 1 home, 2 mobile */
};

/* What one call sends. Strings are borrowed: they must outlive the call. */
struct api_request {
    enum api_call call;
    const char *email;    /* login, partner: sent trimmed but as typed; password:
                             customer_email; email: customer_current_email */
    const char *password; /* login; password: the new one. password_len bytes,
                             NUL-terminated; sent by reference, never copied */
    size_t password_len;
    uint64_t box_id;          /* profile, shipments, shipment and every change */
    const char *customer_key; /* the same; sent by reference, never copied */
    const char *start_date;   /* shipments: YYYY-MM-DD */
    const char *end_date;
    uint64_t awb;          /* shipment */
    const char *new_email; /* email */
    enum api_flag vip;     /* type: only the flags that change */
    enum api_flag business;
    struct api_details details;        /* details */
    const struct api_address *address; /* address: the one element */
    const struct api_phone *phones;    /* address: every phone, phone_count of them */
    size_t phone_count;
    uint64_t country_code; /* states */
    uint64_t state_code;   /* cities */
    int hold; /* a write: a cancel that comes once it was handed to its connection waits
                 for its reply (the commands); before that, it is not sent */
};

/* How far a request got: whether the server may have acted on it. */
enum api_sent {
    API_NOT_SENT,       /* never sent: the connection (DNS, TCP, TLS, proxy) failed, or it
                           was cancelled or could not be prepared before */
    API_SENT,           /* sent, or being sent when the transfer failed */
    API_RESEND_STOPPED, /* sent once on a reused connection that died before any
                           answer; libcurl's attempt to send it again was stopped */
};

/* The answer to one call: an HTTP status and body, or err when none came. */
struct api_reply {
    long status;
    char *body; /* NUL-terminated at body[len], wiped by api_reply_clear; NULL with err */
    size_t len;
    struct bl_error err; /* BL_OK when an HTTP answer came (whatever its status) */
    enum api_sent sent;
};

/* What the reply to a write (a change) says of it; SPEC "How every change runs". */
enum api_write {
    API_WRITE_ANSWERED, /* an HTTP answer came: decode it */
    API_WRITE_NOT_SENT, /* certainly not sent: err says why (a network error before the
                           write is exit status 3) */
    API_WRITE_UNKNOWN,  /* sent and no readable answer (lost, cut, cancelled after it
                           went out, over the cap): it may or may not have been
                           carried out; read back (exit status 4 unless verified) */
};

/* What reply, the reply to a write, says of it. */
enum api_write api_write_outcome(const struct api_reply *reply);

struct api;

/* Starts loading libcurl on a thread of its own; call once in main before any other
 * thread. api_global_init waits for it (0, or -1 with err set); both thread-safe. */
void api_global_start(void);
int api_global_init(struct bl_error *err);
void api_global_cleanup(void);

/*
 * Checks that base_url may be used: https, or http to a loopback host only.
 * On success stores the host name (malloc'd, caller frees) in *host if host
 * is not NULL and returns 0; otherwise returns -1 with a usage error.
 */
int api_check_url(const char *base_url, char **host, struct bl_error *err);

/*
 * Creates a client that keeps its connection (and TLS session) between calls.
 * Use it from one thread at a time; api_cancel may be called from any thread
 * or signal handler. Returns NULL with err set on failure.
 */
struct api *api_new(struct bl_error *err);
void api_free(struct api *api);

/*
 * Logs in with cfg's endpoint and credentials. email is sent trimmed but
 * otherwise as typed; password (len bytes, NUL-terminated) is only read and
 * goes into the request body by reference, without another copy. seq numbers the
 * call for api_cancel and must grow from call to call. On success stores a
 * new session in *out (the caller frees it with session_free) and returns 0;
 * otherwise returns -1 with err filled as SPEC's outcome rules say.
 */
int api_login(struct api *api, unsigned long seq, const struct bl_config *cfg,
              const char *email, const char *password, size_t password_len,
              struct bl_session **out, struct bl_error *err);

/*
 * Looks a customer up by email with the partner call (cfg's credentials, no password):
 * on success stores a new session in *out and returns 0; otherwise returns -1 with
 * err filled, as api_login does.
 */
int api_partner(struct api *api, unsigned long seq, const struct bl_config *cfg,
                const char *email, struct bl_session **out, struct bl_error *err);

/*
 * Sends the n requests (at most API_PARALLEL) at once, each on its own
 * connection (warm ones are reused) or multiplexed on one with HTTP/2, and
 * waits for all, filling out[0 .. n-1]: each an HTTP answer or an error
 * (network, cancelled, over its cap: 32 MiB for shipments, 1 MiB for the rest).
 * A call whose default path answers 404 and that SkyPostal's documentation
 * names at another path is sent there once; when that one answers, it is kept
 * for the rest of the process. A path set in the config is used as it is. A
 * write (a change) is sent at most once: never again on a 404, an error or a
 * timeout, and never by libcurl on a connection that died (api_write_outcome
 * reads its reply). seq numbers the calls for api_cancel. The caller clears
 * each reply with api_reply_clear.
 */
void api_send(struct api *api, unsigned long seq, const struct bl_config *cfg,
              const struct api_request *rqs, size_t n, struct api_reply *out);

/*
 * As api_send, and each reply is also handed to done(ctx, k, &out[k]) as soon as
 * it is final, while the others are still on their way: a slow list of shipments
 * does not hold the profile back. done runs in the calling thread, once for each
 * request, and may decode and clear out[k].
 */
typedef void (*api_reply_fn)(void *ctx, size_t k, struct api_reply *reply);
void api_send_each(struct api *api, unsigned long seq, const struct bl_config *cfg,
                   const struct api_request *rqs, size_t n, struct api_reply *out,
                   api_reply_fn done, void *ctx);

/*
 * The request body rq would send, as the log may show it: the app key, customer key
 * and password replaced by "(withheld)". Returns a buffer the caller frees with
 * secmem_free, or NULL without memory.
 */
char *api_body_shown(const struct bl_config *cfg, const struct api_request *rq);
/* Requests at once of api_stream. */
#define API_SLOTS TRANSPORT_SLOTS

/* Asked for the next request of a free slot: fills *rq (its strings must last until
 * its reply is handed over) and returns 1; 0 when there is none yet (asked again
 * soon), -1 when there is none for now. */
typedef int (*api_next_fn)(void *ctx, size_t slot, struct api_request *rq);

/*
 * Sends a stream of reads (never a write), at most slots (up to API_SLOTS) at once,
 * each slot reusing a connection: next(ctx, i, rq) gives slot i its next request and
 * done(ctx, i, reply) its reply (api_stream clears it afterwards), as api_send_each
 * does, the 404 fallback to the documented path included. Ends when next has no more
 * and nothing is on its way, or when call seq is cancelled: returns 1 then (the replies
 * on their way are handed over BL_CANCELLED), else 0; -1 with err when cfg's base URL
 * may not be used (nothing asked for).
 */
int api_stream(struct api *api, unsigned long seq, const struct bl_config *cfg,
               size_t slots, api_next_fn next, api_reply_fn done, void *ctx,
               struct bl_error *err);

/* Wipes and frees what a reply holds. */
void api_reply_clear(struct api_reply *r);

/*
 * Opens connections (TCP and TLS) to cfg's API host with a HEAD on the base
 * URL, as many at once as asked (up to API_PARALLEL), so that the next calls
 * reuse them and cost one round trip each. Quietly returns -1 on any failure; a
 * failed warm-up costs the calls nothing.
 */
int api_prewarm(struct api *api, unsigned long seq, const struct bl_config *cfg,
                int connections);

/* Hands api a connection to cfg's API host being opened (preconnect_for_url, or NULL):
 * the first call uses it (transport_preconnect). */
struct preconnect;
void api_preconnect(struct api *api, const struct bl_config *cfg, struct preconnect *p);

/* Cancels call seq at once, whether it is running or not yet started. Async-signal-safe.
 */
void api_cancel(struct api *api, unsigned long seq);

/* Whether call seq has been cancelled (also after it ended). Thread-safe. */
int api_cancelled(struct api *api, unsigned long seq);

/* api_cancel with this cancels every call, now and later (shutting down). */
#define API_CANCEL_ALL TRANSPORT_CANCEL_ALL

#endif
