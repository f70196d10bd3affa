#include "draw.h"
#include "screen.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Decodes UTF-8 into a new wide string; NULL when out of memory. */
static wchar_t *
widen(const char *s)
{
    size_t n = strlen(s);
    const char *end = s + n;
    wchar_t *w = calloc(n + 1, sizeof *w);
    mbstate_t st;
    size_t i = 0;

    if (w == NULL)
        return NULL;
    memset(&st, 0, sizeof st);
    /* One pass: a name can be as long as the 1 MiB reply allows. */
    while (s < end) {
        size_t k = mbrtowc(&w[i], s, (size_t)(end - s), &st);

        if (k == (size_t)-1 || k == (size_t)-2) {
            w[i] = L'?';
            k = 1;
            memset(&st, 0, sizeof st);
        }
        s += k;
        i++;
    }
    w[i] = L'\0';
    return w;
}

/* Wipes and frees a widened copy: the text drawn may be the customer key. */
static void
unwiden(wchar_t *w)
{
    if (w != NULL)
        explicit_bzero(w, (wcslen(w) + 1) * sizeof *w);
    free(w);
}

static int
cell_width(wchar_t c)
{
    int n = wcwidth(c);

    return n < 0 ? 1 : n;
}

int
draw_width(const char *s)
{
    wchar_t *w = widen(s);
    int n = 0;

    for (size_t i = 0; w != NULL && w[i] != L'\0'; i++)
        n += cell_width(w[i]);
    unwiden(w);
    return n;
}

int
draw_text(WINDOW *win, int y, int x, int width, const char *s, attr_t a)
{
    wchar_t *w = widen(s), ell = L'~';
    int used = 0, total = 0;
    size_t i;

    if (w == NULL || width <= 0) {
        unwiden(w);
        return 0;
    }
    for (i = 0; w[i] != L'\0'; i++)
        total += cell_width(w[i]);
    if (wcwidth(0x2026) == 1)
        ell = 0x2026;
    wattrset(win, (int)a);
    wmove(win, y, x);
    for (i = 0; w[i] != L'\0'; i++) {
        int cw = cell_width(w[i]);
        wchar_t one[2] = {wcwidth(w[i]) < 0 ? L'?' : w[i], L'\0'};

        if (total > width && used + cw > width - 1) {
            waddnwstr(win, &ell, 1);
            used++;
            break;
        }
        if (used + cw > width)
            break;
        waddnwstr(win, one, 1);
        used += cw;
    }
    wattrset(win, A_NORMAL);
    unwiden(w);
    return used;
}

void
draw_header(const struct ui *ui)
{
    int prod = ui->cfg->env == ENV_PROD, x;
    attr_t bar = theme_attr(prod ? UI_HEADER_PROD : UI_HEADER);
    char badge[16];

    move(0, 0);
    bkgdset(' ' | bar);
    clrtoeol();
    bkgdset(' ');
    x = 1 + draw_text(stdscr, 0, 1, COLS - 2, "boxlogin", bar | A_BOLD) + 2;
    snprintf(badge, sizeof badge, " %s ", config_env_badge(ui->cfg->env));
    x += draw_text(stdscr, 0, x, COLS - x, badge,
                   theme_attr(prod ? UI_ENV_PROD : UI_ENV_TEST));
    x += 2;
    draw_text(stdscr, 0, x, COLS - x - 1, ui->host, bar);
}

void
draw_footer(const char *const *keys)
{
    int x = 1;

    move(LINES - 1, 0);
    clrtoeol();
    for (int i = 0; keys[i] != NULL && keys[i + 1] != NULL && x < COLS - 1; i += 2) {
        x += draw_text(stdscr, LINES - 1, x, COLS - x - 1, keys[i], theme_attr(UI_KEY)) +
             1;
        x += draw_text(stdscr, LINES - 1, x, COLS - x - 1, keys[i + 1],
                       theme_attr(UI_HINT));
        x += 2;
    }
}

void
draw_status(const char *text, enum ui_meaning m)
{
    move(LINES - 2, 0);
    clrtoeol();
    draw_text(stdscr, LINES - 2, 2, COLS - 4, text, theme_attr(m));
}
