/* The session decoders: good bodies give plain structs, a missing or
 * mistyped field is refused with a reason. */
#include "core/jsonx.h"
#include "client/session.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static cJSON *parse(const char *text)
{
	cJSON *j = jsonx_parse(text, strlen(text), NULL);
	if (!j)
		diag("test JSON does not parse: %s", text);
	return j;
}

static void test_health(void)
{
	char *err = NULL;
	cJSON *j = parse("{\"status\":\"ok\",\"version\":\"0.1.0\",\"time\":\"2026-11-22T10:00:00Z\","
			 "\"training\":true,\"extra\":1}");
	struct session_health *h = session_health_decode(j, &err);
	ok(h != NULL, "a health answer decodes, with a field more");
	if (h) {
		is_str(h->version, "0.1.0", "version");
		is_str(h->time, "2026-11-22T10:00:00Z", "time");
		ok(h->training, "training");
	}
	session_health_free(h);
	cJSON_Delete(j);

	static const char *const bad[] = {
		"{\"version\":\"0.1.0\",\"time\":\"t\",\"training\":false}",
		"{\"status\":\"ok\",\"version\":1,\"time\":\"t\",\"training\":false}",
		"{\"status\":\"ok\",\"version\":\"0.1.0\",\"time\":\"t\",\"training\":\"no\"}",
		"[]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		j = parse(bad[i]);
		err = NULL;
		h = session_health_decode(j, &err);
		ok(h == NULL && err && err[0], "health refused: %s (%s)", bad[i], err ? err : "");
		free(err);
		cJSON_Delete(j);
	}
}

static const char *const good_login =
	"{\"token\":\"abcdef0123456789\",\"expires_at\":\"2026-11-22T18:00:00Z\","
	"\"lifetime_seconds\":43200,\"staff\":{\"username\":\"balie\",\"name\":\"Bea Balie\",\"roles\":[\"balie\",\"ido\"],"
	"\"branch\":\"CEN\"}}";

static void test_login(void)
{
	char *err = NULL;
	cJSON *j = parse(good_login);
	struct session_login *s = session_login_decode(j, &err);
	ok(s != NULL, "a login answer decodes");
	if (s) {
		is_str(s->token, "abcdef0123456789", "token");
		is_str(s->expires_at, "2026-11-22T18:00:00Z", "expires_at");
		ok(s->lifetime_seconds == 43200, "lifetime_seconds (%lld)", s->lifetime_seconds);
		is_str(s->username, "balie", "username");
		is_str(s->name, "Bea Balie", "name");
		is_str(s->branch, "CEN", "branch");
		ok(s->n_roles == 2, "two roles");
		ok(session_has_role(s, "balie") && session_has_role(s, "ido"), "balie and ido");
		ok(!session_has_role(s, "beheer") && !session_has_role(s, "bal"),
		   "not beheer, and no prefix match");
	}
	ok(!session_has_role(NULL, "balie"), "no session has no role");
	session_login_free(s);
	cJSON_Delete(j);

	/* an older balied says nothing of the lifetime: the desk does not end it */
	j = parse("{\"token\":\"t\",\"expires_at\":\"x\",\"staff\":{\"username\":\"a\","
		  "\"name\":\"b\",\"roles\":[],\"branch\":\"C\"}}");
	s = session_login_decode(j, &err);
	ok(s && s->lifetime_seconds == 0, "no lifetime_seconds: 0, none known");
	session_login_free(s);
	cJSON_Delete(j);

	static const char *const bad[] = {
		"{\"expires_at\":\"x\",\"staff\":{\"username\":\"a\",\"name\":\"b\",\"roles\":[],\"branch\":\"C\"}}",
		"{\"token\":\"\",\"expires_at\":\"x\",\"staff\":{\"username\":\"a\",\"name\":\"b\",\"roles\":[],\"branch\":\"C\"}}",
		"{\"token\":\"t\",\"expires_at\":\"x\"}",
		"{\"token\":\"t\",\"expires_at\":\"x\",\"staff\":{\"username\":\"a\",\"name\":\"b\",\"roles\":\"balie\",\"branch\":\"C\"}}",
		"{\"token\":\"t\",\"expires_at\":\"x\",\"staff\":{\"username\":\"a\",\"name\":\"b\",\"roles\":[\"balie\",7],\"branch\":\"C\"}}",
		"{\"token\":\"t\",\"expires_at\":\"x\",\"staff\":{\"username\":\"a\",\"name\":\"b\",\"roles\":[]}}",
		"\"token\"",
		"{\"token\":\"t\",\"expires_at\":\"x\",\"lifetime_seconds\":\"43200\",\"staff\":{\"username\":\"a\",\"name\":\"b\",\"roles\":[],\"branch\":\"C\"}}",
		"{\"token\":\"t\",\"expires_at\":\"x\",\"lifetime_seconds\":0,\"staff\":{\"username\":\"a\",\"name\":\"b\",\"roles\":[],\"branch\":\"C\"}}",
		"{\"token\":\"t\",\"expires_at\":\"x\",\"lifetime_seconds\":-5,\"staff\":{\"username\":\"a\",\"name\":\"b\",\"roles\":[],\"branch\":\"C\"}}",
		"{\"token\":\"t\",\"expires_at\":\"x\",\"lifetime_seconds\":1.5,\"staff\":{\"username\":\"a\",\"name\":\"b\",\"roles\":[],\"branch\":\"C\"}}",
		"{\"token\":\"t\",\"expires_at\":\"x\",\"lifetime_seconds\":1e12,\"staff\":{\"username\":\"a\",\"name\":\"b\",\"roles\":[],\"branch\":\"C\"}}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		j = parse(bad[i]);
		err = NULL;
		s = session_login_decode(j, &err);
		ok(s == NULL && err && err[0], "login refused: %s (%s)", bad[i], err ? err : "");
		free(err);
		cJSON_Delete(j);
	}

	cJSON *body = session_login_body_new("balie", "oefenen", "CEN", "desk-1");
	char *text = jsonx_print_dup(body);
	is_str(text, "{\"username\":\"balie\",\"password\":\"oefenen\",\"branch\":\"CEN\","
		     "\"terminal\":\"desk-1\"}",
	       "the login body");
	free(text);
	cJSON_Delete(body);
}

