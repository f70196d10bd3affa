#include "config.h"
#include "i18n.h"
#include "secmem.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINE 4096

static const char *const key_names[CONFIG_KEY_COUNT] = {
    [CONFIG_KEY_ENVIRONMENT] = "environment",
    [CONFIG_KEY_BASE_URL] = "base_url",
    [CONFIG_KEY_LOGIN_PATH] = "login_path",
    [CONFIG_KEY_USER_CODE] = "user_code",
    [CONFIG_KEY_APP_KEY] = "app_key",
    [CONFIG_KEY_CACERT] = "cacert",
    [CONFIG_KEY_TIMEOUT] = "timeout",
    [CONFIG_KEY_PREWARM] = "prewarm",
    [CONFIG_KEY_PROFILE_PATH] = "profile_path",
    [CONFIG_KEY_SHIPMENTS_PATH] = "shipments_path",
    [CONFIG_KEY_SHIPMENT_PATH] = "shipment_path",
    [CONFIG_KEY_PARTNER_PATH] = "partner_path",
    [CONFIG_KEY_HISTORY] = "history",
    [CONFIG_KEY_PASSWORD_PATH] = "password_path",
    [CONFIG_KEY_EMAIL_PATH] = "email_path",
    [CONFIG_KEY_TYPE_PATH] = "type_path",
    [CONFIG_KEY_DETAILS_PATH] = "details_path",
    [CONFIG_KEY_ADDRESS_PATH] = "address_path",
    [CONFIG_KEY_PLACES_PATH] = "places_path",
    [CONFIG_KEY_CHANGES] = "changes",
};

#define KNOWN_KEYS                                                                       \
    "environment, base_url, login_path, user_code, app_key, cacert, timeout, prewarm, "  \
    "profile_path, shipments_path, shipment_path, partner_path, history, "               \
    "password_path, email_path, type_path, details_path, address_path, places_path, "    \
    "changes"

#define CUSTOMER_PATH "service-customer.svc/customer/"
#define PLACES_FOLDER "service-geographic.svc/geographic"

/* Every call: SPEC "The API call", "The account calls" and "Changes" → "The calls". */
static const struct config_call calls[API_CALLS] = {
    [API_LOGIN] = {.name = "login",
                   .path = CUSTOMER_PATH "customer-login",
                   .key = CONFIG_KEY_LOGIN_PATH,
                   .cap = API_MAX_REPLY},
    [API_PARTNER] = {.name = "partner lookup",
                     .path = "service-partner.svc/partner/customer-get-info",
                     .documented = "service-customer.svc/partner/customer-get-info",
                     .key = CONFIG_KEY_PARTNER_PATH,
                     .cap = API_MAX_REPLY},
    [API_PROFILE] = {.name = "profile",
                     .path = CUSTOMER_PATH "customer-get-info",
                     .key = CONFIG_KEY_PROFILE_PATH,
                     .cap = API_MAX_REPLY},
    [API_SHIPMENTS] = {.name = "shipments",
                       .path = CUSTOMER_PATH "customer-get-shipments",
                       .key = CONFIG_KEY_SHIPMENTS_PATH,
                       .cap = API_MAX_SHIPMENTS_REPLY},
    [API_SHIPMENT] = {.name = "shipment",
                      .path = "service-shipment.svc/shipment/get-shipment-info",
                      .documented = "service-customer.svc/shipment/get-shipment-info",
                      .key = CONFIG_KEY_SHIPMENT_PATH,
                      .cap = API_MAX_REPLY},
    [API_PASSWORD] = {.name = "password change",
                      .path = CUSTOMER_PATH "customer-update-password",
                      .key = CONFIG_KEY_PASSWORD_PATH,
                      .cap = API_MAX_REPLY,
                      .write = 1},
    [API_EMAIL] = {.name = "email change",
                   .path = CUSTOMER_PATH "customer-update-email",
                   .key = CONFIG_KEY_EMAIL_PATH,
                   .cap = API_MAX_REPLY,
                   .write = 1},
    [API_TYPE] = {.name = "type change",
                  .path = CUSTOMER_PATH "customer-update-type",
                  .key = CONFIG_KEY_TYPE_PATH,
                  .cap = API_MAX_REPLY,
                  .write = 1},
    [API_DETAILS] = {.name = "details change",
                     .path = CUSTOMER_PATH "customer-update-personal-info",
                     .key = CONFIG_KEY_DETAILS_PATH,
                     .cap = API_MAX_REPLY,
                     .write = 1},
    [API_ADDRESS] = {.name = "address change",
                     .path = CUSTOMER_PATH "customer-update-address-info",
                     .key = CONFIG_KEY_ADDRESS_PATH,
                     .cap = API_MAX_REPLY,
                     .write = 1},
    [API_COUNTRIES] = {.name = "countries",
                       .path = PLACES_FOLDER "/geographic-get-countries",
                       .leaf = "geographic-get-countries",
                       .key = CONFIG_KEY_PLACES_PATH,
                       .cap = API_MAX_REPLY},
    [API_STATES] = {.name = "states",
                    .path = PLACES_FOLDER "/geographic-get-states",
                    .leaf = "geographic-get-states",
                    .key = CONFIG_KEY_PLACES_PATH,
                    .cap = API_MAX_REPLY},
    [API_CITIES] = {.name = "cities",
                    .path = PLACES_FOLDER "/geographic-get-cities",
                    .leaf = "geographic-get-cities",
                    .key = CONFIG_KEY_PLACES_PATH,
                    .cap = API_MAX_REPLY},
};

