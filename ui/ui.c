#include "ui.h"

#include <stdio.h>

int
ui_main(const struct cli *cli)
{
    (void)cli;
    fprintf(stderr, "boxlogin: the terminal UI is not built yet; use 'boxlogin login'\n");
    return 2;
}
