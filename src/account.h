/*
 * The account calls' reply decoders: profile (customer-get-info), shipments
 * (customer-get-shipments) and one shipment (get-shipment-info), from HTTP
 * status and body to a model or an error value. Pure: no I/O, no globals.
 *
 * Every string is sanitised (safe to print) and NULL when unknown; IDs are
 * exact (1 .. 2^53 - 1) and 0 when unknown; amounts carry a known flag; dates
 * are ISO 8601 strings, "" when unknown. Nothing missing becomes 0 or false.
 */
#ifndef BOXLOGIN_ACCOUNT_H
#define BOXLOGIN_ACCOUNT_H

#include "error.h"
#include "jsonread.h"
#include "session.h"
#include "wcfdate.h"

#include <stddef.h>
#include <stdint.h>

#define ACCOUNT_DATE_SIZE 11 /* "YYYY-MM-DD" and its NUL */

struct account_address {
    uint64_t id; /* address_id; 0 when unknown */
    char *line1, *neighborhood, *locality, *city, *state, *country, *country_code, *zip;
    char *phone; /* "+1 123456789 ext 333" from its parts; NULL without a number */
    /* What a change of the address carries over: the parts of its phone as the server
     * has them (NULL when missing or empty), and the codes of its place (0 unknown). */
    char *phone_area, *phone_number, *phone_extension;
    uint64_t city_code, state_code, country_num;
    /* The same values as the server sent them, not cleaned for display, for a change
     * that writes them back byte for byte: NULL when missing (a whole number as its
     * digits). They may be invalid UTF-8. */
    char *raw_line1, *raw_neighborhood, *raw_locality, *raw_city, *raw_zip;
    char *raw_phone_area, *raw_phone_number, *raw_phone_extension;
};

enum account_phone_type {
    PHONE_UNKNOWN = -1, /* phone_type missing or not an integer */
    PHONE_HOME,         /* phone_type 1 */
    PHONE_MOBILE,       /* phone_type 2 */
    PHONE_OTHER,        /* any other integer */
};

struct account_phone {
    uint64_t id; /* phone_id; 0 when unknown */
    enum account_phone_type type;
    long type_number; /* phone_type as the server sent it; -1 when unknown */
    char *number; /* "+1 987654321", with " ext N" when there is one; NULL without one */
    char *area, *digits, *extension; /* its parts as the server has them; NULL when
                                        missing or empty */
    /* The parts as the server sent them, not cleaned for display (as the address's raw
     * values). */
    char *raw_area, *raw_digits, *raw_extension;
};

/* What SkyPostal has on file for a customer. */
struct account_profile {
    uint64_t customer_id; /* cust_id; 0 when unknown */
    char *first_name, *last_name;
    char *name;  /* first and last joined; NULL when both are missing */
    char *email; /* lower-cased as every email this program shows */
    char birth_date[ACCOUNT_DATE_SIZE]; /* the date in its own offset; "" when unknown */
    char *gender, *identity_number;
    char *tax_number; /* NULL when 0, empty or missing */
    char *campaign;
    enum bl_flag email_agreement, active, vip, business, enabled;
    int addresses_known; /* 0: customer_address missing or not a list */
    size_t n_addresses;
    struct account_address *addresses;
    int phones_known; /* 0: customer_phone missing or not a list */
    size_t n_phones;
    struct account_phone *phones;
    size_t phones_unread; /* elements of customer_phone that are not objects */
    int text_nul; /* the reply holds a \u0000 in a text: the text read stops there */
};

/* One row of the shipments list. */
struct account_shipment_row {
    uint64_t awb; /* trck_nmr_fol: always valid, rows without one are skipped */
    char *external_tracking, *merchant, *content, *status;
    char received[WCFDATE_ISO_SIZE], manifested[WCFDATE_ISO_SIZE];
    int64_t received_ms; /* the instant of received, when received is not "" */
    struct jsonread_number value, weight_charged, weight_physical, weight_volumetric;
    struct jsonread_number charge_rate, charge_discount, charge_total;
    enum bl_flag invoice_required;
    char *invoice_url; /* NULL when empty */
};

/* The shipments of a window, newest received first (undated last, then AWB
 * descending). */
struct account_shipments {
    size_t n_rows;
    struct account_shipment_row *rows;
    size_t skipped; /* elements that were not a row with a valid AWB */
};

/* One tracking event. */
struct account_event {
    char time[WCFDATE_ISO_SIZE]; /* entry_date: never "" (undated events are skipped) */
    int64_t time_ms;
    char *code, *description, *location;
    char *note; /* track_obs; NULL when empty */
};

/* One shipment and its tracking events, newest first. */
struct account_shipment {
    uint64_t awb; /* 0 when unknown */
    char *status, *content, *merchant;
    struct jsonread_number value, total, weight_physical, weight_charged;
    char *weight_unit, *origin, *destination, *recipient, *address, *city, *state,
        *country;
    uint64_t pieces;
    int pieces_known;
    int tracking_known; /* 0: tracking missing, null or neither a list nor an object */
    size_t n_events;
    struct account_event *events;
    size_t skipped; /* events without a valid date */
};

/*
 * Decodes a customer-get-info reply. email names the customer in the
 * "no longer accepted" message. On success stores a new profile in *out (the
 * caller frees it with account_profile_free) and returns 0; otherwise fills
 * err (which then owns its strings) and returns -1.
 */
int account_profile_decode(long http_status, const char *body, size_t len,
                           const char *email, struct account_profile **out,
                           struct bl_error *err);

/* Frees the profile and everything it owns; NULL is fine. */
void account_profile_free(struct account_profile *p);

/*
 * Decodes a customer-get-shipments reply; an empty list is a result with no
 * rows. On success stores a new list in *out (the caller frees it with
 * account_shipments_free) and returns 0; otherwise fills err and returns -1.
 */
int account_shipments_decode(long http_status, const char *body, size_t len,
                             const char *email, struct account_shipments **out,
                             struct bl_error *err);

/* Frees the list and everything it owns; NULL is fine. */
void account_shipments_free(struct account_shipments *s);

/*
 * Decodes a get-shipment-info reply for the shipment awb of email (both only
 * name things in messages). On success stores a new shipment in *out (the
 * caller frees it with account_shipment_free) and returns 0; otherwise fills
 * err and returns -1.
 */
int account_shipment_decode(long http_status, const char *body, size_t len,
                            const char *email, uint64_t awb,
                            struct account_shipment **out, struct bl_error *err);

/* Frees the shipment and everything it owns; NULL is fine. */
void account_shipment_free(struct account_shipment *s);

/* "home", "mobile", "other", or NULL for PHONE_UNKNOWN; static strings. */
const char *account_phone_type_name(enum account_phone_type type);

/* Appends to out (a string of size bytes) the non-empty parts among n, each after ", "
 * when out is not empty; cut at size. */
void account_join(char *out, size_t size, const char *const parts[], size_t n);

/* The place of an address on one line: street, neighborhood, locality, city, state and
 * country, those known, joined with ", " into out (size bytes). */
void account_address_place(const struct account_address *a, char *out, size_t size);

/* A phone's type as a label people read, translated ("home"); NULL when unknown. */
const char *account_phone_type_label(enum account_phone_type type);

#endif
