/* GET /metrics (balied(8), RUNNING BALIED, Metrics): only with the token of
 * metrics_token_file, never a desk's; requests counted by route pattern
 * and status, never by path; histograms cumulative with _count equal to
 * the +Inf bucket; the store's figures (sessions, idempotency keys, the
 * daily jobs); and, where promtool is installed, "promtool check metrics"
 * content with the output. */
#include "core/clock.h"
#include "tap.h"

#include "harness.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TOKEN "metrics-0123456789abcdef-token"

/* The status of GET /metrics with the Authorization header value auth
 * (NULL for none); *body (may be NULL) gets the whole answer. */
static int scrape(const struct harness *h, const char *auth, char **answer)
{
	char req[512];
	int n = snprintf(req, sizeof req,
			 "GET /metrics HTTP/1.1\r\nHost: x\r\n%s%s%sConnection: close\r\n\r\n",
			 auth ? "Authorization: " : "", auth ? auth : "", auth ? "\r\n" : "");
	return harness_raw(h, NULL, req, (size_t)n, answer);
}

/* The metrics text (after the head) of a scrape with the token (allocated),
 * or NULL. */
static char *metrics_dup(const struct harness *h)
{
	char *answer = NULL;
	int status = scrape(h, "Bearer " TOKEN, &answer);
	const char *body = answer ? strstr(answer, "\r\n\r\n") : NULL;
	char *text = status == 200 && body ? strdup(body + 4) : NULL;
	free(answer);
	return text;
}

/* The value of the sample named series (name{labels} exactly), or -1. */
static double sample(const char *text, const char *series)
{
	size_t len = strlen(series);
	for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
		if (strncmp(line, series, len) == 0 && line[len] == ' ')
			return strtod(line + len + 1, NULL);
	}
	return -1;
}

static double requests(const char *text, const char *method, const char *route,
		       const char *status)
{
	char series[256];
	snprintf(series, sizeof series,
		 "balied_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"}", method,
		 route, status);
	double v = sample(text, series);
	return v < 0 ? 0 : v;
}

/*
 * Every histogram series in text: its buckets never fall, and the +Inf
 * bucket equals _count. Returns how many series were checked, or -1 at
 * the first that is wrong (named in a diagnostic).
 */
static int histograms_consistent(const char *text)
{
	int series = 0;
	double last = -1;
	char name[256] = "";
	for (const char *line = text; *line; line = strchr(line, '\n') + 1) {
		const char *end = strchr(line, '\n');
		if (!end)
			break;
		const char *b = strstr(line, "_bucket{");
		if (b && b < end) {
			const char *sp = memchr(line, ' ', (size_t)(end - line));
			double v = sp ? strtod(sp + 1, NULL) : -1;
			if (v < last) {
				diag("a bucket falls: %.*s", (int)(end - line), line);
				return -1;
			}
			last = v;
			if (strstr(line, "le=\"+Inf\"") && strstr(line, "le=\"+Inf\"") < end) {
				snprintf(name, sizeof name, "%.*s", (int)(b - line), line);
				series++;
			}
			continue;
		}
		const char *c = strstr(line, "_count");
		if (name[0] && c && c < end && strncmp(line, name, strlen(name)) == 0) {
			const char *sp = memchr(line, ' ', (size_t)(end - line));
			if (!sp || strtod(sp + 1, NULL) != last) {
				diag("_count is not the +Inf bucket (%g): %.*s", last,
				     (int)(end - line), line);
				return -1;
			}
			name[0] = '\0';
			last = -1;
		}
	}
	return series;
}

/* The answer to a GET through api, freed; its status. */
static long get_status(struct api *api, const char *path)
{
	struct api_reply *r = api_call(api, "GET", path, NULL, NULL);
	long status = r->status;
	api_reply_free(r);
	return status;
}

static char *token_of_login(struct api *api, const char *user)
{
	struct api_reply *r = harness_login(api, user, "oefenen", "CEN");
	const cJSON *t = r->body ? cJSON_GetObjectItem(r->body, "token") : NULL;
	char *token = cJSON_IsString(t) ? strdup(t->valuestring) : NULL;
	api_reply_free(r);
	return token;
}

