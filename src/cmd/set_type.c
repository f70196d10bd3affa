/* boxlogin set-type EMAIL [--vip | --no-vip] [--business | --no-business]: the account's
 * type; only the flags that change are sent. */
#include "change_run.h"
#include "../i18n.h"
#include "../value.h"

static const char *
set_type_check(const struct cli *cli)
{
    if (cli->vip < 0 && cli->business < 0)
        /* TRANSLATORS: keep the command and the options as they are. */
        return _("set-type needs --vip, --no-vip, --business or --no-business");
    return NULL;
}

static int
set_type_prepare(struct cmd_ctx *ctx, struct bl_error *err)
{
    return value_email(ctx->cli->operand, "set-type", &ctx->email, &ctx->email_key, err);
}

static int
set_type_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    struct change_request rq = {
        .kind = CHANGE_TYPE, .vip = ctx->cli->vip, .business = ctx->cli->business};
    int rc;

    if (change_run_allowed(ctx, err) != 0)
        return -1;
    rc = change_run(ctx, &rq, err);
    change_request_clear(&rq);
    return rc;
}

const struct cmd_entry cmd_entry_set_type = {
    .name = "set-type",
    .options = CMD_OPT_JSON | CMD_OPT_CHANGE | CMD_OPT_TYPE,
    .flags = CMD_API | CMD_CANCELLABLE,
    .operands = {1, 1, NULL},
    .check = set_type_check,
    .prepare = set_type_prepare,
    .exec = set_type_exec,
};
