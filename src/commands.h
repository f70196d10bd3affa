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
 * Reads the config file and resolves the settings for cli, returning -1 with
 * err when they are unusable; shared by the UI and the commands. With
 * defer_keyring the keyring is left to config_finish_credentials.
 */
int cmd_load_config(const struct cli *cli, int defer_keyring, struct bl_config *cfg,
                    struct bl_error *err);

#endif
