#include "service/admin/permissioncmd.h"

#include "core/i18n.h"
#include "service/domain/permission.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int change(struct store *store, bool grant, const char *username, const char *name)
{
	unsigned permission = permission_from_name(name);
	if (!permission) {
		fprintf(stderr, _("balied: unknown permission \"%s\"\n"), name);
		admin_usage(&permissioncmd_entry, stderr);
		return 2;
	}
	enum permission_change_status s =
		permission_change(store, username, permission, grant, time(NULL));
	if (s == PERMISSION_NO_ACCOUNT) {
		fprintf(stderr, _("balied: no account \"%s\"\n"), username);
		return 1;
	}
	if (s != PERMISSION_CHANGED) {
		fprintf(stderr, "%s\n", _("balied: the database could not be changed"));
		return 1;
	}
	return 0;
}

static void print_permission(void *ctx, const char *username, const char *permission)
{
	(void)ctx;
	printf("%s %s\n", username, permission);
}

static int list(struct store *store)
{
	return permission_each(store, print_permission, NULL) ? 0 : 1;
}

static int permissioncmd_run(const struct admin_ctx *ctx, int argc, char **argv)
{
	struct store *store = ctx->store;
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return list(store);
	if (argc == 4 && (strcmp(argv[1], "grant") == 0 || strcmp(argv[1], "revoke") == 0))
		return change(store, argv[1][0] == 'g', argv[2], argv[3]);
	admin_usage(&permissioncmd_entry, stderr);
	return 2;
}

const struct admin_cmd permissioncmd_entry = {
	.name = "permission",
	.usage = N_("Usage: balied [--db PATH | --config FILE] permission grant|revoke USER PERMISSION\n"
		   "       balied [--db PATH | --config FILE] permission list\n"
		   "PERMISSION is override (lending despite a block, with a reason) or offline\n"
		   "(replaying a desk's offline journal).\n"),
	.run = permissioncmd_run,
};
