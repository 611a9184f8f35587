/* Login throttling under a burst of parallel tries from several loopback
 * addresses, and the audit log: logins, failed logins, an override, an
 * enrolment and the administration commands (user add and disable,
 * permission grant, IDO catalogue changes) each leave a row, and neither the
 * audit table nor balied's log ever holds a password or a token used. */
#include "tap.h"

#include "harness.h"
#include "core/jsonx.h"
#include "core/uuid.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { BURST = 16, MAX_FAILURES = 3 };

/* The passwords and tokens this test used: none may show up anywhere. */
static char *secrets[64];
static size_t n_secrets;

static void remember(const char *secret)
{
	if (secret && *secret && n_secrets < sizeof secrets / sizeof secrets[0])
		secrets[n_secrets++] = strdup(secret);
}

/*
 * BURST logins at once, one process each, released together through a pipe:
 * user i is users[i % n_users] from source i % n_sources. Counts the answers
 * by status into n401 and n429; returns how many answered something else.
 */
static int burst(const struct harness *h, const char *const *users, int n_users,
		 const char *const *sources, int n_sources, const char *password, int *n401,
		 int *n429)
{
	int go[2], result[2];
	pid_t pids[BURST];
	if (pipe(go) != 0 || pipe(result) != 0)
		return BURST;
	for (int i = 0; i < BURST; i++) {
		pid_t pid = pids[i] = fork();
		if (pid == 0) {
			close(go[1]);
			char c;
			(void)!read(go[0], &c, 1); /* returns at EOF: the start */
			char *req = harness_login_request_dup(users[i % n_users], password, "burst");
			int status = harness_raw(h, sources[i % n_sources], req, strlen(req), NULL);
			short s = (short)status;
			(void)!write(result[1], &s, sizeof s);
			_exit(0);
		}
	}
	close(go[0]);
	close(result[1]);
	close(go[1]);
	*n401 = *n429 = 0;
	int other = 0;
	short s;
	int got = 0;
	while (read(result[0], &s, sizeof s) == (ssize_t)sizeof s) {
		got++;
		if (s == 401)
			(*n401)++;
		else if (s == 429)
			(*n429)++;
		else
			other++;
	}
	close(result[0]);
	/* Not wait(): balied is a child of this test too. */
	for (int i = 0; i < BURST; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
	return other + (BURST - got);
}

static long long db_num(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		diag("query failed: %s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return n;
}

static char *db_text_dup(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	char *text = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		text = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return text;
}

static void test_burst_per_user(const struct harness *h, struct api *api, sqlite3 *db)
{
	static const char *const users[] = { "balie" };
	static const char *const sources[] = { "127.0.0.2", "127.0.0.3", "127.0.0.4",
					       "127.0.0.5" };
	int n401, n429;
	int other = burst(h, users, 1, sources, 4, "geraden1", &n401, &n429);
	ok(other == 0, "a burst of %d wrong logins of balie from 4 addresses: each answered 401 or 429",
	   BURST);
	ok(n401 <= MAX_FAILURES,
	   "at most %d of them had their password checked (401: %d, 429: %d)", MAX_FAILURES, n401,
	   n429);
	ok(n401 + n429 == BURST, "the rest were refused as throttled");
	ok(db_num(db, "SELECT count(*) FROM audit_log WHERE action = 'login_failed'"
		      " AND subject = 'balie'") == n401,
	   "each password tried is a login_failed row in the audit log");
	struct api_reply *r = harness_login(api, "balie", "oefenen", "CEN");
	ok(r->status == 429, "then balie with the right password: 429 (got %ld)", r->status);
	api_reply_free(r);
	remember("geraden1");
}

static void test_burst_per_address(const struct harness *h)
{
	static const char *const users[] = { "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8" };
	static const char *const sources[] = { "127.0.0.9" };
	int n401, n429;
	int other = burst(h, users, 8, sources, 1, "geraden2", &n401, &n429);
	ok(other == 0 && n401 <= MAX_FAILURES,
	   "a burst of %d wrong logins under 8 names from one address: at most %d tried (401: %d,"
	   " 429: %d)", BURST, MAX_FAILURES, n401, n429);
	char *req = harness_login_request_dup("ido", "oefenen", "burst");
	ok(harness_raw(h, "127.0.0.9", req, strlen(req), NULL) == 429,
	   "then ido with the right password from that address: 429");
	ok(harness_raw(h, "127.0.0.10", req, strlen(req), NULL) == 201,
	   "and from another address: 201");
	free(req);
	remember("geraden2");
}

/* Logs in and makes api use the token; the token is remembered. */
static bool login_as(struct api *api, const char *user)
{
	struct api_reply *r = harness_login(api, user, "oefenen", "NRD");
	const char *token = jsonx_string(r->body, "token");
	bool in = r->status == 201 && token;
	if (in) {
		api_set_token(api, token);
		remember(token);
	}
	api_reply_free(r);
	return in;
}

static void test_logins(struct api *api, sqlite3 *db)
{
	ok(login_as(api, "beheer"), "beheer logs in at NRD");
	char *row = db_text_dup(db, "SELECT s.username || ' ' || a.branch_code || ' ' || a.details"
				    " FROM audit_log a JOIN staff s ON s.id = a.staff_id"
				    " WHERE a.action = 'login' ORDER BY a.id DESC LIMIT 1");
	is_str(row, "beheer NRD {\"address\":\"127.0.0.1\"}",
	       "the audit log has the login: who, where and from which address");
	free(row);
	struct api_reply *r = harness_login(api, "niemand", "geraden3", "CEN");
	ok(r->status == 401, "a login of an unknown name: 401");
	api_reply_free(r);
	remember("geraden3");
	ok(db_num(db, "SELECT count(*) FROM audit_log WHERE action = 'login_failed'"
		      " AND subject = 'niemand' AND staff_id IS NULL") == 1,
	   "the failed login of an unknown name is in the audit log, with no account");
	r = harness_login(api, "Kees\n\x1b[2J", "geraden4", "CEN");
	api_reply_free(r);
	remember("geraden4");
	ok(db_num(db, "SELECT count(*) FROM audit_log WHERE action = 'login_failed'"
		      " AND subject = '(not a user name)'") == 1,
	   "a name with control characters is audited as \"(not a user name)\", not as typed");
}

static void test_override(struct api *api, sqlite3 *db)
{
	char *card = db_text_dup(db, "SELECT card FROM patrons WHERE manual_block IS NULL"
				     " ORDER BY id LIMIT 1");
	char *barcode = db_text_dup(db, "SELECT barcode FROM items WHERE status = 'available'"
					" AND item_type = 'book' ORDER BY id LIMIT 1");
	char *sql = NULL;
	if (card) {
		size_t len = strlen(card) + 128;
		sql = malloc(len);
		snprintf(sql, len, "UPDATE patrons SET expires_on = '2001-01-01' WHERE card = '%s'",
			 card);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
	}
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "patron_card", card ? card : "");
	cJSON_AddStringToObject(body, "item_barcode", barcode ? barcode : "");
	cJSON *over = cJSON_AddObjectToObject(body, "override");
	cJSON_AddItemToObject(over, "blocks", cJSON_CreateStringArray((const char *[]){ "card_expired" }, 1));
	cJSON_AddStringToObject(over, "reason", "Pas wordt vandaag verlengd");
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *r = api_call(api, "POST", "/checkouts", body, key);
	ok(r->status == 201, "beheer lends to an expired card with an override: 201 (got %ld %s)",
	   r->status, r->error_code ? r->error_code : "");
	api_reply_free(r);
	cJSON_Delete(body);
	char *row = db_text_dup(db, "SELECT s.username || ' ' || a.reason FROM audit_log a"
				    " JOIN staff s ON s.id = a.staff_id WHERE a.action = 'override'");
	is_str(row, "beheer Pas wordt vandaag verlengd", "the override is audited with its reason");
	free(row);
	free(sql);
	free(card);
	free(barcode);
}

static void test_enrolment(struct api *api, sqlite3 *db)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "kind", "youth");
	cJSON_AddStringToObject(b, "given_name", "Noor");
	cJSON_AddStringToObject(b, "family_name", "Auditvast");
	cJSON_AddStringToObject(b, "birth_date", "2016-05-04");
	cJSON_AddStringToObject(b, "postcode", "1234 AB");
	cJSON_AddStringToObject(b, "house_number", "12");
	cJSON_AddStringToObject(b, "branch", "NRD");
	cJSON *g = cJSON_AddObjectToObject(b, "guardian");
	cJSON_AddStringToObject(g, "name", "Karin Vermeer");
	cJSON_AddStringToObject(g, "relation", "parent");
	cJSON_AddBoolToObject(g, "consent", true);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *r = api_call(api, "POST", "/memberships", b, key);
	const char *card = jsonx_string(jsonx_object(r->body, "patron"), "card");
	ok(r->status == 201 && card, "beheer enrols a child: 201 (got %ld)", r->status);
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM audit_log a JOIN staff s ON s.id = a.staff_id"
		 " WHERE a.action = 'membership_enrol' AND s.username = 'beheer' AND a.subject = '%s'",
		 card ? card : "");
	ok(db_num(db, sql) == 1, "the enrolment is audited with the new card");
	api_reply_free(r);
	cJSON_Delete(b);
}

