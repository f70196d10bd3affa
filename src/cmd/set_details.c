/* boxlogin set-details EMAIL [--first-name S] [--last-name S] [--identity-number S]
 * [--tax-number N] [--birth-date YYYY-MM-DD] [--gender M|F]: the customer's personal
 * details; only the fields that change are sent. */
#include "change_run.h"
#include "../i18n.h"
#include "../value.h"

static const char *
set_details_check(const struct cli *cli)
{
    if (cli->first_name == NULL && cli->last_name == NULL &&
        cli->identity_number == NULL && cli->tax_number == NULL &&
        cli->birth_date == NULL && cli->gender == NULL)
        /* TRANSLATORS: keep the command and the options as they are. */
        return _("set-details needs --first-name, --last-name, --identity-number, "
                 "--tax-number, --birth-date or --gender");
    return NULL;
}

/* The request from the options, each checked before anything is read or sent. */
static int
details_request(const struct cli *cli, struct change_request *rq, struct bl_error *err)
{
    rq->kind = CHANGE_DETAILS;
    if (cli->first_name != NULL &&
        change_text_check(cli->first_name, "--first-name", &rq->first_name, err) != 0)
        return -1;
    if (cli->last_name != NULL &&
        change_text_check(cli->last_name, "--last-name", &rq->last_name, err) != 0)
        return -1;
    if (cli->identity_number != NULL &&
        change_text_check(cli->identity_number, "--identity-number", &rq->identity_number,
                          err) != 0)
        return -1;
    if (cli->tax_number != NULL &&
        change_tax_number_check(cli->tax_number, "--tax-number", &rq->tax_number, err) !=
            0)
        return -1;
    if (cli->birth_date != NULL &&
        change_birth_date_check(cli->birth_date, "--birth-date", &rq->birth_date, err) !=
            0)
        return -1;
    if (cli->gender != NULL &&
        change_gender_check(cli->gender, "--gender", &rq->gender, err) != 0)
        return -1;
    return 0;
}

static int
set_details_prepare(struct cmd_ctx *ctx, struct bl_error *err)
{
    struct change_request rq = {0};
    int rc;

    if (value_email(ctx->cli->operand, "set-details", &ctx->email, &ctx->email_key,
                    err) != 0)
        return -1;
    /* A bad value is a usage error before any set-up. */
    rc = details_request(ctx->cli, &rq, err);
    change_request_clear(&rq);
    return rc;
}

static int
set_details_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    struct change_request rq = {0};
    int rc = -1;

    if (change_run_allowed(ctx, err) == 0 && details_request(ctx->cli, &rq, err) == 0)
        rc = change_run(ctx, &rq, err);
    change_request_clear(&rq);
    return rc;
}

const struct cmd_entry cmd_entry_set_details = {
    .name = "set-details",
    .options = CMD_OPT_JSON | CMD_OPT_CHANGE | CMD_OPT_DETAILS,
    .flags = CMD_API | CMD_CANCELLABLE,
    .operands = {1, 1, NULL},
    .check = set_details_check,
    .prepare = set_details_prepare,
    .exec = set_details_exec,
};
