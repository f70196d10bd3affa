#include "desk.h"
#include "change_flow.h"
#include "i18n.h"
#include "secmem.h"
#include "value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
desk_init(struct desk *d, struct worker *w, const struct bl_config *cfg)
{
    memset(d, 0, sizeof *d);
    d->worker = w;
    d->cfg = cfg;
}

static void
part_settle(struct desk_part *p, enum desk_state state, enum bl_kind kind,
            const char *error)
{
    free(p->error);
    p->error = NULL;
    p->kind = state == DESK_FAILED ? kind : BL_OK;
    if (state == DESK_FAILED)
        p->error = strdup(error != NULL ? error : _("no answer"));
    p->state = state;
    p->seq = 0;
    p->gen++;
}

/* Whether another part than p is being fetched by job seq. */
static int
seq_shared(const struct desk *d, const struct desk_part *p, unsigned long seq)
{
    const struct desk_part *parts[] = {&d->profile, &d->shipments, &d->shipment};

    for (size_t i = 0; i < 3; i++)
        if (parts[i] != p && parts[i]->state == DESK_LOADING && parts[i]->seq == seq)
            return 1;
    return 0;
}

/* Stops fetching p: its job is cancelled unless it fetches another part too (whose
 * answer is still wanted) or is the opening's, which goes with the account; an answer
 * for p that comes anyway is no longer taken. */
static void
part_stop(struct desk *d, struct desk_part *p)
{
    if (p->state == DESK_LOADING && p->seq != d->first_fetch && !seq_shared(d, p, p->seq))
        worker_cancel(d->worker, p->seq);
    if (p->state == DESK_LOADING)
        p->state = DESK_IDLE;
    p->seq = 0;
}

void
desk_close(struct desk *d)
{
    if (d->first_fetch != 0)
        worker_cancel(d->worker, d->first_fetch);
    d->first_fetch = 0;
    part_stop(d, &d->profile);
    part_stop(d, &d->shipments);
    part_stop(d, &d->shipment);
    part_settle(&d->profile, DESK_IDLE, BL_OK, NULL);
    part_settle(&d->shipments, DESK_IDLE, BL_OK, NULL);
    part_settle(&d->shipment, DESK_IDLE, BL_OK, NULL);
    account_profile_free(d->profile_data);
    account_shipments_free(d->list);
    account_shipment_free(d->shipment_data);
    d->profile_data = NULL;
    d->list = NULL;
    d->shipment_data = NULL;
    d->awb = 0;
    session_free(d->session);
    d->session = NULL;
    d->session_seq = 0;
    free(d->key_note);
    d->key_note = NULL;
    /* A key being stored is still stored (as the agent was told); its answer, and that
     * of a forget, are no longer taken. */
    d->key_seq = d->forget_seq = 0;
}

void
desk_free(struct desk *d)
{
    desk_close(d);
    desk_change_forget(d);
    error_clear(&d->open_err);
}

/* Starts opening with job seq, or returns 0 when it could not be queued (rc). */
static unsigned long
opening(struct desk *d, unsigned long seq, int stored, int rc)
{
    if (rc != 0)
        return 0;
    d->opening = seq;
    d->opening_stored = stored;
    error_clear(&d->open_err);
    return seq;
}

unsigned long
desk_login(struct desk *d, char *email, char *password, size_t len, struct bl_error *err)
{
    unsigned long seq = worker_seq(d->worker);

    return opening(d, seq, 0, job_login(d->worker, seq, email, password, len, err));
}

unsigned long
desk_lookup(struct desk *d, char *email, struct bl_error *err)
{
    unsigned long seq = worker_seq(d->worker);

    return opening(d, seq, 0, job_lookup(d->worker, seq, email, err));
}

unsigned long
desk_open_stored(struct desk *d, const char *email, struct bl_error *err)
{
    unsigned long seq = worker_seq(d->worker);

    return opening(d, seq, 1, job_open_stored(d->worker, seq, email, err));
}

int
desk_cancel_opening(struct desk *d)
{
    if (d->opening == 0 || !worker_cancel_opening(d->worker, d->opening))
        return 0;
    d->opening = 0;
    return 1;
}