const struct config_call *
config_call(enum api_call c)
{
    return &calls[c];
}

const char *
config_env_name(enum bl_env env)
{
    return env == ENV_PROD ? "prod" : "test";
}

const char *
config_env_badge(enum bl_env env)
{
    return env == ENV_PROD ? "PROD" : "TEST";
}

const char *
config_default_base_url(enum bl_env env)
{
    return env == ENV_PROD ? "https://api-box.skypostal.com/wcf-services"
                           : "https://api-box-test.skypostal.com/wcf-services";
}

const char *
config_call_path(const struct bl_config *cfg, enum api_call c, int *set)
{
    const char *path = c < API_CALLS ? cfg->call_path[c] : NULL;

    if (set != NULL)
        *set = path != NULL;
    return path != NULL ? path : config_call(c)->path;
}

/* Checks a value for key with the parser every other source of it uses. */
static int
check_value(enum config_key key, const char *v, const char *what, struct bl_error *err)
{
    enum bl_env env;
    long n;
    int b;

    switch (key) {
    case CONFIG_KEY_ENVIRONMENT:
        return value_env(v, what, &env, err);
    case CONFIG_KEY_USER_CODE:
        return value_user_code(v, what, &n, err);
    case CONFIG_KEY_TIMEOUT:
        return value_timeout(v, what, &n, err);
    case CONFIG_KEY_PREWARM:
    case CONFIG_KEY_HISTORY:
    case CONFIG_KEY_CHANGES:
        return value_bool(v, what, &b, err);
    case CONFIG_KEY_APP_KEY:
        return value_app_key(v, what, err);
    case CONFIG_KEY_BASE_URL:
    case CONFIG_KEY_LOGIN_PATH:
    case CONFIG_KEY_PROFILE_PATH:
    case CONFIG_KEY_SHIPMENTS_PATH:
    case CONFIG_KEY_SHIPMENT_PATH:
    case CONFIG_KEY_PARTNER_PATH:
    case CONFIG_KEY_PASSWORD_PATH:
    case CONFIG_KEY_EMAIL_PATH:
    case CONFIG_KEY_TYPE_PATH:
    case CONFIG_KEY_DETAILS_PATH:
    case CONFIG_KEY_ADDRESS_PATH:
    case CONFIG_KEY_PLACES_PATH:
    case CONFIG_KEY_CACERT:
    case CONFIG_KEY_COUNT:
        break;
    }
    return 0;
}

static char *
trim(char *b, char *e)
{
    while (b < e && (*b == ' ' || *b == '\t'))
        b++;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    *e = '\0';
    return b;
}

/*
 * A name worth repeating in a message: a short word of lower-case letters like
 * the keys themselves, never a pasted secret (with spaces, digits or symbols).
 */
static int
plain_name(const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz_");

    return n > 0 && n <= 24 && s[n] == '\0';
}

/* Strips a comment: '#' at the start or after white space (base_url = https://h/a#b). */
static char *
strip_comment(char *s)
{
    for (char *hash = s; (hash = strchr(hash, '#')) != NULL; hash++)
        if (hash == s || hash[-1] == ' ' || hash[-1] == '\t') {
            *hash = '\0';
            break;
        }
    return s;
}

/* Parses one "key = value" line (modified in place) of section sec into out. */
static int
parse_assignment(char *line, int lineno, int sec, const char *fname,
                 struct config_file *out, struct bl_error *err)
{
    char *eq = strchr(line, '='), *key, *value, *what;
    int k, rc;

