/* boxlogin: log in to a SkyPostal customer's box account from a terminal. */
#include "api.h"
#include "cli.h"
#include "cmd/cmd.h"
#include "cmd/output.h"
#include "i18n.h"
#include "log.h"
#include "secmem.h"
#include "text.h"
#include "version.h"
#include "../ui/ui.h"

#include "curl_load.h"
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
        char msg[512];

        /* TRANSLATORS: %s is the system's reason, like "No space left on device". */
        snprintf(msg, sizeof msg, _("cannot write the output: %s"),
                 strerror(errno != 0 ? errno : EIO));
        fprintf(stderr, "boxlogin: %s\n", msg);
        return EXIT_OUTPUT;
    }
    return status;
}

/*
 * Sets stdout's buffer, and makes stderr and, with ascii_stdout, stdout ASCII streams
 * where the locale cannot encode the text (LANG=C): server text is kept as valid UTF-8,
 * and an 8-bit terminal would read bytes of it (9b, 9d) as controls. glibc's stdout and
 * stderr are variables for this: every printf and fprintf of a command, --help and the
 * error lines then go through the one filter. Returns 0, or -1 when out of memory.
 */
static int
start_output(int ascii_stdout)
{
    if (!text_locale_utf8()) {
        FILE *err = output_ascii_stream(STDERR_FILENO);
        FILE *out = ascii_stdout ? output_ascii_stream(STDOUT_FILENO) : stdout;

        if (err == NULL || out == NULL)
            return -1;
        /* Unbuffered like the stderr it replaces: each line leaves in one write. */
        setvbuf(err, NULL, _IONBF, 0);
        stderr = err;
        stdout = out;
    }
    setvbuf(stdout, stdout_buffer, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF,
            sizeof stdout_buffer);
    return 0;
}

/*
 * The --help text, in blocks that are translated one at a time and printed with a blank
 * line between them. In English it reads as one text.
 */
