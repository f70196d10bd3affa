/*
 * The commands without the UI: one file per command, each one struct cmd_entry, and
 * the table of them; main.c runs an entry and says how it ended.
 */
#ifndef BOXLOGIN_CMD_H
#define BOXLOGIN_CMD_H

#include "../api.h"
#include "../cli.h"
#include "../history.h"
#include "../session.h"

#include <stdint.h>

/* The options only some commands take, a bit each; every command takes the others. */
enum cmd_option {
    CMD_OPT_PASSWORD_STDIN = 1u << 0,
    CMD_OPT_JSON = 1u << 1,
    CMD_OPT_SHOW_KEY = 1u << 2,
    CMD_OPT_ALL = 1u << 3,
    CMD_OPT_WINDOW = 1u << 4, /* --from, --to */
    CMD_OPT_LIMIT = 1u << 5,
    CMD_OPT_CHANGE = 1u << 6,       /* --yes, --dry-run */
    CMD_OPT_NEW_PASSWORD = 1u << 7, /* --generate, --new-password-stdin */
    CMD_OPT_TYPE = 1u << 8,         /* --vip, --no-vip, --business, --no-business */
    CMD_OPT_CSV = 1u << 9,
    CMD_OPT_CONCURRENCY = 1u << 10,
    CMD_OPT_DETAILS = 1u << 11, /* --first-name ... --gender */
    CMD_OPT_ADDRESS = 1u << 12, /* --line1 ... --no-mobile */
};

enum cmd_flag {
    /* Needs the settings, the credentials and an API client (and so libcurl). */
    CMD_API = 1u << 0,
    /* SIGINT, SIGTERM, SIGHUP and the like cancel it (exit 130) rather than end it:
       they interrupt a prompt and wake a transfer. */
    CMD_CANCELLABLE = 1u << 1,
};

/* The widest a message on stderr is printed. */
#define CMD_MESSAGE_COLUMNS 300

/* What a command that talks to the API runs with; owned, freed by cmd_finish. */
struct cmd_run {
    struct bl_config cfg; /* credentials resolved */
    struct config_sources sources;
    struct api *api;
    char *host;
};

/* One run of a command: the command line, what its prepare step read from it, and
 * (CMD_API) the set-up; owned by the dispatcher, freed with cmd_ctx_clear. */
struct cmd_ctx {
    const struct cli *cli;
    struct cmd_run run;
    char *email, *email_key; /* login: --email; lookup: EMAIL (trimmed, normalised) */
    uint64_t awb;            /* track */
    char from[11], to[11];   /* shipments: the window, YYYY-MM-DD */
    /* A command that said its outcome itself (check) sets the exit status here and
       returns 0. */
    int status;
};

struct cmd_entry {
    const char *name;
    unsigned options; /* enum cmd_option */
    unsigned flags;   /* enum cmd_flag */
    /* How many operands it takes, and what to say (marked with N_) when it gets fewer
       than lower; NULL says "this command takes the customer's EMAIL". */
    struct {
        int lower, upper;
        const char *missing;
    } operands;
    /* Optional: what else is wrong with the command line for it (translated), or NULL. */
    const char *(*check)(const struct cli *cli);
    /* Optional: reads its operands and options into ctx before any set-up, so that a
       usage error comes first. Returns 0, or -1 with err. */
    int (*prepare)(struct cmd_ctx *ctx, struct bl_error *err);
    /* Runs it. Returns 0, or -1 with err, which the dispatcher reports. */
    int (*exec)(struct cmd_ctx *ctx, struct bl_error *err);
};

extern const struct cmd_entry cmd_entry_login, cmd_entry_keys, cmd_entry_forget,
    cmd_entry_setup, cmd_entry_profile, cmd_entry_shipments, cmd_entry_track,
    cmd_entry_lookup, cmd_entry_history, cmd_entry_set_password, cmd_entry_set_email,
    cmd_entry_set_type, cmd_entry_check, cmd_entry_set_details, cmd_entry_set_address,
    cmd_entry_places;

/* The entry named name, or NULL; the table's, never freed. */
const struct cmd_entry *cmd_find(const char *name);

/* Lets the signals of CMD_CANCELLABLE cancel instead of ending the process. */
void cmd_catch_signals(void);

/*
 * Resolves the settings and credentials of cli and makes the API client, whose
 * transfers a caught signal then cancels. Returns 0, or -1 with err; call
 * cmd_ctx_clear either way.
 */
int cmd_start(const struct cli *cli, struct cmd_run *run, struct bl_error *err);

/* Frees what ctx holds (the set-up included) and zeroes it. */
void cmd_ctx_clear(struct cmd_ctx *ctx);

/*
 * Reports err as a command's outcome, as one {"error":...} object on stdout with json,
 * else as one line on stderr, and returns the exit status of its kind.
 */
int cmd_fail(int json, const struct bl_error *err);

/* A note or warning on stderr: "boxlogin: " (never translated) and the printf-formatted
 * message, as one line in one write. */
void cmd_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Rewrites err's message (of the same kind) from fmt, whose arguments may be the old
 * message: they are read before it is freed. */
void cmd_reword(struct bl_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* err's message, or "" when it has none; err's. */
const char *cmd_reason(const struct bl_error *err);

/* The environment keys and forget work on: the one --env (or the like) asks for, else
 * NULL for both; *name is static. Returns 0, or -1 with err. */
int cmd_explicit_env(const struct cli *cli, const char **name, struct bl_error *err);

/* Whether a signal came (a change waits for its write's reply, then stops). */
int cmd_signalled(void);

/* Returns -1 with a BL_CANCELLED error when a signal came, else 0. */
int cmd_cancelled(struct bl_error *err);

/* Adds a lookup to the history (unless it is off); a failure is a warning on stderr. */
void cmd_remember(const struct cmd_run *run, enum history_action action,
                  const char *email, uint64_t box_id, enum bl_kind outcome);

/* login.c: the login of login, and of profile, shipments and track without a key. */

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

#endif
