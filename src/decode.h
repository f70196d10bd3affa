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
 * fills err (kind, http_status, message, server strings) and returns -1.
 */
int decode_login_reply(long http_status, const char *body, size_t len,
                       struct bl_session **out, struct bl_error *err);

/*
 * Decodes a partner customer-get-info reply: it has the login's shape and
 * becomes a session the same way. A refusal (_verify not true, HTTP 401 or
 * 403) is BL_REJECTED with a message saying that the application's credentials
 * (user_code) may not look customers up, and what to ask SkyPostal for.
 */
int decode_partner_reply(long http_status, const char *body, size_t len, long user_code,
                         struct bl_session **out, struct bl_error *err);

#endif