    if (eq == NULL)
        return error_set(err, BL_USAGE,
                         /* TRANSLATORS: in the config file's messages, "%s:%d: " is the
                            file and the line, first; keep the config keys (environment,
                            user_code ...), [test], [prod] and 'key = value'. */
                         _("%s:%d: expected 'key = value', a [section] or a # comment"),
                         fname, lineno);
    key = trim(line, eq);
    value = strip_comment(eq + 1);
    value = trim(value, value + strlen(value));
    for (k = 0; k < CONFIG_KEY_COUNT && strcmp(key, key_names[k]) != 0; k++)
        ;
    if (k == CONFIG_KEY_COUNT && plain_name(key))
        /* TRANSLATORS: file:line, the key as written, then the list of the keys. */
        return error_set(err, BL_USAGE, _("%s:%d: unknown key '%s' (known: %s)"), fname,
                         lineno, key, KNOWN_KEYS);
    if (k == CONFIG_KEY_COUNT)
        return error_set(err, BL_USAGE,
                         /* TRANSLATORS: file:line, then the list of the config keys. */
                         _("%s:%d: expected 'key = value' with one of the keys %s"),
                         fname, lineno, KNOWN_KEYS);
    if (*value == '\0')
        /* TRANSLATORS: the last %s is a config key. */
        return error_set(err, BL_USAGE, _("%s:%d: no value for '%s'"), fname, lineno,
                         key_names[k]);
    if (k == CONFIG_KEY_ENVIRONMENT && sec != 0)
        return error_set(err, BL_USAGE,
                         /* TRANSLATORS: environment is a config key: keep it. */
                         _("%s:%d: environment must come before any section"), fname,
                         lineno);
    if (asprintf(&what, "%s:%d: %s", fname, lineno, key_names[k]) < 0)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    rc = check_value(k, value, what, err);
    free(what);
    if (rc != 0)
        return -1;
    if (out->value[sec][k] != NULL)
        /* TRANSLATORS: the last %s is a config key, the last %d a line number. */
        return error_set(err, BL_USAGE, _("%s:%d: %s is set twice (first on line %d)"),
                         fname, lineno, key_names[k], out->line[sec][k]);
    out->value[sec][k] = k == CONFIG_KEY_APP_KEY ? secmem_strdup(value) : strdup(value);
    if (out->value[sec][k] == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    out->line[sec][k] = lineno;
    return k;
}

/* Adds a line of text (n bytes, copied to secmem) to f; returns it, or NULL. */
static struct config_line *
add_line(struct config_file *f, size_t at, const char *text, size_t n)
{
    struct config_line *lines = realloc(f->lines, (f->line_count + 1) * sizeof *lines);
    char *copy = secmem_malloc(n + 1);

    if (lines != NULL)
        f->lines = lines;
    if (lines == NULL || copy == NULL) {
        secmem_free(copy);
        return NULL;
    }
    memcpy(copy, text, n);
    copy[n] = '\0';
    memmove(&f->lines[at + 1], &f->lines[at], (f->line_count - at) * sizeof *lines);
    f->line_count++;
    f->lines[at] = (struct config_line){.text = copy, .section = 0, .key = -1};
    return &f->lines[at];
}

int
config_parse(const char *text, size_t len, const char *fname, struct config_file *out,
             struct bl_error *err)
{
    char line[MAX_LINE + 2];
    size_t pos = 0;
    int lineno = 0, sec = 0, rc = 0;

    if (memchr(text, '\0', len) != NULL)
        /* TRANSLATORS: %s is the config file. */
        return error_set(err, BL_USAGE, _("%s: contains a NUL byte; is it a text file?"),
                         fname);
    while (pos < len && rc == 0) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = (nl != NULL ? (size_t)(nl - text) : len) - pos;
        struct config_line *kept;
        char *l;

        lineno++;
        if (n > MAX_LINE) {
            rc = error_set(err, BL_USAGE,
                           P_("%s:%d: line longer than %d byte",
                              "%s:%d: line longer than %d bytes", MAX_LINE),
                           fname, lineno, MAX_LINE);
            break;
        }
        if ((kept = add_line(out, out->line_count, text + pos, n)) == NULL) {
            rc = error_set(err, BL_INTERNAL, "%s", _("out of memory"));
            break;
        }
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos += n + 1;
        l = trim(line, line + n);
        if (*l == '[') {
            l = strip_comment(l);
            l = trim(l, l + strlen(l));
            if (strcmp(l, "[test]") == 0)
                sec = 1 + ENV_TEST;
            else if (strcmp(l, "[prod]") == 0)
                sec = 1 + ENV_PROD;
            else
                rc = error_set(err, BL_USAGE,
                               _("%s:%d: unknown section (expected [test] or [prod])"),
                               fname, lineno);
        } else if (*l != '\0' && *l != '#') {
            int k = parse_assignment(l, lineno, sec, fname, out, err);

            if (k < 0)
                rc = -1;
            else
                kept->key = k;
        }
        kept->section = sec;
    }
    explicit_bzero(line, sizeof line);
    return rc;
}