int
desk_owns(const struct desk *d, unsigned long seq)
{
    return seq != 0 && (seq == d->opening || seq == d->key_seq || seq == d->forget_seq ||
                        seq == d->change.seq || seq == d->change.note_seq ||
                        (d->profile.state == DESK_LOADING && seq == d->profile.seq) ||
                        (d->shipments.state == DESK_LOADING && seq == d->shipments.seq) ||
                        (d->shipment.state == DESK_LOADING && seq == d->shipment.seq));
}

/* Queues a fetch of what (FETCH_* bits) with the key shown; returns its job number, or
 * 0 with err. */
static unsigned long
fetch(struct desk *d, unsigned what, int noted, struct bl_error *err)
{
    const struct bl_session *s = d->session;
    unsigned long seq;
    struct job_fetch f = {.what = what,
                          .email = s->email,
                          .box_id = s->box_id,
                          .customer_key = s->customer_key,
                          .from = d->asked_from,
                          .to = d->asked_to,
                          .awb = d->awb,
                          .noted = noted};

    seq = worker_seq(d->worker);
    return job_fetch(d->worker, seq, &f, err) == 0 ? seq : 0;
}

static void
part_load(struct desk_part *p, unsigned long seq)
{
    free(p->error);
    p->error = NULL;
    p->state = DESK_LOADING;
    p->seq = seq;
}

/*
 * A new customer is shown: what was open goes, and what follows the opening
 * starts. A stored account's job fetches its profile and shipments itself; a
 * login's or lookup's key is used to fetch them (one round trip after the
 * opening, before the keyring, which may be slow) and then stored.
 */
static void
opened(struct desk *d, struct job_result *r, int stored)
{
    struct bl_error err = {0};
    unsigned long seq;

    desk_close(d);
    d->session = r->u.session;
    r->u.session = NULL;
    d->session_seq = r->seq;
    value_default_window(d->asked_from, d->asked_to);
    if (stored) {
        d->key = DESK_KEY_OPENED;
        d->first_fetch = r->seq;
        part_load(&d->profile, r->seq);
        part_load(&d->shipments, r->seq);
        return;
    }
    if ((seq = fetch(d, FETCH_PROFILE | FETCH_SHIPMENTS, 0, &err)) != 0) {
        d->first_fetch = seq;
        part_load(&d->profile, seq);
        part_load(&d->shipments, seq);
    } else {
        part_settle(&d->profile, DESK_FAILED, err.kind, err.message);
        part_settle(&d->shipments, DESK_FAILED, err.kind, err.message);
    }
    error_clear(&err);
    d->key = DESK_KEY_SAVING;
    d->key_seq = worker_seq(d->worker);
    if (job_store_key(d->worker, d->key_seq, d->session, &err) != 0) {
        d->key = DESK_KEY_NOT_SAVED;
        d->key_note = err.message;
        err.message = NULL;
        d->key_seq = 0;
    }
    error_clear(&err);
}

static void
forgot(struct desk *d, struct job_result *r, struct desk_news *news)
{
    news->changed |= DESK_SAY | DESK_KEY;
    news->bad = r->err.kind != BL_OK;
    if (news->bad) {
        snprintf(news->say, sizeof news->say, _("Could not forget the key: %s"),
                 r->err.message != NULL ? r->err.message : "?");
    } else if (r->u.forgot == 0) {
        snprintf(news->say, sizeof news->say, _("No stored key for %s"),
                 d->session != NULL ? d->session->email : "");
    } else {
        snprintf(news->say, sizeof news->say, "%s", _("Stored key forgotten"));
        d->key = DESK_KEY_FORGOTTEN;
    }
}

/* Settles part p with its job's result r; returns 0 when r is not its answer. */
static int
part_answer(struct desk_part *p, const struct job_result *r)
{
    if (p->state != DESK_LOADING || p->seq != r->seq)
        return 0;
    part_settle(p, r->err.kind == BL_OK ? DESK_READY : DESK_FAILED, r->err.kind,
                r->err.message);
    return 1;
}

