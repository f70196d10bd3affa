/* boxlogin set-password EMAIL [--generate | --new-password-stdin]: a new password for
 * the customer, who needs no old one (SkyPostal's own reset works so). */
#include "change_run.h"
#include "../i18n.h"
#include "../prompt.h"
#include "../secmem.h"
#include "../value.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *
set_password_check(const struct cli *cli)
{
    if (cli->generate && cli->new_password_stdin)
        /* TRANSLATORS: keep the options as they are. */
        return _("--generate and --new-password-stdin go one at a time");
    return NULL;
}

static int
set_password_prepare(struct cmd_ctx *ctx, struct bl_error *err)
{
    return value_email(ctx->cli->operand, "set-password", &ctx->email, &ctx->email_key,
                       err);
}

/* Asks for the new password twice on the terminal, echo off. */
static int
ask_twice(const char *email, struct change_request *rq, struct bl_error *err)
{
    char prompt[600], *again = NULL;
    size_t again_len = 0;
    int same;

    /* TRANSLATORS: a prompt; %.500s is the customer's email (keep the .500). */
    snprintf(prompt, sizeof prompt, _("New password for %.500s: "), email);
    if (prompt_secret(prompt, "password", &rq->new_password, &rq->new_password_len,
                      err) != 0 ||
        prompt_secret(_("The new password again: "), "password", &again, &again_len,
                      err) != 0)
        return -1;
    same = again_len == rq->new_password_len &&
           memcmp(again, rq->new_password, again_len) == 0;
    secmem_free(again);
    if (!same)
        return error_set(err, BL_USAGE, "%s", _("the two new passwords differ"));
    return 0;
}

static int
new_password(struct cmd_ctx *ctx, struct change_request *rq, struct bl_error *err)
{
    const struct cli *cli = ctx->cli;

    if (cli->generate) {
        if (change_password_generate(&rq->new_password, err) != 0)
            return -1;
        rq->new_password_len = strlen(rq->new_password);
        rq->generated = 1;
        return 0;
    }
    if (cli->new_password_stdin) {
        if (prompt_read_line(STDIN_FILENO, "password", &rq->new_password,
                             &rq->new_password_len, err) != 0)
            return -1;
    } else if (!isatty(STDIN_FILENO)) {
        /* TRANSLATORS: keep the options as they are. */
        return error_set(err, BL_USAGE, "%s",
                         _("no terminal to ask for the new password: use "
                           "--new-password-stdin or --generate"));
    } else if (ask_twice(ctx->email_key, rq, err) != 0) {
        return -1;
    }
    return change_password_check(rq->new_password, rq->new_password_len, ctx->email_key,
                                 err);
}

static int
set_password_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    struct change_request rq = {.kind = CHANGE_PASSWORD};
    int rc = -1;

    if (change_run_allowed(ctx, err) == 0 && new_password(ctx, &rq, err) == 0)
        rc = change_run(ctx, &rq, err);
    change_request_clear(&rq);
    return rc;
}

const struct cmd_entry cmd_entry_set_password = {
    .name = "set-password",
    .options = CMD_OPT_JSON | CMD_OPT_CHANGE | CMD_OPT_NEW_PASSWORD,
    .flags = CMD_API | CMD_CANCELLABLE,
    .operands = {1, 1, NULL},
    .check = set_password_check,
    .prepare = set_password_prepare,
    .exec = set_password_exec,
};
