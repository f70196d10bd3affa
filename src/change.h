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
    CHANGE_DETAILS,
    CHANGE_ADDRESS,
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

/* What the address change asks of the phones of one type (home or mobile). */
enum change_phone_ask {
    CHANGE_PHONE_KEEP,   /* not asked: carried as they are */
    CHANGE_PHONE_SET,    /* every phone of the type replaced by this one */
    CHANGE_PHONE_REMOVE, /* every phone of the type removed */
};

/* A phone as asked (change_phone_parse): digits only, the area without its '+'. */
struct change_phone {
    enum change_phone_ask ask;
    char *area, *number;
    char *extension; /* NULL: none */
};

/* What the agent asked for; owned, freed with change_request_clear. */
struct change_request {
    enum change_kind kind;
    char *new_password; /* password: secmem, new_password_len bytes, NUL-terminated */
    size_t new_password_len;
    int generated;     /* password: made by change_password_generate */
    char *new_email;   /* email: trimmed, lower-cased */
    int vip, business; /* type: CHANGE_FLAG_KEEP, 0 or 1 */
    /* details, each checked (change_text_check and the like); NULL: not asked */
    char *first_name, *last_name, *identity_number;
    char *tax_number; /* 1 to 15 digits, no leading zero */
    char *birth_date; /* YYYY-MM-DD, a real date */
    char *gender;     /* "M" or "F" */
    /* address: NULL (city_code 0) not asked */
    char *line1, *neighborhood, *locality, *zip;
    uint64_t city_code;
    char *city_name, *state_name, *country_name; /* the new city's, when known from
                                                    the places lists; else NULL */
    uint64_t state_code, country_num; /* the new city's state_code and country_code, when
                                         known from the places lists; else 0 */
    struct change_phone home, mobile;
};

/* One line of the plan: a profile field, before and after. Strings owned by the plan;
 * a password's before and after are NULL, an unknown before is NULL. */
struct change_field {
    const char *name; /* the profile JSON's name: email, vip, business, password,
                         first_name ... gender, line1 ... country, home, mobile */
    int boolean;      /* before and after are "true" / "false" */
    char *before, *after;
};

#define CHANGE_MAX_FIELDS 10

/* The fields that would change; n 0 is "nothing to change". */
struct change_plan {
    enum change_kind kind;
    size_t n;
    struct change_field fields[CHANGE_MAX_FIELDS];
    /* address: the city asked for (0: none), and what the write sends, made from the
       profile before: the one element with every current value of what does not
       change, and every phone with the change applied (strings owned by the plan) */
    uint64_t city_code;
    uint64_t state_code, country_num; /* the new city's, when known; else 0 */
    struct api_address address;
    struct api_phone *phones;
    size_t n_phones;
    char **owned;
    size_t n_owned;
};

/* Wipes and frees what r holds and zeroes it. */
void change_request_clear(struct change_request *r);

/* Frees what plan holds and zeroes it. */
void change_plan_clear(struct change_plan *plan);

/*
 * Plans rq against before, the profile read before: one field per value that
 * would change (a current value that is unknown is always sent). Returns 0, or -1
 * with err: memory; for an address, a customer without one or a phone that cannot be
 * removed (BL_USAGE), or a profile whose address or phones cannot be carried over
 * (BL_SERVER).
 */
int change_plan_make(const struct change_request *rq,
                     const struct account_profile *before, struct change_plan *plan,
                     struct bl_error *err);

/*
 * Compares each field of plan (password aside) with after, the profile read after:
 * trimmed values, emails ignoring case, phones ignoring a leading '+', the city by its
 * code, everything else exactly. Returns 1 when every field shows its new value, 0 when
 * one does not.
 */
int change_verify(const struct change_plan *plan, const struct account_profile *after);

/* The outcome's word in --json and the history ("applied", "not-applied", ...). */
const char *change_outcome_name(enum change_outcome o);

/* The outcome's exit status: 0 applied, nothing, dry run; 1 rejected; 4 the rest. */
int change_exit_status(enum change_outcome o);

/* The kind's word ("password", "email", "type", "details", "address"). */
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

/*
 * The checks of what an agent types for a details or address change; each returns 0
 * with a malloc'd copy in *out (the caller frees it), or -1 with a usage error that
 * names what (an option, like "--first-name").
 */
/* Text: trimmed, 1 to 200 characters of valid UTF-8 without control characters. */
int change_text_check(const char *s, const char *what, char **out, struct bl_error *err);
/* A tax number: 1 to 15 digits without a leading zero. */
int change_tax_number_check(const char *s, const char *what, char **out,
                            struct bl_error *err);
/* A birth date: YYYY-MM-DD that exists in the calendar. */
int change_birth_date_check(const char *s, const char *what, char **out,
                            struct bl_error *err);
/* A gender: M or F (either case), stored upper-case. */
int change_gender_check(const char *s, const char *what, char **out,
                        struct bl_error *err);
/* A phone, "+AREA NUMBER[ xEXT]": area 1 to 4 digits, number 4 to 15, extension 1 to 6;
 * into out (ask CHANGE_PHONE_SET; cleared with change_request_clear). */
int change_phone_parse(const char *s, const char *what, struct change_phone *out,
                       struct bl_error *err);

/* A phone's text as plans and verifications compare it: "+AREA NUMBER ext EXT", the
 * area's leading '+' (if any) shown once; malloc'd, or NULL without a number. */
char *change_phone_text(const char *area, const char *number, const char *extension);

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
