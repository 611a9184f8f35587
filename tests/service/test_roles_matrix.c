/* Every endpoint against every caller: the roles balie, ido and beheer, no
 * token, an expired token and a token of a disabled account, with the status
 * each must get. The route table is read from src/service/api/routes.c at test
 * time (BALIE_SOURCE_ROOT), so that a route added without its row here, or a
 * row left behind for a route that went, fails the test. */
#include "tap.h"

#include "harness.h"
#include "core/jsonx.h"
#include "core/uuid.h"

#include <regex.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* The callers, in the order of the status columns. */
enum caller { C_BALIE, C_IDO, C_BEHEER, C_NONE, C_EXPIRED, C_DISABLED, N_CALLERS };
static const char *const caller_names[N_CALLERS] = { "balie", "ido", "beheer", "no token",
						     "an expired token",
						     "a disabled account's token" };

struct row {
	const char *method, *pattern; /* as in routes.c */
	const char *path;	      /* what is called, with its parameters filled in */
	const char *body;	      /* JSON text, or NULL */
	long status[N_CALLERS];
};

#define DENIED 401, 401, 401
/* Bodies that are refused for their content, so that no cell changes the
 * data the next cell sees: the status proves the call got past the roles. */
static const struct row rows[] = {
	{ "GET", "/health", "/health", NULL, { 200, 200, 200, 200, 200, 200 } },
	{ "GET", "/branches", "/branches", NULL, { 200, 200, 200, 200, 200, 200 } },
	{ "POST", "/session", "/session", "{}", { 422, 422, 422, 422, 422, 422 } },
	{ "GET", "/session", "/session", NULL, { 200, 200, 200, DENIED } },
	/* Each role's cell gets a token of its own, which the call ends. */
	{ "DELETE", "/session", "/session", NULL, { 204, 204, 204, DENIED } },
	{ "POST", "/staff", "/staff", "{}", { 403, 403, 422, DENIED } },
	{ "GET", "/patrons", "/patrons?q=Jansen", NULL, { 200, 403, 200, DENIED } },
	{ "GET", "/patrons/{card}", "/patrons/21000999999993", NULL, { 404, 403, 404, DENIED } },
	{ "POST", "/checkouts", "/checkouts", "{}", { 422, 403, 422, DENIED } },
	{ "POST", "/checkins", "/checkins", "{}", { 422, 403, 422, DENIED } },
	{ "POST", "/renewals", "/renewals", "{}", { 422, 403, 422, DENIED } },
	{ "GET", "/patrons/{card}/account", "/patrons/21000999999993/account", NULL,
	  { 404, 403, 404, DENIED } },
	{ "POST", "/payments", "/payments", "{}", { 422, 403, 422, DENIED } },
	{ "POST", "/waivers", "/waivers", "{}", { 422, 403, 422, DENIED } },
	{ "GET", "/cashup", "/cashup", NULL, { 200, 403, 200, DENIED } },
	{ "GET", "/cashup.csv", "/cashup.csv", NULL, { 200, 403, 200, DENIED } },
	{ "GET", "/titles", "/titles?q=De", NULL, { 200, 403, 200, DENIED } },
	{ "POST", "/holds", "/holds", "{}", { 422, 403, 422, DENIED } },
	{ "DELETE", "/holds/{id}", "/holds/1", "{}", { 422, 403, 422, DENIED } },
	{ "GET", "/holdshelf", "/holdshelf", NULL, { 200, 403, 200, DENIED } },
	{ "POST", "/holdshelf/clearances", "/holdshelf/clearances", "{}",
	  { 422, 403, 422, DENIED } },
	{ "GET", "/ido/catalog", "/ido/catalog", NULL, { 200, 200, 200, DENIED } },
	{ "POST", "/ido/questions", "/ido/questions", "{}", { 422, 422, 422, DENIED } },
	{ "GET", "/ido/stats", "/ido/stats", NULL, { 200, 200, 200, DENIED } },
	{ "GET", "/ido/export.csv", "/ido/export.csv", NULL, { 403, 403, 200, DENIED } },
	{ "POST", "/memberships", "/memberships", "{}", { 422, 403, 422, DENIED } },
	{ "GET", "/memberships/rules", "/memberships/rules", NULL, { 200, 403, 200, DENIED } },
};
enum { N_ROWS = sizeof rows / sizeof rows[0] };

struct route_def {
	char method[16];
	char pattern[128];
};

