/* The store's own part: the choice of driver, the statement cache, the
 * faults that health reports, and the calls that are the same on every
 * database. What differs is in store_sqlite.c and store_pg.c. */
#include "service/store/store.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "service/store/schema.h"
#include "service/store/store_driver.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	/* A failing store is tried again (by health) at most this often. */
	STORE_PROBE_INTERVAL_S = 1,
	/* Health says busy for this long after a writer gave up on a lock. */
	STORE_BUSY_SHOWN_MS = 5000,
};

/* What a write met last, for health and the log: one store a process. */
static _Atomic int store_shared_fault = STORE_FAULT_NONE;
static atomic_ulong store_refused;   /* writes refused since that fault began */
static _Atomic long long store_busy_at; /* when a writer last gave up on a busy lock */
static _Atomic long long store_probe_at;
static _Atomic long long store_said_at; /* when a fault's beginning was last logged */
/* The fault of this thread's latest failure, for its 503. */
static _Thread_local int store_thread_fault = STORE_FAULT_NONE;

bool store_where_is_postgresql(const char *where)
{
	if (!strncmp(where, "postgresql://", 13) || !strncmp(where, "postgres://", 11))
		return true;
	/* libpq's key=value words: a file name has no '=' before a space. */
	return (!strncmp(where, "host=", 5) || !strncmp(where, "dbname=", 7) ||
		!strncmp(where, "service=", 8)) &&
	       strchr(where, '=') != NULL;
}

struct store *store_open(const char *where, char **err)
{
	if (!strncmp(where, "sqlite:", 7))
		return store_sqlite_driver.open(where + 7, err);
	if (store_where_is_postgresql(where))
		return store_pg_driver.open(where, err);
	return store_sqlite_driver.open(where, err);
}

void store_base_init(struct store *base, const struct store_driver *drv, const char *name)
{
	base->drv = drv;
	base->name = xstrdup(name);
	base->n_cached = 0;
}

void store_base_clear(struct store *base)
{
	for (size_t i = 0; i < base->n_cached; i++)
		base->drv->finalize(base->cache[i].stmt);
	base->n_cached = 0;
	free(base->name);
	base->name = NULL;
}

void store_free(struct store *store)
{
	if (!store)
		return;
	store->drv->rollback(store);
	store->drv->close(store);
}

enum store_kind store_kind(const struct store *store)
{
	return store->drv->kind;
}

bool store_step_applies(enum store_kind kind, const char *sql)
{
	if (!strncmp(sql, "/* sqlite */", 12))
		return kind == STORE_SQLITE;
	if (!strncmp(sql, "/* postgresql */", 16))
		return kind == STORE_POSTGRESQL;
	return true;
}

int store_schema_version(void)
{
	return (int)schema_step_count;
}

struct db_stmt *store_stmt(struct store *store, const char *sql)
{
	for (size_t i = 0; i < store->n_cached; i++)
		if (store->cache[i].sql == sql)
			return store->cache[i].stmt;
	bool keep = store->n_cached < STORE_STMT_CACHE;
	struct db_stmt *st = store->drv->prepare(store, sql, keep);
	if (!st) {
		/* A programming error: the SQL of this build does not fit its schema. */
		log_error("cannot prepare a statement: %s", store->drv->errmsg(store));
		abort();
	}
	if (keep)
		store->cache[store->n_cached++] = (struct store_cached){ sql, st };
	else
		log_warn("statement cache full; raise STORE_STMT_CACHE");
	return st;
}

struct db_stmt *store_prepare_once(struct store *store, const char *sql)
{
	struct db_stmt *st = store->drv->prepare(store, sql, false);
	if (!st)
		log_error("database: cannot prepare a statement: %s", store->drv->errmsg(store));
	return st;
}

void db_finalize(struct db_stmt *st)
{
	if (st)
		st->drv->finalize(st);
}

void store_done(struct db_stmt *st)
{
	st->drv->reset(st);
}

void db_bind_int64(struct db_stmt *st, int col, long long v)
{
	st->drv->bind_int64(st, col, v);
}

void db_bind_text(struct db_stmt *st, int col, const char *text, int len)
{
	st->drv->bind_text(st, col, text, len);
}

void db_bind_blob(struct db_stmt *st, int col, const void *data, int len)
{
	st->drv->bind_blob(st, col, data, len);
}

void db_bind_null(struct db_stmt *st, int col)
{
	st->drv->bind_null(st, col);
}

void db_bind_text_or_null(struct db_stmt *st, int col, const char *text)
{
	if (text)
		st->drv->bind_text(st, col, text, -1);
	else
		st->drv->bind_null(st, col);
}

int db_step(struct db_stmt *st)
{
	return st->drv->step(st);
}

long long db_column_int64(struct db_stmt *st, int col)
{
	return st->drv->column_int64(st, col);
}

int db_column_int(struct db_stmt *st, int col)
{
	return (int)st->drv->column_int64(st, col);
}

const char *db_column_text(struct db_stmt *st, int col)
{
	return st->drv->column_text(st, col);
}

void db_column_copy(struct db_stmt *st, int col, char *out, size_t len)
{
	const char *t = st->drv->column_text(st, col);
	snprintf(out, len, "%s", t ? t : "");
}

char *db_column_dup(struct db_stmt *st, int col)
{
	const char *t = st->drv->column_text(st, col);
	return t ? xstrdup(t) : NULL;
}

