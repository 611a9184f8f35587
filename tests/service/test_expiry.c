/* Tokens end: after the idle time without use, and at the absolute lifetime
 * however much they are used. Short lifetimes come from a config file; the
 * test waits for the clock, polling, with a deadline. */
#include "tap.h"
#include "core/clock.h"

#include "harness.h"
#include "core/jsonx.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { IDLE = 2, LIFETIME = 5, DEADLINE = 15 };

static double now_s(void)
{
	return (double)clock_now_ms() / 1000.0;
}

static char *login_token_dup(struct api *api, const char *user)
{
	struct api_reply *r = harness_login(api, user, "oefenen", "CEN");
	const char *t = jsonx_string(r->body, "token");
	long long idle = 0, lifetime = 0;
	ok(r->status == 201 && jsonx_int(r->body, "idle_seconds", &idle) && idle == IDLE,
	   "%s logs in; the answer gives the idle time (%lld s)", user, idle);
	ok(jsonx_int(r->body, "lifetime_seconds", &lifetime) && lifetime == LIFETIME,
	   "%s: and the whole lifetime, for the desk's own clock (%lld s)", user, lifetime);
	char *token = strdup(t ? t : "");
	api_reply_free(r);
	return token;
}

static long session_status(struct api *api, const char *token)
{
	api_set_token(api, token);
	struct api_reply *r = api_call(api, "GET", "/session", NULL, NULL);
	long status = r->status;
	api_reply_free(r);
	return status;
}

int main(void)
{
	struct harness h;
	struct harness_opts opts = {
		.training = true,
		.config_text = "token_idle_seconds = 2\ntoken_lifetime_seconds = 5\n",
	};
	if (!ok(harness_start(&h, &opts), "balied starts with an idle time of 2 s, a lifetime of 5 s")) {
		harness_cleanup(&h);
		return tap_done();
	}
	struct api *api = harness_api(&h);
	double start = now_s();
	char *idle_token = login_token_dup(api, "ido");  /* left alone */
	char *busy_token = login_token_dup(api, "balie"); /* used all the time */

	double last_ok = 0, refused_at = 0;
	bool idle_checked = false;
	long idle_status = 0;
	while (now_s() - start < DEADLINE) {
		double t = now_s() - start;
		if (!idle_checked && t > IDLE + 1.2) {
			idle_status = session_status(api, idle_token);
			idle_checked = true;
		}
		long s = session_status(api, busy_token);
		if (s == 200) {
			last_ok = t;
		} else {
			refused_at = t;
			ok(s == 401, "the used token is refused with 401 in the end (got %ld)", s);
			break;
		}
		nanosleep(&(struct timespec){ 0, 200 * 1000 * 1000 }, NULL);
	}
	ok(idle_checked && idle_status == 401, "a token unused for longer than the idle time: 401");
	ok(last_ok > IDLE + 0.5, "a token in use lives past the idle time (%.1f s)", last_ok);
	ok(refused_at >= LIFETIME - 1 && refused_at < LIFETIME + 2,
	   "and ends at its absolute lifetime (%.1f s)", refused_at);

	api_set_token(api, NULL);
	free(login_token_dup(api, "balie"));
	free(idle_token);
	free(busy_token);
	api_free(api);
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	return tap_done();
}
