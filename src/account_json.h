/* The --json objects of the profile, shipments and track commands (SPEC "More
 * commands"): keys in SPEC's order, unknowns null, IDs exact. */
#ifndef BOXLOGIN_ACCOUNT_JSON_H
#define BOXLOGIN_ACCOUNT_JSON_H

#include "account.h"

#include <stdint.h>

/*
 * Writes an amount as a JSON number: the shortest decimal form that reads back
 * as the same double, with ".0" added to whole numbers ("10.0", "0.4409"),
 * whatever LC_NUMERIC says, or "null" when it is unknown. out holds at least
 * ACCOUNT_JSON_NUMBER_SIZE bytes; nothing is allocated.
 */
#define ACCOUNT_JSON_NUMBER_SIZE 40
void account_json_number(struct jsonread_number n, char out[ACCOUNT_JSON_NUMBER_SIZE]);

/* {"environment","email","box_id","profile":{...}} on one line; returns a malloc'd
 * string the caller frees, or NULL when out of memory. */
char *account_json_profile(const char *environment, const char *email, uint64_t box_id,
                           const struct account_profile *p);

/* {"environment","email","box_id","from","to","skipped","shipments":[...]}; from and to
 * are YYYY-MM-DD. Returns a malloc'd string the caller frees, or NULL. */
char *account_json_shipments(const char *environment, const char *email, uint64_t box_id,
                             const char *from, const char *to,
                             const struct account_shipments *s);

/* The same object written into w (src/jsonwrite.h): a list of thousands of rows goes
 * straight to the output stream. */
struct jsonw;
/* Writes one row of the shipments' --json (an element of "shipments"). */
struct account_shipment_row;
void account_json_shipment_row(struct jsonw *w, const struct account_shipment_row *r);

void account_json_write_shipments(struct jsonw *w, const char *environment,
                                  const char *email, uint64_t box_id, const char *from,
                                  const char *to, const struct account_shipments *s);

/* {"environment","email","box_id","awb","shipment":{...},"tracking":[...]}; awb is
 * the one asked for. Returns a malloc'd string the caller frees, or NULL. */
char *account_json_track(const char *environment, const char *email, uint64_t box_id,
                         uint64_t awb, const struct account_shipment *s);

#endif
