/* The SQLite driver of the store: one file, opened with the pragmas the
 * design asks for (WAL, synchronous=FULL, foreign keys, a bounded busy wait,
 * a bounded page cache; a commit flushes the log itself and keeps it
 * bounded, see below). */
#include "service/store/store_driver.h"

#include "core/clock.h"
#include "core/log.h"
#include "service/metrics/metrics.h"
#include "service/store/schema.h"
#include "core/xalloc.h"

#include <sqlite3.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
	/* How long one writer waits for a write lock another process holds
	 * (a backup, "balied user ..." from a shell) before it is answered 503
	 * busy: a worker thread is held no longer than this, so that health
	 * and reads on the other threads go on. */
	STORE_LOCK_WAIT_MS = 300,
	/* After a writer gave up on such a lock, writers only try it (no wait)
	 * for this long: one thread at a time waits, now and then. */
	STORE_BUSY_QUICK_MS = 1000,
	/* Waiters for this process's own writers queue at most this long. */
	STORE_QUEUE_WAIT_MS = 5000,
	/* A busy handler that has waited this long is waiting for another
	 * process, not for this one's short autocommit writes. */
	STORE_FOREIGN_AFTER_MS = 50,
	/* The bounds of balied(8), section MEMORY AND DISK. */
	STORE_CACHE_KIB = 1024,               /* page cache of one connection */
	STORE_SOFT_HEAP_BYTES = 24 * 1024 * 1024, /* all connections together */
	STORE_CHECKPOINT_PAGES = 1000,        /* a passive checkpoint */
	STORE_TRUNCATE_PAGES = 2000,          /* a truncating one, waiting for readers */
	STORE_WAL_LIMIT_BYTES = 4 * 1024 * 1024, /* kept of the log file after a reset */
};

struct lite_stmt {
	struct db_stmt base;
	sqlite3_stmt *st;
};

/* Writers of this process take turns here rather than in SQLite's busy
 * handler, which sleeps and polls: a waiting writer starts the moment the one
 * before it commits. Other processes (balied user ...) still meet the busy
 * timeout. One process serves one database, so one lock is enough. */
static pthread_mutex_t store_write_lock = PTHREAD_MUTEX_INITIALIZER;

struct lite {
	struct store base;
	sqlite3 *db;
	bool writing; /* holds store_write_lock */
	bool beginning; /* in BEGIN IMMEDIATE: a wait there is for another process */
	int wal_pages; /* in the write-ahead log after this connection's last commit */
	unsigned busy_limit_ms; /* of the busy handler: 0 for a write that may fail */
	struct timespec busy_since;
};

/* How long a writer waits for another process's lock: the service sets
 * STORE_LOCK_WAIT_MS (store_set_serving); a command waits longer. */
static atomic_uint store_lock_wait_ms = STORE_QUEUE_WAIT_MS;
/* A writer of this process waits for another process's lock: the writers
 * queued behind it give up at once rather than wait in turn. */
static atomic_bool store_foreign_wait;


static enum store_fault fault_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return STORE_FAULT_NONE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_FAULT_BUSY;
	case SQLITE_FULL:
		return STORE_FAULT_FULL;
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return STORE_FAULT_READ_ONLY;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_NOMEM:
		return STORE_FAULT_UNREACHABLE;
	default:
		return STORE_FAULT_NONE; /* a constraint, a misuse: not the store's state */
	}
}

/* SQLite reports every failing statement here, also those the endpoints
 * step themselves, on the thread that met it. */
static void store_sqlite_log(void *arg, int rc, const char *msg)
{
	(void)arg, (void)msg;
	store_fault_note(fault_of(rc));
}

static void store_configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_LOG, store_sqlite_log, NULL);
	sqlite3_soft_heap_limit64(STORE_SOFT_HEAP_BYTES);
}

/*
 * Waits for a lock with short sleeps up to the connection's limit. A writer
 * (holding store_write_lock) that has waited a while marks that it waits
 * for another process, so the writers queued behind it give up at once.
 */
static int store_busy(void *arg, int count)
{
	struct lite *store = arg;
	if (count == 0)
		clock_gettime(CLOCK_MONOTONIC, &store->busy_since);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long waited = (now.tv_sec - store->busy_since.tv_sec) * 1000 +
			   (now.tv_nsec - store->busy_since.tv_nsec) / 1000000;
	if (waited >= (long long)store->busy_limit_ms)
		return 0;
	if (store->beginning && waited >= STORE_FOREIGN_AFTER_MS)
		atomic_store(&store_foreign_wait, true);
	nanosleep(&(struct timespec){ 0, (count < 5 ? count + 1 : 10) * 1000000L }, NULL);
	return 1;
}

