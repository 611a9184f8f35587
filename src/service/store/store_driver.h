/* What a database driver of the store gives (store.h says what the store
 * does): one table of functions per database, chosen by store_open from the
 * name of the database. Only store.c and the drivers include this. */
#ifndef BALIED_STORE_DRIVER_H
#define BALIED_STORE_DRIVER_H

#include "service/store/store.h"

enum { STORE_STMT_CACHE = 256 };

struct store_driver {
	enum store_kind kind;
	/* Opens and migrates (schema_steps); NULL and *err on failure. The
	 * driver's own struct begins with struct store. */
	struct store *(*open)(const char *where, char **err);
	void (*close)(struct store *store);
	/* A statement of sql (with ? or ?N placeholders); keep: it will be
	 * used many times (store_stmt). NULL when it does not prepare. */
	struct db_stmt *(*prepare)(struct store *store, const char *sql, bool keep);
	/* Runs SQL without results, several statements allowed; false with
	 * *err (allocated) on failure. */
	bool (*exec)(struct store *store, const char *sql, char **err);
	bool (*begin)(struct store *store);
	bool (*commit)(struct store *store);
	void (*rollback)(struct store *store);
	long long (*changes)(struct store *store);
	long long (*last_id)(struct store *store);
	const char *(*errmsg)(struct store *store);
	/* The fault of the latest failure on store (store.h, enum store_fault). */
	enum store_fault (*fault)(struct store *store);
	bool (*check_writable)(struct store *store, char **err);
	/* A small write that shows whether writes succeed again. */
	bool (*probe)(struct store *store);
	void (*set_serving)(struct store *store);
	int (*step_nowait)(struct store *store, struct db_stmt *st);

	void (*bind_int64)(struct db_stmt *st, int col, long long v);
	void (*bind_text)(struct db_stmt *st, int col, const char *text, int len);
	void (*bind_blob)(struct db_stmt *st, int col, const void *data, int len);
	void (*bind_null)(struct db_stmt *st, int col);
	int (*step)(struct db_stmt *st);
	long long (*column_int64)(struct db_stmt *st, int col);
	const char *(*column_text)(struct db_stmt *st, int col);
	const void *(*column_blob)(struct db_stmt *st, int col);
	int (*column_bytes)(struct db_stmt *st, int col);
	int (*column_type)(struct db_stmt *st, int col);
	void (*reset)(struct db_stmt *st);
	void (*finalize)(struct db_stmt *st);
};

struct store_cached {
	const char *sql;
	struct db_stmt *stmt;
};

/* The part of every driver's connection that store.c reads. */
struct store {
	const struct store_driver *drv;
	/* What the log names: the file, or the database and host (never a
	 * password). */
	char *name;
	struct store_cached cache[STORE_STMT_CACHE];
	size_t n_cached;
};

/* The part of every driver's statement that store.c reads. */
struct db_stmt {
	const struct store_driver *drv;
};

extern const struct store_driver store_sqlite_driver;
extern const struct store_driver store_pg_driver;

/* Sets base up for a connection of drv named name (copied). */
void store_base_init(struct store *base, const struct store_driver *drv, const char *name);
/* Finalizes the cached statements and frees what store_base_init made. */
void store_base_clear(struct store *base);

/* A write failed with f (not NONE): said once when the fault begins, then
 * counted; health reports it. And a write succeeded: a fault has ended. */
void store_fault_begins(struct store *store, enum store_fault f);
void store_fault_ends(struct store *store);
/* The fault this thread met (for its 503), without the log. */
void store_fault_note(enum store_fault f);
/* The fault all connections share now. */
enum store_fault store_fault_shared(void);
/* The fault this thread met last, kept. */
enum store_fault store_thread_fault_peek(void);
/* When (clock_now_ms) a writer last gave up on a lock held elsewhere. */
long long store_busy_at_ms(void);
/* True at most once a second across threads: time to try a failing store
 * again. */
bool store_probe_due(void);

/* Whether a statement of a schema step is for kind: one that begins with
 * the comment sqlite or postgresql is for that database only, any other
 * for both. */
bool store_step_applies(enum store_kind kind, const char *sql);

#endif
