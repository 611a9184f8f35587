#include "client/journal.h"

#include "core/i18n.h"
#include "core/jsonx.h"
#include "client/paths.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

enum { JOURNAL_BUSY_MS = 10000 };

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

static const char *const state_names[] = {
	[JOURNAL_PENDING] = "pending",
	[JOURNAL_SENT] = "sent",
	[JOURNAL_ACKNOWLEDGED] = "acknowledged",
	[JOURNAL_REFUSED] = "refused",
	[JOURNAL_HANDLED] = "handled",
};

enum { N_STATES = sizeof state_names / sizeof state_names[0] };

/* The partial index keeps finding the next waiting entry cheap however many
 * acknowledged ones the file holds. */
static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS entries ("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	" key TEXT NOT NULL UNIQUE,"
	" desk TEXT NOT NULL,"
	" staff TEXT NOT NULL DEFAULT '',"
	" occurred_at TEXT NOT NULL,"
	" method TEXT NOT NULL,"
	" path TEXT NOT NULL,"
	" body TEXT NOT NULL,"
	" offline INTEGER NOT NULL,"
	" state TEXT NOT NULL CHECK (state IN"
	"  ('pending','sent','acknowledged','refused','handled')),"
	" status INTEGER NOT NULL DEFAULT 0,"
	" answer TEXT,"
	" note TEXT,"
	" retry_of INTEGER,"
	" retried_by INTEGER,"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" owner INTEGER NOT NULL DEFAULT 0,"
	" updated_at TEXT NOT NULL,"
	" owner_token TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX IF NOT EXISTS entries_waiting ON entries(seq)"
	" WHERE state IN ('pending','sent');"
	"CREATE INDEX IF NOT EXISTS entries_by_state ON entries(state);";

#define ENTRY_COLUMNS \
	"seq, key, desk, staff, occurred_at, method, path, body, offline, state, status," \
	" answer, note, retry_of, retried_by, attempts, owner, owner_token"

/* The desk's words for the states. */
static const char *const state_texts[] = {
	[JOURNAL_PENDING] = N_("waiting"),
	[JOURNAL_SENT] = N_("being sent"),
	[JOURNAL_ACKNOWLEDGED] = N_("acknowledged"),
	[JOURNAL_REFUSED] = N_("refused"),
	[JOURNAL_HANDLED] = N_("handled"),
};

const char *journal_state_text(enum journal_state state)
{
	return (unsigned)state < N_STATES ? _(state_texts[state]) : "?";
}

const char *journal_state_name(enum journal_state state)
{
	return (unsigned)state < N_STATES ? state_names[state] : "?";
}

bool journal_state_parse(const char *name, enum journal_state *out)
{
	for (unsigned i = 0; name && i < N_STATES; i++)
		if (strcmp(name, state_names[i]) == 0) {
			*out = (enum journal_state)i;
			return true;
		}
	return false;
}

void journal_entry_free(struct journal_entry *e)
{
	if (!e)
		return;
	free(e->desk);
	free(e->staff);
	free(e->occurred_at);
	free(e->method);
	free(e->path);
	free(e->body);
	free(e->answer);
	free(e->note);
	free(e);
}

void journal_entries_free(struct journal_entry **list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		journal_entry_free(list[i]);
	free(list);
}

const char *journal_path(const struct journal *j)
{
	return j->path;
}

/* When process pid started, in clock ticks after boot (field 22 of
 * /proc/PID/stat); 0 when that cannot be read. */
static unsigned long long process_start(pid_t pid)
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
static const char *io_cause(const struct journal *j)
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
static bool fail(struct journal *j, char **err)
{
	if (!err)
		return false;
	const char *cause = io_cause(j);
	if (cause)
		*err = xasprintf(_("The journal %s could not be written: %s (%s)"), j->path,
				 sqlite3_errmsg(j->db), cause);
	else
		*err = xasprintf(_("The journal %s could not be written: %s"), j->path,
				 sqlite3_errmsg(j->db));
	return false;
}

static void now_rfc3339(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The kept statement for sql, reset and unbound; NULL when SQLite refuses
 * it. Give it back with release, which resets it: a statement left stepped
 * would hold its read of the file open. */
static sqlite3_stmt *prepare(struct journal *j, const char *sql)
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

static void release(struct journal *j, sqlite3_stmt *st)
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
	release(j, st);
}

/* One statement of SQL without results. */
static bool exec(struct journal *j, const char *sql)
{
	sqlite3_stmt *st = prepare(j, sql);
	if (!st)
		return false;
	int rc = sqlite3_step(st);
	release(j, st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

static bool begin(struct journal *j)
{
	return exec(j, "BEGIN IMMEDIATE");
}

/* Commits; on failure rolls back what is left, so the connection stays usable. */
static bool commit(struct journal *j, char **err)
{
	if (exec(j, "COMMIT"))
		return true;
	fail(j, err);
	if (!sqlite3_get_autocommit(j->db))
		exec(j, "ROLLBACK");
	return false;
}

static bool rollback_fail(struct journal *j, char **err)
{
	fail(j, err);
	if (!sqlite3_get_autocommit(j->db))
		exec(j, "ROLLBACK");
	return false;
}

/* Makes sure the file exists with mode 0600 before SQLite opens it; SQLite
 * gives its -wal and -shm files the mode of the database file. */
static bool prepare_file(const char *path, char **err)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	bool ok = true;
	if (slash && slash != dir) {
		*slash = '\0';
		ok = paths_mkdir_p(dir, 0700, err);
	}
	free(dir);
	if (!ok)
		return false;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		*err = xasprintf(_("The journal %s cannot be opened: %s"), path, strerror(errno));
		return false;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && (st.st_mode & 077) != 0 && fchmod(fd, 0600) != 0) {
		*err = xasprintf(_("The journal %s cannot be made private: %s"), path,
				 strerror(errno));
		close(fd);
		return false;
	}
	close(fd);
	return true;
}

static bool setup(struct journal *j)
{
	sqlite3_busy_timeout(j->db, JOURNAL_BUSY_MS);
	sqlite3_stmt *st = prepare(j, "PRAGMA journal_mode=WAL");
	bool wal = st && sqlite3_step(st) == SQLITE_ROW &&
		   strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
	release(j, st);
	if (!wal || sqlite3_exec(j->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
		return false;
	if (!begin(j))
		return false;
	if (sqlite3_exec(j->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK)
		return rollback_fail(j, NULL);
	/* a journal written before the owner's token was kept */
	sqlite3_stmt *probe = prepare(j, "SELECT owner_token FROM entries LIMIT 0");
	release(j, probe);
	if (!probe &&
	    !exec(j, "ALTER TABLE entries ADD COLUMN owner_token TEXT NOT NULL DEFAULT ''"))
		return rollback_fail(j, NULL);
	return commit(j, NULL);
}

struct journal *journal_open(const char *path, const char *desk, char **err)
{
	if (!prepare_file(path, err))
		return NULL;
	struct journal *j = xcalloc(1, sizeof *j);
	j->path = xstrdup(path);
	j->desk = xstrdup(desk ? desk : "");
	j->pid = getpid();
	j->claim_any = true;
	char uuid[UUID_STR_LEN];
	uuid_v4(uuid);
	snprintf(j->token, sizeof j->token, "%llu/%s", process_start(j->pid), uuid);
	int rc = sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
				 NULL);
	if (rc != SQLITE_OK || !setup(j)) {
		*err = xasprintf(_("The journal %s cannot be opened: %s"), path,
				 j->db ? sqlite3_errmsg(j->db) : sqlite3_errstr(rc));
		journal_close(j);
		return NULL;
	}
	if (journal_prune(j, JOURNAL_KEEP_DAYS, err) < 0) {
		journal_close(j);
		return NULL;
	}
	return j;
}

long journal_prune(struct journal *j, unsigned days, char **err)
{
	time_t cutoff = time(NULL) - (time_t)days * 86400;
	struct tm tm;
	char before[32];
	gmtime_r(&cutoff, &tm);
	strftime(before, sizeof before, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!begin(j)) {
		fail(j, err);
		return -1;
	}
	sqlite3_stmt *st = prepare(j, "DELETE FROM entries WHERE state IN ('acknowledged','handled')"
				      " AND updated_at < ?");
	int rc = SQLITE_ERROR;
	if (st) {
		sqlite3_bind_text(st, 1, before, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		release(j, st);
	}
	if (rc != SQLITE_DONE) {
		rollback_fail(j, err);
		return -1;
	}
	long n = sqlite3_changes(j->db);
	return commit(j, err) ? n : -1;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->n_cached; i++)
		sqlite3_finalize(j->cache[i].st);
	sqlite3_close(j->db);
	free(j->path);
	free(j->desk);
	free(j->claimant);
	free(j);
}

static char *column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	return s ? xstrdup((const char *)s) : NULL;
}

static struct journal_entry *entry_from_row(sqlite3_stmt *st)
{
	struct journal_entry *e = xcalloc(1, sizeof *e);
	e->seq = sqlite3_column_int64(st, 0);
	const unsigned char *key = sqlite3_column_text(st, 1);
	snprintf(e->key, sizeof e->key, "%s", key ? (const char *)key : "");
	e->desk = column_dup(st, 2);
	e->staff = column_dup(st, 3);
	e->occurred_at = column_dup(st, 4);
	e->method = column_dup(st, 5);
	e->path = column_dup(st, 6);
	e->body = column_dup(st, 7);
	e->offline = sqlite3_column_int(st, 8) != 0;
	if (!journal_state_parse((const char *)sqlite3_column_text(st, 9), &e->state))
		e->state = JOURNAL_PENDING;
	e->status = (long)sqlite3_column_int64(st, 10);
	e->answer = column_dup(st, 11);
	e->note = column_dup(st, 12);
	e->retry_of = sqlite3_column_int64(st, 13);
	e->retried_by = sqlite3_column_int64(st, 14);
	e->attempts = (unsigned)sqlite3_column_int64(st, 15);
	e->owner = (pid_t)sqlite3_column_int64(st, 16);
	return e;
}

/* Entry seq, read inside or outside a transaction; *out NULL when missing.
 * False only when the read failed. */
static bool read_entry(struct journal *j, long long seq, struct journal_entry **out)
{
	*out = NULL;
	sqlite3_stmt *st = prepare(j, "SELECT " ENTRY_COLUMNS " FROM entries WHERE seq = ?");
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, seq);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = entry_from_row(st);
	release(j, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

bool journal_get(struct journal *j, long long seq, struct journal_entry **out, char **err)
{
	if (!read_entry(j, seq, out))
		return fail(j, err);
	return true;
}

/* The body as stored: with occurred_at, the moment at the desk, so that a
 * resend (online entries too, after no answer came) applies as of then and
 * in the order it happened; an offline entry also with "offline": true
 * (any of the caller's own replaced). Newly allocated. */
static char *stored_body_dup(const cJSON *body, enum journal_mode mode, const char *occurred_at)
{
	cJSON *copy = body ? cJSON_Duplicate(body, true) : cJSON_CreateObject();
	if (!copy)
		abort(); /* cJSON fails only when out of memory */
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "occurred_at");
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "offline");
	if (!cJSON_AddStringToObject(copy, "occurred_at", occurred_at) ||
	    (mode == JOURNAL_OFFLINE && !cJSON_AddBoolToObject(copy, "offline", true)))
		abort();
	char *text = jsonx_print_dup(copy);
	cJSON_Delete(copy);
	return text;
}

/* Inserts a row inside the caller's transaction; returns its seq or 0. */
static long long insert_entry(struct journal *j, const char *key, const char *staff,
			      const char *occurred_at, const char *method, const char *path,
			      const char *body, bool offline, long long retry_of)
{
	sqlite3_stmt *st = prepare(j,
		"INSERT INTO entries (key, desk, staff, occurred_at, method, path, body,"
		" offline, state, retry_of, attempts, owner, updated_at, owner_token)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return 0;
	char now[32];
	now_rfc3339(now);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, j->desk, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, staff ? staff : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, occurred_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, method, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, body, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, offline);
	/* online: the caller sends it at once, so it is in flight from here */
	sqlite3_bind_text(st, 9, offline ? "pending" : "sent", -1, SQLITE_STATIC);
	if (retry_of)
		sqlite3_bind_int64(st, 10, retry_of);
	else
		sqlite3_bind_null(st, 10);
	sqlite3_bind_int(st, 11, offline ? 0 : 1);
	sqlite3_bind_int64(st, 12, offline ? 0 : j->pid);
	sqlite3_bind_text(st, 13, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, offline ? "" : j->token, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	release(j, st);
	return rc == SQLITE_DONE ? sqlite3_last_insert_rowid(j->db) : 0;
}

/* The entry insert_entry wrote, as journal_get would read it back: the desk
 * waits for an append before it sends, so it is not read again. */
static struct journal_entry *appended_entry(const struct journal *j, long long seq,
					    const char *key, const char *staff,
					    const char *occurred_at, const char *method,
					    const char *path, const char *body, bool offline)
{
	struct journal_entry *e = xcalloc(1, sizeof *e);
	e->seq = seq;
	snprintf(e->key, sizeof e->key, "%s", key);
	e->desk = xstrdup(j->desk);
	e->staff = xstrdup(staff ? staff : "");
	e->occurred_at = xstrdup(occurred_at);
	e->method = xstrdup(method);
	e->path = xstrdup(path);
	e->body = xstrdup(body);
	e->offline = offline;
	e->state = offline ? JOURNAL_PENDING : JOURNAL_SENT;
	e->attempts = offline ? 0 : 1;
	e->owner = offline ? 0 : j->pid;
	return e;
}

bool journal_append(struct journal *j, enum journal_mode mode, const char *staff,
		    const char *method, const char *path, const cJSON *body,
		    const char *occurred_at, struct journal_entry **out, char **err)
{
	*out = NULL;
	if (!staff || !*staff) {
		if (err)
			*err = xstrdup(_("A transaction is journaled only with the staff member who "
					 "made it, and nobody is logged in."));
		return false;
	}
	char now[32];
	if (!occurred_at) {
		now_rfc3339(now);
		occurred_at = now;
	}
	char key[UUID_STR_LEN];
	uuid_v4(key);
	char *text = stored_body_dup(body, mode, occurred_at);
	bool ok = false;
	if (begin(j)) {
		long long seq = insert_entry(j, key, staff, occurred_at, method, path, text,
					     mode == JOURNAL_OFFLINE, 0);
		if (seq == 0)
			rollback_fail(j, err);
		else if ((ok = commit(j, err)))
			*out = appended_entry(j, seq, key, staff, occurred_at, method, path,
					      text, mode == JOURNAL_OFFLINE);
	} else {
		fail(j, err);
	}
	free(text);
	return ok;
}

/* Runs an UPDATE of one entry in its own transaction, after checking its
 * state: allowed is a mask of the states it may come from. */
static bool update_entry(struct journal *j, long long seq, unsigned allowed, const char *sql,
			 const char *text1, const char *text2, long long num, char **err)
{
	if (!begin(j))
		return fail(j, err);
	struct journal_entry *e;
	if (!read_entry(j, seq, &e))
		return rollback_fail(j, err);
	if (!e || !(allowed & JOURNAL_MASK(e->state))) {
		if (err)
			*err = e ? xasprintf(_("Journal entry %lld cannot be changed: it is %s."),
					     seq, journal_state_text(e->state))
				 : xasprintf(_("There is no journal entry %lld."), seq);
		journal_entry_free(e);
		exec(j, "ROLLBACK");
		return false;
	}
	journal_entry_free(e);
	sqlite3_stmt *st = prepare(j, sql);
	if (!st)
		return rollback_fail(j, err);
	char now[32];
	now_rfc3339(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_text(st, 3, text1, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 4)
		sqlite3_bind_text(st, 4, text2, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 5)
		sqlite3_bind_int64(st, 5, num);
	int rc = sqlite3_step(st);
	release(j, st);
	if (rc != SQLITE_DONE)
		return rollback_fail(j, err);
	return commit(j, err);
}

enum {
	FROM_WAITING = JOURNAL_MASK(JOURNAL_PENDING) | JOURNAL_MASK(JOURNAL_SENT),
};

/*
 * The replay's own marks (claimed, acknowledged, refused, back to pending)
 * are written without their own fsync: lost in a crash, the entry is only
 * sent again under its key, and the service answers the repeat from its
 * idempotency store. The next durable commit (an append) syncs them with
 * it, in order, as the write-ahead log is one file. What the desk shows as
 * saved, and what staff decide (handled, a retry), is always synced.
 */
static bool set_light(struct journal *j, bool light)
{
	/* Not a kept statement: SQLite applies this pragma when it compiles it. */
	return sqlite3_exec(j->db, light ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL",
			    NULL, NULL, NULL) == SQLITE_OK;
}

/* update_entry without an fsync of its own (see set_light). */
static bool update_entry_light(struct journal *j, long long seq, unsigned allowed,
			       const char *sql, const char *text1, const char *text2,
			       long long num, char **err)
{
	if (!set_light(j, true))
		return fail(j, err);
	bool ok = update_entry(j, seq, allowed, sql, text1, text2, num, err);
	if (!set_light(j, false))
		return ok ? fail(j, err) : false;
	return ok;
}

static bool settle(struct journal *j, const struct journal_answer *answers, size_t n, bool light,
		   char **err);

bool journal_mark_answered(struct journal *j, long long seq, enum journal_state state,
			   long status, const char *answer, char **err)
{
	if (state != JOURNAL_ACKNOWLEDGED && state != JOURNAL_REFUSED &&
	    state != JOURNAL_HANDLED) {
		if (err)
			*err = xasprintf(_("A journal entry cannot be answered as %s."),
					 journal_state_text(state));
		return false;
	}
	/* One transaction, no reads (a second answer to an acknowledged key is
	 * the same answer again; settle_one checks that when nothing changed).
	 * The desk waits for an acknowledgement before it draws the answer, so
	 * that one is light; an online refusal the desk showed stays handled:
	 * synced. */
	struct journal_answer a = { .seq = seq, .state = state, .status = status,
				    .answer = answer };
	return settle(j, &a, 1, state != JOURNAL_HANDLED, err);
}

bool journal_mark_pending(struct journal *j, long long seq, char **err)
{
	return update_entry_light(j, seq, FROM_WAITING,
			    "UPDATE entries SET updated_at = ?1, state = 'pending', owner = 0,"
			    " owner_token = '' WHERE seq = ?2",
			    NULL, NULL, 0, err);
}

/* One answer of journal_settle_batch inside its transaction. */
static bool settle_one(struct journal *j, const struct journal_answer *a, const char *now,
		       char **err)
{
	sqlite3_stmt *st;
	if (a->state == JOURNAL_PENDING) {
		st = prepare(j, "UPDATE entries SET updated_at = ?, state = 'pending', owner = 0,"
				" owner_token = '' WHERE seq = ? AND state IN ('pending','sent')");
		if (st) {
			sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, a->seq);
		}
	} else {
		st = prepare(j, "UPDATE entries SET updated_at = ?, state = ?, answer = ?, status = ?,"
				" owner = 0, owner_token = '' WHERE seq = ?"
				" AND state IN ('pending','sent')");
		if (st) {
			sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, journal_state_name(a->state), -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, a->answer, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 4, a->status);
			sqlite3_bind_int64(st, 5, a->seq);
		}
	}
	if (!st)
		return fail(j, err);
	int rc = sqlite3_step(st);
	release(j, st);
	if (rc != SQLITE_DONE)
		return fail(j, err);
	if (sqlite3_changes(j->db) > 0)
		return true;
	/* Not waiting: a second answer to an acknowledged key is the same
	 * answer again; anything else is a move the states do not allow. */
	struct journal_entry *e;
	if (!read_entry(j, a->seq, &e))
		return fail(j, err);
	bool done = e && e->state == JOURNAL_ACKNOWLEDGED;
	if (!done && err)
		*err = e ? xasprintf(_("Journal entry %lld cannot be changed: it is %s."), a->seq,
				     journal_state_text(e->state))
			 : xasprintf(_("There is no journal entry %lld."), a->seq);
	journal_entry_free(e);
	return done;
}

bool journal_settle_batch(struct journal *j, const struct journal_answer *answers, size_t n,
			  char **err)
{
	for (size_t i = 0; i < n; i++) {
		enum journal_state s = answers[i].state;
		if (s != JOURNAL_PENDING && s != JOURNAL_ACKNOWLEDGED && s != JOURNAL_REFUSED &&
		    s != JOURNAL_HANDLED) {
			if (err)
				*err = xasprintf(_("A journal entry cannot be answered as %s."),
						 journal_state_text(s));
			return false;
		}
	}
	return settle(j, answers, n, true, err);
}

/* Answers in one transaction, all or none; light: without an fsync of its
 * own (see set_light). */
static bool settle(struct journal *j, const struct journal_answer *answers, size_t n, bool light,
		   char **err)
{
	if (n == 0)
		return true;
	if (light && !set_light(j, true))
		return fail(j, err);
	bool ok = begin(j);
	if (!ok)
		fail(j, err);
	char now[32];
	now_rfc3339(now);
	for (size_t i = 0; ok && i < n; i++)
		ok = settle_one(j, &answers[i], now, err);
	if (ok)
		ok = commit(j, err);
	else if (!sqlite3_get_autocommit(j->db))
		exec(j, "ROLLBACK");
	if (light && !set_light(j, false))
		return ok ? fail(j, err) : false;
	return ok;
}

bool journal_mark_handled(struct journal *j, long long seq, const char *note, char **err)
{
	if (!note || !*note) {
		if (err)
			*err = xstrdup(_("A note is needed to mark an entry handled."));
		return false;
	}
	return update_entry(j, seq, JOURNAL_MASK(JOURNAL_REFUSED) | JOURNAL_MASK(JOURNAL_PENDING),
			    "UPDATE entries SET updated_at = ?1, state = 'handled', note = ?3"
			    " WHERE seq = ?2",
			    note, NULL, 0, err);
}

/* The refused body with the override, newly allocated; NULL when the stored
 * body is not a JSON object. */
static char *override_body_dup(const char *body, const char *const *blocks, size_t n_blocks,
			       const char *reason)
{
	cJSON *b = jsonx_parse(body, strlen(body), NULL);
	if (!cJSON_IsObject(b)) {
		cJSON_Delete(b);
		return NULL;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(b, "override");
	cJSON *o = cJSON_AddObjectToObject(b, "override");
	cJSON *list = o ? cJSON_AddArrayToObject(o, "blocks") : NULL;
	if (!list || !cJSON_AddStringToObject(o, "reason", reason))
		abort(); /* cJSON fails only when out of memory */
	for (size_t i = 0; i < n_blocks; i++) {
		cJSON *s = cJSON_CreateString(blocks[i]);
		if (!s || !cJSON_AddItemToArray(list, s))
			abort();
	}
	char *text = jsonx_print_dup(b);
	cJSON_Delete(b);
	return text;
}

static bool link_retry(struct journal *j, long long seq, long long retry, char **err)
{
	sqlite3_stmt *st = prepare(j,
		"UPDATE entries SET state = 'handled', retried_by = ?, updated_at = ?"
		" WHERE seq = ?");
	if (!st)
		return fail(j, err);
	char now[32];
	now_rfc3339(now);
	sqlite3_bind_int64(st, 1, retry);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, seq);
	int rc = sqlite3_step(st);
	release(j, st);
	return rc == SQLITE_DONE || fail(j, err);
}

bool journal_retry_override(struct journal *j, long long seq, const char *const *blocks,
			    size_t n_blocks, const char *reason, const char *staff,
			    struct journal_entry **out, char **err)
{
	*out = NULL;
	if (!reason || !*reason) {
		*err = xstrdup(_("An override needs a reason."));
		return false;
	}
	if (!begin(j))
		return fail(j, err);
	struct journal_entry *e;
	if (!read_entry(j, seq, &e))
		return rollback_fail(j, err);
	if (!e || e->state != JOURNAL_REFUSED) {
		*err = e ? xasprintf(_("Journal entry %lld cannot be changed: it is %s."), seq,
				     journal_state_text(e->state))
			 : xasprintf(_("There is no journal entry %lld."), seq);
		journal_entry_free(e);
		exec(j, "ROLLBACK");
		return false;
	}
	char *body = override_body_dup(e->body, blocks, n_blocks, reason);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	long long retry = body ? insert_entry(j, key, staff, e->occurred_at, e->method, e->path,
					      body, true, seq)
			       : 0;
	free(body);
	bool offline = e->offline;
	journal_entry_free(e);
	if (retry == 0)
		return rollback_fail(j, err);
	/* insert_entry wrote it as an offline entry, pending for the replay; its
	 * body keeps what the refused one had */
	if (!offline && !exec(j, "UPDATE entries SET offline = 0 WHERE seq = last_insert_rowid()"))
		return rollback_fail(j, err);
	if (!link_retry(j, seq, retry, err)) {
		exec(j, "ROLLBACK");
		return false;
	}
	if (!commit(j, err))
		return false;
	return journal_get(j, retry, out, err);
}

static long count_where(struct journal *j, const char *sql, const char *arg, char **err)
{
	sqlite3_stmt *st = prepare(j, sql);
	if (!st) {
		fail(j, err);
		return -1;
	}
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	long n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	else
		fail(j, err);
	release(j, st);
	return n;
}

long journal_count_waiting(struct journal *j, char **err)
{
	return count_where(j, "SELECT count(*) FROM entries WHERE state IN ('pending','sent')",
			   NULL, err);
}

long journal_count_for(struct journal *j, unsigned state_mask, const char *staff,
		       const char *path, char **err)
{
	sqlite3_stmt *st = prepare(j, "SELECT state, count(*) FROM entries"
				      " WHERE (?1 IS NULL OR staff = ?1) AND (?2 IS NULL OR path = ?2)"
				      " GROUP BY state");
	if (!st) {
		fail(j, err);
		return -1;
	}
	if (staff)
		sqlite3_bind_text(st, 1, staff, -1, SQLITE_STATIC);
	if (path)
		sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		enum journal_state s;
		if (journal_state_parse((const char *)sqlite3_column_text(st, 0), &s) &&
		    (state_mask & JOURNAL_MASK(s)))
			n += (long)sqlite3_column_int64(st, 1);
	}
	release(j, st);
	if (rc != SQLITE_DONE) {
		fail(j, err);
		return -1;
	}
	return n;
}

