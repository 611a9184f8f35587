/* The SQLite side of the journal's modules (journal.c, the store, and
 * journal_batch.c, the replay's batches): the file's handle, its kept
 * statements and transactions, and reading an entry. Only those two
 * include this header; everyone else goes through client/journal.h and
 * client/journal_batch.h. */
#ifndef BALIE_JOURNAL_DB_H
#define BALIE_JOURNAL_DB_H

#include "client/journal.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <sys/types.h>

enum { JOURNAL_CACHED = 48 };

struct journal {
	sqlite3 *db;
	char *path;
	char *desk;
	pid_t pid;
	/* This opening's own mark beside the pid, so that a restarted desk that
	 * got the pid of the one that died (a container starts each the same)
	 * does not take the dead one's entries for its own: "START/UUID", START
	 * the process's start time (process_start), so that another program
	 * that later got a dead desk's pid is not taken for that desk. */
	char token[32 + UUID_STR_LEN];
	/* Whose entries this opening claims for sending: every entry until
	 * journal_claim_for is called, then only the staff member named there
	 * (none when NULL), so that an entry is only ever sent in the session
	 * of the staff member who made it. */
	bool claim_any;
	char *claimant;
	/* Statements made once and kept (prepare): a replay of thousands of
	 * entries otherwise spends its time compiling the same SQL. Keyed by
	 * the SQL's address: every statement here is a literal. */
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} cache[JOURNAL_CACHED];
	size_t n_cached;
};

#define ENTRY_COLUMNS \
	"seq, key, desk, staff, occurred_at, method, path, body, offline, state, status," \
	" answer, note, retry_of, retried_by, attempts, owner, owner_token, kind"

/* When process pid started, in clock ticks after boot; 0 when that cannot
 * be read. */
unsigned long long journal_db_process_start(pid_t pid);
/* The desk's sentence for a failure of the file, with SQLite's reason and,
 * when it can be found out, its cause, into *err (when err is not NULL).
 * Returns false, for "return journal_db_fail(j, err);". */
bool journal_db_fail(struct journal *j, char **err);
/* Now, as RFC 3339 UTC. */
void journal_db_now_rfc3339(char out[32]);
/* The kept statement for sql (a literal: kept by its address), reset and
 * unbound; NULL when SQLite refuses it. Give it back with
 * journal_db_release, which resets it: a statement left stepped would hold
 * its read of the file open. */
sqlite3_stmt *journal_db_prepare(struct journal *j, const char *sql);
void journal_db_release(struct journal *j, sqlite3_stmt *st);
/* One statement of SQL without results; false when it failed. */
bool journal_db_exec(struct journal *j, const char *sql);
/* BEGIN IMMEDIATE, waiting up to the busy timeout for other desks. */
bool journal_db_begin(struct journal *j);
/* Commits; on failure rolls back what is left, so the connection stays
 * usable, and sets *err. */
bool journal_db_commit(struct journal *j, char **err);
/* Sets *err from the file's failure, rolls back; returns false. */
bool journal_db_rollback_fail(struct journal *j, char **err);
/* A row of ENTRY_COLUMNS as a new entry. */
struct journal_entry *journal_db_entry_from_row(sqlite3_stmt *st);
/* Entry seq, read inside or outside a transaction; *out NULL when missing.
 * False only when the read failed. */
bool journal_db_read_entry(struct journal *j, long long seq, struct journal_entry **out);
/* Writes from now on without (light) or with an fsync of their own: the
 * replay's marks are light, what the desk shows as saved is not. */
bool journal_db_set_light(struct journal *j, bool light);

#endif
