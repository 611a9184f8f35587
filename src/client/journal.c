#include "client/journal.h"

#include "client/journal_db.h"
#include "client/paths.h"
#include "core/i18n.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { JOURNAL_BUSY_MS = 10000 };

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
	" owner_token TEXT NOT NULL DEFAULT '',"
	" kind TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX IF NOT EXISTS entries_waiting ON entries(seq)"
	" WHERE state IN ('pending','sent');"
	"CREATE INDEX IF NOT EXISTS entries_by_state ON entries(state);";

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

/* The kinds with their stored names and the paths they are sent to. */
static const struct {
	const char *name, *path;
} kinds[] = {
	[JOURNAL_KIND_OTHER] = { "other", NULL },
	[JOURNAL_KIND_CHECKOUT] = { "checkout", "/checkouts" },
	[JOURNAL_KIND_CHECKIN] = { "checkin", "/checkins" },
	[JOURNAL_KIND_RENEWAL] = { "renewal", "/renewals" },
	[JOURNAL_KIND_IDO_QUESTION] = { "ido_question", "/ido/questions" },
};

enum { N_KINDS = sizeof kinds / sizeof kinds[0] };

const char *journal_kind_name(enum journal_kind kind)
{
	return (unsigned)kind < N_KINDS ? kinds[kind].name : kinds[JOURNAL_KIND_OTHER].name;
}

bool journal_kind_parse(const char *name, enum journal_kind *out)
{
	for (size_t i = 0; name && i < N_KINDS; i++) {
		if (strcmp(kinds[i].name, name) == 0) {
			*out = (enum journal_kind)i;
			return true;
		}
	}
	return false;
}

enum journal_kind journal_kind_of_path(const char *path)
{
	for (size_t i = 0; path && i < N_KINDS; i++)
		if (kinds[i].path && strcmp(kinds[i].path, path) == 0)
			return (enum journal_kind)i;
	return JOURNAL_KIND_OTHER;
}

/* The schema step of a journal written before entries had a kind: the
 * column, and each old entry's kind from its path. */
