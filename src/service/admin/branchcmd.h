/* "balied branch ...": the branches of a library and their closed days, from
 * the administrator's terminal. Without a branch nobody can log in. */
#ifndef BALIED_BRANCHCMD_H
#define BALIED_BRANCHCMD_H

#include "service/store/store.h"

/*
 * Runs "branch add|close|open|list" with argv[0] == "branch". Returns the
 * exit status: 0 done, 1 failed, 2 bad usage.
 */
int branchcmd_main(struct store *store, int argc, char **argv);

#endif
