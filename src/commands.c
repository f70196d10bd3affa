#include "commands.h"
#include "api.h"
#include "keyring.h"
#include "log.h"
#include "prompt.h"
#include "secmem.h"
#include "signals.h"
#include "text.h"
#include "value.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The transfer a signal cancels (login is call 1 of its client), and whether one came. */
static struct api *volatile signal_api;
static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
    (void)sig;
    got_signal = 1;
    if (signal_api != NULL)
        api_cancel(signal_api, 1);
}

int
cmd_load_config(const struct cli *cli, struct bl_config *cfg,
                struct config_sources *sources, struct bl_error *err)
{
    struct config_file file = {0};
    int rc = config_read_file(cli->args.config_path, 0, &file, err);

    if (rc == 0)
        rc = config_resolve(&cli->args, &file, cfg, err);
    if (rc == 0)
        rc = config_gather_sources(&cli->args, &file, cfg->env, sources, err);
    config_file_free(&file);
    return rc;
}

static void
add_string_or_null(cJSON *obj, const char *name, const char *value)
{
    if (value != NULL && *value != '\0')
        cJSON_AddStringToObject(obj, name, value);
    else
        cJSON_AddNullToObject(obj, name);
}

static void
add_flag(cJSON *obj, const char *name, enum bl_flag f)
{
    if (f == FLAG_UNKNOWN)
        cJSON_AddNullToObject(obj, name);
    else
        cJSON_AddBoolToObject(obj, name, f == FLAG_YES);
}

/* Prints obj on one line of stdout and frees it. */
static void
print_json(cJSON *obj)
{
    char *text = cJSON_PrintUnformatted(obj);

    if (text != NULL)
        printf("%s\n", text);
    secmem_free(text);
    cJSON_Delete(obj);
}

static void
print_session_json(const struct bl_config *cfg, const struct bl_session *s, int stored,
                   int show_key)
{
    cJSON *root = cJSON_CreateObject(), *c = cJSON_CreateObject();

    cJSON_AddStringToObject(root, "environment", config_env_name(cfg->env));
    cJSON_AddStringToObject(root, "email", s->email);
    add_string_or_null(c, "first_name", s->first_name);
    add_string_or_null(c, "last_name", s->last_name);
    add_string_or_null(c, "name", s->name);
    cJSON_AddNumberToObject(c, "box_id", (double)s->box_id);
    add_flag(c, "active", s->active);
    add_flag(c, "vip", s->vip);
    add_flag(c, "business", s->business);
    add_flag(c, "enabled", s->enabled);
    add_flag(c, "verified", s->verified);
    add_string_or_null(c, "enrolment_date", s->enrolment_date);
    add_string_or_null(c, "activation_date", s->activation_date);
    cJSON_AddItemToObject(root, "customer", c);
    cJSON_AddBoolToObject(root, "key_stored", stored);
    if (show_key)
        cJSON_AddItemToObject(root, "customer_key",
                              cJSON_CreateStringReference(s->customer_key));
    print_json(root);
}

static void
print_error_json(const struct bl_error *err)
{
    cJSON *root = cJSON_CreateObject(), *e = cJSON_CreateObject();

    cJSON_AddStringToObject(e, "kind", error_kind_name(err->kind));
    cJSON_AddStringToObject(e, "message", err->message != NULL ? err->message : "");
    if (err->http_status != 0)
        cJSON_AddNumberToObject(e, "http_status", (double)err->http_status);
    else
        cJSON_AddNullToObject(e, "http_status");
    add_string_or_null(e, "server_description", err->server_description);
    add_string_or_null(e, "server_location", err->server_location);
    cJSON_AddItemToObject(root, "error", e);
    print_json(root);
}

static void
print_session(const struct bl_config *cfg, const char *host, const struct bl_session *s,
              int stored, int show_key)
{
    struct session_badge b[SESSION_BADGES];

    session_badges(s, b);
    printf("%s\n", s->name != NULL ? s->name : "(no name on record)");
    printf("  Box ID       %llu\n", (unsigned long long)s->box_id);
    printf("  Email        %s\n", s->email);
    printf("  Status     ");
    for (int i = 0; i < SESSION_BADGES; i++)
        printf("  %s", b[i].word);
    printf("\n  Enrolled     %s\n", s->enrolment_date[0] ? s->enrolment_date : "—");
    printf("  Activated    %s\n", s->activation_date[0] ? s->activation_date : "—");
    printf("  Environment  %s (%s)\n", config_env_badge(cfg->env), host);
    printf("  Key          %s\n",
           stored ? "saved to the keyring" : "not saved (memory only)");
    if (show_key) {
        char *safe = text_sanitize(s->customer_key, strlen(s->customer_key));

        printf("  Customer key %s\n", safe != NULL ? safe : "");
        secmem_free(safe);
    }
}

