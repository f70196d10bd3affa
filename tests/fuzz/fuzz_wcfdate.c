/* libFuzzer harness: WCF dates to ISO 8601. */
#include "wcfdate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1), out[WCFDATE_ISO_SIZE];

    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    if (wcfdate_to_iso(buf, out) == 0) {
        size_t n = strlen(out);

        /* YYYY-MM-DDTHH:MM:SS followed by Z or +hh:mm */
        if ((n != 20 && n != 25) || out[4] != '-' || out[10] != 'T' || out[13] != ':')
            abort();
    } else if (out[0] != '\0') {
        abort();
    }
    free(buf);
    return 0;
}
