/* libFuzzer harness: the login reply decoder, and the sanitiser on the raw bytes. */
#include "decode.h"
#include "secmem.h"
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Sanitised text must be valid UTF-8 without C0, DEL, C1, ESC or bidi overrides. */
static void
check_inert(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);

    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t k = text_utf8_decode(p + i, n - i, &cp);

        if (k == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
            (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
            cp == 0x200e || cp == 0x200f || cp == 0x061c)
            abort();
        i += k;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    char *buf = malloc(size + 1);
    struct bl_session *s = NULL;
    struct bl_error err = {0};
    char *clean;

    if (!ready) {
        secmem_init();
        ready = 1;
    }
    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    if (decode_login_reply(200, buf, size, &s, &err) == 0) {
        struct session_badge b[SESSION_BADGES];

        if (s->box_id < 1 || s->box_id >= (1ULL << 53) || s->customer_key[0] == '\0')
            abort();
        session_badges(s, b);
        if (s->name != NULL)
            check_inert(s->name);
        session_free(s);
    } else {
        if (err.message == NULL || err.kind == BL_OK)
            abort();
        check_inert(err.message);
        error_clear(&err);
    }
    clean = text_sanitize(buf, size);
    check_inert(clean);
    free(clean);
    free(buf);
    return 0;
}