/* Reports err as the command's outcome and returns its exit status. */
static int
fail(const struct cli *cli, const struct bl_error *err)
{
    if (cli->json && cli->command == CMD_LOGIN)
        print_error_json(err);
    else if (err->kind == BL_USAGE || err->kind == BL_CANCELLED || err->kind == BL_NOMEM)
        fprintf(stderr, "boxlogin: %s\n", err->message);
    else
        fprintf(stderr, "boxlogin: %s: %s\n", error_title(err->kind), err->message);
    return error_exit_status(err->kind);
}

static int
read_password(const struct cli *cli, const char *email, char **pw, size_t *len,
              struct bl_error *err)
{
    char prompt[600];

    if (cli->password_stdin)
        return prompt_read_line(STDIN_FILENO, "password", pw, len, err);
    if (!isatty(STDIN_FILENO))
        return error_set(err, BL_USAGE,
                         "no password: use --password-stdin, or run from a terminal");
    snprintf(prompt, sizeof prompt, "Password for %.500s: ", email);
    return prompt_secret(prompt, "password", pw, len, err);
}

int
cmd_login(const struct cli *cli)
{
    struct bl_config cfg = {0};
    struct config_sources sources = {0};
    struct bl_error err = {0}, keyring_err = {0};
    struct bl_session *s = NULL;
    struct api *api = NULL;
    char *host = NULL, *email = NULL, *email_key = NULL, *pw = NULL;
    size_t pw_len = 0;
    int status, stored = 0;

    /* SIGINT, SIGTERM and SIGHUP cancel: they interrupt a prompt and wake the transfer.
     */
    signals_catch(on_signal);
    if (value_email(cli->email, "--email", &email, &email_key, &err) != 0 ||
        cmd_load_config(cli, &cfg, &sources, &err) != 0 ||
        api_check_url(cfg.base_url, &host, &err) != 0 ||
        config_credentials(&sources, keyring_lookup_app_key, &cfg.cred, &err) != 0)
        goto out;
    if (cfg.cred.note != NULL)
        fprintf(stderr, "boxlogin: note: %s\n", cfg.cred.note);
    if ((api = api_new(&err)) == NULL)
        goto out;
    signal_api = api;
    if (read_password(cli, email, &pw, &pw_len, &err) != 0)
        goto out;
    /* A signal while the config (say, a slow keyring) was read: stop before sending. */
    if (got_signal) {
        error_set(&err, BL_CANCELLED, "Cancelled");
        goto out;
    }
    api_login(api, 1, &cfg, email, pw, pw_len, &s, &err);
    secmem_free(pw);
    pw = NULL;
    if (s == NULL)
        goto out;
    s->email = email_key;
    email_key = NULL;
    stored = keyring_save_session(s, &cfg, &keyring_err) == 0;
    if (!stored)
        fprintf(stderr, "boxlogin: warning: customer key not saved to the keyring: %s\n",
                keyring_err.message);
    if (cli->json)
        print_session_json(&cfg, s, stored, cli->show_key);
    else
        print_session(&cfg, host, s, stored, cli->show_key);
out:
    signal_api = NULL;
    status = err.kind == BL_OK ? 0 : fail(cli, &err);
    session_free(s);
    secmem_free(pw);
    api_free(api);
    config_free(&cfg);
    config_sources_free(&sources);
    error_clear(&err);
    error_clear(&keyring_err);
    free(email);
    free(email_key);
    free(host);
    return status;
}

/* The environment keys and forget work on: the one asked for, or NULL for both. */
static int
explicit_env_name(const struct cli *cli, const char **name, struct bl_error *err)
{
    enum bl_env env;
    int given = config_explicit_env(&cli->args, &env, err);

    *name = given > 0 ? config_env_name(env) : NULL;
    return given < 0 ? -1 : 0;
}

/* Says err, which happened while doing, and returns its exit status. */
static int
keyring_failed(const char *doing, struct bl_error *err)
{
    int status = error_exit_status(err->kind);

    fprintf(stderr, "boxlogin: %s: %s\n", doing, err->message);
    error_clear(err);
    return status;
}

