/* The desktop keyring (Secret Service through libsecret): customer keys and app keys. */
#ifndef BOXLOGIN_KEYRING_H
#define BOXLOGIN_KEYRING_H

#include "config.h"
#include "session.h"

#include <stddef.h>
#include <stdint.h>

/* How long one keyring call may take before it is given up. */
#define KEYRING_TIMEOUT_MS 5000

/* A stored customer key, without its secret, as keys shows it: attributes made
 * safe, those that are not what boxlogin stores marked "(invalid)". */
struct keyring_item {
    char *email, *environment, *box_id, *user_code, *label;
};

/*
 * Each call below returns 0, or -1 with err set: a one-line reason in plain
 * words, of kind BL_USAGE (no keyring, locked, no answer, an error) or
 * BL_INTERNAL. None blocks for longer than KEYRING_TIMEOUT_MS, and none is ever a
 * reason to fail a login.
 */

/* Stores s->customer_key for s->email in env, replacing the item stored before. */
int keyring_store_customer_key(const struct bl_session *s, enum bl_env env,
                               long user_code, struct bl_error *err);

/*
 * What a login does with its key: keyring_store_customer_key in cfg's
 * environment with its user code, or with --no-keyring nothing, and err says so.
 */
int keyring_save_session(const struct bl_session *s, const struct bl_config *cfg,
                         struct bl_error *err);

/*
 * Lists our stored customer keys (all environments when env is NULL) into a
 * new array of *count items that the caller frees with keyring_items_free.
 */
int keyring_list(const char *env, struct keyring_item **items, size_t *count,
                 struct bl_error *err);

/* Frees an array from keyring_list. */
void keyring_items_free(struct keyring_item *items, size_t count);

/*
 * Deletes the stored key of email (lower-cased by the caller), or every one of
 * ours when email is NULL, each matched by its attributes as stored (control
 * characters and all); env NULL means both environments. *removed counts the
 * items deleted; an item that could not be deleted is an error.
 */
int keyring_forget(const char *email, const char *env, int *removed,
                   struct bl_error *err);

/* Stores an app key for env and user_code, replacing the one stored before. */
int keyring_store_app_key(enum bl_env env, long user_code, const char *app_key,
                          struct bl_error *err);

/*
 * A config_keyring_fn: the app key stored for env (and user_code when not 0),
 * as a secmem copy the caller frees with secmem_free. Returns 1 when found, 0
 * when there is none or no keyring to ask, -1 with err when the keyring could
 * not be asked (locked, no answer) or its item is not usable.
 */
int keyring_lookup_app_key(enum bl_env env, long user_code, char **app_key,
                           long *found_user_code, struct bl_error *err);

/*
 * The customer key stored for email (normalised by the caller) in env, with
 * the box ID stored beside it: a secmem copy of the key in
 * *customer_key (the caller frees it with secmem_free). Returns 1 when found,
 * 0 when none is stored or the stored key is damaged (not 1 to 512 printable
 * ASCII characters: it counts as absent, and err holds the note "the stored key
 * for EMAIL is damaged; `boxlogin forget EMAIL`"), -1 with err when there is no
 * keyring to ask, it could not be asked (locked, no answer), or the item is not
 * usable.
 */
int keyring_lookup_customer_key(const char *email, enum bl_env env, char **customer_key,
                                uint64_t *box_id, struct bl_error *err);

#endif
