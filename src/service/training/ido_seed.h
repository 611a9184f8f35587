/* Demo questions of the IDO log for a training database: a few dozen over
 * the three months before this one, in every branch, so that the
 * statistics and the export have something to show for a longer period
 * while this month starts empty for the trainee's own questions. */
#ifndef BALIED_IDO_SEED_H
#define BALIED_IDO_SEED_H

#include "service/store/store.h"

#include <stdbool.h>
#include <time.h>

enum { IDO_SEED_QUESTIONS = 60 };

/* Adds them in the caller's transaction; false (logged) on failure. */
bool ido_seed_training(struct store *store, time_t now);

#endif
