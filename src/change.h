/* A change to a customer's account, the parts that do not talk to anyone: the request,
 * its plan from the profile read before, the verification against the profile read
 * after, the outcome and its --json object, and the rules of a new password. Shared by
 * the commands (src/cmd/change_run.c) and the UI. */
#ifndef BOXLOGIN_CHANGE_H
#define BOXLOGIN_CHANGE_H

#include "account.h"
#include "api.h"
#include "config.h"
#include "error.h"
#include "history.h"

#include <stddef.h>
#include <stdint.h>

enum change_kind {
    CHANGE_PASSWORD,
    CHANGE_EMAIL,
    CHANGE_TYPE,
};

/* How a change ended (SPEC "How every change runs", step 5). */
enum change_outcome {
    CHANGE_APPLIED,
    CHANGE_REJECTED,
    CHANGE_UNKNOWN,
    CHANGE_NOT_APPLIED,
    CHANGE_NOTHING,
    CHANGE_DRY_RUN,
};

/* A flag of the type change: -1 not asked, 0 or 1. */
#define CHANGE_FLAG_KEEP (-1)

/* What the agent asked for; owned, freed with change_request_clear. */
struct change_request {
    enum change_kind kind;
    char *new_password; /* password: secmem, new_password_len bytes, NUL-terminated */
    size_t new_password_len;
    int generated;     /* password: made by change_password_generate */
    char *new_email;   /* email: trimmed, lower-cased */
    int vip, business; /* type: CHANGE_FLAG_KEEP, 0 or 1 */
};

/* One line of the plan: a profile field, before and after. Strings owned by the plan;
 * a password's before and after are NULL, an unknown before is NULL. */
struct change_field {
    const char *name; /* the profile JSON's name: email, vip, business, password */
    int boolean;      /* before and after are "true" / "false" */
    char *before, *after;
};

#define CHANGE_MAX_FIELDS 3

/* The fields that would change; n 0 is "nothing to change". */
struct change_plan {
    enum change_kind kind;
    size_t n;
    struct change_field fields[CHANGE_MAX_FIELDS];
};

/* Wipes and frees what r holds and zeroes it. */
void change_request_clear(struct change_request *r);

/* Frees what plan holds and zeroes it. */
void change_plan_clear(struct change_plan *plan);

/*
 * Plans rq against before, the profile read before: one field per value that
 * would change (a current value that is unknown is always sent). Returns 0, or -1
 * with err (memory).
 */
int change_plan_make(const struct change_request *rq,
                     const struct account_profile *before, struct change_plan *plan,
                     struct bl_error *err);

/*
 * Compares each field of plan (password aside) with after, the profile read after:
 * trimmed values, emails ignoring case, booleans exactly. Returns 1 when every field
 * shows its new value, 0 when one does not.
 */
int change_verify(const struct change_plan *plan, const struct account_profile *after);

/* The outcome's word in --json and the history ("applied", "not-applied", ...). */
const char *change_outcome_name(enum change_outcome o);

/* The outcome's exit status: 0 applied, nothing, dry run; 1 rejected; 4 the rest. */
int change_exit_status(enum change_outcome o);

/* The kind's word ("password", "email", "type"). */
const char *change_kind_name(enum change_kind k);

/* The history's action of kind k (set-password, ...). */
enum history_action change_history_action(enum change_kind k);

/*
 * The write of rq's plan for the customer box_id with key (borrowed, as is every string
 * of the request: they must outlive it); email_key is the current email, normalised.
 * Type and details send only the fields of the plan.
 */
struct api_request change_write_request(const struct change_request *rq,
                                        const struct change_plan *plan, uint64_t box_id,
                                        const char *key, const char *email_key);

/* What the profile p shows of the plan's fields, as "vip: false, business: true";
 * malloc'd, or NULL without memory. */
char *change_shown(const struct change_plan *plan, const struct account_profile *p);

/* What a change's --json object says; strings borrowed. */
struct change_report {
    enum bl_env env;
    const char *email;
    uint64_t box_id;
    const struct change_plan *plan;
    const char *new_password; /* a generated password, printed once; else NULL */
    enum change_outcome outcome;
    int verified;        /* 1, 0, or -1 for null (not read back) */
    const char *message; /* NULL: null */
    int key_stored;
};

/* The --json object of a change, keys in SPEC's order, with a newline; malloc'd (the
 * caller frees it, wiping it when it holds a password), or NULL without memory. */
char *change_json(const struct change_report *r);

/*
 * Checks a new password (len bytes) by SPEC's rules: 8 to 64 characters, valid
 * UTF-8, no control characters, not all spaces, not email (ignoring case).
 * Returns 0, or -1 with a usage error that never repeats it.
 */
int change_password_check(const char *pw, size_t len, const char *email,
                          struct bl_error *err);

/* The length of a generated password. */
#define CHANGE_GENERATED_LEN 12

/* The alphabet of a generated password: no look-alikes (0 O 1 l I). */
extern const char change_alphabet[];

/*
 * Makes a password of CHANGE_GENERATED_LEN characters of change_alphabet from
 * getrandom(), with at least one digit, into a new secmem string in *out (the
 * caller frees it with secmem_free). Returns 0, or -1 with err.
 */
int change_password_generate(char **out, struct bl_error *err);

/*
 * Decodes the reply to a write: 0 when the server says it was done (for an email
 * change, *new_key then holds the reply's new key in secmem, and the reply named
 * new_email); -1 with err: BL_REJECTED when the server said no (its words in
 * err), else BL_SERVER when the reply cannot be read as a yes or a no (an unknown
 * outcome).
 */
int change_reply_decode(enum change_kind kind, long http_status, const char *body,
                        size_t len, const char *new_email, char **new_key,
                        struct bl_error *err);

#endif
