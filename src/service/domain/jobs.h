/* The runs of the daily jobs (balied holds expire, memberships age-out, the
 * retention of personal data): each command notes its outcome here, in the
 * database, because it runs as a process of its own while the service's
 * GET /metrics reports them. */
#ifndef BALIED_JOBS_H
#define BALIED_JOBS_H

#include "service/store/store.h"

#include <stdbool.h>
#include <time.h>

/* The jobs GET /metrics always names, run or not, so that an alert on a job
 * that never ran can be written before its first run; NULL after the last. */
extern const char *const jobs_known[];

/* Notes one run of job (a name of jobs_known) that ended now, with success
 * or not, in a transaction of its own. False (logged) when the store fails;
 * the job's own work is not undone by that. */
bool jobs_record(struct store *store, const char *job, bool success, time_t now);

struct job_runs {
	long long successes, failures;
	long long last_success_at; /* seconds since the epoch; 0 for never */
};

/* The runs of job so far (all zero for a job that never ran); false (logged)
 * when the store fails. */
bool jobs_runs(struct store *store, const char *job, struct job_runs *out);

#endif
