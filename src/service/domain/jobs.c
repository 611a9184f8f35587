#include "service/domain/jobs.h"

#include "core/log.h"

#include <string.h>

const char *const jobs_known[] = { "holds_expire", "memberships_age_out", "retention", NULL };

bool jobs_record(struct store *store, const char *job, bool success, time_t now)
{
	sqlite3_stmt *st = store_stmt(store,
		"INSERT INTO job_runs (job, successes, failures, last_run_at, last_success_at)"
		" VALUES (?1, ?2, 1 - ?2, ?3, CASE WHEN ?2 THEN ?3 END)"
		" ON CONFLICT (job) DO UPDATE SET successes = successes + ?2,"
		"  failures = failures + 1 - ?2, last_run_at = ?3,"
		"  last_success_at = CASE WHEN ?2 THEN ?3 ELSE last_success_at END");
	sqlite3_bind_text(st, 1, job, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, success ? 1 : 0);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	bool ok = sqlite3_step(st) == SQLITE_DONE;
	if (!ok)
		log_error("database: noting a run of %s: %s", job, sqlite3_errmsg(store_db(store)));
	store_done(st);
	return ok;
}

bool jobs_runs(struct store *store, const char *job, struct job_runs *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = store_stmt(store,
		"SELECT successes, failures, coalesce(last_success_at, 0) FROM job_runs WHERE job = ?");
	sqlite3_bind_text(st, 1, job, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->successes = sqlite3_column_int64(st, 0);
		out->failures = sqlite3_column_int64(st, 1);
		out->last_success_at = sqlite3_column_int64(st, 2);
	} else if (rc != SQLITE_DONE) {
		log_error("database: reading the runs of %s: %s", job,
			  sqlite3_errmsg(store_db(store)));
	}
	store_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE;
}
