/*
 * Runs a fuzz harness once over each file named on the command line, without
 * libFuzzer: make check replays the corpus and the crash reproducers with it.
 * Prints one TAP line per file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
    printf("1..%d\n", argc - 1);
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        uint8_t *buf = NULL;
        long n = -1;

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