void
config_file_free(struct config_file *f)
{
    for (int s = 0; s < CONFIG_SECTIONS; s++)
        for (int k = 0; k < CONFIG_KEY_COUNT; k++)
            (k == CONFIG_KEY_APP_KEY ? secmem_free : free)(f->value[s][k]);
    for (size_t i = 0; i < f->line_count; i++)
        secmem_free(f->lines[i].text);
    free(f->lines);
    free(f->path);
    free(f->target);
    memset(f, 0, sizeof *f);
}

static char *
default_config_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char *path = NULL;

    if (xdg != NULL && xdg[0] == '/') {
        if (asprintf(&path, "%s/boxlogin/config", xdg) < 0)
            return NULL;
        return path;
    }
    if (home == NULL || home[0] == '\0') {
        struct passwd *pw = getpwuid(getuid());

        home = pw != NULL ? pw->pw_dir : NULL;
    }
    if (home == NULL || asprintf(&path, "%s/.config/boxlogin/config", home) < 0)
        return NULL;
    return path;
}

static int
has_app_key(const struct config_file *f)
{
    for (int s = 0; s < CONFIG_SECTIONS; s++)
        if (f->value[s][CONFIG_KEY_APP_KEY] != NULL)
            return 1;
    return 0;
}

/*
 * Where a rewrite of path goes: path itself when nothing is there yet, the
 * file a symbolic link points to (so the link stays), never a dangling link.
 */
static int
rewrite_target(const char *path, char **target, struct bl_error *err)
{
    struct stat st;

    if (lstat(path, &st) != 0 && errno == ENOENT)
        *target = strdup(path);
    else if ((*target = realpath(path, NULL)) == NULL && errno == ENOENT)
        /* TRANSLATORS: %s is the config file. */
        return error_set(err, BL_USAGE,
                         _("%s: a symbolic link to a file that does not exist"), path);
    else if (*target == NULL)
        return error_set(err, errno == ENOMEM ? BL_INTERNAL : BL_USAGE, "%s: %s", path,
                         strerror(errno));
    return *target != NULL ? 0 : error_set(err, BL_INTERNAL, "%s", _("out of memory"));
}

/* Reads the open regular file fd (st) of path and parses it into out. */
static int
read_and_parse(int fd, const struct stat *st, const char *path, struct config_file *out,
               struct bl_error *err)
{
    char *text;
    ssize_t got = 0;
    int rc;

    if (!S_ISREG(st->st_mode))
        /* TRANSLATORS: %s is the config file. */
        return error_set(err, BL_USAGE, _("%s: not a regular file"), path);
    if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0)
        return error_set(err, BL_USAGE,
                         /* TRANSLATORS: both %s are the config file; keep base_url and
                            chmod go-w as they are. */
                         _("%s is writable by other users, who could point base_url "
                           "elsewhere: run chmod go-w %s"),
                         path, path);
    if (st->st_size > CONFIG_MAX_FILE)
        /* TRANSLATORS: %s is the config file. */
        return error_set(err, BL_USAGE,
                         _("%s: larger than 64 KiB; is it the right file?"), path);
    if ((text = secmem_malloc((size_t)st->st_size + 1)) == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    for (ssize_t n = 1; got < st->st_size && n > 0; got += n > 0 ? n : 0)
        n = read(fd, text + got, (size_t)(st->st_size - got));
    text[got] = '\0';
    rc = config_parse(text, (size_t)got, path, out, err);
    secmem_free(text);
    if (rc == 0 && has_app_key(out) && (st->st_mode & (S_IRGRP | S_IROTH)) != 0)
        rc = error_set(
            err, BL_USAGE,
            /* TRANSLATORS: both %s are the config file; keep app_key and chmod 600 as
               they are. */
            _("%s holds an app_key but other users can read it: run chmod 600 %s"), path,
            path);
    return rc;
}

int
config_read_file(const char *explicit_path, int for_update, struct config_file *out,
                 struct bl_error *err)
{
    char *path = explicit_path != NULL ? strdup(explicit_path) : default_config_path();
    struct stat st;
    int fd, rc = -1;

