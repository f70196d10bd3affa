#include "worker.h"
#include "api.h"
#include "history.h"
#include "i18n.h"
#include "keyring.h"
#include "log.h"
#include "secmem.h"
#include "text.h"
#include "value.h"

#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

/* libcurl drops connections idle for 118 s (CURLOPT_MAXAGE_CONN): warm up before that. */
#define REWARM_MS 100000.0

enum job_kind {
    JOB_LOGIN,
    JOB_FORGET,
    JOB_PREWARM,
    JOB_FETCH,
    JOB_LOOKUP,
    JOB_OPEN_STORED,
    JOB_LIST,
};

struct job {
    enum job_kind kind;
    unsigned long seq;
    char *email;
    char *password; /* secmem */
    size_t password_len;
    unsigned fetch;     /* JOB_FETCH: FETCH_* bits */
    uint64_t box_id;    /* JOB_FETCH */
    char *customer_key; /* JOB_FETCH: secmem */
    char from[11], to[11];
    uint64_t awb;
    int noted; /* JOB_FETCH: the agent asked for it: it goes to the history */
    struct job *next;
};

struct worker {
    struct bl_config cfg;
    struct config_sources sources; /* for the credentials step, until it has run */
    int credentials_step;          /* the thread's first work is config_credentials */
    int history_warned;            /* the UI was told the history cannot be written */
    struct api *api;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct job *jobs, **jobs_tail;
    struct worker_result *results, **results_tail;
    int quit;
    int event_fd;

    /* The job being run, and what the UI said of it meanwhile (under lock). */
    struct job *running;
    int running_cancelled; /* it must not send, store or answer anything more */
    int running_committed; /* its answer is on the way: too late to cancel */
    int running_answered;  /* its login is posted: too late to cancel that login */

    /* Keeping the connection warm (under lock). */
    int form_up;              /* the UI shows the login form */
    int warm_queued;          /* a warm-up is queued or running */
    int net_used;             /* a transfer has been made */
    struct timespec last_net; /* when the last transfer ended */
};

static void
job_free(struct job *j)
{
    if (j == NULL)
        return;
    free(j->email);
    secmem_free(j->password);
    secmem_free(j->customer_key);
    free(j);
}

void
worker_result_free(struct worker_result *r)
{
    if (r == NULL)
        return;
    session_free(r->session);
    for (size_t i = 0; i < r->n_accounts; i++)
        free(r->accounts[i].email);
    free(r->accounts);
    account_profile_free(r->profile);
    account_shipments_free(r->shipments);
    account_shipment_free(r->shipment);
    error_clear(&r->err);
    free(r->note);
    free(r);
}

/* How post_as queues a result. */
enum post_how {
    POST_ANYWAY,
    POST_UNLESS_CANCELLED, /* dropped (and freed) when the job was cancelled; -1 */
    POST_LOGIN, /* the job's login: from now on that login cannot be cancelled, while
                   what the job goes on to fetch can again */
};

/* Queues r for the UI, as how says, in one critical section with the check of a
 * cancel; returns 0, or -1 when r was dropped. */
static int
post_as(struct worker *w, struct worker_result *r, enum post_how how)
{
    uint64_t one = 1;
    ssize_t ignored;

    pthread_mutex_lock(&w->lock);
    if (how == POST_UNLESS_CANCELLED && w->running_cancelled) {
        pthread_mutex_unlock(&w->lock);
        worker_result_free(r);
        return -1;
    }
    if (how == POST_LOGIN) {
        w->running_answered = 1;
        w->running_committed = 0;
    }
    r->next = NULL;
    *w->results_tail = r;
    w->results_tail = &r->next;
    pthread_mutex_unlock(&w->lock);
    ignored = write(w->event_fd, &one, sizeof one);
    (void)ignored;
    return 0;
}

static void
post(struct worker *w, struct worker_result *r)
{
    post_as(w, r, POST_ANYWAY);
}

