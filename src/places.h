/*
 * The places lists: SkyPostal's countries, a country's states and a state's cities
 * (the geographic-get-* calls), read with the rules of every reply, kept for the
 * process (one call per list), and found by name as an agent types it: ignoring case
 * and accents, an exact name first, else the one name that starts with what was typed.
 * Used by `boxlogin places`, set-address and the UI's lists.
 */
#ifndef BOXLOGIN_PLACES_H
#define BOXLOGIN_PLACES_H

#include "api.h"
#include "config.h"
#include "error.h"

#include <stddef.h>
#include <stdint.h>

/* One country, state or city. Strings sanitised, owned by its list. */
struct place {
    uint64_t code;    /* country_code, state_code or city_code: a valid ID */
    char *name;       /* never NULL */
    char *iso_code;   /* countries: country_iso_code; else NULL */
    char *phone_code; /* countries: ctry_code_phone; else NULL */
    char *folded;     /* name in lower case without accents (places_fold) */
};

/* A list, sorted by name (folded, then as written, then by code). Elements without a
 * valid code or a name are skipped and counted. */
struct place_list {
    enum api_call call; /* API_COUNTRIES, API_STATES or API_CITIES */
    uint64_t parent;    /* the country (states) or the state (cities); 0 for countries */
    size_t n;
    struct place *items;
    size_t skipped;
};

/*
 * Decodes a reply to call (API_COUNTRIES, API_STATES or API_CITIES): the outcome order
 * of every reply (status, JSON, system_error, _verify of the first element); an empty
 * list is a list without places. On success stores a new list in *out (free it with
 * places_list_free) and returns 0; otherwise returns -1 with err.
 */
int places_decode(enum api_call call, long http_status, const char *body, size_t len,
                  struct place_list **out, struct bl_error *err);

/* Frees a list; NULL is fine. */
void places_list_free(struct place_list *l);

/*
 * The list of call for parent (0 for the countries): the one this process has fetched
 * already from cfg's environment, else fetched now with api (seq numbers the call) and
 * kept. A code listed twice is kept once (the first). The list belongs
 * to the cache and lasts until places_cache_clear. Thread-safe. Returns 0, or -1 with
 * err.
 */
int places_get(struct api *api, unsigned long seq, const struct bl_config *cfg,
               enum api_call call, uint64_t parent, const struct place_list **out,
               struct bl_error *err);

/* Frees every kept list (at exit). */
void places_cache_clear(void);

/* s in lower case without accents ("Bogotá" is "bogota"), trimmed; malloc'd, or NULL
 * without memory. */
char *places_fold(const char *s);

/* The most candidates a failed match names. */
#define PLACES_CANDIDATES 10

/* What places_find found. */
enum places_found {
    PLACES_ONE,
    PLACES_NONE,
    PLACES_SEVERAL,
};

/*
 * Finds typed in l, ignoring case and accents: a country by its ISO code as well
 * (iso), then an exact name, else the one name that starts with typed. PLACES_ONE sets
 * *one. Otherwise cands gets up to PLACES_CANDIDATES places (for several, those that
 * contain typed, those that start with it first, or every name alike when several are
 * exactly typed; for none, those that contain it, else the nearest names) and *n_cands
 * their number.
 */
enum places_found places_find(const struct place_list *l, const char *typed, int iso,
                              const struct place **one,
                              const struct place *cands[PLACES_CANDIDATES],
                              size_t *n_cands);

/*
 * Finds typed in l as places_find does and, when it is not one place, fills err with a
 * usage error that says so and names the candidates ("no city \"X\" in Cundinamarca;
 * the nearest: ...", a city with its code: "Bogotá (139207)"). within names where it was
 * looked for (a country's or state's name; NULL for the countries). Returns 0 with *one,
 * or -1 with err.
 */
int places_match(const struct place_list *l, const char *typed, const char *within,
                 const struct place **one, struct bl_error *err);

#endif
