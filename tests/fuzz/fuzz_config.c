/* libFuzzer harness: the config file parser, and setup's rewrite of what it parsed. */
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
    if (config_parse((const char *)data, size, "fuzz", &f, &err) != 0) {
        if ((err.kind != BL_USAGE && err.kind != BL_NOMEM) || err.message == NULL)
            abort();
    } else if (config_set_user_code(&f, ENV_PROD, 42, &err) != 0 &&
               err.kind != BL_NOMEM) {
        /* setup's rewrite of whatever parsed */
        abort();
    }
    config_file_free(&f);
    error_clear(&err);
    return 0;
}