static struct worker_result *
new_result(enum worker_result_kind kind, unsigned long seq)
{
    struct worker_result *r = calloc(1, sizeof *r);

    if (r != NULL) {
        r->kind = kind;
        r->seq = seq;
    }
    return r;
}

/* Saves the key from keep, a copy the worker owns: the UI may already have freed the
 * session. */
static void
store_key(struct worker *w, unsigned long seq, const struct bl_session *keep)
{
    struct worker_result *r = new_result(RESULT_KEY, seq);

    if (r == NULL)
        return;
    r->ok = keyring_save_session(keep, &w->cfg, &r->err) == 0;
    post(w, r);
}

#ifdef BOXLOGIN_TEST_HOOKS
/*
 * Test builds only (make's build/tests/boxlogin-hooks): holds the worker at point for
 * the milliseconds BOXLOGIN_TEST_PAUSE gives ("after-reply=1500"), so that a test can
 * land an Esc exactly there.
 */
static void
pause_for_test(const char *point)
{
    const char *v = getenv("BOXLOGIN_TEST_PAUSE");
    size_t n = strlen(point);

    if (v != NULL && strncmp(v, point, n) == 0 && v[n] == '=') {
        long ms = strtol(v + n + 1, NULL, 10);
        struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000L};

        log_msg("test pause at %s for %ld ms", point, ms);
        nanosleep(&ts, NULL);
    }
}
#else
#define pause_for_test(point) ((void)0)
#endif

/*
 * The point of no return of a job: from here on its answer goes to the UI and
 * worker_cancel says "too late". Returns 0, or -1 when the job was cancelled
 * before (then it must send, store and answer nothing).
 */
static int
commit(struct worker *w)
{
    int cancelled;

    pthread_mutex_lock(&w->lock);
    cancelled = w->running_cancelled;
    w->running_committed = !cancelled;
    pthread_mutex_unlock(&w->lock);
    return cancelled ? -1 : 0;
}

static void
note_network(struct worker *w)
{
    pthread_mutex_lock(&w->lock);
    w->net_used = 1;
    clock_gettime(CLOCK_MONOTONIC, &w->last_net);
    pthread_mutex_unlock(&w->lock);
}

static double
ms_since(const struct timespec *t)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) * 1e3 +
           (double)(now.tv_nsec - t->tv_nsec) / 1e6;
}

/*
 * Adds a lookup to the history (unless it is off). A failure is a warning, never a
 * failed lookup: the log has each, and the UI is told once (RESULT_NOTE).
 */
static void
remember(struct worker *w, enum history_action action, const char *email, uint64_t box_id,
         enum bl_kind outcome)
{
    struct bl_error err = {0};
    struct worker_result *r;

    struct timespec start;
    int rc;

    if (!w->cfg.history)
        return;
    clock_gettime(CLOCK_MONOTONIC, &start);
    rc = history_record(w->cfg.env, action, email, box_id, outcome, &err);
    /* In this thread, never the UI's: `make bench` reports the time from this line. */
    log_msg("history: %s noted in %.2f ms", history_action_name(action),
            ms_since(&start));
    if (rc != 0) {
        log_msg("history not written: %s", err.message);
        if (!w->history_warned && (r = new_result(RESULT_NOTE, 0)) != NULL) {
            w->history_warned = 1;
            /* TRANSLATORS: %s is why the history could not be written. */
            if (asprintf(&r->note, _("Warning: the lookup is not in the history: %s"),
                         err.message) < 0)
                r->note = NULL;
            post(w, r);
        }
    }
    error_clear(&err);
}

/*
 * A fetch of the parts of an account that a job asks for: the calls go at once,
 * and each answer is decoded and handed to arrived as soon as it comes, so a slow
 * list of shipments holds nothing else back.
 */
struct fetch {
    struct worker *w;
    const struct job *j;
    struct worker_result *r[3]; /* by request: profile, shipments, shipment */
    void (*arrived)(struct fetch *f, struct worker_result *r);
    /* run_open_stored's: the login made from the profile, and what waits for it */
    struct worker_result *login;
    struct worker_result *held;
    int login_done, dropped;
};