/* Copies what the profile p shows of the session's flags and name into s. */
static void
session_follows(struct bl_session *s, const struct account_profile *p)
{
    char *name;

    if (p->vip != FLAG_UNKNOWN)
        s->vip = p->vip;
    if (p->business != FLAG_UNKNOWN)
        s->business = p->business;
    if (p->active != FLAG_UNKNOWN)
        s->active = p->active;
    if (p->enabled != FLAG_UNKNOWN)
        s->enabled = p->enabled;
    if (p->name != NULL && (name = strdup(p->name)) != NULL) {
        free(s->name);
        s->name = name;
    }
}

/* The change's answer: how it ended, and the account as read back. */
static void
changed(struct desk *d, struct job_result *r, struct desk_news *news)
{
    struct desk_change *c = &d->change;

    if (r->u.changed.warning != NULL) {
        news->changed |= DESK_SAY;
        news->bad = 1;
        snprintf(news->say, sizeof news->say, "%s", r->u.changed.warning);
    }
    if (r->seq == c->note_seq) {
        c->note_seq = 0;
        return;
    }
    if (r->seq != c->seq)
        return;
    c->seq = 0;
    c->answered = 1;
    c->sent = r->err.kind == BL_OK;
    error_clear(&c->err);
    error_move(&c->err, &r->err);
    c->outcome = r->u.changed.outcome;
    c->verified = r->u.changed.verified;
    free(c->message);
    c->message = r->u.changed.message;
    r->u.changed.message = NULL;
    news->changed |= DESK_CHANGED;
    if (d->session == NULL)
        return;
    if (r->u.changed.new_key != NULL && r->u.changed.new_email != NULL) {
        /* The email change moved the key: the desk follows the new email and key. */
        free(d->session->email);
        d->session->email = r->u.changed.new_email;
        r->u.changed.new_email = NULL;
        secmem_free(d->session->customer_key);
        d->session->customer_key = r->u.changed.new_key;
        r->u.changed.new_key = NULL;
        d->key = r->u.changed.key_stored ? DESK_KEY_SAVED : DESK_KEY_NOT_SAVED;
        free(d->key_note);
        d->key_note = r->u.changed.key_stored ? NULL : strdup(_("not stored"));
        news->changed |= DESK_KEY;
    }
    if (r->u.changed.after != NULL) {
        session_follows(d->session, r->u.changed.after);
        part_stop(d, &d->profile);
        account_profile_free(d->profile_data);
        d->profile_data = r->u.changed.after;
        r->u.changed.after = NULL;
        part_settle(&d->profile, DESK_READY, BL_OK, NULL);
        clock_gettime(CLOCK_MONOTONIC, &d->profile_at);
        news->changed |= DESK_PROFILE;
    }
}

