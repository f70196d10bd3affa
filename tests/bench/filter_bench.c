/*
 * The bench of the city list (tests/bench/README.md): 10 000 city names, with accents
 * and shared prefixes, in the UI's one list widget (ui/list.c) on a real curses screen
 * whose output goes to /dev/null; a filter typed one key at a time ("san jose" and
 * "bogota"), each key re-filtering the whole list and redrawing it. Prints one JSON
 * line: the median and the worst CPU milliseconds per key over the runs.
 */
#include "list.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CITIES 10000
#define RUNS   20

static char *names[CITIES];

static void
key_of(const void *data, size_t i, char *out, size_t size)
{
    (void)data;
    snprintf(out, size, "%zu", i);
}

static void
draw(const void *data, size_t i, int y, int x, int width, attr_t a)
{
    (void)data;
    (void)a;
    mvaddnstr(y, x, names[i], width);
}

static int
match(const void *data, size_t i, const char *needle)
{
    (void)data;
    return list_matches(names[i], needle);
}

static const struct list_items items = {key_of, draw, match};

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
    struct list l = {0};
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
    list_set_items(&l, &items, NULL, CITIES);
    l.typing = 1;
    for (int run = 0; run < RUNS; run++)
        for (size_t t = 0; t < sizeof typed / sizeof *typed; t++) {
            char filter[32] = "";

            list_set_filter(&l, "");
            for (size_t k = 0; typed[t][k] != '\0'; k++) {
                double start = cpu_ms();

                filter[k] = typed[t][k];
                filter[k + 1] = '\0';
                list_set_filter(&l, filter);
                erase();
                list_draw(&l, 1, LINES - 2);
                refresh();
                per_key[n_keys++] = cpu_ms() - start;
            }
        }
    endwin();
    qsort(per_key, n_keys, sizeof *per_key, by_value);
    printf("{\"items\":%d,\"keys\":%zu,\"median_ms\":%.3f,\"worst_ms\":%.3f,\"shown\":%"
           "zu}\n",
           CITIES, n_keys, per_key[n_keys / 2], per_key[n_keys - 1], list_shown(&l));
    list_free(&l);
    delscreen(scr);
    for (size_t i = 0; i < CITIES; i++)
        free(names[i]);
    fclose(out);
    return 0;
}
