/* Configuration: file, environment variables and command line, in SPEC's precedence. */
#ifndef BOXLOGIN_CONFIG_H
#define BOXLOGIN_CONFIG_H

#include "error.h"
#include "value.h"

#include <stddef.h>

#define CONFIG_GENERIC_USER_CODE 396L
#define CONFIG_GENERIC_APP_KEY   "1656d700707ad9a77f737e5df3db088a"
#define CONFIG_MAX_FILE          (64L * 1024)

/* The keys a config file may set. */
enum config_key {
    CONFIG_KEY_ENVIRONMENT,
    CONFIG_KEY_BASE_URL,
    CONFIG_KEY_LOGIN_PATH,
    CONFIG_KEY_USER_CODE,
    CONFIG_KEY_APP_KEY,
    CONFIG_KEY_CACERT,
    CONFIG_KEY_TIMEOUT,
    CONFIG_KEY_PREWARM,
    CONFIG_KEY_PROFILE_PATH,
    CONFIG_KEY_SHIPMENTS_PATH,
    CONFIG_KEY_SHIPMENT_PATH,
    CONFIG_KEY_PARTNER_PATH,
    CONFIG_KEY_HISTORY,
    CONFIG_KEY_PASSWORD_PATH,
    CONFIG_KEY_EMAIL_PATH,
    CONFIG_KEY_TYPE_PATH,
    CONFIG_KEY_DETAILS_PATH,
    CONFIG_KEY_ADDRESS_PATH,
    CONFIG_KEY_PLACES_PATH,
    CONFIG_KEY_CHANGES,
    CONFIG_KEY_COUNT,
};

/* The calls of the SkyPostal API, each with its own path, config key and reply cap
 * (config_call). */
enum api_call {
    API_LOGIN,
    API_PARTNER,
    API_PROFILE,
    API_SHIPMENTS,
    API_SHIPMENT,
    API_PASSWORD, /* the writes: customer-update-* */
    API_EMAIL,
    API_TYPE,
    API_DETAILS,
    API_ADDRESS,
    API_COUNTRIES, /* the places lists, under one folder (places_path) */
    API_STATES,
    API_CITIES,
    API_CALLS,
};

#define API_MAX_REPLY           ((size_t)1 << 20)
#define API_MAX_SHIPMENTS_REPLY ((size_t)32 << 20)

/* What a call is, whatever the config says. */
struct config_call {
    const char *name;       /* for the log: "partner lookup" */
    const char *path;       /* the default: the path of SkyPostal's own client */
    const char *documented; /* the path SkyPostal's documentation names instead, tried
                               once when the default answers 404; NULL when the same */
    const char *leaf;    /* non-NULL when key names a folder: the path is folder/leaf */
    size_t cap;          /* the largest reply taken */
    enum config_key key; /* the key that sets the path (or its folder) */
    int write;           /* it changes the account: sent at most once */
};

/* What call c is; a static entry of the one table of calls. */
const struct config_call *config_call(enum api_call c);

/* A config file's sections: outside any section, then [test] and [prod] (1 + env). */
#define CONFIG_SECTIONS 3

/* One line of a config file and what it means. */
struct config_line {
    char *text;  /* as read, without the line break; secmem (it may hold an app_key) */
    int section; /* the section the line is in */
    int key;     /* the enum config_key it sets, or -1 (blank, comment, [section]) */
};

/* A config file: its lines, and its values by section. Everything is owned
 * (config_file_free). */
struct config_file {
    char *path;   /* the file read, or the one to create; NULL when none is known */
    char *target; /* where a rewrite goes: path with symbolic links resolved */
    int exists;   /* 0: there was no file at path */
    struct config_line *lines;
    size_t line_count;
    char *value[CONFIG_SECTIONS]
               [CONFIG_KEY_COUNT];               /* NULL when unset; app_key in secmem */
    int line[CONFIG_SECTIONS][CONFIG_KEY_COUNT]; /* where each value was set (from 1) */
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
    int no_history;
    int read_only; /* --read-only: no change may be made */
};

