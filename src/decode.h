/* The login reply decoder: HTTP status and body to a session or an error value. */
#ifndef BOXLOGIN_DECODE_H
#define BOXLOGIN_DECODE_H

#include "error.h"
#include "session.h"

#include <stddef.h>

/*
 * Decodes a customer-login reply by SPEC's outcome rules (status, JSON shape,
 * system_error, _verify, then the session itself). body must be NUL-terminated
 * at body[len]. On success stores a new session in *out (the caller owns it and
 * frees it with session_free; its email is unset) and returns 0; otherwise
 * fills err (kind, http_status, message, server strings) and returns -1. A reply
 * that names a customer_email other than email (both normalised) is a server
 * error: it is about another customer. email NULL skips that check.
 */
int decode_login_reply(long http_status, const char *body, size_t len, const char *email,
                       struct bl_session **out, struct bl_error *err);

/*
 * Decodes a partner customer-get-info reply for email: it has the login's shape
 * and becomes a session the same way (a reply for another email is a server
 * error). A refusal is BL_REJECTED, and says which: an HTTP 401 or 403, or
 * server words about authorisation or credentials, mean that the application's
 * credentials (user_code) may not look customers up, and what to ask SkyPostal
 * for; any other refusal means no such customer (or not one these credentials
 * may see), with the server's words.
 */
int decode_partner_reply(long http_status, const char *body, size_t len,
                         const char *email, long user_code, struct bl_session **out,
                         struct bl_error *err);

/*
 * Checks that named, the email a reply names (NULL or empty: none), is asked, the
 * one asked for, both trimmed and lower-cased: 0, or -1 with err set (BL_SERVER
 * with http_status, saying it is another customer's).
 */
int decode_check_email(long http_status, const char *named, const char *asked,
                       struct bl_error *err);

/* Whether key is a well-formed customer key: 1 to 512 printable ASCII characters,
 * without spaces (the server's rule). It is shown, copied and sent as it is, so
 * nothing else (controls, bidi marks, look-alikes) may pass. */
int decode_key_is_well_formed(const char *key);

#endif