static bool add_kinds(struct journal *j)
{
	sqlite3_stmt *probe = journal_db_prepare(j, "SELECT kind FROM entries LIMIT 0");
	journal_db_release(j, probe);
	if (probe)
		return true;
	if (!journal_db_exec(j, "ALTER TABLE entries ADD COLUMN kind TEXT NOT NULL DEFAULT ''"))
		return false;
	for (size_t i = 0; i < N_KINDS; i++) {
		sqlite3_stmt *st = journal_db_prepare(j, "UPDATE entries SET kind = ?1 WHERE kind = ''"
							 " AND (?2 IS NULL OR path = ?2)");
		if (!st)
			return false;
		/* the kind without a path last: it takes what is left */
		size_t k = (i + 1) % N_KINDS;
		sqlite3_bind_text(st, 1, kinds[k].name, -1, SQLITE_STATIC);
		if (kinds[k].path)
			sqlite3_bind_text(st, 2, kinds[k].path, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		journal_db_release(j, st);
		if (rc != SQLITE_DONE)
			return false;
	}
	return true;
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
	sqlite3_stmt *st = journal_db_prepare(j, "PRAGMA journal_mode=WAL");
	bool wal = st && sqlite3_step(st) == SQLITE_ROW &&
		   strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
	journal_db_release(j, st);
	if (!wal || sqlite3_exec(j->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
		return false;
	if (!journal_db_begin(j))
		return false;
	if (sqlite3_exec(j->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK)
		return journal_db_rollback_fail(j, NULL);
	/* a journal written before the owner's token was kept */
	sqlite3_stmt *probe = journal_db_prepare(j, "SELECT owner_token FROM entries LIMIT 0");
	journal_db_release(j, probe);
	if (!probe &&
	    !journal_db_exec(j, "ALTER TABLE entries ADD COLUMN owner_token TEXT NOT NULL DEFAULT ''"))
		return journal_db_rollback_fail(j, NULL);
	if (!add_kinds(j))
		return journal_db_rollback_fail(j, NULL);
	return journal_db_commit(j, NULL);
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
	snprintf(j->token, sizeof j->token, "%llu/%s", journal_db_process_start(j->pid), uuid);
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
	if (!journal_db_begin(j)) {
		journal_db_fail(j, err);
		return -1;
	}
	sqlite3_stmt *st = journal_db_prepare(j, "DELETE FROM entries WHERE state IN ('acknowledged','handled')"
				      " AND updated_at < ?");
	int rc = SQLITE_ERROR;
	if (st) {
		sqlite3_bind_text(st, 1, before, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		journal_db_release(j, st);
	}
	if (rc != SQLITE_DONE) {
		journal_db_rollback_fail(j, err);
		return -1;
	}
	long n = sqlite3_changes(j->db);
	return journal_db_commit(j, err) ? n : -1;
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

bool journal_get(struct journal *j, long long seq, struct journal_entry **out, char **err)
{
	if (!journal_db_read_entry(j, seq, out))
		return journal_db_fail(j, err);
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
	sqlite3_stmt *st = journal_db_prepare(j,
		"INSERT INTO entries (key, desk, staff, occurred_at, method, path, body,"
		" offline, state, retry_of, attempts, owner, updated_at, owner_token, kind)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return 0;
	char now[32];
	journal_db_now_rfc3339(now);
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
	sqlite3_bind_text(st, 15, journal_kind_name(journal_kind_of_path(path)), -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	journal_db_release(j, st);
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
	e->kind = journal_kind_of_path(path);
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
		journal_db_now_rfc3339(now);
		occurred_at = now;
	}
	char key[UUID_STR_LEN];
	uuid_v4(key);
	char *text = stored_body_dup(body, mode, occurred_at);
	bool ok = false;
	if (journal_db_begin(j)) {
		long long seq = insert_entry(j, key, staff, occurred_at, method, path, text,
					     mode == JOURNAL_OFFLINE, 0);
		if (seq == 0)
			journal_db_rollback_fail(j, err);
		else if ((ok = journal_db_commit(j, err)))
			*out = appended_entry(j, seq, key, staff, occurred_at, method, path,
					      text, mode == JOURNAL_OFFLINE);
	} else {
		journal_db_fail(j, err);
	}
	free(text);
	return ok;
}

/* Runs an UPDATE of one entry in its own transaction, after checking its
 * state: allowed is a mask of the states it may come from. */
static bool update_entry(struct journal *j, long long seq, unsigned allowed, const char *sql,
			 const char *text1, const char *text2, long long num, char **err)
{
	if (!journal_db_begin(j))
		return journal_db_fail(j, err);
	struct journal_entry *e;
	if (!journal_db_read_entry(j, seq, &e))
		return journal_db_rollback_fail(j, err);
	if (!e || !(allowed & JOURNAL_MASK(e->state))) {
		if (err)
			*err = e ? xasprintf(_("Journal entry %lld cannot be changed: it is %s."),
					     seq, journal_state_text(e->state))
				 : xasprintf(_("There is no journal entry %lld."), seq);
		journal_entry_free(e);
		journal_db_exec(j, "ROLLBACK");
		return false;
	}
	journal_entry_free(e);
	sqlite3_stmt *st = journal_db_prepare(j, sql);
	if (!st)
		return journal_db_rollback_fail(j, err);
	char now[32];
	journal_db_now_rfc3339(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_text(st, 3, text1, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 4)
		sqlite3_bind_text(st, 4, text2, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 5)
		sqlite3_bind_int64(st, 5, num);
	int rc = sqlite3_step(st);
	journal_db_release(j, st);
	if (rc != SQLITE_DONE)
		return journal_db_rollback_fail(j, err);
	return journal_db_commit(j, err);
}

enum {
	FROM_WAITING = JOURNAL_MASK(JOURNAL_PENDING) | JOURNAL_MASK(JOURNAL_SENT),
};

/* update_entry without an fsync of its own (see set_light). */
static bool update_entry_light(struct journal *j, long long seq, unsigned allowed,
			       const char *sql, const char *text1, const char *text2,
			       long long num, char **err)
{
	if (!journal_db_set_light(j, true))
		return journal_db_fail(j, err);
	bool ok = update_entry(j, seq, allowed, sql, text1, text2, num, err);
	if (!journal_db_set_light(j, false))
		return ok ? journal_db_fail(j, err) : false;
	return ok;
}

bool journal_mark_pending(struct journal *j, long long seq, char **err)
{
	return update_entry_light(j, seq, FROM_WAITING,
			    "UPDATE entries SET updated_at = ?1, state = 'pending', owner = 0,"
			    " owner_token = '' WHERE seq = ?2",
			    NULL, NULL, 0, err);
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
	sqlite3_stmt *st = journal_db_prepare(j,
		"UPDATE entries SET state = 'handled', retried_by = ?, updated_at = ?"
		" WHERE seq = ?");
	if (!st)
		return journal_db_fail(j, err);
	char now[32];
	journal_db_now_rfc3339(now);
	sqlite3_bind_int64(st, 1, retry);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, seq);
	int rc = sqlite3_step(st);
	journal_db_release(j, st);
	return rc == SQLITE_DONE || journal_db_fail(j, err);
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
	if (!journal_db_begin(j))
		return journal_db_fail(j, err);
	struct journal_entry *e;
	if (!journal_db_read_entry(j, seq, &e))
		return journal_db_rollback_fail(j, err);
	if (!e || e->state != JOURNAL_REFUSED) {
		*err = e ? xasprintf(_("Journal entry %lld cannot be changed: it is %s."), seq,
				     journal_state_text(e->state))
			 : xasprintf(_("There is no journal entry %lld."), seq);
		journal_entry_free(e);
		journal_db_exec(j, "ROLLBACK");
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
		return journal_db_rollback_fail(j, err);
	/* insert_entry wrote it as an offline entry, pending for the replay; its
	 * body keeps what the refused one had */
	if (!offline && !journal_db_exec(j, "UPDATE entries SET offline = 0 WHERE seq = last_insert_rowid()"))
		return journal_db_rollback_fail(j, err);
	if (!link_retry(j, seq, retry, err)) {
		journal_db_exec(j, "ROLLBACK");
		return false;
	}
	if (!journal_db_commit(j, err))
		return false;
	return journal_get(j, retry, out, err);
}

static long count_where(struct journal *j, const char *sql, const char *arg, char **err)
{
	sqlite3_stmt *st = journal_db_prepare(j, sql);
	if (!st) {
		journal_db_fail(j, err);
		return -1;
	}
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	long n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	else
		journal_db_fail(j, err);
	journal_db_release(j, st);
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
	sqlite3_stmt *st = journal_db_prepare(j, "SELECT state, count(*) FROM entries"
				      " WHERE (?1 IS NULL OR staff = ?1) AND (?2 IS NULL OR path = ?2)"
				      " GROUP BY state");
	if (!st) {
		journal_db_fail(j, err);
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
	journal_db_release(j, st);
	if (rc != SQLITE_DONE) {
		journal_db_fail(j, err);
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
	sqlite3_stmt *st = journal_db_prepare(j, "SELECT staff, count(*) FROM entries"
				      " WHERE state IN ('pending','sent') GROUP BY staff"
				      " ORDER BY min(seq)");
	if (!st)
		return journal_db_fail(j, err);
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
	journal_db_release(j, st);
	if (rc != SQLITE_DONE) {
		journal_staff_counts_free(*out, *n);
		*out = NULL;
		*n = 0;
		return journal_db_fail(j, err);
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
	sqlite3_stmt *st = journal_db_prepare(j, "SELECT " ENTRY_COLUMNS " FROM entries ORDER BY seq");
	if (!st)
		return journal_db_fail(j, err);
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
		(*out)[(*n)++] = journal_db_entry_from_row(st);
	}
	journal_db_release(j, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		journal_entries_free(*out, *n);
		*out = NULL;
		*n = 0;
		return journal_db_fail(j, err);
	}
	return true;
}
