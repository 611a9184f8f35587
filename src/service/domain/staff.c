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
	struct db_stmt *st = store_stmt(store, "SELECT 1 FROM branches WHERE code = ?");
	db_bind_text(st, 1, code, -1);
	bool found = db_step(st) == DB_ROW;
	store_done(st);
	return found;
}

static bool username_taken(struct store *store, const char *username)
{
	struct db_stmt *st = store_stmt(store, "SELECT 1 FROM staff WHERE username = ?");
	db_bind_text(st, 1, username, -1);
	bool found = db_step(st) == DB_ROW;
	store_done(st);
	return found;
}

static bool insert_roles(struct store *store, long long id, unsigned roles)
{
	struct db_stmt *st = store_stmt(store, "INSERT INTO staff_roles (staff_id, role) VALUES (?, ?)");
	bool ok = true;
	for (unsigned i = 0; ok && i < N_ROLES; i++) {
		if (!(roles & (1u << i)))
			continue;
		db_bind_int64(st, 1, id);
		db_bind_text(st, 2, role_names[i], -1);
		ok = db_step(st) == DB_DONE;
		store_done(st);
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
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO staff (username, name, password_hash, branch_code, created_at)"
		" VALUES (?, ?, ?, ?, ?)");
	db_bind_text(st, 1, f->username, -1);
	db_bind_text(st, 2, f->name, -1);
	db_bind_text(st, 3, hash, -1);
	if (f->branch)
		db_bind_text(st, 4, f->branch, -1);
	db_bind_int64(st, 5, (long long)time(NULL));
	bool ok = db_step(st) == DB_DONE;
	store_done(st);
	if (ok) {
		*id = (long long)store_last_id(store);
		ok = insert_roles(store, *id, f->roles);
	}
	if (!ok) {
		log_error("database: adding a staff account: %s", store_errmsg(store));
		return STAFF_STORE_FAILED;
	}
	return STAFF_OK;
}

bool staff_set_disabled(struct store *store, const char *username, bool disabled, bool *found)
{
	struct db_stmt *st = store_stmt(store, "UPDATE staff SET disabled = ? WHERE username = ?");
	db_bind_int64(st, 1, disabled);
	db_bind_text(st, 2, username, -1);
	bool ok = db_step(st) == DB_DONE;
	*found = ok && store_changes(store) > 0;
	store_done(st);
	if (ok && disabled && *found) {
		st = store_stmt(store, "DELETE FROM sessions WHERE staff_id ="
				       " (SELECT id FROM staff WHERE username = ?)");
		db_bind_text(st, 1, username, -1);
		ok = db_step(st) == DB_DONE;
		store_done(st);
	}
	if (!ok)
		log_error("database: changing a staff account: %s", store_errmsg(store));
	return ok;
}

bool staff_find_login(struct store *store, const char *username, struct staff_login *out)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT id, name, password_hash, branch_code, disabled,"
		" (SELECT group_concat(role) FROM staff_roles WHERE staff_id = staff.id)"
		" FROM staff WHERE username = ?");
	db_bind_text(st, 1, username, -1);
	bool found = db_step(st) == DB_ROW;
	memset(out, 0, sizeof *out);
	if (found) {
		out->id = db_column_int64(st, 0);
		out->name = db_column_dup(st, 1);
		out->hash = db_column_dup(st, 2);
		out->branch = db_column_dup(st, 3);
		out->disabled = db_column_int(st, 4) != 0;
		out->roles = staff_roles_from_list(db_column_text(st, 5));
	}
	store_done(st);
	return found;
}

bool staff_set_hash(struct store *store, long long id, const char *hash)
{
	struct db_stmt *st = store_stmt(store, "UPDATE staff SET password_hash = ? WHERE id = ?");
	db_bind_text(st, 1, hash, -1);
	db_bind_int64(st, 2, id);
	bool ok = db_step(st) == DB_DONE;
	if (!ok)
		log_error("database: storing a new password hash: %s",
			  store_errmsg(store));
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
	struct db_stmt *st = store_stmt(store,
		"SELECT username, name, branch_code, disabled,"
		" (SELECT group_concat(role) FROM staff_roles WHERE staff_id = staff.id)"
		" FROM staff ORDER BY username");
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		fn(ctx, db_column_text(st, 0),
		   db_column_text(st, 1),
		   db_column_text(st, 2),
		   staff_roles_from_list(db_column_text(st, 4)),
		   db_column_int(st, 3) != 0);
	store_done(st);
	return rc == DB_DONE;
}
