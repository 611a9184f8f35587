/* "balied user ...": staff accounts from the administrator's terminal. */
#ifndef BALIED_USERCMD_H
#define BALIED_USERCMD_H

#include "service/admin/admin.h"

/* "user add|disable|enable|list", a row of admin_commands (admin.h). */
extern const struct admin_cmd usercmd_entry;

#endif
