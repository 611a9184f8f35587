/* What balied stores, read back from its SQLite file: the schema version and
 * WAL mode, no BSN column anywhere, the demo data a training database
 * promises (and the same data every time), and a database from a newer
 * balied refused. */
#include "tap.h"

#include "harness.h"
#include "service/store/schema.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *open_db(const char *path)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

static long long num(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		printf("# %s: %s\n", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return n;
}

static char *text_dup(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	char *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0))
		s = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

static bool luhn_ok(const char *s)
{
	size_t len = strlen(s);
	unsigned sum = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[len - 1 - i] - '0');
		if (d > 9)
			return false;
		if (i % 2 == 1)
			d = d * 2 > 9 ? d * 2 - 9 : d * 2;
		sum += d;
	}
	return len > 1 && sum % 10 == 0;
}

/* How many values of a column fail the Luhn check. */
static int luhn_failures(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int bad = 0;
	sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	while (st && sqlite3_step(st) == SQLITE_ROW)
		if (!luhn_ok((const char *)sqlite3_column_text(st, 0)))
			bad++;
	sqlite3_finalize(st);
	return bad;
}

static void test_schema(sqlite3 *db)
{
	ok(num(db, "PRAGMA user_version") == (long long)schema_step_count,
	   "the schema is at the version of its last step");
	char *mode = text_dup(db, "PRAGMA journal_mode");
	is_str(mode, "wal", "the database is in WAL mode");
	free(mode);
	ok(num(db, "SELECT count(*) FROM sqlite_schema s, pragma_table_info(s.name) c"
		   " WHERE s.type = 'table' AND lower(c.name) LIKE '%bsn%'") == 0,
	   "no table has a BSN column");
	static const char *const tables[] = {
		"branches", "branch_closed_dates", "staff", "staff_roles", "sessions",
		"login_failures", "patrons", "guardians", "items", "loans", "loan_stats", "charges",
		"credits", "credit_allocations",
		"holds", "idempotency_keys", "audit_log", "ido_catalog", "ido_questions",
	};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_schema WHERE name = '%s'",
			 tables[i]);
		ok(num(db, sql) == 1, "table %s exists", tables[i]);
	}
}

