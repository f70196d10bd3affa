/* The signals that end or cancel what boxlogin is doing. */
#ifndef BOXLOGIN_SIGNALS_H
#define BOXLOGIN_SIGNALS_H

/*
 * Installs handler for SIGINT, SIGTERM and SIGHUP, without SA_RESTART so that
 * a blocking read or poll returns EINTR. Call it before newterm: ncurses then
 * leaves these signals to us.
 */
void signals_catch(void (*handler)(int));

#endif
