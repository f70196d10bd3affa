/*
 * The jobs the worker runs for the UI, and their results. Each job is one step
 * of the account's work — a login, a lookup, opening a stored account, fetching
 * parts of an account, storing or forgetting a key, listing the stored
 * accounts, resolving the credentials — and calls the module that does it (the
 * API client, the keyring, the history). What follows a step is decided by
 * whoever queued it (src/desk.c for the account), never here.
 */
#ifndef BOXLOGIN_JOBS_H
#define BOXLOGIN_JOBS_H

#include "account.h"
#include "change.h"
#include "config.h"
#include "api.h"
#include "error.h"
#include "session.h"
#include "worker.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct place_list; /* src/places.h */

enum job_result_kind {
    JOB_OPENED,      /* a login, lookup or stored account: u.session, or err */
    JOB_PROFILE,     /* u.profile, or err */
    JOB_SHIPMENTS,   /* u.shipments, or err */
    JOB_SHIPMENT,    /* u.shipment, or err */
    JOB_KEY_STORED,  /* the key reached the keyring, or err says why not */
    JOB_FORGOT,      /* u.forgot items removed, or err */
    JOB_LISTED,      /* u.list, the stored keys then recent emails */
    JOB_CREDENTIALS, /* the credentials step ran: u.note (or NULL), or err */
    JOB_NOTE,        /* u.note, a warning: the history cannot be written (seq 0) */
    JOB_CHANGED,     /* a change ran: u.changed; err when its write was never sent */
    JOB_PLACES,      /* u.places, a places list, or err */
};

/* An account the stored-accounts list offers. */
struct job_account {
    char *email;     /* normalised */
    uint64_t box_id; /* with a stored key; 0 for a recent email without one */
    int stored;
    char last[32]; /* when it was last looked up in this environment (the history's time,
                      ISO 8601 UTC), or "" when the history does not have it */
};

/* One answer to the UI; its kind says which member of u is set. Freed (the session and
 * key wiped) with job_result_free; a receiver takes a member by setting it to NULL. */
struct job_result {
    struct job_result *next; /* the worker's queue */
    unsigned long seq;       /* the job it answers */
    enum job_result_kind kind;
    struct bl_error err; /* the failure, or BL_OK */
    union {
        struct bl_session *session;      /* JOB_OPENED */
        struct account_profile *profile; /* JOB_PROFILE */
        struct {
            struct account_shipments *list;
            char from[11], to[11]; /* the window, YYYY-MM-DD */
        } shipments;               /* JOB_SHIPMENTS */
        struct {
            struct account_shipment *shipment;
            uint64_t awb;
        } shipment; /* JOB_SHIPMENT */
        int forgot; /* JOB_FORGOT */
        struct {
            struct job_account *accounts;
            size_t n;
            char *note; /* why no stored keys could be listed, or NULL */
        } list;         /* JOB_LISTED */
        char *note;     /* JOB_CREDENTIALS, JOB_NOTE */
        struct {
            enum change_outcome outcome;
            int noted_only;                /* only its "cancelled" history line */
            int verified;                  /* 1, 0, -1 not read back */
            char *message;                 /* what happened, in words, or NULL */
            char *warning;                 /* a keyring or history problem, or NULL */
            struct account_profile *after; /* the profile read back, or NULL */
            char *new_email;               /* an email change that moved the key */
            char *new_key;                 /* its new key (secmem), or NULL */
            int key_stored;                /* the keyring holds new_key */
        } changed;                         /* JOB_CHANGED */
        struct {
            enum api_call call; /* API_COUNTRIES, API_STATES or API_CITIES */
            uint64_t parent;    /* the country or state it lists; 0 for the countries */
            /* the places cache's (src/places.h): lasts until places_cache_clear, never
               freed here */
            const struct place_list *list;
        } places; /* JOB_PLACES */
    } u;
};

void job_result_free(struct job_result *r);

