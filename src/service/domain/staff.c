#include "service/domain/staff.h"

#include "service/domain/auth.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const role_names[] = { "balie", "ido", "beheer", "kiosk" };
enum { N_ROLES = sizeof role_names / sizeof role_names[0] };

unsigned staff_role_from_name(const char *name)
{
	for (unsigned i = 0; i < N_ROLES; i++)
		if (strcmp(name, role_names[i]) == 0)
			return 1u << i;
	return 0;
}

cJSON *staff_roles_json(unsigned roles)
{
	cJSON *arr = cJSON_CreateArray();
	for (unsigned i = 0; i < N_ROLES; i++)
		if (roles & (1u << i))
			cJSON_AddItemToArray(arr, cJSON_CreateString(role_names[i]));
	return arr;
}

unsigned staff_roles_from_list(const char *list)
{
	unsigned roles = 0;
	char *copy = xstrdup(list ? list : "");
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		roles |= staff_role_from_name(tok);
	free(copy);
	return roles;
}

bool staff_username_ok(const char *u)
{
	size_t len = u ? strlen(u) : 0;
	if (len < 1 || len > 64)
		return false;
	for (; *u; u++)
		if (!((*u >= 'a' && *u <= 'z') || (*u >= '0' && *u <= '9') || *u == '.' ||
		      *u == '_' || *u == '-'))
			return false;
	return true;
}

enum staff_problem staff_check(const struct staff_fields *f)
{
	if (!staff_username_ok(f->username))
		return STAFF_BAD_USERNAME;
	if (!f->name || !*f->name || strlen(f->name) > 200)
		return STAFF_BAD_NAME;
	if (!f->hash && (!f->password || strlen(f->password) < STAFF_PASSWORD_MIN ||
			 strlen(f->password) > AUTH_PASSWORD_MAX))
		return STAFF_BAD_PASSWORD;
	if (!f->roles)
		return STAFF_NO_ROLES;
	return STAFF_OK;
}

const char *staff_problem_field(enum staff_problem p)
{
	switch (p) {
	case STAFF_BAD_USERNAME:
	case STAFF_USERNAME_TAKEN:
		return "username";
	case STAFF_BAD_NAME:
		return "name";
	case STAFF_BAD_PASSWORD:
		return "password";
	case STAFF_NO_ROLES:
		return "roles";
	case STAFF_UNKNOWN_BRANCH:
		return "branch";
	default:
		return "";
	}
}

const char *staff_problem_reason(enum staff_problem p)
{
	switch (p) {
	case STAFF_BAD_USERNAME:
		return "format";
	case STAFF_USERNAME_TAKEN:
		return "taken";
	case STAFF_BAD_NAME:
		return "missing";
	case STAFF_BAD_PASSWORD:
		return "too_short";
	case STAFF_NO_ROLES:
		return "missing";
	case STAFF_UNKNOWN_BRANCH:
		return "unknown";
	default:
		return "";
	}
}

bool staff_branch_exists(struct store *store, const char *code)
{
	sqlite3_stmt *st = store_stmt(store, "SELECT 1 FROM branches WHERE code = ?");
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	store_done(st);
	return found;
}

static bool username_taken(struct store *store, const char *username)
{
	sqlite3_stmt *st = store_stmt(store, "SELECT 1 FROM staff WHERE username = ?");
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	store_done(st);
	return found;
}

static bool insert_roles(struct store *store, long long id, unsigned roles)
{
	sqlite3_stmt *st = store_stmt(store, "INSERT INTO staff_roles (staff_id, role) VALUES (?, ?)");
	bool ok = true;
	for (unsigned i = 0; ok && i < N_ROLES; i++) {
		if (!(roles & (1u << i)))
			continue;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, role_names[i], -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_reset(st);
	}
	store_done(st);
	return ok;
}

