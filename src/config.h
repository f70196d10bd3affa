/* Configuration: file, environment variables and command line, in SPEC's precedence. */
#ifndef BOXLOGIN_CONFIG_H
#define BOXLOGIN_CONFIG_H

#include "error.h"

#include <stddef.h>

enum bl_env {
    ENV_TEST,
    ENV_PROD,
};

#define CONFIG_GENERIC_USER_CODE 396L
#define CONFIG_GENERIC_APP_KEY   "1656d700707ad9a77f737e5df3db088a"
#define CONFIG_DEFAULT_PATH      "service-customer.svc/customer/customer-login"
#define CONFIG_MAX_FILE          (64L * 1024)

/* The keys a config file may set. */
enum config_key {
    KEY_ENVIRONMENT,
    KEY_BASE_URL,
    KEY_LOGIN_PATH,
    KEY_USER_CODE,
    KEY_APP_KEY,
    KEY_CACERT,
    KEY_TIMEOUT,
    KEY_PREWARM,
    KEY_COUNT,
};

/* What a config file says, by section: [0] outside sections, [1 + env] in [test]/[prod].
 */
struct config_file {
    char *path;
    char *value[3][KEY_COUNT]; /* NULL when unset; app_key values are wiped on free */
    int line[3][KEY_COUNT];
};

/* What the command line said; NULL / -1 / 0 mean "not given". */
struct config_args {
    const char *env;
    const char *base_url;
    const char *config_path;
    const char *cacert;
    const char *timeout;
    const char *user_code;
    int prewarm; /* -1 unset, 0 --no-prewarm */
    int no_keyring;
    int defer_keyring; /* leave the keyring to config_finish_credentials (the UI's worker)
                        */
};

/*
 * Looks up the app key stored for env in the keyring; user_code is the one
 * already known or 0 for any. On success stores a copy of the key (the caller
 * wipes and frees it with secmem_free) and the item's user code, and returns 0;
 * returns -1 when there is none, with *why (malloc'd) set when the keyring could
 * not be asked properly (locked, no answer, an error) rather than simply held none.
 */
typedef int (*config_keyring_fn)(enum bl_env env, long user_code, char **app_key,
                                 long *found_user_code, char **why);

/* The settings a command runs with. Owns its strings; app_key is wiped by config_free. */
struct bl_config {
    enum bl_env env;
    char *base_url;
    char *login_path;
    char *cacert; /* NULL: the system CA store only */
    long timeout_ms;
    int prewarm;
    int no_keyring;
    long user_code;
    char *app_key;
    char *note;      /* a line to show the user (generic credentials), or NULL */
    char *file_path; /* the config file that was read, or NULL */

    /* Set while the keyring has yet to be asked (config_finish_credentials). */
    int credentials_pending;
    char *file_app_key;  /* the file's app_key for env until then (secmem) */
    long file_user_code; /* the file's user_code for env, or 0 */
};

/*
 * Parses config file text (len bytes; NUL bytes are an error) into *out, with
 * fname used in messages ("FILE:LINE: ..."). Returns 0, or -1 with a usage
 * error in err. *out must be zeroed; free it with config_file_free.
 */
int config_parse(const char *text, size_t len, const char *fname, struct config_file *out,
                 struct bl_error *err);

/*
 * Reads and parses the config file: args->config_path, else
 * $XDG_CONFIG_HOME/boxlogin/config (or ~/.config/...), whose absence is fine.
 * Refuses an app_key in a file readable by group or others. Returns 0 or -1.
 */
int config_read_file(const char *explicit_path, struct config_file *out,
                     struct bl_error *err);

void config_file_free(struct config_file *f);

/*
 * Builds the settings from args, the BOXLOGIN_* environment variables, the
 * keyring (through keyring_fn, skipped when NULL or --no-keyring; left for
 * later with defer_keyring) and the file, first wins. TEST falls back to the
 * generic credentials with a note;
 * PROD without credentials is a usage error. Returns 0, or -1 with err set.
 * *cfg must be zeroed; free it with config_free.
 */
int config_resolve(const struct config_args *args, const struct config_file *file,
                   config_keyring_fn keyring_fn, struct bl_config *cfg,
                   struct bl_error *err);

/*
 * Finishes what config_resolve left pending with defer_keyring: the keyring,
 * then the file, then the fallbacks and checks. Returns 0 (also when nothing
 * was pending), or -1 with a usage error. Blocks for the keyring: call it off
 * the UI thread.
 */
int config_finish_credentials(struct bl_config *cfg, config_keyring_fn keyring_fn,
                              struct bl_error *err);

void config_free(struct bl_config *cfg);

/*
 * Sets user_code in the [test] or [prod] section of the config file
 * (explicit_path, else the default one), creating the file (mode 0600) and
 * its directory as needed, keeping every other line, and replacing the file
 * atomically. Stores the path written in *written (caller frees). Returns 0 or -1.
 */
int config_save_user_code(const char *explicit_path, enum bl_env env, long user_code,
                          char **written, struct bl_error *err);

/*
 * The path the config sets for call number call (0 login, 1 partner lookup,
 * 2 profile, 3 shipments, 4 shipment), or NULL to use the default; owned by cfg.
 */
const char *config_call_path(const struct bl_config *cfg, int call);

/* "test" or "prod"; config_env_badge gives "TEST" or "PROD". */
const char *config_env_name(enum bl_env env);
const char *config_env_badge(enum bl_env env);

/* Parses "test" or "prod" (case-insensitive); returns 0 or -1. */
int config_parse_env(const char *s, enum bl_env *env);

/* The default base URL of an environment. */
const char *config_default_base_url(enum bl_env env);

#endif
