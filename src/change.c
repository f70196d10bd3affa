#include "change.h"
#include "decode.h"
#include "i18n.h"
#include "jsonread.h"
#include "jsonwrite.h"
#include "secmem.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

const char change_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ"
                               "abcdefghijkmnopqrstuvwxyz"
                               "23456789";

#define MIN_PASSWORD 8
#define MAX_PASSWORD 64

void
change_request_clear(struct change_request *r)
{
    secmem_free(r->new_password);
    free(r->new_email);
    memset(r, 0, sizeof *r);
}

void
change_plan_clear(struct change_plan *plan)
{
    for (size_t i = 0; i < plan->n; i++) {
        free(plan->fields[i].before);
        free(plan->fields[i].after);
    }
    memset(plan, 0, sizeof *plan);
}

static const char *
bool_word(int b)
{
    return b ? "true" : "false";
}

/* Adds a field to plan; before may be NULL (unknown or a password). Returns 0 or -1. */
static int
add_field(struct change_plan *plan, const char *name, int boolean, const char *before,
          const char *after)
{
    struct change_field *f = &plan->fields[plan->n];

    f->name = name;
    f->boolean = boolean;
    f->before = before != NULL ? strdup(before) : NULL;
    f->after = after != NULL ? strdup(after) : NULL;
    plan->n++;
    return (before != NULL && f->before == NULL) || (after != NULL && f->after == NULL)
               ? -1
               : 0;
}

/* Plans one flag: sent when asked and different from (or unknown in) the profile. */
static int
plan_flag(struct change_plan *plan, const char *name, int asked, enum bl_flag now)
{
    if (asked == CHANGE_FLAG_KEEP || (now != FLAG_UNKNOWN && (int)now == asked))
        return 0;
    return add_field(plan, name, 1,
                     now == FLAG_UNKNOWN ? NULL : bool_word(now == FLAG_YES),
                     bool_word(asked));
}

int
change_plan_make(const struct change_request *rq, const struct account_profile *before,
                 struct change_plan *plan, struct bl_error *err)
{
    int rc = 0;

    memset(plan, 0, sizeof *plan);
    plan->kind = rq->kind;
    switch (rq->kind) {
    case CHANGE_PASSWORD:
        rc = add_field(plan, "password", 0, NULL, NULL);
        break;
    case CHANGE_EMAIL: {
        char *now = before->email != NULL ? text_email_key(before->email) : NULL;

        if (now == NULL || strcmp(now, rq->new_email) != 0)
            rc = add_field(plan, "email", 0, now, rq->new_email);
        free(now);
        break;
    }
    case CHANGE_TYPE:
        rc = plan_flag(plan, "vip", rq->vip, before->vip);
        if (rc == 0)
            rc = plan_flag(plan, "business", rq->business, before->business);
        break;
    }
    if (rc != 0) {
        change_plan_clear(plan);
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    }
    return 0;
}

/* Whether a and b are equal once trimmed, ignoring case when fold. */
static int
same_trimmed(const char *a, const char *b, int fold)
{
    char *ta = a != NULL ? text_trimmed(a) : NULL,
         *tb = b != NULL ? text_trimmed(b) : NULL;
    int same = ta != NULL && tb != NULL &&
               (fold ? strcasecmp(ta, tb) == 0 : strcmp(ta, tb) == 0);

    free(ta);
    free(tb);
    return same;
}

int
change_verify(const struct change_plan *plan, const struct account_profile *after)
{
    for (size_t i = 0; i < plan->n; i++) {
        const struct change_field *f = &plan->fields[i];
        enum bl_flag want =
            f->after != NULL && strcmp(f->after, "true") == 0 ? FLAG_YES : FLAG_NO;

        if (strcmp(f->name, "email") == 0) {
            if (!same_trimmed(after->email, f->after, 1))
                return 0;
        } else if (strcmp(f->name, "vip") == 0) {
            if (after->vip != want)
                return 0;
        } else if (strcmp(f->name, "business") == 0) {
            if (after->business != want)
                return 0;
        }
    }
    return 1;
}

