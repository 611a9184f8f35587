#include "service/api/endpoints.h"

#include "build_config.h"
#include "core/i18n.h"
#include "service/domain/jobs.h"
#include "service/domain/notices.h"
#include "service/metrics/metrics.h"
#include "core/xalloc.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* A token shorter than this is refused at start: it would be guessed. */
enum { METRICS_TOKEN_MIN = 16, METRICS_TOKEN_MAX = 512 };

/* From half a millisecond (a read from the cache) to ten seconds. */
static const double request_buckets[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
					  0.05,   0.1,   0.25,   0.5,   1,    2.5, 5, 10 };

static struct metric requests = METRIC_COUNTER("balied_http_requests_total",
	"HTTP requests answered, by method, route pattern and status.",
	"method", "route", "status");
static struct metric request_seconds = METRIC_HISTOGRAM("balied_http_request_duration_seconds",
	"Time from a request's arrival to its answer, by method and route pattern.",
	request_buckets, "method", "route");
static struct metric sessions = METRIC_GAUGE("balied_sessions_active",
	"Sessions (logged-in desks) that are neither idle nor past their lifetime.", NULL);
static struct metric idem_keys = METRIC_GAUGE("balied_idempotency_keys",
	"Answers stored under their Idempotency-Key.", NULL);
static struct metric notices = METRIC_GAUGE("balied_notices_pending",
	"Notices to patrons in the outbox, not yet sent.", NULL);
static struct metric job_runs = METRIC_COUNTER("balied_job_runs_total",
	"Runs of the daily jobs, by job and outcome (success or failure).", "job", "outcome");
static struct metric job_success = METRIC_GAUGE("balied_job_last_success_timestamp_seconds",
	"When each daily job last succeeded, in seconds since the epoch; 0 for never.", "job");
static struct metric build_info = METRIC_GAUGE("balied_build_info",
	"The version of balied, as a label; always 1.", "version");

/* A method that is not one of HTTP's own counts as "other": the label's
 * values stay few whatever clients send. */
static const char *method_label(const char *method)
{
	static const char *const known[] = { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD",
					     "OPTIONS" };
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (strcmp(method, known[i]) == 0)
			return known[i];
	return "other";
}

void ep_metrics_request(const char *method, const char *route, unsigned status, double seconds)
{
	char code[8];
	snprintf(code, sizeof code, "%u", status);
	const char *m = method_label(method);
	metrics_add(&requests, METRIC_LABELS(m, route, code), 1);
	metrics_observe(&request_seconds, METRIC_LABELS(m, route), seconds);
}

bool ep_metrics_token_read(const char *path, char **token, char **err)
{
	struct stat st;
	FILE *f = fopen(path, "r");
	if (!f || fstat(fileno(f), &st) != 0) {
		*err = xasprintf(_("%s: cannot be read: %s"), path, strerror(errno));
		if (f)
			fclose(f);
		return false;
	}
	/* Whoever can read the token can read the figures. */
	if ((st.st_mode & 077) != 0) {
		*err = xasprintf(_("%s: mode %03o lets others read the token; it must be 0600"), path,
				 (unsigned)(st.st_mode & 0777));
		fclose(f);
		return false;
	}
	char buf[METRICS_TOKEN_MAX + 2];
	size_t len = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[len] = '\0';
	/* One line, as Prometheus' credentials_file is: the line end is not part of it. */
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	bool printable = true;
	for (size_t i = 0; i < len; i++)
		printable = printable && buf[i] > ' ' && buf[i] < 0x7f;
	if (len < METRICS_TOKEN_MIN || len > METRICS_TOKEN_MAX || !printable) {
		*err = xasprintf(_("%s: the token must be one line of %d to %d printable characters "
				   "without spaces"),
				 path, METRICS_TOKEN_MIN, METRICS_TOKEN_MAX);
		sodium_memzero(buf, sizeof buf);
		return false;
	}
	*token = xstrdup(buf);
	sodium_memzero(buf, sizeof buf);
	return true;
}

/* True when the request's bearer token is the metrics token; both are
 * hashed first, so the comparison takes the same time for any token. */
static bool token_matches(const struct call *call)
{
	const char *auth = call->authorization;
	if (!auth || strncasecmp(auth, "Bearer ", 7) != 0)
		return false;
	unsigned char given[crypto_generichash_BYTES], wanted[crypto_generichash_BYTES];
	const char *token = call->svc->metrics_token;
	crypto_generichash(given, sizeof given, (const unsigned char *)auth + 7, strlen(auth + 7),
			   NULL, 0);
	crypto_generichash(wanted, sizeof wanted, (const unsigned char *)token, strlen(token),
			   NULL, 0);
	return sodium_memcmp(given, wanted, sizeof given) == 0;
}

static bool jobs_into_metrics(struct store *store)
{
	for (size_t i = 0; jobs_known[i]; i++) {
		struct job_runs r;
		if (!jobs_runs(store, jobs_known[i], &r))
			return false;
		metrics_set(&job_runs, METRIC_LABELS(jobs_known[i], "success"), (double)r.successes);
		metrics_set(&job_runs, METRIC_LABELS(jobs_known[i], "failure"), (double)r.failures);
		metrics_set(&job_success, METRIC_LABELS(jobs_known[i]), (double)r.last_success_at);
	}
	return true;
}

/* The figures the store holds, read now; false when it fails. */
static bool store_into_metrics(struct call *call)
{
	struct session_lifetimes life = call_lifetimes(call);
	long long live = session_count_live(call->store, &life, call->now);
	long long keys = idempotency_count(call->store);
	long long waiting = notices_waiting(call->store);
	if (live < 0 || keys < 0 || waiting < 0)
		return false;
	metrics_set(&sessions, METRIC_NO_LABELS, (double)live);
	metrics_set(&idem_keys, METRIC_NO_LABELS, (double)keys);
	metrics_set(&notices, METRIC_NO_LABELS, (double)waiting);
	return jobs_into_metrics(call->store);
}

void ep_metrics(struct call *call, struct reply *out)
{
	if (!call->svc->metrics_token) {
		reply_error(out, ERR_NOT_FOUND, "no such endpoint", NULL);
		return;
	}
	if (strcmp(call->method, "GET") != 0) {
		snprintf(out->allow, sizeof out->allow, "GET");
		cJSON *details = cJSON_CreateObject();
		cJSON_AddStringToObject(details, "method", call->method);
		reply_error_status(out, 405, ERR_BAD_REQUEST, "this method is not allowed on this path",
				   details);
		return;
	}
	if (!token_matches(call)) {
		reply_error(out, ERR_UNAUTHORIZED, "the metrics need the metrics token", NULL);
		return;
	}
	metrics_register(&requests);
	metrics_register(&request_seconds);
	metrics_set(&build_info, METRIC_LABELS(BALIE_VERSION), 1);
	if (!store_into_metrics(call)) {
		reply_unavailable(out);
		return;
	}
	out->status = 200;
	out->body = metrics_render_dup();
	out->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
