/* Memory that may hold secrets: wiping allocators, locked buffers, no core dumps. */
#ifndef BOXLOGIN_SECMEM_H
#define BOXLOGIN_SECMEM_H

#include <stddef.h>

/*
 * Allocator functions whose free and realloc wipe the old block first
 * (explicit_bzero over malloc_usable_size), for libraries that copy secrets:
 * cJSON (installed by secmem_init) and libcurl (through curl_global_init_mem).
 */
void *secmem_malloc(size_t size);
void *secmem_calloc(size_t nmemb, size_t size);
void *secmem_realloc(void *p, size_t size);
char *secmem_strdup(const char *s);
void secmem_free(void *p);

/* Installs the wiping allocator into cJSON; call once in main before any thread. */
void secmem_init(void);

/* Sets RLIMIT_CORE to 0 and marks the process not dumpable; returns 0 or -1. */
int secmem_no_core_dumps(void);

#endif
