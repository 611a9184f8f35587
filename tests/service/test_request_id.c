/* Every answer of balied carries X-Request-Id (balied(8), "Running
 * balied", Logs): a desk's id of the strict shape comes back as sent, and
 * is in balied's line about the request; a missing id, or one of another
 * shape, is replaced by a new random one (32 hex digits). The desk's client
 * library sends one of its own (a UUID) with every call. */
#include "core/clock.h"
#include "tap.h"

#include "harness.h"

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
	return tap_done();
}
