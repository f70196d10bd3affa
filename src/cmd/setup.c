/* boxlogin setup: asks for an environment's user_code and app_key and stores them, the
 * app key in the keyring and the user code in the config file. */
#include "cmd.h"
#include "../i18n.h"
#include "../keyring.h"
#include "../prompt.h"
#include "../secmem.h"
#include "../value.h"

#include <stdio.h>
#include <unistd.h>

/* Reads one line (what: its name in messages): at the terminal with echo as asked, else
 * from standard input. */
static int
ask(const char *question, const char *what, int echo, char **out, size_t *len,
    struct bl_error *err)
{
    if (!isatty(STDIN_FILENO))
        return prompt_read_line(STDIN_FILENO, what, out, len, err);
    if (!echo)
        return prompt_secret(question, what, out, len, err);
    fputs(question, stderr);
    return prompt_read_line(STDIN_FILENO, what, out, len, err);
}

static int
setup_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    const struct cli *cli = ctx->cli;
    struct config_file file = {0};
    enum bl_env env = ENV_TEST;
    char *code = NULL, *key = NULL, question[200];
    size_t len;
    long user_code = 0;
    int rc = -1;

    /* The file is read first: a setup that could not write it asks and stores nothing. */
    if (config_read_file(cli->args.config_path, 1, &file, err) != 0 ||
        config_env(&cli->args, &file, &env, err) != 0)
        goto out;
    /* TRANSLATORS: a prompt; keep user_code as it is (a config key); %s is TEST or
       PROD. */
    snprintf(question, sizeof question, _("user_code for %s: "), config_env_badge(env));
    /* A signal may end a read with what came before it: it cancels all the same. */
    if (ask(question, "user_code", 1, &code, &len, err) != 0 || cmd_cancelled(err) != 0 ||
        value_user_code(code, "user_code", &user_code, err) != 0)
        goto out;
    /* TRANSLATORS: a prompt; keep app_key as it is (a config key); %s is TEST or PROD. */
    snprintf(question, sizeof question, _("app_key for %s (not shown): "),
             config_env_badge(env));
    if (ask(question, "app_key", 0, &key, &len, err) != 0 || cmd_cancelled(err) != 0 ||
        value_app_key(key, "app_key", err) != 0)
        goto out;
    if (keyring_store_app_key(env, user_code, key, err) != 0) {
        /* TRANSLATORS: %s is why, from the keyring. */
        cmd_reword(err, _("app key not stored: %s"), cmd_reason(err));
        goto out;
    }
    if (config_set_user_code(&file, env, user_code, err) != 0 ||
        config_write_file(&file, err) != 0)
        goto out;
    printf(
        /* TRANSLATORS: keep user_code as it is (a config key); the first %s is TEST or
           PROD, %ld the user code, the last %s the config file. */
        _("Stored the %s app key for user_code %ld in the keyring, and user_code in %s"),
        config_env_badge(env), user_code, file.path);
    putchar('\n');
    rc = 0;
out:
    /* A prompt a signal interrupted fails as it may: the signal is what happened. */
    if (rc != 0)
        cmd_cancelled(err);
    secmem_free(code);
    secmem_free(key);
    config_file_free(&file);
    return rc;
}

const struct cmd_entry cmd_entry_setup = {
    .name = "setup",
    .flags = CMD_CANCELLABLE,
    .operands = {0, 0, NULL},
    .exec = setup_exec,
};