/* Decodes the reply to request k into its result and hands that over. */
static void
decode_part(void *ctx, size_t k, struct api_reply *reply)
{
    struct fetch *f = ctx;
    const struct job *j = f->j;
    struct worker_result *r = f->r[k];

    f->r[k] = NULL;
    if (reply->err.kind != BL_OK) {
        error_move(&r->err, &reply->err);
    } else if (r->kind == RESULT_PROFILE) {
        account_profile_decode(reply->status, reply->body, reply->len, j->email,
                               &r->profile, &r->err);
    } else if (r->kind == RESULT_SHIPMENTS) {
        account_shipments_decode(reply->status, reply->body, reply->len, j->email,
                                 &r->shipments, &r->err);
        memcpy(r->from, j->from, sizeof r->from);
        memcpy(r->to, j->to, sizeof r->to);
    } else {
        r->awb = j->awb;
        account_shipment_decode(reply->status, reply->body, reply->len, j->email, j->awb,
                                &r->shipment, &r->err);
    }
    api_reply_clear(reply);
    f->arrived(f, r);
}

/* Sends the calls of f's job and hands each answer to f->arrived as it comes. */
static void
fetch_parts(struct fetch *f)
{
    static const unsigned parts[] = {FETCH_PROFILE, FETCH_SHIPMENTS, FETCH_SHIPMENT};
    static const enum api_call calls[] = {API_PROFILE, API_SHIPMENTS, API_SHIPMENT};
    static const enum worker_result_kind kinds[] = {RESULT_PROFILE, RESULT_SHIPMENTS,
                                                    RESULT_SHIPMENT};
    const struct job *j = f->j;
    struct api_request rq[3];
    size_t n = 0;

    for (size_t i = 0; i < 3; i++) {
        if ((j->fetch & parts[i]) == 0 ||
            (f->r[n] = new_result(kinds[i], j->seq)) == NULL)
            continue;
        rq[n++] = (struct api_request){.call = calls[i],
                                       .box_id = j->box_id,
                                       .customer_key = j->customer_key,
                                       .start_date = j->from,
                                       .end_date = j->to,
                                       .awb = j->awb};
    }
    if (n > 0) {
        struct api_reply reply[3];

        api_send_each(f->w->api, j->seq, &f->w->cfg, rq, n, reply, decode_part, f);
    }
    note_network(f->w);
    /* A list of thousands of shipments went through a reply that is freed now: give
     * that memory back instead of keeping it in this thread's arena. */
    malloc_trim(0);
}

/* Posts r, unless the job was cancelled meanwhile; notes it in the history when the
 * agent asked for it (a tab's retry, another window, a shipment). */
static void
deliver(struct fetch *f, struct worker_result *r)
{
    struct worker *w = f->w;
    enum history_action action = r->kind == RESULT_PROFILE     ? HISTORY_PROFILE
                                 : r->kind == RESULT_SHIPMENTS ? HISTORY_SHIPMENTS
                                                               : HISTORY_TRACK;
    enum bl_kind outcome = r->err.kind;

    if (post_as(w, r, POST_UNLESS_CANCELLED) != 0)
        outcome = BL_CANCELLED;
    if (f->j->noted)
        remember(w, action, f->j->email, f->j->box_id, outcome);
}

/* Fetches the parts of an account that j asks for and answers each as it comes,
 * unless the job was cancelled meanwhile. */
static void
run_fetch(struct worker *w, const struct job *j)
{
    struct fetch f = {.w = w, .j = j, .arrived = deliver};

    fetch_parts(&f);
}

