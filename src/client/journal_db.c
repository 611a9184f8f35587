#include "client/journal_db.h"

#include "core/i18n.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

/* When process pid started, in clock ticks after boot (field 22 of
 * /proc/PID/stat); 0 when that cannot be read. */
unsigned long long journal_db_process_start(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	/* the name in parentheses may hold spaces and parentheses itself */
	char *p = strrchr(buf, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	return p ? strtoull(p + 1, NULL, 10) : 0;
}

/* SQLite says only "disk I/O error" when a write fails: what IT staff can
 * act on, when it can be found out (a full file system, the size limit of
 * the process), or NULL. */
static const char *journal_db_io_cause(const struct journal *j)
{
	int code = sqlite3_errcode(j->db);
	if (code != SQLITE_IOERR && code != SQLITE_FULL)
		return NULL;
	char *dir = xstrdup(j->path);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir ? 1 : 0] = '\0';
	struct statvfs fs;
	bool full = statvfs(slash ? dir : ".", &fs) == 0 && fs.f_bavail == 0;
	free(dir);
	if (full)
		return _("the disk is full");
	struct rlimit limit;
	if (getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
		char *wal = xasprintf("%s-wal", j->path);
		struct stat st;
		bool at_limit = false;
		/* a write that would grow a file past the limit fails */
		if (stat(wal, &st) == 0 && (rlim_t)st.st_size + 65536 >= limit.rlim_cur)
			at_limit = true;
		if (stat(j->path, &st) == 0 && (rlim_t)st.st_size + 65536 >= limit.rlim_cur)
			at_limit = true;
		free(wal);
		if (at_limit)
			return _("the file size limit of this process (ulimit -f) is reached");
	}
	return NULL;
}

/* The desk's sentence for a failure of the file, with SQLite's reason. */
bool journal_db_fail(struct journal *j, char **err)
{
	if (!err)
		return false;
	const char *cause = journal_db_io_cause(j);
	if (cause)
		*err = xasprintf(_("The journal %s could not be written: %s (%s)"), j->path,
				 sqlite3_errmsg(j->db), cause);
	else
		*err = xasprintf(_("The journal %s could not be written: %s"), j->path,
				 sqlite3_errmsg(j->db));
	return false;
}

void journal_db_now_rfc3339(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The kept statement for sql, reset and unbound; NULL when SQLite refuses
 * it. Give it back with release, which resets it: a statement left stepped
 * would hold its read of the file open. */
sqlite3_stmt *journal_db_prepare(struct journal *j, const char *sql)
{
	for (size_t i = 0; i < j->n_cached; i++)
		if (j->cache[i].sql == sql)
			return j->cache[i].st;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(j->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return NULL;
	if (j->n_cached < JOURNAL_CACHED) {
		j->cache[j->n_cached].sql = sql;
		j->cache[j->n_cached++].st = st;
	}
	return st;
}

void journal_db_release(struct journal *j, sqlite3_stmt *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < j->n_cached; i++) {
		if (j->cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return;
		}
	}
	/* not kept (the cache was full): made for this one use */
	sqlite3_finalize(st);
}

/* One statement of SQL without results. */
bool journal_db_exec(struct journal *j, const char *sql)
{
	sqlite3_stmt *st = journal_db_prepare(j, sql);
	if (!st)
		return false;
	int rc = sqlite3_step(st);
	journal_db_release(j, st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

bool journal_db_begin(struct journal *j)
{
	return journal_db_exec(j, "BEGIN IMMEDIATE");
}

/* Commits; on failure rolls back what is left, so the connection stays usable. */
bool journal_db_commit(struct journal *j, char **err)
{
	if (journal_db_exec(j, "COMMIT"))
		return true;
	journal_db_fail(j, err);
	if (!sqlite3_get_autocommit(j->db))
		journal_db_exec(j, "ROLLBACK");
	return false;
}

bool journal_db_rollback_fail(struct journal *j, char **err)
{
	journal_db_fail(j, err);
	if (!sqlite3_get_autocommit(j->db))
		journal_db_exec(j, "ROLLBACK");
	return false;
}

static char *journal_db_column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	return s ? xstrdup((const char *)s) : NULL;
}

struct journal_entry *journal_db_entry_from_row(sqlite3_stmt *st)
{
	struct journal_entry *e = xcalloc(1, sizeof *e);
	e->seq = sqlite3_column_int64(st, 0);
	const unsigned char *key = sqlite3_column_text(st, 1);
	snprintf(e->key, sizeof e->key, "%s", key ? (const char *)key : "");
	e->desk = journal_db_column_dup(st, 2);
	e->staff = journal_db_column_dup(st, 3);
	e->occurred_at = journal_db_column_dup(st, 4);
	e->method = journal_db_column_dup(st, 5);
	e->path = journal_db_column_dup(st, 6);
	e->body = journal_db_column_dup(st, 7);
	e->offline = sqlite3_column_int(st, 8) != 0;
	if (!journal_state_parse((const char *)sqlite3_column_text(st, 9), &e->state))
		e->state = JOURNAL_PENDING;
	e->status = (long)sqlite3_column_int64(st, 10);
	e->answer = journal_db_column_dup(st, 11);
	e->note = journal_db_column_dup(st, 12);
	e->retry_of = sqlite3_column_int64(st, 13);
	e->retried_by = sqlite3_column_int64(st, 14);
	e->attempts = (unsigned)sqlite3_column_int64(st, 15);
	e->owner = (pid_t)sqlite3_column_int64(st, 16);
	if (!journal_kind_parse((const char *)sqlite3_column_text(st, 18), &e->kind))
		e->kind = JOURNAL_KIND_OTHER;
	return e;
}

/* Entry seq, read inside or outside a transaction; *out NULL when missing.
 * False only when the read failed. */
bool journal_db_read_entry(struct journal *j, long long seq, struct journal_entry **out)
{
	*out = NULL;
	sqlite3_stmt *st = journal_db_prepare(j, "SELECT " ENTRY_COLUMNS " FROM entries WHERE seq = ?");
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, seq);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = journal_db_entry_from_row(st);
	journal_db_release(j, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/*
 * The replay's own marks (claimed, acknowledged, refused, back to pending)
 * are written without their own fsync: lost in a crash, the entry is only
 * sent again under its key, and the service answers the repeat from its
 * idempotency store. The next durable commit (an append) syncs them with
 * it, in order, as the write-ahead log is one file. What the desk shows as
 * saved, and what staff decide (handled, a retry), is always synced.
 */
bool journal_db_set_light(struct journal *j, bool light)
{
	/* Not a kept statement: SQLite applies this pragma when it compiles it. */
	return sqlite3_exec(j->db, light ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL",
			    NULL, NULL, NULL) == SQLITE_OK;
}
