/* libcurl, loaded when the API is first needed rather than with the program: libcurl
 * brings some 30 libraries whose start-up (GnuTLS, Kerberos, LDAP, ...) takes about
 * 5 ms, which a command then spends while its connection is being opened and the
 * keyring answers, and which the commands without the API (history, keys, forget,
 * setup, --help) no longer spend at all. curl_load.c defines the curl_* functions
 * boxlogin calls, each forwarding to the loaded library. */
#ifndef BOXLOGIN_CURL_LOAD_H
#define BOXLOGIN_CURL_LOAD_H

#include <curl/curl.h>

/* The library loaded, the one whose API (7.88, OpenSSL) boxlogin is built against, and
 * the version of its symbols (its OpenSSL build's). */
#define CURL_LOAD_SONAME  "libcurl.so.4"
#define CURL_LOAD_VERSION "CURL_OPENSSL_4"

/* Starts loading libcurl and initialising it (curl_global_init_mem with the given
 * allocator) on a thread of its own when background is set, else at curl_load_wait in
 * its caller's thread; call before any other thread uses it (a second call does
 * nothing). When the thread cannot start, the loading happens at curl_load_wait. */
void curl_load_start(curl_malloc_callback m, curl_free_callback f,
                     curl_realloc_callback r, curl_strdup_callback s,
                     curl_calloc_callback c, int background);

/* Waits for the loading; returns 0 when libcurl is ready, else -1 with a message
 * (static, English: the library or function missing, or the initialisation) in
 * *why. Thread-safe. */
int curl_load_wait(const char **why);

/* curl_global_cleanup, if libcurl was loaded and initialised. */
void curl_load_cleanup(void);

#endif
