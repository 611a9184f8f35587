/* "balied memberships age-out": the 18th-birthday rule of the youth
 * membership, run daily from cron or a systemd timer (balied(8)). */
#ifndef BALIED_MEMBERCMD_H
#define BALIED_MEMBERCMD_H

#include "service/admin/admin.h"

/* "memberships age-out [--date YYYY-MM-DD]", a row of admin_commands
 * (admin.h): applies the rules' youth_at_18 as of the date (default: today
 * in balied's time zone); 0 also when there was nothing to do. */
extern const struct admin_cmd membercmd_entry;

#endif
