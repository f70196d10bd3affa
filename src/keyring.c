#include "keyring.h"
#include "decode.h"
#include "i18n.h"
#include "log.h"
#include "secmem.h"
#include "text.h"

#include <dlfcn.h>
#include <libsecret/secret.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Our attributes of a customer key, each an exact match when deleting an item. */
static const char *const customer_key_attributes[] = {"email", "environment", "box_id",
                                                      "user_code"};

/*
 * The customer key is the secret; everything needed to find it again is an
 * attribute. The customer's name is deliberately not an attribute: attributes
 * are stored unencrypted and it is not needed to find the item.
 */
static const SecretSchema customer_key_schema = {
    .name = "org.boxlogin.CustomerKey",
    .flags = SECRET_SCHEMA_NONE,
    .attributes =
        {
            {"email", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"environment", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"box_id", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"user_code", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {NULL, 0},
        },
};

static const SecretSchema app_key_schema = {
    .name = "org.boxlogin.AppKey",
    .flags = SECRET_SCHEMA_NONE,
    .attributes =
        {
            {"environment", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"user_code", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {NULL, 0},
        },
};

/*
 * libsecret, and GLib with it, is loaded on first use: a run that never touches
 * the keyring (--no-keyring, no session bus) does not pay for linking a dozen
 * libraries, and the UI draws its first screen before they are loaded. Only
 * the headers are used at build time; every call goes through this table.
 */
#define LIBSECRET_SONAME "libsecret-1.so.0"
#define SYMBOLS(X)                                                                       \
    X(secret_password_clearv_sync)                                                       \
    X(secret_password_storev_sync)                                                       \
    X(secret_password_searchv_sync)                                                      \
    X(secret_retrievable_get_attributes)                                                 \
    X(secret_retrievable_get_label)                                                      \
    X(secret_retrievable_retrieve_secret_sync)                                           \
    X(secret_value_get_text)                                                             \
    X(secret_value_unref)                                                                \
    X(secret_error_get_quark)                                                            \
    X(secret_service_get_sync)                                                           \
    X(secret_collection_for_alias_sync)                                                  \
    X(secret_collection_get_locked)                                                      \
    X(g_io_error_quark)                                                                  \
    X(g_dbus_error_quark)                                                                \
    X(g_cancellable_new)                                                                 \
    X(g_cancellable_cancel)                                                              \
    X(g_object_unref)                                                                    \
    X(g_error_free)                                                                      \
    X(g_error_matches)                                                                   \
    X(g_free)                                                                            \
    X(g_strdup)                                                                          \
    X(g_hash_table_new_full)                                                             \
    X(g_hash_table_insert)                                                               \
    X(g_hash_table_lookup)                                                               \
    X(g_hash_table_unref)                                                                \
    X(g_str_hash)                                                                        \
    X(g_str_equal)                                                                       \
    X(g_list_length)                                                                     \
    X(g_list_free_full)

/* Each pointer has the type of the function the library's own header declares. */
static struct {
#define X(name) __typeof__(name) *(name);
    SYMBOLS(X)
#undef X
} libsecret;

static pthread_once_t libsecret_once = PTHREAD_ONCE_INIT;
static int libsecret_absent;        /* the library could not be loaded */
static const char *libsecret_lacks; /* the name of a function it lacks, or NULL */

static void
load_libsecret(void)
{
    void *handle = dlopen(LIBSECRET_SONAME, RTLD_NOW | RTLD_LOCAL);

    if (handle == NULL) {
        libsecret_absent = 1;
        return;
    }
#define X(name)                                                                          \
    if ((*(void **)&libsecret.name = dlsym(handle, #name)) == NULL)                      \
        libsecret_lacks = #name;
    SYMBOLS(X)
#undef X
}

static int fail(struct bl_error *err, enum bl_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Loads libsecret once (thread-safe); returns 0, or -1 with err set. */
static int
have_libsecret(struct bl_error *err)
{
    pthread_once(&libsecret_once, load_libsecret);
    if (libsecret_absent)
        return fail(err, BL_USAGE,
                    /* TRANSLATORS: keep the package name libsecret-1-0 as it is. */
                    N_("libsecret is not installed (Debian package libsecret-1-0)"));
    if (libsecret_lacks != NULL)
        /* TRANSLATORS: %s is the name of a function of the library libsecret. */
        return fail(err, BL_USAGE, N_("libsecret lacks %s"), libsecret_lacks);
    return 0;
}

/* A cancellable that a timer thread cancels after KEYRING_TIMEOUT_MS. */
struct deadline {
    GCancellable *cancellable;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    int done, started;
};

static void *
deadline_run(void *arg)
{
    struct deadline *d = arg;
    struct timespec until;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += KEYRING_TIMEOUT_MS / 1000;
    until.tv_nsec += (KEYRING_TIMEOUT_MS % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L)
        until.tv_sec++, until.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&d->lock);
    while (!d->done)
        if (pthread_cond_timedwait(&d->done_cond, &d->lock, &until) != 0)
            break;
    if (!d->done)
        libsecret.g_cancellable_cancel(d->cancellable);
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

static void
deadline_start(struct deadline *d)
{
    pthread_condattr_t attr;

    memset(d, 0, sizeof *d);
    d->cancellable = libsecret.g_cancellable_new();
    pthread_mutex_init(&d->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&d->done_cond, &attr);
    pthread_condattr_destroy(&attr);
    d->started = pthread_create(&d->thread, NULL, deadline_run, d) == 0;
}

static void
deadline_stop(struct deadline *d)
{
    pthread_mutex_lock(&d->lock);
    d->done = 1;
    pthread_cond_signal(&d->done_cond);
    pthread_mutex_unlock(&d->lock);
    if (d->started)
        pthread_join(d->thread, NULL);
    pthread_cond_destroy(&d->done_cond);
    pthread_mutex_destroy(&d->lock);
    libsecret.g_object_unref(d->cancellable);
}

/*
 * Sets err to kind and the reason, logs it, and returns -1. fmt is the English text,
 * marked with N_(): the log has it in English, err in the user's language.
 */
static int
fail(struct bl_error *err, enum bl_kind kind, const char *fmt, ...)
{
    va_list ap, again;
    char *msg, *shown;

    va_start(ap, fmt);
    va_copy(again, ap);
    msg = text_vformat(fmt, ap);
    shown = text_vformat(_(fmt), again);
    va_end(again);
    va_end(ap);
    if (msg == NULL || shown == NULL) {
        free(msg);
        free(shown);
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    }
    log_msg("keyring: %s", msg);
    error_set(err, kind, "%s", shown);
    free(msg);
    free(shown);
    return -1;
}

#define LOCKED_REASON N_("the keyring is locked and cannot be unlocked from here")
/* A store that failed without saying why. */
#define NOT_STORED N_("keyring error: not stored")

/* Says in err what a GError from libsecret means, and frees it; returns -1. */
static int
error_reason(GError *error, struct bl_error *err)
{
    int rc;

    if (libsecret.g_error_matches(error, libsecret.g_io_error_quark(),
                                  G_IO_ERROR_CANCELLED)) {
        /* TRANSLATORS: %d s is a number of seconds. */
        rc = fail(err, BL_USAGE, N_("the keyring did not answer within %d s"),
                  KEYRING_TIMEOUT_MS / 1000);
    } else if (libsecret.g_error_matches(error, libsecret.g_dbus_error_quark(),
                                         G_DBUS_ERROR_SERVICE_UNKNOWN) ||
               libsecret.g_error_matches(error, libsecret.g_dbus_error_quark(),
                                         G_DBUS_ERROR_NAME_HAS_NO_OWNER)) {
        rc = fail(err, BL_USAGE,
                  /* TRANSLATORS: keep gnome-keyring and --no-keyring as they are. */
                  N_("no Secret Service is running - install and start gnome-keyring, "
                     "or use --no-keyring"));
    } else if (libsecret.g_error_matches(error, libsecret.secret_error_get_quark(),
                                         SECRET_ERROR_IS_LOCKED)) {
        rc = fail(err, BL_USAGE, LOCKED_REASON);
    } else {
        char *safe = text_sanitize(error->message, strlen(error->message));

        /* TRANSLATORS: %s is the reason the keyring service gave. */
        rc = safe != NULL ? fail(err, BL_USAGE, N_("keyring error: %s"), safe)
                          : fail(err, BL_USAGE, N_("keyring error: unknown"));
        free(safe);
    }
    libsecret.g_error_free(error);
    return rc;
}

/* Without a session bus address GLib would try to autolaunch one: say so instead. */
static int
no_bus(struct bl_error *err)
{
    const char *bus = getenv("DBUS_SESSION_BUS_ADDRESS");

    if (bus != NULL && *bus != '\0')
        return 0;
    fail(err, BL_USAGE,
         /* TRANSLATORS: keep DBUS_SESSION_BUS_ADDRESS as it is. */
         N_("no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set), so no keyring"));
    return 1;
}

static GHashTable *
attributes(void)
{
    return libsecret.g_hash_table_new_full(libsecret.g_str_hash, libsecret.g_str_equal,
                                           NULL, libsecret.g_free);
}

static void
put(GHashTable *attrs, const char *name, const char *value)
{
    libsecret.g_hash_table_insert(attrs, (gpointer)name, libsecret.g_strdup(value));
}

/*
 * Searches and lookups cannot tell a locked collection from an empty one: when
 * they find nothing, this says whether the default collection is locked.
 */
static int
default_collection_locked(void)
{
    GError *error = NULL;
    struct deadline d;
    SecretService *service;
    int locked = 0;

    deadline_start(&d);
    service =
        libsecret.secret_service_get_sync(SECRET_SERVICE_NONE, d.cancellable, &error);
    if (service != NULL) {
        SecretCollection *c = libsecret.secret_collection_for_alias_sync(
            service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, d.cancellable,
            &error);

        if (c != NULL) {
            locked = libsecret.secret_collection_get_locked(c);
            libsecret.g_object_unref(c);
        }
        libsecret.g_object_unref(service);
    }
    deadline_stop(&d);
    if (error != NULL)
        libsecret.g_error_free(error);
    return locked;
}

int
keyring_store_customer_key(const struct bl_session *s, enum bl_env env, long user_code,
                           struct bl_error *err)
{
    GHashTable *attrs;
    GError *error = NULL;
    struct deadline d;
    char box[24], code[24], *label = NULL;
    gboolean ok = TRUE;

    if (no_bus(err) || have_libsecret(err) != 0)
        return -1;
    snprintf(box, sizeof box, "%llu", (unsigned long long)s->box_id);
    snprintf(code, sizeof code, "%ld", user_code);
    if (asprintf(&label, "SkyPostal customer key for %s (box %s, %s)", s->email, box,
                 config_env_badge(env)) < 0)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));

    attrs = attributes();
    put(attrs, "email", s->email);
    put(attrs, "environment", config_env_name(env));
    deadline_start(&d);
    /* One item per email and environment: drop the old one even if box or code changed.
     */
    libsecret.secret_password_clearv_sync(&customer_key_schema, attrs, d.cancellable,
                                          &error);
    if (error == NULL) {
        put(attrs, "box_id", box);
        put(attrs, "user_code", code);
        ok = libsecret.secret_password_storev_sync(
            &customer_key_schema, attrs, SECRET_COLLECTION_DEFAULT, label,
            s->customer_key, d.cancellable, &error);
    }
    deadline_stop(&d);
    libsecret.g_hash_table_unref(attrs);
    free(label);
    if (error != NULL)
        return error_reason(error, err);
    if (!ok)
        return fail(err, BL_USAGE, NOT_STORED);
    log_msg("keyring: stored the customer key for %s (%s)", s->email,
            config_env_name(env));
    return 0;
}

int
keyring_save_session(const struct bl_session *s, const struct bl_config *cfg,
                     struct bl_error *err)
{
    if (cfg->no_keyring)
        return fail(err, BL_USAGE, N_("--no-keyring was given"));
    if (s->email == NULL || s->customer_key == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    return keyring_store_customer_key(s, cfg->env, cfg->cred.user_code, err);
}

/*
 * An attribute as keys shows it: a copy when it is what we store, else marked
 * invalid. Anyone with the keyring can write our schema's attributes; one that
 * sanitising would change (control characters, escape sequences, invalid UTF-8)
 * is shown sanitised with the mark, so that "81\e[31m" never reads as 81, and a
 * box ID or user code that is no number is the mark alone.
 */
static char *
attr_dup(GHashTable *attrs, const char *name)
{
    const char *v = libsecret.g_hash_table_lookup(attrs, name);
    char *safe = text_sanitize(v != NULL ? v : "", v != NULL ? strlen(v) : 0), *marked;
    int number = strcmp(name, "box_id") == 0 || strcmp(name, "user_code") == 0;
    uint64_t id;
    long code;

    if (safe == NULL || (v != NULL && strcmp(safe, v) == 0 &&
                         (!number || (strcmp(name, "box_id") == 0
                                          ? value_id(v, name, &id, NULL) == 0
                                          : value_user_code(v, name, &code, NULL) == 0))))
        return safe;
    if (number || safe[0] == '\0') {
        free(safe);
        /* TRANSLATORS: shown in the list of stored keys for an attribute of a
           keyring item that is not what boxlogin stores (written by something else). */
        return strdup(_("(invalid)"));
    }
    if (asprintf(&marked, "%s %s", safe, _("(invalid)")) < 0)
        marked = NULL;
    free(safe);
    return marked;
}

/* Our items matching attrs, without their secrets; the caller frees the list. */
static GList *
search(const SecretSchema *schema, GHashTable *attrs, GError **error)
{
    struct deadline d;
    GList *found;

    deadline_start(&d);
    found = libsecret.secret_password_searchv_sync(schema, attrs, SECRET_SEARCH_ALL,
                                                   d.cancellable, error);
    deadline_stop(&d);
    return found;
}

int
keyring_list(const char *env, struct keyring_item **items, size_t *count,
             struct bl_error *err)
{
    GHashTable *attrs;
    GError *error = NULL;
    GList *found, *l;
    size_t n = 0;

    *items = NULL;
    *count = 0;
    if (no_bus(err) || have_libsecret(err) != 0)
        return -1;
    attrs = attributes();
    if (env != NULL)
        put(attrs, "environment", env);
    found = search(&customer_key_schema, attrs, &error);
    libsecret.g_hash_table_unref(attrs);
    if (error != NULL)
        return error_reason(error, err);
    *items = calloc(libsecret.g_list_length(found) + 1, sizeof **items);
    for (l = found; l != NULL && *items != NULL; l = l->next, n++) {
        GHashTable *a = libsecret.secret_retrievable_get_attributes(l->data);
        gchar *label = libsecret.secret_retrievable_get_label(l->data);

        (*items)[n].email = attr_dup(a, "email");
        (*items)[n].environment = attr_dup(a, "environment");
        (*items)[n].box_id = attr_dup(a, "box_id");
        (*items)[n].user_code = attr_dup(a, "user_code");
        (*items)[n].label =
            text_sanitize(label != NULL ? label : "", label != NULL ? strlen(label) : 0);
        libsecret.g_free(label);
        libsecret.g_hash_table_unref(a);
    }
    libsecret.g_list_free_full(found, libsecret.g_object_unref);
    if (*items == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    if (n == 0 && default_collection_locked()) {
        free(*items);
        *items = NULL;
        return fail(err, BL_USAGE, LOCKED_REASON);
    }
    *count = n;
    return 0;
}

void
keyring_items_free(struct keyring_item *items, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(items[i].email);
        free(items[i].environment);
        free(items[i].box_id);
        free(items[i].user_code);
        free(items[i].label);
    }
    free(items);
}

/* Deletes the items that match attrs (which it takes), never an empty pattern; 1
 * when it deleted any, 0 when none, -1 with *error set. */
static int
clear_matching(GHashTable *attrs, GError **error)
{
    struct deadline d;
    gboolean gone;

    deadline_start(&d);
    gone = libsecret.secret_password_clearv_sync(&customer_key_schema, attrs,
                                                 d.cancellable, error);
    deadline_stop(&d);
    libsecret.g_hash_table_unref(attrs);
    return *error != NULL ? -1 : gone ? 1 : 0;
}

/*
 * Deletes each of our items in env (NULL: both environments), each matched by
 * its own attributes as they are stored: one that holds control characters is
 * found by them, not by a sanitised copy that matches nothing. *removed counts
 * the items deleted, *kept those that could not be (no attribute of ours to
 * match them by alone). 0, or -1 with *error set.
 */
static int
forget_all(const char *env, int *removed, int *kept, GError **error)
{
    GHashTable *attrs = attributes();
    GList *found, *l;

    if (env != NULL)
        put(attrs, "environment", env);
    found = search(&customer_key_schema, attrs, error);
    libsecret.g_hash_table_unref(attrs);
    for (l = found; l != NULL && *error == NULL; l = l->next) {
        GHashTable *a = libsecret.secret_retrievable_get_attributes(l->data);
        GHashTable *match = attributes();
        size_t n = 0;

        for (size_t i = 0;
             i < sizeof customer_key_attributes / sizeof *customer_key_attributes; i++) {
            const char *v = libsecret.g_hash_table_lookup(a, customer_key_attributes[i]);

            if (v != NULL) {
                put(match, customer_key_attributes[i], v);
                n++;
            }
        }
        libsecret.g_hash_table_unref(a);
        if (n == 0) {
            /* The schema alone would match every item of ours. */
            libsecret.g_hash_table_unref(match);
            (*kept)++;
        } else if (clear_matching(match, error) == 1) {
            (*removed)++;
        } else if (*error == NULL) {
            (*kept)++;
        }
    }
    libsecret.g_list_free_full(found, libsecret.g_object_unref);
    return *error == NULL ? 0 : -1;
}

int
keyring_forget(const char *email, const char *env, int *removed, struct bl_error *err)
{
    static const char *const envs[] = {"test", "prod"};
    GError *error = NULL;
    int kept = 0;

    *removed = 0;
    if (no_bus(err) || have_libsecret(err) != 0)
        return -1;
    if (email != NULL) {
        for (int i = 0; i < 2 && error == NULL; i++) {
            if (env == NULL || strcmp(env, envs[i]) == 0) {
                GHashTable *attrs = attributes();

                put(attrs, "email", email);
                put(attrs, "environment", envs[i]);
                *removed += clear_matching(attrs, &error) == 1;
            }
        }
    } else {
        forget_all(env, removed, &kept, &error);
    }
    if (error != NULL)
        return error_reason(error, err);
    if (kept > 0)
        /* TRANSLATORS: %d is a number of keyring items. */
        return fail(err, BL_USAGE, N_("%d stored customer keys could not be deleted"),
                    kept);
    return *removed == 0 && default_collection_locked()
               ? fail(err, BL_USAGE, LOCKED_REASON)
               : 0;
}

int
keyring_store_app_key(enum bl_env env, long user_code, const char *app_key,
                      struct bl_error *err)
{
    GHashTable *attrs;
    GError *error = NULL;
    struct deadline d;
    char code[24], *label = NULL;
    gboolean ok = TRUE;

    if (no_bus(err) || have_libsecret(err) != 0)
        return -1;
    snprintf(code, sizeof code, "%ld", user_code);
    if (asprintf(&label, "SkyPostal app key for user code %s (%s)", code,
                 config_env_badge(env)) < 0)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    attrs = attributes();
    put(attrs, "environment", config_env_name(env));
    deadline_start(&d);
    /* One app key per environment: the lookup must not have to choose. */
    libsecret.secret_password_clearv_sync(&app_key_schema, attrs, d.cancellable, &error);
    if (error == NULL) {
        put(attrs, "user_code", code);
        ok = libsecret.secret_password_storev_sync(&app_key_schema, attrs,
                                                   SECRET_COLLECTION_DEFAULT, label,
                                                   app_key, d.cancellable, &error);
    }
    deadline_stop(&d);
    libsecret.g_hash_table_unref(attrs);
    free(label);
    if (error != NULL)
        return error_reason(error, err);
    return ok ? 0 : fail(err, BL_USAGE, NOT_STORED);
}

/*
 * The first of our items of schema matching attrs (which it takes): 1 with a
 * secmem copy of its secret in *secret and a copy of the attributes named in
 * want (up to two, NULL-terminated) in values (malloc'd, NULL when absent); 0
 * when there is none; 2 when well_formed (unless NULL) refuses its secret,
 * which is then not copied; -1 with err when the keyring could not be asked
 * (locked, no answer) or the secret could not be read.
 */
static int
first_secret(const SecretSchema *schema, GHashTable *attrs, const char *const want[3],
             int (*well_formed)(const char *), char **secret, char *values[2],
             struct bl_error *err)
{
    GError *error = NULL;
    GList *found = search(schema, attrs, &error);
    int rc = 0;

    libsecret.g_hash_table_unref(attrs);
    if (error != NULL)
        return error_reason(error, err);
    if (found != NULL) {
        GHashTable *a = libsecret.secret_retrievable_get_attributes(found->data);
        struct deadline d;
        SecretValue *value;
        const gchar *text = NULL;

        deadline_start(&d);
        value = libsecret.secret_retrievable_retrieve_secret_sync(found->data,
                                                                  d.cancellable, &error);
        deadline_stop(&d);
        if (value != NULL)
            text = libsecret.secret_value_get_text(value);
        if (error != NULL) {
            rc = error_reason(error, err);
        } else if (text != NULL && well_formed != NULL && !well_formed(text)) {
            rc = 2;
        } else if (text == NULL || (*secret = secmem_strdup(text)) == NULL) {
            rc = text == NULL ? fail(err, BL_USAGE, N_("a keyring item holds no secret"))
                              : error_set(err, BL_INTERNAL, "%s", _("out of memory"));
        } else {
            rc = 1;
            for (int i = 0; i < 2 && want[i] != NULL; i++) {
                const char *v = libsecret.g_hash_table_lookup(a, want[i]);

                values[i] = v != NULL ? strdup(v) : NULL;
            }
        }
        if (value != NULL)
            libsecret.secret_value_unref(value);
        libsecret.g_hash_table_unref(a);
    } else if (default_collection_locked()) {
        rc = fail(err, BL_USAGE, LOCKED_REASON);
    }
    libsecret.g_list_free_full(found, libsecret.g_object_unref);
    return rc;
}

int
keyring_lookup_app_key(enum bl_env env, long user_code, char **app_key,
                       long *found_user_code, struct bl_error *err)
{
    static const char *const want[3] = {"user_code", NULL, NULL};
    struct bl_error ignored = {0};
    GHashTable *attrs;
    char *values[2] = {NULL, NULL};
    long uc = 0;
    int rc;

    /* No bus, no library: simply nothing from the keyring, nothing to report. */
    if (no_bus(&ignored) || have_libsecret(&ignored) != 0) {
        error_clear(&ignored);
        return 0;
    }
    attrs = attributes();
    put(attrs, "environment", config_env_name(env));
    if (user_code != 0) {
        char code[24];

        snprintf(code, sizeof code, "%ld", user_code);
        put(attrs, "user_code", code);
    }
    rc = first_secret(&app_key_schema, attrs, want, NULL, app_key, values, err);
    if (rc == 1 &&
        (values[0] == NULL || value_user_code(values[0], "user_code", &uc, NULL) != 0 ||
         value_app_key(*app_key, "app_key", NULL) != 0)) {
        secmem_free(*app_key);
        *app_key = NULL;
        rc = fail(err, BL_USAGE,
                  /* TRANSLATORS: %s is TEST or PROD, then test or prod in a command to
                     keep as it is. */
                  N_("the app key stored in the keyring for %s is not usable: run "
                     "'boxlogin setup --env %s'"),
                  config_env_badge(env), config_env_name(env));
    }
    if (rc == 1)
        *found_user_code = uc;
    free(values[0]);
    return rc;
}

int
keyring_lookup_customer_key(const char *email, enum bl_env env, char **customer_key,
                            uint64_t *box_id, struct bl_error *err)
{
    static const char *const want[3] = {"box_id", NULL, NULL};
    GHashTable *attrs;
    char *values[2] = {NULL, NULL};
    int rc;

    *customer_key = NULL;
    if (no_bus(err) || have_libsecret(err) != 0)
        return -1;
    attrs = attributes();
    put(attrs, "email", email);
    put(attrs, "environment", config_env_name(env));
    /* A key the server would refuse (controls, 20 MB) is never copied nor sent. */
    rc = first_secret(&customer_key_schema, attrs, want, decode_key_is_well_formed,
                      customer_key, values, err);
    if (rc == 2) {
        rc = 0;
        fail(err, BL_USAGE,
             /* TRANSLATORS: the customer's email twice, the second in a command to
                keep as it is. */
             N_("the stored key for %s is damaged; `boxlogin forget %s`"), email, email);
    }
    if (rc == 1 &&
        (values[0] == NULL || value_id(values[0], "box_id", box_id, NULL) != 0)) {
        secmem_free(*customer_key);
        *customer_key = NULL;
        rc = fail(err, BL_USAGE,
                  /* TRANSLATORS: %s is the customer's email, then TEST or PROD, then the
                     email again in a command to keep as it is. */
                  N_("the key stored for %s (%s) is not usable: run 'boxlogin forget %s' "
                     "and log in again"),
                  email, config_env_badge(env), email);
    }
    free(values[0]);
    free(values[1]);
    return rc;
}
