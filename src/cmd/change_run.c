#include "change_run.h"
#include "output.h"
#include "../account.h"
#include "../i18n.h"
#include "../keyring.h"
#include "../secmem.h"
#include "../signals.h"
#include "../text.h"
#include "../value.h"

#include <ctype.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One change on its way; owned by change_run. */
struct run {
    struct cmd_ctx *ctx;
    struct change_request *rq;
    char *email, *email_key; /* the EMAIL operand: trimmed; normalised */
    char *key;               /* secmem: the customer key in use */
    uint64_t box_id;
    int from_keyring, key_stored;
    unsigned long seq;
    struct account_profile *before, *after;
    struct change_plan plan;
    enum change_outcome outcome;
    int verified;  /* 1, 0, -1 not read back */
    char *message; /* what happened, in words; NULL when applied cleanly */
};

int
change_run_allowed(const struct cmd_ctx *ctx, struct bl_error *err)
{
    const struct bl_config *cfg = &ctx->run.cfg;

    if (!cfg->changes && cfg->changes_off_by_option)
        /* TRANSLATORS: keep --read-only as it is. */
        return error_set(err, BL_USAGE, "%s", _("changes are turned off (--read-only)"));
    if (!cfg->changes)
        /* TRANSLATORS: keep "changes = false" as it is; %s is the config file. */
        return error_set(err, BL_USAGE,
                         _("changes are turned off (changes = false in %s)"),
                         cfg->file_path != NULL ? cfg->file_path : "the config file");
    if (!ctx->cli->yes && !ctx->cli->dry_run && !isatty(STDIN_FILENO))
        /* TRANSLATORS: keep --yes and --dry-run as they are. */
        return error_set(err, BL_USAGE, "%s",
                         _("no terminal to confirm the change on: give --yes (or "
                           "--dry-run to see it)"));
    return 0;
}

/* Takes s's key and box ID for r, storing the key as lookup does. */
static void
take_session(struct run *r, struct bl_session *s)
{
    secmem_free(r->key);
    r->key = s->customer_key;
    s->customer_key = NULL;
    r->box_id = s->box_id;
    r->from_keyring = 0;
}

/* The partner lookup for r's email: its key, stored and noted as `lookup` does. */
static int
look_up(struct run *r, struct bl_error *err)
{
    struct cmd_run *run = &r->ctx->run;
    struct bl_session *s = NULL;
    int stored = 0;

    if (cmd_cancelled(err) != 0)
        return -1;
    api_partner(run->api, ++r->seq, &run->cfg, r->email, &s, err);
    cmd_remember(run, HISTORY_LOOKUP, r->email_key, s != NULL ? s->box_id : 0, err->kind);
    if (s == NULL)
        return -1;
    if ((s->email = strdup(r->email_key)) == NULL) {
        session_free(s);
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    }
    cmd_keep_session(run, s, &stored);
    r->key_stored = stored;
    take_session(r, s);
    session_free(s);
    return 0;
}

/* The key: the stored one, else the partner lookup's. A change never asks for the
 * customer's password. */
static int
find_key(struct run *r, struct bl_error *err)
{
    const struct bl_config *cfg = &r->ctx->run.cfg;
    struct bl_error why = {0};
    int found = 0;

    if (!cfg->no_keyring)
        found = keyring_lookup_customer_key(r->email_key, cfg->env, &r->key, &r->box_id,
                                            &why);
    if (found != 1 && why.message != NULL)
        /* TRANSLATORS: %s is why no stored key serves. */
        cmd_say(_("note: %s; looking the customer up instead"), why.message);
    error_clear(&why);
    if (found == 1) {
        r->from_keyring = r->key_stored = 1;
        return 0;
    }
    return look_up(r, err);
}

/* Reads the profile with r's key, expecting email, into *out. Returns 0, or -1 with
 * err. */
static int
read_profile(struct run *r, const char *email, struct account_profile **out,
             struct bl_error *err)
{
    struct api_request rq = {
        .call = API_PROFILE, .box_id = r->box_id, .customer_key = r->key};
    struct api_reply reply;
    int rc = -1;

    *out = NULL;
    if (cmd_cancelled(err) != 0)
        return -1;
    api_send(r->ctx->run.api, ++r->seq, &r->ctx->run.cfg, &rq, 1, &reply);
    if (reply.err.kind != BL_OK)
        error_move(err, &reply.err);
    else
        rc = account_profile_decode(reply.status, reply.body, reply.len, email, out, err);
    api_reply_clear(&reply);
    return rc;
}

