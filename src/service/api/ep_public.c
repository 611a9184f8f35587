#include "service/api/endpoints.h"

#include "build_config.h"
#include "core/log.h"
#include "service/timefmt.h"

void ep_health(struct call *call, struct reply *out)
{
	char now[TIMEFMT_INSTANT_LEN];
	timefmt_instant(call->now, now);
	/* Busy is a passing state: a balancer must not take the node out for a
	 * writer that waits; a store that cannot be written fails the check. */
	enum store_fault f = store_health(call->store);
	bool failing = f != STORE_FAULT_NONE && f != STORE_FAULT_BUSY;
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "status", failing ? "failing" : "ok");
	cJSON_AddStringToObject(root, "store", store_fault_name(f));
	cJSON_AddStringToObject(root, "version", BALIE_VERSION);
	cJSON_AddStringToObject(root, "time", now);
	cJSON_AddBoolToObject(root, "training", call->svc->training);
	reply_json(out, failing ? 503 : 200, root);
}

static cJSON *weekdays_json(const char *digits)
{
	cJSON *arr = cJSON_CreateArray();
	for (const char *d = digits; *d; d++)
		cJSON_AddItemToArray(arr, cJSON_CreateNumber(*d - '0'));
	return arr;
}

/* Closed dates from today on: the desk needs the future, not the past. */
static bool add_closed_dates(struct call *call, cJSON *branch, const char *code)
{
	char today[TIMEFMT_DATE_LEN];
	timefmt_date(call->now, today);
	sqlite3_stmt *st = store_stmt(call->store,
		"SELECT date FROM branch_closed_dates WHERE branch_code = ? AND date >= ?"
		" ORDER BY date");
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	cJSON *dates = cJSON_AddArrayToObject(branch, "closed_dates");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		cJSON_AddItemToArray(dates,
				     cJSON_CreateString((const char *)sqlite3_column_text(st, 0)));
	store_done(st);
	return rc == SQLITE_DONE;
}

void ep_branches(struct call *call, struct reply *out)
{
	sqlite3_stmt *st = store_stmt(call->store,
		"SELECT code, name, open_weekdays FROM branches ORDER BY code");
	cJSON *root = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(root, "branches");
	bool ok = true;
	int rc = SQLITE_DONE;
	while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		cJSON *b = cJSON_CreateObject();
		cJSON_AddStringToObject(b, "code", code);
		cJSON_AddStringToObject(b, "name", (const char *)sqlite3_column_text(st, 1));
		cJSON_AddItemToObject(b, "open_weekdays",
				      weekdays_json((const char *)sqlite3_column_text(st, 2)));
		ok = add_closed_dates(call, b, code);
		cJSON_AddItemToArray(list, b);
	}
	if (ok && rc != SQLITE_DONE)
		ok = false;
	store_done(st);
	if (!ok) {
		log_error("database: listing branches: %s", sqlite3_errmsg(store_db(call->store)));
		cJSON_Delete(root);
		reply_unavailable(out);
		return;
	}
	reply_json(out, 200, root);
}