/* Where an app key came from; the sources in SPEC's order (the command line has none). */
enum cred_source {
    CRED_ENVIRONMENT, /* BOXLOGIN_APP_KEY */
    CRED_KEYRING,     /* an org.boxlogin.AppKey item */
    CRED_FILE,        /* app_key in the config file */
    CRED_GENERIC,     /* SkyPostal's generic TEST pair */
};

/* The credentials of the integrating application, resolved. Freed by
 * config_credentials_free. */
struct bl_credentials {
    long user_code; /* 0 until resolved */
    char *app_key;  /* secmem, wiped on free; NULL until resolved */
    enum cred_source
        source; /* where app_key came from (user_code may come from earlier) */
    char *note; /* a line to show the user (the generic pair is used), or NULL */
};

/*
 * Everything the credentials step reads besides the keyring, each value
 * already checked. Owns its strings (app keys in secmem); config_sources_free.
 */
struct config_sources {
    enum bl_env env;
    int no_keyring;
    long arg_user_code;  /* --user-code, or 0 */
    long env_user_code;  /* BOXLOGIN_USER_CODE, or 0 */
    char *env_app_key;   /* BOXLOGIN_APP_KEY, or NULL */
    long file_user_code; /* the config file's user_code for env, or 0 */
    char *file_app_key;  /* the config file's app_key for env, or NULL */
    char *file_path;     /* the config file, named in messages, or NULL */
};

/*
 * Looks up the app key stored for env in the keyring; user_code is the one
 * already known, or 0 for any. Returns 1 with a secmem copy of the key in
 * *app_key (the caller frees it with secmem_free) and the item's user code in
 * *found_user_code; 0 when the keyring holds none or cannot be reached; -1 with
 * err set when it could not be asked properly (locked, no answer, an error).
 */
typedef int (*config_keyring_fn)(enum bl_env env, long user_code, char **app_key,
                                 long *found_user_code, struct bl_error *err);

/* The settings a command runs with. Owns its strings; config_free wipes the app key. */
struct bl_config {
    enum bl_env env;
    char *base_url;
    char *cacert; /* NULL: the system CA store only */
    long timeout_ms;
    int prewarm;
    int no_keyring;
    int history; /* keep the history of lookups (history = false, --no-history) */
    int changes; /* changes may be made (changes = false, --read-only turn it off) */
    int changes_off_by_option;  /* --read-only turned them off (else the file did) */
    char *call_path[API_CALLS]; /* the paths the file sets, by call (a folder already
                                   joined with the call's leaf); NULL: the default */
    char *file_path;            /* the config file that was read, or NULL */
    struct bl_credentials cred; /* empty until config_credentials has filled it */
};

/*
 * Parses config file text (len bytes; NUL bytes are an error) into *out, line
 * by line, with fname used in messages ("FILE:LINE: ..."); no message repeats
 * a line's text. Returns 0, or -1 with a usage error in err. *out must be
 * zeroed; free it with config_file_free.
 */
int config_parse(const char *text, size_t len, const char *fname, struct config_file *out,
                 struct bl_error *err);

/*
 * Reads and parses the config file explicit_path, else
 * $XDG_CONFIG_HOME/boxlogin/config (or ~/.config/...), whose absence is fine
 * (an explicit one's too, with for_update: setup creates it). Refuses anything
 * but a regular file, a file other users can write to, and an app_key in a
 * file they can read. Returns 0 or -1 with err; free *out with config_file_free.
 */
int config_read_file(const char *explicit_path, int for_update, struct config_file *out,
                     struct bl_error *err);

/* Frees what f holds, wiping every line and app key. */
void config_file_free(struct config_file *f);

/*
 * Sets user_code in the [test] or [prod] section of f: the section's user_code
 * line is replaced, or one is added under the section's first header, or the
 * section is added at the end. Other lines are kept as they are. Returns 0 or -1.
 */
int config_set_user_code(struct config_file *f, enum bl_env env, long user_code,
                         struct bl_error *err);

/*
 * Writes f's lines to f->target (a symbolic link's target is rewritten, the
 * link kept), creating the file with mode 0600 and its directory with 0700 as
 * needed, through a temporary file renamed over it. Returns 0 or -1.
 */
