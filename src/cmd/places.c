/* boxlogin places [COUNTRY [STATE]] [--json]: SkyPostal's countries, a country's states
 * or a state's cities, as a table or one JSON object. */
#include "cmd.h"
#include "output.h"
#include "../i18n.h"
#include "../places.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string member, or null. */
static void
member(struct jsonw *w, const char *key, const char *v)
{
    if (v != NULL)
        jsonw_member_string(w, key, v);
    else
        jsonw_member_raw(w, key, "null");
}

static int
print_json(const struct cmd_run *run, const struct place *country,
           const struct place *state, const struct place_list *l, struct bl_error *err)
{
    struct jsonw w;
    char code[JSONW_U64_SIZE];

    jsonw_init(&w, 256 + l->n * 96);
    jsonw_open(&w, '{');
    jsonw_member_string(&w, "environment", config_env_name(run->cfg.env));
    member(&w, "country", country != NULL ? country->name : NULL);
    member(&w, "state", state != NULL ? state->name : NULL);
    jsonw_key(&w, "places");
    jsonw_open(&w, '[');
    for (size_t i = 0; i < l->n; i++) {
        const struct place *p = &l->items[i];

        jsonw_open(&w, '{');
        jsonw_member_raw(&w, "code", jsonw_u64(code, p->code));
        jsonw_member_string(&w, "name", p->name);
        member(&w, "iso_code", p->iso_code);
        member(&w, "phone_code", p->phone_code);
        jsonw_close(&w, '}');
    }
    jsonw_close(&w, ']');
    jsonw_close(&w, '}');
    return output_json_text(jsonw_finish(&w), err);
}

static int
print_table(const struct place_list *l, struct bl_error *err)
{
    /* TRANSLATORS: the column titles of `boxlogin places`: a place's code, its name
       (Country, State or City), a country's ISO code and its phone code. */
    static const struct output_column countries[] = {
        {N_("Code"), 1, 0, 0, 0},
        {N_("Country"), 0, 1, 0, 0},
        {N_("ISO"), 0, 0, 2, 0},
        {N_("Phone"), 1, 0, 1, 0},
    };
    static const struct output_column states[] = {
        {N_("Code"), 1, 0, 0, 0},
        {N_("State"), 0, 1, 0, 0},
    };
    static const struct output_column cities[] = {
        {N_("Code"), 1, 0, 0, 0},
        {N_("City"), 0, 1, 0, 0},
    };
    int all = l->call == API_COUNTRIES;
    size_t ncols = all ? 4 : 2;
    char **cells = calloc(l->n * ncols + 1, sizeof *cells);

    if (cells == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    for (size_t i = 0; i < l->n; i++) {
        const struct place *p = &l->items[i];
        char **row = cells + i * ncols;

        if (asprintf(&row[0], "%llu", (unsigned long long)p->code) < 0)
            row[0] = NULL;
        row[1] = strdup(p->name);
        if (all) {
            row[2] = output_or_dash(p->iso_code);
            if (p->phone_code == NULL)
                row[3] = output_or_dash(NULL);
            else if (asprintf(&row[3], "+%s", p->phone_code) < 0)
                row[3] = NULL;
        }
        for (size_t c = 0; c < ncols; c++)
            if (row[c] == NULL) {
                output_cells_free(cells, l->n * ncols);
                return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
            }
    }
    if (l->n == 0)
        /* TRANSLATORS: the list of countries, states or cities has nothing in it. */
        printf("%s\n", _("No places in this list."));
    else
        output_table(all                     ? countries
                     : l->call == API_STATES ? states
                                             : cities,
                     ncols, (const char *const *)cells, l->n, output_columns());
    output_cells_free(cells, l->n * ncols);
    return 0;
}

static int
places_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    const struct cli *cli = ctx->cli;
    struct cmd_run *run = &ctx->run;
    const struct place_list *l = NULL;
    const struct place *country = NULL, *state = NULL;
    int rc = -1;

    if (places_get(run->api, 1, &run->cfg, API_COUNTRIES, 0, &l, err) != 0)
        goto out;
    if (cli->operand != NULL &&
        (places_match(l, cli->operand, NULL, &country, err) != 0 ||
         places_get(run->api, 2, &run->cfg, API_STATES, country->code, &l, err) != 0))
        goto out;
    if (cli->operand2 != NULL && country != NULL &&
        (places_match(l, cli->operand2, country->name, &state, err) != 0 ||
         places_get(run->api, 3, &run->cfg, API_CITIES, state->code, &l, err) != 0))
        goto out;
    if (l->skipped > 0)
        /* TRANSLATORS: elements of the places list without a valid code or name. */
        cmd_say(P_("%zu row of the list could not be read",
                   "%zu rows of the list could not be read", l->skipped),
                l->skipped);
    rc = cli->json ? print_json(run, country, state, l, err) : print_table(l, err);
out:
    places_cache_clear();
    return rc;
}

const struct cmd_entry cmd_entry_places = {
    .name = "places",
    .options = CMD_OPT_JSON,
    .flags = CMD_API | CMD_CANCELLABLE,
    .operands = {0, 2, NULL},
    .exec = places_exec,
};
