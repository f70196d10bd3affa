#include "theme.h"

#include <stdlib.h>

/* One row a meaning: colours where there are colours, and what stands in for them. */
static const struct {
    short fg, bg;
    attr_t with_color, without_color;
} table[UI_MEANINGS] = {
    [UI_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [UI_TITLE] = {-1, -1, A_BOLD, A_BOLD},
    [UI_HEADER] = {COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE},
    [UI_HEADER_PROD] = {COLOR_YELLOW, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
    [UI_ENV_TEST] = {COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD},
    [UI_ENV_PROD] = {COLOR_WHITE, COLOR_RED, A_BOLD | A_BLINK, A_BOLD | A_BLINK},
    [UI_GOOD] = {COLOR_BLACK, COLOR_GREEN, A_BOLD, A_BOLD},
    [UI_BAD] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
    [UI_INFO] = {COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD | A_UNDERLINE},
    [UI_PLAIN] = {-1, -1, A_NORMAL, A_NORMAL},
    [UI_UNKNOWN] = {COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_UNDERLINE},
    [UI_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [UI_NOTICE] = {COLOR_CYAN, -1, A_NORMAL, A_NORMAL},
    [UI_HINT] = {-1, -1, A_DIM, A_DIM},
    [UI_KEY] = {-1, -1, A_BOLD, A_BOLD},
    [UI_FIELD] = {-1, -1, A_UNDERLINE, A_UNDERLINE},
};

static int colors;

void
theme_init(void)
{
    const char *no_color = getenv("NO_COLOR");

    colors = (no_color == NULL || no_color[0] == '\0') && has_colors() &&
             start_color() == OK && COLOR_PAIRS > UI_MEANINGS;
    if (!colors)
        return;
    use_default_colors();
    for (int m = 1; m < UI_MEANINGS; m++)
        init_pair((short)m, table[m].fg, table[m].bg);
}

attr_t
theme_attr(enum ui_meaning m)
{
    if (!colors)
        return table[m].without_color;
    return table[m].with_color | (m != UI_NORMAL ? COLOR_PAIR(m) : 0);
}