/* A session made from a profile, for an account opened with its stored key. */
static struct bl_session *
session_of(const struct account_profile *p, const struct job *j)
{
    struct bl_session *s = calloc(1, sizeof *s);

    if (s == NULL)
        return NULL;
    s->email = strdup(j->email);
    s->first_name = p->first_name != NULL ? strdup(p->first_name) : NULL;
    s->last_name = p->last_name != NULL ? strdup(p->last_name) : NULL;
    s->name = p->name != NULL ? strdup(p->name) : NULL;
    s->box_id = j->box_id;
    s->active = p->active;
    s->vip = p->vip;
    s->business = p->business;
    s->enabled = p->enabled;
    s->verified = FLAG_YES; /* the key was accepted */
    s->customer_key = secmem_strdup(j->customer_key);
    if (s->email == NULL || s->customer_key == NULL) {
        session_free(s);
        return NULL;
    }
    return s;
}

/*
 * Answers the login of a stored account (f->login), made from its profile as soon
 * as that comes: the point of no return, after which the job may be cancelled
 * again. Without a session nothing else is answered, and what is still on its way
 * (in_flight) is cancelled.
 */
static void
stored_login(struct fetch *f, int in_flight)
{
    struct worker *w = f->w;
    struct worker_result *login = f->login;
    int cancelled = commit(w) != 0;
    enum bl_kind outcome = cancelled ? BL_CANCELLED : login->err.kind;

    f->login_done = 1;
    f->login = NULL;
    /* As in run_login: the history's warning goes after a session (it then stays on the
     * screen the session opens) and before a failure (whose message matters more). */
    if (cancelled || login->session == NULL) {
        remember(w, HISTORY_STORED, f->j->email, f->j->box_id, outcome);
        if (!cancelled)
            post(w, login);
        else
            worker_result_free(login);
        f->dropped = 1;
        if (in_flight)
            api_cancel(w->api, f->j->seq); /* the shipments, no longer wanted */
        return;
    }
    post_as(w, login, POST_LOGIN);
    remember(w, HISTORY_STORED, f->j->email, f->j->box_id, outcome);
}

static void
stored_part(struct fetch *f, struct worker_result *r)
{
    if (f->dropped) {
        worker_result_free(r);
        return;
    }
    if (r->kind != RESULT_PROFILE) {
        if (f->login_done)
            deliver(f, r);
        else
            f->held = r; /* after the login */
        return;
    }
    if (r->profile != NULL)
        f->login->session = session_of(r->profile, f->j);
    else
        error_move(&f->login->err, &r->err);
    if (f->login->session == NULL && f->login->err.kind == BL_OK)
        error_set(&f->login->err, BL_INTERNAL, _("out of memory"));
    stored_login(f, 1);
    if (f->dropped) {
        worker_result_free(r);
        worker_result_free(f->held);
        f->held = NULL;
        return;
    }
    deliver(f, r);
    if (f->held != NULL) {
        deliver(f, f->held);
        f->held = NULL;
    }
}

/*
 * Opens a stored account: its key and box ID from the keyring, then the
 * profile (which stands in for the login) and the shipments at once. Answers
 * RESULT_LOGIN (a session made from the profile, or why not), then the profile
 * and the shipments, each as it comes.
 */
static void
run_open_stored(struct worker *w, struct job *j)
{
    struct fetch f = {.w = w, .j = j, .arrived = stored_part};
    struct bl_error why = {0};
    int found = 0;

    if ((f.login = new_result(RESULT_LOGIN, j->seq)) == NULL)
        return;
    if (w->cfg.cred.app_key == NULL)
        error_set(&f.login->err, BL_USAGE,
                  _("no credentials for the API (see the message above)"));
    else if (!w->cfg.no_keyring)
        found = keyring_lookup_customer_key(j->email, w->cfg.env, &j->customer_key,
                                            &j->box_id, &why);
    if (found == 1) {
        j->fetch = FETCH_PROFILE | FETCH_SHIPMENTS;
        value_default_window(j->from, j->to);
        fetch_parts(&f);
    } else if (f.login->err.kind == BL_OK) {
        if (why.message != NULL)
            error_set(&f.login->err, BL_USAGE,
                      /* TRANSLATORS: the email, the environment (TEST or PROD), then
                         why the keyring had no key. */
                      _("No stored key for %s (%s): %s"), j->email,
                      config_env_badge(w->cfg.env), why.message);
        else
            error_set(&f.login->err, BL_USAGE,
                      /* TRANSLATORS: the email, then the environment (TEST or PROD). */
                      _("No stored key for %s (%s)"), j->email,
                      config_env_badge(w->cfg.env));
    }
    error_clear(&why);
    /* No profile came (no key, or no memory for its result): the login says why. */
    if (!f.login_done) {
        if (f.login->err.kind == BL_OK)
            error_set(&f.login->err, BL_INTERNAL, _("out of memory"));
        stored_login(&f, 0);
        worker_result_free(f.held);
    }
}

