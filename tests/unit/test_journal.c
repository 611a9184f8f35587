/* The desk's journal on a real file: append and commit, the states an entry
 * goes through, the retry with an override, the file's mode, several
 * processes appending at once, and what a killed process leaves behind. */
#include "client/circ.h"
#include "client/journal.h"
#include "client/journal_batch.h"
#include "client/journal_desc.h"
#include "client/replay.h"
#include "tap.h"
#include "core/xalloc.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { CHILDREN = 4, PER_CHILD = 50 };

static char dir[64];

static cJSON *checkout_body(const char *card, const char *barcode)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "patron_card", card);
	cJSON_AddStringToObject(b, "item_barcode", barcode);
	return b;
}

static unsigned file_mode(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (unsigned)(st.st_mode & 0777) : 0xffff;
}

static void test_append_and_states(struct journal *j, const char *path)
{
	char *err = NULL;
	cJSON *body = checkout_body("2100000000001", "3100000000001");
	struct journal_entry *off = NULL, *on = NULL;
	ok(journal_append(j, JOURNAL_OFFLINE, "balie", "POST", "/checkouts", body,
			  "2026-11-20T09:15:00Z", &off, &err), "an offline entry is appended");
	ok(off && off->seq > 0 && uuid_is_valid(off->key), "it has a sequence and a UUID key");
	ok(off && off->state == JOURNAL_PENDING && off->offline, "it is pending, offline");
	cJSON *sent = off ? cJSON_Parse(off->body) : NULL;
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(sent, "occurred_at")),
	       "2026-11-20T09:15:00Z", "its body carries occurred_at");
	ok(cJSON_IsTrue(cJSON_GetObjectItem(sent, "offline")), "and \"offline\": true");
	cJSON_Delete(sent);
	is_str(off ? off->desk : NULL, "desk-1", "the desk is the terminal's name");
	ok(file_mode(path) == 0600, "the journal file is mode 0600 (got %o)", file_mode(path));
	char *wal = xasprintf("%s-wal", path);
	ok(file_mode(wal) == 0600, "its write-ahead log is mode 0600 too (got %o)", file_mode(wal));
	free(wal);

	ok(journal_append(j, JOURNAL_ONLINE, "balie", "POST", "/checkouts", body, NULL, &on, &err),
	   "an online entry is appended");
	ok(on && on->state == JOURNAL_SENT && on->owner == getpid() && on->seq > off->seq,
	   "it is sent, owned by this process, with a higher sequence");
	cJSON *onb = on ? cJSON_Parse(on->body) : NULL;
	ok(on && cJSON_GetStringValue(cJSON_GetObjectItem(onb, "occurred_at")) &&
		   strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(onb, "occurred_at")),
			  on->occurred_at) == 0 &&
		   !cJSON_GetObjectItem(onb, "offline") &&
		   strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(onb, "item_barcode")),
			  "3100000000001") == 0,
	   "its body is the one given with occurred_at, the moment at the desk, and no offline flag");
	cJSON_Delete(onb);
	ok(on && strcmp(on->key, off->key) != 0, "each entry has its own key");
	ok(journal_count_waiting(j, NULL) == 2, "two wait");
	cJSON_Delete(body);

	struct journal_entry *c = NULL;
	ok(journal_claim_next(j, &c, &err) == JOURNAL_CLAIMED && c && c->seq == off->seq,
	   "the replay claims the lowest waiting entry");
	ok(c && c->state == JOURNAL_SENT && c->attempts == 1, "claimed: sent, one attempt");
	journal_entry_free(c);
	c = NULL;
	ok(journal_claim_next(j, &c, &err) == JOURNAL_BUSY && !c,
	   "while it is in flight nothing after it is claimed (order kept)");

	ok(journal_mark_answered(j, off->seq, JOURNAL_ACKNOWLEDGED, 201, "{\"loan\":{}}", &err),
	   "the first is acknowledged");
	ok(journal_mark_answered(j, off->seq, JOURNAL_ACKNOWLEDGED, 201, "{}", &err),
	   "a second answer to an acknowledged entry is harmless");
	ok(!journal_mark_pending(j, off->seq, &err) && err, "an acknowledged entry cannot go back");
	diag("%s", err ? err : "");
	free(err);
	err = NULL;

	ok(journal_mark_answered(j, on->seq, JOURNAL_REFUSED, 409,
				 "{\"error\":{\"code\":\"patron_blocked\"}}", &err),
	   "the second is refused");
	struct journal_entry **list = NULL;
	size_t n = 0;
	ok(journal_list_dup(j, JOURNAL_MASK(JOURNAL_REFUSED), 0, &list, &n, &err) && n == 1 &&
	   list[0]->seq == on->seq && list[0]->status == 409 && list[0]->owner == 0,
	   "the refused list holds it with its status");
	is_str(n ? list[0]->answer : NULL, "{\"error\":{\"code\":\"patron_blocked\"}}",
	       "and the service's answer");
	journal_entries_free(list, n);
	ok(journal_count_waiting(j, NULL) == 0 && journal_count(j, JOURNAL_REFUSED, NULL) == 1,
	   "nothing waits, one refused");

	ok(!journal_mark_handled(j, on->seq, "", &err), "handled needs a note");
	free(err);
	err = NULL;
	const char *blocks[] = { "manual_block" };
	struct journal_entry *retry = NULL;
	ok(journal_retry_override(j, on->seq, blocks, 1, "pas gezien", "balie", &retry, &err),
	   "a refused entry is retried with an override");
	ok(retry && retry->state == JOURNAL_PENDING && retry->retry_of == on->seq &&
	   strcmp(retry->key, on->key) != 0, "as a new pending entry with a new key, linked");
	cJSON *rb = retry ? cJSON_Parse(retry->body) : NULL;
	cJSON *ov = cJSON_GetObjectItem(rb, "override");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(ov, "reason")), "pas gezien",
	       "its body carries the reason");
	is_str(cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(ov, "blocks"), 0)),
	       "manual_block", "and the blocks");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(rb, "item_barcode")), "3100000000001",
	       "and the refused transaction");
	cJSON_Delete(rb);
	struct journal_entry *old = NULL;
	ok(journal_get(j, on->seq, &old, &err) && old && old->state == JOURNAL_HANDLED &&
	   old->retried_by == (retry ? retry->seq : -1), "the refused one is handled, retried by it");
	journal_entry_free(old);
	ok(!journal_retry_override(j, on->seq, blocks, 1, "nog eens", "balie", &c, &err) && err,
	   "a handled entry is not retried twice");
	free(err);
	err = NULL;
	ok(journal_mark_answered(j, retry->seq, JOURNAL_REFUSED, 404, NULL, &err) &&
	   journal_mark_handled(j, retry->seq, "exemplaar kwijt", &err), "a refusal marked handled");
	ok(journal_get(j, retry->seq, &old, &err) && old && old->state == JOURNAL_HANDLED &&
	   old->note && strcmp(old->note, "exemplaar kwijt") == 0, "with its note");
	journal_entry_free(old);
	journal_entry_free(retry);
	journal_entry_free(off);
	journal_entry_free(on);
}

