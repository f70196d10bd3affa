/* The curl_* functions boxlogin calls, forwarding to libcurl loaded at run time (see
 * curl_load.h). Without the type-checking macros of curl.h here: this file defines the
 * functions they call. */
#define CURL_DISABLE_TYPECHECK
#include "curl_load.h"

#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Each function with fixed arguments: its return type, name, parameters and the
 * arguments passed on. */
#define FIXED(X)                                                                         \
    X(char *, curl_version, (void), ())                                                  \
    X(void, curl_free, (void *p), (p))                                                   \
    X(void, curl_global_cleanup, (void), ())                                             \
    X(struct curl_slist *, curl_slist_append, (struct curl_slist * l, const char *s),    \
      (l, s))                                                                            \
    X(void, curl_slist_free_all, (struct curl_slist * l), (l))                           \
    X(const char *, curl_easy_strerror, (CURLcode c), (c))                               \
    X(CURL *, curl_easy_init, (void), ())                                                \
    X(void, curl_easy_cleanup, (CURL * h), (h))                                          \
    X(void, curl_easy_reset, (CURL * h), (h))                                            \
    X(CURLM *, curl_multi_init, (void), ())                                              \
    X(CURLMcode, curl_multi_add_handle, (CURLM * m, CURL * h), (m, h))                   \
    X(CURLMcode, curl_multi_remove_handle, (CURLM * m, CURL * h), (m, h))                \
    X(CURLMcode, curl_multi_poll,                                                        \
      (CURLM * m, struct curl_waitfd * fds, unsigned int n, int ms, int *ret),           \
      (m, fds, n, ms, ret))                                                              \
    X(CURLMcode, curl_multi_perform, (CURLM * m, int *running), (m, running))            \
    X(CURLMcode, curl_multi_cleanup, (CURLM * m), (m))                                   \
    X(CURLMsg *, curl_multi_info_read, (CURLM * m, int *left), (m, left))                \
    X(CURLU *, curl_url, (void), ())                                                     \
    X(void, curl_url_cleanup, (CURLU * u), (u))                                          \
    X(CURLUcode, curl_url_get, (CURLU * u, CURLUPart what, char **part, unsigned int f), \
      (u, what, part, f))                                                                \
    X(CURLUcode, curl_url_set,                                                           \
      (CURLU * u, CURLUPart what, const char *part, unsigned int f), (u, what, part, f))

static struct {
/* NOLINTNEXTLINE(bugprone-macro-parentheses): a declarator, not an expression */
#define X(ret, name, params, args) ret(*name) params;
    FIXED(X)
#undef X
    CURLcode (*curl_easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*curl_easy_getinfo)(CURL *, CURLINFO, ...);
    CURLMcode (*curl_multi_setopt)(CURLM *, CURLMoption, ...);
    CURLcode (*curl_global_init_mem)(long, curl_malloc_callback, curl_free_callback,
                                     curl_realloc_callback, curl_strdup_callback,
                                     curl_calloc_callback);
} lib;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_t loader;
static int loader_started;
static const char *failure; /* why libcurl is not ready; NULL when it is */
static char failure_text[160];
static struct {
    curl_malloc_callback m;
    curl_free_callback f;
    curl_realloc_callback r;
    curl_strdup_callback s;
    curl_calloc_callback c;
} mem;