static void
run_login(struct worker *w, struct job *j)
{
    struct worker_result *r = new_result(RESULT_LOGIN, j->seq);
    enum history_action action = j->kind == JOB_LOOKUP ? HISTORY_LOOKUP : HISTORY_LOGIN;
    struct bl_session *s = NULL, keep = {0};
    struct job fetch = {.kind = JOB_FETCH, .seq = j->seq};

    if (r == NULL)
        return;
    if (w->cfg.cred.app_key == NULL) {
        error_set(&r->err, BL_USAGE,
                  _("no credentials for the API (see the message above)"));
    } else if (j->kind == JOB_LOOKUP) {
        api_partner(w->api, j->seq, &w->cfg, j->email, &s, &r->err);
    } else {
        api_login(w->api, j->seq, &w->cfg, j->email, j->password, j->password_len, &s,
                  &r->err);
    }
    secmem_free(j->password);
    j->password = NULL;
    note_network(w);
    pause_for_test("after-reply");
    if (commit(w) != 0) {
        /* Esc came while this ran: nothing may be shown or stored. */
        log_msg("login %lu: cancelled; its answer is dropped, nothing is kept", j->seq);
        remember(w, action, j->email, 0, BL_CANCELLED);
        session_free(s);
        worker_result_free(r);
        return;
    }
    if (s == NULL) {
        remember(w, action, j->email, 0, r->err.kind);
        post(w, r);
        return;
    }
    s->email = text_email_key(j->email);
    if (!w->cfg.no_keyring) {
        keep.email = s->email != NULL ? strdup(s->email) : NULL;
        keep.box_id = s->box_id;
        keep.customer_key = secmem_strdup(s->customer_key);
    }
    /* The account view wants the profile and the shipments at once, one round trip
     * after the login: fetched before the keyring, which may be slow, with copies
     * (the UI owns the session from the moment it is posted). The login is the lookup
     * the history notes; these calls come with it. */
    fetch.email = strdup(s->email != NULL ? s->email : "");
    fetch.fetch = FETCH_PROFILE | FETCH_SHIPMENTS;
    fetch.box_id = s->box_id;
    fetch.customer_key = secmem_strdup(s->customer_key);
    value_default_window(fetch.from, fetch.to);
    r->session = s;
    post_as(w, r, POST_LOGIN);
    /* After the session: a warning that the history could not be written then stays on
     * the screen the session opens. */
    remember(w, action, j->email, fetch.box_id, BL_OK);
    if (fetch.customer_key != NULL && fetch.email != NULL)
        run_fetch(w, &fetch);
    secmem_free(fetch.customer_key);
    free(fetch.email);
    store_key(w, j->seq, &keep);
    free(keep.email);
    secmem_free(keep.customer_key);
}

static void
run_forget(struct worker *w, struct job *j)
{
    struct worker_result *r = new_result(RESULT_FORGET, j->seq);

    if (r == NULL)
        return;
    r->ok =
        keyring_forget(j->email, config_env_name(w->cfg.env), &r->count, &r->err) == 0;
    post(w, r);
}

