/* The login throttle on the Unix socket, where every desk is "local": it
 * counts per desk (the peer's credentials and the terminal the login
 * names), so five wrong passwords at desk A (a scanner at a locked desk)
 * refuse further logins at desk A and for that user name, and leave desk B
 * alone. */
#include "tap.h"

#include "harness.h"
#include "core/jsonx.h"

#include <cjson/cJSON.h>
#include <string.h>

static long login_at(struct api *api, const char *terminal, const char *user,
		     const char *password)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "username", user);
	cJSON_AddStringToObject(body, "password", password);
	cJSON_AddStringToObject(body, "branch", "CEN");
	cJSON_AddStringToObject(body, "terminal", terminal);
	struct api_reply *r = api_call(api, "POST", "/session", body, NULL);
	long status = r->status;
	api_reply_free(r);
	cJSON_Delete(body);
	return status;
}

int main(void)
{
	struct harness h = { 0 };
	struct harness_opts opts = { .training = true, .unix_socket = true };
	if (!ok(harness_start(&h, &opts), "a training balied on a Unix socket")) {
		harness_cleanup(&h);
		return tap_done();
	}
	struct api *api = harness_api(&h);
	bool refused = true;
	for (int i = 0; i < 5; i++)
		refused = login_at(api, "balie-A", "balie", "0000000000000") == 401 && refused;
	ok(refused, "five scans typed as the password of balie at desk A: 401 each");
	long status = login_at(api, "balie-A", "ido", "oefenen");
	ok(status == 429, "desk A is throttled now, for another account too (%ld)", status);
	status = login_at(api, "balie-B", "beheer", "oefenen");
	ok(status == 201, "beheer at desk B, on the same socket, logs in (%ld)", status);
	status = login_at(api, "balie-B", "balie", "oefenen");
	ok(status == 429, "the user name balie is still throttled, at desk B too (%ld)", status);
	api_free(api);
	ok(harness_stop(&h) == 0, "balied stops cleanly");
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	return tap_done();
}