const void *db_column_blob(struct db_stmt *st, int col)
{
	return st->drv->column_blob(st, col);
}

int db_column_bytes(struct db_stmt *st, int col)
{
	return st->drv->column_bytes(st, col);
}

int db_column_type(struct db_stmt *st, int col)
{
	return st->drv->column_type(st, col);
}

long long store_changes(struct store *store)
{
	return store->drv->changes(store);
}

long long store_last_id(struct store *store)
{
	return store->drv->last_id(store);
}

const char *store_errmsg(struct store *store)
{
	return store->drv->errmsg(store);
}

bool store_failed(struct store *store, const char *what)
{
	log_error("database: %s: %s", what, store->drv->errmsg(store));
	return false;
}

bool store_run(struct store *store, struct db_stmt *stmt, const char *what)
{
	bool ok = db_step(stmt) == DB_DONE;
	if (!ok)
		store_failed(store, what);
	store_done(stmt);
	return ok;
}

bool store_exec(struct store *store, const char *sql)
{
	char *err = NULL;
	if (store->drv->exec(store, sql, &err))
		return true;
	enum store_fault f = store->drv->fault(store);
	if (f == STORE_FAULT_NONE)
		log_error("database: %s", err);
	else
		store_fault_begins(store, f); /* said once, then counted */
	free(err);
	return false;
}

bool store_begin(struct store *store)
{
	return store->drv->begin(store);
}

bool store_commit(struct store *store)
{
	return store->drv->commit(store);
}

void store_rollback(struct store *store)
{
	store->drv->rollback(store);
}

void store_set_serving(struct store *store)
{
	store->drv->set_serving(store);
}

int store_step_nowait(struct store *store, struct db_stmt *stmt)
{
	return store->drv->step_nowait(store, stmt);
}

bool store_check_writable(struct store *store, char **err)
{
	return store->drv->check_writable(store, err);
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

void store_fault_note(enum store_fault f)
{
	if (f != STORE_FAULT_NONE)
		store_thread_fault = (int)f;
}

enum store_fault store_fault_shared(void)
{
	return (enum store_fault)atomic_load(&store_shared_fault);
}

void store_fault_begins(struct store *store, enum store_fault f)
{
	store_thread_fault = (int)f;
	if (f == STORE_FAULT_BUSY) {
		/* A passing state: said when it starts, and health says so. */
		long long now = clock_now_ms();
		if (now - atomic_exchange(&store_busy_at, now) > STORE_BUSY_SHOWN_MS)
			log_warn("database %s: %s; writes are refused (503) while it does",
				 store->name, fault_phrase(f));
		return;
	}
	int was = atomic_exchange(&store_shared_fault, (int)f);
	atomic_fetch_add(&store_refused, 1);
	/* A disk that is nearly full fails and succeeds by turns: the
	 * beginning is said once a minute at most, the refusals are counted. */
	long long now = clock_now_ms();
	if (was != (int)f && now - atomic_exchange(&store_said_at, now) > 60000)
		log_error("database %s: %s; writes are refused (503) until that is mended",
			  store->name, fault_phrase(f));
}

void store_fault_ends(struct store *store)
{
	int was = atomic_exchange(&store_shared_fault, STORE_FAULT_NONE);
	if (was == STORE_FAULT_NONE)
		return;
	unsigned long n = atomic_exchange(&store_refused, 0);
	log_info("database %s: writes succeed again (%lu refused while %s)", store->name, n,
		 was == STORE_FAULT_FULL ? "the disk was full" : fault_phrase((enum store_fault)was));
}

enum store_fault store_health(struct store *store)
{
	enum store_fault f = store_fault_shared();
	if (f != STORE_FAULT_NONE && store_probe_due()) {
		/* Nobody may write while health says failing (a balancer took
		 * the node out, the desks wait): health tries a write itself. */
		bool ok = store->drv->probe(store);
		f = ok ? STORE_FAULT_NONE : store_fault_shared();
	}
	if (f == STORE_FAULT_NONE && clock_now_ms() - atomic_load(&store_busy_at) < STORE_BUSY_SHOWN_MS)
		return STORE_FAULT_BUSY;
	return f;
}

bool store_probe_due(void)
{
	long long now = clock_now_ms(), last = atomic_load(&store_probe_at);
	return now - last >= 1000 * STORE_PROBE_INTERVAL_S &&
	       atomic_compare_exchange_strong(&store_probe_at, &last, now);
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

long long store_busy_at_ms(void)
{
	return atomic_load(&store_busy_at);
}

enum store_fault store_thread_fault_peek(void)
{
	return (enum store_fault)store_thread_fault;
}

char *store_meta_dup(struct store *store, const char *key)
{
	struct db_stmt *st = store_stmt(store, "SELECT value FROM meta WHERE key = ?");
	db_bind_text(st, 1, key, -1);
	char *value = NULL;
	if (db_step(st) == DB_ROW)
		value = xstrdup(db_column_text(st, 0));
	store_done(st);
	return value;
}

bool store_meta_set(struct store *store, const char *key, const char *value)
{
	struct db_stmt *st = store_stmt(store,
				      "INSERT INTO meta (key, value) VALUES (?, ?)"
				      " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
	db_bind_text(st, 1, key, -1);
	db_bind_text(st, 2, value, -1);
	return store_run(store, st, "setting a meta value");
}
