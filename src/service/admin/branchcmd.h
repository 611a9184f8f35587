/* "balied branch ...": the branches of a library and their closed days, from
 * the administrator's terminal. Without a branch nobody can log in. */
#ifndef BALIED_BRANCHCMD_H
#define BALIED_BRANCHCMD_H

#include "service/admin/admin.h"

/* "branch add|close|open|list", a row of admin_commands (admin.h). */
extern const struct admin_cmd branchcmd_entry;

#endif
