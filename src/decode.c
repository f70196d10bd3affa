#include "decode.h"
#include "i18n.h"
#include "jsonread.h"
#include "secmem.h"
#include "text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEY_LEN 512

int
decode_key_is_well_formed(const char *key)
{
    size_t n = strnlen(key, MAX_KEY_LEN + 1);

    if (n == 0 || n > MAX_KEY_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)key[i] < 0x21 || (unsigned char)key[i] > 0x7e)
            return 0;
    return 1;
}

int
decode_check_email(long status, const char *named, const char *asked,
                   struct bl_error *err)
{
    char *a, *b, *shown;
    int rc = 0;

    if (named == NULL || asked == NULL || named[0] == '\0')
        return 0;
    a = text_email_key(asked);
    b = text_email_key(named);
    shown = b != NULL ? text_sanitize(b, strlen(b)) : NULL;
    if (a == NULL || b == NULL || shown == NULL)
        rc = jsonread_fail(err, status, BL_INTERNAL,
                           _("Out of memory decoding the reply"));
    else if (strcmp(a, b) != 0) {
        /* TRANSLATORS: the email the reply names, then the customer's email asked for. */
        rc = error_set(err, BL_SERVER,
                       _("The server answered for another customer (%s), "
                         "not %s: nothing of it is used"),
                       shown, a);
        err->http_status = status;
    }
    free(a);
    free(b);
    free(shown);
    return rc;
}

static int
decode_record(long status, const cJSON *rec, const char *email, struct bl_session **out,
              struct bl_error *err)
{
    const cJSON *named = jsonread_member(rec, "customer_email");
    const cJSON *key = jsonread_member(rec, "customer_key");
    struct bl_session *s;
    uint64_t box_id;

    if (jsonread_flag(rec, "_verify") != FLAG_YES) {
        jsonread_take_server_error(rec, err);
        error_set(err, BL_REJECTED, "%s",
                  err->server_description != NULL ? err->server_description
                                                  : _("Invalid email or password"));
        err->http_status = status;
        return -1;
    }
    if (!cJSON_IsString(key) || key->valuestring == NULL || key->valuestring[0] == '\0')
        return jsonread_fail(err, status, BL_SERVER,
                             _("The server accepted the login but sent no customer key"));
    if (!decode_key_is_well_formed(key->valuestring))
        return jsonread_fail(err, status, BL_SERVER,
                             _("The server sent a malformed customer key"));
    if (jsonread_id(jsonread_member(rec, "customer_box_id"), &box_id) != 0)
        return jsonread_fail(err, status, BL_SERVER,
                             _("The server accepted the login but sent no valid box ID"));
    if (cJSON_IsString(named) &&
        decode_check_email(status, named->valuestring, email, err) != 0)
        return -1;

    s = calloc(1, sizeof *s);
    if (s == NULL)
        return jsonread_fail(err, status, BL_INTERNAL,
                             _("Out of memory decoding the reply"));
    s->customer_key = secmem_strdup(key->valuestring);
    s->first_name = jsonread_text(rec, "customer_first_name");
    s->last_name = jsonread_text(rec, "customer_last_name");
    s->name = jsonread_join_name(s->first_name, s->last_name);
    s->box_id = box_id;
    s->active = jsonread_flag(rec, "is_active");
    s->vip = jsonread_flag(rec, "is_vip");
    s->business = jsonread_flag(rec, "is_business");
    s->enabled = jsonread_flag(rec, "is_enable");
    s->verified = FLAG_YES;
    jsonread_date(rec, "enrolment_date", s->enrolment_date, NULL);
    jsonread_date(rec, "activation_date", s->activation_date, NULL);
    if (s->customer_key == NULL) {
        session_free(s);
        return jsonread_fail(err, status, BL_INTERNAL,
                             _("Out of memory decoding the reply"));
    }
    *out = s;
    return 0;
}

int
decode_login_reply(long http_status, const char *body, size_t len, const char *email,
                   struct bl_session **out, struct bl_error *err)
{
    cJSON *root;
    const cJSON *rec;
    int rc;

    *out = NULL;
    if (jsonread_open(http_status, body, len, "login", 0, &root, &rec, err) != 0)
        return -1;
    rc = decode_record(http_status, rec, email, out, err);
    cJSON_Delete(root);
    return rc;
}

/*
 * Whether the server's words for a refused partner lookup are about the
 * application's credentials rather than the customer. The reply has the same
 * shape either way (_verify false and a description): its words are all there is
 * to tell by, in English or Spanish.
 */
static int
about_credentials(const char *said)
{
    static const char *const words[] = {
        "authoriz", "autoriz",    "permission", "permiso",     "forbidden",
        "denied",   "credential", "credencial", "not allowed", "app_key",
        "app key",  "user_code",  "user code"};
    char *lower = said != NULL ? strdup(said) : NULL;
    int found = 0;

    if (lower == NULL)
        return 0;
    for (char *p = lower; *p != '\0'; p++)
        *p = (char)tolower((unsigned char)*p);
    for (size_t i = 0; i < sizeof words / sizeof words[0] && !found; i++)
        found = strstr(lower, words[i]) != NULL;
    free(lower);
    return found;
}

int
decode_partner_reply(long http_status, const char *body, size_t len, const char *email,
                     long user_code, struct bl_session **out, struct bl_error *err)
{
    const char *said;
    char *who;

    *out = NULL;
    if (http_status != 401 && http_status != 403 &&
        (decode_login_reply(http_status, body, len, email, out, err) == 0 ||
         err->kind != BL_REJECTED))
        return *out != NULL ? 0 : -1;
    said = err->server_description;
    if (http_status == 401 || http_status == 403 || about_credentials(said)) {
        if (said != NULL)
            error_set(
                err, BL_REJECTED,
                /* TRANSLATORS: the application's user_code, then the server's own
                   words; user_code and customer-get-info are names to keep as they are.
                 */
                _("These application credentials (user_code %ld) may not look customers "
                  "up (the server says: %s): ask SkyPostal to enable the partner call "
                  "customer-get-info for them"),
                user_code, said);
        else
            error_set(
                err, BL_REJECTED,
                /* TRANSLATORS: the application's user_code; user_code and
                   customer-get-info are names to keep as they are. */
                _("These application credentials (user_code %ld) may not look customers "
                  "up: ask SkyPostal to enable the partner call customer-get-info for "
                  "them"),
                user_code);
    } else if ((who = text_email_key(email != NULL ? email : "")) == NULL) {
        error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    } else {
        if (said != NULL)
            /* TRANSLATORS: the customer's email, then the server's own words. */
            error_set(err, BL_REJECTED,
                      _("No customer %s (or not one these credentials may see): the "
                        "server says: %s"),
                      who, said);
        else
            /* TRANSLATORS: the customer's email. */
            error_set(err, BL_REJECTED,
                      _("No customer %s (or not one these credentials may see)"), who);
        free(who);
    }
    err->http_status = http_status;
    return -1;
}
