/* Every answer of balied carries X-Request-Id (balied(8), "Running
 * balied", Logs): a desk's id of the strict shape comes back as sent, and
 * is in balied's line about the request; a missing id, or one of another
 * shape, is replaced by a new random one (32 hex digits). The desk's client
 * library sends one of its own (a UUID) with every call. The line about a
 * request is logfmt at the level info, or with log_format = json a JSON
 * object like every other line of the log. */
#include "core/clock.h"
#include "tap.h"

#include "harness.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The X-Request-Id of the answer to GET /api/v1/health with the header line
 * extra ("" for none), copied to out; false when there is none. */
static bool id_of(const struct harness *h, const char *extra, char *out, size_t len)
{
	char req[512];
	int n = snprintf(req, sizeof req,
			 "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n%sConnection: close\r\n\r\n",
			 extra);
	char *answer = NULL;
	int status = harness_raw(h, NULL, req, (size_t)n, &answer);
	const char *at = answer ? strstr(answer, "X-Request-Id: ") : NULL;
	bool found = status == 200 && at;
	if (found) {
		at += strlen("X-Request-Id: ");
		snprintf(out, len, "%.*s", (int)strcspn(at, "\r\n"), at);
	}
	free(answer);
	return found;
}

static bool hex32(const char *s)
{
	return strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32;
}

/* The log as it is once it holds what, or after a deadline (allocated). */
static char *log_wait_dup(const struct harness *h, const char *what)
{
	long long until = clock_now_ms() + 10000;
	char *log = harness_log_dup(h);
	while (!strstr(log, what) && clock_now_ms() < until) {
		free(log);
		nanosleep(&(struct timespec){ 0, 20000000L }, NULL);
		log = harness_log_dup(h);
	}
	return log;
}

/* How many lines of log are not a JSON object; *request gets the object of
 * the line whose id is id (NULL when none). */
static size_t json_log_read(char *log, const char *id, cJSON **request)
{
	size_t bad = 0;
	*request = NULL;
	for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
		cJSON *j = cJSON_Parse(line);
		const cJSON *lid = cJSON_GetObjectItem(j, "id");
		if (!cJSON_IsObject(j)) {
			if (bad++ < 3)
				diag("not JSON: %s", line);
		} else if (!*request && cJSON_IsString(lid) && strcmp(lid->valuestring, id) == 0) {
			*request = j;
			continue;
		}
		cJSON_Delete(j);
	}
	return bad;
}

static bool text_is(const cJSON *j, const char *key, const char *want)
{
	const cJSON *v = cJSON_GetObjectItem(j, key);
	return cJSON_IsString(v) && strcmp(v->valuestring, want) == 0;
}

/* log_format = json: every line an object, the request's with its fields;
 * another format is refused. */
static void json_lines(void)
{
	struct harness h;
	struct harness_opts opts = { .config_text = "log_format = json\n" };
	if (!ok(harness_start(&h, &opts), "balied starts with log_format = json"))
		return;
	char id[80];
	id_of(&h, "X-Request-Id: desk7-json-0001\r\n", id, sizeof id);
	char *log = log_wait_dup(&h, "desk7-json-0001");
	ok(harness_stop(&h) == 0, "and stops cleanly");
	free(log);
	log = harness_log_dup(&h);
	cJSON *req = NULL;
	size_t bad = json_log_read(log, "desk7-json-0001", &req);
	const cJSON *status = cJSON_GetObjectItem(req, "status");
	const cJSON *ms = cJSON_GetObjectItem(req, "duration_ms");
	ok(bad == 0, "every line of its log is a JSON object (%zu not)", bad);
	ok(req && text_is(req, "level", "info") && text_is(req, "msg", "request") &&
		   text_is(req, "method", "GET") && text_is(req, "route", "/health") &&
		   cJSON_IsNumber(status) && status->valuedouble == 200 && cJSON_IsNumber(ms) &&
		   cJSON_GetObjectItem(req, "time"),
	   "the request's object: time, level info, msg request, id, method, route, status "
	   "and duration_ms as numbers");
	cJSON_Delete(req);
	free(log);
	harness_write_file(h.config, "log_format = yaml\n");
	char *out = NULL, *err = NULL;
	int st = harness_run(&h, NULL, &out, &err, "user", "list", NULL);
	ok(st == 2 && err && strstr(err, "balied.conf:1:") &&
		   strstr(err, "\"yaml\" is not logfmt or json"),
	   "log_format = yaml is refused with the file and line (%d: %s)", st, err ? err : "");
	free(out);
	free(err);
	harness_cleanup(&h);
}

int main(void)
{
	struct harness h;
	struct harness_opts opts = { .training = false, .config_text = "log_level = debug\n" };
	bool up = harness_start(&h, &opts);
	ok(up, "balied starts");
	if (!up)
		return tap_done();
	char a[80] = "", b[80] = "";
	bool got = id_of(&h, "X-Request-Id: desk7-0001-abcd\r\n", a, sizeof a);
	ok(got && strcmp(a, "desk7-0001-abcd") == 0, "a desk's id comes back as sent (%s)", a);
	got = id_of(&h, "", a, sizeof a) && id_of(&h, "", b, sizeof b);
	ok(got && hex32(a) && hex32(b) && strcmp(a, b) != 0,
	   "without one each answer gets a new id of 32 hex digits (%s, %s)", a, b);
	got = id_of(&h, "X-Request-Id: not an id; <script>\r\n", a, sizeof a);
	ok(got && hex32(a), "an id of another shape is replaced (%s)", a);
	got = id_of(&h, "X-Request-Id: short\r\n", b, sizeof b);
	ok(got && hex32(b), "so is one shorter than 8 characters (%s)", b);
	struct api *api = harness_api(&h);
	api_reply_free(api_call(api, "GET", "/health", NULL, NULL));
	api_free(api);
	long long until = clock_now_ms() + 10000;
	char *log = harness_log_dup(&h);
	while (!strstr(log, "id=desk7-0001-abcd") && clock_now_ms() < until) {
		free(log);
		nanosleep(&(struct timespec){ 0, 20000000L }, NULL);
		log = harness_log_dup(&h);
	}
	ok(strstr(log, "id=desk7-0001-abcd") && !strstr(log, "<script>"),
	   "balied's line about the request names the desk's id, and never a refused one");
	ok(strstr(log, " level=info msg=request id=desk7-0001-abcd method=GET route=/health "
		       "status=200 duration_ms=") != NULL,
	   "it is one logfmt line at the level info: id, method, route, status, duration");
	/* The id of the last request line: the client library's own call. */
	const char *last = NULL;
	for (const char *at = log; (at = strstr(at, "msg=request id=")); at++)
		last = at + strlen("msg=request id=") - 1;
	size_t len = last ? strcspn(last + 1, " \n") : 0;
	ok(last && len == 36 && last[9] == '-' && last[15] == '4',
	   "the client library sends a UUID of its own as the request id (%.*s)", (int)len,
	   last ? last + 1 : "");
	free(log);
	if (tap_failed)
		harness_dump_log(&h);
	ok(harness_stop(&h) == 0, "balied stops cleanly");
	harness_cleanup(&h);
	json_lines();
	return tap_done();
}
