/* libFuzzer harness: the config file parser, and setup's rewrite of what it parsed. */
#include "config.h"
#include "inert.h"
#include "secmem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <limits.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The keys as a file spells them; a key added to config.h without a name here is
 * only checked for its form. */
static const char *const names[CONFIG_KEY_COUNT] = {
    [CONFIG_KEY_ENVIRONMENT] = "environment", [CONFIG_KEY_BASE_URL] = "base_url",
    [CONFIG_KEY_LOGIN_PATH] = "login_path",   [CONFIG_KEY_USER_CODE] = "user_code",
    [CONFIG_KEY_APP_KEY] = "app_key",         [CONFIG_KEY_CACERT] = "cacert",
    [CONFIG_KEY_TIMEOUT] = "timeout",         [CONFIG_KEY_PREWARM] = "prewarm",
    [CONFIG_KEY_PROFILE_PATH] = "profile_path",
    [CONFIG_KEY_SHIPMENTS_PATH] = "shipments_path",
    [CONFIG_KEY_SHIPMENT_PATH] = "shipment_path",
    [CONFIG_KEY_PARTNER_PATH] = "partner_path",
    [CONFIG_KEY_HISTORY] = "history",
    [CONFIG_KEY_PASSWORD_PATH] = "password_path",
    [CONFIG_KEY_EMAIL_PATH] = "email_path",
    [CONFIG_KEY_TYPE_PATH] = "type_path",
    [CONFIG_KEY_DETAILS_PATH] = "details_path",
    [CONFIG_KEY_ADDRESS_PATH] = "address_path",
    [CONFIG_KEY_PLACES_PATH] = "places_path",
};

/* What SPEC and config.c's messages promise for each checked key, written out
 * independently of config.c; 1 when value is acceptable for key. */
static int
acceptable(int key, const char *v)
{
    static const char *const bools[] = {"true",  "yes", "on",  "1",
                                        "false", "no",  "off", "0"};
    size_t n = strlen(v), digits = strspn(v, "0123456789");

    switch (key) {
    case CONFIG_KEY_ENVIRONMENT:
        return strcasecmp(v, "test") == 0 || strcasecmp(v, "prod") == 0;
    case CONFIG_KEY_USER_CODE:
        return digits == n && n > 0 && strtoull(v, NULL, 10) >= 1 &&
               strtoull(v, NULL, 10) <= INT_MAX;
    case CONFIG_KEY_TIMEOUT: {
        /* seconds with an optional fraction, from 0.1 to 600 (milliseconds count) */
        unsigned long long ms;
        size_t frac = 0;

        if (digits == 0 || strtoull(v, NULL, 10) > 600)
            return 0;
        ms = strtoull(v, NULL, 10) * 1000;
        if (v[digits] == '.') {
            frac = strspn(v + digits + 1, "0123456789");
            if (frac == 0)
                return 0;
            for (size_t i = 0; i < 3; i++)
                ms += (unsigned long long)(i < frac ? v[digits + 1 + i] - '0' : 0) *
                      (i == 0   ? 100
                       : i == 1 ? 10
                                : 1);
        }
        return digits + (frac > 0 ? frac + 1 : 0) == n && ms >= 100 && ms <= 600000;
    }
    case CONFIG_KEY_PREWARM:
    case CONFIG_KEY_HISTORY:
        for (size_t i = 0; i < sizeof bools / sizeof *bools; i++)
            if (strcasecmp(v, bools[i]) == 0)
                return 1;
        return 0;
    case CONFIG_KEY_APP_KEY:
        for (const char *p = v; *p != '\0'; p++)
            if (*p <= ' ' || *p > '~')
                return 0;
        return 1;
    default:
        return 1;
    }
}

/*
 * A value the parser kept must be acceptable (above) and pass the parser's own checks
 * again: written back as the one line "key = value" (in its section), it parses to the
 * same value. So a parse never keeps a value it would refuse.
 */
static void
check_value(int sec, int key, const char *value)
{
    static const char *const headers[3] = {"", "[test]\n", "[prod]\n"};
    struct config_file again;
    struct bl_error err = {0};
    char *text = NULL;
    int n;

    if (value[0] == '\0' || strchr(value, '\n') != NULL || value[0] == ' ' ||
        value[0] == '\t' || value[strlen(value) - 1] == ' ' ||
        value[strlen(value) - 1] == '\t' || (key == CONFIG_KEY_ENVIRONMENT && sec != 0))
        abort();
    if (!acceptable(key, value))
        abort();
    if (names[key] == NULL)
        return;
    n = asprintf(&text, "%s%s = %s\n", headers[sec], names[key], value);
    if (n < 0)
        return;
    memset(&again, 0, sizeof again);
    if (config_parse(text, (size_t)n, "again", &again, &err) != 0 ||
        again.value[sec][key] == NULL || strcmp(again.value[sec][key], value) != 0)
        abort();
    config_file_free(&again);
    explicit_bzero(text, (size_t)n);
    free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config_file f;
    struct bl_error err = {0};

    memset(&f, 0, sizeof f);
    if (config_parse((const char *)data, size, "fuzz", &f, &err) == 0) {
        if (err.message != NULL)
            abort();
        for (int s = 0; s < 3; s++)
            for (int k = 0; k < CONFIG_KEY_COUNT; k++)
                if (f.value[s][k] != NULL) {
                    if (f.line[s][k] < 1)
                        abort();
                    check_value(s, k, f.value[s][k]);
                }
        /* setup's rewrite of whatever parsed */
        if (config_set_user_code(&f, ENV_PROD, 42, &err) != 0 && err.kind != BL_INTERNAL)
            abort();
    } else if (err.kind != BL_INTERNAL) {
        /* A refusal names the file and is safe to print, whatever the file held. */
        if (err.kind != BL_USAGE || err.message == NULL ||
            strncmp(err.message, "fuzz:", 5) != 0)
            abort();
        check_inert(err.message);
    }
    config_file_free(&f);
    error_clear(&err);
    return 0;
}
