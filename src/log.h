/* The --log debug log. Callers never pass secrets; the API client redacts replies. */
#ifndef BOXLOGIN_LOG_H
#define BOXLOGIN_LOG_H

#include "error.h"

#include <time.h>

/*
 * Opens (appends to, creating with mode 0600) the log file; returns 0, or -1 with a
 * usage error for a file that is not regular, not the user's own, or open to group or
 * others, or a symbolic link.
 */
int log_open(const char *path, struct bl_error *err);

/* Whether a log is open. */
int log_enabled(void);

/* Writes one timestamped line; control characters in the text are escaped. Thread-safe.
 */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void log_close(void);

/* Milliseconds since t on the monotonic clock (the log's timings, the warm-up's age). */
double log_ms_since(const struct timespec *t);

/*
 * Test builds only (make's build/tests/boxlogin-hooks): holds the calling thread at point
 * for the milliseconds BOXLOGIN_TEST_PAUSE gives ("after-reply=1500"), so that a test
 * can land a key or a signal exactly there. Elsewhere it does nothing.
 */
#ifdef BOXLOGIN_TEST_HOOKS
void log_test_pause(const char *point);
#else
#define log_test_pause(point) ((void)0)
#endif

#endif
