/* The worker thread: all network and keyring work, off the UI thread. */
#ifndef BOXLOGIN_WORKER_H
#define BOXLOGIN_WORKER_H

#include "account.h"
#include "config.h"
#include "error.h"
#include "session.h"

#include <stddef.h>

struct worker;

enum worker_result_kind {
    RESULT_LOGIN,     /* session or err */
    RESULT_KEY,       /* the customer key of login seq was stored, or why not (err) */
    RESULT_FORGET,    /* forgot (count), or why not (err) */
    RESULT_CONFIG,    /* the credentials step ran: ok (with a note or none) or err */
    RESULT_NOTE,      /* a warning to show (note): the history cannot be written */
    RESULT_PROFILE,   /* profile, or err */
    RESULT_SHIPMENTS, /* shipments of the window from .. to, or err */
    RESULT_SHIPMENT,  /* shipment awb, or err */
    RESULT_LIST, /* accounts: the stored keys, then recent emails (note: why no keys) */
};

/* An account the stored-accounts list offers. */
struct worker_account {
    char *email;     /* normalised */
    uint64_t box_id; /* with a stored key; 0 for a recent email without one */
    int stored;
};

/* One answer to the UI. Freed (the session and key wiped) with worker_result_free. */
struct worker_result {
    enum worker_result_kind kind;
    unsigned long seq;          /* the job it answers */
    struct bl_session *session; /* RESULT_LOGIN on success; the receiver takes it */
    struct bl_error err;        /* the failure: RESULT_LOGIN, or any result when !ok */
    int ok;     /* RESULT_KEY: stored; RESULT_FORGET, RESULT_CONFIG: no error */
    int count;  /* RESULT_FORGET: items removed */
    char *note; /* RESULT_CONFIG: a line to show (generic credentials), or NULL */
    struct account_profile *profile;     /* RESULT_PROFILE; the receiver takes it */
    struct account_shipments *shipments; /* RESULT_SHIPMENTS; the receiver takes it */
    struct account_shipment *shipment;   /* RESULT_SHIPMENT; the receiver takes it */
    char from[11], to[11];               /* RESULT_SHIPMENTS: the window, YYYY-MM-DD */
    uint64_t awb;                        /* RESULT_SHIPMENT */
    struct worker_account *accounts;     /* RESULT_LIST; the receiver may take it */
    size_t n_accounts;
    struct worker_result *next;
};

/*
 * Starts the thread with its own copies of cfg and sources. Block the signals
 * the UI handles before calling: the thread inherits the mask. With sources
 * (not NULL) the thread's first work is the credentials step
 * (config_credentials, keyring included), and it answers RESULT_CONFIG (seq 0);
 * without, cfg must hold the credentials. Returns NULL with err.
 */
struct worker *worker_start(const struct bl_config *cfg,
                            const struct config_sources *sources, struct bl_error *err);

/* Cancels what runs, stops and joins the thread, frees everything (wiping secrets). */
void worker_stop(struct worker *w);

/* A file descriptor that becomes readable when results are waiting. */
int worker_fd(const struct worker *w);

/*
 * Queues a login. seq must grow from call to call. The worker takes email
 * (trimmed, as typed) and password (a secmem buffer of len bytes, which it
 * wipes and frees once the request is done). After a session it stores the
 * key in the keyring (unless --no-keyring) and answers RESULT_KEY.
 */
void worker_login(struct worker *w, unsigned long seq, char *email, char *password,
                  size_t len);

/*
 * The login form is up (up = 1) or gone (0). While it is up the worker keeps
 * the connection to the API warm (unless prewarm is off): it opens it now if
 * it is cold or has been idle for long, so that the login costs one round trip.
 */
void worker_form_up(struct worker *w, int up);

/* The agent is typing into the form: warm the connection again if it went stale. */
void worker_typing(struct worker *w);

/*
 * Cancels job seq if it has not yet shown anything: a queued job is dropped
 * (never sent), a running one stopped at once, and neither answers, stores or
 * sends anything after this. Returns 1 then, or 0 when it is too late (the
 * answer is on its way to the UI and will arrive). Thread-safe.
 */
int worker_cancel(struct worker *w, unsigned long seq);

/*
 * As worker_cancel, for Esc while a login, lookup or stored account is opening:
 * once its session is posted that login is too late to cancel (it arrives next and
 * is shown), even though the calls the job goes on to make can still be cancelled
 * by worker_cancel (n, a new lookup).
 */
int worker_cancel_login(struct worker *w, unsigned long seq);

/* What of an account to fetch (bits). */
#define FETCH_PROFILE   1u
#define FETCH_SHIPMENTS 2u
#define FETCH_SHIPMENT  4u

/* Whose account, and which part of it. Strings are copied by worker_fetch. */
struct worker_fetch {
    unsigned what;     /* FETCH_* bits; profile and shipments go at once */
    const char *email; /* normalised; names the customer in messages */
    uint64_t box_id;
    const char *customer_key; /* the secret the calls are made with */
    const char *from, *to;    /* FETCH_SHIPMENTS: YYYY-MM-DD */
    uint64_t awb;             /* FETCH_SHIPMENT */
};

/*
 * Queues fetching parts of an account, in parallel: each part answers as its
 * own RESULT_PROFILE, RESULT_SHIPMENTS or RESULT_SHIPMENT, numbered seq.
 * worker_cancel(seq) stops them. After a login's session the worker fetches
 * the profile and the shipments of the default window on its own, numbered
 * as the login.
 */
void worker_fetch(struct worker *w, unsigned long seq, const struct worker_fetch *f);

/*
 * Queues a partner lookup of email (trimmed, as typed; the worker takes it):
 * answered like a login (RESULT_LOGIN, the key stored, the profile and the
 * shipments fetched), without a password.
 */
void worker_lookup(struct worker *w, unsigned long seq, char *email);

/*
 * Queues opening the account stored for email (normalised) with its stored
 * key: RESULT_LOGIN (a session made from the profile, or why not: no stored
 * key, a key no longer accepted), then RESULT_PROFILE and RESULT_SHIPMENTS.
 */
void worker_open_stored(struct worker *w, unsigned long seq, const char *email);

/* Queues listing the stored keys of the environment and the recent emails (RESULT_LIST).
 */
void worker_list(struct worker *w, unsigned long seq);

/* Queues forgetting the stored key of email (lower-cased) in the configured environment.
 */
void worker_forget(struct worker *w, unsigned long seq, const char *email);

/* Takes the oldest waiting result, or NULL; the caller frees it with worker_result_free.
 */
struct worker_result *worker_take(struct worker *w);

void worker_result_free(struct worker_result *r);

#endif
