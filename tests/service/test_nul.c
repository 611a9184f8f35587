/* A NUL inside JSON (the escape \u0000, or a raw NUL byte) is refused with
 * 400 bad_request before any endpoint reads the body: otherwise the string
 * would end at the NUL, so that "balie\u0000x" logged in as balie and a note
 * was checked for personal data only up to the NUL. An escaped backslash
 * before "u0000" is text and passes. */
#include "tap.h"

#include "harness.h"
#include "core/jsonx.h"

#include <stdlib.h>
#include <string.h>

static int post(const struct harness *h, const char *path, const char *token, const char *body,
		size_t len, char **answer)
{
	char head[512];
	int n = snprintf(head, sizeof head,
			 "POST /api/v1%s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
			 "%s%s%s"
			 "Idempotency-Key: 5b0c1f0e-7d7a-4a53-9d1c-2f7c1e9b8a01\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n",
			 path, token ? "Authorization: Bearer " : "", token ? token : "",
			 token ? "\r\n" : "", len);
	char *req = malloc((size_t)n + len);
	memcpy(req, head, (size_t)n);
	memcpy(req + n, body, len);
	int status = harness_raw(h, NULL, req, (size_t)n + len, answer);
	free(req);
	return status;
}

static void expect_nul_refused(const struct harness *h, const char *path, const char *token,
			       const char *body, size_t len, const char *what)
{
	char *answer = NULL;
	int status = post(h, path, token, body, len, &answer);
	ok(status == 400 && answer && strstr(answer, "\"nul_in_string\""),
	   "%s: 400 bad_request, reason nul_in_string (got %d)", what, status);
	free(answer);
}

int main(void)
{
	struct harness h;
	struct harness_opts opts = { .training = true };
	if (!ok(harness_start(&h, &opts), "balied --training starts")) {
		harness_cleanup(&h);
		return tap_done();
	}
	static const char login_nul[] =
		"{\"username\":\"balie\\u0000xyz\",\"password\":\"oefenen\",\"branch\":\"CEN\"}";
	expect_nul_refused(&h, "/session", NULL, login_nul, sizeof login_nul - 1,
			   "a login as \"balie\\u0000xyz\" with balie's password");
	static const char login_upper[] =
		"{\"username\":\"balie\\U0000xyz\",\"password\":\"oefenen\",\"branch\":\"CEN\"}";
	char *answer = NULL;
	int status = post(&h, "/session", NULL, login_upper, sizeof login_upper - 1, &answer);
	ok(status == 400 || status == 401, "\\U0000 (not a JSON escape) is no login either (%d)",
	   status);
	free(answer);
	static const char login_raw[] =
		"{\"username\":\"balie\0xyz\",\"password\":\"oefenen\",\"branch\":\"CEN\"}";
	expect_nul_refused(&h, "/session", NULL, login_raw, sizeof login_raw - 1,
			   "the same with a raw NUL byte");
	static const char login_text[] =
		"{\"username\":\"balie\\\\u0000\",\"password\":\"oefenen\",\"branch\":\"CEN\"}";
	answer = NULL;
	status = post(&h, "/session", NULL, login_text, sizeof login_text - 1, &answer);
	ok(status == 401, "an escaped backslash before u0000 is text: the name is wrong, 401 (got %d)",
	   status);
	free(answer);

	struct api *api = harness_api(&h);
	struct api_reply *r = harness_login(api, "ido", "oefenen", "CEN");
	const char *t = jsonx_string(r->body, "token");
	char *token = t ? strdup(t) : NULL;
	api_reply_free(r);
	static const char note[] =
		"{\"visit_id\":\"0b6f3c1e-1d2a-4c3b-8e4f-5a6b7c8d9e0f\",\"class\":\"other\","
		"\"topics\":[\"other\"],\"organisations\":[],\"help\":[],\"outcome\":\"answered\","
		"\"minutes\":5,\"channel\":\"walk_in\",\"note\":\"kort\\u0000 06-12345678\"}";
	expect_nul_refused(&h, "/ido/questions", token, note, sizeof note - 1,
			   "an IDO note with a phone number behind a NUL");
	free(token);
	api_free(api);
	ok(harness_stop(&h) == 0, "balied stops cleanly");
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	return tap_done();
}
