#include "service/store/store.h"

#include "core/clock.h"
#include "core/log.h"
#include "service/metrics/metrics.h"
#include "service/store/schema.h"
#include "core/xalloc.h"

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
	STORE_STMT_CACHE = 256,
	/* The bounds of balied(8), section MEMORY AND DISK. */
	STORE_CACHE_KIB = 1024,               /* page cache of one connection */
	STORE_SOFT_HEAP_BYTES = 24 * 1024 * 1024, /* all connections together */
	STORE_CHECKPOINT_PAGES = 1000,        /* a passive checkpoint */
	STORE_TRUNCATE_PAGES = 2000,          /* a truncating one, waiting for readers */
	STORE_WAL_LIMIT_BYTES = 4 * 1024 * 1024, /* kept of the log file after a reset */
	/* A failing store is tried again (by health) at most this often. */
	STORE_PROBE_INTERVAL_S = 1,
};

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
	char *path;
	bool writing; /* holds store_write_lock */
	bool beginning; /* in BEGIN IMMEDIATE: a wait there is for another process */
	int wal_pages; /* in the write-ahead log after this connection's last commit */
	unsigned busy_limit_ms; /* of the busy handler: 0 for a write that may fail */
	struct timespec busy_since;
	struct store_cached cache[STORE_STMT_CACHE];
	size_t n_cached;
};

/* What a write met last, for health and the log: one store a process. */
static _Atomic int store_shared_fault = STORE_FAULT_NONE;
static atomic_ulong store_refused;   /* writes refused since that fault began */
static _Atomic long long store_busy_at; /* when a writer last gave up on a busy lock */
static _Atomic long long store_probe_at;
static _Atomic long long store_said_at; /* when a fault's beginning was last logged */
/* How long a writer waits for another process's lock: the service sets
 * STORE_LOCK_WAIT_MS (store_set_serving); a command waits longer. */
static atomic_uint store_lock_wait_ms = STORE_QUEUE_WAIT_MS;
/* A writer of this process waits for another process's lock: the writers
 * queued behind it give up at once rather than wait in turn. */
static atomic_bool store_foreign_wait;
/* The fault of this thread's latest failure, for its 503. */
static _Thread_local int store_thread_fault = STORE_FAULT_NONE;


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
	enum store_fault f = fault_of(rc);
	if (f != STORE_FAULT_NONE)
		store_thread_fault = (int)f;
}

static const char *fault_phrase(enum store_fault f)
{
	switch (f) {
	case STORE_FAULT_BUSY: return "another process holds its write lock";
	case STORE_FAULT_FULL: return "the disk is full";
	case STORE_FAULT_READ_ONLY: return "it is read-only";
	default: return "it cannot be read or written";
	}
}

/* A write failed with f: said once when the fault begins, then counted. */
static void fault_begins(struct store *store, enum store_fault f)
{
	store_thread_fault = (int)f;
	if (f == STORE_FAULT_BUSY) {
		/* A passing state: said when it starts, and health says so. */
		long long now = clock_now_ms();
		if (now - atomic_exchange(&store_busy_at, now) > 5000)
			log_warn("database %s: %s; writes are refused (503) while it does",
				 store->path, fault_phrase(f));
		return;
	}
	int was = atomic_exchange(&store_shared_fault, (int)f);
	atomic_fetch_add(&store_refused, 1);
	/* A disk that is nearly full fails and succeeds by turns: the
	 * beginning is said once a minute at most, the refusals are counted. */
	long long now = clock_now_ms();
	if (was != (int)f && now - atomic_exchange(&store_said_at, now) > 60000)
		log_error("database %s: %s; writes are refused (503) until that is mended",
			  store->path, fault_phrase(f));
}

/* A write succeeded: a fault has ended. */
static void fault_ends(struct store *store)
{
	int was = atomic_exchange(&store_shared_fault, STORE_FAULT_NONE);
	if (was == STORE_FAULT_NONE)
		return;
	unsigned long n = atomic_exchange(&store_refused, 0);
	log_info("database %s: writes succeed again (%lu refused while %s)", store->path, n,
		 was == STORE_FAULT_FULL ? "the disk was full" : fault_phrase((enum store_fault)was));
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
	struct store *store = arg;
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
	((struct store *)arg)->wal_pages = pages;
	return SQLITE_OK;
}

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
	struct store *store = xcalloc(1, sizeof *store);
	store->db = db;
	store->path = xstrdup(path);
	store->busy_limit_ms = atomic_load(&store_lock_wait_ms);
	sqlite3_busy_handler(db, store_busy, store);
	/* Our own hook replaces SQLite's automatic checkpoint: store_commit
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
	if (!ok ||
	    !migrate(db, path, &why)) {
		*err = xasprintf("%s: %s", path, why);
		free(why);
		store_free(store);
		return NULL;
	}
	return store;
}

bool store_check_writable(struct store *store, char **err)
{
	int rc = sqlite3_db_readonly(store->db, "main") == 1
			 ? SQLITE_READONLY
			 : sqlite3_exec(store->db, "BEGIN IMMEDIATE; ROLLBACK", NULL, NULL, NULL);
	enum store_fault f = fault_of(sqlite3_extended_errcode(store->db));
	/* A lock held elsewhere (a backup) passes; the writes wait for it. */
	if (rc == SQLITE_OK || (rc & 0xff) == SQLITE_BUSY)
		return true;
	if (rc == SQLITE_READONLY)
		f = STORE_FAULT_READ_ONLY;
	*err = xasprintf("the database %s cannot be written: %s", store->path,
			 f == STORE_FAULT_READ_ONLY ? "it is read-only (the file or its file system)"
						    : sqlite3_errmsg(store->db));
	return false;
}

