/* One SQLite connection of balied: opened with the pragmas the design asks for
 * (WAL, synchronous=FULL, foreign keys, a busy timeout; store_commit flushes
 * the log itself, see store.c), the schema migrated,
 * and prepared statements kept for reuse. A connection belongs to one thread. */
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

/* The value of a row of the meta table, newly allocated, or NULL. */
char *store_meta_dup(struct store *store, const char *key);
bool store_meta_set(struct store *store, const char *key, const char *value);

/* The schema version this build migrates to. */
int store_schema_version(void);

#endif
