#include "circ_fixture.h"

#include "core/date.h"
#include "core/jsonx.h"
#include "core/luhn.h"
#include "core/uuid.h"
#include "core/xalloc.h"
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool fx_login(struct fx *fx, const char *user, const char *branch)
{
	struct api_reply *r = harness_login(fx->api, user, "oefenen", branch);
	const char *token = jsonx_string(r->body, "token");
	bool in = r->status == 201 && token;
	if (in)
		api_set_token(fx->api, token);
	else
		test_diag("login of %s at %s: %ld", user, branch, r->status);
	api_reply_free(r);
	return in;
}

bool fx_start(struct fx *fx, const char *rules_text)
{
	return fx_start_with(fx, rules_text, NULL);
}

bool fx_start_with(struct fx *fx, const char *rules_text, const char *settings_text)
{
	memset(fx, 0, sizeof *fx);
	setenv("BALIED_TEST_TODAY", FX_TODAY, 1);
	if (!harness_init(&fx->h, NULL)) {
		test_diag("no temporary directory for balied");
		return false;
	}
	if (rules_text || settings_text) {
		char *rules = xasprintf("%s/rules.conf", fx->h.dir);
		fx->h.config = xasprintf("%s/balied.conf", fx->h.dir);
		char *conf = xasprintf("rules = %s\n%s", rules, settings_text ? settings_text : "");
		if (!rules_text)
			rules_text = "";
		bool written = harness_write_file(rules, rules_text) &&
			       harness_write_file(fx->h.config, conf);
		free(conf);
		free(rules);
		if (!written) {
			test_diag("the rules file cannot be written");
			return false;
		}
	}
	struct harness_opts opts = { .training = true };
	if (!harness_launch(&fx->h, &opts))
		return false;
	fx->api = harness_api(&fx->h);
	if (sqlite3_open(fx->h.db, &fx->db) != SQLITE_OK) {
		test_diag("the test cannot open balied's database");
		return false;
	}
	sqlite3_busy_timeout(fx->db, 5000);
	return fx_login(fx, "balie", "CEN");
}

int fx_stop(struct fx *fx)
{
	return harness_stop(&fx->h);
}

void fx_finish(struct fx *fx, bool failed)
{
	if (failed)
		harness_dump_log(&fx->h);
	sqlite3_close(fx->db);
	if (fx->api)
		api_free(fx->api);
	harness_cleanup(&fx->h);
}

void fx_sql(struct fx *fx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = xvasprintf(fmt, ap);
	va_end(ap);
	char *err = NULL;
	if (sqlite3_exec(fx->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		test_diag("SQL failed: %s: %s", sql, err);
		abort();
	}
	free(sql);
}

void fx_instant(long long seconds, char out[32])
{
	/* balied keeps its days in its timezone (the default, Europe/Amsterdam) */
	const char *tz = getenv("TZ");
	char *saved = tz ? xstrdup(tz) : NULL;
	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	tm.tm_year = 2031 - 1900; /* FX_TODAY */
	tm.tm_mon = 2;
	tm.tm_mday = 3;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm) + (time_t)seconds;
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void fx_session_at(struct fx *fx, const char *user, const char *at)
{
	fx_sql(fx,
	       "INSERT INTO audit_log (at, staff_id, branch_code, terminal, action, subject,"
	       " details) SELECT CAST(strftime('%%s', '%s') AS INTEGER), id, 'CEN', 'test-1',"
	       " 'login', username, '{\"address\":\"127.0.0.1\"}' FROM staff"
	       " WHERE username = '%s'",
	       at, user);
	if (fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'login' AND subject = '%s'"
		       " AND at = CAST(strftime('%%s', '%s') AS INTEGER)",
		   user, at) < 1) {
		test_diag("no log-in of %s at %s could be written", user, at);
		abort();
	}
}

ATTR_FORMAT(2, 0)
static sqlite3_stmt *query(struct fx *fx, const char *fmt, va_list ap)
{
	char *sql = xvasprintf(fmt, ap);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(fx->db, sql, -1, &st, NULL) != SQLITE_OK) {
		test_diag("SQL failed: %s: %s", sql, sqlite3_errmsg(fx->db));
		abort();
	}
	free(sql);
	return st;
}