static void refusals(const struct harness *h, const char *desk_token, const char *admin_token)
{
	char *answer = NULL;
	int st = scrape(h, NULL, &answer);
	ok(st == 401 && answer && strstr(answer, "\"code\":\"unauthorized\"") &&
		   !strstr(answer, "balied_"),
	   "without a token GET /metrics is 401 unauthorized and shows no metric (%d)", st);
	free(answer);
	char auth[160];
	snprintf(auth, sizeof auth, "Bearer %s", desk_token ? desk_token : "");
	answer = NULL;
	st = scrape(h, auth, &answer);
	ok(desk_token && st == 401 && answer && !strstr(answer, "balied_"),
	   "a desk's token (balie) is refused: 401 (%d)", st);
	free(answer);
	snprintf(auth, sizeof auth, "Bearer %s", admin_token ? admin_token : "");
	st = scrape(h, auth, NULL);
	ok(admin_token && st == 401, "so is an administrator's (beheer): 401 (%d)", st);
	st = scrape(h, "Bearer " TOKEN "x", NULL);
	ok(st == 401, "and a token one character longer than the metrics token (%d)", st);
	answer = NULL;
	st = scrape(h, "Bearer " TOKEN, &answer);
	ok(st == 200 && answer && strstr(answer, "Content-Type: text/plain; version=0.0.4"),
	   "the metrics token is taken: 200, text/plain; version=0.0.4 (%d)", st);
	free(answer);
}

/* A known number of requests by route and status, counted by pattern. */
static void counting(const struct harness *h, struct api *desk, const char *before)
{
	char card[15], unknown[15];
	harness_demo_code("21000", 3, card);
	harness_demo_code("21000", 9999, unknown);
	char path[64], missing[64];
	snprintf(path, sizeof path, "/patrons/%s", card);
	snprintf(missing, sizeof missing, "/patrons/%s", unknown);
	long health = 0, found = 0, not_found = 0;
	for (int i = 0; i < 7; i++)
		health += get_status(desk, "/health") == 200;
	for (int i = 0; i < 3; i++)
		found += get_status(desk, path) == 200;
	for (int i = 0; i < 2; i++)
		not_found += get_status(desk, missing) == 404;
	ok(health == 7 && found == 3 && not_found == 2,
	   "7 health checks, 3 patrons found and 2 not found were answered");
	char *after = metrics_dup(h);
	ok(after != NULL, "the metrics are read again");
	if (!after)
		return;
	double dh = requests(after, "GET", "/health", "200") -
		    requests(before, "GET", "/health", "200");
	double df = requests(after, "GET", "/patrons/{card}", "200") -
		    requests(before, "GET", "/patrons/{card}", "200");
	double dn = requests(after, "GET", "/patrons/{card}", "404") -
		    requests(before, "GET", "/patrons/{card}", "404");
	ok(dh == 7 && df == 3 && dn == 2,
	   "requests_total counts them by route pattern and status: /health 200 +%g, "
	   "/patrons/{card} 200 +%g and 404 +%g",
	   dh, df, dn);
	ok(!strstr(after, card) && !strstr(after, unknown),
	   "no card number from a path is in the metrics");
	double count = sample(after, "balied_http_request_duration_seconds_count{method=\"GET\","
				     "route=\"/patrons/{card}\"}");
	ok(count == requests(after, "GET", "/patrons/{card}", "200") +
			    requests(after, "GET", "/patrons/{card}", "404"),
	   "the latency histogram of /patrons/{card} counts each of its requests (%g)", count);
	int n = histograms_consistent(after);
	ok(n >= 3, "every histogram's buckets are cumulative and its _count is its +Inf bucket "
		   "(%d series)", n);
	free(after);
}

/* The figures read from the store: sessions, keys, the daily jobs. */
static void store_figures(const struct harness *h, struct api *desk, const char *before)
{
	char barcode[15];
	harness_demo_code("3100000", 450, barcode); /* on loan in the demo data */
	struct api_reply *r = harness_post_item(desk, "/checkins", NULL, barcode);
	bool keyed = r->status == 200 || r->status == 409;
	api_reply_free(r);
	char *out = NULL, *err = NULL;
	int st = harness_run(h, NULL, &out, &err, "holds", "expire", NULL);
	free(out);
	free(err);
	char *after = metrics_dup(h);
	if (!after) {
		ok(false, "the metrics are read a third time");
		return;
	}
	double sessions = sample(after, "balied_sessions_active");
	ok(sessions == 2, "balied_sessions_active counts the two logins (%g)", sessions);
	double keys = sample(after, "balied_idempotency_keys") -
		      sample(before, "balied_idempotency_keys");
	ok(keyed && keys == 1, "balied_idempotency_keys counts the check-in's key (+%g)", keys);
	double runs = sample(after, "balied_job_runs_total{job=\"holds_expire\",outcome=\"success\"}");
	double at = sample(after, "balied_job_last_success_timestamp_seconds{job=\"holds_expire\"}");
	double now = (double)time(NULL);
	ok(st == 0 && runs == 1 && at > now - 600 && at <= now + 1,
	   "a run of \"balied holds expire\" shows in balied_job_runs_total and its last success "
	   "(%g, %.0f)", runs, at);
	ok(sample(after, "balied_job_runs_total{job=\"retention\",outcome=\"success\"}") == 0 &&
		   sample(after, "balied_job_last_success_timestamp_seconds{job=\"retention\"}") == 0,
	   "a job that never ran is there with 0");
	ok(sample(after, "balied_notices_pending") >= 0 &&
		   sample(after, "balied_store_commit_duration_seconds_count") > 0,
	   "the outbox is counted and the store's commits are timed");
	free(after);
}

