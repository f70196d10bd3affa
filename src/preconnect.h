/* A command's TCP connection to the API, opened while the keyring answers: the name
 * is resolved and the connection started on a thread of their own, and libcurl is
 * handed the connected socket when its first transfer asks for one (transport.c). A
 * command that asks the keyring for its app key and its customer key before its first
 * request thus pays the TCP round trip only once, during those lookups. Anything
 * unusual (a connection not made in time, refused, another address) falls back to
 * libcurl connecting as it always does, with its own messages. */
#ifndef BOXLOGIN_PRECONNECT_H
#define BOXLOGIN_PRECONNECT_H

#include <stddef.h>
#include <sys/socket.h>

struct preconnect;

/* preconnect_start for an API base URL: https://HOST[:PORT]/..., or http:// to a
 * loopback address; NULL (nothing started) for any other URL, one naming a user, and
 * when libcurl would go through a proxy (https_proxy, HTTPS_PROXY, all_proxy or
 * ALL_PROXY set: the connection is then the proxy's). libcurl parses the URL again
 * and connects itself wherever the two differ. */
struct preconnect *preconnect_for_url(const char *url);

/* Starts resolving host (a name, or an IP address, IPv6 with or without brackets) and
 * connecting to it on port; NULL when it cannot start (nothing to undo). */
struct preconnect *preconnect_start(const char *host, const char *port);

/* Once the name is resolved: the addresses for CURLOPT_RESOLVE ("host:port:a,b", the
 * one connected to first) in buf, so that libcurl connects where the connection was
 * opened without a second lookup; returns 1. Returns 0 when the name is not resolved
 * yet, nothing was found, or host is an IP address (libcurl needs no lookup). */
int preconnect_resolve_entry(struct preconnect *p, char *buf, size_t size);

/* Whether the name is resolved (and the connection started, when it could be). */
int preconnect_resolved(struct preconnect *p);

/* preconnect_take's results besides a socket. */
#define PRECONNECT_NONE  (-1) /* not this address, already taken, or it failed */
#define PRECONNECT_WOKEN (-2) /* wake_fd became readable first (a cancel, perhaps) */

/*
 * For libcurl's open-socket callback: when addr is the address connected to and the
 * connection was not taken yet, waits until it is made (at most until budget_ms after
 * preconnect_start, or until wake_fd is readable) and returns its socket, the caller's
 * from then on; otherwise returns PRECONNECT_NONE or PRECONNECT_WOKEN, and the
 * connection is closed. waited_ms gets how long it waited (may be NULL).
 */
int preconnect_take(struct preconnect *p, const struct sockaddr *addr, socklen_t len,
                    int wake_fd, long budget_ms, long *waited_ms);

/* Closes the connection if it was not taken; the thread, if still resolving, frees its
 * part when it is done. */
void preconnect_free(struct preconnect *p);

#endif
