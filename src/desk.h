/*
 * The desk: the one owner of the account an agent has open. It holds the
 * customer (the session and its key), the key's keyring state, and each part
 * fetched with the key (profile, shipments of a window, one shipment) with its
 * state; it turns an opening (login, partner lookup, stored key) into the jobs
 * that follow it, and takes the results of the jobs it queued. Screens read it
 * and ask it for things; none relies on a fetch it did not ask for.
 *
 * It runs on the UI thread and never blocks: everything slow is a job
 * (src/jobs.h) on the worker.
 */
#ifndef BOXLOGIN_DESK_H
#define BOXLOGIN_DESK_H

#include "account.h"
#include "config.h"
#include "error.h"
#include "jobs.h"
#include "session.h"
#include "worker.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* How a part of the account stands. */
enum desk_state {
    DESK_IDLE,    /* not asked for */
    DESK_LOADING, /* asked for: its job is on the worker */
    DESK_READY,
    DESK_FAILED, /* error says why */
};

/* One part fetched with the key. */
struct desk_part {
    enum desk_state state;
    unsigned long seq; /* the job fetching it, while it loads */
    unsigned gen;      /* grows with every answer, so a reader sees what is new */
    char *error;       /* DESK_FAILED: the error's message */
    enum bl_kind kind; /* DESK_FAILED: its kind (BL_REJECTED: the key was refused) */
};

/* Where the key of the customer shown stands with the keyring. */
enum desk_key {
    DESK_KEY_OPENED,    /* the account was opened with the key stored there */
    DESK_KEY_SAVING,    /* being stored */
    DESK_KEY_SAVED,     /* stored */
    DESK_KEY_NOT_SAVED, /* not stored: key_note says why */
    DESK_KEY_FORGOTTEN, /* the agent forgot it (f): the keyring holds none */
};

/* What a result changed (bits of desk_news.changed). */
#define DESK_OPENED    1u   /* the opening seq answered with a session: it is shown now */
#define DESK_FAILED_TO 2u   /* the opening seq answered with a failure: open_err */
#define DESK_PROFILE   4u   /* the profile part answered */
#define DESK_SHIPMENTS 8u   /* the shipments part answered */
#define DESK_SHIPMENT  16u  /* the shipment part answered */
#define DESK_KEY       32u  /* the key's keyring state changed */
#define DESK_SAY       64u  /* a line for the status line: say (bad: an error) */
#define DESK_CHANGED   128u /* the change on its way answered: desk.change */

/* What a result changed, for the UI to redraw and say. */
struct desk_news {
    unsigned changed;  /* DESK_* bits */
    unsigned long seq; /* DESK_OPENED, DESK_FAILED_TO: the opening */
    int bad;           /* DESK_SAY: the line is an error */
    char say[512];     /* DESK_SAY */
};

/* The change the agent confirmed (desk_change), and how it ended. */
struct desk_change {
    unsigned long seq;      /* its job, while it runs; 0: none */
    unsigned long note_seq; /* the "cancelled" history line of one that was not sent */
    int answered;           /* it ended: what follows says how */
    int sent;               /* its write went out (else err says why not) */
    enum change_outcome outcome;
    int verified;
    char *message;       /* what happened, in words, or NULL */
    struct bl_error err; /* a write that was never sent */
    /* What its "cancelled" line needs if it is stopped: never the password. */
    struct change_request noted;
    struct change_plan plan;
};

/* The account open at the desk. Screens read it; only desk_* functions change it. */
struct desk {
    struct worker *worker;
    const struct bl_config *cfg;

    unsigned long opening;    /* the opening on the worker, or 0 */
    int opening_stored;       /* it opens with the stored key */
    struct bl_error open_err; /* why the last opening failed */

    struct bl_session *session; /* the customer shown, or NULL */
    unsigned long session_seq;  /* the job that opened it */
    unsigned long first_fetch;  /* the job fetching what the opening shows: a later
                                   window queues behind it; it goes with the account */
    enum desk_key key;
    char *key_note;        /* DESK_KEY_NOT_SAVED: why */
    unsigned long key_seq; /* storing the key, while it runs */
    unsigned long forget_seq;

