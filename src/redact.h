/* What the log may show of the traffic with the API: libcurl's notes and headers without
 * credentials, URLs without the user information they may carry, and replies with every
 * secret withheld. */
#ifndef BOXLOGIN_REDACT_H
#define BOXLOGIN_REDACT_H

#include <curl/curl.h>
#include <stddef.h>

/*
 * A CURLOPT_DEBUGFUNCTION: logs libcurl's connection notes and headers; request and
 * reply bodies never, and neither a proxy's credentials nor any credential header.
 */
int redact_debug(CURL *h, curl_infotype type, char *data, size_t size, void *userdata);

/* url without the user name and password it may carry, for the log; the caller frees it.
 */
char *redact_url(const char *url);

/*
 * Logs a reply (len bytes at body, NUL-terminated) with every customer key, app key and
 * password withheld, wherever they stand in it.
 */
void redact_log_reply(long status, const char *body, size_t len);

#endif