/* clang-format off */
static const char *const help_blocks[] = {
    /* TRANSLATORS: the --help text comes in blocks. Keep as they are: "boxlogin", the
       command names (login, profile, shipments, track, lookup, check, history, places,
       keys, forget, setup), the options (--email, --json ...), the placeholders in capitals (OPTIONS,
       EMAIL, DATE, AWB, N), the config keys user_code and app_key. Translate the
       descriptions, keep them in one column and the lines within 80 columns. */
    N_("Usage: boxlogin [OPTIONS]                       the interactive terminal UI\n"
       "       boxlogin login --email EMAIL [OPTIONS]   log in once, without the UI\n"
       "       boxlogin profile EMAIL [--json]          what SkyPostal has on file\n"
       "       boxlogin shipments EMAIL [--from DATE] [--to DATE] [--json]\n"
       "       boxlogin track EMAIL AWB [--json]        one shipment and its tracking\n"
       "       boxlogin lookup EMAIL [--json] [--show-key]\n"
       "                                                look up without the password\n"
       "       boxlogin check [FILE | -] [--concurrency N] [--csv | --json]\n"
       "                                                look up many emails at once\n"
       "       boxlogin history [--json] [--limit N]    your recent lookups\n"
       "       boxlogin places [COUNTRY [STATE]] [--json]\n"
       "                                                countries, states or cities\n"
       "       boxlogin keys [--json]                   list stored customer keys\n"
       "       boxlogin forget EMAIL | --all            delete stored customer keys\n"
       "       boxlogin setup                           store user_code and app_key\n"),
    N_("Log in to a SkyPostal customer's box account and show who the customer is,\n"
       "what is on file and where the parcels are.\n"),
    /* TRANSLATORS: keep the options, the placeholders in capitals (URL, FILE, SECONDS,
       N, EMAIL), test|prod, https://, http:// and the path as they are; translate the
       descriptions, keep them in one column and the lines within 80 columns. */
    N_("Options:\n"
       "  --env test|prod        API environment (default: test)\n"
       "  --base-url URL         API base URL (https://, or http:// to loopback only)\n"
       "  --config FILE          config file (default: ~/.config/boxlogin/config)\n"
       "  --cacert FILE          trust this CA file as well as the system's\n"
       "  --timeout SECONDS      give up on the API after this long (default: 20)\n"
       "  --user-code N          the integrating application's user code\n"
       "  --email EMAIL          the customer's email (prefills the form)\n"
       "  --no-keyring           keep the customer key in memory only\n"
       "  --no-prewarm           do not open the API connection before it is needed\n"
       "  --no-history           do not add this run's lookups to the history\n"
       "  --log FILE             append a debug log (secrets withheld)\n"
       "  --json                 print one JSON object (every command but setup, forget)\n"
       "  -h, --help             show this help\n"
       "  -V, --version          show the version\n"),
    /* TRANSLATORS: the options of some commands. Keep the command names (before each
       colon), the options, the placeholders in capitals (DATE, N) and YYYY-MM-DD as
       they are; translate the descriptions, keep them in one column and the lines
       within 80 columns. */
    N_("login, profile, shipments and track:\n"
       "  --password-stdin       read the password from the first line of standard input\n"
       "                         (profile, shipments and track log in first when no\n"
       "                         stored key serves)\n"
       "login and lookup:\n"
       "  --show-key             include the customer key in the output\n"
       "shipments:\n"
       "  --from DATE, --to DATE the window, YYYY-MM-DD (default: the 90 days to today)\n"
       "history:\n"
       "  --limit N              the N newest lookups only\n"
       "check, shipments and history:\n"
       "  --csv                  CSV (RFC 4180, UTF-8) instead of a table\n"
       "check:\n"
       "  --concurrency N        lookups at once, 1 to 16 (default: 4)\n"
       "forget:\n"
       "  --all                  forget every stored customer key (with --env, of one\n"
       "                         environment)\n"),
    /* TRANSLATORS: the changes. Keep the command names, the options, the placeholders
       in capitals (EMAIL, NEW_EMAIL, FILE, S, N, PHONE, AREA, NUMBER, EXT, COUNTRY,
       NAME, YYYY-MM-DD), M|F and the words y and yes as they are; translate
       the descriptions, keep them in one column and the lines within 80 columns. */
    N_("Changes (planned, shown, confirmed, sent once, then read back):\n"
       "  boxlogin set-password EMAIL [--generate | --new-password-stdin]\n"
       "  boxlogin set-email EMAIL NEW_EMAIL\n"
       "  boxlogin set-type EMAIL [--vip | --no-vip] [--business | --no-business]\n"
       "  boxlogin set-details EMAIL [--first-name S] [--last-name S]\n"
       "      [--identity-number S] [--tax-number N] [--birth-date YYYY-MM-DD]\n"
       "      [--gender M|F]\n"
       "  boxlogin set-address EMAIL [--line1 S] [--neighborhood S] [--locality S]\n"
       "      [--zip S] [--country COUNTRY --state NAME --city NAME | --city-code N]\n"
       "      [--home PHONE] [--mobile PHONE] [--no-home] [--no-mobile]\n"
       "  PHONE is +AREA NUMBER[ xEXT], like +57 3001234567 x12; --home and --mobile\n"
       "  replace every phone of that type, --no-home and --no-mobile remove them;\n"
       "  COUNTRY is an ISO code or a name; names ignore case and accents.\n"
       "  --yes                  confirm without asking (needed without a terminal)\n"
       "  --dry-run              show the change and the request, send nothing\n"
       "  --read-only            refuse every change (as changes = false in FILE)\n"
       "TEST asks y or yes; PROD asks for the customer's box ID.\n"),
    /* TRANSLATORS: keep --password-stdin as it is. */
    N_("The password is never taken as an argument: without --password-stdin, it is\n"
       "asked for on the terminal with echo off.\n"),
    /* TRANSLATORS: keep the numbers, the exit statuses, as they are. */
    N_("Exit status: 0 success, 1 rejected, 2 usage or configuration,\n"
       "3 network or TLS, 4 server or protocol, 71 system failure,\n"
       "74 cannot write the output, 130 cancelled.\n"),
};
/* clang-format on */

