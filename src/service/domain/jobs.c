#include "service/domain/jobs.h"

#include "core/log.h"

#include <string.h>

const char *const jobs_known[] = { "holds_expire", "memberships_age_out", "retention", NULL };

bool jobs_record(struct store *store, const char *job, bool success, time_t now)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO job_runs (job, successes, failures, last_run_at, last_success_at)"
		" VALUES (?1, ?2, 1 - ?2, ?3, CASE WHEN ?2 THEN ?3 END)"
		" ON CONFLICT (job) DO UPDATE SET successes = successes + ?2,"
		"  failures = failures + 1 - ?2, last_run_at = ?3,"
		"  last_success_at = CASE WHEN ?2 THEN ?3 ELSE last_success_at END");
	db_bind_text(st, 1, job, -1);
	db_bind_int64(st, 2, success ? 1 : 0);
	db_bind_int64(st, 3, (long long)now);
	bool ok = db_step(st) == DB_DONE;
	if (!ok)
		log_error("database: noting a run of %s: %s", job, store_errmsg(store));
	store_done(st);
	return ok;
}

bool jobs_runs(struct store *store, const char *job, struct job_runs *out)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st = store_stmt(store,
		"SELECT successes, failures, coalesce(last_success_at, 0) FROM job_runs WHERE job = ?");
	db_bind_text(st, 1, job, -1);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->successes = db_column_int64(st, 0);
		out->failures = db_column_int64(st, 1);
		out->last_success_at = db_column_int64(st, 2);
	} else if (rc != DB_DONE) {
		log_error("database: reading the runs of %s: %s", job,
			  store_errmsg(store));
	}
	store_done(st);
	return rc == DB_ROW || rc == DB_DONE;
}