void journal_staff_counts_free(struct journal_staff_count *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		free(list[i].staff);
	free(list);
}

bool journal_waiting_by_staff_dup(struct journal *j, struct journal_staff_count **out,
				  size_t *n, char **err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = prepare(j, "SELECT staff, count(*) FROM entries"
				      " WHERE state IN ('pending','sent') GROUP BY staff"
				      " ORDER BY min(seq)");
	if (!st)
		return fail(j, err);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		const unsigned char *who = sqlite3_column_text(st, 0);
		(*out)[*n].staff = xstrdup(who ? (const char *)who : "");
		(*out)[(*n)++].n = (long)sqlite3_column_int64(st, 1);
	}
	release(j, st);
	if (rc != SQLITE_DONE) {
		journal_staff_counts_free(*out, *n);
		*out = NULL;
		*n = 0;
		return fail(j, err);
	}
	return true;
}

void journal_claim_for(struct journal *j, const char *staff)
{
	j->claim_any = false;
	xstrset(&j->claimant, staff && *staff ? staff : NULL);
}

long long journal_last_seq(struct journal *j, char **err)
{
	return count_where(j, "SELECT coalesce(max(seq), 0) FROM entries", NULL, err);
}

long journal_count(struct journal *j, enum journal_state state, char **err)
{
	return count_where(j, "SELECT count(*) FROM entries WHERE state = ?",
			   journal_state_name(state), err);
}

