#include "bench_floor.h"

#include "core/uuid.h"
#include "core/xalloc.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

static bool fail(sqlite3 *db, char **err, const char *what)
{
	*err = xasprintf("%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_close(db);
	return false;
}

/* Opens path fresh with the settings of the journal and the store. */
static sqlite3 *open_durable(const char *dir, const char *name, const char *schema, char **err)
{
	char *path = xasprintf("%s/%s", dir, name);
	remove(path);
	sqlite3 *db = NULL;
	int rc = sqlite3_open(path, &db);
	free(path);
	if (rc != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		fail(db, err, name);
		return NULL;
	}
	return db;
}

static const char body_json[] =
	"{\"patron_card\":\"21000000000021\",\"item_barcode\":\"31000000001234\"}";

bool bench_floor_journal(const char *dir, unsigned n, struct bench_samples *out, char **err)
{
	sqlite3 *db = open_durable(dir, "bench-journal.db",
		"CREATE TABLE entries (seq INTEGER PRIMARY KEY, idem_key TEXT NOT NULL UNIQUE,"
		" desk TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL,"
		" occurred_at TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending')", err);
	if (!db)
		return false;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db,
		"INSERT INTO entries (idem_key, desk, kind, body, occurred_at)"
		" VALUES (?, 'CEN-1', 'checkout', ?, '2026-11-22T10:00:00Z')", -1, &st,
		NULL) != SQLITE_OK)
		return fail(db, err, "journal insert");
	for (unsigned i = 0; i < n; i++) {
		char key[UUID_STR_LEN];
		uuid_v4(key);
		double t0 = bench_now_ms();
		/* An autocommit INSERT: one transaction, one fsync of the log. */
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, body_json, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		bench_samples_add(out, bench_now_ms() - t0);
		if (rc != SQLITE_DONE) {
			sqlite3_finalize(st);
			return fail(db, err, "journal append");
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return true;
}

static const char store_schema[] =
	"CREATE TABLE items (id INTEGER PRIMARY KEY, barcode TEXT UNIQUE, status TEXT);"
	"CREATE TABLE loans (id INTEGER PRIMARY KEY, item_id INTEGER, patron_id INTEGER,"
	" branch_code TEXT, loaned_at INTEGER, due_on TEXT, returned_at INTEGER);"
	"CREATE INDEX loans_item ON loans (item_id) WHERE returned_at IS NULL;"
	"CREATE INDEX loans_patron ON loans (patron_id) WHERE returned_at IS NULL;"
	"CREATE TABLE idempotency (idem_key TEXT PRIMARY KEY, staff_id INTEGER, body_hash TEXT,"
	" state TEXT, status INTEGER, answer TEXT, created_at INTEGER);"
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
	" INSERT INTO items (id, barcode, status) SELECT i, printf('3100000%07d', i),"
	" 'available' FROM n;";

static const char *const store_steps[] = {
	"INSERT INTO idempotency (idem_key, staff_id, body_hash, state, created_at)"
	" VALUES (?1, 1, 'hash', 'running', 0)",
	"INSERT INTO loans (item_id, patron_id, branch_code, loaned_at, due_on)"
	" VALUES (?2, 21, 'CEN', 0, '2026-12-13')",
	"UPDATE items SET status = 'on_loan' WHERE id = ?2",
	"UPDATE idempotency SET state = 'done', status = 201, answer = '{\"loan\":{}}'"
	" WHERE idem_key = ?1",
};
enum { STORE_STEPS = sizeof store_steps / sizeof store_steps[0] };

bool bench_floor_store(const char *dir, unsigned n, struct bench_samples *out, char **err)
{
	sqlite3 *db = open_durable(dir, "bench-store.db", store_schema, err);
	if (!db)
		return false;
	sqlite3_stmt *st[STORE_STEPS] = {0};
	for (size_t s = 0; s < STORE_STEPS; s++)
		if (sqlite3_prepare_v2(db, store_steps[s], -1, &st[s], NULL) != SQLITE_OK)
			return fail(db, err, "store statement");
	bool good = true;
	for (unsigned i = 0; good && i < n; i++) {
		char key[UUID_STR_LEN];
		uuid_v4(key);
		double t0 = bench_now_ms();
		good = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
		for (size_t s = 0; good && s < STORE_STEPS; s++) {
			sqlite3_bind_text(st[s], 1, key, -1, SQLITE_STATIC);
			sqlite3_bind_int(st[s], 2, (int)(1 + i % 500));
			good = sqlite3_step(st[s]) == SQLITE_DONE;
			sqlite3_reset(st[s]);
		}
		good = good && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
		bench_samples_add(out, bench_now_ms() - t0);
	}
	for (size_t s = 0; s < STORE_STEPS; s++)
		sqlite3_finalize(st[s]);
	if (!good)
		return fail(db, err, "store transaction");
	sqlite3_close(db);
	return true;
}
