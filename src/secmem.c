#include "secmem.h"

#include <cjson/cJSON.h>
#include <malloc.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

void *
secmem_malloc(size_t size)
{
    return malloc(size);
}

void *
secmem_calloc(size_t nmemb, size_t size)
{
    return calloc(nmemb, size);
}

void
secmem_free(void *p)
{
    if (p == NULL)
        return;
    explicit_bzero(p, malloc_usable_size(p));
    free(p);
}

/* realloc may move the block and leave the old copy behind: move it ourselves. */
void *
secmem_realloc(void *p, size_t size)
{
    size_t old;
    void *n;

    if (p == NULL)
        return malloc(size);
    if (size == 0) {
        secmem_free(p);
        return NULL;
    }
    old = malloc_usable_size(p);
    if (size <= old)
        return p;
    n = malloc(size);
    if (n == NULL)
        return NULL;
    memcpy(n, p, old);
    secmem_free(p);
    return n;
}

char *
secmem_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);

    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

void
secmem_init(void)
{
    cJSON_Hooks hooks = {.malloc_fn = secmem_malloc, .free_fn = secmem_free};

    cJSON_InitHooks(&hooks);
}

int
secmem_no_core_dumps(void)
{
    struct rlimit rl = {0, 0};
    int rc = setrlimit(RLIMIT_CORE, &rl);

    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        rc = -1;
    return rc;
}
