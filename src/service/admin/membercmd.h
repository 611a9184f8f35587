/* "balied memberships age-out": the 18th-birthday rule of the youth
 * membership, run daily from cron or a systemd timer (balied(8)). */
#ifndef BALIED_MEMBERCMD_H
#define BALIED_MEMBERCMD_H

#include "service/domain/rules.h"
#include "service/store/store.h"

/*
 * Runs "memberships age-out [--date YYYY-MM-DD]" with argv[0] ==
 * "memberships", applying rules->youth_at_18 as of the date (default: today
 * in balied's time zone). Returns the exit status: 0 done (also when there
 * was nothing to do), 1 failed, 2 bad usage.
 */
int membercmd_main(struct store *store, const struct rules *rules, int argc, char **argv);

#endif
