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
 * Reads the config file and resolves the settings for cli, printing an error
 * and returning -1 when they are unusable; shared by the UI and the commands.
 */
int cmd_load_config(const struct cli *cli, struct bl_config *cfg, struct bl_error *err);

#endif
