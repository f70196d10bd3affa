#include "config.h"
#include "secmem.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINE 4096

static const char *const key_names[KEY_COUNT] = {
    [KEY_ENVIRONMENT] = "environment", [KEY_BASE_URL] = "base_url",
    [KEY_LOGIN_PATH] = "login_path",   [KEY_USER_CODE] = "user_code",
    [KEY_APP_KEY] = "app_key",         [KEY_CACERT] = "cacert",
    [KEY_TIMEOUT] = "timeout",         [KEY_PREWARM] = "prewarm",
};

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
config_call_path(const struct bl_config *cfg, int call)
{
    return call == 0 ? cfg->login_path : NULL;
}

int
config_parse_env(const char *s, enum bl_env *env)
{
    if (strcasecmp(s, "test") == 0)
        *env = ENV_TEST;
    else if (strcasecmp(s, "prod") == 0)
        *env = ENV_PROD;
    else
        return -1;
    return 0;
}

static int
parse_user_code(const char *s, long *out)
{
    char *end;
    long v;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < 1 || v > INT_MAX)
        return -1;
    *out = v;
    return 0;
}

/* Seconds, with an optional fraction, from 0.1 to 600. */
static int
parse_timeout(const char *s, long *ms)
{
    long whole = 0, frac = 0, scale = 100;
    const char *p = s;

    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++)
        if ((whole = whole * 10 + (*p - '0')) > 600)
            return -1;
    if (*p == '.') {
        if (*++p < '0' || *p > '9')
            return -1;
        for (; *p >= '0' && *p <= '9'; p++, scale /= 10)
            frac += (*p - '0') * scale;
    }
    if (*p != '\0')
        return -1;
    *ms = whole * 1000 + frac;
    return *ms >= 100 && *ms <= 600000 ? 0 : -1;
}

static int
parse_bool(const char *s, int *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};

    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(s, no[i]) == 0)
            return *out = 0, 0;
    }
    return -1;
}

/* An app key is printable ASCII without spaces: anything else is a paste accident. */
static int
valid_app_key(const char *s)
{
    for (; *s != '\0'; s++)
        if (*s <= ' ' || *s > '~')
            return 0;
    return 1;
}

/* Checks a value for key; returns NULL or what is wrong with it. */
static const char *
check_value(enum config_key key, const char *v)
{
    enum bl_env env;
    long n;
    int b;

    switch (key) {
    case KEY_ENVIRONMENT:
        return config_parse_env(v, &env) == 0 ? NULL : "expected test or prod";
    case KEY_USER_CODE:
        return parse_user_code(v, &n) == 0 ? NULL : "expected a positive whole number";
    case KEY_TIMEOUT:
        return parse_timeout(v, &n) == 0 ? NULL : "expected seconds from 0.1 to 600";
    case KEY_PREWARM:
        return parse_bool(v, &b) == 0 ? NULL : "expected true or false";
    case KEY_APP_KEY:
        return valid_app_key(v) ? NULL : "expected printable characters without spaces";
    case KEY_BASE_URL:
    case KEY_LOGIN_PATH:
    case KEY_CACERT:
    case KEY_COUNT:
        break;
    }
    return NULL;
}

