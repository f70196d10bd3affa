#include "commands.h"
#include "api.h"
#include "keyring.h"
#include "log.h"
#include "prompt.h"
#include "secmem.h"
#include "signals.h"
#include "text.h"

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
cmd_load_config(const struct cli *cli, int defer_keyring, struct bl_config *cfg,
                struct bl_error *err)
{
    struct config_file file = {0};
    struct config_args args = cli->args;
    int rc;

    args.defer_keyring = defer_keyring;
    rc = config_read_file(args.config_path, &file, err);
    if (rc == 0)
        rc = config_resolve(&args, &file, keyring_lookup_app_key, cfg, err);
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

/* Adds an integer member printed exactly: cJSON prints numbers through a double. */
static void
add_integer(cJSON *obj, const char *name, unsigned long long value)
{
    char digits[24];

    snprintf(digits, sizeof digits, "%llu", value);
    cJSON_AddRawToObject(obj, name, digits);
}

/* Adds a member from a string of digits (a keyring attribute): the integer if it is
 * one from 1 to max, else null. */
static void
add_digits(cJSON *obj, const char *name, const char *digits, unsigned long long max)
{
    size_t n = digits != NULL ? strlen(digits) : 0;
    unsigned long long value = 0;

    if (n == 0 || n > 19 || strspn(digits, "0123456789") != n ||
        (value = strtoull(digits, NULL, 10)) < 1 || value > max)
        cJSON_AddNullToObject(obj, name);
    else
        add_integer(obj, name, value);
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
    add_integer(c, "box_id", s->box_id);
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
    if (err->http_status > 0)
        add_integer(e, "http_status", (unsigned long long)err->http_status);
    else
        cJSON_AddNullToObject(e, "http_status");
    add_string_or_null(e, "server_description", err->server_description);
    add_string_or_null(e, "server_location", err->server_location);
    cJSON_AddItemToObject(root, "error", e);
    print_json(root);
}

/* The widest a customer's name is printed, and a message on stderr. */
#define NAME_COLUMNS    80
#define MESSAGE_COLUMNS 300

static void
print_session(const struct bl_config *cfg, const char *host, const struct bl_session *s,
              int stored, int show_key)
{
    struct session_badge b[SESSION_BADGES];
    /* One line, whatever the name holds: padding must not wrap into a fake line below. */
    char *name = s->name != NULL ? text_one_line(s->name, NAME_COLUMNS) : NULL;

    session_badges(s, b);
    printf("%s\n", name != NULL ? name : "(no name on record)");
    free(name);
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

/* Makes *text, a reason the keyring service gave (outside text), inert and one line. */
static void
make_inert(char **text)
{
    char *safe = *text != NULL ? text_one_line(*text, MESSAGE_COLUMNS) : NULL;

    if (safe != NULL) {
        free(*text);
        *text = safe;
    }
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
    msg = text_one_line(err->message != NULL ? err->message : "", MESSAGE_COLUMNS);
    if (err->kind == BL_USAGE || err->kind == BL_CANCELLED)
        fprintf(stderr, "boxlogin: %s\n", msg != NULL ? msg : "out of memory");
    else
        fprintf(stderr, "boxlogin: %s: %s\n", error_title(err->kind),
                msg != NULL ? msg : "out of memory");
    free(msg);
    return error_exit_status(err->kind);
}

static int
read_password(const struct cli *cli, const char *email, char **pw, size_t *len,
              struct bl_error *err)
{
    char prompt[600];

    if (cli->password_stdin)
        return prompt_read_line(STDIN_FILENO, pw, len, err);
    if (!isatty(STDIN_FILENO))
        return error_set(err, BL_USAGE,
                         "no password: use --password-stdin, or run from a terminal");
    snprintf(prompt, sizeof prompt, "Password for %.500s: ", email);
    return prompt_secret(prompt, pw, len, err);
}

int
cmd_login(const struct cli *cli)
{
    struct bl_config cfg = {0};
    struct bl_error err = {0};
    struct bl_session *s = NULL;
    struct api *api = NULL;
    char *host = NULL, *email = text_trimmed(cli->email), *pw = NULL, *why = NULL;
    size_t pw_len = 0;
    int status, stored = 0;

    /* SIGINT, SIGTERM and SIGHUP cancel: they interrupt a prompt and wake the transfer.
     */
    signals_catch(on_signal);
    if (cmd_load_config(cli, 0, &cfg, &err) != 0 ||
        api_check_url(cfg.base_url, &host, &err) != 0)
        goto out;
    if (cfg.note != NULL)
        fprintf(stderr, "boxlogin: note: %s\n", cfg.note);
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
    s->email = text_email_key(email);
    stored = keyring_save_session(s, &cfg, &why) == 0;
    make_inert(&why);
    if (!stored)
        fprintf(stderr, "boxlogin: warning: customer key not saved to the keyring: %s\n",
                why != NULL ? why : "unknown reason");
    if (cli->json)
        print_session_json(&cfg, s, stored, cli->show_key);
    else
        print_session(&cfg, host, s, stored, cli->show_key);
out:
    signal_api = NULL;
    status = err.kind == BL_OK ? 0 : cmd_fail(cli->json, &err);
    session_free(s);
    secmem_free(pw);
    api_free(api);
    config_free(&cfg);
    error_clear(&err);
    free(email);
    free(host);
    free(why);
    return status;
}

int
cmd_keys(const struct cli *cli)
{
    struct keyring_item *items = NULL;
    struct bl_error err = {0};
    size_t count = 0;
    char *why = NULL;
    const char *env = cli->args.env;
    int status;

    if (env != NULL && strcmp(env, "test") != 0 && strcmp(env, "prod") != 0) {
        error_set(&err, BL_USAGE, "--env: expected test or prod");
        goto out;
    }
    if (keyring_list(env, &items, &count, &why) != 0) {
        error_set(&err, BL_USAGE, "cannot read the keyring: %s", why ? why : "unknown");
        goto out;
    }
    if (cli->json) {
        cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "keys");

        for (size_t i = 0; i < count; i++) {
            cJSON *o = cJSON_CreateObject();

            cJSON_AddStringToObject(o, "email", items[i].email);
            cJSON_AddStringToObject(o, "environment", items[i].environment);
            add_digits(o, "box_id", items[i].box_id, (1ULL << 53) - 1);
            add_digits(o, "user_code", items[i].user_code, 2147483647ULL);
            cJSON_AddStringToObject(o, "label", items[i].label);
            cJSON_AddItemToArray(arr, o);
        }
        print_json(root);
    } else if (count == 0) {
        fprintf(stderr, "boxlogin: no customer keys are stored\n");
    } else {
        printf("%-40s %-5s %-12s %s\n", "EMAIL", "ENV", "BOX ID", "USER CODE");
        for (size_t i = 0; i < count; i++) {
            /* Attributes anyone with the keyring could have written: shown inert. */
            char *email = text_one_line(items[i].email, 80);
            char *envname = text_one_line(items[i].environment, 20);
            char *box = text_one_line(items[i].box_id, 20);
            char *code = text_one_line(items[i].user_code, 20);

            printf("%-40s %-5s %-12s %s\n", email ? email : "?", envname ? envname : "?",
                   box ? box : "?", code ? code : "?");
            free(email);
            free(envname);
            free(box);
            free(code);
        }
    }
out:
    status = err.kind == BL_OK ? 0 : cmd_fail(cli->json, &err);
    keyring_items_free(items, count);
    error_clear(&err);
    free(why);
    return status;
}

int
cmd_forget(const struct cli *cli)
{
    const char *env = cli->args.env;
    char *email = cli->operand != NULL ? text_email_key(cli->operand) : NULL, *why = NULL;
    int removed = 0, rc;

    if (env != NULL && strcmp(env, "test") != 0 && strcmp(env, "prod") != 0) {
        fprintf(stderr, "boxlogin: --env: expected test or prod\n");
        free(email);
        return 2;
    }
    rc = keyring_forget(email, env, &removed, &why);
    make_inert(&why);
    if (rc != 0)
        fprintf(stderr, "boxlogin: cannot change the keyring: %s\n",
                why ? why : "unknown");
    else if (removed == 0)
        fprintf(stderr, "boxlogin: no stored customer key %s%s\n",
                email != NULL ? "for " : "to forget", email != NULL ? email : "");
    else
        printf("Forgot %d stored customer key%s%s%s\n", removed, removed == 1 ? "" : "s",
               email != NULL ? " of " : "", email != NULL ? email : "");
    free(email);
    free(why);
    return rc == 0 ? 0 : 2;
}

/* Reads one line: at the terminal with echo as asked, else from standard input. */
static int
ask(const char *question, int echo, char **out, size_t *len, struct bl_error *err)
{
    if (!isatty(STDIN_FILENO))
        return prompt_read_line(STDIN_FILENO, out, len, err);
    if (!echo)
        return prompt_secret(question, out, len, err);
    fputs(question, stderr);
    return prompt_read_line(STDIN_FILENO, out, len, err);
}

int
cmd_setup(const struct cli *cli)
{
    struct bl_error err = {0};
    enum bl_env env = ENV_TEST;
    const char *e = cli->args.env != NULL ? cli->args.env : getenv("BOXLOGIN_ENV");
    char *code = NULL, *key = NULL, *why = NULL, *path = NULL, *end, question[80];
    size_t len;
    long user_code = 0;
    int status = 2;

    /* SIGINT, SIGTERM and SIGHUP cancel: they interrupt a prompt and wake the transfer.
     */
    signals_catch(on_signal);
    if (e != NULL && *e != '\0' && config_parse_env(e, &env) != 0) {
        fprintf(stderr, "boxlogin: --env: expected test or prod\n");
        return 2;
    }
    snprintf(question, sizeof question, "user_code for %s: ", config_env_badge(env));
    if (ask(question, 1, &code, &len, &err) != 0)
        goto out;
    user_code = strtol(code, &end, 10);
    if (*end != '\0' || user_code < 1 || user_code > 2147483647L) {
        error_set(&err, BL_USAGE, "user_code: expected a positive whole number");
        goto out;
    }
    snprintf(question, sizeof question,
             "app_key for %s (not shown): ", config_env_badge(env));
    if (ask(question, 0, &key, &len, &err) != 0)
        goto out;
    if (strspn(key, "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~") != len) {
        error_set(&err, BL_USAGE,
                  "app_key: expected printable characters without spaces");
        goto out;
    }
    if (keyring_store_app_key(env, user_code, key, &why) != 0) {
        error_set(&err, BL_USAGE, "app key not stored: %s", why ? why : "unknown");
        goto out;
    }
    if (config_save_user_code(cli->args.config_path, env, user_code, &path, &err) != 0)
        goto out;
    printf(
        "Stored the %s app key for user_code %ld in the keyring, and user_code in %s\n",
        config_env_badge(env), user_code, path);
    status = 0;
out:
    if (status != 0)
        status = cmd_fail(cli->json, &err);
    secmem_free(code);
    secmem_free(key);
    error_clear(&err);
    free(why);
    free(path);
    return status;
}