/* The credentials step, keyring included, which the UI leaves to this thread. */
static void
resolve_credentials(struct worker *w)
{
    struct worker_result *r = new_result(RESULT_CONFIG, 0);

    config_credentials_free(&w->cfg.cred);
    if (r != NULL) {
        r->ok = config_credentials(&w->sources, keyring_lookup_app_key, &w->cfg.cred,
                                   &r->err) == 0;
        if (r->ok && w->cfg.cred.note != NULL)
            r->note = strdup(w->cfg.cred.note);
        post(w, r);
    }
    config_sources_free(&w->sources);
}

static int
by_email(const void *a, const void *b)
{
    const struct worker_account *x = a, *y = b;

    return strcmp(x->email != NULL ? x->email : "", y->email != NULL ? y->email : "");
}

/* The stored keys of the environment, then the recent emails of the history without one.
 */
static void
run_list(struct worker *w, const struct job *j)
{
    struct worker_result *r = new_result(RESULT_LIST, j->seq);
    struct keyring_item *items = NULL;
    struct history_entry *recent = NULL;
    size_t n_items = 0, n_recent = 0, skipped = 0, n = 0;
    struct bl_error err = {0};
    char *path = history_path();

    if (r == NULL) {
        free(path);
        return;
    }
    if (!w->cfg.no_keyring &&
        keyring_list(config_env_name(w->cfg.env), &items, &n_items, &err) != 0) {
        r->note = err.message;
        err.message = NULL;
    }
    error_clear(&err);
    if (path != NULL && history_read(path, 500, &recent, &n_recent, &skipped, &err) != 0)
        n_recent = 0;
    error_clear(&err);
    r->accounts = calloc(n_items + n_recent + 1, sizeof *r->accounts);
    for (size_t i = 0; r->accounts != NULL && i < n_items; i++) {
        uint64_t box = 0;

        value_id(items[i].box_id, "box_id", &box, NULL);
        r->accounts[n].email = strdup(items[i].email);
        r->accounts[n].box_id = box;
        r->accounts[n++].stored = 1;
    }
    for (size_t i = 0; r->accounts != NULL && i < n_recent; i++) {
        int seen = strcmp(recent[i].environment, config_env_name(w->cfg.env)) != 0 ||
                   strchr(recent[i].email, '@') == NULL;

        for (size_t k = 0; k < n && !seen; k++)
            seen = r->accounts[k].email != NULL &&
                   strcmp(r->accounts[k].email, recent[i].email) == 0;
        if (!seen)
            r->accounts[n++].email = strdup(recent[i].email);
    }
    r->n_accounts = n;
    /* The keyring lists in no particular order: stored accounts by email. */
    if (r->accounts != NULL)
        qsort(r->accounts, n_items < n ? n_items : n, sizeof *r->accounts, by_email);
    keyring_items_free(items, n_items);
    history_entries_free(recent, n_recent);
    free(path);
    post(w, r);
}