/* The routes of src/service/api/routes.c: each row's `.method = "METHOD",
 * .pattern = "/pattern"`, which routes.c keeps on the row's first line.
 * *unnamed counts the rows this cannot read: a positional row
 * (`{ "METHOD", "/pattern",`) or a method without its pattern beside it. */
static size_t read_routes(struct route_def *out, size_t max, size_t *unnamed)
{
	*unnamed = 0;
	const char *root = getenv("BALIE_SOURCE_ROOT");
	char path[1024];
	snprintf(path, sizeof path, "%s/src/service/api/routes.c", root ? root : ".");
	FILE *f = fopen(path, "r");
	if (!f) {
		diag("cannot read %s", path);
		return 0;
	}
	regex_t re, positional, method;
	regcomp(&re, "\\.method *= *\"([A-Z]+)\", *\\.pattern *= *\"(/[^\"]*)\"", REG_EXTENDED);
	regcomp(&positional, "\\{ *\"[A-Z]+\", *\"/", REG_EXTENDED | REG_NOSUB);
	regcomp(&method, "\\.method *= *\"", REG_EXTENDED | REG_NOSUB);
	size_t n = 0;
	char line[1024];
	while (fgets(line, sizeof line, f) && n < max) {
		regmatch_t m[3];
		if (regexec(&re, line, 3, m, 0) != 0) {
			if (regexec(&positional, line, 0, NULL, 0) == 0 ||
			    regexec(&method, line, 0, NULL, 0) == 0) {
				(*unnamed)++;
				diag("routes.c: a row this test cannot read: %.*s",
				     (int)strcspn(line, "\n"), line);
			}
			continue;
		}
		snprintf(out[n].method, sizeof out[n].method, "%.*s", (int)(m[1].rm_eo - m[1].rm_so),
			 line + m[1].rm_so);
		snprintf(out[n].pattern, sizeof out[n].pattern, "%.*s",
			 (int)(m[2].rm_eo - m[2].rm_so), line + m[2].rm_so);
		n++;
	}
	regfree(&re);
	regfree(&positional);
	regfree(&method);
	fclose(f);
	return n;
}

static const struct row *row_of(const char *method, const char *pattern)
{
	for (size_t i = 0; i < N_ROWS; i++)
		if (strcmp(rows[i].method, method) == 0 && strcmp(rows[i].pattern, pattern) == 0)
			return &rows[i];
	return NULL;
}

static void test_table_complete(void)
{
	struct route_def routes[128];
	size_t unnamed;
	size_t n = read_routes(routes, 128, &unnamed);
	ok(n >= 10, "routes.c lists %zu routes", n);
	ok(unnamed == 0, "every row of routes.c names its method and pattern (%zu cannot be read)",
	   unnamed);
	size_t missing = 0;
	for (size_t i = 0; i < n; i++)
		if (!row_of(routes[i].method, routes[i].pattern)) {
			missing++;
			diag("route %s %s has no row in the role matrix", routes[i].method,
			     routes[i].pattern);
		}
	ok(missing == 0, "every route has its row in the role matrix");
	size_t stale = 0;
	for (size_t r = 0; r < N_ROWS; r++) {
		bool found = false;
		for (size_t i = 0; i < n; i++)
			found = found || (strcmp(routes[i].method, rows[r].method) == 0 &&
					  strcmp(routes[i].pattern, rows[r].pattern) == 0);
		if (!found) {
			stale++;
			diag("row %s %s names no route", rows[r].method, rows[r].pattern);
		}
	}
	ok(stale == 0, "every row of the matrix names a route");
}

static char *token_dup(struct api *api, const char *user, const char *password,
		       const char *terminal)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "username", user);
	cJSON_AddStringToObject(b, "password", password);
	cJSON_AddStringToObject(b, "branch", "CEN");
	cJSON_AddStringToObject(b, "terminal", terminal);
	api_set_token(api, NULL);
	struct api_reply *r = api_call(api, "POST", "/session", b, NULL);
	cJSON_Delete(b);
	const char *t = r->status == 201 ? jsonx_string(r->body, "token") : NULL;
	char *token = t ? strdup(t) : NULL;
	if (!token)
		diag("login of %s: %ld", user, r->status);
	api_reply_free(r);
	return token;
}

