#include "places.h"
#include "i18n.h"
#include "jsonread.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The lower case of code point cp where it is simple (Latin, Greek, Cyrillic, Armenian);
 * else cp. */
static unsigned
lower_of(unsigned cp)
{
    if ((cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2) || (cp >= 0x410 && cp <= 0x42f))
        return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40f)
        return cp + 0x50;
    if (cp >= 0x531 && cp <= 0x556)
        return cp + 0x30;
    if (((cp >= 0x100 && cp <= 0x17f) || (cp >= 0x460 && cp <= 0x4ff)) && cp % 2 == 0)
        return cp + 1;
    return cp;
}

/*
 * Folds s for matching: ASCII in lower case; a Latin letter with an accent as its base
 * letter(s) ("\u00e1" is "a", "\u00df" "ss"); combining marks dropped; every other
 * character kept, in lower case where it has a simple one (so that names in other
 * scripts stay apart: "\u5317\u4eac" is not "\u4e0a\u6d77"); an invalid byte as '?'.
 */
char *
places_fold(const char *s)
{
    size_t len = strlen(s), n = 0, start = 0;
    /* A character never grows: a Latin letter's ASCII is at most its UTF-8's length,
     * and a lower case letter takes as many bytes as its capital. */
    char *out = malloc(len + 1);

    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t k = text_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        char ascii[4];

        if (k == 0) {
            out[n++] = '?';
            i++;
            continue;
        }
        i += k;
        if (cp < 0x80) {
            out[n++] = (char)tolower((int)cp);
        } else if (cp >= 0x300 && cp <= 0x36f) {
            continue; /* a combining accent */
        } else if (cp >= 0xc0 && cp <= 0x17f && cp != 0xd7 && cp != 0xf7 &&
                   text_ascii(cp, ascii) > 0 && strchr(ascii, '?') == NULL) {
            for (size_t j = 0; ascii[j] != '\0'; j++)
                out[n++] = (char)tolower((unsigned char)ascii[j]);
        } else {
            n += text_utf8_encode(lower_of(cp), out + n);
        }
    }
    out[n] = '\0';
    while (n > 0 && isspace((unsigned char)out[n - 1]))
        out[--n] = '\0';
    while (start < n && isspace((unsigned char)out[start]))
        start++;
    memmove(out, out + start, n - start + 1);
    return out;
}

static void
place_free(struct place *p)
{
    free(p->name);
    free(p->iso_code);
    free(p->phone_code);
    free(p->folded);
}

void
places_list_free(struct place_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        place_free(&l->items[i]);
    free(l->items);
    free(l);
}

static int
by_name(const void *a, const void *b)
{
    const struct place *x = a, *y = b;
    int c = strcmp(x->folded, y->folded);

    if (c == 0)
        c = strcmp(x->name, y->name);
    if (c == 0)
        c = x->code < y->code ? -1 : x->code > y->code;
    return c;
}

/* Keeps one place per code (the first the server listed): a code listed twice would
 * make one place look like two. */
static void
drop_repeated_codes(struct place_list *l)
{
    size_t kept = 0;

    for (size_t i = 0; i < l->n; i++) {
        size_t j = 0;

        while (j < kept && l->items[j].code != l->items[i].code)
            j++;
        if (j < kept)
            place_free(&l->items[i]);
        else
            l->items[kept++] = l->items[i];
    }
    l->n = kept;
}

/* The members of call's elements: code, name. */
static void
members_of(enum api_call call, const char **code, const char **name)
{
    *code = call == API_COUNTRIES ? "country_code"
            : call == API_STATES  ? "state_code"
                                  : "city_code";
    *name = call == API_COUNTRIES ? "country_name"
            : call == API_STATES  ? "state_name"
                                  : "city_name";
}

/* Reads element e into p; 1 when it is a place, 0 when it is skipped, -1 without
 * memory. */
static int
read_place(enum api_call call, const cJSON *e, struct place *p)
{
    const char *code_key, *name_key;

    memset(p, 0, sizeof *p);
    members_of(call, &code_key, &name_key);
    if (!cJSON_IsObject(e) || jsonread_id(jsonread_member(e, code_key), &p->code) != 0)
        return 0;
    if ((p->name = jsonread_text_nonempty(e, name_key)) == NULL)
        return 0;
    if (call == API_COUNTRIES) {
        p->iso_code = jsonread_text_nonempty(e, "country_iso_code");
        p->phone_code = jsonread_text_nonempty(e, "ctry_code_phone");
        if (p->phone_code == NULL) {
            uint64_t n;

            if (jsonread_count(jsonread_member(e, "ctry_code_phone"), &n) == 0 &&
                asprintf(&p->phone_code, "%llu", (unsigned long long)n) < 0)
                p->phone_code = NULL;
        }
    }
    if ((p->folded = places_fold(p->name)) == NULL) {
        place_free(p);
        return -1;
    }
    return 1;
}

