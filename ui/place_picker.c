/* A country, a state and a city chosen from the places lists (place_picker.h). */
#include "place_picker.h"
#include "../src/i18n.h"
#include "../src/jobs.h"
#include "term.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const enum api_call calls[PLACE_LEVELS] = {API_COUNTRIES, API_STATES, API_CITIES};

static const struct place *
item(const struct place_picker *pp, size_t i)
{
    return &pp->lists[pp->level]->items[i];
}

static void
place_key(const void *data, size_t i, char *out, size_t size)
{
    snprintf(out, size, "%" PRIu64, item(data, i)->code);
}

static void
place_draw(const void *data, size_t i, int y, int x, int width, attr_t a)
{
    const struct place *p = item(data, i);
    int iso_w = p->iso_code != NULL ? term_width(p->iso_code) : 0;

    term_text(stdscr, y, x + 1, width - (iso_w > 0 ? iso_w + 3 : 1), p->name, a);
    if (iso_w > 0)
        term_text(stdscr, y, x + width - iso_w - 1, iso_w, p->iso_code,
                  a | term_attr(UI_HINT));
}

/* A country is found by its name or its ISO code; a state and a city by name. */
static int
place_matches(const void *data, size_t i, const char *needle)
{
    const struct place *p = item(data, i);

    return list_matches(p->name, needle) ||
           (p->iso_code != NULL && list_matches(p->iso_code, needle));
}

static const struct list_items place_rows = {
    .key = place_key,
    .draw = place_draw,
    .match = place_matches,
};

/* Shows the list of the current level, the selection on the customer's own place. */
static void
show(struct place_picker *pp)
{
    const struct place_list *l = pp->lists[pp->level];

    list_free(&pp->rows);
    pp->rows.typing = 1;
    if (l == NULL)
        return;
    if (pp->current[pp->level] != 0)
        snprintf(pp->rows.want, sizeof pp->rows.want, "%" PRIu64, pp->current[pp->level]);
    list_set_items(&pp->rows, &place_rows, pp, l->n);
}

/* Asks the worker for the list of the current level (the cache answers at once when
 * it has it). */
static void
ask(struct place_picker *pp, struct ui_ctx *ctx)
{
    struct bl_error err = {0};
    uint64_t parent = pp->level == PLACE_COUNTRY ? 0 : pp->chosen[pp->level - 1]->code;

    pp->error[0] = '\0';
    pp->lists[pp->level] = NULL;
    show(pp);
    pp->job = ui_job(ctx);
    if (job_places(ctx->worker, pp->job, calls[pp->level], parent, &err) != 0) {
        pp->job = 0;
        snprintf(pp->error, sizeof pp->error, "%s", err.message);
    }
    error_clear(&err);
}

void
place_picker_open(struct place_picker *pp, struct ui_ctx *ctx,
                  const uint64_t current[PLACE_LEVELS])
{
    place_picker_free(pp);
    for (int i = 0; i < PLACE_LEVELS; i++)
        pp->current[i] = current != NULL ? current[i] : 0;
    ask(pp, ctx);
}

void
place_picker_free(struct place_picker *pp)
{
    list_free(&pp->rows);
    memset(pp, 0, sizeof *pp);
}

int
place_picker_result(struct place_picker *pp, struct job_result *r)
{
    if (r->kind != JOB_PLACES || pp->job == 0 || r->seq != pp->job)
        return 0;
    pp->job = 0;
    if (r->err.kind != BL_OK)
        snprintf(pp->error, sizeof pp->error, "%s: %s", error_stored_title(r->err.kind),
                 r->err.message != NULL ? r->err.message : "?");
    else
        pp->lists[pp->level] = r->u.places.list;
    show(pp);
    return 1;
}

/* The filter changed: the selection goes to the place whose name is what was typed,
 * else to the first whose name starts with it (the list is sorted by folded name), so
 * that Enter takes what the agent typed; else it stays where it is. */
static void
select_typed(struct place_picker *pp)
{
    const struct place_list *l = pp->lists[pp->level];
    char *typed = places_fold(list_filter(&pp->rows));
    size_t n;
    long first = -1;

    if (typed == NULL || typed[0] == '\0') {
        free(typed);
        return;
    }
    n = strlen(typed);
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i].folded, typed) == 0) {
            first = (long)i;
            break;
        }
        if (first < 0 && strncmp(l->items[i].folded, typed, n) == 0)
            first = (long)i;
    }
    if (first >= 0)
        list_select(&pp->rows, (size_t)first);
    free(typed);
}

/* Enter: the selected place is taken; a country or a state opens the next list. */
static enum place_step
take(struct place_picker *pp, struct ui_ctx *ctx)
{
    long at = list_selected(&pp->rows);

    if (pp->job != 0)
        return PLACE_USED;
    if (pp->lists[pp->level] == NULL) {
        ask(pp, ctx); /* the list did not come: ask again */
        return PLACE_USED;
    }
    if (at < 0)
        return PLACE_USED;
    pp->chosen[pp->level] = item(pp, (size_t)at);
    if (pp->level == PLACE_CITY)
        return PLACE_CHOSEN;
    /* Another country or state than the customer's: its own list starts at the top. */
    if (pp->chosen[pp->level]->code != pp->current[pp->level])
        for (unsigned i = pp->level + 1; i < PLACE_LEVELS; i++)
            pp->current[i] = 0;
    pp->level++;
    ask(pp, ctx);
    return PLACE_USED;
}

