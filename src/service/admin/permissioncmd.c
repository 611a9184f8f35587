#include "service/admin/permissioncmd.h"

#include "service/domain/audit.h"
#include "core/i18n.h"
#include "service/domain/permission.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void usage_permission(FILE *out)
{
	fprintf(out, "%s",
		_("Usage: balied [--db PATH | --config FILE] permission grant|revoke USER PERMISSION\n"
		  "       balied [--db PATH | --config FILE] permission list\n"
		  "PERMISSION is override (lending despite a block, with a reason) or offline\n"
		  "(replaying a desk's offline journal).\n"));
}

/* The id of an account, 0 when there is none. */
static long long staff_id_of(struct store *store, const char *username)
{
	sqlite3_stmt *st = store_stmt(store, "SELECT id FROM staff WHERE username = ?");
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	long long id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	store_done(st);
	return id;
}

static bool revoke(struct store *store, long long id, const char *name)
{
	sqlite3_stmt *st = store_stmt(store, "DELETE FROM staff_permissions"
					     " WHERE staff_id = ? AND permission = ?");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	bool ok = sqlite3_step(st) == SQLITE_DONE;
	store_done(st);
	return ok;
}

static int change(struct store *store, bool grant, const char *username, const char *name)
{
	unsigned permission = permission_from_name(name);
	if (!permission) {
		fprintf(stderr, _("balied: unknown permission \"%s\"\n"), name);
		usage_permission(stderr);
		return 2;
	}
	long long id = staff_id_of(store, username);
	if (!id) {
		fprintf(stderr, _("balied: no account \"%s\"\n"), username);
		return 1;
	}
	bool ok = store_begin(store) &&
		  (grant ? permission_grant(store, id, permission) : revoke(store, id, name)) &&
		  audit_add(store, NULL, time(NULL), grant ? "permission_grant" : "permission_revoke",
			    username, NULL, name) &&
		  store_commit(store);
	store_rollback(store);
	if (!ok) {
		fprintf(stderr, "%s\n", _("balied: the database could not be changed"));
		return 1;
	}
	return 0;
}

static int list(struct store *store)
{
	sqlite3_stmt *st = store_stmt(store,
		"SELECT s.username, p.permission FROM staff_permissions p"
		" JOIN staff s ON s.id = p.staff_id ORDER BY s.username, p.permission");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		printf("%s %s\n", (const char *)sqlite3_column_text(st, 0),
		       (const char *)sqlite3_column_text(st, 1));
	store_done(st);
	return rc == SQLITE_DONE ? 0 : 1;
}

int permissioncmd_main(struct store *store, int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return list(store);
	if (argc == 4 && (strcmp(argv[1], "grant") == 0 || strcmp(argv[1], "revoke") == 0))
		return change(store, argv[1][0] == 'g', argv[2], argv[3]);
	usage_permission(stderr);
	return 2;
}