static long long audit_count(sqlite3 *db, const char *action, const char *subject)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM audit_log WHERE action = '%s' AND subject = '%s'", action,
		 subject);
	return db_num(db, sql);
}

static void test_admin(const struct harness *h, sqlite3 *db)
{
	char *out = NULL, *err = NULL;
	int st = harness_run(h, "wachtwoord-van-piet\nwachtwoord-van-piet\n", &out, &err, "user",
			     "add", "piet", "--role", "balie", "--password-stdin", NULL);
	ok(st == 0, "balied user add piet: exit 0");
	remember("wachtwoord-van-piet");
	free(out), free(err);
	ok(audit_count(db, "staff_add", "piet") == 1, "user add is audited");
	st = harness_run(h, NULL, &out, &err, "permission", "grant", "piet", "override", NULL);
	free(out), free(err);
	ok(st == 0 && audit_count(db, "permission_grant", "piet") >= 1,
	   "permission grant is audited");
	st = harness_run(h, NULL, &out, &err, "user", "disable", "piet", NULL);
	free(out), free(err);
	ok(st == 0 && audit_count(db, "staff_disable", "piet") == 1, "user disable is audited");
	st = harness_run(h, NULL, &out, &err, "ido-catalog", "add", "topic", "pensioen",
			 "Pensioen en AOW", NULL);
	free(out), free(err);
	ok(st == 0 && db_num(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'ido_catalog%'"
				 " AND subject LIKE '%pensioen%'") >= 1,
	   "an IDO catalogue entry added is audited");
	st = harness_run(h, NULL, &out, &err, "ido-catalog", "retire", "topic", "pensioen", NULL);
	free(out), free(err);
	ok(st == 0 && db_num(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'ido_catalog%'"
				 " AND subject LIKE '%pensioen%'") >= 2,
	   "and retired again, audited too");
}