const char *
change_outcome_name(enum change_outcome o)
{
    static const char *const names[] = {
        [CHANGE_APPLIED] = "applied", [CHANGE_REJECTED] = "rejected",
        [CHANGE_UNKNOWN] = "unknown", [CHANGE_NOT_APPLIED] = "not-applied",
        [CHANGE_NOTHING] = "nothing", [CHANGE_DRY_RUN] = "dry-run",
    };

    return names[o];
}

int
change_exit_status(enum change_outcome o)
{
    switch (o) {
    case CHANGE_APPLIED:
    case CHANGE_NOTHING:
    case CHANGE_DRY_RUN:
        return 0;
    case CHANGE_REJECTED:
        return 1;
    case CHANGE_UNKNOWN:
    case CHANGE_NOT_APPLIED:
        break;
    }
    return 4;
}

enum history_action
change_history_action(enum change_kind k)
{
    static const enum history_action actions[] = {
        [CHANGE_PASSWORD] = HISTORY_SET_PASSWORD,
        [CHANGE_EMAIL] = HISTORY_SET_EMAIL,
        [CHANGE_TYPE] = HISTORY_SET_TYPE,
    };

    return actions[k];
}

static enum api_call
call_of(enum change_kind k)
{
    return k == CHANGE_PASSWORD ? API_PASSWORD : k == CHANGE_EMAIL ? API_EMAIL : API_TYPE;
}

static enum api_flag
api_flag_of(int f)
{
    return f == CHANGE_FLAG_KEEP ? API_FLAG_KEEP : f ? API_FLAG_TRUE : API_FLAG_FALSE;
}

struct api_request
change_write_request(const struct change_request *rq, const struct change_plan *plan,
                     uint64_t box_id, const char *key, const char *email_key)
{
    struct api_request w = {.call = call_of(rq->kind),
                            .box_id = box_id,
                            .customer_key = key,
                            .email = email_key};

    switch (rq->kind) {
    case CHANGE_PASSWORD:
        w.password = rq->new_password;
        w.password_len = rq->new_password_len;
        break;
    case CHANGE_EMAIL:
        w.new_email = rq->new_email;
        break;
    case CHANGE_TYPE:
        /* Only the flags that change. */
        for (size_t i = 0; i < plan->n; i++) {
            int on = strcmp(plan->fields[i].after, "true") == 0;

            if (strcmp(plan->fields[i].name, "vip") == 0)
                w.vip = api_flag_of(on);
            else
                w.business = api_flag_of(on);
        }
        break;
    }
    return w;
}

char *
change_shown(const struct change_plan *plan, const struct account_profile *p)
{
    char buf[1024] = "";

    for (size_t i = 0; i < plan->n; i++) {
        const char *name = plan->fields[i].name, *v = NULL;
        size_t len = strlen(buf);

        if (strcmp(name, "email") == 0)
            v = p->email != NULL ? p->email : "null";
        else if (strcmp(name, "vip") == 0 || strcmp(name, "business") == 0) {
            enum bl_flag f = strcmp(name, "vip") == 0 ? p->vip : p->business;

            v = f == FLAG_YES ? "true" : f == FLAG_NO ? "false" : "null";
        } else
            continue;
        snprintf(buf + len, sizeof buf - len, "%s%s: %s", len > 0 ? ", " : "", name, v);
    }
    return strdup(buf);
}

const char *
change_kind_name(enum change_kind k)
{
    return k == CHANGE_PASSWORD ? "password" : k == CHANGE_EMAIL ? "email" : "type";
}