/* promtool check metrics on the output, when promtool is installed. */
static void promtool(const struct harness *h)
{
	const char *tool = getenv("PROMTOOL");
	if (!tool || !*tool || access(tool, X_OK) != 0) {
		ok(true, "# SKIP promtool is not installed (Debian package prometheus)");
		return;
	}
	char *text = metrics_dup(h);
	char path[128];
	snprintf(path, sizeof path, "%s/metrics.txt", h->dir);
	bool written = text && harness_write_file(path, text);
	free(text);
	char *cmd = NULL;
	if (asprintf(&cmd, "'%s' check metrics < '%s' 2>&1", tool, path) < 0)
		cmd = NULL;
	FILE *p = written && cmd ? popen(cmd, "r") : NULL;
	char said[4096] = "";
	size_t len = p ? fread(said, 1, sizeof said - 1, p) : 0;
	said[len] = '\0';
	int rc = p ? pclose(p) : -1;
	free(cmd);
	ok(rc == 0 && len == 0, "promtool check metrics finds nothing to say (%d)", rc);
	if (len)
		diag("%s", said);
}

static void refuses_open_token_file(struct harness *h)
{
	char path[128];
	snprintf(path, sizeof path, "%s/metrics.token", h->dir);
	chmod(path, 0644);
	char *out = NULL, *err = NULL;
	int st = harness_run(h, NULL, &out, &err, "--training", "--listen", "127.0.0.1:0", NULL);
	ok(st == 1 && err && strstr(err, "0600"),
	   "balied refuses to start with a token file others may read (%d: %s)", st,
	   err ? err : "");
	free(out);
	free(err);
}

int main(void)
{
	struct harness h;
	struct harness_opts opts = { .training = true, .config_text = "# made below\n" };
	bool up = harness_init(&h, &opts);
	char token_path[128], *conf = NULL;
	snprintf(token_path, sizeof token_path, "%s/metrics.token", h.dir);
	up = up && harness_write_file(token_path, TOKEN "\n") && chmod(token_path, 0600) == 0 &&
	     asprintf(&conf, "metrics_token_file = %s\n", token_path) > 0 &&
	     harness_write_file(h.config, conf) && harness_launch(&h, &opts);
	free(conf);
	ok(up, "balied starts with a metrics token file");
	if (!up)
		return tap_done();
	struct api *desk = harness_api(&h);
	char *desk_token = token_of_login(desk, "balie");
	api_set_token(desk, desk_token);
	struct api *admin = harness_api(&h);
	char *admin_token = token_of_login(admin, "beheer");
	refusals(&h, desk_token, admin_token);
	char *before = metrics_dup(&h);
	if (before) {
		counting(&h, desk, before);
		store_figures(&h, desk, before);
	}
	free(before);
	promtool(&h);
	api_free(desk);
	api_free(admin);
	free(desk_token);
	free(admin_token);
	if (tap_failed)
		harness_dump_log(&h);
	ok(harness_stop(&h) == 0, "balied stops cleanly");
	refuses_open_token_file(&h);
	harness_cleanup(&h);

	/* Without the setting there is no such endpoint, whatever the token. */
	struct harness_opts plain = { .training = false };
	if (harness_start(&h, &plain)) {
		int st = scrape(&h, "Bearer " TOKEN, NULL);
		ok(st == 404, "without metrics_token_file GET /metrics is 404 (%d)", st);
		harness_stop(&h);
	} else {
		ok(false, "a balied without metrics_token_file starts");
	}
	harness_cleanup(&h);
	return tap_done();
}
