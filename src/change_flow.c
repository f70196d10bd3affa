#include "change_flow.h"
#include "history.h"
#include "i18n.h"
#include "keyring.h"
#include "log.h"
#include "secmem.h"
#include "session.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns a warning from outside (the keyring, the file system) is cut to. */
#define WARNING_COLUMNS 300

static unsigned long
next_seq(struct change_flow *f)
{
    return f->seq_steps ? ++f->seq : f->seq;
}

/* Sets *slot to the printf-formatted text, freeing what it held. */
static void say_into(char **slot, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
say_into(char **slot, const char *fmt, ...)
{
    va_list ap;

    free(*slot);
    va_start(ap, fmt);
    *slot = text_vformat(fmt, ap);
    va_end(ap);
}

/* A reason from outside, inert and on one line; malloc'd or NULL. */
static char *
inert(const char *text)
{
    return text_one_line(text != NULL ? text : "", WARNING_COLUMNS);
}

int
change_flow_read_profile(struct change_flow *f, const char *email,
                         struct account_profile **out, struct bl_error *err)
{
    struct api_request rq = {
        .call = API_PROFILE, .box_id = f->box_id, .customer_key = f->key};
    struct api_reply reply;
    int rc = -1;

    *out = NULL;
    api_send(f->api, next_seq(f), f->cfg, &rq, 1, &reply);
    if (reply.err.kind != BL_OK)
        error_move(err, &reply.err);
    else
        rc = account_profile_decode(reply.status, reply.body, reply.len, email, out, err);
    api_reply_clear(&reply);
    return rc;
}

/* Whether the profile of f's plan is CHANGE_FLOW_STALE_MS old or more, or of unknown
 * age. */
static int
plan_stale(const struct change_flow *f)
{
    struct timespec now;
    long long stale = CHANGE_FLOW_STALE_MS, age;

#ifdef BOXLOGIN_TEST_HOOKS
    /* Test builds: BOXLOGIN_TEST_STALE_MS=0 makes every address plan stale. */
    if (getenv("BOXLOGIN_TEST_STALE_MS") != NULL)
        stale = strtol(getenv("BOXLOGIN_TEST_STALE_MS"), NULL, 10);
#endif
    if (f->planned_at.tv_sec == 0 && f->planned_at.tv_nsec == 0)
        return 1;
    clock_gettime(CLOCK_MONOTONIC, &now);
    age = (long long)(now.tv_sec - f->planned_at.tv_sec) * 1000 +
          (now.tv_nsec - f->planned_at.tv_nsec) / 1000000;
    return age >= stale;
}

int
change_flow_recheck(struct change_flow *f, struct bl_error *err)
{
    struct account_profile *now = NULL;
    struct change_plan again;
    struct bl_error why = {0};
    int same;

    if (f->rq->kind != CHANGE_ADDRESS || !plan_stale(f))
        return 0;
    log_msg("the address plan is older than %d ms: reading the profile again",
            CHANGE_FLOW_STALE_MS);
    if (change_flow_read_profile(f, f->email_key, &now, err) != 0)
        return -1;
    memset(&again, 0, sizeof again);
    if (change_plan_make(f->rq, now, &again, &why) != 0) {
        account_profile_free(now);
        if (why.kind == BL_INTERNAL) {
            error_move(err, &why);
            return -1;
        }
        /* The profile can no longer take this plan (no address, say): it changed. */
        error_clear(&why);
        same = 0;
    } else {
        account_profile_free(now);
        same = change_plan_equal(f->plan, &again);
        change_plan_clear(&again);
    }
    if (same)
        return 0;
    say_into(&f->message, "%s",
             /* TRANSLATORS: an address change whose profile changed between the review
                and the write (a phone added, say). */
             _("the account changed while the change was being confirmed; nothing was "
               "sent"));
    return 1;
}

void
change_flow_write(struct change_flow *f, struct api_reply *reply)
{
    struct api_request w;

    /* What is sent is what was reviewed: a request emptied meanwhile (a new password
     * gone, another kind) is not sent at all. */
    if (f->rq->kind != f->plan->kind ||
        (f->rq->kind == CHANGE_PASSWORD && f->rq->new_password == NULL)) {
        memset(reply, 0, sizeof *reply);
        reply->sent = API_NOT_SENT;
        error_set(&reply->err, BL_INTERNAL, "%s",
                  _("the change no longer matches its review; nothing was sent"));
        return;
    }
    w = change_write_request(f->rq, f->plan, f->box_id, f->key, f->email_key);
    w.hold = f->hold_write;
    api_send(f->api, next_seq(f), f->cfg, &w, 1, reply);
    log_test_pause("after-write");
}

/*
 * Reads back: the profile (with the new email and key after an email change), or for a
 * password a login with the new one that stores nothing. Sets f->verified (1, 0, or -1
 * when the read could not run); why holds the read's failure.
 */
static void
read_back(struct change_flow *f, const char *email, struct bl_error *why)
{
    if (f->rq->kind == CHANGE_PASSWORD) {
        struct bl_session *s = NULL;

        api_login(f->api, next_seq(f), f->cfg, f->email_key, f->rq->new_password,
                  f->rq->new_password_len, &s, why);
        f->verified = s != NULL ? 1 : why->kind == BL_REJECTED ? 0 : -1;
        session_free(s);
        return;
    }
    if (change_flow_read_profile(f, email, &f->after, why) != 0)
        f->verified = -1;
    else
        f->verified = change_verify(f->plan, f->after);
}

/* Moves the keyring item after an email change: the new key stored under the new
 * email, then the old email's item deleted; a failure between leaves both. Takes
 * new_key. */
static void
move_key(struct change_flow *f, char *new_key)
{
    struct bl_session s = {
        .email = f->rq->new_email, .box_id = f->box_id, .customer_key = new_key};
    struct bl_error err = {0};
    int removed = 0;
    char *why;

    f->key_stored = keyring_save_session(&s, f->cfg, &err) == 0;
    if (!f->key_stored) {
        why = inert(err.message);
        /* TRANSLATORS: %s is why, like "--no-keyring was given". */
        say_into(&f->warning, _("warning: customer key not saved to the keyring: %s"),
                 why != NULL ? why : "");
        free(why);
    } else if (keyring_forget(f->email_key, config_env_name(f->cfg->env), &removed,
                              &err) != 0) {
        why = inert(err.message);
        /* TRANSLATORS: the old email, then why its stored key could not be deleted. */
        say_into(&f->warning, _("warning: the stored key for %s was not deleted: %s"),
                 f->email_key, why != NULL ? why : "");
        free(why);
    }
    error_clear(&err);
    secmem_free(f->key);
    f->key = new_key;
    f->key_moved = 1;
}

/*
 * The reply to an email change was lost, and the old key may have stopped working: a
 * partner lookup of the new email tells. The same box ID: made, *new_key its key (the
 * new one). Not found: a lookup of the old email; the same box ID there: not made.
 * Returns 1 made, 0 not made, -1 unknown (why says why). Stores nothing.
 */
static int
look_up_moved(struct change_flow *f, char **new_key, struct bl_error *why)
{
    struct bl_session *s = NULL;
    int rc = -1;

    error_clear(why);
    api_partner(f->api, next_seq(f), f->cfg, f->rq->new_email, &s, why);
    if (s != NULL && s->box_id == f->box_id) {
        *new_key = s->customer_key;
        s->customer_key = NULL;
        rc = 1;
    } else if (s == NULL && why->kind == BL_REJECTED) {
        session_free(s);
        s = NULL;
        error_clear(why);
        api_partner(f->api, next_seq(f), f->cfg, f->email_key, &s, why);
        if (s != NULL && s->box_id == f->box_id)
            rc = 0;
    }
    if (rc == -1 && s != NULL)
        /* TRANSLATORS: the lookups after a lost reply found another customer. */
        error_set(why, BL_SERVER, "%s",
                  _("a lookup of the emails finds another customer"));
    session_free(s);
    return rc;
}

int
change_flow_settle(struct change_flow *f, struct api_reply *reply, struct bl_error *err)
{
    enum api_write w = api_write_outcome(reply);
    const char *email = f->email_key;
    struct bl_error why = {0};
    char *new_key = NULL, *now = NULL, *said = NULL;
    int lost = 0, moved = -1;

    f->verified = -1;
    if (w == API_WRITE_NOT_SENT) {
        error_move(err, &reply->err);
        return -1;
    }
    if (w == API_WRITE_ANSWERED) {
        if (change_reply_decode(f->rq->kind, reply->status, reply->body, reply->len,
                                f->rq->new_email, &new_key, &why) != 0 &&
            why.kind == BL_REJECTED) {
            f->outcome = CHANGE_REJECTED;
            say_into(&f->message, "%s", why.message);
            error_clear(&why);
            return 0;
        }
        lost = why.kind != BL_OK;
        /* A yes with the server's words on a part of it: they are kept. */
        if (lost && why.server_description != NULL)
            said = inert(why.server_description);
    } else {
        lost = 1;
        error_move(&why, &reply->err);
    }
    if (lost && said == NULL && f->rq->kind == CHANGE_EMAIL && new_key == NULL &&
        (f->stopped == NULL || !f->stopped()))
        moved = look_up_moved(f, &new_key, &why);
    if (new_key != NULL) {
        move_key(f, new_key);
        email = f->rq->new_email;
    }
    if (moved == 0) {
        f->verified = 0;
        f->outcome = CHANGE_NOT_APPLIED;
        say_into(&f->message, "%s",
                 /* TRANSLATORS: an email change whose reply was lost. */
                 _("the reply to the change was lost, and the old email still belongs "
                   "to the account: the change was not made"));
        error_clear(&why);
        return 0;
    }
    if (f->stopped == NULL || !f->stopped()) {
        error_clear(&why);
        read_back(f, email, &why);
    }
    if (f->verified == 1) {
        f->outcome = CHANGE_APPLIED;
        if (said != NULL)
            /* TRANSLATORS: %s is the server's own words about a part of the change. */
            say_into(&f->message,
                     _("the server reported a problem (%s), but reading it back shows "
                       "the change was made"),
                     said);
        else if (lost)
            say_into(&f->message, "%s",
                     _("the reply to the change was lost, but reading it back shows it "
                       "was made"));
    } else if (f->verified == 0 && !lost) {
        f->outcome = CHANGE_NOT_APPLIED;
        now = f->after != NULL ? change_shown(f->plan, f->after) : NULL;
        if (now != NULL)
            /* TRANSLATORS: %s is what the profile shows, like "vip: false". */
            say_into(&f->message,
                     _("the server said yes, but the profile still shows %s"), now);
        else
            say_into(&f->message, "%s",
                     _("the server said yes, but the new password does not log in"));
    } else {
        f->outcome = CHANGE_UNKNOWN;
        now = f->after != NULL ? change_shown(f->plan, f->after) : NULL;
        if (said != NULL && now != NULL)
            /* TRANSLATORS: the server's own words, then what the profile shows now. */
            say_into(&f->message,
                     _("the server reported a problem (%s); the change may or may not "
                       "have been made: the profile shows %s"),
                     said, now);
        else if (said != NULL)
            /* TRANSLATORS: the server's own words, then why it could not be read back. */
            say_into(&f->message,
                     _("the server reported a problem (%s); the change may or may not "
                       "have been made; it could not be read back (%s)"),
                     said, why.message != NULL ? why.message : "");
        else if (now != NULL)
            /* TRANSLATORS: %s is what the profile shows now, like "vip: false". */
            say_into(&f->message,
                     _("the change may or may not have been made: the profile shows %s"),
                     now);
        else
            /* TRANSLATORS: %s is why it could not be read back. */
            say_into(&f->message,
                     _("the change may or may not have been made; it could not be read "
                       "back (%s)"),
                     why.message != NULL ? why.message : "");
    }
    free(now);
    free(said);
    error_clear(&why);
    return 0;
}

void
change_flow_remember(struct change_flow *f, const char *outcome)
{
    const char *names[CHANGE_MAX_FIELDS];
    struct history_change c = {
        .outcome = outcome, .fields = names, .n_fields = f->plan->n};
    struct bl_error err = {0};

    if (!f->cfg->history)
        return;
    for (size_t i = 0; i < f->plan->n && i < CHANGE_MAX_FIELDS; i++)
        names[i] = f->plan->fields[i].name;
    if (f->rq->kind == CHANGE_EMAIL)
        c.new_email = f->rq->new_email;
    if (history_record_change(f->cfg->env, change_history_action(f->rq->kind),
                              f->email_key, f->box_id, &c, &err) != 0) {
        char *why = inert(err.message);

        /* TRANSLATORS: %s is why the history file could not be written. */
        say_into(&f->warning, _("warning: %s (the change is not in the history)"),
                 why != NULL ? why : "");
        free(why);
    }
    error_clear(&err);
}

void
change_flow_clear(struct change_flow *f)
{
    secmem_free(f->key);
    f->key = NULL;
    account_profile_free(f->after);
    f->after = NULL;
    free(f->message);
    f->message = NULL;
    free(f->warning);
    f->warning = NULL;
}

/* *to becomes a copy of s owned by plan (NULL stays NULL); 1, or 0 without memory. */
static int
copy_owned(struct change_plan *plan, const char **to, const char *s)
{
    char *copy, **more;

    *to = NULL;
    if (s == NULL)
        return 1;
    if ((copy = strdup(s)) == NULL)
        return 0;
    if ((more = realloc(plan->owned, (plan->n_owned + 1) * sizeof(char *))) == NULL) {
        free(copy);
        return 0;
    }
    plan->owned = more;
    plan->owned[plan->n_owned++] = copy;
    *to = copy;
    return 1;
}

int
change_flow_plan_copy(struct change_plan *out, const struct change_plan *plan)
{
    int ok = 1;

    memset(out, 0, sizeof *out);
    out->kind = plan->kind;
    for (size_t i = 0; i < plan->n; i++) {
        const struct change_field *f = &plan->fields[i];
        struct change_field *to = &out->fields[out->n++];

        to->name = f->name;
        to->boolean = f->boolean;
        to->before = f->before != NULL ? strdup(f->before) : NULL;
        to->after = f->after != NULL ? strdup(f->after) : NULL;
        ok &= (f->before == NULL || to->before != NULL) &&
              (f->after == NULL || to->after != NULL);
    }
    /* An address's write: the element and every phone, their strings owned by the copy.
     */
    out->city_code = plan->city_code;
    out->state_code = plan->state_code;
    out->country_num = plan->country_num;
    out->address.city_code = plan->address.city_code;
    ok &= copy_owned(out, &out->address.city_name, plan->address.city_name) &&
          copy_owned(out, &out->address.phone_area, plan->address.phone_area) &&
          copy_owned(out, &out->address.phone_number, plan->address.phone_number) &&
          copy_owned(out, &out->address.phone_extension, plan->address.phone_extension) &&
          copy_owned(out, &out->address.locality_town, plan->address.locality_town) &&
          copy_owned(out, &out->address.neighborhood, plan->address.neighborhood) &&
          copy_owned(out, &out->address.address_01, plan->address.address_01) &&
          copy_owned(out, &out->address.zip_code, plan->address.zip_code);
    if (ok && plan->n_phones > 0) {
        if ((out->phones = calloc(plan->n_phones, sizeof *out->phones)) == NULL)
            ok = 0;
        for (size_t i = 0; ok && i < plan->n_phones; i++) {
            out->phones[i].type = plan->phones[i].type;
            out->n_phones++;
            ok &= copy_owned(out, &out->phones[i].area_code, plan->phones[i].area_code) &&
                  copy_owned(out, &out->phones[i].number, plan->phones[i].number) &&
                  copy_owned(out, &out->phones[i].extension, plan->phones[i].extension);
        }
    }
    if (!ok)
        change_plan_clear(out);
    return ok ? 0 : -1;
}