/* A field's value: a JSON boolean, a string, or null. */
static void
write_value(struct jsonw *w, const char *key, const char *v, int boolean)
{
    if (v == NULL)
        jsonw_member_raw(w, key, "null");
    else if (boolean)
        jsonw_member_raw(w, key, strcmp(v, "true") == 0 ? "true" : "false");
    else
        jsonw_member_string(w, key, v);
}

char *
change_json(const struct change_report *r)
{
    char box[JSONW_U64_SIZE];
    struct jsonw w;
    /* Room for the whole object at once (an escaped byte takes at most six): a buffer
     * that grew would leave the generated password in the block it moved from. */
    size_t room =
        1024 + 6 * (strlen(r->email) + (r->message != NULL ? strlen(r->message) : 0));

    for (size_t i = 0; i < r->plan->n; i++)
        room +=
            6 *
            ((r->plan->fields[i].before != NULL ? strlen(r->plan->fields[i].before) : 0) +
             (r->plan->fields[i].after != NULL ? strlen(r->plan->fields[i].after) : 0));
    jsonw_init(&w, room);
    jsonw_open(&w, '{');
    jsonw_member_string(&w, "environment", config_env_name(r->env));
    jsonw_member_string(&w, "email", r->email);
    jsonw_member_raw(&w, "box_id", r->box_id != 0 ? jsonw_u64(box, r->box_id) : "null");
    jsonw_member_string(&w, "change", change_kind_name(r->plan->kind));
    jsonw_key(&w, "fields");
    jsonw_open(&w, '[');
    for (size_t i = 0; i < r->plan->n; i++) {
        const struct change_field *f = &r->plan->fields[i];

        jsonw_open(&w, '{');
        jsonw_member_string(&w, "field", f->name);
        write_value(&w, "before", f->before, f->boolean);
        write_value(&w, "after", f->after, f->boolean);
        jsonw_close(&w, '}');
    }
    jsonw_close(&w, ']');
    if (r->new_password != NULL)
        jsonw_member_string(&w, "new_password", r->new_password);
    jsonw_member_string(&w, "outcome", change_outcome_name(r->outcome));
    jsonw_member_raw(&w, "verified",
                     r->verified < 0 ? "null"
                     : r->verified   ? "true"
                                     : "false");
    if (r->message != NULL)
        jsonw_member_string(&w, "message", r->message);
    else
        jsonw_member_raw(&w, "message", "null");
    jsonw_member_raw(&w, "key_stored", r->key_stored ? "true" : "false");
    jsonw_close(&w, '}');
    jsonw_newline(&w);
    return jsonw_finish(&w);
}

/* Whether the len bytes at pw are email, trimmed and ignoring ASCII case, without a copy
 * of the password. */
static int
is_email(const char *pw, size_t len, const char *email)
{
    size_t el;

    while (len > 0 && (*pw == ' ' || *pw == '\t')) {
        pw++;
        len--;
    }
    while (len > 0 && (pw[len - 1] == ' ' || pw[len - 1] == '\t'))
        len--;
    while (*email == ' ' || *email == '\t')
        email++;
    el = strlen(email);
    while (el > 0 && (email[el - 1] == ' ' || email[el - 1] == '\t'))
        el--;
    return el == len && strncasecmp(pw, email, len) == 0;
}

int
change_password_check(const char *pw, size_t len, const char *email, struct bl_error *err)
{
    size_t chars = 0, spaces = 0;

    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = text_utf8_decode((const unsigned char *)pw + i, len - i, &cp);

        if (n == 0)
            return error_set(err, BL_USAGE, "%s",
                             _("the new password is not valid UTF-8"));
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
            return error_set(err, BL_USAGE, "%s",
                             _("the new password holds a control character"));
        spaces += cp == ' ';
        chars++;
        i += n;
    }
    if (chars < MIN_PASSWORD || chars > MAX_PASSWORD)
        /* TRANSLATORS: %d and %d are the shortest and longest a password may be. */
        return error_set(err, BL_USAGE, _("the new password must be %d to %d characters"),
                         MIN_PASSWORD, MAX_PASSWORD);
    if (spaces == chars)
        return error_set(err, BL_USAGE, "%s",
                         _("the new password must not be only spaces"));
    if (email != NULL && is_email(pw, len, email))
        return error_set(err, BL_USAGE, "%s",
                         _("the new password must not be the customer's email"));
    return 0;
}

