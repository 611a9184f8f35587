/* POST /staff over HTTP: only beheer may add an account, and the call goes
 * through the Idempotency-Key machinery: a repeat is answered from the store
 * and makes no second account, the same key with another body is refused,
 * and a missing or malformed key is a bad request. */
#include "tap.h"

#include "harness.h"
#include "core/jsonx.h"
#include "core/uuid.h"

#include <stdlib.h>
#include <string.h>

static char *token_dup(struct api *api, const char *user)
{
	struct api_reply *r = harness_login(api, user, "oefenen", "CEN");
	const char *t = jsonx_string(r->body, "token");
	char *token = strdup(t ? t : "");
	api_reply_free(r);
	return token;
}

static cJSON *staff_body(const char *username, const char *password, const char *branch)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "username", username);
	cJSON_AddStringToObject(b, "name", "Piet Puk");
	cJSON_AddStringToObject(b, "password", password);
	cJSON *roles = cJSON_AddArrayToObject(b, "roles");
	cJSON_AddItemToArray(roles, cJSON_CreateString("balie"));
	cJSON_AddItemToArray(roles, cJSON_CreateString("ido"));
	cJSON_AddStringToObject(b, "branch", branch);
	return b;
}

/* How many lines of "balied user list" are about username. */
static int accounts_named(const struct harness *h, const char *username)
{
	char *out = NULL, *err = NULL;
	int n = -1;
	if (harness_run(h, NULL, &out, &err, "user", "list", NULL) == 0) {
		n = 0;
		size_t len = strlen(username);
		for (char *line = out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
			if (strncmp(line, username, len) == 0 && line[len] == ' ')
				n++;
	}
	free(out);
	free(err);
	return n;
}

static void expect(struct api_reply *r, long status, const char *code, const char *what)
{
	ok(r->status == status, "%s: %ld (got %ld)", what, status, r->status);
	is_str(r->error_code, code, "%s: code %s", what, code ? code : "none");
	api_reply_free(r);
}

static void test_keyed(const struct harness *h, struct api *api)
{
	char key[UUID_STR_LEN];
	uuid_v4(key);
	cJSON *body = staff_body("piet", "geheim123", "ZUI");
	struct api_reply *first = api_call(api, "POST", "/staff", body, key);
	ok(first->outcome == API_OK && first->status == 201, "beheer adds piet: 201 (got %ld)",
	   first->status);
	const cJSON *staff = jsonx_object(first->body, "staff");
	is_str(jsonx_string(staff, "username"), "piet", "the answer names piet");
	is_str(jsonx_string(staff, "branch"), "ZUI", "with his branch");
	ok(cJSON_GetArraySize(jsonx_array(staff, "roles")) == 2, "and his two roles");
	bool disabled = true;
	ok(jsonx_bool(staff, "disabled", &disabled) && !disabled, "not disabled");

	struct api_reply *again = api_call(api, "POST", "/staff", body, key);
	ok(again->status == first->status, "the same request with the same key: the same status");
	ok(cJSON_Compare(again->body, first->body, true), "and the same body");
	ok(accounts_named(h, "piet") == 1, "there is one account piet, not two");
	api_reply_free(first);
	api_reply_free(again);

	char key2[UUID_STR_LEN];
	uuid_v4(key2);
	struct api_reply *r = api_call(api, "POST", "/staff", body, key2);
	ok(r->status == 422 && r->error_code && strcmp(r->error_code, "invalid_field") == 0,
	   "the same body with a new key: 422 invalid_field");
	is_str(jsonx_string(r->error_details, "reason"), "taken", "the user name is taken");
	api_reply_free(r);
	cJSON_Delete(body);

	body = staff_body("klaas", "geheim123", "ZUI");
	expect(api_call(api, "POST", "/staff", body, key), 422, "idempotency_key_reused",
	       "the first key with another body");
	ok(accounts_named(h, "klaas") == 0, "and no account klaas was made");
	r = api_call(api, "POST", "/staff", body, NULL);
	ok(r->status == 400 && r->error_code && strcmp(r->error_code, "bad_request") == 0,
	   "no Idempotency-Key: 400 bad_request");
	is_str(jsonx_string(r->error_details, "header"), "Idempotency-Key", "details name the header");
	api_reply_free(r);
	expect(api_call(api, "POST", "/staff", body, "not-a-uuid"), 400, "bad_request",
	       "a key that is not a UUID");
	cJSON_Delete(body);
}

static void test_fields(struct api *api)
{
	static const struct {
		const char *user, *password, *branch, *field;
	} bad[] = {
		{ "Kees Bakker", "geheim123", "CEN", "username" },
		{ "kees", "kort", "CEN", "password" },
		{ "kees", "geheim123", "XYZ", "branch" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char key[UUID_STR_LEN];
		uuid_v4(key);
		cJSON *body = staff_body(bad[i].user, bad[i].password, bad[i].branch);
		struct api_reply *r = api_call(api, "POST", "/staff", body, key);
		ok(r->status == 422, "a bad %s: 422", bad[i].field);
		is_str(jsonx_string(r->error_details, "field"), bad[i].field, "details name the %s",
		       bad[i].field);
		api_reply_free(r);
		cJSON_Delete(body);
	}
}

static void test_roles(struct api *api, const char *user)
{
	char *token = token_dup(api, user);
	api_set_token(api, token);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	cJSON *body = staff_body("jan", "geheim123", "CEN");
	expect(api_call(api, "POST", "/staff", body, key), 403, "forbidden",
	       user);
	cJSON_Delete(body);
	free(token);
}

int main(void)
{
	struct harness h;
	struct harness_opts opts = { .training = true };
	if (!ok(harness_start(&h, &opts), "balied --training starts")) {
		harness_cleanup(&h);
		return tap_done();
	}
	struct api *api = harness_api(&h);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	cJSON *body = staff_body("anna", "geheim123", "CEN");
	expect(api_call(api, "POST", "/staff", body, key), 401, "unauthorized", "without a token");
	cJSON_Delete(body);

	char *token = token_dup(api, "beheer");
	api_set_token(api, token);
	test_keyed(&h, api);
	test_fields(api);
	test_roles(api, "balie");
	test_roles(api, "ido");

	api_set_token(api, NULL);
	struct api_reply *r = harness_login(api, "piet", "geheim123", "NRD");
	ok(r->status == 201, "piet logs in with the password beheer gave him");
	const cJSON *roles = jsonx_array(jsonx_object(r->body, "staff"), "roles");
	ok(cJSON_GetArraySize(roles) == 2 &&
		   strcmp(cJSON_GetArrayItem(roles, 0)->valuestring, "balie") == 0 &&
		   strcmp(cJSON_GetArrayItem(roles, 1)->valuestring, "ido") == 0,
	   "with the roles balie and ido");
	api_reply_free(r);
	free(token);
	api_free(api);
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	return tap_done();
}