/* Each child appends PER_CHILD entries through its own connection. */
static void append_in_children(const char *path)
{
	pid_t pids[CHILDREN];
	for (int i = 0; i < CHILDREN; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			char *err = NULL;
			char desk[16];
			snprintf(desk, sizeof desk, "child-%d", i);
			struct journal *cj = journal_open(path, desk, &err);
			int bad = cj ? 0 : 1;
			cJSON *body = checkout_body("2100000000001", "3100000000001");
			for (int k = 0; cj && k < PER_CHILD; k++) {
				struct journal_entry *e = NULL;
				if (!journal_append(cj, JOURNAL_OFFLINE, "balie", "POST", "/checkins",
						    body, NULL, &e, &err))
					bad = 1;
				journal_entry_free(e);
			}
			cJSON_Delete(body);
			journal_close(cj);
			_exit(bad);
		}
	}
	int failed = 0;
	for (int i = 0; i < CHILDREN; i++) {
		int status = 0;
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	}
	ok(failed == 0, "%d processes appended %d entries each at once without an error",
	   CHILDREN, PER_CHILD);
}

static void test_processes(const char *path)
{
	append_in_children(path);
	sqlite3 *db = NULL;
	sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	sqlite3_stmt *st = NULL;
	sqlite3_prepare_v2(db,
			   "SELECT count(*), count(DISTINCT seq), count(DISTINCT key),"
			   " count(DISTINCT desk) FROM entries WHERE desk LIKE 'child-%'",
			   -1, &st, NULL);
	long long rows = -1, seqs = -1, keys = -1, desks = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		rows = sqlite3_column_int64(st, 0);
		seqs = sqlite3_column_int64(st, 1);
		keys = sqlite3_column_int64(st, 2);
		desks = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	ok(rows == CHILDREN * PER_CHILD, "all %d entries are there (%lld)", CHILDREN * PER_CHILD,
	   rows);
	ok(seqs == rows && keys == rows && desks == CHILDREN,
	   "with unique sequences and keys, from %d desks", CHILDREN);
	sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL);
	ok(sqlite3_step(st) == SQLITE_ROW &&
	   strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0,
	   "the file is in WAL mode");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* A child appends and claims, then is killed: its entries survive, and the
 * one it had in flight can be claimed again since its owner is gone. */