void
desk_take(struct desk *d, struct job_result *r, struct desk_news *news)
{
    memset(news, 0, sizeof *news);
    switch (r->kind) {
    case JOB_OPENED:
        if (r->seq != d->opening)
            return;
        d->opening = 0;
        news->seq = r->seq;
        if (r->u.session != NULL) {
            opened(d, r, d->opening_stored);
            news->changed = DESK_OPENED | DESK_KEY | DESK_PROFILE | DESK_SHIPMENTS;
        } else {
            error_move(&d->open_err, &r->err);
            if (d->open_err.message == NULL)
                error_set(&d->open_err, BL_INTERNAL, "%s", _("out of memory"));
            news->changed = DESK_FAILED_TO;
        }
        break;
    case JOB_PROFILE:
        if (!part_answer(&d->profile, r))
            return;
        account_profile_free(d->profile_data);
        d->profile_data = r->u.profile;
        r->u.profile = NULL;
        clock_gettime(CLOCK_MONOTONIC, &d->profile_at);
        news->changed = DESK_PROFILE;
        break;
    case JOB_SHIPMENTS:
        if (!part_answer(&d->shipments, r))
            return;
        if (r->u.shipments.list != NULL) {
            account_shipments_free(d->list);
            d->list = r->u.shipments.list;
            r->u.shipments.list = NULL;
            memcpy(d->list_from, r->u.shipments.from, sizeof d->list_from);
            memcpy(d->list_to, r->u.shipments.to, sizeof d->list_to);
            memcpy(d->asked_from, d->list_from, sizeof d->asked_from);
            memcpy(d->asked_to, d->list_to, sizeof d->asked_to);
        } else if (d->list != NULL) {
            /* The dates go back to the rows still shown. */
            memcpy(d->asked_from, d->list_from, sizeof d->asked_from);
            memcpy(d->asked_to, d->list_to, sizeof d->asked_to);
        }
        news->changed = DESK_SHIPMENTS;
        break;
    case JOB_SHIPMENT:
        if (!part_answer(&d->shipment, r))
            return;
        account_shipment_free(d->shipment_data);
        d->shipment_data = r->u.shipment.shipment;
        r->u.shipment.shipment = NULL;
        news->changed = DESK_SHIPMENT;
        break;
    case JOB_KEY_STORED:
        if (r->seq != d->key_seq)
            return;
        d->key_seq = 0;
        d->key = r->err.kind == BL_OK ? DESK_KEY_SAVED : DESK_KEY_NOT_SAVED;
        free(d->key_note);
        d->key_note = r->err.message;
        r->err.message = NULL;
        news->changed = DESK_KEY;
        break;
    case JOB_FORGOT:
        if (r->seq != d->forget_seq)
            return;
        d->forget_seq = 0;
        forgot(d, r, news);
        break;
    case JOB_CHANGED:
        changed(d, r, news);
        break;
    case JOB_LISTED:
    case JOB_CREDENTIALS:
    case JOB_NOTE:
    case JOB_PLACES:
        break;
    }
}

int
desk_fetch_profile(struct desk *d, struct bl_error *err)
{
    unsigned long seq;

    if (d->session == NULL || d->profile.state == DESK_LOADING)
        return 0;
    if ((seq = fetch(d, FETCH_PROFILE, 1, err)) == 0)
        return -1;
    part_load(&d->profile, seq);
    return 0;
}

int
desk_fetch_shipments(struct desk *d, const char *from, const char *to,
                     struct bl_error *err)
{
    unsigned long seq;

    if (d->session == NULL)
        return 0;
    /* One window at a time: the one asked for before must not go out (with the key)
     * once it is no longer wanted. */
    part_stop(d, &d->shipments);
    snprintf(d->asked_from, sizeof d->asked_from, "%s", from);
    snprintf(d->asked_to, sizeof d->asked_to, "%s", to);
    if ((seq = fetch(d, FETCH_SHIPMENTS, 1, err)) == 0) {
        part_settle(&d->shipments, DESK_FAILED, err->kind, err->message);
        return -1;
    }
    part_load(&d->shipments, seq);
    return 0;
}

int
desk_fetch_shipment(struct desk *d, uint64_t awb, struct bl_error *err)
{
    unsigned long seq;

    if (d->session == NULL || (d->awb == awb && (d->shipment.state == DESK_LOADING ||
                                                 d->shipment_data != NULL)))
        return 0;
    part_stop(d, &d->shipment); /* another shipment, no longer wanted */
    account_shipment_free(d->shipment_data);
    d->shipment_data = NULL;
    d->awb = awb;
    if ((seq = fetch(d, FETCH_SHIPMENT, 1, err)) == 0) {
        part_settle(&d->shipment, DESK_FAILED, err->kind, err->message);
        return -1;
    }
    part_load(&d->shipment, seq);
    return 0;
}

void
desk_leave_shipment(struct desk *d)
{
    if (d->shipment.state != DESK_LOADING)
        return;
    part_stop(d, &d->shipment);
    d->awb = 0; /* opened again, it is asked for again */
}

int
desk_key_refused(const struct desk *d)
{
    return (d->profile.state == DESK_FAILED && d->profile.kind == BL_REJECTED) ||
           (d->shipments.state == DESK_FAILED && d->shipments.kind == BL_REJECTED);
}

