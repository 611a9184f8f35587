/* Login throttling over HTTP, with three failures allowed: per user name
 * (failures from several addresses), per client address (failures for
 * several names), a Retry-After, and a success that does not wipe out the
 * failures other names made from the same address. */
#include "tap.h"

#include "harness.h"
#include "core/jsonx.h"

#include <stdlib.h>
#include <string.h>

/* A login from another loopback address. */
static int login_from(const struct harness *h, const char *source, const char *user,
		      const char *password, char **answer)
{
	char *req = harness_login_request_dup(user, password, "t");
	int status = harness_raw(h, source, req, strlen(req), answer);
	free(req);
	return status;
}

static long login_status(struct api *api, const char *user, const char *password)
{
	struct api_reply *r = harness_login(api, user, password, "CEN");
	long status = r->status;
	api_reply_free(r);
	return status;
}

static void test_per_user(const struct harness *h, struct api *api)
{
	static const char *const sources[] = { "127.0.0.2", "127.0.0.3", "127.0.0.4" };
	for (int i = 0; i < 3; i++)
		ok(login_from(h, sources[i], "balie", "fout", NULL) == 401,
		   "balie with a wrong password from %s: 401", sources[i]);
	struct api_reply *r = harness_login(api, "balie", "oefenen", "CEN");
	ok(r->status == 429, "then balie, even with the right password: 429 (got %ld)", r->status);
	is_str(r->error_code, "rate_limited", "with code rate_limited");
	long long wait = 0;
	ok(jsonx_int(r->error_details, "retry_after", &wait) && wait > 0 && wait <= 600,
	   "details say how long to wait (%lld s)", wait);
	api_reply_free(r);
	ok(login_status(api, "ido", "oefenen") == 201,
	   "another user from the same address logs in: the limit was on the name");
}

static void test_per_address(const struct harness *h, struct api *api)
{
	ok(login_status(api, "x1", "fout") == 401, "unknown x1 from 127.0.0.1: 401");
	ok(login_status(api, "x2", "fout") == 401, "unknown x2 from 127.0.0.1: 401");
	ok(login_status(api, "ido", "oefenen") == 201, "ido logs in from there between them");
	ok(login_status(api, "x3", "fout") == 401, "unknown x3 from 127.0.0.1: 401");
	char *answer = NULL;
	ok(login_from(h, "127.0.0.1", "beheer", "oefenen", &answer) == 429,
	   "then beheer from 127.0.0.1: 429; ido's login did not reset the address");
	ok(answer && strstr(answer, "\r\nRetry-After: "), "with a Retry-After header");
	free(answer);
	ok(login_from(h, "127.0.0.6", "beheer", "oefenen", NULL) == 201,
	   "beheer from another address: 201; the limit was on the address");
}

int main(void)
{
	struct harness h;
	struct harness_opts opts = {
		.training = true,
		.config_text = "# three failures in ten minutes\n"
			       "login_max_failures = 3\n"
			       "login_window_minutes = 10\n",
	};
	if (!ok(harness_start(&h, &opts), "balied starts with login_max_failures = 3")) {
		harness_cleanup(&h);
		return tap_done();
	}
	struct api *api = harness_api(&h);
	test_per_user(&h, api);
	test_per_address(&h, api);
	api_free(api);
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	return tap_done();
}
