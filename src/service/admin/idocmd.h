/* "balied ido-catalog ...": a library changes the pick lists of the IDO
 * question log from the administrator's terminal. A retired entry stays in
 * the old questions and the statistics but cannot be chosen any more. */
#ifndef BALIED_IDOCMD_H
#define BALIED_IDOCMD_H

#include "service/store/store.h"

/*
 * Runs "ido-catalog list [LIST] | add LIST CODE LABEL | retire LIST CODE |
 * restore LIST CODE" with argv[0] == "ido-catalog". Returns the exit status:
 * 0 done, 1 failed, 2 bad usage.
 */
int idocmd_main(struct store *store, int argc, char **argv);

#endif
