#include "service/domain/audit.h"

#include "core/jsonx.h"
#include "core/log.h"

#include <stdlib.h>

bool audit_add(struct store *store, const struct session *who, time_t at, const char *action,
	       const char *subject, const char *reason, const char *details)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO audit_log (at, staff_id, branch_code, terminal, action, subject,"
		" reason, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	db_bind_int64(st, 1, (long long)at);
	if (who) {
		db_bind_int64(st, 2, who->staff_id);
		db_bind_text(st, 3, who->branch, -1);
		db_bind_text(st, 4, who->terminal, -1);
	} else {
		db_bind_text(st, 4, "balied", -1);
	}
	db_bind_text(st, 5, action, -1);
	db_bind_text(st, 6, subject, -1);
	db_bind_text(st, 7, reason, -1);
	db_bind_text(st, 8, details, -1);
	bool ok = db_step(st) == DB_DONE;
	if (!ok)
		log_error("database: writing the audit log: %s", store_errmsg(store));
	store_done(st);
	return ok;
}

bool audit_add_login(struct store *store, long long staff_id, const char *branch,
		     const char *terminal, const char *address, time_t at, const char *action,
		     const char *subject, const char *reason)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "address", address ? address : "");
	char *details = cJSON_PrintUnformatted(d);
	cJSON_Delete(d);
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO audit_log (at, staff_id, branch_code, terminal, action, subject,"
		" reason, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	db_bind_int64(st, 1, (long long)at);
	if (staff_id > 0)
		db_bind_int64(st, 2, staff_id);
	db_bind_text(st, 3, branch, -1);
	db_bind_text(st, 4, terminal, -1);
	db_bind_text(st, 5, action, -1);
	db_bind_text(st, 6, subject, -1);
	db_bind_text(st, 7, reason, -1);
	db_bind_text(st, 8, details, -1);
	bool ok = db_step(st) == DB_DONE;
	if (!ok)
		log_error("database: writing the audit log: %s", store_errmsg(store));
	store_done(st);
	free(details);
	return ok;
}

enum audit_found audit_session_covers(struct store *store, long long staff_id,
				      const char *terminal, time_t at, unsigned lifetime,
				      unsigned slack)
{
	/* The partial index audit_log_login finds the few rows. */
	struct db_stmt *st = store_stmt(store,
		"SELECT 1 FROM audit_log WHERE at BETWEEN ? AND ? AND action = 'login'"
		" AND staff_id = ? AND terminal = ? LIMIT 1");
	db_bind_int64(st, 1, (long long)at - lifetime - slack);
	db_bind_int64(st, 2, (long long)at + slack);
	db_bind_int64(st, 3, staff_id);
	db_bind_text(st, 4, terminal, -1);
	int rc = db_step(st);
	enum audit_found found = rc == DB_ROW    ? AUDIT_FOUND
				 : rc == DB_DONE ? AUDIT_NOT_FOUND
						     : AUDIT_STORE_FAILED;
	if (found == AUDIT_STORE_FAILED)
		log_error("database: reading the audit log: %s", store_errmsg(store));
	store_done(st);
	return found;
}