int
change_password_generate(char **out, struct bl_error *err)
{
    const size_t n = sizeof change_alphabet - 1;
    /* Bytes at or above this are dropped, so that each character is as likely. */
    const unsigned limit = 256 - 256 % n;
    char *pw = secmem_malloc(CHANGE_GENERATED_LEN + 1);
    unsigned char pool[64];

    if (pw == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    for (;;) {
        size_t got = 0, used = sizeof pool;
        int digit = 0;

        while (got < CHANGE_GENERATED_LEN) {
            if (used == sizeof pool) {
                if (getrandom(pool, sizeof pool, 0) != (ssize_t)sizeof pool) {
                    int e = errno;

                    explicit_bzero(pool, sizeof pool);
                    secmem_free(pw);
                    /* TRANSLATORS: %s is the system's reason. */
                    return error_set(err, BL_INTERNAL, _("no random numbers: %s"),
                                     strerror(e != 0 ? e : EIO));
                }
                used = 0;
            }
            if (pool[used] < limit) {
                pw[got] = change_alphabet[pool[used] % n];
                digit |= pw[got] >= '2' && pw[got] <= '9';
                got++;
            }
            used++;
        }
        pw[got] = '\0';
        if (digit)
            break;
    }
    explicit_bzero(pool, sizeof pool);
    *out = pw;
    return 0;
}

int
change_reply_decode(enum change_kind kind, long http_status, const char *body, size_t len,
                    const char *new_email, char **new_key, struct bl_error *err)
{
    cJSON *root = NULL;
    const cJSON *rec = NULL;
    int rc = -1;

    if (new_key != NULL)
        *new_key = NULL;
    if (jsonread_open(http_status, body, len, "change", 0, &root, &rec, err) != 0)
        return -1;
    /* Neither a yes nor a no: the change may have been made, and only reading it back
     * can tell. */
    if (jsonread_flag(rec, "_verify") == FLAG_UNKNOWN) {
        error_set(err, BL_SERVER, "%s",
                  /* TRANSLATORS: the server's answer to a change has no yes or no. */
                  _("The reply to the change says neither yes nor no"));
        err->http_status = http_status;
        goto out;
    }
    if (jsonread_flag(rec, "_verify") != FLAG_YES) {
        error_set(err, BL_REJECTED, "%s", _("The server refused the change"));
        err->http_status = http_status;
        jsonread_take_server_error(rec, err);
        if (err->server_description != NULL)
            error_set(err, BL_REJECTED, "%s", err->server_description);
        goto out;
    }
    if (kind == CHANGE_EMAIL) {
        const cJSON *key = jsonread_member(rec, "customer_key");
        char *named = jsonread_text(rec, "customer_email");

        if (named == NULL || named[0] == '\0' ||
            decode_check_email(http_status, named, new_email, err) != 0) {
            free(named);
            if (err->kind == BL_OK)
                error_set(err, BL_SERVER, "%s",
                          _("The reply to the email change names no email"));
            goto out;
        }
        free(named);
        if (!cJSON_IsString(key) || !decode_key_is_well_formed(key->valuestring)) {
            error_set(err, BL_SERVER, "%s",
                      _("The reply to the email change carries no valid customer key"));
            goto out;
        }
        if (new_key != NULL && (*new_key = secmem_strdup(key->valuestring)) == NULL) {
            error_set(err, BL_INTERNAL, "%s", _("out of memory"));
            goto out;
        }
    }
    rc = 0;
out:
    cJSON_Delete(root);
    return rc;
}
