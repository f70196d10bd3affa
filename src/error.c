#include "error.h"
#include "i18n.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
error_set(struct bl_error *err, enum bl_kind kind, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = text_vformat(fmt, ap);
    va_end(ap);
    free(err->message);
    /* Without room for the message the failure that matters is the memory. */
    err->kind = msg != NULL ? kind : BL_INTERNAL;
    err->message = msg != NULL ? msg : strdup(_("out of memory"));
    return -1;
}

void
error_clear(struct bl_error *err)
{
    free(err->message);
    free(err->server_description);
    free(err->server_location);
    memset(err, 0, sizeof *err);
}

void
error_move(struct bl_error *dst, struct bl_error *src)
{
    error_clear(dst);
    *dst = *src;
    memset(src, 0, sizeof *src);
}

const char *
error_kind_name(enum bl_kind kind)
{
    switch (kind) {
    case BL_OK:
        return "ok";
    case BL_REJECTED:
        return "rejected";
    case BL_USAGE:
        return "usage";
    case BL_NETWORK:
        return "network";
    case BL_SERVER:
        return "server";
    case BL_CANCELLED:
        return "cancelled";
    case BL_INTERNAL:
        return "internal";
    }
    return "server";
}

const char *
error_title(enum bl_kind kind)
{
    switch (kind) {
    case BL_OK:
        return _("Logged in");
    case BL_REJECTED:
        return _("Login rejected");
    case BL_USAGE:
        return _("Configuration problem");
    case BL_NETWORK:
        return _("Network problem");
    case BL_SERVER:
        return _("Server problem");
    case BL_CANCELLED:
        return _("Cancelled");
    case BL_INTERNAL:
        /* TRANSLATORS: a failure of the machine itself: memory, threads, pipes. */
        return _("System problem");
    }
    return _("Server problem");
}

const char *
error_lookup_title(enum bl_kind kind)
{
    /* TRANSLATORS: a look-up by email (partner call) was refused; nobody logged in. */
    return kind == BL_REJECTED ? _("Lookup refused") : error_title(kind);
}

const char *
error_stored_title(enum bl_kind kind)
{
    /* TRANSLATORS: a customer key stored in the keyring was refused when an account was
     * opened with it; nobody logged in. */
    return kind == BL_REJECTED ? _("Stored key refused") : error_title(kind);
}

int
error_exit_status(enum bl_kind kind)
{
    switch (kind) {
    case BL_OK:
        return 0;
    case BL_REJECTED:
        return 1;
    case BL_USAGE:
        return 2;
    case BL_NETWORK:
        return 3;
    case BL_SERVER:
        return 4;
    case BL_CANCELLED:
        return 130;
    case BL_INTERNAL:
        return 71;
    }
    return 4;
}