int config_write_file(const struct config_file *f, struct bl_error *err);

/*
 * config_read_file (for update), config_set_user_code and config_write_file in
 * one; stores the path written in *written (caller frees) when not NULL.
 */
int config_save_user_code(const char *explicit_path, enum bl_env env, long user_code,
                          char **written, struct bl_error *err);

/* The environment: --env, else BOXLOGIN_ENV, else the file's, else test. Returns 0 or -1.
 */
int config_env(const struct config_args *args, const struct config_file *file,
               enum bl_env *env, struct bl_error *err);

/*
 * The environment asked for explicitly, by --env or else BOXLOGIN_ENV: stores
 * it and returns 1, returns 0 when neither says one, -1 when one is not valid.
 */
int config_explicit_env(const struct config_args *args, enum bl_env *env,
                        struct bl_error *err);

/*
 * Builds the settings other than the credentials from args, the BOXLOGIN_*
 * environment variables and the file, first wins. Returns 0, or -1 with err.
 * *cfg must be zeroed; free it with config_free.
 */
int config_resolve(const struct config_args *args, const struct config_file *file,
                   struct bl_config *cfg, struct bl_error *err);

/*
 * Gathers and checks what config_credentials will read for env: --user-code,
 * BOXLOGIN_USER_CODE, BOXLOGIN_APP_KEY and the file's values. Returns 0 or -1
 * with err; *out must be zeroed; free it with config_sources_free.
 */
int config_gather_sources(const struct config_args *args, const struct config_file *file,
                          enum bl_env env, struct config_sources *out,
                          struct bl_error *err);

/*
 * Reads the config file and resolves the settings of args into *cfg (all but the
 * credentials) and what the credentials step reads into *sources; the caller runs
 * config_credentials (which may block for the keyring) when it suits it. Shared by
 * the UI and the commands. Returns 0, or -1 with err; *cfg and *sources must be
 * zeroed, and are the caller's, freed with config_free and config_sources_free.
 */
int config_load(const struct config_args *args, struct bl_config *cfg,
                struct config_sources *sources, struct bl_error *err);

/* Copies src into *dst (zeroed by the caller). Returns 0, or -1 with a BL_INTERNAL error.
 */
int config_sources_copy(struct config_sources *dst, const struct config_sources *src,
                        struct bl_error *err);

/* Frees what s holds, wiping the app keys. */
void config_sources_free(struct config_sources *s);

/*
 * The one credentials step: the first source with an app key wins
 * (BOXLOGIN_APP_KEY, the keyring through keyring_fn unless it is NULL or
 * src->no_keyring, the file); the user code comes from --user-code,
 * BOXLOGIN_USER_CODE, the keyring item or the file, in that order. TEST
 * without an app key falls back to the generic pair with a note; PROD never
 * does. May block for the keyring. Returns 0 with *out filled (free it with
 * config_credentials_free), or -1 with a usage error naming what to do.
 */
int config_credentials(const struct config_sources *src, config_keyring_fn keyring_fn,
                       struct bl_credentials *out, struct bl_error *err);

/* Frees what c holds, wiping the app key. */
void config_credentials_free(struct bl_credentials *c);

/* Copies src into *dst, every string its own. Returns 0, or -1 with a BL_INTERNAL error.
 */
int config_copy(struct bl_config *dst, const struct bl_config *src, struct bl_error *err);

/* Frees what cfg holds, wiping the app key. */
void config_free(struct bl_config *cfg);
/*
 * The path call c goes to: the one the config file sets, else the call's default
 * (config_call). *set (when not NULL) says which. Owned by cfg or static.
 */
const char *config_call_path(const struct bl_config *cfg, enum api_call c, int *set);

/* "test" or "prod"; config_env_badge gives "TEST" or "PROD". */
const char *config_env_name(enum bl_env env);
const char *config_env_badge(enum bl_env env);

/* The default base URL of an environment. */
const char *config_default_base_url(enum bl_env env);

#endif