static void test_crash(const char *path)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct journal *cj = journal_open(path, "crashing", NULL);
		cJSON *body = checkout_body("2100000000002", "3100000000002");
		struct journal_entry *e = NULL;
		if (cj && journal_append(cj, JOURNAL_OFFLINE, "balie", "POST", "/checkouts", body, NULL,
					 &e, NULL))
			journal_append(cj, JOURNAL_ONLINE, "balie", "POST", "/checkouts", body, NULL,
				       &e, NULL);
		raise(SIGKILL);
		_exit(3);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the appending process was killed");

	char *err = NULL;
	struct journal *j = journal_open(path, "desk-2", &err);
	ok(j != NULL, "the journal opens after the crash");
	struct journal_entry **list = NULL;
	size_t n = 0;
	ok(journal_list_dup(j, JOURNAL_MASK(JOURNAL_PENDING) | JOURNAL_MASK(JOURNAL_SENT), 0,
			    &list, &n, &err),
	   "the waiting entries are listed");
	size_t crashed = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i]->desk, "crashing") == 0)
			crashed++;
	ok(crashed == 2, "both entries the killed process committed are there, waiting");
	journal_entries_free(list, n);

	/* settle everything before them so the claim reaches them */
	size_t claimed = 0, found = 0;
	struct journal_entry *e = NULL;
	while (journal_claim_next(j, &e, &err) == JOURNAL_CLAIMED) {
		claimed++;
		if (strcmp(e->desk, "crashing") == 0)
			found++;
		journal_mark_answered(j, e->seq, JOURNAL_ACKNOWLEDGED, 200, NULL, &err);
		journal_entry_free(e);
	}
	ok(found == 2, "the replay claims both, the one left sent by the dead process too");
	ok(journal_count_waiting(j, NULL) == 0, "afterwards nothing waits (%zu claimed)", claimed);
	journal_close(j);
}

/* A restarted desk may get the pid of the one that died (a container starts
 * each with the same): an entry that dead one left in flight is its to send
 * again, not an entry of its own in flight. */
static void test_same_pid(const char *path)
{
	char *err = NULL;
	struct journal *j = journal_open(path, "desk-4", &err);
	struct journal_entry *e = NULL, *c = NULL;
	journal_append(j, JOURNAL_OFFLINE, "balie", "POST", "/checkins", NULL, NULL, &e, &err);
	sqlite3 *db = NULL;
	sqlite3_open(path, &db);
	char *sql = xasprintf("UPDATE entries SET state = 'sent', owner = %d,"
			      " owner_token = 'an-earlier-process' WHERE seq = %lld",
			      (int)getpid(), e ? e->seq : 0);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	free(sql);
	sqlite3_close(db);
	ok(journal_claim_next(j, &c, &err) == JOURNAL_CLAIMED && c && e && c->seq == e->seq,
	   "an entry left sent under this pid by an earlier process is claimed again");
	if (c)
		journal_mark_answered(j, c->seq, JOURNAL_ACKNOWLEDGED, 200, NULL, &err);
	journal_entry_free(c);
	journal_entry_free(e);
	journal_close(j);
}

/* A dead desk's pid given to another program: the entry it left sent is
 * not taken for in flight when the program's start time is not the desk's. */
