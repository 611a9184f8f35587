/* A real training balied over HTTP: health, branches, logging in right and
 * wrong, the roles of each training account, logging out, and the answers to
 * requests the service does not know or cannot read. */
#include "tap.h"

#include "harness.h"
#include "core/jsonx.h"

#include <stdlib.h>
#include <string.h>

static void test_health(struct api *api)
{
	struct api_reply *r = api_call(api, "GET", "/health", NULL, NULL);
	ok(r->outcome == API_OK && r->status == 200, "health answers 200 without a token");
	is_str(jsonx_string(r->body, "status"), "ok", "health: status ok");
	is_str(jsonx_string(r->body, "version"), "0.1.0", "health: the version");
	bool training = false;
	ok(jsonx_bool(r->body, "training", &training) && training, "health: training is true");
	const char *t = jsonx_string(r->body, "time");
	ok(t && strlen(t) == 20 && t[10] == 'T' && t[19] == 'Z', "health: an RFC 3339 UTC time (%s)",
	   t ? t : "none");
	api_reply_free(r);
}

static void test_branches(struct api *api)
{
	struct api_reply *r = api_call(api, "GET", "/branches", NULL, NULL);
	ok(r->outcome == API_OK && r->status == 200, "branches answer without a token");
	const cJSON *list = jsonx_array(r->body, "branches");
	ok(cJSON_GetArraySize(list) == 3, "three training branches");
	const cJSON *cen = cJSON_GetArrayItem(list, 0);
	is_str(jsonx_string(cen, "code"), "CEN", "the first is CEN");
	is_str(jsonx_string(cen, "name"), "Centrale Bibliotheek", "with its name");
	const cJSON *days = jsonx_array(cen, "open_weekdays");
	ok(cJSON_GetArraySize(days) == 6 && cJSON_GetArrayItem(days, 0)->valueint == 1,
	   "open Monday to Saturday");
	const cJSON *closed = jsonx_array(cen, "closed_dates");
	ok(cJSON_GetArraySize(closed) >= 4, "with closed dates");
	api_reply_free(r);
}

static void test_accounts(struct api *api)
{
	static const struct {
		const char *user, *name, *role;
	} accounts[] = {
		{ "balie", "Sanne de Vries", "balie" },
		{ "ido", "Henk Jansen", "ido" },
		{ "beheer", "Fatima el Amrani", "beheer" },
	};
	for (size_t i = 0; i < 3; i++) {
		struct api_reply *r = harness_login(api, accounts[i].user, "oefenen", "NRD");
		ok(r->outcome == API_OK && r->status == 201, "%s logs in with oefenen (201)",
		   accounts[i].user);
		const char *token = jsonx_string(r->body, "token");
		ok(token && strlen(token) == 64, "%s gets a 256-bit token", accounts[i].user);
		ok(jsonx_string(r->body, "expires_at") != NULL, "%s: the expiry", accounts[i].user);
		const cJSON *staff = jsonx_object(r->body, "staff");
		is_str(jsonx_string(staff, "username"), accounts[i].user, "%s: user name",
		       accounts[i].user);
		is_str(jsonx_string(staff, "name"), accounts[i].name, "%s: full name",
		       accounts[i].user);
		is_str(jsonx_string(staff, "branch"), "NRD", "%s: the branch logged in at",
		       accounts[i].user);
		const cJSON *roles = jsonx_array(staff, "roles");
		ok(cJSON_GetArraySize(roles) == 1 &&
			   strcmp(cJSON_GetArrayItem(roles, 0)->valuestring, accounts[i].role) == 0,
		   "%s: roles are [\"%s\"]", accounts[i].user, accounts[i].role);
		api_reply_free(r);
	}
}

static void expect_refusal(struct api_reply *r, long status, const char *code, const char *what)
{
	ok(r->outcome == API_REFUSED && r->status == status, "%s: %ld (got %ld)", what, status,
	   r->status);
	is_str(r->error_code, code, "%s: code %s", what, code);
	api_reply_free(r);
}

static void test_wrong_logins(struct api *api)
{
	expect_refusal(harness_login(api, "balie", "fout", "CEN"), 401, "unauthorized",
		       "a wrong password");
	expect_refusal(harness_login(api, "niemand", "oefenen", "CEN"), 401, "unauthorized",
		       "an unknown user");
	struct api_reply *r = harness_login(api, "balie", "oefenen", "XYZ");
	ok(r->status == 422 && r->error_code && strcmp(r->error_code, "invalid_field") == 0,
	   "an unknown branch: 422 invalid_field");
	is_str(jsonx_string(r->error_details, "field"), "branch", "details name the branch");
	is_str(jsonx_string(r->error_details, "reason"), "unknown", "as unknown");
	api_reply_free(r);
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "username", "balie");
	r = api_call(api, "POST", "/session", body, NULL);
	cJSON_Delete(body);
	ok(r->status == 422, "a login without password: 422");
	is_str(jsonx_string(r->error_details, "field"), "password", "details name the password");
	api_reply_free(r);
}

