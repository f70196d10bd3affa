/* Reading a secret or a value: one line from a file descriptor, or a no-echo terminal
 * prompt. */
#ifndef BOXLOGIN_PROMPT_H
#define BOXLOGIN_PROMPT_H

#include "error.h"

#include <stddef.h>

#define PROMPT_MAX_SECRET 1024

/*
 * Reads one line (without its line ending) from fd into a new secmem buffer
 * stored in *out (the caller wipes and frees it with secmem_free) and its
 * length in *len. what names the value in messages ("password", "app_key").
 * Returns 0, or -1 with a usage error ("empty app_key", too long, nothing to
 * read, a NUL byte), BL_CANCELLED when a signal interrupted the read, or BL_INTERNAL.
 */
int prompt_read_line(int fd, const char *what, char **out, size_t *len,
                     struct bl_error *err);

/*
 * Shows prompt on the controlling terminal and reads a line with echo off,
 * restoring the terminal however it ends. Same contract as prompt_read_line.
 */
int prompt_secret(const char *prompt, const char *what, char **out, size_t *len,
                  struct bl_error *err);

#endif