static void
print_help(void)
{
    for (size_t i = 0; i < sizeof help_blocks / sizeof help_blocks[0]; i++) {
        if (i > 0)
            putchar('\n');
        fputs(_(help_blocks[i]), stdout);
    }
}

/*
 * Runs cli's command: its prepare step, the set-up of the commands that talk to the
 * API, then the command itself; says once how it failed. Returns the exit status.
 */
static int
run_command(const struct cli *cli)
{
    const struct cmd_entry *e = cli->entry;
    struct cmd_ctx ctx = {.cli = cli};
    struct bl_error err = {0};
    int status = 0;

    if (e->flags & CMD_CANCELLABLE)
        cmd_catch_signals();
    if ((e->prepare != NULL && e->prepare(&ctx, &err) != 0) ||
        ((e->flags & CMD_API) && cmd_start(cli, &ctx.run, &err) != 0) ||
        e->exec(&ctx, &err) != 0)
        status = cmd_fail(cli->json, &err);
    else
        status = ctx.status;
    cmd_ctx_clear(&ctx);
    error_clear(&err);
    return status;
}

static int
run(const struct cli *cli)
{
    struct bl_error err = {0};
    /* Only the API needs libcurl: the history and the keyring are local. */
    int curl = cli->entry == NULL || (cli->entry->flags & CMD_API);
    int status;

    if (cli->help) {
        print_help();
        return 0;
    }
    /* A command's libcurl loads meanwhile on a thread, and the command waits for it once
     * its connection is on the way (cmd_start); the UI and --version load it here. */
    if (curl && cli->entry != NULL)
        api_global_start();
    if (cli->version) {
        status = 0;
        if (api_global_init(&err) != 0)
            status = cmd_fail(cli->json, &err);
        else
            printf("boxlogin %s (%s)\n", BOXLOGIN_VERSION, curl_version());
        api_global_cleanup();
        error_clear(&err);
        return status;
    }
    if ((cli->log_path != NULL && log_open(cli->log_path, &err) != 0) ||
        (curl && cli->entry == NULL && api_global_init(&err) != 0)) {
        status = cmd_fail(cli->json, &err);
        error_clear(&err);
        if (curl)
            api_global_cleanup();
        log_close();
        return status;
    }
    log_msg("boxlogin %s started", BOXLOGIN_VERSION);
    status = cli->entry != NULL ? run_command(cli) : ui_main(cli);
    log_msg("boxlogin exits with status %d", status);
    if (curl)
        api_global_cleanup();
    log_close();
    return status;
}

int
main(int argc, char **argv)
{
    struct bl_error err = {0};
    struct cli cli;
    int status, parsed, json;

    if (fill_closed_std_fds() != 0)
        return EXIT_OUTPUT;
    setlocale(LC_ALL, "");
    json = cli_wants_json(argc, argv);
    /* --json output is for programs: its messages stay English. */
    i18n_init(!json);
    /* A core dump would hold whatever password or key was in memory. */
    secmem_no_core_dumps();
    secmem_init();
    signal(SIGPIPE, SIG_IGN);
    /* Debian's libcurl would write the TLS session secrets to the file this names. */
    unsetenv("SSLKEYLOGFILE");

    parsed = cli_parse(argc, argv, &cli, &err) == 0;
    /* --json and --csv are UTF-8 in every locale; the UI draws its own ASCII on the
     * terminal. */
    if (start_output(!json && !(parsed && cli.csv) &&
                     (!parsed || cli.entry != NULL || cli.help || cli.version)) != 0) {
        fputs("boxlogin: out of memory\n", stderr);
        error_clear(&err);
        return error_exit_status(BL_INTERNAL);
    }
    if (!parsed)
        status = cmd_fail(json, &err);
    else
        status = run(&cli);
    error_clear(&err);
    return finish_output(status);
}
