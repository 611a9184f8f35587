/* "balied user ...": staff accounts from the administrator's terminal. */
#ifndef BALIED_USERCMD_H
#define BALIED_USERCMD_H

#include "service/store/store.h"

/*
 * Runs "user add|disable|enable|list" with argv[0] == "user". Messages go to
 * stdout and stderr in the administrator's language. Returns the exit status:
 * 0 done, 1 failed, 2 bad usage.
 */
int usercmd_main(struct store *store, int argc, char **argv);

#endif
