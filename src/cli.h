/* The command line: commands, options, --help. */
#ifndef BOXLOGIN_CLI_H
#define BOXLOGIN_CLI_H

#include "config.h"
#include "error.h"

struct cmd_entry;

/* A parsed command line; strings point into argv. */
struct cli {
    const struct cmd_entry *entry; /* the command (src/cmd/), or NULL for the UI */
    struct config_args args;
    const char *email;
    const char *log_path;
    const char *operand;     /* forget, profile, shipments, track, lookup: EMAIL */
    const char *operand2;    /* track: AWB */
    const char *from, *to;   /* shipments: YYYY-MM-DD */
    const char *limit;       /* history: how many */
    const char *concurrency; /* check: lookups at once */
    int password_stdin, json, csv, show_key, all, help, version;
    int yes, dry_run; /* set-*: confirmed; stop before the write */
    int generate,
        new_password_stdin; /* set-password: where the new password comes from */
    int vip, business;      /* set-type: -1 not given, 0 --no-..., 1 --... */
    /* set-details: NULL not given */
    const char *first_name, *last_name, *identity_number, *tax_number, *birth_date,
        *gender;
    /* set-address: NULL (0) not given */
    const char *line1, *neighborhood, *locality, *zip, *country, *state, *city,
        *city_code, *home, *mobile;
    int no_home, no_mobile;
};

/*
 * Parses argv into *cli (zeroed first), wiping in argv any value that may be a
 * password or an app key first. Returns 0, or -1 with a usage error that never
 * repeats such a value.
 */
int cli_parse(int argc, char **argv, struct cli *cli, struct bl_error *err);

/* Whether --json (or an abbreviation of it) is among the options of argv, parsed or not.
 */
int cli_wants_json(int argc, char *const *argv);

#endif
