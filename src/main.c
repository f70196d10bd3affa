/* boxlogin: log in to a SkyPostal customer's box account from a terminal. */
#include "api.h"
#include "cli.h"
#include "commands.h"
#include "i18n.h"
#include "log.h"
#include "secmem.h"
#include "version.h"
#include "../ui/ui.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* sysexits.h's EX_IOERR: the output could not be written. */
#define EXIT_OUTPUT 74

/*
 * Opens /dev/null on any of descriptors 0-2 that is closed, so that no file opened
 * later (the log) takes its number and receives what was meant for stdout. Read-only:
 * writing to a descriptor that was closed still fails. Returns 0, or -1 with errno.
 */
static int
fill_closed_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        if (open("/dev/null", O_RDONLY) != fd)
            return -1;
    }
    return 0;
}

/*
 * stdout's buffer: --show-key prints the customer key through it, and the C library
 * would free a buffer of its own unwiped.
 */
static char stdout_buffer[BUFSIZ];

/*
 * Flushes and closes stdout. Output that could not be written (a full disk, a closed
 * pipe, a closed descriptor) is a failure of its own, exit status 74, whatever the
 * command's status was: the caller did not get the answer.
 */
static int
finish_output(int status)
{
    int failed = ferror(stdout);

    errno = 0;
    failed |= fclose(stdout) != 0;
    explicit_bzero(stdout_buffer, sizeof stdout_buffer);
    if (failed) {
        fprintf(stderr, "boxlogin: cannot write the output: %s\n",
                strerror(errno != 0 ? errno : EIO));
        return EXIT_OUTPUT;
    }
    return status;
}

static int
run(const struct cli *cli)
{
    struct bl_error err = {0};
    int status;

    if (cli->help) {
        fputs(cli_help, stdout);
        return 0;
    }
    if (cli->version) {
        printf("boxlogin %s (%s)\n", BOXLOGIN_VERSION, curl_version());
        return 0;
    }
    if (cli->log_path != NULL && log_open(cli->log_path, &err) != 0) {
        status = cmd_fail(cli->json, &err);
        error_clear(&err);
        return status;
    }
    if (api_global_init() != 0) {
        error_set(&err, BL_SERVER, "cannot initialise libcurl");
        status = cmd_fail(cli->json, &err);
        error_clear(&err);
        log_close();
        return status;
    }
    log_msg("boxlogin %s started", BOXLOGIN_VERSION);
    switch (cli->command) {
    case CMD_LOGIN:
        status = cmd_login(cli);
        break;
    case CMD_KEYS:
        status = cmd_keys(cli);
        break;
    case CMD_FORGET:
        status = cmd_forget(cli);
        break;
    case CMD_SETUP:
        status = cmd_setup(cli);
        break;
    case CMD_PROFILE:
        status = cmd_profile(cli);
        break;
    case CMD_SHIPMENTS:
        status = cmd_shipments(cli);
        break;
    case CMD_TRACK:
        status = cmd_track(cli);
        break;
    case CMD_LOOKUP:
        status = cmd_lookup(cli);
        break;
    case CMD_HISTORY:
        status = cmd_history(cli);
        break;
    default:
        status = ui_main(cli);
        break;
    }
    log_msg("boxlogin exits with status %d", status);
    api_global_cleanup();
    log_close();
    return status;
}

int
main(int argc, char **argv)
{
    struct bl_error err = {0};
    struct cli cli;
    int status;

    if (fill_closed_std_fds() != 0)
        return EXIT_OUTPUT;
    setvbuf(stdout, stdout_buffer, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF,
            sizeof stdout_buffer);
    setlocale(LC_ALL, "");
    /* --json output is for programs: its messages stay English. */
    i18n_init(!cli_wants_json(argc, argv));
    /* A core dump would hold whatever password or key was in memory. */
    secmem_no_core_dumps();
    secmem_init();
    signal(SIGPIPE, SIG_IGN);
    /* Debian's libcurl would write the TLS session secrets to the file this names. */
    unsetenv("SSLKEYLOGFILE");

    if (cli_parse(argc, argv, &cli, &err) != 0)
        status = cmd_fail(cli_wants_json(argc, argv), &err);
    else
        status = run(&cli);
    error_clear(&err);
    return finish_output(status);
}
