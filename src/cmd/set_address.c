/* boxlogin set-address EMAIL [--line1 S] [--neighborhood S] [--locality S] [--zip S]
 * [--country COUNTRY --state NAME --city NAME | --city-code N] [--home PHONE]
 * [--mobile PHONE] [--no-home] [--no-mobile]: the customer's first address and phones.
 * customer_address carries every current value of what does not change, and
 * customer_phone every current phone with the change applied (it replaces them all). */
#include "change_run.h"
#include "../i18n.h"
#include "../places.h"
#include "../text.h"
#include "../value.h"

#include <stdlib.h>
#include <string.h>

/* Whether s holds nothing but white space. */
static int
blank(const char *s)
{
    return s[strspn(s, " \t\n\r\v\f")] == '\0';
}

static const char *
set_address_check(const struct cli *c)
{
    int place = (c->country != NULL) + (c->state != NULL) + (c->city != NULL);

    if (c->line1 == NULL && c->neighborhood == NULL && c->locality == NULL &&
        c->zip == NULL && place == 0 && c->city_code == NULL && c->home == NULL &&
        c->mobile == NULL && !c->no_home && !c->no_mobile)
        /* TRANSLATORS: keep the command and the options as they are. */
        return _("set-address needs --line1, --neighborhood, --locality, --zip, a city "
                 "(--country, --state and --city, or --city-code), --home, --mobile, "
                 "--no-home or --no-mobile");
    if (place != 0 && place != 3)
        /* TRANSLATORS: keep the options as they are. */
        return _("a city is given by --country, --state and --city together");
    if (place == 3 && (blank(c->country) || blank(c->state) || blank(c->city)))
        /* TRANSLATORS: keep the options as they are. */
        return _("--country, --state and --city must not be empty");
    if (place == 3 && (!text_utf8_valid(c->country, strlen(c->country)) ||
                       !text_utf8_valid(c->state, strlen(c->state)) ||
                       !text_utf8_valid(c->city, strlen(c->city))))
        /* TRANSLATORS: keep the options as they are. */
        return _("--country, --state and --city must be valid UTF-8");
    if (place != 0 && c->city_code != NULL)
        /* TRANSLATORS: keep the options as they are. */
        return _("--city-code does not go with --country, --state and --city");
    if (c->home != NULL && c->no_home)
        /* TRANSLATORS: keep the options as they are. */
        return _("--home and --no-home go one at a time");
    if (c->mobile != NULL && c->no_mobile)
        /* TRANSLATORS: keep the options as they are. */
        return _("--mobile and --no-mobile go one at a time");
    return NULL;
}

/* The request from the options, each checked before anything is read or sent (the
 * city by name is found later, with the places lists). */
static int
address_request(const struct cli *c, struct change_request *rq, struct bl_error *err)
{
    rq->kind = CHANGE_ADDRESS;
    if ((c->line1 != NULL &&
         change_text_check(c->line1, "--line1", &rq->line1, err) != 0) ||
        (c->neighborhood != NULL && change_text_check(c->neighborhood, "--neighborhood",
                                                      &rq->neighborhood, err) != 0) ||
        (c->locality != NULL &&
         change_text_check(c->locality, "--locality", &rq->locality, err) != 0) ||
        (c->zip != NULL && change_text_check(c->zip, "--zip", &rq->zip, err) != 0))
        return -1;
    if (c->city_code != NULL &&
        value_id(c->city_code, "--city-code", &rq->city_code, err) != 0)
        return -1;
    if (c->home != NULL && change_phone_parse(c->home, "--home", &rq->home, err) != 0)
        return -1;
    if (c->mobile != NULL &&
        change_phone_parse(c->mobile, "--mobile", &rq->mobile, err) != 0)
        return -1;
    if (c->no_home)
        rq->home.ask = CHANGE_PHONE_REMOVE;
    if (c->no_mobile)
        rq->mobile.ask = CHANGE_PHONE_REMOVE;
    return 0;
}

static int
set_address_prepare(struct cmd_ctx *ctx, struct bl_error *err)
{
    struct change_request rq = {0};
    int rc;

    if (value_email(ctx->cli->operand, "set-address", &ctx->email, &ctx->email_key,
                    err) != 0)
        return -1;
    rc = address_request(ctx->cli, &rq, err);
    change_request_clear(&rq);
    return rc;
}

/* Finds --country, --state and --city in the places lists: the city's code and names. */
static int
find_city(struct cmd_ctx *ctx, struct change_request *rq, struct bl_error *err)
{
    const struct cli *c = ctx->cli;
    struct cmd_run *run = &ctx->run;
    const struct place_list *l;
    const struct place *country, *state, *city;

    if (places_get(run->api, 1, &run->cfg, API_COUNTRIES, 0, &l, err) != 0 ||
        places_match(l, c->country, NULL, &country, err) != 0 ||
        places_get(run->api, 2, &run->cfg, API_STATES, country->code, &l, err) != 0 ||
        places_match(l, c->state, country->name, &state, err) != 0 ||
        places_get(run->api, 3, &run->cfg, API_CITIES, state->code, &l, err) != 0)
        return -1;
    if (places_match(l, c->city, state->name, &city, err) != 0) {
        if (err->kind == BL_USAGE)
            /* TRANSLATORS: %s says which cities match; keep --city-code as it is. */
            error_set(err, BL_USAGE, _("%s; give one by its code with --city-code"),
                      err->message);
        return -1;
    }
    rq->city_code = city->code;
    rq->state_code = state->code;
    rq->country_num = country->code;
    if ((rq->city_name = strdup(city->name)) == NULL ||
        (rq->state_name = strdup(state->name)) == NULL ||
        (rq->country_name = strdup(country->name)) == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    return 0;
}

static int
set_address_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    struct change_request rq = {0};
    int rc = -1;

    if (change_run_allowed(ctx, err) == 0 && address_request(ctx->cli, &rq, err) == 0 &&
        (ctx->cli->city == NULL || find_city(ctx, &rq, err) == 0))
        rc = change_run(ctx, &rq, err);
    change_request_clear(&rq);
    places_cache_clear();
    return rc;
}

const struct cmd_entry cmd_entry_set_address = {
    .name = "set-address",
    .options = CMD_OPT_JSON | CMD_OPT_CHANGE | CMD_OPT_ADDRESS,
    .flags = CMD_API | CMD_CANCELLABLE,
    .operands = {1, 1, NULL},
    .check = set_address_check,
    .prepare = set_address_prepare,
    .exec = set_address_exec,
};
