/* The commands without the UI: login, profile, shipments, track, lookup, history,
 * keys, forget, setup; and what they share. */
#ifndef BOXLOGIN_COMMANDS_H
#define BOXLOGIN_COMMANDS_H

#include "api.h"
#include "cli.h"
#include "history.h"
#include "session.h"

/* Each runs one command of the parsed command line and returns the exit status. */
int cmd_login(const struct cli *cli);
int cmd_keys(const struct cli *cli);
int cmd_forget(const struct cli *cli);
int cmd_setup(const struct cli *cli);
int cmd_profile(const struct cli *cli);
int cmd_shipments(const struct cli *cli);
int cmd_track(const struct cli *cli);
int cmd_lookup(const struct cli *cli);
int cmd_history(const struct cli *cli);

/*
 * Reports err as a command's outcome, as one {"error":...} object on stdout with json,
 * else as one line on stderr, and returns the exit status of its kind.
 */
int cmd_fail(int json, const struct bl_error *err);

/* A note or warning on stderr: "boxlogin: " (never translated) and the printf-formatted
 * message, as one line in one write. */
void cmd_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Reads the config file and resolves the settings for cli into *cfg (all but
 * the credentials) and what the credentials step reads into *sources; the
 * caller runs config_credentials (which may block for the keyring) when it
 * suits it. Shared by the UI and the commands. Returns 0, or -1 with err;
 * *cfg and *sources must be zeroed, and are freed with config_free and
 * config_sources_free.
 */
int cmd_load_config(const struct cli *cli, struct bl_config *cfg,
                    struct config_sources *sources, struct bl_error *err);

/* What a command that talks to the API runs with; owned, freed by cmd_finish. */
struct cmd_run {
    struct bl_config cfg; /* credentials resolved */
    struct config_sources sources;
    struct api *api;
    char *host;
};

/*
 * Resolves the settings and credentials, makes the API client and lets
 * SIGINT, SIGTERM and SIGHUP cancel its transfers. Returns 0, or -1 with err;
 * call cmd_finish either way.
 */
int cmd_start(const struct cli *cli, struct cmd_run *run, struct bl_error *err);
void cmd_finish(struct cmd_run *run);

/* Returns -1 with a BL_CANCELLED error when a signal came, else 0. */
int cmd_cancelled(struct bl_error *err);

/* Whether a password can be had: --password-stdin, or a terminal to ask on. */
int cmd_has_password_source(const struct cli *cli);

/*
 * Logs in as `boxlogin login` does: reads the password (standard input or the
 * terminal), logs in, notes it in the history and keeps the key (keyring
 * unless --no-keyring; *stored says whether it was). On success stores the
 * session (its email set to email_key) in *out, which the caller frees.
 */
int cmd_log_in(const struct cli *cli, struct cmd_run *run, const char *email,
               const char *email_key, struct bl_session **out, int *stored,
               struct bl_error *err);

/* Stores s's key in the keyring (unless --no-keyring), warning on stderr when not. */
void cmd_keep_session(const struct cmd_run *run, struct bl_session *s, int *stored);

/* Prints a session as login and lookup do, with "source" in the JSON. */
void cmd_print_session(const struct cli *cli, const struct cmd_run *run,
                       const struct bl_session *s, int stored, const char *source);

/* Adds a lookup to the history (unless it is off); a failure is a warning on stderr. */
void cmd_remember(const struct cmd_run *run, enum history_action action,
                  const char *email, uint64_t box_id, enum bl_kind outcome);

#endif
