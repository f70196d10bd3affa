/*
 * A deterministic check that secrets are wiped before their memory is given back,
 * preloaded into boxlogin (LD_PRELOAD) by tests/test_secrets.py. BOXLOGIN_SECRET_CHECK
 * names a file of NAME=VALUE lines. Every block released through free or realloc
 * (boxlogin's, cJSON's and libcurl's through secmem, OpenSSL's, ...) is searched for
 * each VALUE, as UTF-8 and as UTF-32 (the UI's wide characters), before it goes back to
 * the allocator, and /proc/self/cmdline is searched at exit. A hit writes one line
 * ("secret-check: NAME found in a block released by free") to stderr and to FILE.hits,
 * then aborts: that copy was left in memory unwiped.
 */
#include <execinfo.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void __libc_free(void *p);
void *__libc_malloc(size_t size);
void *__libc_realloc(void *p, size_t size);

#define MAX_SECRETS 8
#define MAX_SECRET  256

static struct secret {
    char name[32];
    char utf8[MAX_SECRET];
    char utf32[4 * MAX_SECRET];
    size_t len;
} secrets[MAX_SECRETS];
static int count, reporting;
static char hits_path[4096];

/* Reads the whole of path into buf (NUL-terminated) without allocating; -1 on failure. */
static ssize_t
slurp(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    size_t n = 0;
    ssize_t r = 0;

    if (fd < 0)
        return -1;
    while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
        n += (size_t)r;
    close(fd);
    buf[n] = '\0';
    return r < 0 ? -1 : (ssize_t)n;
}

static void
say(int fd, const char *s)
{
    if (write(fd, s, strlen(s)) < 0)
        return;
}

static void
hit(const struct secret *s, const char *where)
{
    int fd = open(hits_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    void *frames[32];
    int depth;

    for (int i = 0; i < 2; i++) {
        int out = i == 0 ? 2 : fd;

        if (out < 0)
            continue;
        say(out, "secret-check: ");
        say(out, s->name);
        say(out, " found in ");
        say(out, where);
        say(out, "\n");
    }
    /* Where it was freed; backtrace may allocate (and free) on its first call. */
    reporting = 1;
    depth = backtrace(frames, 32);
    backtrace_symbols_fd(frames, depth, 2);
    if (fd >= 0) {
        backtrace_symbols_fd(frames, depth, fd);
        close(fd);
    }
    abort();
}

static void
check(const void *p, size_t n, const char *where)
{
    for (int i = 0; i < count && p != NULL && !reporting; i++) {
        const struct secret *s = &secrets[i];

        if (memmem(p, n, s->utf8, s->len) != NULL ||
            memmem(p, n, s->utf32, 4 * s->len) != NULL)
            hit(s, where);
    }
}

__attribute__((constructor)) static void
load(void)
{
    static char text[MAX_SECRETS * (MAX_SECRET + 40)];
    const char *path = getenv("BOXLOGIN_SECRET_CHECK");
    char *line, *next;

    if (path == NULL || strlen(path) + 6 > sizeof hits_path ||
        slurp(path, text, sizeof text) < 0)
        return;
    memcpy(hits_path, path, strlen(path));
    memcpy(hits_path + strlen(path), ".hits", 6);
    for (line = text; *line != '\0' && count < MAX_SECRETS; line = next) {
        char *eq = strchr(line, '=');
        struct secret *s = &secrets[count];

        next = line + strcspn(line, "\n");
        if (*next == '\n')
            *next++ = '\0';
        if (eq == NULL || eq - line >= (long)sizeof s->name || strlen(eq + 1) == 0 ||
            strlen(eq + 1) >= MAX_SECRET)
            continue;
        memcpy(s->name, line, (size_t)(eq - line));
        s->len = strlen(eq + 1);
        memcpy(s->utf8, eq + 1, s->len);
        /* The secrets of the tests are ASCII: UTF-32LE is each byte and three zeros. */
        for (size_t k = 0; k < s->len; k++)
            s->utf32[4 * k] = s->utf8[k];
        count++;
    }
    explicit_bzero(text, sizeof text);
}

__attribute__((destructor)) static void
check_cmdline(void)
{
    static char cmdline[65536];
    ssize_t n = slurp("/proc/self/cmdline", cmdline, sizeof cmdline);

    if (n > 0)
        check(cmdline, (size_t)n, "/proc/self/cmdline");
}

void
free(void *p)
{
    if (p != NULL && count > 0)
        check(p, malloc_usable_size(p), "a block released by free");
    __libc_free(p);
}

/* Growing moves the block: copy it here, so that the old one is checked like a free. */
void *
realloc(void *p, size_t size)
{
    size_t old;
    void *n;

    if (p == NULL || count == 0)
        return __libc_realloc(p, size);
    if (size == 0) {
        free(p);
        return NULL;
    }
    old = malloc_usable_size(p);
    if (size <= old) {
        check((char *)p + size, old - size, "the tail released by realloc");
        return __libc_realloc(p, size);
    }
    if ((n = __libc_malloc(size)) == NULL)
        return NULL;
    memcpy(n, p, old);
    free(p);
    return n;
}
