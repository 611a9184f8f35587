/* "balied backup --to FILE" and "balied restore --from FILE [--force]"
 * (store/backup.h): rows of the command table that open the database
 * themselves. */
#ifndef BALIED_BACKUPCMD_H
#define BALIED_BACKUPCMD_H

#include "service/admin/admin.h"

extern const struct admin_cmd backupcmd_entry;
extern const struct admin_cmd restorecmd_entry;

#endif
