/* libFuzzer harness: the config file parser. */
#include "config.h"
#include "secmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config_file f;
    struct bl_error err = {0};

    memset(&f, 0, sizeof f);
    if (config_parse((const char *)data, size, "fuzz", &f, &err) != 0 &&
        (err.kind != BL_USAGE || err.message == NULL))
        abort();
    config_file_free(&f);
    error_clear(&err);
    return 0;
}
