#include "jobs.h"
#include "api.h"
#include "change_flow.h"
#include "history.h"
#include "i18n.h"
#include "keyring.h"
#include "log.h"
#include "places.h"
#include "secmem.h"
#include "text.h"
#include "value.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The inputs of every kind: what one job needs, owned by the job. */
struct job_input {
    char *email;
    char *password; /* secmem */
    size_t password_len;
    unsigned fetch; /* FETCH_* bits */
    uint64_t box_id;
    char *customer_key; /* secmem */
    char from[11], to[11];
    uint64_t awb;
    int noted;
    struct config_sources sources; /* the credentials step */
    struct change_request rq;      /* a change */
    struct change_plan plan;
    int noted_only;
    struct timespec planned_at;
    enum api_call call; /* a places list */
    uint64_t parent;
};

static void
input_free(void *p)
{
    struct job_input *in = p;

    if (in == NULL)
        return;
    free(in->email);
    secmem_free(in->password);
    secmem_free(in->customer_key);
    config_sources_free(&in->sources);
    change_request_clear(&in->rq);
    change_plan_clear(&in->plan);
    free(in);
}

void
job_result_free(struct job_result *r)
{
    if (r == NULL)
        return;
    switch (r->kind) {
    case JOB_OPENED:
        session_free(r->u.session);
        break;
    case JOB_PROFILE:
        account_profile_free(r->u.profile);
        break;
    case JOB_SHIPMENTS:
        account_shipments_free(r->u.shipments.list);
        break;
    case JOB_SHIPMENT:
        account_shipment_free(r->u.shipment.shipment);
        break;
    case JOB_LISTED:
        for (size_t i = 0; i < r->u.list.n; i++)
            free(r->u.list.accounts[i].email);
        free(r->u.list.accounts);
        free(r->u.list.note);
        break;
    case JOB_CREDENTIALS:
    case JOB_NOTE:
        free(r->u.note);
        break;
    case JOB_CHANGED:
        free(r->u.changed.message);
        free(r->u.changed.warning);
        account_profile_free(r->u.changed.after);
        free(r->u.changed.new_email);
        secmem_free(r->u.changed.new_key);
        break;
    case JOB_KEY_STORED:
    case JOB_FORGOT:
    case JOB_PLACES: /* the list is the cache's */
        break;
    }
    error_clear(&r->err);
    free(r);
}

static struct job_result *
new_result(enum job_result_kind kind, unsigned long seq)
{
    struct job_result *r = calloc(1, sizeof *r);

    if (r != NULL) {
        r->kind = kind;
        r->seq = seq;
    }
    return r;
}

/*
 * Adds a lookup to the history (unless it is off). A failure is a warning, never a
 * failed lookup: the log has each, and the UI is told (JOB_NOTE).
 */
