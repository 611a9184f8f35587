#include "service/domain/permission.h"

#include "core/log.h"

#include <string.h>

static const struct {
	unsigned bit;
	const char *name;
} names[] = {
	{ PERMISSION_OVERRIDE, "override" },
	{ PERMISSION_OFFLINE, "offline" },
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
	sqlite3_stmt *st = store_stmt(store,
		"SELECT permission FROM staff_permissions WHERE staff_id = ?");
	sqlite3_bind_int64(st, 1, staff_id);
	unsigned mask = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		mask |= permission_from_name((const char *)sqlite3_column_text(st, 0));
	if (rc != SQLITE_DONE)
		log_error("database: reading permissions: %s", sqlite3_errmsg(store_db(store)));
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
		sqlite3_stmt *st = store_stmt(store,
			"INSERT OR IGNORE INTO staff_permissions (staff_id, permission) VALUES (?, ?)");
		sqlite3_bind_int64(st, 1, staff_id);
		sqlite3_bind_text(st, 2, names[i].name, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
		if (!ok)
			log_error("database: granting a permission: %s",
				  sqlite3_errmsg(store_db(store)));
		store_done(st);
	}
	return ok;
}
