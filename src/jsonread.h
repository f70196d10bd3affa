/*
 * Reading SkyPostal's JSON replies by SPEC's rules, shared by every decoder:
 * liberal in what is accepted (numbers or digit strings, booleans or 0/1, an
 * object for a one-element list), strict in what comes out (sanitised text,
 * exact IDs, unknown instead of a made-up 0 or false).
 */
#ifndef BOXLOGIN_JSONREAD_H
#define BOXLOGIN_JSONREAD_H

#include "error.h"
#include "jsonscan.h"
#include "session.h"
#include "wcfdate.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

/* IDs and counts must be below 2^53: larger integers are not exact in JSON. */
#define JSONREAD_ID_LIMIT (UINT64_C(1) << 53)

/* A money amount or a weight: value means something only when known is 1. */
struct jsonread_number {
    double value;
    int known;
};

/*
 * cJSON_ParseWithLengthOpts (without requiring a NUL) with the C locale's numbers:
 * cJSON hands numbers to strtod with '.' replaced by the first byte of the locale's
 * decimal point, which breaks every decimal in a locale whose point is two bytes
 * (ps_AF's U+066B). The caller deletes the result.
 */
cJSON *jsonread_parse(const char *text, size_t len, const char **end);

/* The member name of obj, case-sensitively; NULL when obj is not an object or has
 * none. Returns a pointer into obj (not owned). */
const cJSON *jsonread_member(const cJSON *obj, const char *name);

/* A cJSON node as the value readers below take it (JSON_MISSING for NULL); points
 * into v. */
struct json_value jsonread_view(const cJSON *v);

/*
 * The readers of one value, whoever parsed it (cJSON or src/jsonscan.c): each
 * reads v as the function of the same name without "value_" reads a member.
 */
char *jsonread_value_text(const struct json_value *v);
char *jsonread_value_text_nonempty(const struct json_value *v);
enum bl_flag jsonread_value_flag(const struct json_value *v);
int jsonread_value_date(const struct json_value *v, char out[WCFDATE_ISO_SIZE],
                        int64_t *epoch_ms);
int jsonread_value_id(const struct json_value *v, uint64_t *id);
struct jsonread_number jsonread_value_amount(const struct json_value *v);

/* The string member name, sanitised for display (text_sanitize); NULL when missing,
 * not a string or out of memory. The caller frees the result. */
char *jsonread_text(const cJSON *obj, const char *name);

/* As jsonread_text, but an empty result is NULL too. The caller frees the result. */
char *jsonread_text_nonempty(const cJSON *obj, const char *name);

/* "First Last", or the one that is non-empty, or NULL when both are empty or NULL.
 * The caller frees the result. */
char *jsonread_join_name(const char *first, const char *last);

/* A flag member: true/false or 1/0; missing, null, "true", 2 ... are FLAG_UNKNOWN.
 * Owns nothing. */
enum bl_flag jsonread_flag(const cJSON *obj, const char *name);

/*
 * A WCF date member to ISO 8601 in out (WCFDATE_ISO_SIZE bytes); stores its
 * instant in *epoch_ms when that is not NULL. Returns 0, or -1 with out empty
 * when it is missing, not a string or malformed. Owns nothing.
 */
int jsonread_date(const cJSON *obj, const char *name, char out[WCFDATE_ISO_SIZE],
                  int64_t *epoch_ms);

/*
 * An ID (1 <= n < 2^53) from v: a JSON number that is integral (checked on its
 * double), or a string of ASCII digits parsed as an integer, never through a
 * double. Returns 0 with *id set, or -1 (and *id untouched). Owns nothing.
 */
int jsonread_id(const cJSON *v, uint64_t *id);

/* As jsonread_id for a count (0 is allowed: 0 <= n < 2^53). Owns nothing. */
int jsonread_count(const cJSON *v, uint64_t *n);

/*
 * A money amount or weight from the member name: a finite JSON number, or a
 * string holding a JSON number (read independently of the locale); anything
 * else (missing, null, "", "abc", 1e400) is unknown. Owns nothing.
 */
struct jsonread_number jsonread_amount(const cJSON *obj, const char *name);

/*
 * Opens a reply by SPEC's outcome order, steps 2 and 3: HTTP status 2xx, a
 * JSON text and nothing after it but white space, a non-empty array (or a
 * top-level object, taken as its element) whose first element is an object,
 * and no error.system_error. what names the reply in messages ("login").
 * On success stores the parsed document in *root (the caller frees it with
 * cJSON_Delete) and its first element in *rec (NULL for an empty array when
 * empty_ok) and returns 0; otherwise fills err with a BL_SERVER error (and
 * the server's description and location for system_error) and returns -1.
 */
int jsonread_open(long http_status, const char *body, size_t len, const char *what,
                  int empty_ok, cJSON **root, const cJSON **rec, struct bl_error *err);

/* Stores the error_description and error_location of rec's "error" object on err
 * (sanitised; NULL when missing or empty); err owns them. */
void jsonread_take_server_error(const cJSON *rec, struct bl_error *err);

/*
 * What a streaming decoder keeps of a reply's first element for the checks
 * jsonread_open makes on a parsed one: whether it is an object, its _verify, and
 * its error object's system_error, error_description and error_location (the
 * texts sanitised and owned, NULL when missing or empty).
 */
struct jsonread_head {
    int is_object;
    enum bl_flag verify, system_error;
    char *description, *location;
};

/* Frees what head owns. */
void jsonread_head_clear(struct jsonread_head *head);

/* Moves head's error_description and error_location onto err (which then owns them),
 * as jsonread_take_server_error does from a parsed record. */
void jsonread_head_take_error(struct jsonread_head *head, struct bl_error *err);

/*
 * jsonread_open's verdict for a reply read with src/jsonscan.c: status the
 * scanner's status after the whole text, n_elements the top-level list's length
 * (1 for an object), head its first element. Returns 0 when the reply is a
 * record (or an empty list, when empty_ok), or -1 with err filled as
 * jsonread_open fills it (on a system error, err takes head's texts).
 */
int jsonread_judge(long http_status, enum jsonscan_status status, size_t n_elements,
                   struct jsonread_head *head, const char *what, int empty_ok,
                   struct bl_error *err);

/* Fills err with kind, the message and http_status and returns -1; err owns the
 * message. */
int jsonread_fail(struct bl_error *err, long http_status, enum bl_kind kind,
                  const char *message);

#endif
