#include "commands.h"
#include "api.h"
#include "history.h"
#include "i18n.h"
#include "keyring.h"
#include "log.h"
#include "prompt.h"
#include "secmem.h"
#include "signals.h"
#include "text.h"
#include "value.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int
cmd_start(const struct cli *cli, struct cmd_run *run, struct bl_error *err)
{
    memset(run, 0, sizeof *run);
    /* SIGINT, SIGTERM, SIGHUP and the like cancel: they interrupt a prompt and wake the
     * transfer. */
    signals_catch(on_signal);
    if (cmd_load_config(cli, &run->cfg, &run->sources, err) != 0 ||
        api_check_url(run->cfg.base_url, &run->host, err) != 0 ||
        config_credentials(&run->sources, keyring_lookup_app_key, &run->cfg.cred, err) !=
            0)
        return -1;
    config_sources_free(&run->sources);
    if (run->cfg.cred.note != NULL)
        /* TRANSLATORS: %s is a note on the credentials in use. */
        cmd_say(_("note: %s"), run->cfg.cred.note);
    if ((run->api = api_new(err)) == NULL)
        return -1;
    signal_api = run->api;
    return 0;
}

void
cmd_finish(struct cmd_run *run)
{
    signal_api = NULL;
    api_free(run->api);
    config_free(&run->cfg);
    config_sources_free(&run->sources);
    free(run->host);
    memset(run, 0, sizeof *run);
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
                   int show_key, const char *source)
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
    cJSON_AddStringToObject(root, "source", source);
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

/* The labels of the login summary, in the order they are shown. */
enum summary_label {
    LABEL_BOX_ID,
    LABEL_EMAIL,
    LABEL_STATUS,
    LABEL_ENROLLED,
    LABEL_ACTIVATED,
    LABEL_ENVIRONMENT,
    LABEL_KEY,
    LABEL_CUSTOMER_KEY,
    LABELS,
};

/* Prints label, indented and padded to width columns, and a space. */
static void
print_label(const char *label, size_t width)
{
    size_t cols = text_columns(label);

    printf("  %s%*s ", label, (int)(width > cols ? width - cols : 0), "");
}