static void test_pid_reused(const char *path)
{
	char *err = NULL;
	struct journal *j = journal_open(path, "desk-6", &err);
	struct journal_entry *e = NULL, *c = NULL;
	cJSON *body = checkout_body("2100000000001", "3100000000001");
	journal_append(j, JOURNAL_OFFLINE, "balie", "POST", "/checkouts", body, NULL, &e, &err);
	cJSON_Delete(body);
	pid_t child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	sqlite3 *db = NULL;
	sqlite3_open(path, &db);
	/* the child runs, but it is not the process that sent the entry: the
	 * token names a start time long before the child's */
	char *sql = xasprintf("UPDATE entries SET state = 'sent', owner = %d,"
			      " owner_token = '1/an-earlier-desk' WHERE seq = %lld",
			      (int)child, e ? e->seq : 0);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	free(sql);
	enum journal_claim got = journal_claim_next(j, &c, &err);
	ok(got == JOURNAL_CLAIMED && c && e && c->seq == e->seq,
	   "an entry left sent by a dead desk whose pid another program got is claimed again");
	if (c)
		journal_mark_pending(j, c->seq, &err);
	journal_entry_free(c);
	c = NULL;
	/* a token of an older balie (no start time): the pid alone counts */
	sql = xasprintf("UPDATE entries SET state = 'sent', owner = %d,"
			" owner_token = 'an-older-desk' WHERE seq = %lld",
			(int)child, e ? e->seq : 0);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	free(sql);
	got = journal_claim_next(j, &c, &err);
	ok(got == JOURNAL_BUSY && !c, "with a token without a start time a live pid is in flight");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	got = journal_claim_next(j, &c, &err);
	ok(got == JOURNAL_CLAIMED && c, "and once it has gone, the entry is claimed");
	if (c)
		journal_mark_answered(j, c->seq, JOURNAL_ACKNOWLEDGED, 200, NULL, &err);
	sqlite3_close(db);
	journal_entry_free(c);
	journal_entry_free(e);
	journal_close(j);
}

/* The replay's batches: several entries claimed in one transaction, up to
 * the first in flight; their answers written together, all or none. */
static void test_batch(void)
{
	char *path = xasprintf("%s/batch.db", dir);
	char *err = NULL;
	struct journal *j = journal_open(path, "desk-5", &err);
	long long seq[5] = { 0 };
	for (int i = 0; i < 5; i++) {
		struct journal_entry *e = NULL;
		enum journal_mode mode = i == 3 ? JOURNAL_ONLINE : JOURNAL_OFFLINE;
		cJSON *body = checkout_body("2100000000001", "3100000000001");
		journal_append(j, mode, "balie", "POST", "/checkins", body, NULL, &e, &err);
		cJSON_Delete(body);
		seq[i] = e ? e->seq : 0;
		journal_entry_free(e);
	}
	struct journal_entry *got[8];
	size_t n = 0;
	enum journal_claim c = journal_claim_batch(j, 8, got, &n, &err);
	ok(c == JOURNAL_CLAIMED && n == 3 && got[0]->seq == seq[0] && got[2]->seq == seq[2],
	   "a batch claims the waiting entries in order up to the one in flight (%zu)", n);
	ok(n == 3 && got[1]->state == JOURNAL_SENT && journal_count(j, JOURNAL_SENT, &err) == 4,
	   "they are sent, with the one in flight: 4 sent");
	struct journal_answer answers[] = {
		{ .seq = seq[0], .state = JOURNAL_ACKNOWLEDGED, .status = 201, .answer = "{}" },
		{ .seq = seq[1], .state = JOURNAL_REFUSED, .status = 409,
		  .answer = "{\"error\":{\"code\":\"not_on_loan\"}}" },
		{ .seq = seq[2], .state = JOURNAL_PENDING },
	};
	ok(journal_settle_batch(j, answers, 3, &err),
	   "their answers are written in one go: acknowledged, refused, back to pending");
	struct journal_entry *e = NULL;
	journal_get(j, seq[1], &e, &err);
	ok(e && e->state == JOURNAL_REFUSED && e->status == 409 && e->answer &&
	   strstr(e->answer, "not_on_loan"), "the refusal keeps its status and answer");
	journal_entry_free(e);
	ok(journal_count(j, JOURNAL_PENDING, &err) == 2 && journal_count(j, JOURNAL_SENT, &err) == 1,
	   "the unanswered one waits again beside the fifth; the online one is still sent");
	ok(journal_settle_batch(j, answers, 1, &err),
	   "a second answer to an acknowledged entry is the same answer again");
	for (size_t i = 0; i < n; i++)
		journal_entry_free(got[i]);

	/* all or none: the third answer is not allowed (handled cannot be answered) */
	journal_mark_handled(j, seq[1], "checked with the patron", &err);
	struct journal_answer bad[] = {
		{ .seq = seq[2], .state = JOURNAL_ACKNOWLEDGED, .status = 201, .answer = "{}" },
		{ .seq = seq[1], .state = JOURNAL_ACKNOWLEDGED, .status = 201, .answer = "{}" },
	};
	free(err);
	err = NULL;
	bool settled = journal_settle_batch(j, bad, 2, &err);
	ok(!settled && err && strstr(err, "handled"),
	   "an answer to a handled entry is refused with a reason: %s", err ? err : "");
	free(err);
	err = NULL;
	e = NULL;
	journal_get(j, seq[2], &e, &err);
	ok(e && e->state == JOURNAL_PENDING, "and none of that batch was written");
	journal_entry_free(e);

	/* the first waiting entry in flight: nothing is claimed */
	struct journal_entry *first = NULL;
	sqlite3 *db = NULL;
	sqlite3_open(path, &db);
	char *sql = xasprintf("UPDATE entries SET state = 'acknowledged' WHERE seq < %lld", seq[3]);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	free(sql);
	sqlite3_close(db);
	c = journal_claim_batch(j, 8, got, &n, &err);
	ok(c == JOURNAL_BUSY && n == 0, "a batch whose first entry is in flight is busy");
	ok(journal_claim_next(j, &first, &err) == JOURNAL_BUSY && !first,
	   "and so is a claim of one");
	journal_close(j);
	free(path);
}