/* "FILE:LINE: what 'subject' hint", with the subject made safe to print. */
static int
file_error(struct bl_error *err, const char *fname, int line, const char *what,
           const char *subject, const char *hint)
{
    char *safe = subject != NULL ? text_sanitize(subject, strnlen(subject, 60)) : NULL;

    error_set(err, BL_USAGE, "%s:%d: %s%s%s%s%s", fname, line, what, safe ? " '" : "",
              safe ? safe : "", safe ? "'" : "", hint != NULL ? hint : "");
    free(safe);
    return -1;
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

/* Parses one "key = value" line of section sec; line is modified in place. */
static int
parse_assignment(char *line, int lineno, int sec, const char *fname,
                 struct config_file *out, struct bl_error *err)
{
    char *eq = strchr(line, '='), *key, *value, *hash;
    const char *why;
    int k;

    if (eq == NULL)
        return file_error(err, fname, lineno, "expected 'key = value', got", line, NULL);
    key = trim(line, eq);
    value = eq + 1;
    for (hash = value; (hash = strchr(hash, '#')) != NULL; hash++)
        if (hash == value || hash[-1] == ' ' || hash[-1] == '\t')
            break;
    value = trim(value, hash != NULL ? hash : value + strlen(value));
    for (k = 0; k < KEY_COUNT && strcmp(key, key_names[k]) != 0; k++)
        ;
    if (k == KEY_COUNT)
        return file_error(
            err, fname, lineno, "unknown key", key,
            " (known: environment, base_url, login_path, user_code, app_key, "
            "cacert, timeout, prewarm)");
    if (*value == '\0')
        return file_error(err, fname, lineno, "no value for", key, NULL);
    if (k == KEY_ENVIRONMENT && sec != 0)
        return file_error(err, fname, lineno, "environment must come before any section",
                          NULL, NULL);
    if ((why = check_value(k, value)) != NULL) {
        char what[128];

        snprintf(what, sizeof what, "bad %s (%s):", key_names[k], why);
        return file_error(err, fname, lineno, what, k == KEY_APP_KEY ? NULL : value,
                          NULL);
    }
    if (out->value[sec][k] != NULL) {
        char what[96];

        snprintf(what, sizeof what, "%s is set twice (first on line %d)", key_names[k],
                 out->line[sec][k]);
        return file_error(err, fname, lineno, what, NULL, NULL);
    }
    out->value[sec][k] = k == KEY_APP_KEY ? secmem_strdup(value) : strdup(value);
    out->line[sec][k] = lineno;
    return 0;
}

int
config_parse(const char *text, size_t len, const char *fname, struct config_file *out,
             struct bl_error *err)
{
    char line[MAX_LINE + 2];
    size_t pos = 0;
    int lineno = 0, sec = 0, rc = 0;

    if (memchr(text, '\0', len) != NULL)
        return error_set(err, BL_USAGE, "%s: contains a NUL byte; is it a text file?",
                         fname);
    while (pos < len && rc == 0) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = (nl != NULL ? (size_t)(nl - text) : len) - pos;
        char *l;

        lineno++;
        if (n > MAX_LINE) {
            rc =
                file_error(err, fname, lineno, "line longer than 4096 bytes", NULL, NULL);
            break;
        }
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos += n + 1;
        l = trim(line, line + n);
        if (*l == '\0' || *l == '#')
            continue;
        if (*l == '[') {
            if (strcmp(l, "[test]") == 0)
                sec = 1 + ENV_TEST;
            else if (strcmp(l, "[prod]") == 0)
                sec = 1 + ENV_PROD;
            else
                rc = file_error(err, fname, lineno, "unknown section", l,
                                " (expected [test] or [prod])");
            continue;
        }
        rc = parse_assignment(l, lineno, sec, fname, out, err);
    }
    explicit_bzero(line, sizeof line);
    return rc;
}

void
config_file_free(struct config_file *f)
{
    for (int s = 0; s < 3; s++)
        for (int k = 0; k < KEY_COUNT; k++)
            (k == KEY_APP_KEY ? secmem_free : free)(f->value[s][k]);
    free(f->path);
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
    return f->value[0][KEY_APP_KEY] != NULL || f->value[1][KEY_APP_KEY] != NULL ||
           f->value[2][KEY_APP_KEY] != NULL;
}