/* The profile before: a stored key that is refused gives way to the partner lookup,
 * once. */
static int
read_before(struct run *r, struct bl_error *err)
{
    if (read_profile(r, r->email_key, &r->before, err) == 0)
        return 0;
    if (err->kind != BL_REJECTED || !r->from_keyring)
        return -1;
    error_clear(err);
    if (look_up(r, err) != 0)
        return -1;
    return read_profile(r, r->email_key, &r->before, err);
}

/* The arrow of a review line. */
static const char *
arrow(void)
{
    return text_locale_utf8() ? "→" : "->";
}

/* A value of a review line: "" (no phone of a type) as "(none)". */
static const char *
shown(const char *v)
{
    /* TRANSLATORS: a review line's value when there is none (no phone of a type). */
    return v[0] != '\0' ? v : _("(none)");
}

static void
print_plan(const struct change_plan *plan)
{
    for (size_t i = 0; i < plan->n; i++) {
        const struct change_field *f = &plan->fields[i];

        if (f->before == NULL && f->after == NULL)
            /* TRANSLATORS: a review line: a new password is never shown. */
            printf("%s: %s\n", f->name, _("(new)"));
        else
            printf("%s: %s %s %s\n", f->name,
                   /* TRANSLATORS: a value the profile does not show. */
                   f->before == NULL ? _("(unknown)") : shown(f->before), arrow(),
                   shown(f->after));
    }
}

/* Asks to confirm on the terminal: y or yes in TEST, the box ID in PROD. Returns 0
 * when confirmed, else -1 with err (BL_CANCELLED). */
static int
confirm(struct run *r, struct bl_error *err)
{
    int prod = r->ctx->run.cfg.env == ENV_PROD;
    char answer[128], box[24];
    size_t n;

    if (r->ctx->cli->yes)
        return 0;
    snprintf(box, sizeof box, "%llu", (unsigned long long)r->box_id);
    if (prod)
        /* TRANSLATORS: %s is the customer's box ID, which the agent types to confirm. */
        fprintf(stderr, _("PROD: type the box ID %s to apply this change: "), box);
    else
        /* TRANSLATORS: keep y/yes as they are (the translated "yes" is taken too). */
        fprintf(stderr, "%s", _("Apply this change? [y/yes to apply] "));
    fflush(stderr);
    fflush(stdout);
    if (fgets(answer, sizeof answer, stdin) == NULL || cmd_signalled())
        return error_set(err, BL_CANCELLED, "%s",
                         _("Cancelled: the change was not sent"));
    n = strcspn(answer, "\r\n");
    answer[n] = '\0';
    while (n > 0 && isspace((unsigned char)answer[n - 1]))
        answer[--n] = '\0';
    if (prod ? strcmp(answer + strspn(answer, " \t"), box) == 0
             : strcasecmp(answer, "y") == 0 || strcasecmp(answer, "yes") == 0 ||
                   strcasecmp(answer, _("yes")) == 0)
        return 0;
    return error_set(err, BL_CANCELLED, "%s", _("Declined: the change was not sent"));
}

/* Notes the change in the history (unless it is off). */
static void
remember(const struct run *r, const char *outcome)
{
    const char *names[CHANGE_MAX_FIELDS];
    struct history_change c = {
        .outcome = outcome, .fields = names, .n_fields = r->plan.n};
    struct bl_error err = {0};

    if (!r->ctx->run.cfg.history)
        return;
    for (size_t i = 0; i < r->plan.n; i++)
        names[i] = r->plan.fields[i].name;
    if (r->rq->kind == CHANGE_EMAIL)
        c.new_email = r->rq->new_email;
    if (history_record_change(r->ctx->run.cfg.env, change_history_action(r->rq->kind),
                              r->email_key, r->box_id, &c, &err) != 0) {
        char *msg = text_one_line(err.message, CMD_MESSAGE_COLUMNS);

        /* TRANSLATORS: %s is why the history file could not be written. */
        cmd_say(_("warning: %s (the change is not in the history)"),
                msg != NULL ? msg : err.message);
        free(msg);
    }
    error_clear(&err);
}

