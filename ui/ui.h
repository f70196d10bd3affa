/* The interactive terminal UI. */
#ifndef BOXLOGIN_UI_H
#define BOXLOGIN_UI_H

#include "../src/cli.h"

/* Runs the UI until the user leaves; restores the terminal; returns the exit status. */
int ui_main(const struct cli *cli);

#endif