int
config_read_file(const char *explicit_path, struct config_file *out, struct bl_error *err)
{
    char *path = explicit_path != NULL ? strdup(explicit_path) : default_config_path();
    char *text = NULL;
    struct stat st;
    ssize_t got = 0;
    int fd, rc = -1;

    if (path == NULL)
        return explicit_path != NULL ? error_set(err, BL_USAGE, "out of memory") : 0;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT && explicit_path == NULL) {
            free(path);
            return 0;
        }
        error_set(err, BL_USAGE, "%s: %s", path, strerror(errno));
        free(path);
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        error_set(err, BL_USAGE, "%s: not a regular file", path);
    } else if (st.st_size > CONFIG_MAX_FILE) {
        error_set(err, BL_USAGE, "%s: larger than 64 KiB; is it the right file?", path);
    } else if ((text = secmem_malloc((size_t)st.st_size + 1)) == NULL) {
        error_set(err, BL_USAGE, "%s: out of memory", path);
    } else {
        for (ssize_t n = 1; got < st.st_size && n > 0; got += n > 0 ? n : 0)
            n = read(fd, text + got, (size_t)(st.st_size - got));
        text[got] = '\0';
        if (config_parse(text, (size_t)got, path, out, err) == 0) {
            if (has_app_key(out) && (st.st_mode & (S_IRGRP | S_IROTH)) != 0)
                error_set(err, BL_USAGE,
                          "%s holds an app_key but other users can read it: "
                          "run chmod 600 %s",
                          path, path);
            else
                rc = 0;
        }
    }
    secmem_free(text);
    close(fd);
    if (rc == 0)
        out->path = path;
    else
        free(path);
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

static int
resolve_env(const struct config_args *args, const struct config_file *file,
            enum bl_env *env, struct bl_error *err)
{
    const char *v;

    *env = ENV_TEST;
    if (args->env != NULL) {
        if (config_parse_env(args->env, env) != 0)
            return error_set(err, BL_USAGE, "--env: expected test or prod");
    } else if ((v = getenv("BOXLOGIN_ENV")) != NULL && *v != '\0') {
        if (config_parse_env(v, env) != 0)
            return error_set(err, BL_USAGE, "BOXLOGIN_ENV: expected test or prod");
    } else if ((v = file_value(file, ENV_TEST, KEY_ENVIRONMENT)) != NULL) {
        config_parse_env(v, env);
    }
    return 0;
}

/* The last word on the credentials found: the checks SPEC asks for, and TEST's fallback.
 */
static int
settle_credentials(struct bl_config *cfg, char *key, const char *where,
                   const char *keyring_why, struct bl_error *err)
{
    /* Why the keyring gave nothing, when it matters to the user ("locked"). */
    const char *sep = keyring_why != NULL ? " (" : "";
    const char *kw = keyring_why != NULL ? keyring_why : "";
    const char *end = keyring_why != NULL ? ")" : "";

    if (cfg->user_code == 0)
        cfg->user_code = cfg->file_user_code;
    if (key != NULL && cfg->user_code == 0) {
        secmem_free(key);
        return error_set(err, BL_USAGE,
                         "an app_key was found (in %s) but no user_code: set user_code "
                         "in the config file or BOXLOGIN_USER_CODE",
                         where);
    }
    if (key == NULL && cfg->env == ENV_PROD)
        return error_set(
            err, BL_USAGE,
            "PROD needs your own user_code and app_key: run 'boxlogin setup "
            "--env prod', or set BOXLOGIN_USER_CODE and BOXLOGIN_APP_KEY%s%s%s",
            sep, kw, end);
    if (key == NULL && cfg->user_code != 0 && cfg->user_code != CONFIG_GENERIC_USER_CODE)
        return error_set(err, BL_USAGE,
                         "no app_key for user_code %ld: set BOXLOGIN_APP_KEY, run "
                         "'boxlogin setup', or add app_key to the config file",
                         cfg->user_code);
    if (key == NULL) {
        key = secmem_strdup(CONFIG_GENERIC_APP_KEY);
        cfg->user_code = CONFIG_GENERIC_USER_CODE;
        if (asprintf(&cfg->note,
                     "using SkyPostal's generic TEST credentials (user_code 396); ask "
                     "SkyPostal for your own%s%s%s",
                     sep, kw, end) < 0)
            cfg->note = NULL;
    }
    cfg->app_key = key;
    return cfg->app_key == NULL ? error_set(err, BL_USAGE, "out of memory") : 0;
}