/* Acknowledged and handled entries go after JOURNAL_KEEP_DAYS; refused and
 * waiting ones stay however old. */
static void test_prune(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_open(path, &db);
	sqlite3_exec(db, "UPDATE entries SET updated_at = '2020-01-01T00:00:00Z';"
			 "UPDATE entries SET state = 'refused' WHERE seq = 1;"
			 "INSERT INTO entries (key, desk, occurred_at, method, path, body, offline,"
			 " state, updated_at) VALUES ('k-old-pending', 'd', '2020-01-01T00:00:00Z',"
			 " 'POST', '/checkins', '{}', 1, 'pending', '2020-01-01T00:00:00Z')",
		     NULL, NULL, NULL);
	sqlite3_close(db);
	char *err = NULL;
	struct journal *j = journal_open(path, "desk-3", &err);
	struct journal_entry **list = NULL;
	size_t n = 0;
	journal_list_dup(j, ~0u, 0, &list, &n, &err);
	bool only_kept = n == 2;
	for (size_t i = 0; i < n; i++)
		only_kept = only_kept && (list[i]->state == JOURNAL_REFUSED ||
					  list[i]->state == JOURNAL_PENDING);
	ok(only_kept, "opening removes old acknowledged and handled entries, keeps the refused "
		      "and the waiting (%zu left)", n);
	journal_entries_free(list, n);
	struct journal_entry *e = NULL;
	ok(journal_append(j, JOURNAL_OFFLINE, "balie", "POST", "/checkins", NULL, NULL, &e, &err) &&
	   e && e->seq > 200, "sequences go on growing after a prune (%lld)", e ? e->seq : 0);
	journal_entry_free(e);
	journal_close(j);
}

static enum replay_verdict judge(enum api_outcome outcome, long status, const char *code,
				 const char *permission)
{
	struct api_reply r = { .outcome = outcome, .status = status, .error_code = code };
	cJSON *details = cJSON_CreateObject();
	if (permission)
		cJSON_AddStringToObject(details, "permission", permission);
	r.error_details = details;
	enum replay_verdict v = replay_judge(&r);
	cJSON_Delete(details);
	return v;
}

/* What the replay does with each kind of answer. */
static void test_judge(void)
{
	ok(judge(API_OK, 201, NULL, NULL) == REPLAY_ACKNOWLEDGED, "201: acknowledged");
	ok(judge(API_REFUSED, 404, "item_not_found", NULL) == REPLAY_REFUSED,
	   "404 item_not_found: refused, to the queue");
	ok(judge(API_REFUSED, 409, "patron_blocked", NULL) == REPLAY_REFUSED,
	   "409 patron_blocked: refused");
	ok(judge(API_REFUSED, 403, "forbidden", "override") == REPLAY_REFUSED,
	   "403 for the override permission: refused (that entry only)");
	ok(judge(API_REFUSED, 403, "forbidden", "offline") == REPLAY_FORBIDDEN,
	   "403 for the offline permission: the replay stops");
	ok(judge(API_REFUSED, 401, "unauthorized", NULL) == REPLAY_UNAUTHORIZED,
	   "401: the replay stops, log in again");
	ok(judge(API_REFUSED, 409, "request_in_progress", NULL) == REPLAY_BUSY,
	   "409 request_in_progress: later");
	ok(judge(API_REFUSED, 429, "rate_limited", NULL) == REPLAY_BUSY, "429: later");
	ok(judge(API_UNREACHABLE, 0, NULL, NULL) == REPLAY_UNREACHABLE, "no answer: unreachable");
	ok(judge(API_UNREACHABLE, 503, NULL, NULL) == REPLAY_UNREACHABLE, "503: unreachable");
	ok(judge(API_BAD_ANSWER, 200, NULL, NULL) == REPLAY_UNREACHABLE,
	   "an answer that is not the protocol: sent again later, never acknowledged");
}