static void test_logout(struct api *api)
{
	struct api_reply *r = harness_login(api, "balie", "oefenen", "CEN");
	char *token = strdup(jsonx_string(r->body, "token") ? jsonx_string(r->body, "token") : "");
	api_reply_free(r);
	api_set_token(api, token);
	r = api_call(api, "GET", "/session", NULL, NULL);
	ok(r->status == 200, "the token is accepted");
	is_str(jsonx_string(jsonx_object(r->body, "staff"), "username"), "balie",
	       "GET /session names the user");
	api_reply_free(r);
	r = api_call(api, "DELETE", "/session", NULL, NULL);
	ok(r->outcome == API_OK && r->status == 204, "logging out: 204");
	api_reply_free(r);
	expect_refusal(api_call(api, "GET", "/session", NULL, NULL), 401, "unauthorized",
		       "the token after logging out");
	expect_refusal(api_call(api, "DELETE", "/session", NULL, NULL), 401, "unauthorized",
		       "logging out twice");
	api_set_token(api, "0000000000000000000000000000000000000000000000000000000000000000");
	expect_refusal(api_call(api, "GET", "/session", NULL, NULL), 401, "unauthorized",
		       "a made-up token");
	api_set_token(api, NULL);
	expect_refusal(api_call(api, "GET", "/session", NULL, NULL), 401, "unauthorized",
		       "no token");
	free(token);
}

static void test_bad_requests(struct api *api, const struct harness *h)
{
	expect_refusal(api_call(api, "GET", "/nothing-here", NULL, NULL), 404, "not_found",
		       "an unknown path");
	expect_refusal(api_call(api, "PUT", "/health", NULL, NULL), 405, "bad_request",
		       "a wrong method");
	cJSON *arr = cJSON_CreateArray();
	expect_refusal(api_call(api, "POST", "/session", arr, NULL), 400, "bad_request",
		       "a body that is not an object");
	cJSON_Delete(arr);

	static const char broken[] = "POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
				     "Content-Type: application/json\r\nContent-Length: 8\r\n"
				     "Connection: close\r\n\r\n{\"user\":";
	char *body = NULL;
	ok(harness_raw(h, NULL, broken, sizeof broken - 1, &body) == 400, "broken JSON: 400");
	ok(body && strstr(body, "\"code\":\"bad_request\""), "broken JSON: bad_request");
	free(body);

	size_t big = 70 * 1024;
	char *req = malloc(big + 256);
	int head = snprintf(req, 256, "POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
				      "Content-Length: %zu\r\nConnection: close\r\n\r\n", big);
	memset(req + head, 'x', big);
	ok(harness_raw(h, NULL, req, (size_t)head + big, &body) == 413, "a 70 KiB body: 413");
	ok(body && strstr(body, "\"code\":\"bad_request\""), "a 70 KiB body: bad_request");
	free(body);
	free(req);

	static const char put[] = "PUT /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
				  "Connection: close\r\n\r\n";
	ok(harness_raw(h, NULL, put, sizeof put - 1, &body) == 405 &&
		   strstr(body, "\r\nAllow: POST, GET, DELETE\r\n"),
	   "a 405 says which methods the path has");
	free(body);

	static const char outside[] = "GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	ok(harness_raw(h, NULL, outside, sizeof outside - 1, NULL) == 404, "a path outside /api/v1: 404");
	static const char stack[] = "GET /api/v1/health/../../etc/passwd HTTP/1.1\r\nHost: x\r\n"
				    "Connection: close\r\n\r\n";
	ok(harness_raw(h, NULL, stack, sizeof stack - 1, &body) == 404 && !strstr(body, "sqlite"),
	   "a made-up path: 404 with no internal detail");
	free(body);
}

int main(void)
{
	struct harness h;
	struct harness_opts opts = { .training = true };
	if (!ok(harness_start(&h, &opts), "balied --training starts and says where it listens")) {
		harness_cleanup(&h);
		return tap_done();
	}
	struct api *api = harness_api(&h);
	test_health(api);
	test_branches(api);
	test_accounts(api);
	test_wrong_logins(api);
	test_logout(api);
	test_bad_requests(api, &h);
	api_free(api);
	ok(harness_stop(&h) == 0, "balied stops cleanly on SIGTERM (exit 0)");
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	return tap_done();
}