static void
load(void)
{
    void *h;
    const char *missing = NULL;

    /* Never without the caller's allocator (boxlogin's wipes what it frees). */
    if (mem.m == NULL) {
        failure = "libcurl was not started";
        return;
    }
    /* Bound as the program's own libraries were: each symbol when first called. */
    h = dlopen(CURL_LOAD_SONAME, RTLD_LAZY | RTLD_LOCAL);
    if (h == NULL) {
        snprintf(failure_text, sizeof failure_text, "%s (Debian package libcurl4)",
                 dlerror());
        failure = failure_text;
        return;
    }
    /* Each function of the OpenSSL build's version, as linking would have required: a
     * libcurl.so.4 on another TLS library would take SSL_CTX_set_options on its own
     * structures. */
#define X(ret, name, params, args)                                                       \
    if ((*(void **)&lib.name = dlvsym(h, #name, CURL_LOAD_VERSION)) == NULL)             \
        missing = #name;
    FIXED(X)
    X(, curl_easy_setopt, , )
    X(, curl_easy_getinfo, , )
    X(, curl_multi_setopt, , )
    X(, curl_global_init_mem, , )
#undef X
    if (missing != NULL) {
        snprintf(failure_text, sizeof failure_text, "%s lacks %s (%s)", CURL_LOAD_SONAME,
                 missing, CURL_LOAD_VERSION);
        failure = failure_text;
    } else if (lib.curl_global_init_mem(CURL_GLOBAL_DEFAULT, mem.m, mem.f, mem.r, mem.s,
                                        mem.c) != CURLE_OK) {
        failure = "cannot initialise libcurl";
    }
}

static void *
load_thread(void *arg)
{
    (void)arg;
    pthread_once(&once, load);
    return NULL;
}

void
curl_load_start(curl_malloc_callback m, curl_free_callback f, curl_realloc_callback r,
                curl_strdup_callback s, curl_calloc_callback c, int background)
{
    sigset_t all, old;

    if (mem.m != NULL)
        return;
    mem.m = m, mem.f = f, mem.r = r, mem.s = s, mem.c = c;
    if (!background)
        return;
    /* The thread takes no signal: they are the main thread's. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    loader_started = pthread_create(&loader, NULL, load_thread, NULL) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

int
curl_load_wait(const char **why)
{
    pthread_once(&once, load);
    *why = failure;
    return failure == NULL ? 0 : -1;
}

void
curl_load_cleanup(void)
{
    const char *why;

    if (loader_started) {
        pthread_join(loader, NULL);
        loader_started = 0;
    }
    if (curl_load_wait(&why) == 0)
        lib.curl_global_cleanup();
}

/* Every call comes after curl_load_wait said yes; one that does not is a bug. */
static void
ready(void)
{
    const char *why;

    if (curl_load_wait(&why) != 0) {
        fprintf(stderr, "boxlogin: libcurl used before it was loaded: %s\n", why);
        abort();
    }
}

#define X(ret, name, params, args)                                                       \
    ret name params                                                                      \
    {                                                                                    \
        ready();                                                                         \
        return lib.name args;                                                            \
    }
FIXED(X)
#undef X

/* How libcurl reads an option's value: by the option's type (CURLOPTTYPE_*). */
enum value_kind { VALUE_LONG, VALUE_POINTER, VALUE_FUNCTION, VALUE_OFF_T };

static enum value_kind
value_kind(int option)
{
    if (option < CURLOPTTYPE_OBJECTPOINT)
        return VALUE_LONG;
    if (option >= CURLOPTTYPE_FUNCTIONPOINT && option < CURLOPTTYPE_OFF_T)
        return VALUE_FUNCTION;
    if (option >= CURLOPTTYPE_OFF_T && option < CURLOPTTYPE_BLOB)
        return VALUE_OFF_T;
    return VALUE_POINTER;
}

/* rc = call(handle, option, the next argument of ap read as option's type). */
#define FORWARD_OPTION(rc, call, handle, option, ap)                                     \
    switch (value_kind((int)(option))) {                                                 \
    case VALUE_LONG: /* NOLINT(bugprone-branch-clone): each reads its own type */        \
        (rc) = (call)((handle), (option), va_arg((ap), long));                           \
        break;                                                                           \
    case VALUE_FUNCTION:                                                                 \
        (rc) = (call)((handle), (option), va_arg((ap), void (*)(void)));                 \
        break;                                                                           \
    case VALUE_OFF_T:                                                                    \
        (rc) = (call)((handle), (option), va_arg((ap), curl_off_t));                     \
        break;                                                                           \
    default:                                                                             \
        (rc) = (call)((handle), (option), va_arg((ap), void *));                         \
        break;                                                                           \
    }

CURLcode
curl_easy_setopt(CURL *h, CURLoption option, ...)
{
    va_list ap;
    CURLcode rc;

    ready();
    va_start(ap, option);
    FORWARD_OPTION(rc, lib.curl_easy_setopt, h, option, ap)
    va_end(ap);
    return rc;
}

CURLMcode
curl_multi_setopt(CURLM *m, CURLMoption option, ...)
{
    va_list ap;
    CURLMcode rc;

    ready();
    va_start(ap, option);
    FORWARD_OPTION(rc, lib.curl_multi_setopt, m, option, ap)
    va_end(ap);
    return rc;
}

/* Every CURLINFO takes a pointer. */
CURLcode
curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
    va_list ap;
    CURLcode rc;

    ready();
    va_start(ap, info);
    rc = lib.curl_easy_getinfo(h, info, va_arg(ap, void *));
    va_end(ap);
    return rc;
}