bool journal_list_dup(struct journal *j, unsigned state_mask, size_t max,
		      struct journal_entry ***out, size_t *n, char **err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = prepare(j, "SELECT " ENTRY_COLUMNS " FROM entries ORDER BY seq");
	if (!st)
		return fail(j, err);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && (max == 0 || *n < max)) {
		enum journal_state s;
		if (!journal_state_parse((const char *)sqlite3_column_text(st, 9), &s) ||
		    !(state_mask & JOURNAL_MASK(s)))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		(*out)[(*n)++] = entry_from_row(st);
	}
	release(j, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		journal_entries_free(*out, *n);
		*out = NULL;
		*n = 0;
		return fail(j, err);
	}
	return true;
}

/* True when process pid still runs (it may belong to another user). */
static bool process_alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

/* Whether the owner of a sent entry (its pid and token) still runs: the pid
 * is alive and, when the token names a start time, the process with that
 * pid started then (a pid is given again once its process has gone). */
static bool owner_alive(pid_t pid, const char *token)
{
	if (!process_alive(pid))
		return false;
	char *end = NULL;
	unsigned long long started = token ? strtoull(token, &end, 10) : 0;
	if (!end || *end != '/' || started == 0)
		return true; /* a token of an older balie: the pid alone */
	unsigned long long now = process_start(pid);
	return now == 0 || now == started;
}