int
config_finish_credentials(struct bl_config *cfg, config_keyring_fn keyring_fn,
                          struct bl_error *err)
{
    const char *where = "the keyring";
    char *key = NULL, *why = NULL;
    long found = 0;
    int rc;

    if (!cfg->credentials_pending)
        return 0;
    cfg->credentials_pending = 0;
    if (keyring_fn != NULL && !cfg->no_keyring &&
        keyring_fn(cfg->env, cfg->user_code, &key, &found, &why) == 0) {
        if (cfg->user_code == 0)
            cfg->user_code = found;
    } else if (cfg->file_app_key != NULL) {
        key = cfg->file_app_key;
        cfg->file_app_key = NULL;
        where = cfg->file_path;
    }
    secmem_free(cfg->file_app_key);
    cfg->file_app_key = NULL;
    rc = settle_credentials(cfg, key, where, key == NULL ? why : NULL, err);
    free(why);
    return rc;
}

/* The command line and the environment; then the keyring and the file, now or later. */
static int
resolve_credentials(const struct config_args *args, const struct config_file *file,
                    config_keyring_fn keyring_fn, struct bl_config *cfg,
                    struct bl_error *err)
{
    const char *v;

    if (args->user_code != NULL) {
        if (parse_user_code(args->user_code, &cfg->user_code) != 0)
            return error_set(err, BL_USAGE,
                             "--user-code: expected a positive whole number");
    } else if ((v = getenv("BOXLOGIN_USER_CODE")) != NULL && *v != '\0') {
        if (parse_user_code(v, &cfg->user_code) != 0)
            return error_set(err, BL_USAGE,
                             "BOXLOGIN_USER_CODE: expected a positive whole number");
    }
    if ((v = file_value(file, cfg->env, KEY_USER_CODE)) != NULL)
        parse_user_code(v, &cfg->file_user_code);
    if ((v = getenv("BOXLOGIN_APP_KEY")) != NULL && *v != '\0') {
        if (!valid_app_key(v))
            return error_set(err, BL_USAGE,
                             "BOXLOGIN_APP_KEY: expected printable characters without "
                             "spaces");
        return settle_credentials(cfg, secmem_strdup(v), "BOXLOGIN_APP_KEY", NULL, err);
    }
    if ((v = file_value(file, cfg->env, KEY_APP_KEY)) != NULL &&
        (cfg->file_app_key = secmem_strdup(v)) == NULL)
        return error_set(err, BL_USAGE, "out of memory");
    cfg->credentials_pending = 1;
    if (args->defer_keyring && !cfg->no_keyring)
        return 0;
    return config_finish_credentials(cfg, keyring_fn, err);
}

int
config_resolve(const struct config_args *args, const struct config_file *file,
               config_keyring_fn keyring_fn, struct bl_config *cfg, struct bl_error *err)
{
    const char *v;

    if (resolve_env(args, file, &cfg->env, err) != 0)
        return -1;
    cfg->no_keyring = args->no_keyring;
    cfg->file_path = file != NULL && file->path != NULL ? strdup(file->path) : NULL;

    if (args->base_url != NULL)
        v = args->base_url;
    else if ((v = getenv("BOXLOGIN_BASE_URL")) == NULL || *v == '\0')
        v = file_value(file, cfg->env, KEY_BASE_URL);
    cfg->base_url = strdup(v != NULL ? v : config_default_base_url(cfg->env));

    v = file_value(file, cfg->env, KEY_LOGIN_PATH);
    cfg->login_path = strdup(v != NULL ? v : CONFIG_DEFAULT_PATH);

    v = args->cacert != NULL ? args->cacert : file_value(file, cfg->env, KEY_CACERT);
    if (v != NULL && access(v, R_OK) != 0)
        return error_set(err, BL_USAGE, "cacert %s: %s", v, strerror(errno));
    cfg->cacert = v != NULL ? strdup(v) : NULL;

    cfg->timeout_ms = 20000;
    if (args->timeout != NULL) {
        if (parse_timeout(args->timeout, &cfg->timeout_ms) != 0)
            return error_set(err, BL_USAGE,
                             "--timeout: expected seconds from 0.1 to 600");
    } else if ((v = file_value(file, cfg->env, KEY_TIMEOUT)) != NULL) {
        parse_timeout(v, &cfg->timeout_ms);
    }

    cfg->prewarm = 1;
    if (args->prewarm == 0)
        cfg->prewarm = 0;
    else if ((v = file_value(file, cfg->env, KEY_PREWARM)) != NULL)
        parse_bool(v, &cfg->prewarm);

    return resolve_credentials(args, file, keyring_fn, cfg, err);
}