static int store_wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)db, (void)name;
	((struct lite *)arg)->wal_pages = pages;
	return SQLITE_OK;
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
			if (store_step_applies(STORE_SQLITE, schema_steps[v].sql[i]))
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

static struct lite *lite_of(struct store *store)
{
	return (struct lite *)store;
}

static sqlite3_stmt *stmt_of(struct db_stmt *st)
{
	return ((struct lite_stmt *)st)->st;
}

static void lite_close(struct store *base)
{
	struct lite *store = lite_of(base);
	store_base_clear(base);
	sqlite3_close(store->db);
	free(store);
}

static struct store *lite_open(const char *path, char **err)
{
	static pthread_once_t configured = PTHREAD_ONCE_INIT;
	pthread_once(&configured, store_configure_sqlite);
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		*err = xasprintf("%s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return NULL;
	}
	struct lite *store = xcalloc(1, sizeof *store);
	store_base_init(&store->base, &store_sqlite_driver, path);
	store->db = db;
	store->busy_limit_ms = atomic_load(&store_lock_wait_ms);
	sqlite3_busy_handler(db, store_busy, store);
	/* Our own hook replaces SQLite's automatic checkpoint: a commit
	 * checkpoints, under the write lock (see checkpoint_if_long). */
	sqlite3_wal_hook(db, store_wal_hook, store);
	char *why = NULL;
	char *pragmas = xasprintf("PRAGMA journal_mode = WAL;"
				  "PRAGMA synchronous = FULL;"
				  "PRAGMA foreign_keys = ON;"
				  "PRAGMA temp_store = MEMORY;"
				  "PRAGMA cache_size = -%d;"
				  "PRAGMA journal_size_limit = %d;",
				  STORE_CACHE_KIB, STORE_WAL_LIMIT_BYTES);
	bool ok = exec_err(db, pragmas, &why);
	free(pragmas);
	if (!ok || !migrate(db, path, &why)) {
		*err = xasprintf("%s: %s", path, why);
		free(why);
		lite_close(&store->base);
		return NULL;
	}
	return &store->base;
}

static bool lite_check_writable(struct store *base, char **err)
{
	struct lite *store = lite_of(base);
	int rc = sqlite3_db_readonly(store->db, "main") == 1
			 ? SQLITE_READONLY
			 : sqlite3_exec(store->db, "BEGIN IMMEDIATE; ROLLBACK", NULL, NULL, NULL);
	enum store_fault f = fault_of(sqlite3_extended_errcode(store->db));
	/* A lock held elsewhere (a backup) passes; the writes wait for it. */
	if (rc == SQLITE_OK || (rc & 0xff) == SQLITE_BUSY)
		return true;
	if (rc == SQLITE_READONLY)
		f = STORE_FAULT_READ_ONLY;
	*err = xasprintf("the database %s cannot be written: %s", base->name,
			 f == STORE_FAULT_READ_ONLY ? "it is read-only (the file or its file system)"
						    : sqlite3_errmsg(store->db));
	return false;
}

static struct db_stmt *lite_prepare(struct store *base, const char *sql, bool keep)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v3(lite_of(base)->db, sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0,
			       &stmt, NULL) != SQLITE_OK)
		return NULL;
	struct lite_stmt *st = xcalloc(1, sizeof *st);
	st->base.drv = &store_sqlite_driver;
	st->st = stmt;
	return &st->base;
}

static void lite_finalize(struct db_stmt *st)
{
	sqlite3_finalize(stmt_of(st));
	free(st);
}

static void lite_reset(struct db_stmt *st)
{
	sqlite3_reset(stmt_of(st));
	sqlite3_clear_bindings(stmt_of(st));
}

static bool lite_exec(struct store *base, const char *sql, char **err)
{
	return exec_err(lite_of(base)->db, sql, err);
}

static enum store_fault lite_fault(struct store *base)
{
	return fault_of(sqlite3_extended_errcode(lite_of(base)->db));
}

static void release_write(struct lite *store)
{
	if (store->writing) {
		store->writing = false;
		/* Back to a commit that syncs itself, for writes outside
		 * a transaction (see lite_begin). */
		store_exec(&store->base, "PRAGMA synchronous = FULL");
		pthread_mutex_unlock(&store_write_lock);
	}
}