    struct desk_part profile, shipments, shipment;
    struct account_profile *profile_data;   /* DESK_READY */
    struct account_shipments *list;         /* the last window that answered, or NULL */
    char list_from[11], list_to[11];        /* its window */
    char asked_from[11], asked_to[11];      /* the window asked for last */
    struct account_shipment *shipment_data; /* DESK_READY */
    uint64_t awb;                           /* the shipment asked for */
    struct timespec profile_at;             /* when the profile answered (monotonic) */
    struct desk_change change;
};

/* Starts an empty desk that queues its jobs on w. */
void desk_init(struct desk *d, struct worker *w, const struct bl_config *cfg);

/* Closes the account (desk_close) and frees what the desk holds. */
void desk_free(struct desk *d);

/*
 * Opens an account: a login (takes email and the secmem password of len bytes),
 * a partner lookup (takes email), or the account stored for email (copied).
 * What was open is closed once the new one answers. Returns the opening's job
 * number, or 0 with err when it could not be queued.
 */
unsigned long desk_login(struct desk *d, char *email, char *password, size_t len,
                         struct bl_error *err);
unsigned long desk_lookup(struct desk *d, char *email, struct bl_error *err);
unsigned long desk_open_stored(struct desk *d, const char *email, struct bl_error *err);

/* Esc on an opening: 1 when it is cancelled (it answers nothing), 0 when too late. */
int desk_cancel_opening(struct desk *d);

/* Wipes the customer and everything fetched with the key, cancelling what is still on
 * its way (n, a new lookup). */
void desk_close(struct desk *d);

/* Whether job seq is one of the desk's. */
int desk_owns(const struct desk *d, unsigned long seq);

/* Takes a result of one of the desk's jobs (desk_owns) and says in *news what changed;
 * the caller still frees r. */
void desk_take(struct desk *d, struct job_result *r, struct desk_news *news);

/* Asks again for the profile (r on the Profile tab). Returns 0, or -1 with err. */
int desk_fetch_profile(struct desk *d, struct bl_error *err);

/* Asks for the shipments of from .. to (YYYY-MM-DD), instead of any window still on its
 * way. Returns 0, or -1 with err. */
int desk_fetch_shipments(struct desk *d, const char *from, const char *to,
                         struct bl_error *err);

/* Asks for shipment awb, unless it is the one there or on its way. Returns 0, or -1. */
int desk_fetch_shipment(struct desk *d, uint64_t awb, struct bl_error *err);

/* The shipment is no longer looked at: a request for it still on its way is cancelled. */
void desk_leave_shipment(struct desk *d);

/* Whether the server refused the key shown: a part's call was rejected. */
int desk_key_refused(const struct desk *d);

/* Forgets the stored key of the customer shown (f). Returns 0, or -1 with err (the
 * keyring is off). */
int desk_forget(struct desk *d, struct bl_error *err);

/* Whether the profile shown answered less than 60 s ago: a change plans from it. */
int desk_profile_fresh(const struct desk *d);

/* Reads the profile again for a change, noted nowhere. Returns 0, or -1 with err. */
int desk_refresh_profile(struct desk *d, struct bl_error *err);

/*
 * Runs the change rq (taken) of plan for the customer shown, with the desk's key: its
 * job writes once, reads back and notes it (job_change); the answer updates the session
 * and profile (and, after an email change, the email and key) and says DESK_CHANGED.
 * Returns 0, or -1 with err.
 */
int desk_change(struct desk *d, struct change_request *rq, const struct change_plan *plan,
                struct bl_error *err);

/* Esc while the change runs: 1 when it is stopped before its write (nothing sent; noted
 * as cancelled), 0 when too late (the write was sent: its answer will come). */
int desk_change_cancel(struct desk *d);

/* A change declined on its review: only its "cancelled" history line (rq is copied
 * without its password). */
void desk_change_declined(struct desk *d, const struct change_request *rq,
                          const struct change_plan *plan);

/* Whether a change, or its history line, is still on the worker. */
int desk_change_busy(const struct desk *d);

/* Forgets how the last change ended. */
void desk_change_forget(struct desk *d);

#endif
