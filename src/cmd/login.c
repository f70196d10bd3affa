/* boxlogin login: log in once, without the UI; and the login that profile, shipments
 * and track fall back on when no stored key serves. */
#include "cmd.h"
#include "output.h"
#include "../i18n.h"
#include "../keyring.h"
#include "../prompt.h"
#include "../secmem.h"
#include "../text.h"
#include "../value.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
print_session_json(const struct bl_config *cfg, const struct bl_session *s, int stored,
                   int show_key, const char *source)
{
    cJSON *root = cJSON_CreateObject(), *c = cJSON_CreateObject();

    cJSON_AddStringToObject(root, "environment", config_env_name(cfg->env));
    cJSON_AddStringToObject(root, "email", s->email);
    output_add_string_or_null(c, "first_name", s->first_name);
    output_add_string_or_null(c, "last_name", s->last_name);
    output_add_string_or_null(c, "name", s->name);
    output_add_integer(c, "box_id", s->box_id);
    output_add_flag(c, "active", s->active);
    output_add_flag(c, "vip", s->vip);
    output_add_flag(c, "business", s->business);
    output_add_flag(c, "enabled", s->enabled);
    output_add_flag(c, "verified", s->verified);
    output_add_string_or_null(c, "enrolment_date", s->enrolment_date);
    output_add_string_or_null(c, "activation_date", s->activation_date);
    cJSON_AddItemToObject(root, "customer", c);
    cJSON_AddBoolToObject(root, "key_stored", stored);
    cJSON_AddStringToObject(root, "source", source);
    if (show_key)
        cJSON_AddItemToObject(root, "customer_key",
                              cJSON_CreateStringReference(s->customer_key));
    output_json(root);
}

/* The widest a customer's name is printed. */
#define NAME_COLUMNS 80

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
    char *safe = *text != NULL ? text_one_line(*text, CMD_MESSAGE_COLUMNS) : NULL;

    if (safe != NULL) {
        free(*text);
        *text = safe;
    }
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
        error_set(err, BL_INTERNAL, "%s", _("out of memory"));
        return -1;
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

/* login needs --email: the email it logs in as. */
static const char *
login_check(const struct cli *cli)
{
    /* TRANSLATORS: keep login, --email and the placeholder EMAIL as they are. */
    return cli->email == NULL ? _("login needs --email EMAIL") : NULL;
}

static int
login_prepare(struct cmd_ctx *ctx, struct bl_error *err)
{
    return value_email(ctx->cli->email, "--email", &ctx->email, &ctx->email_key, err);
}

static int
login_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    struct bl_session *s = NULL;
    int stored = 0;

    if (cmd_log_in(ctx->cli, &ctx->run, ctx->email, ctx->email_key, &s, &stored, err) !=
        0)
        return -1;
    cmd_print_session(ctx->cli, &ctx->run, s, stored, "login");
    session_free(s);
    return 0;
}

const struct cmd_entry cmd_entry_login = {
    .name = "login",
    .options = CMD_OPT_PASSWORD_STDIN | CMD_OPT_JSON | CMD_OPT_SHOW_KEY,
    .flags = CMD_API | CMD_CANCELLABLE,
    .operands = {0, 0, NULL},
    .check = login_check,
    .prepare = login_prepare,
    .exec = login_exec,
};
