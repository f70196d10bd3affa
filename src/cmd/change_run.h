/* What the set-* commands share: the run of a change, from the key to the report
 * (SPEC "How every change runs"). */
#ifndef BOXLOGIN_CMD_CHANGE_RUN_H
#define BOXLOGIN_CMD_CHANGE_RUN_H

#include "cmd.h"
#include "../change.h"

/*
 * Whether the change may go ahead at all, before anything is read or sent: changes
 * turned on, and a terminal to confirm on unless --yes or --dry-run. Returns 0, or
 * -1 with a usage error.
 */
int change_run_allowed(const struct cmd_ctx *ctx, struct bl_error *err);

/*
 * Runs rq for ctx's EMAIL: the key (stored, else the partner lookup), the profile
 * before, the plan, the confirmation, the write sent once, the verification and the
 * report; one history line once the confirmation was reached. Sets ctx->status to the
 * outcome's exit status and returns 0, or returns -1 with err (a failure before the
 * confirmation, a declined change, or a write that was never sent).
 */
int change_run(struct cmd_ctx *ctx, struct change_request *rq, struct bl_error *err);

#endif
