/*
 * Drives the API client (build/libcore.a, the real libcurl) for tests/test_write_once.py:
 * sends the calls named on the command line one after the other on one client, so that
 * each reuses the connection of the one before, and prints one line a call:
 *
 *   CALL: status=N sent=not-sent|sent|resend-stopped write=answered|not-sent|unknown
 *         kind=KIND message=TEXT
 *
 * Usage: write_once BASE_URL [--cacert FILE] [--timeout SECONDS] CALL...
 * where CALL is profile (a read) or password (a write: the new password comes from
 * $BOXLOGIN_TEST_NEW_PASSWORD, never from the command line).
 */
#include "api.h"
#include "secmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOX_ID 811111
#define KEY    "YpbCNpzqxYqVWv+tzg4e4Ex6ALiT+DfKSYA3NY2dZcw="

static const char *
sent_name(enum api_sent s)
{
    return s == API_NOT_SENT ? "not-sent" : s == API_SENT ? "sent" : "resend-stopped";
}

static const char *
write_name(enum api_write w)
{
    return w == API_WRITE_ANSWERED   ? "answered"
           : w == API_WRITE_NOT_SENT ? "not-sent"
                                     : "unknown";
}

int
main(int argc, char **argv)
{
    struct bl_config cfg = {.env = ENV_TEST, .timeout_ms = 5000};
    struct bl_error err = {0};
    const char *password = getenv("BOXLOGIN_TEST_NEW_PASSWORD");
    struct api *api;
    unsigned long seq = 0;
    int i = 2;

    if (argc < 3) {
        fprintf(stderr,
                "usage: write_once BASE_URL [--cacert FILE] [--timeout S] CALL...\n");
        return 2;
    }
    secmem_init();
    if (api_global_init(&err) != 0)
        return 71;
    cfg.base_url = strdup(argv[1]);
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--cacert") == 0)
            cfg.cacert = strdup(argv[i + 1]);
        else if (strcmp(argv[i], "--timeout") == 0)
            cfg.timeout_ms = (long)(atof(argv[i + 1]) * 1000);
    }
    cfg.cred.user_code = 396;
    cfg.cred.app_key = secmem_strdup("1656d700707ad9a77f737e5df3db088a");
    if ((api = api_new(&err)) == NULL) {
        fprintf(stderr, "write_once: %s\n", err.message);
        return 71;
    }
    for (; i < argc; i++) {
        struct api_request rq = {
            .box_id = BOX_ID, .customer_key = KEY, .email = "johndoe@email.com"};
        struct api_reply reply;

        if (strcmp(argv[i], "profile") == 0) {
            rq.call = API_PROFILE;
        } else if (strcmp(argv[i], "password") == 0 && password != NULL) {
            rq.call = API_PASSWORD;
            rq.password = password;
            rq.password_len = strlen(password);
        } else {
            fprintf(stderr, "write_once: unknown call %s\n", argv[i]);
            return 2;
        }
        api_send(api, ++seq, &cfg, &rq, 1, &reply);
        printf("%s: status=%ld sent=%s write=%s kind=%s message=%s\n", argv[i],
               reply.status, sent_name(reply.sent), write_name(api_write_outcome(&reply)),
               error_kind_name(reply.err.kind),
               reply.err.message != NULL ? reply.err.message : "");
        fflush(stdout);
        api_reply_clear(&reply);
    }
    api_free(api);
    config_free(&cfg);
    api_global_cleanup();
    return 0;
}
