/* The desk's one event loop: it waits on the terminal, a self-pipe for
 * signals and libcurl's multi handle (api_wait), moves the network on
 * (api_dispatch), reads every key that is waiting, runs the timers (the Esc
 * prefix, the idle lock, the clock) and redraws. Nothing in it waits for the
 * network. */
#ifndef BALIE_APP_H
#define BALIE_APP_H

#include "ui/app_setup.h"

#include <stdbool.h>

/*
 * Runs the desk until the user quits or a SIGTERM, SIGHUP or SIGINT arrives;
 * the terminal is restored before it returns. Returns false and sets *err
 * (allocated) when the terminal could not be used.
 */
bool app_run(const struct app_setup *setup, char **err);

#endif