enum staff_problem staff_add(struct store *store, const struct staff_fields *f, long long *id)
{
	enum staff_problem p = staff_check(f);
	if (p != STAFF_OK)
		return p;
	if (f->branch && !staff_branch_exists(store, f->branch))
		return STAFF_UNKNOWN_BRANCH;
	if (username_taken(store, f->username))
		return STAFF_USERNAME_TAKEN;
	char hash[AUTH_HASH_LEN];
	if (f->hash) {
		snprintf(hash, sizeof hash, "%s", f->hash);
	} else if (!auth_password_hash(f->password, hash)) {
		log_error("cannot hash a password: out of memory");
		return STAFF_STORE_FAILED;
	}
	sqlite3_stmt *st = store_stmt(store,
		"INSERT INTO staff (username, name, password_hash, branch_code, created_at)"
		" VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, f->username, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	if (f->branch)
		sqlite3_bind_text(st, 4, f->branch, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
	bool ok = sqlite3_step(st) == SQLITE_DONE;
	store_done(st);
	if (ok) {
		*id = (long long)sqlite3_last_insert_rowid(store_db(store));
		ok = insert_roles(store, *id, f->roles);
	}
	if (!ok) {
		log_error("database: adding a staff account: %s", sqlite3_errmsg(store_db(store)));
		return STAFF_STORE_FAILED;
	}
	return STAFF_OK;
}

bool staff_set_disabled(struct store *store, const char *username, bool disabled, bool *found)
{
	sqlite3_stmt *st = store_stmt(store, "UPDATE staff SET disabled = ? WHERE username = ?");
	sqlite3_bind_int(st, 1, disabled);
	sqlite3_bind_text(st, 2, username, -1, SQLITE_STATIC);
	bool ok = sqlite3_step(st) == SQLITE_DONE;
	*found = ok && sqlite3_changes(store_db(store)) > 0;
	store_done(st);
	if (ok && disabled && *found) {
		st = store_stmt(store, "DELETE FROM sessions WHERE staff_id ="
				       " (SELECT id FROM staff WHERE username = ?)");
		sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
		store_done(st);
	}
	if (!ok)
		log_error("database: changing a staff account: %s", sqlite3_errmsg(store_db(store)));
	return ok;
}

static char *column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *text = sqlite3_column_text(st, col);
	return text ? xstrdup((const char *)text) : NULL;
}

bool staff_find_login(struct store *store, const char *username, struct staff_login *out)
{
	sqlite3_stmt *st = store_stmt(store,
		"SELECT id, name, password_hash, branch_code, disabled,"
		" (SELECT group_concat(role) FROM staff_roles WHERE staff_id = staff.id)"
		" FROM staff WHERE username = ?");
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	memset(out, 0, sizeof *out);
	if (found) {
		out->id = sqlite3_column_int64(st, 0);
		out->name = column_dup(st, 1);
		out->hash = column_dup(st, 2);
		out->branch = column_dup(st, 3);
		out->disabled = sqlite3_column_int(st, 4) != 0;
		out->roles = staff_roles_from_list((const char *)sqlite3_column_text(st, 5));
	}
	store_done(st);
	return found;
}

bool staff_set_hash(struct store *store, long long id, const char *hash)
{
	sqlite3_stmt *st = store_stmt(store, "UPDATE staff SET password_hash = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	bool ok = sqlite3_step(st) == SQLITE_DONE;
	if (!ok)
		log_error("database: storing a new password hash: %s",
			  sqlite3_errmsg(store_db(store)));
	store_done(st);
	return ok;
}

void staff_login_clear(struct staff_login *l)
{
	free(l->name);
	free(l->hash);
	free(l->branch);
	memset(l, 0, sizeof *l);
}

bool staff_list(struct store *store, staff_each_fn fn, void *ctx)
{
	sqlite3_stmt *st = store_stmt(store,
		"SELECT username, name, branch_code, disabled,"
		" (SELECT group_concat(role) FROM staff_roles WHERE staff_id = staff.id)"
		" FROM staff ORDER BY username");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(ctx, (const char *)sqlite3_column_text(st, 0),
		   (const char *)sqlite3_column_text(st, 1),
		   (const char *)sqlite3_column_text(st, 2),
		   staff_roles_from_list((const char *)sqlite3_column_text(st, 4)),
		   sqlite3_column_int(st, 3) != 0);
	store_done(st);
	return rc == SQLITE_DONE;
}