/* Group commit. With synchronous = FULL every COMMIT waits for
 * fdatasync of the write-ahead log while it holds the writer lock, so the
 * writers of all desks queue behind one disk flush at a time. Here a
 * transaction of store_begin commits with synchronous = NORMAL (the log is
 * written, not yet flushed; SQLite keeps the file consistent) and
 * store_commit flushes the log after the lock is released, before it
 * returns: nothing is answered before it is on the disk, and the flushes of
 * several desks overlap with each other and with the next writer's work,
 * as one flush covers every frame written before it. */
static bool sync_wal(struct lite *store)
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

/* Takes store_write_lock, queueing behind this process's writers; gives up
 * at once when the writer ahead waits for another process. */
static bool take_write_lock(void)
{
	long long until = clock_now_ms() + STORE_QUEUE_WAIT_MS;
	for (;;) {
		struct timespec slice;
		clock_gettime(CLOCK_REALTIME, &slice);
		slice.tv_nsec += 20 * 1000000L;
		if (slice.tv_nsec >= 1000000000L) {
			slice.tv_sec++;
			slice.tv_nsec -= 1000000000L;
		}
		int rc = pthread_mutex_timedlock(&store_write_lock, &slice);
		if (rc == 0)
			return true;
		if (rc != ETIMEDOUT || atomic_load(&store_foreign_wait) || clock_now_ms() > until)
			return false;
	}
}

static bool lite_begin(struct store *base)
{
	struct lite *store = lite_of(base);
	if (!take_write_lock()) {
		store_fault_begins(base, STORE_FAULT_BUSY);
		return false;
	}
	store->writing = true;
	bool begun = store_exec(base, "PRAGMA synchronous = NORMAL");
	bool quick = clock_now_ms() - store_busy_at_ms() < STORE_BUSY_QUICK_MS;
	unsigned limit = store->busy_limit_ms;
	store->busy_limit_ms = quick ? 0 : limit;
	store->beginning = true;
	begun = begun && store_exec(base, "BEGIN IMMEDIATE");
	store->beginning = false;
	store->busy_limit_ms = limit;
	atomic_store(&store_foreign_wait, false);
	if (begun)
		return true;
	release_write(store);
	return false;
}

/*
 * Keeps the write-ahead log bounded (balied(8)). SQLite's own automatic
 * checkpoint is passive: a reader that is still on an older snapshot stops
 * it short, the log is then never reset and grows under a steady load. So a
 * passive checkpoint past STORE_CHECKPOINT_PAGES, and past
 * STORE_TRUNCATE_PAGES (or after a full disk) a truncating one, which waits
 * for the readers (up to the busy limit) and empties the file. Runs under
 * store_write_lock, so no writer of this process is in its way.
 */
static void checkpoint_if_long(struct lite *store, bool truncate)
{
	if (!truncate && store->wal_pages < STORE_CHECKPOINT_PAGES)
		return;
	int mode = truncate || store->wal_pages >= STORE_TRUNCATE_PAGES
			   ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE;
	int rc = sqlite3_wal_checkpoint_v2(store->db, "main", mode, NULL, NULL);
	if (rc == SQLITE_OK)
		store->wal_pages = mode == SQLITE_CHECKPOINT_TRUNCATE ? 0 : store->wal_pages;
	else if (rc != SQLITE_BUSY)
		log_warn("database: checkpoint: %s", sqlite3_errmsg(store->db));
}

/* From a tenth of a millisecond (the page cache) to a second (a disk that
 * stalls); a commit waits for the log's flush. */
static const double commit_buckets[] = { 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
					 0.01,   0.025,   0.05,   0.1,   0.25,   1 };
static struct metric commit_seconds = METRIC_HISTOGRAM("balied_store_commit_duration_seconds",
	"Time a transaction's commit took, the flush of the write-ahead log included.",
	commit_buckets, NULL);

static bool lite_commit(struct store *base)
{
	struct lite *store = lite_of(base);
	double started = metrics_now_seconds();
	if (!store_exec(base, "COMMIT"))
		return false; /* still open: the caller rolls back */
	/* After a full disk the log may hold the space it took then. */
	bool was_full = store_fault_shared() == STORE_FAULT_FULL;
	store_fault_ends(base);
	checkpoint_if_long(store, was_full);
	release_write(store);
	/* Committed but not known to be on the disk: the caller answers 500,
	 * and the desk's repeat of the key finds what was stored. */
	bool synced = sync_wal(store);
	metrics_observe(&commit_seconds, METRIC_NO_LABELS, metrics_now_seconds() - started);
	return synced;
}