int
places_decode(enum api_call call, long http_status, const char *body, size_t len,
              struct place_list **out, struct bl_error *err)
{
    cJSON *root = NULL;
    const cJSON *rec = NULL;
    struct place_list *l;
    size_t cap = 0;
    int rc = -1;

    *out = NULL;
    if (jsonread_open(http_status, body, len, "places", 1, &root, &rec, err) != 0)
        return -1;
    if (rec != NULL && jsonread_flag(rec, "_verify") != FLAG_YES) {
        error_set(err, BL_REJECTED, "%s",
                  /* TRANSLATORS: the lists of countries, states and cities. */
                  _("The server refused the places list"));
        err->http_status = http_status;
        jsonread_take_server_error(rec, err);
        if (err->server_description != NULL)
            error_set(err, BL_REJECTED, "%s", err->server_description);
        cJSON_Delete(root);
        return -1;
    }
    if ((l = calloc(1, sizeof *l)) == NULL)
        goto oom;
    l->call = call;
    cap = cJSON_IsArray(root) ? (size_t)cJSON_GetArraySize(root) : 1;
    if (cap > 0 && (l->items = calloc(cap, sizeof *l->items)) == NULL)
        goto oom;
    for (const cJSON *e = cJSON_IsArray(root) ? root->child : root;
         e != NULL && l->n < cap; e = cJSON_IsArray(root) ? e->next : NULL) {
        int got = read_place(call, e, &l->items[l->n]);

        if (got < 0)
            goto oom;
        if (got == 0)
            l->skipped++;
        else
            l->n++;
    }
    drop_repeated_codes(l);
    if (l->n > 1)
        qsort(l->items, l->n, sizeof *l->items, by_name);
    *out = l;
    l = NULL;
    rc = 0;
    goto done;
oom:
    error_set(err, BL_INTERNAL, "%s", _("out of memory"));
done:
    places_list_free(l);
    cJSON_Delete(root);
    return rc;
}

/* --- the lists kept for the process --- */

/* A kept list and the environment it was read from: TEST and PROD may differ. */
struct kept {
    enum bl_env env;
    struct place_list *list;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kept *cache;
static size_t cache_n;

int
places_get(struct api *api, unsigned long seq, const struct bl_config *cfg,
           enum api_call call, uint64_t parent, const struct place_list **out,
           struct bl_error *err)
{
    struct api_request rq = {.call = call};
    struct api_reply reply;
    struct place_list *l = NULL;
    struct kept *more;
    int rc = -1;

    *out = NULL;
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < cache_n; i++)
        if (cache[i].env == cfg->env && cache[i].list->call == call &&
            cache[i].list->parent == parent) {
            *out = cache[i].list;
            pthread_mutex_unlock(&cache_lock);
            return 0;
        }
    if (call == API_STATES)
        rq.country_code = parent;
    else if (call == API_CITIES)
        rq.state_code = parent;
    api_send(api, seq, cfg, &rq, 1, &reply);
    if (reply.err.kind != BL_OK)
        error_move(err, &reply.err);
    else if (places_decode(call, reply.status, reply.body, reply.len, &l, err) == 0) {
        l->parent = parent;
        if ((more = realloc(cache, (cache_n + 1) * sizeof *cache)) == NULL) {
            places_list_free(l);
            error_set(err, BL_INTERNAL, "%s", _("out of memory"));
        } else {
            cache = more;
            cache[cache_n].env = cfg->env;
            cache[cache_n++].list = l;
            *out = l;
            rc = 0;
        }
    }
    api_reply_clear(&reply);
    pthread_mutex_unlock(&cache_lock);
    return rc;
}

void
places_cache_clear(void)
{
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < cache_n; i++)
        places_list_free(cache[i].list);
    free(cache);
    cache = NULL;
    cache_n = 0;
    pthread_mutex_unlock(&cache_lock);
}

/* --- finding a place by what was typed --- */

