#include "client/journal_batch.h"

#include "client/journal_db.h"
#include "core/i18n.h"
#include "core/xalloc.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

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

/* One answer of journal_settle_batch inside its transaction. */
static bool settle_one(struct journal *j, const struct journal_answer *a, const char *now,
		       char **err)
{
	sqlite3_stmt *st;
	if (a->state == JOURNAL_PENDING) {
		st = journal_db_prepare(j, "UPDATE entries SET updated_at = ?, state = 'pending', owner = 0,"
				" owner_token = '' WHERE seq = ? AND state IN ('pending','sent')");
		if (st) {
			sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, a->seq);
		}
	} else {
		st = journal_db_prepare(j, "UPDATE entries SET updated_at = ?, state = ?, answer = ?, status = ?,"
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
		return journal_db_fail(j, err);
	int rc = sqlite3_step(st);
	journal_db_release(j, st);
	if (rc != SQLITE_DONE)
		return journal_db_fail(j, err);
	if (sqlite3_changes(j->db) > 0)
		return true;
	/* Not waiting: a second answer to an acknowledged key is the same
	 * answer again; anything else is a move the states do not allow. */
	struct journal_entry *e;
	if (!journal_db_read_entry(j, a->seq, &e))
		return journal_db_fail(j, err);
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
	if (light && !journal_db_set_light(j, true))
		return journal_db_fail(j, err);
	bool ok = journal_db_begin(j);
	if (!ok)
		journal_db_fail(j, err);
	char now[32];
	journal_db_now_rfc3339(now);
	for (size_t i = 0; ok && i < n; i++)
		ok = settle_one(j, &answers[i], now, err);
	if (ok)
		ok = journal_db_commit(j, err);
	else if (!sqlite3_get_autocommit(j->db))
		journal_db_exec(j, "ROLLBACK");
	if (light && !journal_db_set_light(j, false))
		return ok ? journal_db_fail(j, err) : false;
	return ok;
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
	unsigned long long now = journal_db_process_start(pid);
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
	if (!journal_db_begin(j)) {
		journal_db_fail(j, err);
		return JOURNAL_ERROR;
	}
	/* Only the claimant's entries: the order that must hold is that of one
	 * staff member's transactions, sent in that member's session. */
	sqlite3_stmt *st = journal_db_prepare(j, "SELECT " ENTRY_COLUMNS " FROM entries"
				      " WHERE state IN ('pending','sent')"
				      " AND (?2 IS NULL OR staff = ?2) ORDER BY seq LIMIT ?1");
	if (!st) {
		journal_db_rollback_fail(j, err);
		return JOURNAL_ERROR;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	if (!j->claim_any)
		sqlite3_bind_text(st, 2, j->claimant, -1, SQLITE_STATIC);
	int rc = SQLITE_DONE;
	bool in_flight = false;
	while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct journal_entry *e = journal_db_entry_from_row(st);
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
		journal_db_release(j, st);
		entries_drop(out, n);
		journal_db_rollback_fail(j, err);
		return JOURNAL_ERROR;
	}
	journal_db_release(j, st);
	if (*n == 0) {
		journal_db_exec(j, "ROLLBACK");
		return in_flight ? JOURNAL_BUSY : JOURNAL_NONE;
	}
	char now[32];
	journal_db_now_rfc3339(now);
	bool good = true;
	for (size_t i = 0; good && i < *n; i++) {
		st = journal_db_prepare(j, "UPDATE entries SET state = 'sent', owner = ?, attempts = attempts + 1,"
				" updated_at = ?, owner_token = ? WHERE seq = ?");
		good = st != NULL;
		if (good) {
			sqlite3_bind_int64(st, 1, j->pid);
			sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, j->token, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 4, out[i]->seq);
			good = sqlite3_step(st) == SQLITE_DONE;
			journal_db_release(j, st);
		}
	}
	if (!good)
		journal_db_rollback_fail(j, err);
	if (!good || !journal_db_commit(j, err)) {
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
	if (!journal_db_set_light(j, true)) {
		journal_db_fail(j, err);
		return JOURNAL_ERROR;
	}
	enum journal_claim c = claim_batch(j, max, out, n, err);
	if (!journal_db_set_light(j, false)) {
		if (c != JOURNAL_ERROR)
			journal_db_fail(j, err);
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