static void lite_rollback(struct store *base)
{
	struct lite *store = lite_of(base);
	if (!sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	/* A full disk: a checkpoint that empties the log may give back the
	 * space it took (at most once a second). */
	if (store->writing && store_thread_fault_peek() == STORE_FAULT_FULL && store_probe_due())
		checkpoint_if_long(store, true);
	release_write(store);
}

static void lite_set_serving(struct store *base)
{
	atomic_store(&store_lock_wait_ms, STORE_LOCK_WAIT_MS);
	metrics_register(&commit_seconds);
	lite_of(base)->busy_limit_ms = STORE_LOCK_WAIT_MS;
}

static int lite_step_nowait(struct store *base, struct db_stmt *stmt)
{
	struct lite *store = lite_of(base);
	unsigned limit = store->busy_limit_ms;
	store->busy_limit_ms = 0;
	int rc = sqlite3_step(stmt_of(stmt));
	store->busy_limit_ms = limit;
	return rc == SQLITE_LOCKED ? DB_BUSY : rc & 0xff;
}

static bool lite_probe(struct store *base)
{
	bool ok = lite_begin(base) &&
		  store_exec(base, "UPDATE meta SET value = value WHERE key = 'mode'") &&
		  lite_commit(base);
	lite_rollback(base);
	return ok;
}

static long long lite_changes(struct store *base)
{
	return sqlite3_changes64(lite_of(base)->db);
}

static long long lite_last_id(struct store *base)
{
	return sqlite3_last_insert_rowid(lite_of(base)->db);
}

static const char *lite_errmsg(struct store *base)
{
	return sqlite3_errmsg(lite_of(base)->db);
}

static void lite_bind_int64(struct db_stmt *st, int col, long long v)
{
	sqlite3_bind_int64(stmt_of(st), col, v);
}

static void lite_bind_text(struct db_stmt *st, int col, const char *text, int len)
{
	sqlite3_bind_text(stmt_of(st), col, text, len, SQLITE_TRANSIENT);
}

static void lite_bind_blob(struct db_stmt *st, int col, const void *data, int len)
{
	sqlite3_bind_blob(stmt_of(st), col, data, len, SQLITE_TRANSIENT);
}

static void lite_bind_null(struct db_stmt *st, int col)
{
	sqlite3_bind_null(stmt_of(st), col);
}

/* SQLite's primary codes are those of enum db_rc, but for the ones that
 * mean another writer is in the way. */
static int lite_step(struct db_stmt *st)
{
	int rc = sqlite3_step(stmt_of(st)) & 0xff;
	return rc == SQLITE_LOCKED ? DB_BUSY : rc;
}

static long long lite_column_int64(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(stmt_of(st), col);
}

static const char *lite_column_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(stmt_of(st), col);
}

static const void *lite_column_blob(struct db_stmt *st, int col)
{
	return sqlite3_column_blob(stmt_of(st), col);
}

static int lite_column_bytes(struct db_stmt *st, int col)
{
	return sqlite3_column_bytes(stmt_of(st), col);
}

static int lite_column_type(struct db_stmt *st, int col)
{
	return sqlite3_column_type(stmt_of(st), col) == SQLITE_NULL ? DB_NULL : DB_VALUE;
}

const struct store_driver store_sqlite_driver = {
	.kind = STORE_SQLITE,
	.open = lite_open,
	.close = lite_close,
	.prepare = lite_prepare,
	.exec = lite_exec,
	.begin = lite_begin,
	.commit = lite_commit,
	.rollback = lite_rollback,
	.changes = lite_changes,
	.last_id = lite_last_id,
	.errmsg = lite_errmsg,
	.fault = lite_fault,
	.check_writable = lite_check_writable,
	.probe = lite_probe,
	.set_serving = lite_set_serving,
	.step_nowait = lite_step_nowait,
	.bind_int64 = lite_bind_int64,
	.bind_text = lite_bind_text,
	.bind_blob = lite_bind_blob,
	.bind_null = lite_bind_null,
	.step = lite_step,
	.column_int64 = lite_column_int64,
	.column_text = lite_column_text,
	.column_blob = lite_column_blob,
	.column_bytes = lite_column_bytes,
	.column_type = lite_column_type,
	.reset = lite_reset,
	.finalize = lite_finalize,
};
