/* libFuzzer harness: the login reply decoder, and the sanitiser on the raw bytes. */
#include "decode.h"
#include "inert.h"
#include "secmem.h"
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
    if (decode_login_reply(200, buf, size, NULL, &s, &err) == 0) {
        struct session_badge b[SESSION_BADGES];

        if (s->box_id < 1 || s->box_id >= (1ULL << 53) || s->customer_key[0] == '\0' ||
            s->verified != FLAG_YES || err.message != NULL)
            abort();
        session_badges(s, b);
        for (int i = 0; i < SESSION_BADGES; i++)
            if (b[i].word == NULL || b[i].value < FLAG_UNKNOWN || b[i].value > FLAG_YES)
                abort();
        check_inert_or_null(s->first_name);
        check_inert_or_null(s->last_name);
        check_inert_or_null(s->name);
        check_iso(s->enrolment_date);
        check_iso(s->activation_date);
        session_free(s);
    } else {
        if (s != NULL || err.message == NULL ||
            (err.kind != BL_SERVER && err.kind != BL_REJECTED) || err.http_status != 200)
            abort();
        check_inert(err.message);
        check_inert_or_null(err.server_description);
        check_inert_or_null(err.server_location);
        error_clear(&err);
    }
    clean = text_sanitize(buf, size);
    check_inert(clean);
    free(clean);
    free(buf);
    return 0;
}