static void test_branches(void)
{
	char *err = NULL;
	cJSON *j = parse("{\"branches\":[{\"code\":\"CEN\",\"name\":\"Centrale Bibliotheek\","
			 "\"open_weekdays\":[1,2,3,4,5,6],\"closed_dates\":[\"2026-12-25\"]},"
			 "{\"code\":\"NRD\",\"name\":\"Noord\",\"open_weekdays\":[2,4]}]}");
	struct session_branches *b = session_branches_decode(j, &err);
	ok(b != NULL && b->n == 2, "two branches decode");
	if (b && b->n == 2) {
		is_str(b->items[0].name, "Centrale Bibliotheek", "the first name");
		ok(b->items[0].open_weekday[1] && b->items[0].open_weekday[6] &&
		   !b->items[0].open_weekday[7], "CEN is open Monday to Saturday, not Sunday");
		ok(b->items[0].n_closed_dates == 1 &&
		   strcmp(b->items[0].closed_dates[0], "2026-12-25") == 0, "a closed date");
		ok(b->items[1].open_weekday[2] && !b->items[1].open_weekday[1] &&
		   b->items[1].n_closed_dates == 0, "NRD: Tuesday and Thursday, no closed dates");
		ok(session_branches_find(b, "NRD") == &b->items[1], "found by code");
		ok(session_branches_find(b, "XYZ") == NULL, "an unknown code is not found");
	}
	session_branches_free(b);
	cJSON_Delete(j);

	static const char *const bad[] = {
		"{}",
		"{\"branches\":{}}",
		"{\"branches\":[{\"name\":\"x\",\"open_weekdays\":[]}]}",
		"{\"branches\":[{\"code\":\"C\",\"name\":\"x\"}]}",
		"{\"branches\":[{\"code\":\"C\",\"name\":\"x\",\"open_weekdays\":[0]}]}",
		"{\"branches\":[{\"code\":\"C\",\"name\":\"x\",\"open_weekdays\":[8]}]}",
		"{\"branches\":[{\"code\":\"C\",\"name\":\"x\",\"open_weekdays\":[1.5]}]}",
		"{\"branches\":[{\"code\":\"C\",\"name\":\"x\",\"open_weekdays\":[\"1\"]}]}",
		"{\"branches\":[{\"code\":\"C\",\"name\":\"x\",\"open_weekdays\":[1],\"closed_dates\":[1]}]}",
		"{\"branches\":[1]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		j = parse(bad[i]);
		err = NULL;
		b = session_branches_decode(j, &err);
		ok(b == NULL && err && err[0], "branches refused: %s (%s)", bad[i], err ? err : "");
		free(err);
		cJSON_Delete(j);
	}
}

int main(void)
{
	test_health();
	test_login();
	test_branches();
	return tap_done();
}
