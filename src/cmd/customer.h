/* The customer profile, shipments and track are about: the key stored for the EMAIL of
 * the command line, or a login's when none serves; and the calls made with it. */
#ifndef BOXLOGIN_CMD_CUSTOMER_H
#define BOXLOGIN_CMD_CUSTOMER_H

#include "cmd.h"

#include <stdint.h>

/* Whom the account calls are about, and with which key; freed with customer_clear. */
struct customer {
    char *email;        /* trimmed, as typed */
    char *email_key;    /* normalised: shown, stored, looked up */
    char *customer_key; /* secmem */
    uint64_t box_id;
    int from_keyring; /* the stored key: it may be refused, and then a login helps */
};

/* Frees what c holds and zeroes it. */
void customer_clear(struct customer *c);

/*
 * Fills *c for the EMAIL operand (what names it in messages): the stored key and
 * box ID, or, when none serves and a password can be had, those of a login first.
 * Returns 0, or -1 with err.
 */
int customer_open(const struct cli *cli, struct cmd_run *run, const char *what,
                  struct customer *c, struct bl_error *err);

/* Decodes the reply to one account call into *out; returns 0 or -1 with err. */
typedef int (*customer_decode_fn)(const struct api_reply *reply, const struct customer *c,
                                  uint64_t awb, void **out, struct bl_error *err);

/*
 * Sends rq with c's box ID and key and decodes the answer into *out (the caller's,
 * freed as decode's type is). A stored key that is refused (profile, shipments: only
 * they can tell) is replaced once by a login's, when a password can be had. Returns 0,
 * or -1 with err.
 */
int customer_call(const struct cli *cli, struct cmd_run *run, struct customer *c,
                  struct api_request rq, customer_decode_fn decode, void **out,
                  struct bl_error *err);

#endif
