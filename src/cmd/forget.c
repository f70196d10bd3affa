/* boxlogin forget: deletes the stored customer keys of one email, or all of them. */
#include "cmd.h"
#include "../i18n.h"
#include "../keyring.h"
#include "../value.h"

#include <stdio.h>
#include <stdlib.h>

/* An EMAIL or --all: forgetting everything is never what a typo meant. */
static const char *
forget_check(const struct cli *cli)
{
    /* TRANSLATORS: keep forget, --all and the placeholder EMAIL as they are. */
    return (cli->operand == NULL) == !cli->all ? _("forget takes an EMAIL or --all")
                                               : NULL;
}

static int
forget_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    const struct cli *cli = ctx->cli;
    const char *env;
    char *email = NULL;
    int removed = 0;

    if ((cli->operand != NULL &&
         value_email(cli->operand, "forget", NULL, &email, err) != 0) ||
        cmd_explicit_env(cli, &env, err) != 0)
        return -1;
    if (keyring_forget(email, env, &removed, err) != 0) {
        /* TRANSLATORS: %s is why, from the keyring. */
        cmd_reword(err, _("cannot change the keyring: %s"), cmd_reason(err));
        free(email);
        return -1;
    }
    if (removed == 0 && email != NULL) {
        /* TRANSLATORS: %s is the customer's email. */
        cmd_say(_("no stored customer key for %s"), email);
    } else if (removed == 0) {
        cmd_say("%s", _("no stored customer key to forget"));
    } else if (email != NULL) {
        /* TRANSLATORS: %d is how many keys (one per environment), %s the customer's
           email. */
        printf(P_("Forgot %d stored customer key of %s",
                  "Forgot %d stored customer keys of %s", (unsigned long)removed),
               removed, email);
        putchar('\n');
    } else {
        printf(P_("Forgot %d stored customer key", "Forgot %d stored customer keys",
                  (unsigned long)removed),
               removed);
        putchar('\n');
    }
    free(email);
    return 0;
}

const struct cmd_entry cmd_entry_forget = {
    .name = "forget",
    .options = CMD_OPT_ALL,
    .operands = {0, 1, NULL},
    .check = forget_check,
    .exec = forget_exec,
};
