#include "cmd.h"
#include "output.h"
#include "../i18n.h"
#include "../keyring.h"
#include "../preconnect.h"
#include "../signals.h"
#include "../text.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The commands, in the order of --help. */
static const struct cmd_entry *const cmd_table[] = {
    &cmd_entry_login,    &cmd_entry_profile,      &cmd_entry_shipments,
    &cmd_entry_track,    &cmd_entry_lookup,       &cmd_entry_check,
    &cmd_entry_history,  &cmd_entry_set_password, &cmd_entry_set_email,
    &cmd_entry_set_type, &cmd_entry_set_details,  &cmd_entry_set_address,
    &cmd_entry_places,   &cmd_entry_keys,         &cmd_entry_forget,
    &cmd_entry_setup,
};

/* The transfers a signal cancels, and whether one came. */
static struct api *volatile signal_api;
static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
    (void)sig;
    got_signal = 1;
    if (signal_api != NULL)
        api_cancel(signal_api, API_CANCEL_ALL);
}

const struct cmd_entry *
cmd_find(const char *name)
{
    for (size_t i = 0; i < sizeof cmd_table / sizeof cmd_table[0]; i++)
        if (strcmp(cmd_table[i]->name, name) == 0)
            return cmd_table[i];
    return NULL;
}

void
cmd_catch_signals(void)
{
    signals_catch(on_signal);
}

void
cmd_say(const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = text_vformat(fmt, ap);
    va_end(ap);
    fprintf(stderr, "boxlogin: %s\n", msg != NULL ? msg : _("out of memory"));
    free(msg);
}

int
cmd_start(const struct cli *cli, struct cmd_run *run, struct bl_error *err)
{
    struct preconnect *early = NULL;

    if (config_load(&cli->args, &run->cfg, &run->sources, err) != 0)
        return -1;
    /* The connection is made while libcurl loads and the keyring answers (the app key
     * here, the customer key in the command). */
    if (run->cfg.prewarm)
        early = preconnect_for_url(run->cfg.base_url);
    if (api_global_init(err) != 0 ||
        api_check_url(run->cfg.base_url, &run->host, err) != 0 ||
        (run->api = api_new(err)) == NULL) {
        preconnect_free(early);
        return -1;
    }
    signal_api = run->api;
    api_preconnect(run->api, &run->cfg, early);
    if (config_credentials(&run->sources, keyring_lookup_app_key, &run->cfg.cred, err) !=
        0)
        return -1;
    config_sources_free(&run->sources);
    if (run->cfg.cred.note != NULL)
        /* TRANSLATORS: %s is a note on the credentials in use. */
        cmd_say(_("note: %s"), run->cfg.cred.note);
    return 0;
}

void
cmd_ctx_clear(struct cmd_ctx *ctx)
{
    signal_api = NULL;
    api_free(ctx->run.api);
    config_free(&ctx->run.cfg);
    config_sources_free(&ctx->run.sources);
    free(ctx->run.host);
    free(ctx->email);
    free(ctx->email_key);
    memset(ctx, 0, sizeof *ctx);
}

int
cmd_signalled(void)
{
    return got_signal != 0;
}

int
cmd_cancelled(struct bl_error *err)
{
    return got_signal ? error_set(err, BL_CANCELLED, "%s", _("Cancelled")) : 0;
}

void
cmd_remember(const struct cmd_run *run, enum history_action action, const char *email,
             uint64_t box_id, enum bl_kind outcome)
{
    struct bl_error err = {0};

    if (!run->cfg.history || email == NULL)
        return;
    if (history_record(run->cfg.env, action, email, box_id, outcome, &err) != 0) {
        char *msg = text_one_line(err.message, 300);

        /* TRANSLATORS: %s is why the history file could not be written. */
        cmd_say(_("warning: %s (the lookup is not in the history)"),
                msg != NULL ? msg : err.message);
        free(msg);
    }
    error_clear(&err);
}

static void
print_error_json(const struct bl_error *err)
{
    cJSON *root = cJSON_CreateObject(), *e = cJSON_CreateObject();

    cJSON_AddStringToObject(e, "kind", error_kind_name(err->kind));
    cJSON_AddStringToObject(e, "message", err->message != NULL ? err->message : "");
    if (err->http_status > 0)
        output_add_integer(e, "http_status", (unsigned long long)err->http_status);
    else
        cJSON_AddNullToObject(e, "http_status");
    output_add_string_or_null(e, "server_description", err->server_description);
    output_add_string_or_null(e, "server_location", err->server_location);
    cJSON_AddItemToObject(root, "error", e);
    output_json(root);
}

int
cmd_fail(int json, const struct bl_error *err)
{
    char *msg;

    if (json) {
        print_error_json(err);
        return error_exit_status(err->kind);
    }
    /* Messages quote the server: one line, never a run of spaces that wraps. */
    msg = text_one_line(err->message != NULL ? err->message : "", CMD_MESSAGE_COLUMNS);
    if (err->kind == BL_USAGE || err->kind == BL_CANCELLED || err->kind == BL_INTERNAL)
        fprintf(stderr, "boxlogin: %s\n", msg != NULL ? msg : _("out of memory"));
    else
        fprintf(stderr, "boxlogin: %s: %s\n", error_title(err->kind),
                msg != NULL ? msg : _("out of memory"));
    free(msg);
    return error_exit_status(err->kind);
}

int
cmd_explicit_env(const struct cli *cli, const char **name, struct bl_error *err)
{
    enum bl_env env;
    int given = config_explicit_env(&cli->args, &env, err);

    *name = given > 0 ? config_env_name(env) : NULL;
    return given < 0 ? -1 : 0;
}

void
cmd_reword(struct bl_error *err, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = text_vformat(fmt, ap);
    va_end(ap);
    if (msg == NULL)
        error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    else
        error_set(err, err->kind, "%s", msg);
    free(msg);
}

const char *
cmd_reason(const struct bl_error *err)
{
    return err->message != NULL ? err->message : "";
}
