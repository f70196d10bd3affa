/* The SkyPostal box API client over libcurl: the login, the partner lookup and the
 * account calls, several at once when asked. */
#ifndef BOXLOGIN_API_H
#define BOXLOGIN_API_H

#include "config.h"
#include "error.h"
#include "session.h"

#include <stddef.h>
#include <stdint.h>

#define API_MAX_REPLY           ((size_t)1 << 20)
#define API_MAX_SHIPMENTS_REPLY ((size_t)32 << 20)
/* Transfers at once: the account view asks for the profile and the shipments together.
 */
#define API_PARALLEL 3

/* The calls (the numbers match config_call_path's). */
enum api_call {
    API_LOGIN,
    API_PARTNER,
    API_PROFILE,
    API_SHIPMENTS,
    API_SHIPMENT,
    API_CALLS,
};

/* What one call sends. Strings are borrowed: they must outlive the call. */
struct api_request {
    enum api_call call;
    const char *email;    /* login, partner: sent trimmed but as typed */
    const char *password; /* login: password_len bytes, NUL-terminated */
    size_t password_len;
    uint64_t box_id;          /* profile, shipments, shipment */
    const char *customer_key; /* profile, shipments, shipment */
    const char *start_date;   /* shipments: YYYY-MM-DD */
    const char *end_date;
    uint64_t awb; /* shipment */
};

/* The answer to one call: an HTTP status and body, or err when none came. */
struct api_reply {
    long status;
    char *body; /* NUL-terminated at body[len], wiped by api_reply_clear; NULL with err */
    size_t len;
    struct bl_error err; /* BL_OK when an HTTP answer came (whatever its status) */
};

struct api;

/* Initialises libcurl with the wiping allocator; call once in main before any thread. */
int api_global_init(void);
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
 * for the rest of the process. A path set in the config is used as it is. seq
 * numbers the calls for api_cancel. The caller clears each reply with
 * api_reply_clear.
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

/* Cancels call seq at once, whether it is running or not yet started. Async-signal-safe.
 */
void api_cancel(struct api *api, unsigned long seq);

/* Whether call seq has been cancelled (also after it ended). Thread-safe. */
int api_cancelled(struct api *api, unsigned long seq);

/* api_cancel with this cancels every call, now and later (shutting down). */
#define API_CANCEL_ALL (~0UL)

#endif