    if (path == NULL && explicit_path != NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    if (path == NULL)
        return for_update
                   ? error_set(err, BL_USAGE, "%s",
                               _("cannot tell where the config file goes: set HOME "
                                 "or use --config"))
                   : 0;
    /* O_NONBLOCK: a FIFO or a device in its place must not hang the program. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0 && errno == ENOENT && (explicit_path == NULL || for_update)) {
        rc = 0;
    } else if (fd < 0 || fstat(fd, &st) != 0) {
        error_set(err, BL_USAGE, "%s: %s", path, strerror(errno));
    } else if (read_and_parse(fd, &st, path, out, err) == 0) {
        out->exists = 1;
        rc = 0;
    }
    if (fd >= 0)
        close(fd);
    if (rc == 0 && for_update)
        rc = rewrite_target(path, &out->target, err);
    if (rc == 0)
        out->path = path;
    else
        free(path);
    return rc;
}

int
config_set_user_code(struct config_file *f, enum bl_env env, long user_code,
                     struct bl_error *err)
{
    int sec = 1 + (int)env;
    char text[40], header[16];
    size_t at = f->line_count;
    struct config_line *l;

    snprintf(text, sizeof text, "user_code = %ld", user_code);
    snprintf(header, sizeof header, "[%s]", config_env_name(env));
    for (size_t i = 0; i < f->line_count; i++) {
        if (f->lines[i].section == sec && f->lines[i].key == CONFIG_KEY_USER_CODE) {
            char *copy = secmem_strdup(text);

            if (copy == NULL)
                return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
            secmem_free(f->lines[i].text);
            f->lines[i].text = copy;
            return 0;
        }
    }
    /* Under the section's first header: the one line that opens it and sets nothing. */
    for (size_t i = 0; i < f->line_count && at == f->line_count; i++)
        if (f->lines[i].section == sec && f->lines[i].key < 0 &&
            (i == 0 || f->lines[i - 1].section != sec))
            at = i + 1;
    if (at == f->line_count) {
        if ((f->line_count > 0 && add_line(f, at++, "", 0) == NULL) ||
            (l = add_line(f, at++, header, strlen(header))) == NULL)
            return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
        l->section = sec;
    }
    if ((l = add_line(f, at, text, strlen(text))) == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    l->section = sec;
    l->key = CONFIG_KEY_USER_CODE;
    return 0;
}

/* Creates the parent directories of path with mode 0700 where missing. */
static void
make_parents(const char *path)
{
    char *dir = strdup(path);

    for (char *p = dir != NULL ? dir + 1 : NULL; p != NULL && *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0700);
            *p = '/';
        }
    }
    free(dir);
}

