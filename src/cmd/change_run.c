#include "change_run.h"
#include "output.h"
#include "../account.h"
#include "../change_flow.h"
#include "../i18n.h"
#include "../keyring.h"
#include "../secmem.h"
#include "../text.h"
#include "../value.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* One change on its way; owned by change_run. The steps that talk to the API after the
 * plan are the core's (src/change_flow.c), shared with the UI. */
struct run {
    struct cmd_ctx *ctx;
    struct change_request *rq;
    char *email, *email_key; /* the EMAIL operand: trimmed; normalised */
    int from_keyring;
    struct account_profile *before;
    struct change_plan plan;
    struct change_flow f; /* its key (secmem), box ID, seq, outcome, message */
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
    secmem_free(r->f.key);
    r->f.key = s->customer_key;
    s->customer_key = NULL;
    r->f.box_id = s->box_id;
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
    api_partner(run->api, ++r->f.seq, &run->cfg, r->email, &s, err);
    cmd_remember(run, HISTORY_LOOKUP, r->email_key, s != NULL ? s->box_id : 0, err->kind);
    if (s == NULL)
        return -1;
    if ((s->email = strdup(r->email_key)) == NULL) {
        session_free(s);
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    }
    cmd_keep_session(run, s, &stored);
    r->f.key_stored = stored;
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
        found = keyring_lookup_customer_key(r->email_key, cfg->env, &r->f.key,
                                            &r->f.box_id, &why);
    if (found != 1 && why.message != NULL)
        /* TRANSLATORS: %s is why no stored key serves. */
        cmd_say(_("note: %s; looking the customer up instead"), why.message);
    error_clear(&why);
    if (found == 1) {
        r->from_keyring = r->f.key_stored = 1;
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
    *out = NULL;
    if (cmd_cancelled(err) != 0)
        return -1;
    return change_flow_read_profile(&r->f, email, out, err);
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
    snprintf(box, sizeof box, "%llu", (unsigned long long)r->f.box_id);
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

/* Says the flow's warning, if any (a keyring or history problem), once. */
static void
warn(struct run *r)
{
    if (r->f.warning != NULL)
        cmd_say("%s", r->f.warning);
    free(r->f.warning);
    r->f.warning = NULL;
}

/* Notes the change in the history (unless it is off). */
static void
remember(struct run *r, const char *outcome)
{
    change_flow_remember(&r->f, outcome);
    warn(r);
}

/* Prints the outcome: the --json object, or words. */
static int
report(struct run *r, struct bl_error *err)
{
    const char *pw = r->rq->generated && (r->f.outcome == CHANGE_APPLIED ||
                                          r->f.outcome == CHANGE_UNKNOWN)
                         ? r->rq->new_password
                         : NULL;

    if (r->ctx->cli->json) {
        struct change_report rep = {.env = r->ctx->run.cfg.env,
                                    .email = r->email_key,
                                    .box_id = r->f.box_id,
                                    .plan = &r->plan,
                                    .new_password = pw,
                                    .outcome = r->f.outcome,
                                    .verified = r->f.verified,
                                    .message = r->f.message,
                                    .key_stored = r->f.key_stored};
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
    switch (r->f.outcome) {
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
    if (r->f.message != NULL)
        printf("%s\n", r->f.message);
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
        change_write_request(r->rq, &r->plan, r->f.box_id, r->f.key, r->email_key);
    char *body = api_body_shown(&r->ctx->run.cfg, &w);

    if (body == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    r->f.outcome = CHANGE_DRY_RUN;
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

int
change_run(struct cmd_ctx *ctx, struct change_request *rq, struct bl_error *err)
{
    struct run r = {.ctx = ctx, .rq = rq};
    struct api_reply reply;
    int rc = -1;

    r.email = ctx->email;
    r.email_key = ctx->email_key;
    r.f = (struct change_flow){.api = ctx->run.api,
                               .cfg = &ctx->run.cfg,
                               .rq = rq,
                               .plan = &r.plan,
                               .email_key = ctx->email_key,
                               .seq_steps = 1,
                               .hold_write = 1,
                               .stopped = cmd_signalled,
                               .verified = -1};
    if (find_key(&r, err) != 0 || read_before(&r, err) != 0)
        goto out;
    clock_gettime(CLOCK_MONOTONIC, &r.f.planned_at);
    if (change_plan_make(rq, r.before, &r.plan, err) != 0)
        goto out;
    if (r.plan.n == 0) {
        r.f.outcome = CHANGE_NOTHING;
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
    /* An address plan confirmed long after its profile was read: read again; changed
     * meanwhile, nothing is sent (exit 1, a cancelled line: the confirmed change no
     * longer holds). */
    switch (change_flow_recheck(&r.f, err)) {
    case 0:
        break;
    case 1:
        error_set(err, BL_REJECTED, "%s", r.f.message);
        remember(&r, "cancelled");
        goto out;
    default:
        remember(&r, error_kind_name(err->kind));
        goto out;
    }
    /* Sent once: a signal before it is handed to its connection cancels it (nothing
     * sent), one after it waits until its reply is in (hold_write). */
    change_flow_write(&r.f, &reply);
    rc = change_flow_settle(&r.f, &reply, err);
    api_reply_clear(&reply);
    warn(&r);
    if (rc != 0) {
        remember(&r, error_kind_name(err->kind));
        goto out;
    }
    remember(&r, change_outcome_name(r.f.outcome));
    rc = report(&r, err);
out:
    if (rc == 0)
        ctx->status = change_exit_status(r.f.outcome);
    account_profile_free(r.before);
    change_flow_clear(&r.f);
    change_plan_clear(&r.plan);
    return rc;
}
