#include "service/admin/admin.h"

#include "core/i18n.h"
#include "service/admin/branchcmd.h"
#include "service/admin/idocmd.h"
#include "service/admin/membercmd.h"
#include "service/admin/permissioncmd.h"
#include "service/admin/usercmd.h"

#include <string.h>

const struct admin_cmd *const admin_commands[] = {
	&usercmd_entry,
	&branchcmd_entry,
	&permissioncmd_entry,
	&idocmd_entry,
	&membercmd_entry,
	NULL,
};

const struct admin_cmd *admin_find(const char *name)
{
	for (size_t i = 0; name && admin_commands[i]; i++)
		if (strcmp(admin_commands[i]->name, name) == 0)
			return admin_commands[i];
	return NULL;
}

void admin_usage(const struct admin_cmd *cmd, FILE *out)
{
	fprintf(out, "%s", _(cmd->usage));
}
