/*
 * The steps of a change that talk to the API and the keyring, shared by the commands
 * (src/cmd/change_run.c) and the UI's change job (src/jobs.c): the profile read, the
 * write sent once, its outcome (the reply decoded, the read back, the keyring item moved
 * after an email change) and the history line. Nothing here prints: what is to be said
 * comes back in words (message, warning).
 */
#ifndef BOXLOGIN_CHANGE_FLOW_H
#define BOXLOGIN_CHANGE_FLOW_H

#include "account.h"
#include "api.h"
#include "change.h"
#include "config.h"
#include "error.h"

#include <stdint.h>
#include <time.h>

/* An address plan made from a profile older than this is made again before its write:
 * its write replaces every phone, and one added meanwhile would go. */
#define CHANGE_FLOW_STALE_MS 5000

/* One change after its plan; the caller fills the first part, change_flow_clear frees
 * what it owns. */
struct change_flow {
    struct api *api;
    const struct bl_config *cfg;
    const struct change_request *rq;
    const struct change_plan *plan;
    const char *email_key; /* the current email, normalised */
    uint64_t box_id;
    char *key; /* secmem, owned: the key in use (the new one after an email move) */
    unsigned long seq; /* the calls' number (api_cancel) */
    int seq_steps;     /* each call takes the next number (the commands) */
    /* A cancel of the write once it was handed to its connection waits for its reply
     * (the commands: a signal); else it ends the write, its outcome unknown. */
    int hold_write;
    /* When the profile the plan came from was read (CLOCK_MONOTONIC); zero: unknown. */
    struct timespec planned_at;
    /* Whether the read back is to be skipped (a signal came); NULL: never. */
    int (*stopped)(void);

    /* What came of it. */
    enum change_outcome outcome;
    int verified;  /* 1, 0, -1 not read back */
    char *message; /* what happened, in words; NULL when applied cleanly */
    struct account_profile *after; /* the profile read back, or NULL */
    int key_moved;                 /* an email change: key now is the new key */
    int key_stored;                /* the keyring holds key (after a move: the new one) */
    char *warning; /* a keyring or history problem to pass on (one line), or NULL */
};

/* Reads the profile with f's key, expecting email, into *out (no history, nothing
 * stored). Returns 0, or -1 with err. */
int change_flow_read_profile(struct change_flow *f, const char *email,
                             struct account_profile **out, struct bl_error *err);

/*
 * Before the write of an address change whose plan came from a profile older than
 * CHANGE_FLOW_STALE_MS: reads the profile again (storing and noting nothing) and plans
 * again. Returns 0 when the plan stands (or for any other kind: no read), 1 when the
 * new plan differs from f's (f->message says so: nothing is to be sent), or -1 with err
 * when the profile could not be read.
 */
int change_flow_recheck(struct change_flow *f, struct bl_error *err);

/* Sends the write of f's plan, once (api_send's guard: never retried). */
void change_flow_write(struct change_flow *f, struct api_reply *reply);

/*
 * After the write answered, or not: decides f->outcome (reply decoded; an email change's
 * new key stored under the new email, then the old item deleted; the read back, or for
 * a password a login with it that stores nothing) and f->message. Returns 0, or -1 with
 * err only for a write that was certainly never sent.
 */
int change_flow_settle(struct change_flow *f, struct api_reply *reply,
                       struct bl_error *err);

/* Notes the change in the history (unless it is off) with outcome, a word of
 * change_outcome_name or "cancelled", "network", ...; a failure sets f->warning. */
void change_flow_remember(struct change_flow *f, const char *outcome);

/* Copies plan into out (its strings too, and an address's element and every phone that
 * its write sends); returns 0, or -1 without memory (out then empty). */
int change_flow_plan_copy(struct change_plan *out, const struct change_plan *plan);

/* Frees what f owns (wiping the key) and zeroes those members. */
void change_flow_clear(struct change_flow *f);

#endif
