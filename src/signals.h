/* The signals that end or cancel what boxlogin is doing. */
#ifndef BOXLOGIN_SIGNALS_H
#define BOXLOGIN_SIGNALS_H

#include <signal.h>

/*
 * Installs handler for every signal that would end the process from outside
 * (SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF,
 * SIGXCPU, SIGXFSZ, SIGIO, SIGPWR), without SA_RESTART so that a blocking read
 * or poll returns EINTR: they all end boxlogin through its own way out, which
 * wipes secrets and restores the terminal. Call it before newterm: ncurses then
 * leaves these signals to us.
 */
void signals_catch(void (*handler)(int));

/* Fills set with the signals signals_catch handles. */
void signals_fill(sigset_t *set);

#endif