static bool sql(const struct harness *h, const char *text)
{
	sqlite3 *db = NULL;
	bool done = sqlite3_open(h->db, &db) == SQLITE_OK;
	if (done) {
		sqlite3_busy_timeout(db, 5000);
		done = sqlite3_exec(db, text, NULL, NULL, NULL) == SQLITE_OK;
		if (!done)
			diag("%s: %s", text, sqlite3_errmsg(db));
	}
	sqlite3_close(db);
	return done;
}

/* The tokens of the six callers (NULL for no token). */
static bool make_tokens(const struct harness *h, struct api *api, char *tokens[N_CALLERS])
{
	tokens[C_BALIE] = token_dup(api, "balie", "oefenen", "matrix");
	tokens[C_IDO] = token_dup(api, "ido", "oefenen", "matrix");
	tokens[C_BEHEER] = token_dup(api, "beheer", "oefenen", "matrix");
	tokens[C_NONE] = NULL;
	/* An expired session: one of beheer's, aged in the database. */
	tokens[C_EXPIRED] = token_dup(api, "beheer", "oefenen", "verlopen");
	bool aged = sql(h, "UPDATE sessions SET created_at = 1000, last_seen = 1000,"
			   " expires_at = 2000 WHERE terminal = 'verlopen'");
	/* A disabled account whose session row is still there: the service
	 * itself must check the account. */
	char *out = NULL, *err = NULL;
	int st = harness_run(h, "wachtwoord-weg\n", &out, &err, "user", "add", "weg", "--role",
			     "balie", "--role", "ido", "--role", "beheer", "--password-stdin", NULL);
	free(out);
	free(err);
	tokens[C_DISABLED] = st == 0 ? token_dup(api, "weg", "wachtwoord-weg", "weg") : NULL;
	bool disabled = sql(h, "UPDATE staff SET disabled = 1 WHERE username = 'weg'");
	return ok(tokens[C_BALIE] && tokens[C_IDO] && tokens[C_BEHEER] && tokens[C_EXPIRED] &&
			  aged && tokens[C_DISABLED] && disabled,
		  "tokens of balie, ido and beheer, an expired one and one of a disabled account");
}

static long call_status(struct api *api, const struct row *r, const char *token)
{
	api_set_token(api, token);
	cJSON *body = r->body ? cJSON_Parse(r->body) : NULL;
	char key[UUID_STR_LEN];
	uuid_v4(key);
	/* Logging out takes no key; every other call but a GET does. */
	bool mutating = strcmp(r->method, "GET") != 0 && strcmp(r->pattern, "/session") != 0;
	struct api_reply *reply = api_call(api, r->method, r->path, body, mutating ? key : NULL);
	long status = reply->outcome == API_OK || reply->status ? reply->status : -1;
	if (status == 401 && reply->error_code && strcmp(reply->error_code, "unauthorized") != 0)
		status = -401; /* a 401 must say unauthorized */
	if (status == 403 && (!reply->error_code || strcmp(reply->error_code, "forbidden") != 0))
		status = -403;
	api_reply_free(reply);
	cJSON_Delete(body);
	return status;
}

static void test_matrix(struct api *api, char *tokens[N_CALLERS])
{
	for (size_t i = 0; i < N_ROWS; i++) {
		const struct row *r = &rows[i];
		bool ends_session = strcmp(r->method, "DELETE") == 0 &&
				    strcmp(r->pattern, "/session") == 0;
		for (int c = 0; c < N_CALLERS; c++) {
			char *own = NULL;
			const char *token = tokens[c];
			if (ends_session && c <= C_BEHEER)
				token = own = token_dup(api, caller_names[c], "oefenen", "matrix");
			long got = call_status(api, r, token);
			ok(got == r->status[c], "%s %s with %s: %ld (got %ld)", r->method, r->path,
			   caller_names[c], r->status[c], got);
			if (own && got == 204)
				ok(call_status(api, &rows[3], own) == 401,
				   "and the token it ended no longer works");
			free(own);
		}
	}
}

int main(void)
{
	test_table_complete();
	struct harness h;
	struct harness_opts opts = { .training = true };
	if (!ok(harness_start(&h, &opts), "balied --training starts")) {
		harness_cleanup(&h);
		return tap_done();
	}
	struct api *api = harness_api(&h);
	char *tokens[N_CALLERS] = { 0 };
	if (make_tokens(&h, api, tokens))
		test_matrix(api, tokens);
	for (int c = 0; c < N_CALLERS; c++)
		free(tokens[c]);
	api_free(api);
	ok(harness_stop(&h) == 0, "balied stops cleanly");
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	return tap_done();
}
