#include "service/admin/admin.h"

#include "core/i18n.h"
#include "service/admin/backupcmd.h"
#include "service/admin/branchcmd.h"
#include "service/admin/idocmd.h"
#include "service/admin/itemcmd.h"
#include "service/admin/membercmd.h"
#include "service/admin/permissioncmd.h"
#include "service/admin/holdcmd.h"
#include "service/admin/patroncmd.h"
#include "service/admin/usercmd.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const struct admin_cmd *const admin_commands[] = {
	&usercmd_entry,
	&branchcmd_entry,
	&permissioncmd_entry,
	&idocmd_entry,
	&membercmd_entry,
	&holdcmd_entry,
	&patroncmd_entry,
	&itemcmd_entry,
	&backupcmd_entry,
	&restorecmd_entry,
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

int admin_date_option(const struct admin_cmd *cmd, int argc, char **argv, struct civil_date *day)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	*day = date_today();
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!date_parse_iso(optarg, day)) {
				fprintf(stderr, _("balied: --date: \"%s\" is not a date YYYY-MM-DD\n"),
					optarg);
				return 2;
			}
			break;
		case 'h':
			admin_usage(cmd, stdout);
			return 0;
		default:
			admin_usage(cmd, stderr);
			return 2;
		}
	}
	if (optind != argc) {
		admin_usage(cmd, stderr);
		return 2;
	}
	return -1;
}
