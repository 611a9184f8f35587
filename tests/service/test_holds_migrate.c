/* A database of the first schema (items with their own title and author,
 * holds on one item) migrated by a real balied to the titles of step 2: one
 * title per distinct title and author, every item with its title, the old
 * hold kept as an item-level hold, and the title search answering from it. */
#include "tap.h"

#include "harness.h"
#include "core/jsonx.h"
#include "service/store/schema.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static bool exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	bool done = sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK;
	if (!done)
		diag("%s: %s", sql, err ? err : "");
	sqlite3_free(err);
	return done;
}

/* The first schema step as it was released, and rows in it. */
static bool make_old(const char *path)
{
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return false;
	bool done = exec(db, "BEGIN");
	for (size_t i = 0; done && i < schema_steps[0].n_sql; i++)
		done = exec(db, schema_steps[0].sql[i]);
	done = done && exec(db, "PRAGMA user_version = 1") &&
	       exec(db, "INSERT INTO branches (code, name) VALUES ('CEN', 'Centrale')") &&
	       exec(db, "INSERT INTO patrons (card, given_name, family_name, birth_date, postcode,"
			" house_number, category, home_branch, enrolled_on, expires_on) VALUES"
			" ('21000000000018', 'Anna', 'Aalders', '1980-01-01', '1234AB', 1, 'adult',"
			" 'CEN', '2020-01-01', '2099-12-31')") &&
	       exec(db, "INSERT INTO items (barcode, title, author, item_type, home_branch,"
			" current_branch) VALUES"
			" ('31000000000011', 'Het oude huis', 'Bea Bos', 'book', 'CEN', 'CEN'),"
			" ('31000000000029', 'Het oude huis', 'Bea Bos', 'book', 'CEN', 'CEN'),"
			" ('31000000000037', 'Het oude huis', 'Cor Dam', 'book', 'CEN', 'CEN'),"
			" ('31000000000045', 'Ander boek', 'Bea Bos', 'book', 'CEN', 'CEN')") &&
	       exec(db, "INSERT INTO holds (patron_id, item_id, pickup_branch, placed_at)"
			" VALUES (1, 3, 'CEN', 1000)") &&
	       exec(db, "INSERT INTO fines (patron_id, item_barcode, reason, amount_cents,"
			" created_at, paid_at) VALUES"
			" (1, '31000000000011', 'late_return', 250, 2000, NULL),"
			" (1, '31000000000029', 'late_return', 100, 3000, 4000)") &&
	       exec(db, "INSERT INTO staff (username, name, password_hash, created_at)"
			" VALUES ('piet', 'Piet', 'x', 1)") &&
	       exec(db, "INSERT INTO staff_permissions VALUES (1, 'override')") &&
	       exec(db, "COMMIT");
	sqlite3_close(db);
	return done;
}

static long long num(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		diag("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return v;
}

int main(void)
{
	struct harness h;
	struct harness_opts opts = { 0 };
	if (!ok(harness_init(&h, &opts), "a directory for balied") ||
	    !ok(make_old(h.db), "a database of schema version 1 with items and a hold")) {
		harness_cleanup(&h);
		return tap_done();
	}
	char *out = NULL, *err = NULL;
	int status = harness_run(&h, NULL, &out, &err, "holds", "expire", NULL);
	ok(status == 0, "balied opens it and runs a command: exit 0 (%d: %s)", status,
	   err ? err : "");
	free(out);
	free(err);
	sqlite3 *db;
	sqlite3_open(h.db, &db);
	ok(num(db, "PRAGMA user_version") == (long long)schema_step_count,
	   "migrated to the last schema version");
	ok(num(db, "SELECT count(*) FROM titles") == 3,
	   "one title per distinct title and author: 3");
	ok(num(db, "SELECT count(*) FROM items WHERE title_id IS NULL") == 0,
	   "every item has its title");
	ok(num(db, "SELECT count(DISTINCT title_id) FROM items WHERE barcode IN"
		   " ('31000000000011', '31000000000029')") == 1,
	   "the two copies of one title share it");
	ok(num(db, "SELECT count(*) FROM holds h JOIN items i ON i.id = h.item_id"
		   " JOIN titles t ON t.id = i.title_id WHERE h.title_id IS NULL"
		   " AND i.barcode = '31000000000037' AND t.author = 'Cor Dam'"
		   " AND h.status = 'waiting'") == 1,
	   "the old hold is kept, on its one item");
	ok(num(db, "SELECT count(*) FROM charges WHERE kind = 'overdue_fine' AND patron_id = 1"
		   " AND item_barcode = '31000000000011' AND amount_cents = 250"
		   " AND paid_cents = 0 AND created_at = 2000") == 1,
	   "the unpaid fine is an open charge of kind overdue_fine");
	ok(num(db, "SELECT count(*) FROM charges WHERE item_barcode = '31000000000029'"
		   " AND paid_cents = amount_cents") == 1,
	   "the paid fine is a charge that is paid");
	ok(num(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'fines'") == 0,
	   "the table of fines is gone");
	ok(num(db, "SELECT count(*) FROM staff_permissions WHERE permission = 'override'") == 1,
	   "the granted permission is kept when its table is widened");
	ok(num(db, "SELECT count(*) FROM titles_fts WHERE titles_fts MATCH 'oude'") == 2,
	   "the word index holds the migrated titles");
	ok(sqlite3_exec(db, "INSERT INTO items (barcode, item_type, home_branch, current_branch)"
			    " VALUES ('31000000000052', 'book', 'CEN', 'CEN')", NULL, NULL, NULL)
		   != SQLITE_OK, "an item without a title is refused");
	sqlite3_close(db);
	harness_cleanup(&h);
	return tap_done();
}
