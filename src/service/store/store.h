/* One SQLite connection of balied: opened with the pragmas the design asks for
 * (WAL, synchronous=FULL, foreign keys, a bounded busy wait, a bounded page
 * cache; store_commit flushes the log itself and keeps it bounded, see
 * store.c), the schema migrated, and prepared statements kept for reuse. A
 * connection belongs to one thread. */
#ifndef BALIED_STORE_H
#define BALIED_STORE_H

#include <sqlite3.h>
#include <stdbool.h>

struct store;

/*
 * Opens (creating when needed) the database at path and migrates its schema
 * to the newest version. Returns NULL and sets *err (allocated, English) on
 * failure. Free with store_free.
 */
struct store *store_open(const char *path, char **err);
void store_free(struct store *store);

sqlite3 *store_db(struct store *store);

/*
 * Returns the prepared statement for sql, made once per connection and kept.
 * sql must be a string that lives for the whole program (a literal): the
 * cache is keyed by its address. Hand it back with store_done.
 */
sqlite3_stmt *store_stmt(struct store *store, const char *sql);
/* Resets a statement from store_stmt and clears its bindings. */
void store_done(sqlite3_stmt *stmt);
/* Logs that what failed, with the database's reason; returns false. */
bool store_failed(struct store *store, const char *what);
/* Runs a statement that returns no rows to its end and hands it back; false
 * (logged as what) when it did not end well. */
bool store_run(struct store *store, sqlite3_stmt *stmt, const char *what);
/* Binds text to column col, or NULL when text is NULL. */
void store_bind_text_or_null(sqlite3_stmt *stmt, int col, const char *text);

/* Runs SQL without results (several statements allowed); false and an
 * error in the log on failure. */
bool store_exec(struct store *store, const char *sql);

/* BEGIN IMMEDIATE (so that a writer never fails half-way on a lock), COMMIT,
 * ROLLBACK. Writers of one process take turns on a lock from store_begin to
 * a successful store_commit or to store_rollback (which is a no-op when no
 * transaction is open), so every store_begin must be ended by one of them. */
bool store_begin(struct store *store);
bool store_commit(struct store *store);
void store_rollback(struct store *store);

/*
 * For the service: from now on a writer of store and of every connection
 * opened later waits at most 300 ms for a write lock another process holds,
 * then fails busy (a 503), so that no worker thread is held long; commands
 * ("balied user ...") wait up to 5 s.
 */
void store_set_serving(struct store *store);

/*
 * Like sqlite3_step, but a lock held elsewhere fails it at once (SQLITE_BUSY)
 * rather than after the busy wait: for a write that may be skipped, such as
 * marking a session as seen on a read.
 */
int store_step_nowait(struct store *store, sqlite3_stmt *stmt);

/* Why the store refused: what a 503 and GET /health name. */
enum store_fault {
	STORE_FAULT_NONE,
	STORE_FAULT_BUSY,        /* another process holds the write lock */
	STORE_FAULT_FULL,        /* the disk (or file size limit) is full */
	STORE_FAULT_READ_ONLY,   /* the file or its file system cannot be written */
	STORE_FAULT_UNREACHABLE, /* cannot be opened, read or written otherwise */
};

/*
 * False and *err (allocated, English, naming the file) when the database
 * cannot be written: balied refuses to serve a store every write and login
 * of which would fail.
 */
bool store_check_writable(struct store *store, char **err);

/*
 * The state of the store for GET /health: the fault of the latest write
 * (BUSY for a few seconds after a writer gave up on a lock). While a write
 * fault lasts it tries a small write at most once a second on store, so
 * that the service recovers when space or write access comes back even when
 * no desk writes.
 */
enum store_fault store_health(struct store *store);
/* "ok", "busy", "full", "read_only", "unreachable". */
const char *store_fault_name(enum store_fault f);
/* The fault this thread met last (NONE when none since the previous take),
 * and forgets it: a request takes it at its start and for its 503. */
enum store_fault store_thread_fault_take(void);

/* The value of a row of the meta table, newly allocated, or NULL. */
char *store_meta_dup(struct store *store, const char *key);
bool store_meta_set(struct store *store, const char *key, const char *value);

/* The schema version this build migrates to. */
int store_schema_version(void);

#endif
