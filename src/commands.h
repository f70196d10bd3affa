/* The batch commands: login, keys, forget, setup. */
#ifndef BOXLOGIN_COMMANDS_H
#define BOXLOGIN_COMMANDS_H

#include "cli.h"

/* Each runs one command of the parsed command line and returns the exit status. */
int cmd_login(const struct cli *cli);
int cmd_keys(const struct cli *cli);
int cmd_forget(const struct cli *cli);
int cmd_setup(const struct cli *cli);

/*
 * Reports err as a command's outcome, as one {"error":...} object on stdout with json,
 * else as one line on stderr, and returns the exit status of its kind.
 */
int cmd_fail(int json, const struct bl_error *err);

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

#endif