static void test_open_errors(void)
{
	char *file = xasprintf("%s/plain", dir);
	FILE *f = fopen(file, "w");
	if (f)
		fclose(f);
	char *path = xasprintf("%s/journal.db", file);
	char *err = NULL;
	struct journal *j = journal_open(path, "x", &err);
	ok(!j && err && strstr(err, file), "a journal below a plain file is refused, naming it");
	diag("%s", err ? err : "");
	free(err);
	free(path);
	free(file);
}

/* Every entry names its staff member and is claimed only in that member's
 * session; an old journal (written before the owner's token was kept, its
 * rows without a staff member) still opens, and its unnamed entries are
 * counted apart and claimed by nobody. */
static void test_owners(void)
{
	char *path = xasprintf("%s/owners.db", dir);
	sqlite3 *db = NULL;
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL;"
			 "CREATE TABLE entries (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
			 " key TEXT NOT NULL UNIQUE, desk TEXT NOT NULL,"
			 " staff TEXT NOT NULL DEFAULT '', occurred_at TEXT NOT NULL,"
			 " method TEXT NOT NULL, path TEXT NOT NULL, body TEXT NOT NULL,"
			 " offline INTEGER NOT NULL, state TEXT NOT NULL, status INTEGER NOT NULL"
			 " DEFAULT 0, answer TEXT, note TEXT, retry_of INTEGER, retried_by INTEGER,"
			 " attempts INTEGER NOT NULL DEFAULT 0, owner INTEGER NOT NULL DEFAULT 0,"
			 " updated_at TEXT NOT NULL);"
			 "INSERT INTO entries (key, desk, occurred_at, method, path, body, offline,"
			 " state, updated_at) VALUES ('k-unnamed', 'd', '2026-11-01T10:00:00Z',"
			 " 'POST', '/checkins', '{}', 1, 'pending', '2026-11-01T10:00:00Z')",
		     NULL, NULL, NULL);
	sqlite3_close(db);
	char *err = NULL;
	struct journal *j = journal_open(path, "desk-7", &err);
	ok(j != NULL, "an old journal without the owner's token still opens (%s)", err ? err : "");
	free(err);
	err = NULL;
	if (!j) {
		free(path);
		return;
	}
	struct journal_entry *e = NULL;
	bool refused = !journal_append(j, JOURNAL_OFFLINE, NULL, "POST", "/checkins", NULL, NULL,
				       &e, &err) &&
		       !e && err &&
		       !journal_append(j, JOURNAL_OFFLINE, "", "POST", "/checkins", NULL, NULL, &e, NULL);
	ok(refused, "an entry without its staff member is refused: %s", err ? err : "");
	free(err);
	err = NULL;
	struct journal_entry *a = NULL, *b = NULL;
	journal_append(j, JOURNAL_OFFLINE, "anna", "POST", "/checkins", NULL, NULL, &a, &err);
	journal_append(j, JOURNAL_OFFLINE, "bram", "POST", "/checkins", NULL, NULL, &b, &err);
	struct journal_staff_count *who = NULL;
	size_t n = 0;
	bool listed = journal_waiting_by_staff_dup(j, &who, &n, &err);
	ok(listed && n == 3 && strcmp(who[0].staff, "") == 0 &&
		   strcmp(who[1].staff, "anna") == 0 && strcmp(who[2].staff, "bram") == 0 &&
		   who[1].n == 1,
	   "waiting entries per staff member, the unnamed one first (%zu)", n);
	journal_staff_counts_free(who, n);
	ok(journal_count_for(j, JOURNAL_MASK(JOURNAL_PENDING), "anna", NULL, NULL) == 1 &&
		   journal_count_for(j, JOURNAL_MASK(JOURNAL_PENDING), NULL, NULL, NULL) == 3,
	   "counted per staff member and for all");
	journal_claim_for(j, NULL);
	struct journal_entry *c = NULL;
	ok(journal_claim_next(j, &c, &err) == JOURNAL_NONE && !c, "with nobody logged in nothing is claimed");
	journal_claim_for(j, "bram");
	ok(journal_claim_next(j, &c, &err) == JOURNAL_CLAIMED && c && b && c->seq == b->seq,
	   "bram's session claims bram's entry, not the older ones of others");
	ok(c && journal_mark_answered(j, c->seq, JOURNAL_ACKNOWLEDGED, 200, NULL, &err),
	   "it is answered");
	journal_entry_free(c);
	c = NULL;
	ok(journal_claim_next(j, &c, &err) == JOURNAL_NONE && !c,
	   "and nothing else is claimed in bram's session");
	ok(a && journal_mark_handled(j, a->seq, "met de hand verwerkt", &err),
	   "a pending entry of another is marked handled with a note");
	journal_entry_free(a);
	journal_entry_free(b);
	journal_close(j);
	free(err);
	free(path);
}