static void test_demo_data(sqlite3 *db)
{
	ok(num(db, "SELECT count(*) FROM branches") == 3, "three branches");
	ok(num(db, "SELECT count(*) FROM branch_closed_dates WHERE date >= date('now')") >= 3,
	   "with closed days ahead");
	ok(num(db, "SELECT count(*) FROM staff") == 3, "three staff accounts");
	ok(num(db, "SELECT count(*) FROM staff s JOIN staff_roles r ON r.staff_id = s.id"
		   " WHERE s.username = r.role") == 3,
	   "balie, ido and beheer, each with its own role");
	ok(num(db, "SELECT count(*) FROM patrons") == 50, "50 patrons");
	ok(num(db, "SELECT count(*) FROM patrons WHERE category = 'youth'") >= 10 &&
		   num(db, "SELECT count(*) FROM patrons WHERE category = 'adult'") >= 10,
	   "young and adult");
	ok(num(db, "SELECT count(*) FROM patrons WHERE category = 'youth'"
		   " AND birth_date <= date('now', '-18 years')") == 0,
	   "every young patron is under 18");
	ok(num(db, "SELECT count(*) FROM patrons WHERE expires_on < date('now')") == 1,
	   "one card expired");
	ok(num(db, "SELECT count(*) FROM (SELECT patron_id FROM charges WHERE cancelled_at IS NULL"
		   " GROUP BY patron_id HAVING sum(amount_cents - paid_cents) > 1000)") == 1,
	   "one patron over the fine limit of 10.00");
	ok(num(db, "SELECT count(*) FROM patrons WHERE manual_block IS NOT NULL") == 1,
	   "one patron blocked by hand");
	ok(num(db, "SELECT count(*) FROM patrons WHERE length(card) <> 14") == 0,
	   "card numbers have 14 digits");
	ok(luhn_failures(db, "SELECT card FROM patrons") == 0, "with a Luhn check digit");
	ok(num(db, "SELECT count(*) FROM patrons WHERE postcode GLOB '*S[ADS]'") == 0,
	   "no postcode ends in SA, SD or SS");
	ok(num(db, "SELECT count(*) FROM items") == 500, "500 items");
	ok(luhn_failures(db, "SELECT barcode FROM items") == 0, "barcodes with a Luhn check digit");
	ok(num(db, "SELECT count(DISTINCT item_type) FROM items") >= 3, "of several item types");
	ok(num(db, "SELECT min(n) FROM (SELECT count(*) AS n FROM items GROUP BY home_branch)") >= 100,
	   "spread over the branches");
	ok(num(db, "SELECT count(*) FROM (SELECT title_id FROM items GROUP BY title_id"
		   " HAVING count(*) BETWEEN 2 AND 4 AND count(DISTINCT home_branch) > 1)") >= 20,
	   "titles with 2 to 4 copies across branches");
	ok(num(db, "SELECT count(*) FROM titles WHERE isbn IS NOT NULL") >= 100,
	   "books with an ISBN");
	ok(num(db, "SELECT count(*) FROM holds WHERE title_id IS NOT NULL") >= 3,
	   "holds on titles");
	ok(num(db, "SELECT count(DISTINCT patron_id) FROM loans WHERE returned_at IS NULL"
		   " AND due_on < date('now')") >= 3,
	   "some patrons with loans overdue");
	ok(num(db, "SELECT count(*) FROM loans l JOIN items i ON i.id = l.item_id"
		   " WHERE i.status <> 'on_loan'") == 0,
	   "every item lent is marked on loan");
	ok(num(db, "SELECT count(*) FROM holds h JOIN items i ON i.id = h.item_id"
		   " WHERE h.status = 'ready' AND i.status = 'hold_shelf'"
		   " AND i.current_branch = h.pickup_branch") >= 2,
	   "holds ready on the hold shelf of their pickup branch");
	ok(num(db, "SELECT count(*) FROM holds WHERE status = 'waiting'") >= 2, "a few holds waiting");
	ok(num(db, "SELECT count(*) FROM ido_catalog WHERE list = 'topic'") >= 10,
	   "the IDO pick lists are there");
}

/* A fingerprint of the demo data, to compare two training databases. */
static char *fingerprint_dup(const char *path)
{
	sqlite3 *db = open_db(path);
	char *f = db ? text_dup(db, "SELECT (SELECT group_concat(card || given_name || family_name"
				    " || postcode, ',') FROM patrons) || (SELECT group_concat("
				    "barcode || title || author || item_type, ',') FROM items i"
				    " JOIN titles t ON t.id = i.title_id)")
		     : NULL;
	sqlite3_close(db);
	return f;
}

int main(void)
{
	struct harness h, h2;
	struct harness_opts opts = { .training = true };
	if (!ok(harness_start(&h, &opts), "balied --training starts") ||
	    !ok(harness_stop(&h) == 0, "and stops")) {
		harness_cleanup(&h);
		return tap_done();
	}
	sqlite3 *db = open_db(h.db);
	if (ok(db != NULL, "its database opens")) {
		test_schema(db);
		test_demo_data(db);
	}
	sqlite3_close(db);

	if (ok(harness_start(&h2, &opts), "a second training balied starts") &&
	    ok(harness_stop(&h2) == 0, "and stops")) {
		char *a = fingerprint_dup(h.db), *b = fingerprint_dup(h2.db);
		ok(a && b && strcmp(a, b) == 0, "its demo data are the same as the first's");
		free(a);
		free(b);
	}
	harness_cleanup(&h2);

	db = open_db(h.db);
	ok(db && sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL) == SQLITE_OK,
	   "the schema version is set to 99, as a newer balied would");
	sqlite3_close(db);
	char *out, *err;
	int status = harness_run(&h, NULL, &out, &err, "user", "list", NULL);
	ok(status == 1 && strstr(err, "newer"), "this balied refuses it: exit 1 (%s)", err);
	free(out);
	free(err);
	harness_cleanup(&h);
	return tap_done();
}