/* Sets r's message (printf-formatted). */
static void say_that(struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
say_that(struct run *r, const char *fmt, ...)
{
    va_list ap;

    free(r->message);
    va_start(ap, fmt);
    r->message = text_vformat(fmt, ap);
    va_end(ap);
}

/*
 * Reads back: the profile (with the new email and key after an email change), or for a
 * password a login with the new one that stores nothing. Sets r->verified (1, 0, or -1
 * when the read could not run) and returns it; why holds the read's failure.
 */
static int
read_back(struct run *r, const char *email, struct bl_error *why)
{
    if (r->rq->kind == CHANGE_PASSWORD) {
        struct bl_session *s = NULL;

        if (cmd_cancelled(why) != 0)
            return r->verified = -1;
        api_login(r->ctx->run.api, ++r->seq, &r->ctx->run.cfg, r->email_key,
                  r->rq->new_password, r->rq->new_password_len, &s, why);
        r->verified = s != NULL ? 1 : why->kind == BL_REJECTED ? 0 : -1;
        session_free(s);
        return r->verified;
    }
    if (read_profile(r, email, &r->after, why) != 0)
        return r->verified = -1;
    return r->verified = change_verify(&r->plan, r->after);
}

/* Moves the keyring item after an email change: the new key stored under the new
 * email, then the old email's item deleted; a failure between leaves both. */
static void
move_key(struct run *r, char *new_key)
{
    const struct bl_config *cfg = &r->ctx->run.cfg;
    struct bl_session s = {
        .email = r->rq->new_email, .box_id = r->box_id, .customer_key = new_key};
    struct bl_error err = {0};
    int stored = 0, removed = 0;

    cmd_keep_session(&r->ctx->run, &s, &stored);
    r->key_stored = stored;
    if (stored &&
        keyring_forget(r->email_key, config_env_name(cfg->env), &removed, &err) != 0) {
        char *msg = text_one_line(err.message, CMD_MESSAGE_COLUMNS);

        /* TRANSLATORS: the old email, then why its stored key could not be deleted. */
        cmd_say(_("warning: the stored key for %s was not deleted: %s"), r->email_key,
                msg != NULL ? msg : "");
        free(msg);
    }
    error_clear(&err);
    secmem_free(r->key);
    r->key = new_key;
}

/* After the write answered, or not: decides the outcome. Returns -1 with err only for a
 * write that was certainly never sent. */
static int
settle(struct run *r, struct api_reply *reply, struct bl_error *err)
{
    enum api_write w = api_write_outcome(reply);
    const char *email = r->email_key;
    struct bl_error why = {0};
    char *new_key = NULL, *now = NULL;
    int lost = 0;

    if (w == API_WRITE_NOT_SENT) {
        error_move(err, &reply->err);
        return -1;
    }
    if (w == API_WRITE_ANSWERED) {
        if (change_reply_decode(r->rq->kind, reply->status, reply->body, reply->len,
                                r->rq->new_email, &new_key, &why) != 0 &&
            why.kind == BL_REJECTED) {
            r->outcome = CHANGE_REJECTED;
            say_that(r, "%s", why.message);
            error_clear(&why);
            return 0;
        }
        lost = why.kind != BL_OK;
    } else {
        lost = 1;
        error_move(&why, &reply->err);
    }
    if (new_key != NULL) {
        move_key(r, new_key);
        email = r->rq->new_email;
    }
    if (cmd_signalled()) {
        r->verified = -1;
    } else {
        error_clear(&why);
        read_back(r, email, &why);
    }
    if (r->verified == 1) {
        r->outcome = CHANGE_APPLIED;
        if (lost)
            say_that(r, "%s",
                     _("the reply to the change was lost, but reading it back shows it "
                       "was made"));
    } else if (r->verified == 0 && !lost) {
        r->outcome = CHANGE_NOT_APPLIED;
        now = r->after != NULL ? change_shown(&r->plan, r->after) : NULL;
        if (now != NULL)
            /* TRANSLATORS: %s is what the profile shows, like "vip: false". */
            say_that(r, _("the server said yes, but the profile still shows %s"), now);
        else
            say_that(r, "%s",
                     _("the server said yes, but the new password does not log in"));
    } else {
        r->outcome = CHANGE_UNKNOWN;
        now = r->after != NULL ? change_shown(&r->plan, r->after) : NULL;
        if (now != NULL)
            /* TRANSLATORS: %s is what the profile shows now, like "vip: false". */
            say_that(r,
                     _("the change may or may not have been made: the profile shows %s"),
                     now);
        else
            /* TRANSLATORS: %s is why it could not be read back. */
            say_that(r,
                     _("the change may or may not have been made; it could not be read "
                       "back (%s)"),
                     cmd_reason(&why));
    }
    free(now);
    error_clear(&why);
    return 0;
}

/* Prints the outcome: the --json object, or words. */
static int
report(struct run *r, struct bl_error *err)
{
    const char *pw =
        r->rq->generated && (r->outcome == CHANGE_APPLIED || r->outcome == CHANGE_UNKNOWN)
            ? r->rq->new_password
            : NULL;

    if (r->ctx->cli->json) {
        struct change_report rep = {.env = r->ctx->run.cfg.env,
                                    .email = r->email_key,
                                    .box_id = r->box_id,
                                    .plan = &r->plan,
                                    .new_password = pw,
                                    .outcome = r->outcome,
                                    .verified = r->verified,
                                    .message = r->message,
                                    .key_stored = r->key_stored};
        char *text = change_json(&rep);
        int rc;

        if (text == NULL)
            return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
        rc = fputs(text, stdout) < 0 ? -1 : 0;
        explicit_bzero(text, strlen(text));
        free(text);
        return rc == 0 ? 0
                       : error_set(err, BL_INTERNAL, "%s", _("cannot write the output"));
    }
    switch (r->outcome) {
    case CHANGE_APPLIED:
        printf("%s\n", _("Applied: the change was made and read back."));
        break;
    case CHANGE_REJECTED:
        printf("%s\n", _("Rejected: the server refused the change."));
        break;
    case CHANGE_UNKNOWN:
        printf("%s\n", _("Unknown: the change may or may not have been made."));
        break;
    case CHANGE_NOT_APPLIED:
        printf("%s\n", _("Not applied: the server said yes, but nothing changed."));
        break;
    case CHANGE_NOTHING:
        printf("%s\n", _("Nothing to change."));
        break;
    case CHANGE_DRY_RUN:
        break;
    }
    if (r->message != NULL)
        printf("%s\n", r->message);
    if (pw != NULL)
        /* TRANSLATORS: the generated password follows; it is shown this once. */
        printf("%s %s\n", _("New password (shown once):"), pw);
    return 0;
}

/* --dry-run: the review lines and the request, secrets withheld. */
static int
dry_run(struct run *r, struct bl_error *err)
{
    struct api_request w =
        change_write_request(r->rq, &r->plan, r->box_id, r->key, r->email_key);
    char *body = api_body_shown(&r->ctx->run.cfg, &w);

    if (body == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    r->outcome = CHANGE_DRY_RUN;
    if (r->ctx->cli->json) {
        report(r, err);
    } else {
        print_plan(&r->plan);
        /* TRANSLATORS: --dry-run: the request that would be sent follows. */
        printf("%s\n%s\n", _("Dry run: nothing sent. The request would be:"), body);
    }
    secmem_free(body);
    return 0;
}

/* The write, sent once; a signal waits until its reply is in. */
static void
send_write(struct run *r, struct api_reply *reply)
{
    struct api_request w =
        change_write_request(r->rq, &r->plan, r->box_id, r->key, r->email_key);
    sigset_t ending, saved;

    signals_fill(&ending);
    sigprocmask(SIG_BLOCK, &ending, &saved);
    api_send(r->ctx->run.api, ++r->seq, &r->ctx->run.cfg, &w, 1, reply);
    sigprocmask(SIG_SETMASK, &saved, NULL);
}

int
change_run(struct cmd_ctx *ctx, struct change_request *rq, struct bl_error *err)
{
    struct run r = {.ctx = ctx, .rq = rq, .verified = -1};
    struct api_reply reply;
    int rc = -1;

    r.email = ctx->email;
    r.email_key = ctx->email_key;
    if (find_key(&r, err) != 0 || read_before(&r, err) != 0 ||
        change_plan_make(rq, r.before, &r.plan, err) != 0)
        goto out;
    if (r.plan.n == 0) {
        r.outcome = CHANGE_NOTHING;
        rc = report(&r, err);
        goto out;
    }
    if (ctx->cli->dry_run) {
        rc = dry_run(&r, err);
        goto out;
    }
    if (!ctx->cli->json)
        print_plan(&r.plan);
    fflush(stdout);
    if (confirm(&r, err) != 0) {
        remember(&r, "cancelled");
        goto out;
    }
    if (cmd_cancelled(err) != 0) {
        remember(&r, "cancelled");
        goto out;
    }
    send_write(&r, &reply);
    if (settle(&r, &reply, err) != 0) {
        remember(&r, error_kind_name(err->kind));
        api_reply_clear(&reply);
        goto out;
    }
    api_reply_clear(&reply);
    remember(&r, change_outcome_name(r.outcome));
    rc = report(&r, err);
out:
    if (rc == 0)
        ctx->status = change_exit_status(r.outcome);
    secmem_free(r.key);
    account_profile_free(r.before);
    account_profile_free(r.after);
    change_plan_clear(&r.plan);
    free(r.message);
    return rc;
}
