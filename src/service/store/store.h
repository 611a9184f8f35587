/* One connection of balied to its database, whichever database that is: a
 * SQLite file (the embedded default: one library, training) or PostgreSQL
 * (a network of libraries, several balied in front of it). The schema is
 * migrated on open and prepared statements are kept for reuse. A connection
 * belongs to one thread.
 *
 * The domain writes its SQL once, with ? (or ?N) placeholders, in the SQL
 * the two databases share; each driver (store_sqlite.c, store_pg.c) does
 * what differs. A driver is a table of functions (store_driver.h), as
 * curl's vtls/ has one table per TLS library. */
#ifndef BALIED_STORE_H
#define BALIED_STORE_H

#include <stdbool.h>
#include <stddef.h>

struct store;
/* A prepared statement of a store (store_stmt). */
struct db_stmt;

/* What db_step answers. BUSY: a lock or a conflict with another writer
 * (SQLite's busy, PostgreSQL's serialization failure or deadlock): the
 * transaction is to be rolled back and may be tried again. */
enum db_rc {
	DB_ROW = 100,
	DB_DONE = 101,
	DB_BUSY = 5,
	DB_CONSTRAINT = 19, /* a unique, check or foreign key constraint */
	DB_ERROR = 1,
};

/* The kind of a column's value in the current row. */
enum db_type { DB_NULL = 5, DB_VALUE = 1 };

void db_bind_int64(struct db_stmt *st, int col, long long v);
/* Text of len bytes (-1: up to its NUL); copied when bound. */
void db_bind_text(struct db_stmt *st, int col, const char *text, int len);
void db_bind_blob(struct db_stmt *st, int col, const void *data, int len);
void db_bind_null(struct db_stmt *st, int col);
/* Binds text to column col, or NULL when text is NULL. */
void db_bind_text_or_null(struct db_stmt *st, int col, const char *text);

/* Runs the statement to its next row: DB_ROW, DB_DONE or a failure. */
int db_step(struct db_stmt *st);
/* The current row's columns (from 0). Text is NULL for a NULL and lives
 * until the next step or store_done; a blob likewise. */
long long db_column_int64(struct db_stmt *st, int col);
int db_column_int(struct db_stmt *st, int col);
const char *db_column_text(struct db_stmt *st, int col);
const void *db_column_blob(struct db_stmt *st, int col);
int db_column_bytes(struct db_stmt *st, int col);
int db_column_type(struct db_stmt *st, int col);
/* A column's text copied into out ("" for a NULL), or newly allocated
 * (NULL for a NULL). */
void db_column_copy(struct db_stmt *st, int col, char *out, size_t len);
char *db_column_dup(struct db_stmt *st, int col);

/* Which database a store is on: for the few statements that differ
 * (the search of titles), chosen by the domain. */
enum store_kind { STORE_SQLITE, STORE_POSTGRESQL };
enum store_kind store_kind(const struct store *store);

/* Of the latest statement on store: rows changed, the id given to the row
 * inserted last (an INTEGER PRIMARY KEY), the database's reason of a
 * failure. */
long long store_changes(struct store *store);
long long store_last_id(struct store *store);
const char *store_errmsg(struct store *store);

/*
 * Opens the database named by where and migrates its schema to the newest
 * version: a PostgreSQL connection string (postgresql://... or
 * postgres://..., or key=value words with host= or dbname=), otherwise the
 * path of a SQLite file (sqlite:PATH also), made when there is none.
 * Returns NULL and sets *err (allocated, English) on failure. Free with
 * store_free.
 */
struct store *store_open(const char *where, char **err);
void store_free(struct store *store);
/* True when where names a PostgreSQL database rather than a file. */
bool store_where_is_postgresql(const char *where);

/*
 * Returns the prepared statement for sql, made once per connection and kept.
 * sql must be a string that lives for the whole program (a literal): the
 * cache is keyed by its address. Hand it back with store_done.
 */
struct db_stmt *store_stmt(struct store *store, const char *sql);
/*
 * A statement made for this one use (SQL built at run time), to be freed
 * with db_finalize; NULL (logged) when it does not prepare.
 */
struct db_stmt *store_prepare_once(struct store *store, const char *sql);
void db_finalize(struct db_stmt *st);
/* Resets a statement from store_stmt and clears its bindings. */
void store_done(struct db_stmt *stmt);
/* Logs that what failed, with the database's reason; returns false. */
bool store_failed(struct store *store, const char *what);
/* Runs a statement that returns no rows to its end and hands it back; false
 * (logged as what) when it did not end well. */
bool store_run(struct store *store, struct db_stmt *stmt, const char *what);

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
 * Like db_step, but a lock held elsewhere fails it at once (DB_BUSY)
 * rather than after the busy wait: for a write that may be skipped, such as
 * marking a session as seen on a read.
 */
int store_step_nowait(struct store *store, struct db_stmt *stmt);

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