/* Whether a sent entry is in flight now: sent by this opening, or by another
 * process that still runs. The same pid with another token is an earlier
 * process that died. */
static bool in_flight_now(const struct journal *j, const struct journal_entry *e,
			  const char *token)
{
	if (e->state != JOURNAL_SENT || e->owner <= 0)
		return false;
	if (e->owner == j->pid)
		return token && strcmp(token, j->token) == 0;
	return owner_alive(e->owner, token);
}

static void entries_drop(struct journal_entry **list, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		journal_entry_free(list[i]);
	*n = 0;
}

/* Marks the first waiting entries sent, in one transaction (see
 * journal_claim_batch). */
static enum journal_claim claim_batch(struct journal *j, size_t max, struct journal_entry **out,
				      size_t *n, char **err)
{
	*n = 0;
	if (!j->claim_any && !j->claimant)
		return JOURNAL_NONE; /* nobody logged in: nothing is sent */
	if (!begin(j)) {
		fail(j, err);
		return JOURNAL_ERROR;
	}
	/* Only the claimant's entries: the order that must hold is that of one
	 * staff member's transactions, sent in that member's session. */
	sqlite3_stmt *st = prepare(j, "SELECT " ENTRY_COLUMNS " FROM entries"
				      " WHERE state IN ('pending','sent')"
				      " AND (?2 IS NULL OR staff = ?2) ORDER BY seq LIMIT ?1");
	if (!st) {
		rollback_fail(j, err);
		return JOURNAL_ERROR;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	if (!j->claim_any)
		sqlite3_bind_text(st, 2, j->claimant, -1, SQLITE_STATIC);
	int rc = SQLITE_DONE;
	bool in_flight = false;
	while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct journal_entry *e = entry_from_row(st);
		/* In flight from a running process (this one included): its
		 * answer settles it, and what comes after it waits for it, so
		 * that the order holds. */
		in_flight = in_flight_now(j, e, (const char *)sqlite3_column_text(st, 17));
		if (in_flight) {
			journal_entry_free(e);
			break;
		}
		out[(*n)++] = e;
	}
	if (!in_flight && *n < max && rc != SQLITE_DONE) {
		release(j, st);
		entries_drop(out, n);
		rollback_fail(j, err);
		return JOURNAL_ERROR;
	}
	release(j, st);
	if (*n == 0) {
		exec(j, "ROLLBACK");
		return in_flight ? JOURNAL_BUSY : JOURNAL_NONE;
	}
	char now[32];
	now_rfc3339(now);
	bool good = true;
	for (size_t i = 0; good && i < *n; i++) {
		st = prepare(j, "UPDATE entries SET state = 'sent', owner = ?, attempts = attempts + 1,"
				" updated_at = ?, owner_token = ? WHERE seq = ?");
		good = st != NULL;
		if (good) {
			sqlite3_bind_int64(st, 1, j->pid);
			sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, j->token, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 4, out[i]->seq);
			good = sqlite3_step(st) == SQLITE_DONE;
			release(j, st);
		}
	}
	if (!good)
		rollback_fail(j, err);
	if (!good || !commit(j, err)) {
		entries_drop(out, n);
		return JOURNAL_ERROR;
	}
	for (size_t i = 0; i < *n; i++) {
		out[i]->state = JOURNAL_SENT;
		out[i]->owner = j->pid;
		out[i]->attempts++;
	}
	return JOURNAL_CLAIMED;
}

enum journal_claim journal_claim_batch(struct journal *j, size_t max, struct journal_entry **out,
				       size_t *n, char **err)
{
	*n = 0;
	if (max == 0)
		return JOURNAL_NONE;
	if (!set_light(j, true)) {
		fail(j, err);
		return JOURNAL_ERROR;
	}
	enum journal_claim c = claim_batch(j, max, out, n, err);
	if (!set_light(j, false)) {
		if (c != JOURNAL_ERROR)
			fail(j, err);
		entries_drop(out, n);
		return JOURNAL_ERROR;
	}
	return c;
}

enum journal_claim journal_claim_next(struct journal *j, struct journal_entry **out, char **err)
{
	size_t n = 0;
	*out = NULL;
	return journal_claim_batch(j, 1, out, &n, err);
}
