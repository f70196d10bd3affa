/* The history of lookups: one JSON line per lookup in the user's state directory. */
#ifndef BOXLOGIN_HISTORY_H
#define BOXLOGIN_HISTORY_H

#include "config.h"
#include "error.h"

#include <stddef.h>
#include <stdint.h>

/* Lines kept: the file holds at least the newest HISTORY_MAX_LINES; past
 * HISTORY_TRIM_LINES it is trimmed back to HISTORY_MAX_LINES, so a trim is rare. */
#define HISTORY_MAX_LINES  10000
#define HISTORY_TRIM_LINES 11000

/* What a lookup was. */
enum history_action {
    HISTORY_LOGIN,
    HISTORY_LOOKUP,
    HISTORY_STORED,
    HISTORY_PROFILE,
    HISTORY_SHIPMENTS,
    HISTORY_TRACK,
    HISTORY_SET_PASSWORD, /* the changes (SPEC "History of changes") */
    HISTORY_SET_EMAIL,
    HISTORY_SET_TYPE,
    HISTORY_CHECK,
    HISTORY_SET_DETAILS,
    HISTORY_SET_ADDRESS,
};

/* What a change's line adds: its outcome's word ("applied", "not-applied", "cancelled"
 * ...), the names of the changed fields, and for an email change the new email. Never
 * a value, a password or a key. Strings borrowed. */
struct history_change {
    const char *outcome;
    const char *const *fields;
    size_t n_fields;
    const char *new_email; /* NULL: not written */
};

/* One line of the history, as read back. time and email are owned by the entry. */
struct history_entry {
    char *time;              /* ISO 8601, UTC, ending in Z */
    const char *environment; /* "test" or "prod" (static) */
    const char *action;      /* "login", "lookup", ... (static) */
    char *email;             /* normalised and sanitised */
    uint64_t box_id;         /* 0: null */
    const char *outcome;     /* "session", "rejected", "network", "server", "usage",
                                "cancelled", "internal", or a change's outcome
                                ("applied", "unknown", ...) (static) */
    char *fields;            /* a change's field names joined by ';', or NULL */
    char *new_email;         /* an email change's new email (sanitised), or NULL */
};

/*
 * The history file: $XDG_STATE_HOME/boxlogin/history, else
 * ~/.local/state/boxlogin/history. Returns a malloc'd path the caller frees,
 * or NULL when there is no home directory to put it in.
 */
char *history_path(void);

/*
 * Appends one lookup to the history at path (creating its directory with mode
 * 0700 and the file with 0600) as a single write of one whole line, so that
 * concurrent processes never interleave (appenders take turns on an exclusive
 * lock); a write cut short is undone, so no torn line is left. Past
 * HISTORY_TRIM_LINES lines (counted when the file grows past a 4 KiB mark, so an
 * append stays O(1)), or past 8 MiB, it replaces the file with its newest
 * HISTORY_MAX_LINES lines. email is normalised and sanitised here; a
 * box_id of 0 is written as null; outcome is the lookup's kind (BL_OK for a
 * session). Never writes a secret. Returns 0, or -1 with err set: a history
 * that cannot be written is a warning for the caller, never a failed lookup.
 * A file or directory that is not the user's own, is open to others, or is
 * not a regular file is refused.
 */
int history_append(const char *path, enum bl_env env, enum history_action action,
                   const char *email, uint64_t box_id, enum bl_kind outcome,
                   struct bl_error *err);

/*
 * history_append to the history_path: what a lookup calls. Returns 0, or -1 with err
 * set (no home directory, or what history_append says).
 */
int history_record(enum bl_env env, enum history_action action, const char *email,
                   uint64_t box_id, enum bl_kind outcome, struct bl_error *err);

/*
 * history_append for a change: the same line, with c's outcome word, then "fields"
 * and, for an email change, "new_email" (SPEC "Decisions for this round").
 */
int history_append_change(const char *path, enum bl_env env, enum history_action action,
                          const char *email, uint64_t box_id,
                          const struct history_change *c, struct bl_error *err);

/* history_append_change to the history_path. */
int history_record_change(enum bl_env env, enum history_action action, const char *email,
                          uint64_t box_id, const struct history_change *c,
                          struct bl_error *err);

/*
 * Reads the history at path, newest first, at most limit entries (0: all),
 * into a new array the caller frees with history_entries_free. Lines that are
 * not history entries (truncated, binary, not JSON) are skipped and counted in
 * *skipped. Only the last 8 MiB and 12 100 lines of the file are looked at. A
 * missing file is an empty history. Returns 0, or -1 with err set.
 */
int history_read(const char *path, size_t limit, struct history_entry **entries,
                 size_t *count, size_t *skipped, struct bl_error *err);

void history_entries_free(struct history_entry *entries, size_t count);

struct jsonw;

/* Writes e as the history's JSON object: a line of the file, an element of `history
 * --json`. */
void history_entry_write(struct jsonw *w, const struct history_entry *e);

/* The history's word for an action ("login", "lookup", ...). */
const char *history_action_name(enum history_action action);

#endif