void store_free(struct store *store)
{
	if (!store)
		return;
	store_rollback(store);
	for (size_t i = 0; i < store->n_cached; i++)
		sqlite3_finalize(store->cache[i].stmt);
	sqlite3_close(store->db);
	free(store->path);
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

bool store_failed(struct store *store, const char *what)
{
	log_error("database: %s: %s", what, sqlite3_errmsg(store_db(store)));
	return false;
}

bool store_run(struct store *store, sqlite3_stmt *stmt, const char *what)
{
	bool ok = sqlite3_step(stmt) == SQLITE_DONE;
	if (!ok)
		store_failed(store, what);
	store_done(stmt);
	return ok;
}

void store_bind_text_or_null(sqlite3_stmt *stmt, int col, const char *text)
{
	if (text)
		sqlite3_bind_text(stmt, col, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, col);
}

bool store_exec(struct store *store, const char *sql)
{
	char *err = NULL;
	if (exec_err(store->db, sql, &err))
		return true;
	enum store_fault f = fault_of(sqlite3_extended_errcode(store->db));
	if (f == STORE_FAULT_NONE)
		log_error("database: %s", err);
	else
		fault_begins(store, f); /* said once, then counted */
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

/* Group commit. With synchronous = FULL every COMMIT waits for
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

bool store_begin(struct store *store)
{
	if (!take_write_lock()) {
		fault_begins(store, STORE_FAULT_BUSY);
		return false;
	}
	store->writing = true;
	bool begun = store_exec(store, "PRAGMA synchronous = NORMAL");
	bool quick = clock_now_ms() - atomic_load(&store_busy_at) < STORE_BUSY_QUICK_MS;
	unsigned limit = store->busy_limit_ms;
	store->busy_limit_ms = quick ? 0 : limit;
	store->beginning = true;
	begun = begun && store_exec(store, "BEGIN IMMEDIATE");
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
static void checkpoint_if_long(struct store *store, bool truncate)
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

bool store_commit(struct store *store)
{
	double started = metrics_now_seconds();
	if (!store_exec(store, "COMMIT"))
		return false; /* still open: the caller rolls back */
	/* After a full disk the log may hold the space it took then. */
	bool was_full = atomic_load(&store_shared_fault) == STORE_FAULT_FULL;
	fault_ends(store);
	checkpoint_if_long(store, was_full);
	release_write(store);
	/* Committed but not known to be on the disk: the caller answers 500,
	 * and the desk's repeat of the key finds what was stored. */
	bool synced = sync_wal(store);
	metrics_observe(&commit_seconds, METRIC_NO_LABELS, metrics_now_seconds() - started);
	return synced;
}

void store_rollback(struct store *store)
{
	if (!sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	/* A full disk: a checkpoint that empties the log may give back the
	 * space it took (at most once a second). */
	if (store->writing && store_thread_fault == STORE_FAULT_FULL) {
		long long now = clock_now_ms(), last = atomic_load(&store_probe_at);
		if (now - last >= 1000 * STORE_PROBE_INTERVAL_S &&
		    atomic_compare_exchange_strong(&store_probe_at, &last, now))
			checkpoint_if_long(store, true);
	}
	release_write(store);
}

void store_set_serving(struct store *store)
{
	atomic_store(&store_lock_wait_ms, STORE_LOCK_WAIT_MS);
	metrics_register(&commit_seconds);
	store->busy_limit_ms = STORE_LOCK_WAIT_MS;
}

int store_step_nowait(struct store *store, sqlite3_stmt *stmt)
{
	unsigned limit = store->busy_limit_ms;
	store->busy_limit_ms = 0;
	int rc = sqlite3_step(stmt);
	store->busy_limit_ms = limit;
	return rc;
}

enum store_fault store_health(struct store *store)
{
	enum store_fault f = (enum store_fault)atomic_load(&store_shared_fault);
	long long now = clock_now_ms(), last = atomic_load(&store_probe_at);
	if (f != STORE_FAULT_NONE && now - last >= 1000 * STORE_PROBE_INTERVAL_S &&
	    atomic_compare_exchange_strong(&store_probe_at, &last, now)) {
		/* Nobody may write while health says failing (a balancer took
		 * the node out, the desks wait): health tries a write itself. */
		bool ok = store_begin(store) &&
			  store_exec(store, "UPDATE meta SET value = value WHERE key = 'mode'") &&
			  store_commit(store);
		store_rollback(store);
		f = ok ? STORE_FAULT_NONE : (enum store_fault)atomic_load(&store_shared_fault);
	}
	if (f == STORE_FAULT_NONE && now - atomic_load(&store_busy_at) < 5000)
		return STORE_FAULT_BUSY;
	return f;
}

const char *store_fault_name(enum store_fault f)
{
	switch (f) {
	case STORE_FAULT_NONE: return "ok";
	case STORE_FAULT_BUSY: return "busy";
	case STORE_FAULT_FULL: return "full";
	case STORE_FAULT_READ_ONLY: return "read_only";
	default: return "unreachable";
	}
}

enum store_fault store_thread_fault_take(void)
{
	enum store_fault f = (enum store_fault)store_thread_fault;
	store_thread_fault = STORE_FAULT_NONE;
	return f;
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