int
desk_forget(struct desk *d, struct bl_error *err)
{
    if (d->session == NULL)
        return 0;
    if (d->cfg->no_keyring)
        return error_set(err, BL_USAGE, "%s",
                         /* TRANSLATORS: after f (forget the stored key) with the keyring
                            turned off; keep --no-keyring as it is. */
                         _("the keyring is off (--no-keyring): nothing was forgotten"));
    d->forget_seq = worker_seq(d->worker);
    if (job_forget(d->worker, d->forget_seq, d->session->email, err) != 0) {
        d->forget_seq = 0;
        return -1;
    }
    return 0;
}

int
desk_profile_fresh(const struct desk *d)
{
    struct timespec now;

    long young = 60;

#ifdef BOXLOGIN_TEST_HOOKS
    /* Test builds: BOXLOGIN_TEST_FRESH_S=0 makes every profile too old for a change. */
    if (getenv("BOXLOGIN_TEST_FRESH_S") != NULL)
        young = strtol(getenv("BOXLOGIN_TEST_FRESH_S"), NULL, 10);
#endif
    if (d->profile.state != DESK_READY || d->profile_data == NULL)
        return 0;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec - d->profile_at.tv_sec < young;
}

int
desk_refresh_profile(struct desk *d, struct bl_error *err)
{
    unsigned long seq;

    if (d->session == NULL || d->profile.state == DESK_LOADING)
        return 0;
    if ((seq = fetch(d, FETCH_PROFILE, 0, err)) == 0)
        return -1;
    part_load(&d->profile, seq);
    return 0;
}

/* Queues the change job of c for the customer shown; returns its number or 0. */
static unsigned long
change_job(struct desk *d, struct change_request *rq, const struct change_plan *plan,
           int noted_only, struct bl_error *err)
{
    const struct bl_session *s = d->session;
    struct job_change c = {.email = s->email,
                           .box_id = s->box_id,
                           .customer_key = s->customer_key,
                           .rq = rq,
                           .plan = plan,
                           .noted_only = noted_only,
                           .planned_at = d->profile_at};
    unsigned long seq = worker_seq(d->worker);

    return job_change(d->worker, seq, &c, err) == 0 ? seq : 0;
}

int
desk_change(struct desk *d, struct change_request *rq, const struct change_plan *plan,
            struct bl_error *err)
{
    if (d->session == NULL) {
        change_request_clear(rq);
        return error_set(err, BL_USAGE, "%s", _("no customer is open"));
    }
    desk_change_forget(d);
    d->change.noted = (struct change_request){
        .kind = rq->kind,
        .vip = rq->vip,
        .business = rq->business,
        .new_email = rq->new_email != NULL ? strdup(rq->new_email) : NULL};
    change_flow_plan_copy(&d->change.plan, plan);
    d->change.seq = change_job(d, rq, plan, 0, err);
    return d->change.seq != 0 ? 0 : -1;
}

void
desk_change_declined(struct desk *d, const struct change_request *rq,
                     const struct change_plan *plan)
{
    /* What the history line needs: the kind, the new email; never the password. */
    struct change_request copy = {
        .kind = rq->kind,
        .vip = rq->vip,
        .business = rq->business,
        .new_email = rq->new_email != NULL ? strdup(rq->new_email) : NULL};
    struct bl_error err = {0};

    if (d->session == NULL) {
        change_request_clear(&copy);
        return;
    }
    d->change.note_seq = change_job(d, &copy, plan, 1, &err);
    error_clear(&err);
}

int
desk_change_cancel(struct desk *d)
{
    if (d->change.seq == 0 || !worker_cancel(d->worker, d->change.seq))
        return 0;
    d->change.seq = 0;
    desk_change_declined(d, &d->change.noted, &d->change.plan);
    return 1;
}

int
desk_change_busy(const struct desk *d)
{
    return d->change.seq != 0 || d->change.note_seq != 0;
}

void
desk_change_forget(struct desk *d)
{
    free(d->change.message);
    error_clear(&d->change.err);
    change_request_clear(&d->change.noted);
    change_plan_clear(&d->change.plan);
    d->change =
        (struct desk_change){.seq = d->change.seq, .note_seq = d->change.note_seq};
}