enum place_step
place_picker_key(struct place_picker *pp, struct ui_ctx *ctx, int ret, wint_t ch)
{
    pp->rows.typing = 1;
    if (pp->lists[pp->level] != NULL) {
        char before[sizeof pp->rows.filter];

        snprintf(before, sizeof before, "%s", list_filter(&pp->rows));
        if (list_key(&pp->rows, ret, ch)) {
            if (strcmp(before, list_filter(&pp->rows)) != 0)
                select_typed(pp);
            return PLACE_USED;
        }
    }
    if ((ret == KEY_CODE_YES && ch == KEY_ENTER) ||
        (ret == OK && (ch == '\r' || ch == '\n')))
        return take(pp, ctx);
    if (ret == OK && ch == 27) {
        if (list_filter(&pp->rows)[0] != '\0') {
            list_set_filter(&pp->rows, "");
            return PLACE_USED;
        }
        if (pp->level == PLACE_COUNTRY)
            return PLACE_CLOSED;
        /* Back a level: its list is still here, the selection on what was taken. */
        pp->job = 0;
        pp->error[0] = '\0';
        pp->level--;
        pp->current[pp->level] = pp->chosen[pp->level]->code;
        show(pp);
        return PLACE_USED;
    }
    return PLACE_PASS;
}

void
place_picker_draw(struct place_picker *pp, int y, int h)
{
    const char *filter = list_filter(&pp->rows);
    char where[512] = "", title[768], position[64];
    int pos_w;

    if (pp->level == PLACE_STATE) {
        /* TRANSLATORS: title of the list of a country's states; %s is the country. */
        snprintf(title, sizeof title, _("State of %s"), pp->chosen[PLACE_COUNTRY]->name);
    } else if (pp->level == PLACE_CITY) {
        snprintf(where, sizeof where, "%s, %s", pp->chosen[PLACE_STATE]->name,
                 pp->chosen[PLACE_COUNTRY]->name);
        /* TRANSLATORS: title of the list of a state's cities; %s is "State, Country". */
        snprintf(title, sizeof title, _("City of %s"), where);
    } else {
        /* TRANSLATORS: title of the list of countries the agent picks a city from. */
        snprintf(title, sizeof title, "%s", _("Country"));
    }
    if (filter[0] != '\0') {
        size_t n = strlen(title);

        /* TRANSLATORS: after the title of a list of places; %s is what the agent typed
         * to filter it. */
        snprintf(title + n, sizeof title - n, _(" · filter: %s"), filter);
    }
    if (pp->lists[pp->level] != NULL && pp->lists[pp->level]->skipped > 0) {
        size_t n = strlen(title), skipped = pp->lists[pp->level]->skipped;

        snprintf(title + n, sizeof title - n, " · ");
        n = strlen(title);
        /* TRANSLATORS: elements of the places list without a valid code or name. */
        snprintf(title + n, sizeof title - n,
                 P_("%zu row of the list could not be read",
                    "%zu rows of the list could not be read", skipped),
                 skipped);
    }
    list_position(&pp->rows, position, sizeof position);
    pos_w = term_width(position);
    term_text(stdscr, y, COLS - 1 - pos_w, pos_w, position, term_attr(UI_TITLE));
    term_text(stdscr, y, 2, COLS - 5 - pos_w, title, term_attr(UI_TITLE));
    if (pp->lists[pp->level] == NULL) {
        const char *say = pp->error;
        char line[640];

        if (pp->job != 0)
            /* TRANSLATORS: while a list of places is fetched. */
            say = _("Asking SkyPostal…");
        else if (say[0] != '\0') {
            /* TRANSLATORS: %s says why a list of places did not come; Enter is the key.
             */
            snprintf(line, sizeof line, _("%s (Enter asks again)"), pp->error);
            say = line;
        }
        term_text(stdscr, y + 1, 2, COLS - 3, say,
                  term_attr(pp->job != 0 ? UI_HINT : UI_ERROR));
        return;
    }
    if (list_shown(&pp->rows) == 0) {
        char line[640];

        if (filter[0] != '\0')
            /* TRANSLATORS: the filter lets no place through; %s is the filter. */
            snprintf(line, sizeof line, _("Nothing matches “%s”"), filter);
        else
            /* TRANSLATORS: SkyPostal's list of places is empty. */
            snprintf(line, sizeof line, "%s", _("The list is empty"));
        term_text(stdscr, y + 1, 2, COLS - 3, line, term_attr(UI_HINT));
        return;
    }
    list_draw(&pp->rows, y + 1, h - 1);
}
