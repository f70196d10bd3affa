/* boxlogin set-email EMAIL NEW_EMAIL: the customer's email; the stored key moves to the
 * new email. */
#include "change_run.h"
#include "../i18n.h"
#include "../value.h"

#include <stdlib.h>

static int
set_email_prepare(struct cmd_ctx *ctx, struct bl_error *err)
{
    if (value_email(ctx->cli->operand, "set-email", &ctx->email, &ctx->email_key, err) !=
        0)
        return -1;
    return value_email(ctx->cli->operand2, "NEW_EMAIL", NULL, NULL, err);
}

static int
set_email_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    struct change_request rq = {.kind = CHANGE_EMAIL};
    char *trimmed = NULL;
    int rc = -1;

    if (change_run_allowed(ctx, err) == 0 &&
        value_email(ctx->cli->operand2, "NEW_EMAIL", &trimmed, &rq.new_email, err) == 0)
        rc = change_run(ctx, &rq, err);
    free(trimmed);
    change_request_clear(&rq);
    return rc;
}

const struct cmd_entry cmd_entry_set_email = {
    .name = "set-email",
    .options = CMD_OPT_JSON | CMD_OPT_CHANGE,
    .flags = CMD_API | CMD_CANCELLABLE,
    /* TRANSLATORS: keep the command and the placeholders as they are. */
    .operands = {2, 2, N_("set-email takes the customer's EMAIL and the NEW_EMAIL")},
    .prepare = set_email_prepare,
    .exec = set_email_exec,
};
