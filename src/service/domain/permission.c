#include "service/domain/permission.h"

#include "service/domain/audit.h"
#include "core/log.h"

#include <string.h>

static const struct {
	unsigned bit;
	const char *name;
} names[] = {
	{ PERMISSION_OVERRIDE, "override" },
	{ PERMISSION_OFFLINE, "offline" },
	{ PERMISSION_WAIVE, "waive" },
	{ PERMISSION_BLOCK, "block" },
	{ PERMISSION_DUE_DATE, "due_date" },
	{ PERMISSION_BACKDATE, "backdate" },
	{ PERMISSION_AMNESTY, "amnesty" },
};

#define N_NAMES (sizeof names / sizeof names[0])

unsigned permission_from_name(const char *name)
{
	for (size_t i = 0; i < N_NAMES; i++)
		if (name && strcmp(names[i].name, name) == 0)
			return names[i].bit;
	return 0;
}

unsigned permission_of(struct store *store, long long staff_id)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT permission FROM staff_permissions WHERE staff_id = ?");
	db_bind_int64(st, 1, staff_id);
	unsigned mask = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		mask |= permission_from_name(db_column_text(st, 0));
	if (rc != DB_DONE)
		log_error("database: reading permissions: %s", store_errmsg(store));
	store_done(st);
	return mask;
}

cJSON *permission_json(unsigned permissions)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < N_NAMES; i++)
		if (permissions & names[i].bit)
			cJSON_AddItemToArray(arr, cJSON_CreateString(names[i].name));
	return arr;
}

bool permission_grant(struct store *store, long long staff_id, unsigned permission)
{
	bool ok = true;
	for (size_t i = 0; ok && i < N_NAMES; i++) {
		if (!(permission & names[i].bit))
			continue;
		struct db_stmt *st = store_stmt(store,
			"INSERT INTO staff_permissions (staff_id, permission) VALUES (?, ?)"
			" ON CONFLICT DO NOTHING");
		db_bind_int64(st, 1, staff_id);
		db_bind_text(st, 2, names[i].name, -1);
		ok = db_step(st) == DB_DONE;
		if (!ok)
			log_error("database: granting a permission: %s",
				  store_errmsg(store));
		store_done(st);
	}
	return ok;
}

static const char *permission_name(unsigned permission)
{
	for (size_t i = 0; i < N_NAMES; i++)
		if (names[i].bit == permission)
			return names[i].name;
	return NULL;
}

/* The id of an account, 0 when there is none. */
static long long staff_id_of(struct store *store, const char *username)
{
	struct db_stmt *st = store_stmt(store, "SELECT id FROM staff WHERE username = ?");
	db_bind_text(st, 1, username, -1);
	long long id = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
	store_done(st);
	return id;
}

static bool revoke(struct store *store, long long id, const char *name)
{
	struct db_stmt *st = store_stmt(store, "DELETE FROM staff_permissions"
					     " WHERE staff_id = ? AND permission = ?");
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, name, -1);
	bool ok = db_step(st) == DB_DONE;
	store_done(st);
	return ok;
}

enum permission_change_status permission_change(struct store *store, const char *username,
						unsigned permission, bool grant, time_t now)
{
	const char *name = permission_name(permission);
	long long id = staff_id_of(store, username);
	if (!id)
		return PERMISSION_NO_ACCOUNT;
	bool ok = name && store_begin(store) &&
		  (grant ? permission_grant(store, id, permission) : revoke(store, id, name)) &&
		  audit_add(store, NULL, now, grant ? "permission_grant" : "permission_revoke",
			    username, NULL, name) &&
		  store_commit(store);
	store_rollback(store);
	return ok ? PERMISSION_CHANGED : PERMISSION_STORE_FAILED;
}

bool permission_each(struct store *store, permission_fn fn, void *ctx)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT s.username, p.permission FROM staff_permissions p"
		" JOIN staff s ON s.id = p.staff_id ORDER BY s.username, p.permission");
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		fn(ctx, db_column_text(st, 0),
		   db_column_text(st, 1));
	store_done(st);
	return rc == DB_DONE;
}
