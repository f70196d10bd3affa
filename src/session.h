/* The session model: who the customer is, as decoded from a login reply. */
#ifndef BOXLOGIN_SESSION_H
#define BOXLOGIN_SESSION_H

#include "wcfdate.h"

#include <stdint.h>

/* A status flag from the server: missing or oddly typed flags are unknown, never false.
 */
enum bl_flag {
    FLAG_UNKNOWN = -1,
    FLAG_NO = 0,
    FLAG_YES = 1,
};

/*
 * A logged-in customer. Every string is sanitised (safe to print) and owned
 * by the session; customer_key is a secret, wiped by session_free.
 */
struct bl_session {
    char *email;      /* trimmed, lower-cased: what is shown and stored */
    char *first_name; /* NULL when the server sent none */
    char *last_name;
    char *name;      /* first and last joined, NULL when both are missing */
    uint64_t box_id; /* 1 .. 2^53 - 1 */
    enum bl_flag active, vip, business, enabled, verified;
    char enrolment_date[WCFDATE_ISO_SIZE];  /* ISO 8601, "" when unknown */
    char activation_date[WCFDATE_ISO_SIZE]; /* ISO 8601, "" when unknown */
    char *customer_key;                     /* never empty in a session */
};

/* Wipes the customer key and frees the session and everything it owns; NULL is fine. */
void session_free(struct bl_session *s);

/* The status flags of a session, in the order their badges are shown. */
enum session_flag {
    SESSION_ACTIVE,
    SESSION_VIP,
    SESSION_BUSINESS,
    SESSION_ENABLED,
    SESSION_VERIFIED,
};

/* One status badge: which flag, its value, and SPEC's word for it ("VIP", "NOT VIP",
 * "VIP?"). */
struct session_badge {
    enum session_flag flag;
    enum bl_flag value;
    const char *word;
};

#define SESSION_BADGES 5

/* The badge word of a flag with a value, translated: "ACTIVE", "NOT VIP", "VIP?" (SPEC).
 */
const char *session_badge_word(enum session_flag flag, enum bl_flag value);

/* Fills out with the badge of every flag, in the order of enum session_flag. */
void session_badges(const struct bl_session *s, struct session_badge out[SESSION_BADGES]);

#endif
