/* "balied permission ...": granting and revoking the permissions of staff
 * accounts (permission.h), such as "override", from the command line. */
#ifndef BALIED_PERMISSIONCMD_H
#define BALIED_PERMISSIONCMD_H

#include "service/admin/admin.h"

/* "permission grant|revoke USER PERMISSION" and "permission list", a row
 * of admin_commands (admin.h). */
extern const struct admin_cmd permissioncmd_entry;

#endif
