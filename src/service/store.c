#include "store.h"

#include "log.h"
#include "schema.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { STORE_BUSY_TIMEOUT_MS = 5000, STORE_STMT_CACHE = 256 };

struct store_cached {
	const char *sql;
	sqlite3_stmt *stmt;
};

/* Writers of this process take turns here rather than in SQLite's busy
 * handler, which sleeps and polls: a waiting writer starts the moment the one
 * before it commits. Other processes (balied user ...) still meet the busy
 * timeout. One process serves one database, so one lock is enough. */
static pthread_mutex_t store_write_lock = PTHREAD_MUTEX_INITIALIZER;

struct store {
	sqlite3 *db;
	bool writing; /* holds store_write_lock */
	struct store_cached cache[STORE_STMT_CACHE];
	size_t n_cached;
};

int store_schema_version(void)
{
	return (int)schema_step_count;
}

static bool exec_err(sqlite3 *db, const char *sql, char **err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return true;
	*err = xstrdup(msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return false;
}

static int user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Each step and its new user_version commit together, so a crash half-way
 * leaves the previous version, never a mixture. */
static bool migrate(sqlite3 *db, const char *path, char **err)
{
	if (user_version(db) == (int)schema_step_count)
		return true; /* the usual case, without taking the write lock */
	if (!exec_err(db, "BEGIN IMMEDIATE", err))
		return false;
	int have = user_version(db);
	int want = (int)schema_step_count;
	if (have < 0 || have > want) {
		*err = have < 0 ? xstrdup("cannot read the schema version")
				: xasprintf("schema version %d is newer than this balied knows (%d)",
					    have, want);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	for (int v = have; v < want; v++) {
		char *sql = xasprintf("PRAGMA user_version = %d", v + 1);
		bool ok = true;
		for (size_t i = 0; ok && i < schema_steps[v].n_sql; i++)
			ok = exec_err(db, schema_steps[v].sql[i], err);
		ok = ok && exec_err(db, sql, err);
		free(sql);
		if (!ok) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return false;
		}
		log_info("database %s: schema migrated to version %d", path, v + 1);
	}
	return exec_err(db, "COMMIT", err);
}

struct store *store_open(const char *path, char **err)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		*err = xasprintf("%s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
	char *why = NULL;
	if (!exec_err(db,
		      "PRAGMA journal_mode = WAL;"
		      "PRAGMA synchronous = FULL;"
		      "PRAGMA foreign_keys = ON;"
		      "PRAGMA temp_store = MEMORY;",
		      &why) ||
	    !migrate(db, path, &why)) {
		*err = xasprintf("%s: %s", path, why);
		free(why);
		sqlite3_close(db);
		return NULL;
	}
	struct store *store = xcalloc(1, sizeof *store);
	store->db = db;
	return store;
}

void store_free(struct store *store)
{
	if (!store)
		return;
	store_rollback(store);
	for (size_t i = 0; i < store->n_cached; i++)
		sqlite3_finalize(store->cache[i].stmt);
	sqlite3_close(store->db);
	free(store);
}

sqlite3 *store_db(struct store *store)
{
	return store->db;
}

sqlite3_stmt *store_stmt(struct store *store, const char *sql)
{
	for (size_t i = 0; i < store->n_cached; i++)
		if (store->cache[i].sql == sql)
			return store->cache[i].stmt;
	sqlite3_stmt *stmt = NULL;
	unsigned flags = store->n_cached < STORE_STMT_CACHE ? SQLITE_PREPARE_PERSISTENT : 0;
	if (sqlite3_prepare_v3(store->db, sql, -1, flags, &stmt, NULL) != SQLITE_OK) {
		/* A programming error: the SQL of this build does not fit its schema. */
		log_error("cannot prepare a statement: %s", sqlite3_errmsg(store->db));
		abort();
	}
	if (store->n_cached < STORE_STMT_CACHE)
		store->cache[store->n_cached++] = (struct store_cached){ sql, stmt };
	else
		log_warn("statement cache full; raise STORE_STMT_CACHE");
	return stmt;
}

void store_done(sqlite3_stmt *stmt)
{
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

bool store_exec(struct store *store, const char *sql)
{
	char *err = NULL;
	if (exec_err(store->db, sql, &err))
		return true;
	log_error("database: %s", err);
	free(err);
	return false;
}

static void release_write(struct store *store)
{
	if (store->writing) {
		store->writing = false;
		/* Back to a commit that syncs itself, for writes outside
		 * store_begin (see there). */
		store_exec(store, "PRAGMA synchronous = FULL");
		pthread_mutex_unlock(&store_write_lock);
	}
}

/* Group commit (issue 8). With synchronous = FULL every COMMIT waits for
 * fdatasync of the write-ahead log while it holds the writer lock, so the
 * writers of all desks queue behind one disk flush at a time. Here a
 * transaction of store_begin commits with synchronous = NORMAL (the log is
 * written, not yet flushed; SQLite keeps the file consistent) and
 * store_commit flushes the log after the lock is released, before it
 * returns: nothing is answered before it is on the disk, and the flushes of
 * several desks overlap with each other and with the next writer's work,
 * as one flush covers every frame written before it. */
static bool sync_wal(struct store *store)
{
	sqlite3_file *wal = NULL;
	if (sqlite3_file_control(store->db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) !=
		    SQLITE_OK ||
	    !wal || !wal->pMethods) {
		log_error("database: no write-ahead log to flush");
		return false;
	}
	int rc = wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL);
	if (rc != SQLITE_OK)
		log_error("database: flushing the write-ahead log: %s", sqlite3_errstr(rc));
	return rc == SQLITE_OK;
}

bool store_begin(struct store *store)
{
	pthread_mutex_lock(&store_write_lock);
	store->writing = true;
	if (store_exec(store, "PRAGMA synchronous = NORMAL") &&
	    store_exec(store, "BEGIN IMMEDIATE"))
		return true;
	release_write(store);
	return false;
}

bool store_commit(struct store *store)
{
	if (!store_exec(store, "COMMIT"))
		return false; /* still open: the caller rolls back */
	release_write(store);
	/* Committed but not known to be on the disk: the caller answers 500,
	 * and the desk's repeat of the key finds what was stored. */
	return sync_wal(store);
}

void store_rollback(struct store *store)
{
	if (!sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	release_write(store);
}

char *store_meta_dup(struct store *store, const char *key)
{
	sqlite3_stmt *st = store_stmt(store, "SELECT value FROM meta WHERE key = ?");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	char *value = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		value = xstrdup((const char *)sqlite3_column_text(st, 0));
	store_done(st);
	return value;
}

bool store_meta_set(struct store *store, const char *key, const char *value)
{
	sqlite3_stmt *st = store_stmt(store,
				      "INSERT INTO meta (key, value) VALUES (?, ?)"
				      " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	bool ok = sqlite3_step(st) == SQLITE_DONE;
	if (!ok)
		log_error("database: %s", sqlite3_errmsg(store->db));
	store_done(st);
	return ok;
}