/* A journal as the desk wrote it before entries had a kind (its schema
 * made here by SQL as it was then) opens, gets each entry's kind from its
 * path, and is replayed; the desk's description of its entries comes from
 * the kind, the body and the stored refusal. */
static void test_kinds(void)
{
	char *path = xasprintf("%s/kinds.db", dir);
	sqlite3 *db = NULL;
	sqlite3_open(path, &db);
	int rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL;"
		"CREATE TABLE entries (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
		" key TEXT NOT NULL UNIQUE, desk TEXT NOT NULL, staff TEXT NOT NULL DEFAULT '',"
		" occurred_at TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,"
		" body TEXT NOT NULL, offline INTEGER NOT NULL, state TEXT NOT NULL CHECK (state IN"
		"  ('pending','sent','acknowledged','refused','handled')),"
		" status INTEGER NOT NULL DEFAULT 0, answer TEXT, note TEXT, retry_of INTEGER,"
		" retried_by INTEGER, attempts INTEGER NOT NULL DEFAULT 0,"
		" owner INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL,"
		" owner_token TEXT NOT NULL DEFAULT '');"
		"CREATE INDEX entries_waiting ON entries(seq) WHERE state IN ('pending','sent');"
		"CREATE INDEX entries_by_state ON entries(state);"
		"INSERT INTO entries (key, desk, staff, occurred_at, method, path, body, offline,"
		" state, status, answer, updated_at) VALUES"
		" ('k1', 'd', 'anna', '2026-11-01T10:00:00Z', 'POST', '/checkouts',"
		"  '{\"patron_card\":\"2100000000019\",\"item_barcode\":\"3100000000011\"}', 1,"
		"  'pending', 0, NULL, '2026-11-01T10:00:00Z'),"
		" ('k2', 'd', 'anna', '2026-11-01T10:01:00Z', 'POST', '/checkouts',"
		"  '{\"patron_card\":\"2100000000027\",\"item_barcode\":\"3100000000029\"}', 1,"
		"  'refused', 409, '{\"error\":{\"code\":\"patron_blocked\",\"message\":\"blocked\","
		"  \"details\":{\"blocks\":[\"card_expired\"]},\"overridable\":true}}',"
		"  '2026-11-01T10:01:00Z'),"
		" ('k3', 'd', 'anna', '2026-11-01T10:02:00Z', 'POST', '/checkins',"
		"  '{\"item_barcode\":\"3100000000037\"}', 1, 'refused', 409,"
		"  '{\"error\":{\"code\":\"not_on_loan\",\"message\":\"no\"}}', '2026-11-01T10:02:00Z'),"
		" ('k4', 'd', 'ido', '2026-11-01T10:03:00Z', 'POST', '/ido/questions', '{}', 1,"
		"  'pending', 0, NULL, '2026-11-01T10:03:00Z'),"
		" ('k5', 'd', 'anna', '2026-11-01T10:04:00Z', 'POST', '/renewals',"
		"  '{\"item_barcode\":\"3100000000045\"}', 0, 'refused', 409,"
		"  '{\"error\":{\"code\":\"renewal_limit\",\"message\":\"no\"}}', '2026-11-01T10:04:00Z'),"
		" ('k6', 'd', 'anna', '2026-11-01T10:05:00Z', 'POST', '/later', '{}', 1,"
		"  'refused', 400, NULL, '2026-11-01T10:05:00Z')",
		NULL, NULL, NULL);
	sqlite3_close(db);
	ok(rc == SQLITE_OK, "a journal in the schema before kinds, with six entries");
	char *err = NULL;
	struct journal *j = journal_open(path, "desk-8", &err);
	ok(j != NULL, "it opens (%s)", err ? err : "");
	free(err);
	err = NULL;
	if (!j) {
		free(path);
		return;
	}
	struct journal_entry **list = NULL;
	size_t n = 0;
	unsigned all = JOURNAL_MASK(JOURNAL_PENDING) | JOURNAL_MASK(JOURNAL_REFUSED);
	ok(journal_list_dup(j, all, 0, &list, &n, &err) && n == 6, "its six entries (%zu)", n);
	static const enum journal_kind want[] = { JOURNAL_KIND_CHECKOUT, JOURNAL_KIND_CHECKOUT,
						  JOURNAL_KIND_CHECKIN, JOURNAL_KIND_IDO_QUESTION,
						  JOURNAL_KIND_RENEWAL, JOURNAL_KIND_OTHER };
	bool kinds = n == 6;
	for (size_t i = 0; kinds && i < n; i++)
		kinds = list[i]->kind == want[i];
	ok(kinds, "each has its kind from its path: check-out, check-in, IDO question, renewal, other");

	struct journal_desc *d = n == 6 ? journal_desc_new(list[1]) : NULL;
	ok(d && d->kind == JOURNAL_KIND_CHECKOUT && d->item && d->card &&
		   strcmp(d->item, "3100000000029") == 0 && strcmp(d->card, "2100000000027") == 0,
	   "the refused check-out is described with its item and card");
	ok(d && d->code && strcmp(d->code, "patron_blocked") == 0 && d->reason &&
		   strstr(d->reason, circ_block_text("card_expired")),
	   "with the refusal's code and its sentence (%s)", d && d->reason ? d->reason : "");
	ok(d && journal_desc_overridable(d) && d->n_blocks == 1 &&
		   strcmp(d->blocks[0], "card_expired") == 0,
	   "an override can help: it names the block");
	journal_desc_free(d);
	d = n == 6 ? journal_desc_new(list[2]) : NULL;
	ok(d && d->kind == JOURNAL_KIND_CHECKIN && !journal_desc_overridable(d) && d->reason &&
		   strcmp(d->code, "not_on_loan") == 0,
	   "a refused check-in: its code, and no override can help");
	journal_desc_free(d);
	d = n == 6 ? journal_desc_new(list[5]) : NULL;
	ok(d && !d->code && d->reason && strstr(d->reason, "400"),
	   "an answer without the protocol's error: its status (%s)", d ? d->reason : "");
	journal_desc_free(d);
	journal_entries_free(list, n);

	struct journal_entry *e = NULL;
	ok(journal_append(j, JOURNAL_OFFLINE, "anna", "POST", "/checkins", NULL, NULL, &e, &err) &&
		   e->kind == JOURNAL_KIND_CHECKIN,
	   "a new entry gets its kind");
	struct journal_entry *back = NULL;
	ok(e && journal_get(j, e->seq, &back, &err) && back && back->kind == JOURNAL_KIND_CHECKIN,
	   "stored with it");
	journal_entry_free(back);
	journal_entry_free(e);

	/* The old entries are sent in their order, as before. */
	journal_claim_for(j, "anna");
	struct journal_entry *c = NULL;
	ok(journal_claim_next(j, &c, &err) == JOURNAL_CLAIMED && c && strcmp(c->key, "k1") == 0 &&
		   c->kind == JOURNAL_KIND_CHECKOUT,
	   "the old check-out is claimed first");
	ok(c && journal_mark_answered(j, c->seq, JOURNAL_ACKNOWLEDGED, 201, "{}", &err),
	   "and acknowledged (%s)", err ? err : "");
	journal_entry_free(c);
	journal_close(j);
	j = journal_open(path, "desk-8", &err);
	ok(j && journal_count(j, JOURNAL_ACKNOWLEDGED, &err) == 1 &&
		   journal_count(j, JOURNAL_PENDING, &err) == 2,
	   "it opens again with what happened kept");
	journal_close(j);
	free(err);
	free(path);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/balie-journal-XXXXXX");
	if (!mkdtemp(dir)) {
		ok(false, "a temporary directory");
		return tap_done();
	}
	char *path = xasprintf("%s/state/balie/journal.db", dir);
	char *err = NULL;
	umask(022);
	struct journal *j = journal_open(path, "desk-1", &err);
	ok(j != NULL, "a new journal is created with its directories");
	if (j) {
		ok(file_mode(path) == 0600, "mode 0600 even with umask 022");
		test_append_and_states(j, path);
		journal_close(j);
		test_processes(path);
		test_crash(path);
	}
	test_same_pid(path);
	test_batch();
	test_pid_reused(path);
	test_prune(path);
	test_owners();
	test_kinds();
	chmod(path, 0644);
	j = journal_open(path, "desk-1", &err);
	ok(j && file_mode(path) == 0600, "a journal found readable by others is made 0600");
	journal_close(j);
	test_open_errors();
	test_judge();
	free(path);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	free(cmd);
	return tap_done();
}
