#include "log.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static FILE *log_file;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

int
log_open(const char *path, struct bl_error *err)
{
    /* O_NONBLOCK: a FIFO must not hang the open; only regular files pass anyway. */
    int fd = open(
        path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
    const char *why = NULL;
    struct stat st;

    if (fd < 0 || fstat(fd, &st) != 0)
        why = errno == ELOOP   ? _("refusing a symbolic link")
              : errno == ENXIO ? _("not a regular file") /* a FIFO without a reader */
                               : strerror(errno);
    else if (!S_ISREG(st.st_mode))
        why = _("not a regular file");
    else if (st.st_uid != geteuid())
        why = _("not owned by you; pick a file of your own");
    else if ((st.st_mode & 077) != 0)
        error_set(err, BL_USAGE,
                  /* TRANSLATORS: %s is the log file, %03o its mode in octal; keep --log
                     and chmod 600 as they are. */
                  _("--log %s: open to group or others (mode %03o); chmod 600 it or pick "
                    "another file"),
                  path, (unsigned)(st.st_mode & 0777));
    else if ((log_file = fdopen(fd, "a")) == NULL)
        why = strerror(errno);
    if (why != NULL)
        error_set(err, BL_USAGE, "--log %s: %s", path, why);
    if (log_file == NULL) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    setvbuf(log_file, NULL, _IOLBF, 0);
    return 0;
}

int
log_enabled(void)
{
    return log_file != NULL;
}

void
log_msg(const char *fmt, ...)
{
    struct timespec ts;
    struct tm tm;
    char *text = NULL;
    va_list ap;

    if (log_file == NULL)
        return;
    va_start(ap, fmt);
    if (vasprintf(&text, fmt, ap) < 0)
        text = NULL;
    va_end(ap);
    if (text == NULL)
        return;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    pthread_mutex_lock(&log_lock);
    fprintf(log_file, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ ", tm.tm_year + 1900,
            tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
            ts.tv_nsec / 1000000);
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fprintf(log_file, "\\x%02x", *p);
        else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) /* C1 control */
            fprintf(log_file, "\\u%04x", *++p);
        else
            fputc(*p, log_file);
    }
    fputc('\n', log_file);
    pthread_mutex_unlock(&log_lock);
    free(text);
}

void
log_close(void)
{
    if (log_file != NULL)
        fclose(log_file);
    log_file = NULL;
}

double
log_ms_since(const struct timespec *t)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) * 1e3 +
           (double)(now.tv_nsec - t->tv_nsec) / 1e6;
}

#ifdef BOXLOGIN_TEST_HOOKS
void
log_test_pause(const char *point)
{
    const char *v = getenv("BOXLOGIN_TEST_PAUSE");
    size_t n = strlen(point);

    if (v != NULL && strncmp(v, point, n) == 0 && v[n] == '=') {
        long ms = strtol(v + n + 1, NULL, 10);
        struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000L};

        log_msg("test pause at %s for %ld ms", point, ms);
        nanosleep(&ts, NULL);
    }
}
#endif