static void
remember(const struct job_env *env, enum history_action action, const char *email,
         uint64_t box_id, enum bl_kind outcome)
{
    struct bl_error err = {0};
    struct job_result *r;
    struct timespec start;
    int rc;

    if (!env->cfg->history)
        return;
    clock_gettime(CLOCK_MONOTONIC, &start);
    rc = history_record(env->cfg->env, action, email, box_id, outcome, &err);
    /* In this thread, never the UI's: `make bench` reports the time from this line. */
    log_msg("history: %s noted in %.2f ms", history_action_name(action),
            log_ms_since(&start));
    if (rc != 0) {
        log_msg("history not written: %s", err.message);
        if ((r = new_result(JOB_NOTE, 0)) != NULL) {
            /* TRANSLATORS: %s is why the history could not be written. */
            if (asprintf(&r->u.note, _("Warning: the lookup is not in the history: %s"),
                         err.message) < 0)
                r->u.note = NULL;
            worker_post(env->worker, r, WORKER_POST_ANYWAY);
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
    const struct job_env *env;
    const struct job_input *in;
    struct job_result *r[3]; /* by request: profile, shipments, shipment */
    void (*arrived)(struct fetch *f, struct job_result *r);
    /* open_stored's: the opening made from the profile, and what waits for it */
    struct job_result *opened;
    struct job_result *held;
    int opened_done, dropped;
};

/* Decodes the reply to request k into its result and hands that over. */
static void
decode_part(void *ctx, size_t k, struct api_reply *reply)
{
    struct fetch *f = ctx;
    const struct job_input *in = f->in;
    struct job_result *r = f->r[k];

    f->r[k] = NULL;
    if (reply->err.kind != BL_OK) {
        error_move(&r->err, &reply->err);
    } else if (r->kind == JOB_PROFILE) {
        account_profile_decode(reply->status, reply->body, reply->len, in->email,
                               &r->u.profile, &r->err);
    } else if (r->kind == JOB_SHIPMENTS) {
        account_shipments_decode(reply->status, reply->body, reply->len, in->email,
                                 &r->u.shipments.list, &r->err);
    } else {
        account_shipment_decode(reply->status, reply->body, reply->len, in->email,
                                in->awb, &r->u.shipment.shipment, &r->err);
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
    static const enum job_result_kind kinds[] = {JOB_PROFILE, JOB_SHIPMENTS,
                                                 JOB_SHIPMENT};
    const struct job_input *in = f->in;
    struct api_request rq[3];
    size_t n = 0;

    for (size_t i = 0; i < 3; i++) {
        if ((in->fetch & parts[i]) == 0 ||
            (f->r[n] = new_result(kinds[i], f->env->seq)) == NULL)
            continue;
        if (kinds[i] == JOB_SHIPMENTS) {
            memcpy(f->r[n]->u.shipments.from, in->from, sizeof in->from);
            memcpy(f->r[n]->u.shipments.to, in->to, sizeof in->to);
        } else if (kinds[i] == JOB_SHIPMENT) {
            f->r[n]->u.shipment.awb = in->awb;
        }
        rq[n++] = (struct api_request){.call = calls[i],
                                       .box_id = in->box_id,
                                       .customer_key = in->customer_key,
                                       .start_date = in->from,
                                       .end_date = in->to,
                                       .awb = in->awb};
    }
    if (n > 0) {
        struct api_reply reply[3];

        api_send_each(f->env->api, f->env->seq, f->env->cfg, rq, n, reply, decode_part,
                      f);
    }
    worker_network_used(f->env->worker);
    /* A list of thousands of shipments went through a reply that is freed now: give
     * that memory back instead of keeping it in this thread's arena. */
    malloc_trim(0);
}

/* Posts r, unless the job was cancelled meanwhile; notes it in the history when the
 * agent asked for it (a tab's retry, another window, a shipment). */
static void
deliver(struct fetch *f, struct job_result *r)
{
    enum history_action action = r->kind == JOB_PROFILE     ? HISTORY_PROFILE
                                 : r->kind == JOB_SHIPMENTS ? HISTORY_SHIPMENTS
                                                            : HISTORY_TRACK;
    enum bl_kind outcome = r->err.kind;

    if (worker_post(f->env->worker, r, WORKER_POST_UNLESS_CANCELLED) != 0)
        outcome = BL_CANCELLED;
    if (f->in->noted)
        remember(f->env, action, f->in->email, f->in->box_id, outcome);
}

static void
run_fetch(const struct job_env *env, void *input)
{
    struct fetch f = {.env = env, .in = input, .arrived = deliver};

    fetch_parts(&f);
}

/* A session made from a profile, for an account opened with its stored key. */
static struct bl_session *
session_of(const struct account_profile *p, const struct job_input *in)
{
    struct bl_session *s = calloc(1, sizeof *s);

    if (s == NULL)
        return NULL;
    s->email = strdup(in->email);
    s->first_name = p->first_name != NULL ? strdup(p->first_name) : NULL;
    s->last_name = p->last_name != NULL ? strdup(p->last_name) : NULL;
    s->name = p->name != NULL ? strdup(p->name) : NULL;
    s->box_id = in->box_id;
    s->active = p->active;
    s->vip = p->vip;
    s->business = p->business;
    s->enabled = p->enabled;
    s->verified = FLAG_YES; /* the key was accepted */
    s->customer_key = secmem_strdup(in->customer_key);
    if (s->email == NULL || s->customer_key == NULL) {
        session_free(s);
        return NULL;
    }
    return s;
}

/*
 * Answers the opening of a stored account (f->opened), made from its profile as
 * soon as that comes: the point of no return, after which the job may be
 * cancelled again. Without a session nothing else is answered, and what is
 * still on its way (in_flight) is cancelled.
 */
static void
stored_opened(struct fetch *f, int in_flight)
{
    const struct job_env *env = f->env;
    struct job_result *opened = f->opened;
    int cancelled = worker_commit(env->worker) != 0;
    enum bl_kind outcome = cancelled ? BL_CANCELLED : opened->err.kind;

    f->opened_done = 1;
    f->opened = NULL;
    /* As for a login: the history's warning goes after a session (it then stays on the
     * screen the session opens) and before a failure (whose message matters more). */
    if (cancelled || opened->u.session == NULL) {
        remember(env, HISTORY_STORED, f->in->email, f->in->box_id, outcome);
        if (!cancelled)
            worker_post(env->worker, opened, WORKER_POST_ANYWAY);
        else
            job_result_free(opened);
        f->dropped = 1;
        if (in_flight)
            api_cancel(env->api, env->seq); /* the shipments, no longer wanted */
        return;
    }
    worker_post(env->worker, opened, WORKER_POST_OPENING);
    remember(env, HISTORY_STORED, f->in->email, f->in->box_id, outcome);
}

static void
stored_part(struct fetch *f, struct job_result *r)
{
    if (f->dropped) {
        job_result_free(r);
        return;
    }
    if (r->kind != JOB_PROFILE) {
        if (f->opened_done)
            deliver(f, r);
        else
            f->held = r; /* after the opening */
        return;
    }
    if (r->u.profile != NULL)
        f->opened->u.session = session_of(r->u.profile, f->in);
    else
        error_move(&f->opened->err, &r->err);
    if (f->opened->u.session == NULL && f->opened->err.kind == BL_OK)
        error_set(&f->opened->err, BL_INTERNAL, _("out of memory"));
    stored_opened(f, 1);
    if (f->dropped) {
        job_result_free(r);
        job_result_free(f->held);
        f->held = NULL;
        return;
    }
    deliver(f, r);
    if (f->held != NULL) {
        deliver(f, f->held);
        f->held = NULL;
    }
}

static void
run_open_stored(const struct job_env *env, void *input)
{
    struct job_input *in = input;
    struct fetch f = {.env = env, .in = in, .arrived = stored_part};
    struct bl_error why = {0};
    int found = 0;

    if ((f.opened = new_result(JOB_OPENED, env->seq)) == NULL)
        return;
    if (env->cfg->cred.app_key == NULL)
        error_set(&f.opened->err, BL_USAGE,
                  _("no credentials for the API (see the message above)"));
    else if (!env->cfg->no_keyring)
        found = keyring_lookup_customer_key(in->email, env->cfg->env, &in->customer_key,
                                            &in->box_id, &why);
    if (found == 1) {
        in->fetch = FETCH_PROFILE | FETCH_SHIPMENTS;
        value_default_window(in->from, in->to);
        fetch_parts(&f);
    } else if (f.opened->err.kind == BL_OK) {
        if (why.message != NULL)
            error_set(&f.opened->err, BL_USAGE,
                      /* TRANSLATORS: the email, the environment (TEST or PROD), then
                         why the keyring had no key. */
                      _("No stored key for %s (%s): %s"), in->email,
                      config_env_badge(env->cfg->env), why.message);
        else
            error_set(&f.opened->err, BL_USAGE,
                      /* TRANSLATORS: the email, then the environment (TEST or PROD). */
                      _("No stored key for %s (%s)"), in->email,
                      config_env_badge(env->cfg->env));
    }
    error_clear(&why);
    /* No profile came (no key, or no memory for its result): the opening says why. */
    if (!f.opened_done) {
        if (f.opened->err.kind == BL_OK)
            error_set(&f.opened->err, BL_INTERNAL, _("out of memory"));
        stored_opened(&f, 0);
        job_result_free(f.held);
    }
}

/* A login or a partner lookup: the session, or why not. */
static void
open_with(const struct job_env *env, struct job_input *in, int lookup)
{
    struct job_result *r = new_result(JOB_OPENED, env->seq);
    enum history_action action = lookup ? HISTORY_LOOKUP : HISTORY_LOGIN;
    struct bl_session *s = NULL;
    uint64_t box_id;

    if (r == NULL) {
        /* Nothing can be answered: the UI is told by a note, and the history notes it. */
        remember(env, action, in->email, 0, BL_INTERNAL);
        return;
    }
    if (env->cfg->cred.app_key == NULL) {
        error_set(&r->err, BL_USAGE,
                  _("no credentials for the API (see the message above)"));
    } else if (lookup) {
        api_partner(env->api, env->seq, env->cfg, in->email, &s, &r->err);
    } else {
        api_login(env->api, env->seq, env->cfg, in->email, in->password, in->password_len,
                  &s, &r->err);
    }
    secmem_free(in->password);
    in->password = NULL;
    worker_network_used(env->worker);
    log_test_pause("after-reply");
    if (worker_commit(env->worker) != 0) {
        /* Esc came while this ran: nothing may be shown or stored. */
        log_msg("login %lu: cancelled; its answer is dropped, nothing is kept", env->seq);
        remember(env, action, in->email, 0, BL_CANCELLED);
        session_free(s);
        job_result_free(r);
        return;
    }
    if (s == NULL) {
        remember(env, action, in->email, 0, r->err.kind);
        worker_post(env->worker, r, WORKER_POST_ANYWAY);
        return;
    }
    s->email = text_email_key(in->email);
    if (s->email == NULL) {
        session_free(s);
        error_set(&r->err, BL_INTERNAL, _("out of memory"));
        remember(env, action, in->email, 0, r->err.kind);
        worker_post(env->worker, r, WORKER_POST_ANYWAY);
        return;
    }
    box_id = s->box_id;
    r->u.session = s;
    worker_post(env->worker, r, WORKER_POST_OPENING);
    /* After the session: a warning that the history could not be written then stays on
     * the screen the session opens. */
    remember(env, action, in->email, box_id, BL_OK);
}

static void
run_login(const struct job_env *env, void *input)
{
    open_with(env, input, 0);
}

static void
run_lookup(const struct job_env *env, void *input)
{
    open_with(env, input, 1);
}

static void
run_store_key(const struct job_env *env, void *input)
{
    struct job_input *in = input;
    struct job_result *r = new_result(JOB_KEY_STORED, env->seq);
    struct bl_session keep = {
        .email = in->email, .box_id = in->box_id, .customer_key = in->customer_key};

    if (r == NULL)
        return;
    keyring_save_session(&keep, env->cfg, &r->err);
    worker_post(env->worker, r, WORKER_POST_ANYWAY);
}

static void
run_forget(const struct job_env *env, void *input)
{
    struct job_input *in = input;
    struct job_result *r = new_result(JOB_FORGOT, env->seq);

    if (r == NULL)
        return;
    keyring_forget(in->email, config_env_name(env->cfg->env), &r->u.forgot, &r->err);
    worker_post(env->worker, r, WORKER_POST_ANYWAY);
}

static void
run_credentials(const struct job_env *env, void *input)
{
    struct job_input *in = input;
    struct job_result *r = new_result(JOB_CREDENTIALS, env->seq);

    config_credentials_free(&env->cfg->cred);
    if (r == NULL)
        return;
    if (config_credentials(&in->sources, keyring_lookup_app_key, &env->cfg->cred,
                           &r->err) == 0 &&
        env->cfg->cred.note != NULL && (r->u.note = strdup(env->cfg->cred.note)) == NULL)
        error_set(&r->err, BL_INTERNAL, _("out of memory"));
    worker_post(env->worker, r, WORKER_POST_ANYWAY);
}

/* The most recently looked up first (the history's times are ISO 8601 UTC, which sort
 * as text), those it does not have last, then by email. */
static int
by_recent(const void *a, const void *b)
{
    const struct job_account *x = a, *y = b;
    int c = strcmp(y->last, x->last);

    return c != 0 ? c
                  : strcmp(x->email != NULL ? x->email : "",
                           y->email != NULL ? y->email : "");
}

/* The stored keys of the environment, then the recent emails of the history without one.
 */
static void
run_list(const struct job_env *env, void *input)
{
    struct job_result *r = new_result(JOB_LISTED, env->seq);
    struct keyring_item *items = NULL;
    struct history_entry *recent = NULL;
    size_t n_items = 0, n_recent = 0, skipped = 0, n = 0;
    struct bl_error err = {0};
    char *path = history_path();
    struct job_account *acc;

    (void)input;
    if (r == NULL) {
        free(path);
        return;
    }
    if (!env->cfg->no_keyring &&
        keyring_list(config_env_name(env->cfg->env), &items, &n_items, &err) != 0) {
        r->u.list.note = err.message;
        err.message = NULL;
    }
    error_clear(&err);
    if (path != NULL && history_read(path, 500, &recent, &n_recent, &skipped, &err) != 0)
        n_recent = 0;
    error_clear(&err);
    acc = r->u.list.accounts = calloc(n_items + n_recent + 1, sizeof *acc);
    for (size_t i = 0; acc != NULL && i < n_items; i++) {
        uint64_t box = 0;

        value_id(items[i].box_id, "box_id", &box, NULL);
        acc[n].email = strdup(items[i].email);
        acc[n].box_id = box;
        acc[n++].stored = 1;
    }
    /* The history is newest first: an email's first line is when it was last looked up.
     */
    for (size_t i = 0; acc != NULL && i < n_recent; i++) {
        const char *when = recent[i].time != NULL ? recent[i].time : "";
        struct job_account *same = NULL;

        if (strcmp(recent[i].environment, config_env_name(env->cfg->env)) != 0 ||
            strchr(recent[i].email, '@') == NULL)
            continue;
        for (size_t k = 0; k < n && same == NULL; k++)
            if (acc[k].email != NULL && strcmp(acc[k].email, recent[i].email) == 0)
                same = &acc[k];
        if (same == NULL) {
            same = &acc[n];
            same->email = strdup(recent[i].email);
            n++;
        } else if (same->last[0] != '\0') {
            continue;
        }
        snprintf(same->last, sizeof same->last, "%s", when);
    }
    r->u.list.n = n;
    /* The keyring lists in no particular order: stored accounts most recent first. */
    if (acc != NULL)
        qsort(acc, n_items < n ? n_items : n, sizeof *acc, by_recent);
    keyring_items_free(items, n_items);
    history_entries_free(recent, n_recent);
    free(path);
    worker_post(env->worker, r, WORKER_POST_ANYWAY);
}

/* A confirmed change: the same steps as the commands' (src/change_flow.c). */
static void
run_change(const struct job_env *env, void *input)
{
    struct job_input *in = input;
    struct job_result *r = new_result(JOB_CHANGED, env->seq);
    struct change_flow f = {.api = env->api,
                            .cfg = env->cfg,
                            .rq = &in->rq,
                            .plan = &in->plan,
                            .email_key = in->email,
                            .box_id = in->box_id,
                            .key = in->customer_key,
                            .seq = env->seq,
                            .planned_at = in->planned_at,
                            /* Stopping the UI waits for a write on its way, as a
                               command's Ctrl-C does: its outcome is read, not lost. */
                            .hold_write = 1,
                            .verified = -1};
    struct api_reply reply;
    int stale;

    in->customer_key = NULL;
    if (r == NULL) {
        change_flow_clear(&f);
        return;
    }
    if (in->noted_only) {
        change_flow_remember(&f, "cancelled");
        r->u.changed.noted_only = 1;
        goto post;
    }
    /* An address plan from a profile read long ago: read again; changed meanwhile,
     * nothing is sent. */
    if ((stale = change_flow_recheck(&f, &r->err)) != 0) {
        if (stale < 0 && r->err.kind == BL_CANCELLED) {
            /* Esc during the read: the desk notes it as cancelled. */
            change_flow_clear(&f);
            job_result_free(r);
            return;
        }
        if (stale > 0)
            error_set(&r->err, BL_REJECTED, "%s", f.message);
        change_flow_remember(&f, stale > 0 ? "cancelled" : error_kind_name(r->err.kind));
        r->u.changed.message = f.message;
        f.message = NULL;
        goto post;
    }
    log_test_pause("before-write");
    if (worker_commit(env->worker) != 0) {
        /* Esc came first: nothing was sent; the desk notes it as cancelled. */
        log_msg("change %lu: cancelled before its write", env->seq);
        change_flow_clear(&f);
        job_result_free(r);
        return;
    }
    change_flow_write(&f, &reply);
    worker_network_used(env->worker);
    if (change_flow_settle(&f, &reply, &r->err) != 0)
        change_flow_remember(&f, error_kind_name(r->err.kind));
    else
        change_flow_remember(&f, change_outcome_name(f.outcome));
    api_reply_clear(&reply);
    worker_network_used(env->worker);
    r->u.changed.outcome = f.outcome;
    r->u.changed.verified = f.verified;
    r->u.changed.message = f.message;
    r->u.changed.after = f.after;
    f.message = NULL;
    f.after = NULL;
    if (f.key_moved) {
        r->u.changed.new_key = f.key;
        f.key = NULL;
        r->u.changed.new_email = strdup(in->rq.new_email);
        r->u.changed.key_stored = f.key_stored;
    }
post:
    r->u.changed.warning = f.warning;
    f.warning = NULL;
    change_flow_clear(&f);
    worker_post(env->worker, r, WORKER_POST_ANYWAY);
}

/* A places list, from the cache when this process has fetched it already. */
static void
run_places(const struct job_env *env, void *input)
{
    const struct job_input *in = input;
    struct job_result *r = new_result(JOB_PLACES, env->seq);
    struct timespec start;

    if (r == NULL)
        return;
    clock_gettime(CLOCK_MONOTONIC, &start);
    r->u.places.call = in->call;
    r->u.places.parent = in->parent;
    if (places_get(env->api, env->seq, env->cfg, in->call, in->parent, &r->u.places.list,
                   &r->err) == 0)
        log_msg("places %lu: %zu places in %.2f ms", env->seq, r->u.places.list->n,
                log_ms_since(&start));
    worker_network_used(env->worker);
    worker_post(env->worker, r, WORKER_POST_ANYWAY);
}

static const struct job_kind login_kind = {"login", run_login, input_free};
static const struct job_kind lookup_kind = {"lookup", run_lookup, input_free};
static const struct job_kind open_stored_kind = {"open stored", run_open_stored,
                                                 input_free};
static const struct job_kind fetch_kind = {"fetch", run_fetch, input_free};
static const struct job_kind store_key_kind = {"store key", run_store_key, input_free};
static const struct job_kind forget_kind = {"forget", run_forget, input_free};
static const struct job_kind list_kind = {"list", run_list, input_free};
static const struct job_kind change_kind = {"change", run_change, input_free};
static const struct job_kind places_kind = {"places", run_places, input_free};
static const struct job_kind credentials_kind = {"credentials", run_credentials,
                                                 input_free};

/* A zeroed input, or NULL with err. */
static struct job_input *
new_input(struct bl_error *err)
{
    struct job_input *in = calloc(1, sizeof *in);

    if (in == NULL)
        error_set(err, BL_INTERNAL, _("out of memory"));
    return in;
}

/* Queues in, or frees it with err when a copy into it failed (ok is 0). */
static int
queue(struct worker *w, unsigned long seq, const struct job_kind *kind,
      struct job_input *in, int ok, struct bl_error *err)
{
    if (!ok) {
        input_free(in);
        return error_set(err, BL_INTERNAL, _("out of memory"));
    }
    return worker_queue(w, seq, kind, in, err);
}

int
job_login(struct worker *w, unsigned long seq, char *email, char *password, size_t len,
          struct bl_error *err)
{
    struct job_input *in = new_input(err);

    if (in == NULL) {
        free(email);
        secmem_free(password);
        return -1;
    }
    in->email = email;
    in->password = password;
    in->password_len = len;
    return queue(w, seq, &login_kind, in, email != NULL && password != NULL, err);
}

int
job_lookup(struct worker *w, unsigned long seq, char *email, struct bl_error *err)
{
    struct job_input *in = new_input(err);

    if (in == NULL) {
        free(email);
        return -1;
    }
    in->email = email;
    return queue(w, seq, &lookup_kind, in, email != NULL, err);
}

int
job_open_stored(struct worker *w, unsigned long seq, const char *email,
                struct bl_error *err)
{
    struct job_input *in = new_input(err);

    if (in == NULL)
        return -1;
    in->email = strdup(email);
    return queue(w, seq, &open_stored_kind, in, in->email != NULL, err);
}

int
job_fetch(struct worker *w, unsigned long seq, const struct job_fetch *f,
          struct bl_error *err)
{
    struct job_input *in = new_input(err);

    if (in == NULL)
        return -1;
    in->fetch = f->what;
    in->box_id = f->box_id;
    in->awb = f->awb;
    in->noted = f->noted;
    in->email = strdup(f->email != NULL ? f->email : "");
    in->customer_key = secmem_strdup(f->customer_key != NULL ? f->customer_key : "");
    snprintf(in->from, sizeof in->from, "%s", f->from != NULL ? f->from : "");
    snprintf(in->to, sizeof in->to, "%s", f->to != NULL ? f->to : "");
    return queue(w, seq, &fetch_kind, in, in->email != NULL && in->customer_key != NULL,
                 err);
}

int
job_store_key(struct worker *w, unsigned long seq, const struct bl_session *s,
              struct bl_error *err)
{
    struct job_input *in = new_input(err);

    if (in == NULL)
        return -1;
    in->box_id = s->box_id;
    in->email = s->email != NULL ? strdup(s->email) : NULL;
    in->customer_key = s->customer_key != NULL ? secmem_strdup(s->customer_key) : NULL;
    return queue(w, seq, &store_key_kind, in,
                 in->email != NULL && in->customer_key != NULL, err);
}

int
job_forget(struct worker *w, unsigned long seq, const char *email, struct bl_error *err)
{
    struct job_input *in = new_input(err);

    if (in == NULL)
        return -1;
    in->email = strdup(email);
    return queue(w, seq, &forget_kind, in, in->email != NULL, err);
}

int
job_list(struct worker *w, unsigned long seq, struct bl_error *err)
{
    struct job_input *in = new_input(err);

    if (in == NULL)
        return -1;
    return queue(w, seq, &list_kind, in, 1, err);
}

int
job_credentials(struct worker *w, unsigned long seq, const struct config_sources *sources,
                struct bl_error *err)
{
    struct job_input *in = new_input(err);

    if (in == NULL)
        return -1;
    if (config_sources_copy(&in->sources, sources, err) != 0) {
        input_free(in);
        return -1;
    }
    return queue(w, seq, &credentials_kind, in, 1, err);
}

int
job_change(struct worker *w, unsigned long seq, const struct job_change *c,
           struct bl_error *err)
{
    struct job_input *in = new_input(err);

    if (in == NULL) {
        change_request_clear(c->rq);
        return -1;
    }
    in->rq = *c->rq;
    memset(c->rq, 0, sizeof *c->rq);
    in->noted_only = c->noted_only;
    in->planned_at = c->planned_at;
    in->box_id = c->box_id;
    in->email = strdup(c->email);
    in->customer_key = secmem_strdup(c->customer_key != NULL ? c->customer_key : "");
    return queue(w, seq, &change_kind, in,
                 in->email != NULL && in->customer_key != NULL &&
                     change_flow_plan_copy(&in->plan, c->plan) == 0,
                 err);
}

int
job_places(struct worker *w, unsigned long seq, enum api_call call, uint64_t parent,
           struct bl_error *err)
{
    struct job_input *in = new_input(err);

    if (in == NULL)
        return -1;
    in->call = call;
    in->parent = parent;
    return queue(w, seq, &places_kind, in, 1, err);
}
