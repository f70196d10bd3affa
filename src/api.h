/* The SkyPostal box API client: one customer-login call over libcurl. */
#ifndef BOXLOGIN_API_H
#define BOXLOGIN_API_H

#include "config.h"
#include "error.h"
#include "session.h"

#include <stddef.h>

#define API_MAX_REPLY ((size_t)1 << 20)

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
 * Opens the connection (TCP and TLS) to cfg's API host with a HEAD on the base
 * URL, so that the next api_login reuses it and costs one round trip. Quietly
 * returns -1 on any failure; a failed warm-up costs the login nothing.
 */
int api_prewarm(struct api *api, unsigned long seq, const struct bl_config *cfg);

/* Cancels call seq at once, whether it is running or not yet started. Async-signal-safe.
 */
void api_cancel(struct api *api, unsigned long seq);

/* Whether call seq has been cancelled (also after it ended). Thread-safe. */
int api_cancelled(struct api *api, unsigned long seq);

/* api_cancel with this cancels every call, now and later (shutting down). */
#define API_CANCEL_ALL (~0UL)

#endif