/* True when any remembered secret is inside text (len bytes). */
static const char *leaked(const char *text, size_t len)
{
	for (size_t i = 0; i < n_secrets; i++)
		if (memmem(text, len, secrets[i], strlen(secrets[i])))
			return secrets[i];
	return NULL;
}

static void test_no_secrets(const struct harness *h, sqlite3 *db)
{
	ok(n_secrets >= 7, "the test used %zu passwords and tokens", n_secrets);
	sqlite3_stmt *st = NULL;
	sqlite3_prepare_v2(db,
		"SELECT id, coalesce(branch_code,'') || ' ' || coalesce(terminal,'') || ' ' || action"
		" || ' ' || coalesce(subject,'') || ' ' || coalesce(reason,'') || ' ' ||"
		" coalesce(details,'') FROM audit_log", -1, &st, NULL);
	int rows = 0;
	const char *found = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		rows++;
		const char *text = (const char *)sqlite3_column_text(st, 1);
		const char *s = text ? leaked(text, strlen(text)) : NULL;
		if (s && !found) {
			found = s;
			diag("audit row %lld holds a secret", (long long)sqlite3_column_int64(st, 0));
		}
	}
	sqlite3_finalize(st);
	ok(rows > 10 && !found, "none of the %d audit rows holds a password or token", rows);

	FILE *f = fopen(h->log, "r");
	char *log = NULL;
	size_t len = 0;
	if (f) {
		FILE *mem = open_memstream(&log, &len);
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			fwrite(buf, 1, n, mem);
		fclose(mem);
		fclose(f);
	}
	ok(log && len > 0 && !leaked(log, len),
	   "balied's log (%zu bytes) holds no password or token", len);
	ok(log && strstr(log, "login refused"), "while it does log the refused logins");
	free(log);
}

int main(void)
{
	struct harness h;
	struct harness_opts opts = {
		.training = true,
		.config_text = "login_max_failures = 3\n"
			       "login_window_minutes = 10\n"
			       "threads = 8\n",
	};
	if (!ok(harness_start(&h, &opts), "balied starts with login_max_failures = 3, 8 threads")) {
		harness_cleanup(&h);
		return tap_done();
	}
	remember("oefenen");
	sqlite3 *db = NULL;
	if (!ok(sqlite3_open(h.db, &db) == SQLITE_OK, "the test opens balied's database")) {
		harness_cleanup(&h);
		return tap_done();
	}
	sqlite3_busy_timeout(db, 5000);
	struct api *api = harness_api(&h);
	test_burst_per_user(&h, api, db);
	test_burst_per_address(&h);
	test_logins(api, db);
	test_override(api, db);
	test_enrolment(api, db);
	test_admin(&h, db);
	api_free(api);
	ok(harness_stop(&h) == 0, "balied stops cleanly");
	test_no_secrets(&h, db);
	sqlite3_close(db);
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	for (size_t i = 0; i < n_secrets; i++)
		free(secrets[i]);
	return tap_done();
}