static void
print_session(const struct bl_config *cfg, const char *host, const struct bl_session *s,
              int stored, int show_key)
{
    const char *label[LABELS] = {
        /* TRANSLATORS: the login summary's labels, in a column before the values. */
        [LABEL_BOX_ID] = _("Box ID"),
        [LABEL_EMAIL] = _("Email"),
        /* TRANSLATORS: the customer's status words (ACTIVE, VIP ...) follow. */
        [LABEL_STATUS] = C_("login summary", "Status"),
        [LABEL_ENROLLED] = _("Enrolled"),
        [LABEL_ACTIVATED] = _("Activated"),
        /* TRANSLATORS: TEST or PROD and the API host follow. */
        [LABEL_ENVIRONMENT] = _("Environment"),
        /* TRANSLATORS: the customer key (a credential) follows: saved or not. */
        [LABEL_KEY] = C_("login summary", "Key"),
        [LABEL_CUSTOMER_KEY] = _("Customer key"),
    };
    struct session_badge b[SESSION_BADGES];
    /* One line, whatever the name holds: padding must not wrap into a fake line below. */
    char *name = s->name != NULL ? text_one_line(s->name, NAME_COLUMNS) : NULL;
    size_t width = 0;
    /* A locale that cannot show the dash (LANG=C) gets ASCII. */
    const char *dash = text_dash();

    /* The values in one column after the widest label, shown or not. */
    for (int i = 0; i < LABELS; i++)
        if (text_columns(label[i]) > width)
            width = text_columns(label[i]);
    session_badges(s, b);
    printf("%s\n", name != NULL ? name : _("(no name on record)"));
    free(name);
    print_label(label[LABEL_BOX_ID], width);
    printf("%llu\n", (unsigned long long)s->box_id);
    print_label(label[LABEL_EMAIL], width);
    printf("%s\n", s->email);
    print_label(label[LABEL_STATUS], width);
    for (int i = 0; i < SESSION_BADGES; i++)
        printf(i > 0 ? "  %s" : "%s", b[i].word);
    putchar('\n');
    print_label(label[LABEL_ENROLLED], width);
    printf("%s\n", s->enrolment_date[0] ? s->enrolment_date : dash);
    print_label(label[LABEL_ACTIVATED], width);
    printf("%s\n", s->activation_date[0] ? s->activation_date : dash);
    print_label(label[LABEL_ENVIRONMENT], width);
    printf("%s (%s)\n", config_env_badge(cfg->env), host);
    print_label(label[LABEL_KEY], width);
    printf("%s\n", stored ? _("saved to the keyring") : _("not saved (memory only)"));
    if (show_key) {
        char *safe = text_sanitize(s->customer_key, strlen(s->customer_key));

        print_label(label[LABEL_CUSTOMER_KEY], width);
        printf("%s\n", safe != NULL ? safe : "");
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
    if (err->kind == BL_USAGE || err->kind == BL_CANCELLED || err->kind == BL_INTERNAL)
        fprintf(stderr, "boxlogin: %s\n", msg != NULL ? msg : _("out of memory"));
    else
        fprintf(stderr, "boxlogin: %s: %s\n", error_title(err->kind),
                msg != NULL ? msg : _("out of memory"));
    free(msg);
    return error_exit_status(err->kind);
}

int
cmd_has_password_source(const struct cli *cli)
{
    return cli->password_stdin || isatty(STDIN_FILENO);
}

static int
read_password(const struct cli *cli, const char *email, char **pw, size_t *len,
              struct bl_error *err)
{
    char prompt[600];

    if (cli->password_stdin)
        return prompt_read_line(STDIN_FILENO, "password", pw, len, err);
    if (!isatty(STDIN_FILENO))
        return error_set(err, BL_USAGE, "%s",
                         _("no password: use --password-stdin, or run from a terminal"));
    /* TRANSLATORS: a prompt; %.500s is the customer's email (keep the .500). */
    snprintf(prompt, sizeof prompt, _("Password for %.500s: "), email);
    return prompt_secret(prompt, "password", pw, len, err);
}

void
cmd_keep_session(const struct cmd_run *run, struct bl_session *s, int *stored)
{
    struct bl_error keyring_err = {0};

    *stored = keyring_save_session(s, &run->cfg, &keyring_err) == 0;
    if (!*stored) {
        make_inert(&keyring_err.message);
        /* TRANSLATORS: %s is why, like "--no-keyring was given". */
        cmd_say(_("warning: customer key not saved to the keyring: %s"),
                keyring_err.message);
    }
    error_clear(&keyring_err);
}

int
cmd_log_in(const struct cli *cli, struct cmd_run *run, const char *email,
           const char *email_key, struct bl_session **out, int *stored,
           struct bl_error *err)
{
    char *pw = NULL;
    size_t pw_len = 0;

    *out = NULL;
    if (read_password(cli, email, &pw, &pw_len, err) != 0)
        return -1;
    /* A signal while the config (say, a slow keyring) was read: stop before sending. */
    if (cmd_cancelled(err) != 0) {
        secmem_free(pw);
        return -1;
    }
    api_login(run->api, 1, &run->cfg, email, pw, pw_len, out, err);
    secmem_free(pw);
    cmd_remember(run, HISTORY_LOGIN, email_key, *out != NULL ? (*out)->box_id : 0,
                 *out != NULL ? BL_OK : err->kind);
    if (*out == NULL)
        return -1;
    if (((*out)->email = strdup(email_key)) == NULL) {
        session_free(*out);
        *out = NULL;
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    }
    cmd_keep_session(run, *out, stored);
    return 0;
}

void
cmd_print_session(const struct cli *cli, const struct cmd_run *run,
                  const struct bl_session *s, int stored, const char *source)
{
    if (cli->json)
        print_session_json(&run->cfg, s, stored, cli->show_key, source);
    else
        print_session(&run->cfg, run->host, s, stored, cli->show_key);
}

int
cmd_login(const struct cli *cli)
{
    struct cmd_run run = {0};
    struct bl_error err = {0};
    struct bl_session *s = NULL;
    char *email = NULL, *email_key = NULL;
    int status, stored = 0;

    if (value_email(cli->email, "--email", &email, &email_key, &err) == 0 &&
        cmd_start(cli, &run, &err) == 0 &&
        cmd_log_in(cli, &run, email, email_key, &s, &stored, &err) == 0 && s != NULL)
        cmd_print_session(cli, &run, s, stored, "login");
    status = err.kind == BL_OK ? 0 : cmd_fail(cli->json, &err);
    session_free(s);
    cmd_finish(&run);
    error_clear(&err);
    free(email);
    free(email_key);
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

static void reword(struct bl_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Rewrites err's message (of the same kind) from fmt, whose arguments may be the old
 * message: they are read before it is freed. */
static void
reword(struct bl_error *err, const char *fmt, ...)
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

/* err's message, or "" when it has none. */
static const char *
reason(const struct bl_error *err)
{
    return err->message != NULL ? err->message : "";
}

/* Prints text padded with spaces to width columns, and a space. */
static void
print_cell(const char *text, size_t width)
{
    size_t cols = text_columns(text);

    printf("%s%*s ", text, (int)(width > cols ? width - cols : 0), "");
}

/* The wider of n columns and the text's columns. */
static size_t
wider(size_t n, const char *text)
{
    size_t cols = text_columns(text);

    return cols > n ? cols : n;
}

int
cmd_keys(const struct cli *cli)
{
    struct keyring_item *items = NULL;
    struct bl_error err = {0};
    size_t count = 0;
    const char *env;
    int status;

    if (explicit_env_name(cli, &env, &err) != 0)
        goto out;
    if (keyring_list(env, &items, &count, &err) != 0) {
        /* TRANSLATORS: %s is why, from the keyring. */
        reword(&err, _("cannot read the keyring: %s"), reason(&err));
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
        cmd_say("%s", _("no customer keys are stored"));
    } else {
        /* TRANSLATORS: the column headings of the list of stored keys. */
        const char *h_email = C_("keys list", "EMAIL");
        /* TRANSLATORS: the environment, test or prod, is in this column. */
        const char *h_env = C_("keys list", "ENV");
        const char *h_box = C_("keys list", "BOX ID");
        const char *h_code = C_("keys list", "USER CODE");
        /* The columns are as wide as in English at least, or as their heading. */
        size_t w_email = wider(40, h_email), w_env = wider(5, h_env),
               w_box = wider(12, h_box);

        print_cell(h_email, w_email);
        print_cell(h_env, w_env);
        print_cell(h_box, w_box);
        printf("%s\n", h_code);
        for (size_t i = 0; i < count; i++) {
            /* Attributes anyone with the keyring could have written: shown inert. */
            char *email = text_one_line(items[i].email, 80);
            char *envname = text_one_line(items[i].environment, 20);
            char *box = text_one_line(items[i].box_id, 20);
            char *code = text_one_line(items[i].user_code, 20);

            print_cell(email ? email : "?", w_email);
            print_cell(envname ? envname : "?", w_env);
            print_cell(box ? box : "?", w_box);
            printf("%s\n", code ? code : "?");
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
    return status;
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
        rc = cmd_fail(cli->json, &err);
        error_clear(&err);
        return rc;
    }
    rc = keyring_forget(email, env, &removed, &err);
    if (rc != 0) {
        /* TRANSLATORS: %s is why, from the keyring. */
        reword(&err, _("cannot change the keyring: %s"), reason(&err));
        rc = cmd_fail(cli->json, &err);
        error_clear(&err);
    } else if (removed == 0 && email != NULL) {
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

int
cmd_setup(const struct cli *cli)
{
    struct config_file file = {0};
    struct bl_error err = {0};
    enum bl_env env = ENV_TEST;
    char *code = NULL, *key = NULL, question[200];
    size_t len;
    long user_code = 0;
    int status = 2;

    /* SIGINT, SIGTERM and SIGHUP cancel: they interrupt a prompt. */
    signals_catch(on_signal);
    /* The file is read first: a setup that could not write it asks and stores nothing. */
    if (config_read_file(cli->args.config_path, 1, &file, &err) != 0 ||
        config_env(&cli->args, &file, &env, &err) != 0)
        goto out;
    /* TRANSLATORS: a prompt; keep user_code as it is (a config key); %s is TEST or
       PROD. */
    snprintf(question, sizeof question, _("user_code for %s: "), config_env_badge(env));
    /* A signal may end a read with what came before it: it cancels all the same. */
    if (ask(question, "user_code", 1, &code, &len, &err) != 0 || got_signal ||
        value_user_code(code, "user_code", &user_code, &err) != 0)
        goto out;
    /* TRANSLATORS: a prompt; keep app_key as it is (a config key); %s is TEST or PROD. */
    snprintf(question, sizeof question, _("app_key for %s (not shown): "),
             config_env_badge(env));
    if (ask(question, "app_key", 0, &key, &len, &err) != 0 || got_signal ||
        value_app_key(key, "app_key", &err) != 0)
        goto out;
    if (keyring_store_app_key(env, user_code, key, &err) != 0) {
        /* TRANSLATORS: %s is why, from the keyring. */
        reword(&err, _("app key not stored: %s"), reason(&err));
        goto out;
    }
    if (config_set_user_code(&file, env, user_code, &err) != 0 ||
        config_write_file(&file, &err) != 0)
        goto out;
    printf(
        /* TRANSLATORS: keep user_code as it is (a config key); the first %s is TEST or
           PROD, %ld the user code, the last %s the config file. */
        _("Stored the %s app key for user_code %ld in the keyring, and user_code in %s"),
        config_env_badge(env), user_code, file.path);
    putchar('\n');
    status = 0;
out:
    if (status != 0 && got_signal)
        error_set(&err, BL_CANCELLED, "%s", _("Cancelled"));
    if (status != 0)
        status = cmd_fail(cli->json, &err);
    secmem_free(code);
    secmem_free(key);
    error_clear(&err);
    config_file_free(&file);
    return status;
}