long long fx_num(struct fx *fx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = query(fx, fmt, ap);
	va_end(ap);
	long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	return v;
}

char *fx_text_dup(struct fx *fx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = query(fx, fmt, ap);
	va_end(ap);
	char *v = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

long long fx_patron(struct fx *fx, unsigned n, const char *given, const char *family,
		    const char *category, const char *expires_on, char card[15])
{
	snprintf(card, 14, "21999%08u", n);
	card[13] = luhn_digit(card);
	card[14] = '\0';
	fx_sql(fx,
	       "INSERT INTO patrons (card, given_name, family_name, birth_date, postcode,"
	       " house_number, category, home_branch, enrolled_on, expires_on)"
	       " VALUES ('%s', '%s', '%s', '%s', '1234 AB', %u, '%s', 'CEN', '2030-01-01', '%s')",
	       card, given, family, strcmp(category, "youth") == 0 ? "2020-05-05" : "1980-05-05",
	       n, category, expires_on);
	return fx_num(fx, "SELECT id FROM patrons WHERE card = '%s'", card);
}

long long fx_item(struct fx *fx, unsigned n, const char *type, const char *home, char barcode[15])
{
	fx_sql(fx, "INSERT INTO titles (title, author) VALUES ('Testboek %u', 'Auteur %u')", n, n);
	return fx_copy(fx, n, fx_num(fx, "SELECT max(id) FROM titles"), type, home, barcode);
}

long long fx_copy(struct fx *fx, unsigned n, long long title_id, const char *type,
		  const char *home, char barcode[15])
{
	snprintf(barcode, 14, "3199999%06u", n);
	barcode[13] = luhn_digit(barcode);
	barcode[14] = '\0';
	fx_sql(fx,
	       "INSERT INTO items (barcode, title_id, item_type, home_branch, current_branch)"
	       " VALUES ('%s', %lld, '%s', '%s', '%s')",
	       barcode, title_id, type, home, home);
	return fx_num(fx, "SELECT id FROM items WHERE barcode = '%s'", barcode);
}

void fx_loan(struct fx *fx, long long item_id, long long patron_id, const char *due_on)
{
	fx_sql(fx,
	       "INSERT INTO loans (item_id, patron_id, branch_code, loaned_at, due_on)"
	       " VALUES (%lld, %lld, 'CEN', strftime('%%s', 'now') - 30 * 86400, '%s');"
	       "UPDATE items SET status = 'on_loan' WHERE id = %lld",
	       item_id, patron_id, due_on, item_id);
}

void fx_hold(struct fx *fx, long long patron_id, long long item_id, const char *pickup,
	     const char *status, int days_ago)
{
	fx_sql(fx,
	       "INSERT INTO holds (patron_id, item_id, pickup_branch, status, placed_at)"
	       " VALUES (%lld, %lld, '%s', '%s', strftime('%%s', 'now') - %d * 86400)",
	       patron_id, item_id, pickup, status, days_ago);
}

struct api_reply *fx_post_key(struct fx *fx, const char *path, const char *json, const char *key)
{
	cJSON *body = cJSON_Parse(json);
	if (!body) {
		test_diag("test body is not JSON: %s", json);
		abort();
	}
	struct api_reply *r = api_call(fx->api, "POST", path, body, key);
	cJSON_Delete(body);
	return r;
}

struct api_reply *fx_post(struct fx *fx, const char *path, const char *json)
{
	char key[UUID_STR_LEN];
	uuid_v4(key);
	return fx_post_key(fx, path, json, key);
}

struct api_reply *fx_checkout(struct fx *fx, const char *card, const char *barcode)
{
	char *json = xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"%s\"}", card, barcode);
	struct api_reply *r = fx_post(fx, "/checkouts", json);
	free(json);
	return r;
}

static struct api_reply *item_call(struct fx *fx, const char *path, const char *barcode)
{
	char *json = xasprintf("{\"item_barcode\":\"%s\"}", barcode);
	struct api_reply *r = fx_post(fx, path, json);
	free(json);
	return r;
}

struct api_reply *fx_checkin(struct fx *fx, const char *barcode)
{
	return item_call(fx, "/checkins", barcode);
}

struct api_reply *fx_renew(struct fx *fx, const char *barcode)
{
	return item_call(fx, "/renewals", barcode);
}
