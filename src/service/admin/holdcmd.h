/* "balied holds expire": the daily clearing of the hold shelf, run from cron
 * or a systemd timer (balied(8)). */
#ifndef BALIED_HOLDCMD_H
#define BALIED_HOLDCMD_H

#include "service/admin/admin.h"

/* "holds expire [--date YYYY-MM-DD]", a row of admin_commands (admin.h):
 * expires the ready holds whose last day to fetch them is before the date
 * (default: today in balied's time zone) and sends each copy to the next
 * hold or back; 0 also when there was nothing to do. */
extern const struct admin_cmd holdcmd_entry;

#endif