/*
 * Each queues one job numbered seq (from worker_seq) and returns 0, or -1 with
 * err when it could not be queued (nothing was sent). Strings are copied,
 * except those documented as taken.
 */

/* A login: takes email (trimmed, as typed) and password (a secmem buffer of len bytes,
 * wiped once the request is done). Answers JOB_OPENED; notes the login in the history. */
int job_login(struct worker *w, unsigned long seq, char *email, char *password,
              size_t len, struct bl_error *err);

/* A partner lookup of email (taken: trimmed, as typed): JOB_OPENED, noted as a lookup. */
int job_lookup(struct worker *w, unsigned long seq, char *email, struct bl_error *err);

/*
 * Opens the account stored for email (normalised) with its stored key: the
 * profile and the default window of shipments at once, the profile standing in
 * for the login. Answers JOB_OPENED (a session made from the profile, or why
 * not), then JOB_PROFILE and JOB_SHIPMENTS; noted as "stored".
 */
int job_open_stored(struct worker *w, unsigned long seq, const char *email,
                    struct bl_error *err);

/* What of an account to fetch (bits). */
#define FETCH_PROFILE   1u
#define FETCH_SHIPMENTS 2u
#define FETCH_SHIPMENT  4u

/* Whose account, and which part of it. */
struct job_fetch {
    unsigned what;     /* FETCH_* bits; the calls go at once */
    const char *email; /* normalised; names the customer in messages */
    uint64_t box_id;
    const char *customer_key; /* the secret the calls are made with */
    const char *from, *to;    /* FETCH_SHIPMENTS: YYYY-MM-DD */
    uint64_t awb;             /* FETCH_SHIPMENT */
    int noted;                /* the agent asked for it: each part goes to the history */
};

/* Fetches parts of an account in parallel: each answers as its own JOB_PROFILE,
 * JOB_SHIPMENTS or JOB_SHIPMENT as soon as it comes. */
int job_fetch(struct worker *w, unsigned long seq, const struct job_fetch *f,
              struct bl_error *err);

/* Stores the key of s in the keyring (unless --no-keyring): JOB_KEY_STORED. */
int job_store_key(struct worker *w, unsigned long seq, const struct bl_session *s,
                  struct bl_error *err);

/* Forgets the key stored for email (lower-cased) in the environment: JOB_FORGOT. */
int job_forget(struct worker *w, unsigned long seq, const char *email,
               struct bl_error *err);

/* Lists the stored keys of the environment and the recent emails: JOB_LISTED. */
int job_list(struct worker *w, unsigned long seq, struct bl_error *err);

/* A change of the customer email (normalised) / box_id made with customer_key. */
struct job_change {
    const char *email;
    uint64_t box_id;
    const char *customer_key;
    struct change_request *rq;      /* taken: zeroed on return */
    const struct change_plan *plan; /* copied */
    int noted_only; /* declined or cancelled: only its "cancelled" history line */
    struct timespec planned_at; /* when the plan's profile was read (monotonic) */
};

/*
 * Runs a confirmed change (src/change_flow.h): the point of no return, then the write
 * sent once, its outcome and read back, the keyring item moved after an email change,
 * and its history line; answers JOB_CHANGED. Cancelled before the write, it sends and
 * answers nothing (the desk notes it with a noted_only job).
 */
int job_change(struct worker *w, unsigned long seq, const struct job_change *c,
               struct bl_error *err);

/* The places list of call (API_COUNTRIES, API_STATES or API_CITIES) for parent (0, a
 * country's or a state's code) through the process's cache (places_get): one call the
 * first time, none after. Answers JOB_PLACES. */
int job_places(struct worker *w, unsigned long seq, enum api_call call, uint64_t parent,
               struct bl_error *err);

/* Resolves the credentials (keyring included) into the worker's settings:
 * JOB_CREDENTIALS. */
int job_credentials(struct worker *w, unsigned long seq,
                    const struct config_sources *sources, struct bl_error *err);

#endif
