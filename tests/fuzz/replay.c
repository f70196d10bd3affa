/*
 * Runs a fuzz harness once over each file named on the command line, without
 * libFuzzer: make check replays the corpus and the crash reproducers with it.
 * Prints one TAP line per file. A harness whose invariant breaks calls abort():
 * the replay then prints "not ok" for that file and dies of SIGABRT, which
 * tests/run.py counts as a failure.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The line the SIGABRT handler writes: set before each input. */
static char failure_line[4200];
static volatile sig_atomic_t failure_len;

static void
on_abort(int sig)
{
    ssize_t w = write(STDOUT_FILENO, failure_line, (size_t)failure_len);

    (void)w;
    signal(sig, SIG_DFL);
    raise(sig);
}

int
main(int argc, char **argv)
{
    signal(SIGABRT, on_abort);
    printf("1..%d\n", argc - 1);
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        uint8_t *buf = NULL;
        long n = -1;
        int len = snprintf(failure_line, sizeof failure_line,
                           "not ok %d - %s: the harness aborted (an invariant broke)\n",
                           i, argv[i]);

        failure_len = len < (int)sizeof failure_line ? len : (int)sizeof failure_line - 1;
        fflush(stdout);
        if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
            fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL &&
            fread(buf, 1, (size_t)n, f) == (size_t)n) {
            LLVMFuzzerTestOneInput(buf, (size_t)n);
            printf("ok %d - %s\n", i, argv[i]);
        } else {
            printf("not ok %d - %s: cannot read\n", i, argv[i]);
        }
        free(buf);
        if (f != NULL)
            fclose(f);
        fflush(stdout);
    }
    return 0;
}
