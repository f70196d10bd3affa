/*
 * The bench of the city list (tests/bench/README.md): 10 000 city names, with accents
 * and shared prefixes, in the Change screen's place picker (ui/place_picker.c over the
 * one list widget, ui/list.c) on a real curses screen whose output goes to /dev/null;
 * a filter typed one key at a time ("san jose" and "bogota"), each key re-filtering
 * the whole list, selecting the name typed, and redrawing it. Prints one JSON line: the
 * median and the worst CPU milliseconds per key over the runs.
 */
#include "place_picker.h"
#include "places.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CITIES 10000
#define RUNS   20

static char *names[CITIES];

/* The picker asks the loop for job numbers only when Enter opens a list: never here. */
unsigned long
ui_job(struct ui_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static int
by_folded(const void *a, const void *b)
{
    const struct place *x = a, *y = b;

    return strcmp(x->folded, y->folded);
}

static double
cpu_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int
by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

int
main(void)
{
    static const char *const first[] = {"San",    "Santa", "Villa",  "Puerto", "Bogotá",
                                        "Nueva",  "El",    "La",     "Los",    "Ciudad",
                                        "Barrio", "Alto",  "Bajo",   "Río",    "Mina",
                                        "Valle",  "Monte", "Pueblo", "Cañada", "Ñuflo"};
    static const char *const second[] = {
        "José",  "Juan",  "María", "Ángel",   "Ávila",    "Cruz", "Rosario", "Peñas",
        "Lúcia", "Tomás", "Pedro", "Ignacio", "Guaviare", "Sur",  "Norte"};
    static const char *const typed[] = {"san jose", "bogota"};
    double per_key[RUNS * 16];
    size_t n_keys = 0;
    static struct place places[CITIES];
    struct place_list cities = {
        .call = API_CITIES, .parent = 3001, .n = CITIES, .items = places};
    struct place country = {.code = 48, .name = "Colombia"},
                 state = {.code = 3001, .name = "Cundinamarca"};
    struct place_picker pp = {0};
    struct job_result r = {.kind = JOB_PLACES, .seq = 1};
    SCREEN *scr;
    FILE *out = fopen("/dev/null", "w");

    setlocale(LC_ALL, "");
    if (out == NULL || (scr = newterm("xterm-256color", out, stdin)) == NULL) {
        fprintf(stderr, "filter_bench: no terminal\n");
        return 1;
    }
    set_term(scr);
    resizeterm(50, 120);
    for (size_t i = 0; i < CITIES; i++)
        if (asprintf(&names[i], "%s %s %s %zu", first[i % 20], second[(i / 20) % 15],
                     i % 3 == 0   ? "del Guaviare"
                     : i % 3 == 1 ? "Rural"
                                  : "",
                     i) < 0)
            return 1;
    for (size_t i = 0; i < CITIES; i++) {
        places[i].code = 100000 + i;
        places[i].name = names[i];
        if ((places[i].folded = places_fold(names[i])) == NULL)
            return 1;
    }
    qsort(places, CITIES, sizeof *places, by_folded);
    /* The picker on a state's cities, as the worker's answer leaves it. */
    pp.level = PLACE_CITY;
    pp.chosen[PLACE_COUNTRY] = &country;
    pp.chosen[PLACE_STATE] = &state;
    pp.job = 1;
    r.u.places.list = &cities;
    place_picker_result(&pp, &r);
    for (int run = 0; run < RUNS; run++)
        for (size_t t = 0; t < sizeof typed / sizeof *typed; t++) {
            list_set_filter(&pp.rows, "");
            for (size_t k = 0; typed[t][k] != '\0'; k++) {
                double start = cpu_ms();

                place_picker_key(&pp, NULL, OK, (wint_t)(unsigned char)typed[t][k]);
                erase();
                place_picker_draw(&pp, 1, LINES - 2);
                refresh();
                per_key[n_keys++] = cpu_ms() - start;
            }
        }
    endwin();
    qsort(per_key, n_keys, sizeof *per_key, by_value);
    printf("{\"items\":%d,\"keys\":%zu,\"median_ms\":%.3f,\"worst_ms\":%.3f,\"shown\":%"
           "zu}\n",
           CITIES, n_keys, per_key[n_keys / 2], per_key[n_keys - 1],
           list_shown(&pp.rows));
    place_picker_free(&pp);
    delscreen(scr);
    for (size_t i = 0; i < CITIES; i++) {
        free(names[i]);
        free(places[i].folded);
    }
    fclose(out);
    return 0;
}