static void *
worker_main(void *arg)
{
    struct worker *w = arg;

    if (w->credentials_step)
        resolve_credentials(w);
    pthread_mutex_lock(&w->lock);
    for (;;) {
        struct job *j;

        while (w->jobs == NULL && !w->quit)
            pthread_cond_wait(&w->wake, &w->lock);
        if (w->quit)
            break;
        j = w->jobs;
        w->jobs = j->next;
        if (w->jobs == NULL)
            w->jobs_tail = &w->jobs;
        w->running = j;
        w->running_cancelled = w->running_committed = w->running_answered = 0;
        pthread_mutex_unlock(&w->lock);
        if (j->kind == JOB_LOGIN || j->kind == JOB_LOOKUP) {
            run_login(w, j);
        } else if (j->kind == JOB_OPEN_STORED) {
            run_open_stored(w, j);
        } else if (j->kind == JOB_LIST) {
            run_list(w, j);
        } else if (j->kind == JOB_FETCH) {
            run_fetch(w, j);
        } else if (j->kind == JOB_FORGET) {
            run_forget(w, j);
        } else {
            api_prewarm(w->api, j->seq, &w->cfg, 2);
            note_network(w);
        }
        pthread_mutex_lock(&w->lock);
        if (j->kind == JOB_PREWARM)
            w->warm_queued = 0;
        w->running = NULL;
        job_free(j);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct worker *
worker_start(const struct bl_config *cfg, const struct config_sources *sources,
             struct bl_error *err)
{
    struct worker *w = calloc(1, sizeof *w);

    if (w == NULL) {
        error_set(err, BL_INTERNAL, _("out of memory"));
        return NULL;
    }
    w->event_fd = -1;
    w->jobs_tail = &w->jobs;
    w->results_tail = &w->results;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    w->credentials_step = sources != NULL;
    if (config_copy(&w->cfg, cfg, err) != 0 ||
        (sources != NULL && config_sources_copy(&w->sources, sources, err) != 0)) {
        error_set(err, BL_INTERNAL, _("out of memory"));
    } else if ((w->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
        error_set(err, BL_INTERNAL, _("cannot create the worker's wake-up descriptor"));
    } else if ((w->api = api_new(err)) != NULL &&
               pthread_create(&w->thread, NULL, worker_main, w) == 0) {
        return w;
    } else if (w->api != NULL) {
        error_set(err, BL_INTERNAL, _("cannot start the worker thread"));
    }
    api_free(w->api);
    if (w->event_fd >= 0)
        close(w->event_fd);
    config_free(&w->cfg);
    config_sources_free(&w->sources);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
    return NULL;
}

void
worker_stop(struct worker *w)
{
    struct worker_result *r;

    if (w == NULL)
        return;
    pthread_mutex_lock(&w->lock);
    w->quit = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    api_cancel(w->api, API_CANCEL_ALL);
    pthread_join(w->thread, NULL);
    while (w->jobs != NULL) {
        struct job *j = w->jobs;

        w->jobs = j->next;
        job_free(j);
    }
    while ((r = worker_take(w)) != NULL)
        worker_result_free(r);
    api_free(w->api);
    close(w->event_fd);
    config_free(&w->cfg);
    config_sources_free(&w->sources);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

int
worker_fd(const struct worker *w)
{
    return w->event_fd;
}

/* Appends a job; the caller holds the lock. */
static void
queue_locked(struct worker *w, struct job *j)
{
    *w->jobs_tail = j;
    w->jobs_tail = &j->next;
    pthread_cond_signal(&w->wake);
}

static void
queue(struct worker *w, struct job *j)
{
    pthread_mutex_lock(&w->lock);
    queue_locked(w, j);
    pthread_mutex_unlock(&w->lock);
}

void
worker_login(struct worker *w, unsigned long seq, char *email, char *password, size_t len)
{
    struct job *j = calloc(1, sizeof *j);

    if (j == NULL) {
        free(email);
        secmem_free(password);
        return;
    }
    j->kind = JOB_LOGIN;
    j->seq = seq;
    j->email = email;
    j->password = password;
    j->password_len = len;
    queue(w, j);
}

/*
 * Queues a warm-up when the form is up and the connection is cold or stale,
 * unless one is already on its way or a transfer is running. The caller holds
 * the lock.
 */
static void
warm_if_stale(struct worker *w)
{
    struct job *j;

    if (!w->cfg.prewarm || !w->form_up || w->warm_queued || w->jobs != NULL ||
        w->running != NULL || (w->net_used && ms_since(&w->last_net) < REWARM_MS))
        return;
    if ((j = calloc(1, sizeof *j)) == NULL)
        return;
    /* Warm-ups are never cancelled or answered: a number no UI job has (the UI's
     * start at 1, and 0 is what api_cancelled sees before any cancel). */
    j->kind = JOB_PREWARM;
    j->seq = API_CANCEL_ALL - 1;
    w->warm_queued = 1;
    queue_locked(w, j);
}

void
worker_form_up(struct worker *w, int up)
{
    pthread_mutex_lock(&w->lock);
    w->form_up = up;
    warm_if_stale(w);
    pthread_mutex_unlock(&w->lock);
}

void
worker_typing(struct worker *w)
{
    pthread_mutex_lock(&w->lock);
    warm_if_stale(w);
    pthread_mutex_unlock(&w->lock);
}

static int
cancel_job(struct worker *w, unsigned long seq, int login_only)
{
    int cancelled = 0;

    pthread_mutex_lock(&w->lock);
    for (struct job **pp = &w->jobs; *pp != NULL; pp = &(*pp)->next) {
        struct job *j = *pp;

        if (j->seq == seq && j->kind != JOB_PREWARM) {
            *pp = j->next;
            if (*pp == NULL)
                w->jobs_tail = pp;
            job_free(j);
            cancelled = 1;
            break;
        }
    }
    if (!cancelled && w->running != NULL && w->running->seq == seq &&
        w->running->kind != JOB_PREWARM && !w->running_committed &&
        !(login_only && w->running_answered)) {
        w->running_cancelled = 1;
        api_cancel(w->api, seq);
        cancelled = 1;
    }
    pthread_mutex_unlock(&w->lock);
    return cancelled;
}

int
worker_cancel(struct worker *w, unsigned long seq)
{
    return cancel_job(w, seq, 0);
}

int
worker_cancel_login(struct worker *w, unsigned long seq)
{
    return cancel_job(w, seq, 1);
}

void
worker_list(struct worker *w, unsigned long seq)
{
    struct job *j = calloc(1, sizeof *j);

    if (j == NULL)
        return;
    j->kind = JOB_LIST;
    j->seq = seq;
    queue(w, j);
}

void
worker_lookup(struct worker *w, unsigned long seq, char *email)
{
    struct job *j = calloc(1, sizeof *j);

    if (j == NULL) {
        free(email);
        return;
    }
    j->kind = JOB_LOOKUP;
    j->seq = seq;
    j->email = email;
    queue(w, j);
}

void
worker_open_stored(struct worker *w, unsigned long seq, const char *email)
{
    struct job *j = calloc(1, sizeof *j);

    if (j == NULL || (j->email = strdup(email)) == NULL) {
        free(j);
        return;
    }
    j->kind = JOB_OPEN_STORED;
    j->seq = seq;
    queue(w, j);
}

void
worker_fetch(struct worker *w, unsigned long seq, const struct worker_fetch *f)
{
    struct job *j = calloc(1, sizeof *j);

    if (j == NULL)
        return;
    j->kind = JOB_FETCH;
    j->seq = seq;
    j->noted = 1;
    j->fetch = f->what;
    j->box_id = f->box_id;
    j->awb = f->awb;
    j->email = strdup(f->email != NULL ? f->email : "");
    j->customer_key = secmem_strdup(f->customer_key != NULL ? f->customer_key : "");
    snprintf(j->from, sizeof j->from, "%s", f->from != NULL ? f->from : "");
    snprintf(j->to, sizeof j->to, "%s", f->to != NULL ? f->to : "");
    if (j->email == NULL || j->customer_key == NULL) {
        job_free(j);
        return;
    }
    queue(w, j);
}

void
worker_forget(struct worker *w, unsigned long seq, const char *email)
{
    struct job *j = calloc(1, sizeof *j);

    if (j == NULL || (j->email = strdup(email)) == NULL) {
        free(j);
        return;
    }
    j->kind = JOB_FORGET;
    j->seq = seq;
    queue(w, j);
}

struct worker_result *
worker_take(struct worker *w)
{
    struct worker_result *r;
    uint64_t count;
    ssize_t ignored;

    pthread_mutex_lock(&w->lock);
    r = w->results;
    if (r != NULL) {
        w->results = r->next;
        if (w->results == NULL)
            w->results_tail = &w->results;
        r->next = NULL;
    }
    if (w->results == NULL)
        ignored = read(w->event_fd, &count, sizeof count);
    pthread_mutex_unlock(&w->lock);
    (void)ignored;
    return r;
}
