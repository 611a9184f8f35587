/* "balied patrons erase CARD" and "balied patrons retention": erasing a
 * patron's data on request, and the daily retention rule (balied(8),
 * domain/erasure.h). */
#ifndef BALIED_PATRONCMD_H
#define BALIED_PATRONCMD_H

#include "service/admin/admin.h"

/* "patrons erase CARD": erases the patron (refused with loans or an open
 * balance, exit status 1); "patrons retention [--date YYYY-MM-DD]": erases
 * every patron whose membership ended more than retention_months before the
 * date (default today) and prints how many, and how many were kept for
 * loans or a balance. Safe while balied runs: a transaction per patron. */
extern const struct admin_cmd patroncmd_entry;

#endif