/* The edit distance of a and b (their first 64 bytes). */
static size_t
distance(const char *a, const char *b)
{
    size_t la = strnlen(a, 64), lb = strnlen(b, 64), row[65];

    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The nearest names to typed: the first n of the list by edit distance (stable). */
static size_t
nearest(const struct place_list *l, const char *typed,
        const struct place *cands[PLACES_CANDIDATES])
{
    size_t d[PLACES_CANDIDATES], n = 0;

    for (size_t i = 0; i < l->n; i++) {
        size_t di = distance(typed, l->items[i].folded), k;

        if (n == PLACES_CANDIDATES && di >= d[n - 1])
            continue;
        k = n < PLACES_CANDIDATES ? n++ : n - 1;
        while (k > 0 && d[k - 1] > di) {
            d[k] = d[k - 1];
            cands[k] = cands[k - 1];
            k--;
        }
        d[k] = di;
        cands[k] = &l->items[i];
    }
    return n;
}

enum places_found
places_find(const struct place_list *l, const char *typed, int iso,
            const struct place **one, const struct place *cands[PLACES_CANDIDATES],
            size_t *n_cands)
{
    char *t = places_fold(typed);
    size_t exact = 0, prefix = 0, tl;
    const struct place *first_exact = NULL, *first_prefix = NULL;
    enum places_found found = PLACES_NONE;

    *one = NULL;
    *n_cands = 0;
    if (t == NULL)
        return PLACES_NONE;
    tl = strlen(t);
    if (iso && tl == 2)
        for (size_t i = 0; i < l->n; i++)
            if (l->items[i].iso_code != NULL &&
                strcasecmp(l->items[i].iso_code, t) == 0) {
                *one = &l->items[i];
                free(t);
                return PLACES_ONE;
            }
    for (size_t i = 0; tl > 0 && i < l->n; i++) {
        const char *f = l->items[i].folded;

        if (strcmp(f, t) == 0 && exact++ == 0)
            first_exact = &l->items[i];
        if (strncmp(f, t, tl) == 0 && prefix++ == 0)
            first_prefix = &l->items[i];
    }
    if (exact == 1 || (exact == 0 && prefix == 1)) {
        *one = exact == 1 ? first_exact : first_prefix;
        free(t);
        return PLACES_ONE;
    }
    if (exact > 1) {
        /* Names alike: each of them (their codes tell them apart). */
        found = PLACES_SEVERAL;
        for (size_t i = 0; i < l->n && *n_cands < PLACES_CANDIDATES; i++)
            if (strcmp(l->items[i].folded, t) == 0)
                cands[(*n_cands)++] = &l->items[i];
    } else if (prefix > 1) {
        /* Those that contain what was typed, those that start with it first. */
        found = PLACES_SEVERAL;
        for (size_t i = 0; i < l->n && *n_cands < PLACES_CANDIDATES; i++)
            if (strncmp(l->items[i].folded, t, tl) == 0)
                cands[(*n_cands)++] = &l->items[i];
        for (size_t i = 0; i < l->n && *n_cands < PLACES_CANDIDATES; i++)
            if (strncmp(l->items[i].folded, t, tl) != 0 &&
                strstr(l->items[i].folded, t) != NULL)
                cands[(*n_cands)++] = &l->items[i];
    } else {
        for (size_t i = 0; tl > 0 && i < l->n && *n_cands < PLACES_CANDIDATES; i++)
            if (strstr(l->items[i].folded, t) != NULL)
                cands[(*n_cands)++] = &l->items[i];
        if (*n_cands == 0)
            *n_cands = nearest(l, t, cands);
    }
    free(t);
    return found;
}

int
places_match(const struct place_list *l, const char *typed, const char *within,
             const struct place **one, struct bl_error *err)
{
    const struct place *cands[PLACES_CANDIDATES];
    size_t n;
    enum places_found f = places_find(l, typed, l->call == API_COUNTRIES, one, cands, &n);
    char names[PLACES_CANDIDATES * 100] = "", *what;

    if (f == PLACES_ONE)
        return 0;
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(names);

        /* A city's code goes with it: --city-code takes it. */
        if (l->call == API_CITIES)
            snprintf(names + used, sizeof names - used, "%s%s (%llu)", i > 0 ? ", " : "",
                     cands[i]->name, (unsigned long long)cands[i]->code);
        else
            snprintf(names + used, sizeof names - used, "%s%s", i > 0 ? ", " : "",
                     cands[i]->name);
    }
    if (n == 0)
        snprintf(names, sizeof names, "%s", text_dash());
    if ((what = text_one_line(typed, 80)) == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    if (f == PLACES_SEVERAL) {
        if (l->call == API_COUNTRIES)
            /* TRANSLATORS: what was typed, then the countries it could be. */
            error_set(err, BL_USAGE, _("several countries match \"%s\": %s"), what,
                      names);
        else if (l->call == API_STATES)
            /* TRANSLATORS: what was typed, the country, then the states it could be. */
            error_set(err, BL_USAGE, _("several states of %s match \"%s\": %s"), within,
                      what, names);
        else
            /* TRANSLATORS: what was typed, the state, then the cities it could be. */
            error_set(err, BL_USAGE, _("several cities of %s match \"%s\": %s"), within,
                      what, names);
    } else if (l->call == API_COUNTRIES) {
        /* TRANSLATORS: what was typed, then the nearest countries' names. */
        error_set(err, BL_USAGE, _("no country \"%s\"; the nearest: %s"), what, names);
    } else if (l->call == API_STATES) {
        /* TRANSLATORS: what was typed, the country, then the nearest states' names. */
        error_set(err, BL_USAGE, _("no state \"%s\" in %s; the nearest: %s"), what,
                  within, names);
    } else {
        /* TRANSLATORS: what was typed, the state, then the nearest cities' names. */
        error_set(err, BL_USAGE, _("no city \"%s\" in %s; the nearest: %s"), what, within,
                  names);
    }
    free(what);
    return -1;
}