void
config_free(struct bl_config *cfg)
{
    free(cfg->base_url);
    free(cfg->login_path);
    free(cfg->cacert);
    secmem_free(cfg->app_key);
    secmem_free(cfg->file_app_key);
    free(cfg->note);
    free(cfg->file_path);
    memset(cfg, 0, sizeof *cfg);
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
config_save_user_code(const char *explicit_path, enum bl_env env, long user_code,
                      char **written, struct bl_error *err)
{
    char *path = explicit_path != NULL ? strdup(explicit_path) : default_config_path();
    char *old = NULL, *tmp = NULL, header[16];
    size_t old_len = 0;
    FILE *in, *out = NULL;
    int fd = -1, sec = 0, done = 0, rc = -1;

    if (path == NULL)
        return error_set(err, BL_USAGE,
                         "cannot tell where the config file goes: set HOME");
    snprintf(header, sizeof header, "[%s]", config_env_name(env));
    if ((in = fopen(path, "r")) != NULL) {
        if (getdelim(&old, &old_len, '\0', in) < 0)
            old_len = 0;
        else
            old_len = strlen(old);
        fclose(in);
    }
    make_parents(path);
    /* mkstemp creates the file with mode 0600: right for a file that may hold an app_key.
     */
    if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
        tmp = NULL;
        error_set(err, BL_USAGE, "out of memory");
        goto out;
    }
    if ((fd = mkstemp(tmp)) < 0 || (out = fdopen(fd, "w")) == NULL) {
        error_set(err, BL_USAGE, "cannot write %s: %s", path, strerror(errno));
        goto out;
    }
    /* Copy line by line; user_code goes right under our section's header. */
    for (size_t pos = 0; pos < old_len;) {
        const char *l = old + pos, *nl = memchr(l, '\n', old_len - pos);
        size_t n = nl != NULL ? (size_t)(nl - l) : old_len - pos;
        const char *t = l;

        pos += n + (nl != NULL);
        while (t < l + n && (*t == ' ' || *t == '\t'))
            t++;
        if (*t == '[')
            sec = strncmp(t, header, strlen(header)) == 0;
        else if (sec && strncmp(t, "user_code", 9) == 0 && strchr(" \t=", t[9]) != NULL)
            continue;
        fprintf(out, "%.*s\n", (int)n, l);
        if (*t == '[' && sec && !done) {
            fprintf(out, "user_code = %ld\n", user_code);
            done = 1;
        }
    }
    if (!done)
        fprintf(out, "%s%s\nuser_code = %ld\n", old_len > 0 ? "\n" : "", header,
                user_code);
    if (fflush(out) != 0 || fsync(fileno(out)) != 0 || rename(tmp, path) != 0)
        error_set(err, BL_USAGE, "cannot write %s: %s", path, strerror(errno));
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
    free(old);
    if (rc == 0 && written != NULL)
        *written = path;
    else
        free(path);
    return rc;
}