int
config_write_file(const struct config_file *f, struct bl_error *err)
{
    char *tmp = NULL;
    FILE *out = NULL;
    int fd = -1, rc = -1;

    if (f->target == NULL)
        return error_set(err, BL_USAGE, "%s", _("no config file to write"));
    make_parents(f->target);
    /* mkstemp creates the file with mode 0600: right for a file that may hold an app_key.
     */
    if (asprintf(&tmp, "%s.XXXXXX", f->target) < 0)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    if ((fd = mkstemp(tmp)) < 0 || (out = fdopen(fd, "w")) == NULL) {
        /* TRANSLATORS: %s is the config file, then the system's reason. */
        error_set(err, BL_USAGE, _("cannot write %s: %s"), f->target, strerror(errno));
        goto out;
    }
    for (size_t i = 0; i < f->line_count; i++)
        fprintf(out, "%s\n", f->lines[i].text);
    if (fflush(out) != 0 || fsync(fd) != 0 || rename(tmp, f->target) != 0)
        error_set(err, BL_USAGE, _("cannot write %s: %s"), f->target, strerror(errno));
    else
        rc = 0;
out:
    if (out != NULL)
        fclose(out);
    else if (fd >= 0)
        close(fd);
    if (rc != 0 && fd >= 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

int
config_save_user_code(const char *explicit_path, enum bl_env env, long user_code,
                      char **written, struct bl_error *err)
{
    struct config_file f = {0};
    int rc = config_read_file(explicit_path, 1, &f, err);

    if (rc == 0)
        rc = config_set_user_code(&f, env, user_code, err);
    if (rc == 0)
        rc = config_write_file(&f, err);
    if (rc == 0 && written != NULL && f.path != NULL &&
        (*written = strdup(f.path)) == NULL)
        rc = error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    config_file_free(&f);
    return rc;
}

/* A file value for key: the section of env first, then outside sections. */
static const char *
file_value(const struct config_file *f, enum bl_env env, enum config_key key)
{
    if (f == NULL)
        return NULL;
    return f->value[1 + env][key] != NULL ? f->value[1 + env][key] : f->value[0][key];
}

/* An environment variable that is set and not empty, or NULL. */
static const char *
env_value(const char *name)
{
    const char *v = getenv(name);

    return v != NULL && *v != '\0' ? v : NULL;
}

int
config_explicit_env(const struct config_args *args, enum bl_env *env,
                    struct bl_error *err)
{
    const char *v;

    if (args->env != NULL)
        return value_env(args->env, "--env", env, err) == 0 ? 1 : -1;
    if ((v = env_value("BOXLOGIN_ENV")) != NULL)
        return value_env(v, "BOXLOGIN_ENV", env, err) == 0 ? 1 : -1;
    return 0;
}

int
config_env(const struct config_args *args, const struct config_file *file,
           enum bl_env *env, struct bl_error *err)
{
    const char *v;
    int given = config_explicit_env(args, env, err);

    if (given != 0)
        return given < 0 ? -1 : 0;
    *env = ENV_TEST;
    /* Checked when the file was read. */
    if ((v = file_value(file, ENV_TEST, CONFIG_KEY_ENVIRONMENT)) != NULL)
        value_env(v, "environment", env, NULL);
    return 0;
}

/* A configured path: folder/leaf when the key names a folder, else path itself. */
static char *
join_leaf(const char *path, const char *leaf)
{
    size_t n = strlen(path);
    char *joined = NULL;

    if (leaf == NULL)
        return strdup(path);
    while (n > 0 && path[n - 1] == '/')
        n--;
    if (asprintf(&joined, "%.*s/%s", (int)n, path, leaf) < 0)
        return NULL;
    return joined;
}

int
config_resolve(const struct config_args *args, const struct config_file *file,
               struct bl_config *cfg, struct bl_error *err)
{
    const char *v;

    if (config_env(args, file, &cfg->env, err) != 0)
        return -1;
    cfg->no_keyring = args->no_keyring;
    if (file != NULL && file->path != NULL && file->exists &&
        (cfg->file_path = strdup(file->path)) == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));

    if ((v = args->base_url) == NULL && (v = env_value("BOXLOGIN_BASE_URL")) == NULL)
        v = file_value(file, cfg->env, CONFIG_KEY_BASE_URL);
    cfg->base_url = strdup(v != NULL ? v : config_default_base_url(cfg->env));

    if (cfg->base_url == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    for (int c = 0; c < API_CALLS; c++)
        if ((v = file_value(file, cfg->env, calls[c].key)) != NULL &&
            (cfg->call_path[c] = join_leaf(v, calls[c].leaf)) == NULL)
            return error_set(err, BL_INTERNAL, "%s", _("out of memory"));

    v = args->cacert != NULL ? args->cacert
                             : file_value(file, cfg->env, CONFIG_KEY_CACERT);
    if (v != NULL && access(v, R_OK) != 0)
        return error_set(err, BL_USAGE, "cacert %s: %s", v, strerror(errno));
    if (v != NULL && (cfg->cacert = strdup(v)) == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));

    cfg->timeout_ms = 20000;
    if (args->timeout != NULL) {
        if (value_timeout(args->timeout, "--timeout", &cfg->timeout_ms, err) != 0)
            return -1;
    } else if ((v = file_value(file, cfg->env, CONFIG_KEY_TIMEOUT)) != NULL) {
        value_timeout(v, "timeout", &cfg->timeout_ms, NULL);
    }

    cfg->prewarm = 1;
    if (args->prewarm == 0)
        cfg->prewarm = 0;
    else if ((v = file_value(file, cfg->env, CONFIG_KEY_PREWARM)) != NULL)
        value_bool(v, "prewarm", &cfg->prewarm, NULL);

    cfg->history = 1;
    if (args->no_history)
        cfg->history = 0;
    else if ((v = file_value(file, cfg->env, CONFIG_KEY_HISTORY)) != NULL)
        value_bool(v, "history", &cfg->history, NULL);

    cfg->changes = 1;
    if (args->read_only)
        cfg->changes = 0, cfg->changes_off_by_option = 1;
    else if ((v = file_value(file, cfg->env, CONFIG_KEY_CHANGES)) != NULL)
        value_bool(v, "changes", &cfg->changes, NULL);
    return 0;
}

/* strdup of s, or NULL for NULL; *ok becomes 0 when a copy fails. */
static char *
copy_of(const char *s, int secret, int *ok)
{
    char *c;

    if (s == NULL)
        return NULL;
    c = secret ? secmem_strdup(s) : strdup(s);
    *ok &= c != NULL;
    return c;
}

int
config_copy(struct bl_config *dst, const struct bl_config *src, struct bl_error *err)
{
    int ok = 1;

    *dst = *src;
    dst->base_url = copy_of(src->base_url, 0, &ok);
    for (int c = 0; c < API_CALLS; c++)
        dst->call_path[c] = copy_of(src->call_path[c], 0, &ok);
    dst->cacert = copy_of(src->cacert, 0, &ok);
    dst->file_path = copy_of(src->file_path, 0, &ok);
    dst->cred.app_key = copy_of(src->cred.app_key, 1, &ok);
    dst->cred.note = copy_of(src->cred.note, 0, &ok);
    if (ok)
        return 0;
    config_free(dst);
    return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
}

void
config_free(struct bl_config *cfg)
{
    free(cfg->base_url);
    for (int c = 0; c < API_CALLS; c++)
        free(cfg->call_path[c]);
    free(cfg->cacert);
    free(cfg->file_path);
    config_credentials_free(&cfg->cred);
    memset(cfg, 0, sizeof *cfg);
}

int
config_gather_sources(const struct config_args *args, const struct config_file *file,
                      enum bl_env env, struct config_sources *out, struct bl_error *err)
{
    const char *v;

    out->env = env;
    out->no_keyring = args->no_keyring;
    /* A source is read only when no earlier one gave the value. */
    if (args->user_code != NULL) {
        if (value_user_code(args->user_code, "--user-code", &out->arg_user_code, err) !=
            0)
            return -1;
    } else if ((v = env_value("BOXLOGIN_USER_CODE")) != NULL &&
               value_user_code(v, "BOXLOGIN_USER_CODE", &out->env_user_code, err) != 0) {
        return -1;
    }
    if ((v = env_value("BOXLOGIN_APP_KEY")) != NULL) {
        if (value_app_key(v, "BOXLOGIN_APP_KEY", err) != 0)
            return -1;
        if ((out->env_app_key = secmem_strdup(v)) == NULL)
            return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    }
    /* The file's values were checked when it was read. */
    if ((v = file_value(file, env, CONFIG_KEY_USER_CODE)) != NULL)
        value_user_code(v, "user_code", &out->file_user_code, NULL);
    if ((v = file_value(file, env, CONFIG_KEY_APP_KEY)) != NULL &&
        (out->file_app_key = secmem_strdup(v)) == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    if (file != NULL && file->path != NULL && file->exists &&
        (out->file_path = strdup(file->path)) == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    return 0;
}

int
config_load(const struct config_args *args, struct bl_config *cfg,
            struct config_sources *sources, struct bl_error *err)
{
    struct config_file file = {0};
    int rc = config_read_file(args->config_path, 0, &file, err);

    if (rc == 0)
        rc = config_resolve(args, &file, cfg, err);
    if (rc == 0)
        rc = config_gather_sources(args, &file, cfg->env, sources, err);
    config_file_free(&file);
    return rc;
}

int
config_sources_copy(struct config_sources *dst, const struct config_sources *src,
                    struct bl_error *err)
{
    *dst = *src;
    dst->env_app_key = src->env_app_key != NULL ? secmem_strdup(src->env_app_key) : NULL;
    dst->file_app_key =
        src->file_app_key != NULL ? secmem_strdup(src->file_app_key) : NULL;
    dst->file_path = src->file_path != NULL ? strdup(src->file_path) : NULL;
    if ((src->env_app_key != NULL && dst->env_app_key == NULL) ||
        (src->file_app_key != NULL && dst->file_app_key == NULL) ||
        (src->file_path != NULL && dst->file_path == NULL)) {
        config_sources_free(dst);
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    }
    return 0;
}

void
config_sources_free(struct config_sources *s)
{
    secmem_free(s->env_app_key);
    secmem_free(s->file_app_key);
    free(s->file_path);
    memset(s, 0, sizeof *s);
}

void
config_credentials_free(struct bl_credentials *c)
{
    secmem_free(c->app_key);
    free(c->note);
    memset(c, 0, sizeof *c);
}

/* The usage error for an app key found in source without a user_code; returns -1. */
static int
no_user_code(const struct config_sources *src, enum cred_source source,
             struct bl_error *err)
{
    /* The generic pair has its user_code: it never comes here. */
    const char *where = source == CRED_ENVIRONMENT ? "BOXLOGIN_APP_KEY"
                        : source == CRED_FILE      ? src->file_path
                                                   : NULL;

    if (where != NULL)
        return error_set(err, BL_USAGE,
                         /* TRANSLATORS: keep app_key, user_code and BOXLOGIN_USER_CODE
                            as they are; %s is where the app key was found:
                            BOXLOGIN_APP_KEY or the config file. */
                         _("an app_key was found (in %s) but no user_code: set user_code "
                           "in the config file or BOXLOGIN_USER_CODE"),
                         where);
    if (source == CRED_KEYRING)
        return error_set(err, BL_USAGE, "%s",
                         /* TRANSLATORS: keep app_key, user_code and BOXLOGIN_USER_CODE
                            as they are. */
                         _("an app_key was found (in the keyring) but no user_code: set "
                           "user_code in the config file or BOXLOGIN_USER_CODE"));
    return error_set(err, BL_USAGE, "%s",
                     /* TRANSLATORS: keep app_key, user_code and BOXLOGIN_USER_CODE as
                        they are. */
                     _("an app_key was found (in the config file) but no user_code: set "
                       "user_code in the config file or BOXLOGIN_USER_CODE"));
}

/* The checks SPEC asks for once the sources are read, and TEST's fallback. */
static int
settle(const struct config_sources *src, struct bl_credentials *out,
       const char *keyring_why, struct bl_error *err)
{
    int rc;

    if (out->user_code == 0)
        out->user_code = src->file_user_code;
    if (out->app_key != NULL && out->user_code == 0)
        return no_user_code(src, out->source, err);
    if (out->app_key != NULL)
        return 0;
    if (src->env == ENV_PROD && keyring_why == NULL)
        return error_set(err, BL_USAGE, "%s",
                         /* TRANSLATORS: keep PROD, user_code, app_key, 'boxlogin setup
                            --env prod', BOXLOGIN_USER_CODE and BOXLOGIN_APP_KEY. */
                         _("PROD needs your own user_code and app_key: run 'boxlogin "
                           "setup --env prod', or set BOXLOGIN_USER_CODE and "
                           "BOXLOGIN_APP_KEY"));
    if (src->env == ENV_PROD)
        return error_set(err, BL_USAGE,
                         /* TRANSLATORS: keep PROD, user_code, app_key, 'boxlogin setup
                            --env prod', BOXLOGIN_USER_CODE and BOXLOGIN_APP_KEY; %s is
                            why the keyring could not be read. */
                         _("PROD needs your own user_code and app_key: run 'boxlogin "
                           "setup --env prod', or set BOXLOGIN_USER_CODE and "
                           "BOXLOGIN_APP_KEY (%s)"),
                         keyring_why);
    if (out->user_code != 0 && out->user_code != CONFIG_GENERIC_USER_CODE)
        return error_set(err, BL_USAGE,
                         /* TRANSLATORS: keep app_key, user_code, BOXLOGIN_APP_KEY and
                            'boxlogin setup' as they are; %ld is the user code. */
                         _("no app_key for user_code %ld: set BOXLOGIN_APP_KEY, run "
                           "'boxlogin setup', or add app_key to the config file"),
                         out->user_code);
    out->user_code = CONFIG_GENERIC_USER_CODE;
    out->source = CRED_GENERIC;
    if ((out->app_key = secmem_strdup(CONFIG_GENERIC_APP_KEY)) == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    if (keyring_why == NULL)
        rc = asprintf(&out->note, "%s",
                      /* TRANSLATORS: a note; keep TEST and user_code 396 as they are. */
                      _("using SkyPostal's generic TEST credentials (user_code 396); ask "
                        "SkyPostal for your own"));
    else
        rc = asprintf(&out->note,
                      /* TRANSLATORS: a note; keep TEST and user_code 396 as they are;
                         %s is why the keyring could not be read. */
                      _("using SkyPostal's generic TEST credentials (user_code 396); ask "
                        "SkyPostal for your own (%s)"),
                      keyring_why);
    if (rc < 0) {
        out->note = NULL;
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    }
    return 0;
}

int
config_credentials(const struct config_sources *src, config_keyring_fn keyring_fn,
                   struct bl_credentials *out, struct bl_error *err)
{
    struct bl_error keyring_err = {0};
    const char *copy_from = NULL;
    long found = 0;
    int rc;

    memset(out, 0, sizeof *out);
    out->user_code = src->arg_user_code != 0 ? src->arg_user_code : src->env_user_code;
    if (src->env_app_key != NULL) {
        copy_from = src->env_app_key;
        out->source = CRED_ENVIRONMENT;
    } else if (keyring_fn != NULL && !src->no_keyring &&
               keyring_fn(src->env, out->user_code, &out->app_key, &found,
                          &keyring_err) == 1) {
        out->source = CRED_KEYRING;
        if (out->user_code == 0)
            out->user_code = found;
    } else if (src->file_app_key != NULL) {
        copy_from = src->file_app_key;
        out->source = CRED_FILE;
    }
    if (keyring_err.kind == BL_INTERNAL ||
        (copy_from != NULL && (out->app_key = secmem_strdup(copy_from)) == NULL))
        rc = error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    else
        rc = settle(src, out, keyring_err.message, err);
    error_clear(&keyring_err);
    if (rc != 0)
        config_credentials_free(out);
    return rc;
}
