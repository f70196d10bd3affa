/* boxlogin: log in to a SkyPostal customer's box account from a terminal. */
#include "api.h"
#include "cli.h"
#include "commands.h"
#include "log.h"
#include "secmem.h"
#include "version.h"
#include "../ui/ui.h"

#include <curl/curl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>

int
main(int argc, char **argv)
{
    struct bl_error err = {0};
    struct cli cli;
    int status;

    setlocale(LC_ALL, "");
    /* A core dump would hold whatever password or key was in memory. */
    secmem_no_core_dumps();
    secmem_init();
    signal(SIGPIPE, SIG_IGN);

    if (cli_parse(argc, argv, &cli, &err) != 0) {
        fprintf(stderr, "boxlogin: %s\n", err.message);
        error_clear(&err);
        return 2;
    }
    if (cli.help) {
        fputs(cli_help, stdout);
        return 0;
    }
    if (cli.version) {
        printf("boxlogin %s (%s)\n", BOXLOGIN_VERSION, curl_version());
        return 0;
    }
    if (cli.log_path != NULL && log_open(cli.log_path, &err) != 0) {
        fprintf(stderr, "boxlogin: %s\n", err.message);
        error_clear(&err);
        return 2;
    }
    if (api_global_init() != 0) {
        fprintf(stderr, "boxlogin: cannot initialise libcurl\n");
        return 4;
    }
    log_msg("boxlogin %s started", BOXLOGIN_VERSION);
    switch (cli.command) {
    case CMD_LOGIN:
        status = cmd_login(&cli);
        break;
    case CMD_KEYS:
        status = cmd_keys(&cli);
        break;
    case CMD_FORGET:
        status = cmd_forget(&cli);
        break;
    case CMD_SETUP:
        status = cmd_setup(&cli);
        break;
    default:
        status = ui_main(&cli);
        break;
    }
    log_msg("boxlogin exits with status %d", status);
    api_global_cleanup();
    log_close();
    return status;
}
