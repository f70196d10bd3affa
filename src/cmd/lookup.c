/* boxlogin lookup EMAIL: the partner lookup, which needs no customer password. */
#include "cmd.h"
#include "../i18n.h"
#include "../value.h"

#include <string.h>

static int
lookup_prepare(struct cmd_ctx *ctx, struct bl_error *err)
{
    return value_email(ctx->cli->operand, "lookup", &ctx->email, &ctx->email_key, err);
}

static int
lookup_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    struct bl_session *s = NULL;
    int stored = 0, rc;

    api_partner(ctx->run.api, 1, &ctx->run.cfg, ctx->email, &s, err);
    cmd_remember(&ctx->run, HISTORY_LOOKUP, ctx->email_key, s != NULL ? s->box_id : 0,
                 err->kind);
    if (s != NULL && (s->email = strdup(ctx->email_key)) == NULL)
        error_set(err, BL_INTERNAL, _("out of memory"));
    rc = s != NULL && err->kind == BL_OK ? 0 : -1;
    if (rc == 0) {
        cmd_keep_session(&ctx->run, s, &stored);
        cmd_print_session(ctx->cli, &ctx->run, s, stored, "partner");
    }
    session_free(s);
    return rc;
}

const struct cmd_entry cmd_entry_lookup = {
    .name = "lookup",
    .options = CMD_OPT_JSON | CMD_OPT_SHOW_KEY,
    .flags = CMD_API | CMD_CANCELLABLE,
    .operands = {1, 1, NULL},
    .prepare = lookup_prepare,
    .exec = lookup_exec,
};