int
cmd_keys(const struct cli *cli)
{
    struct keyring_item *items = NULL;
    struct bl_error err = {0};
    size_t count = 0;
    const char *env;

    if (explicit_env_name(cli, &env, &err) != 0) {
        int status = fail(cli, &err);

        error_clear(&err);
        return status;
    }
    if (keyring_list(env, &items, &count, &err) != 0)
        return keyring_failed("cannot read the keyring", &err);
    if (cli->json) {
        cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "keys");

        for (size_t i = 0; i < count; i++) {
            cJSON *o = cJSON_CreateObject();

            cJSON_AddStringToObject(o, "email", items[i].email);
            cJSON_AddStringToObject(o, "environment", items[i].environment);
            cJSON_AddNumberToObject(o, "box_id", strtod(items[i].box_id, NULL));
            cJSON_AddNumberToObject(o, "user_code", strtod(items[i].user_code, NULL));
            cJSON_AddStringToObject(o, "label", items[i].label);
            cJSON_AddItemToArray(arr, o);
        }
        print_json(root);
    } else if (count == 0) {
        fprintf(stderr, "boxlogin: no customer keys are stored\n");
    } else {
        printf("%-40s %-5s %-12s %s\n", "EMAIL", "ENV", "BOX ID", "USER CODE");
        for (size_t i = 0; i < count; i++)
            printf("%-40s %-5s %-12s %s\n", items[i].email, items[i].environment,
                   items[i].box_id, items[i].user_code);
    }
    keyring_items_free(items, count);
    return 0;
}

int
cmd_forget(const struct cli *cli)
{
    struct bl_error err = {0};
    const char *env;
    char *email = NULL;
    int removed = 0, rc;

    if ((cli->operand != NULL &&
         value_email(cli->operand, "forget", NULL, &email, &err) != 0) ||
        explicit_env_name(cli, &env, &err) != 0) {
        rc = fail(cli, &err);
        error_clear(&err);
        return rc;
    }
    rc = keyring_forget(email, env, &removed, &err);
    if (rc != 0)
        rc = keyring_failed("cannot change the keyring", &err);
    else if (removed == 0)
        fprintf(stderr, "boxlogin: no stored customer key %s%s\n",
                email != NULL ? "for " : "to forget", email != NULL ? email : "");
    else
        printf("Forgot %d stored customer key%s%s%s\n", removed, removed == 1 ? "" : "s",
               email != NULL ? " of " : "", email != NULL ? email : "");
    free(email);
    return rc;
}

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

/* Puts doing in front of err's message. */
static void
say_while(struct bl_error *err, const char *doing)
{
    char *msg = err->message;

    err->message = NULL;
    error_set(err, err->kind, "%s: %s", doing, msg != NULL ? msg : "");
    free(msg);
}

int
cmd_setup(const struct cli *cli)
{
    struct config_file file = {0};
    struct bl_error err = {0};
    enum bl_env env = ENV_TEST;
    char *code = NULL, *key = NULL, question[80];
    size_t len;
    long user_code = 0;
    int status = 2;

    /* SIGINT, SIGTERM and SIGHUP cancel: they interrupt a prompt. */
    signals_catch(on_signal);
    /* The file is read first: a setup that could not write it asks and stores nothing. */
    if (config_read_file(cli->args.config_path, 1, &file, &err) != 0 ||
        config_env(&cli->args, &file, &env, &err) != 0)
        goto out;
    snprintf(question, sizeof question, "user_code for %s: ", config_env_badge(env));
    /* A signal may end a read with what came before it: it cancels all the same. */
    if (ask(question, "user_code", 1, &code, &len, &err) != 0 || got_signal ||
        value_user_code(code, "user_code", &user_code, &err) != 0)
        goto out;
    snprintf(question, sizeof question,
             "app_key for %s (not shown): ", config_env_badge(env));
    if (ask(question, "app_key", 0, &key, &len, &err) != 0 || got_signal ||
        value_app_key(key, "app_key", &err) != 0)
        goto out;
    if (keyring_store_app_key(env, user_code, key, &err) != 0) {
        say_while(&err, "app key not stored");
        goto out;
    }
    if (config_set_user_code(&file, env, user_code, &err) != 0 ||
        config_write_file(&file, &err) != 0)
        goto out;
    printf(
        "Stored the %s app key for user_code %ld in the keyring, and user_code in %s\n",
        config_env_badge(env), user_code, file.path);
    status = 0;
out:
    if (status != 0 && got_signal)
        error_set(&err, BL_CANCELLED, "Cancelled");
    if (status != 0)
        status = fail(cli, &err);
    secmem_free(code);
    secmem_free(key);
    error_clear(&err);
    config_file_free(&file);
    return status;
}
