/* A journal that cannot be written in the middle of a session (DESIGN.md section 4: "a
 * failed fsync or commit stops the desk with a clear message rather than
 * pretending"), with a real fault: balie runs with RLIMIT_FSIZE low and
 * SIGXFSZ ignored, so that once the journal's write-ahead log reaches the
 * limit write() fails (EFBIG or a short write) and SQLite's commit fails.
 * Against a balied of its own (offsvc: a training balied started by balie
 * would inherit the limit), twice: the desk lends online, loses its service
 * and goes on lending offline until the journal is full; and the desk lends
 * online until the journal is full (then the failed write may be the
 * append before the send, or the answer's after the service lent it).
 * Each time:
 *   - balie stops by itself, exit status 1, the terminal given back, and
 *     the reason on the screen: the journal's path and why it failed;
 *   - the scan that failed was not shown as saved (the last screen the desk
 *     drew is kept by the harness); offline it is neither in the journal
 *     nor lent, online it is lent at most once, after the replay too;
 *   - every scan shown with its due date is on the service once, and every
 *     scan shown as SAVED is in the journal once, waiting;
 *   - a desk started again on that journal (without the limit) sends it
 *     when the service is back: each loan shown is then on the service
 *     exactly once, and nothing waits or is refused. */
#include "circref.h"
#include "desk.h"
#include "offsvc.h"
#include "tap.h"
#include "tuienv.h"
#include "core/clock.h"
#include "core/xalloc.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>

#define BRANCH "CEN"
/* Room for the schema, a few online loans (an append and an answer each)
 * and some offline ones; every commit adds whole pages to the log, which
 * is not checkpointed before 1000 pages, so the file only grows. */
#define FSIZE_LIMIT (320 * 1024)
/* The journal fills after some 12 scans; 15 loans a card stay far below
 * the service's limit of loans, so that nothing is refused on replay. */
enum { N_ONLINE = 3, N_PER_CARD = 15, N_CARDS = 3, N_MAX = N_PER_CARD * N_CARDS };

/* The journal's entries whose body names barcode, and how many of them are
 * in state (NULL: any); -1 after a diagnostic. Read with SQLite directly, so
 * that the test changes nothing in the file. */
static long long journal_rows(const char *path, const char *barcode, const char *state)
{
	sqlite3 *db = NULL;
	long long n = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		diag("%s: %s", path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 5000);
	sqlite3_stmt *st = NULL;
	char *like = xasprintf("%%\"%s\"%%", barcode);
	if (sqlite3_prepare_v2(db,
			       "SELECT count(*) FROM entries WHERE body LIKE ?1"
			       " AND (?2 IS NULL OR state = ?2)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, like, -1, SQLITE_TRANSIENT);
		if (state)
			sqlite3_bind_text(st, 2, state, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
	}
	if (n < 0)
		diag("%s: %s", path, sqlite3_errmsg(db));
	free(like);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static long long journal_state_count(const char *path, const char *where)
{
	sqlite3 *db = NULL;
	long long n = -1;
	char *sql = xasprintf("SELECT count(*) FROM entries WHERE %s", where);
	sqlite3_stmt *st = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		diag("%s: %s", path, sqlite3_errmsg(db));
	free(sql);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Every entry's state and answer, as diagnostics. */
static void journal_dump(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT seq, state, status, owner, body, answer FROM entries"
				   " ORDER BY seq", -1, &st, NULL) == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW)
			diag("journal %lld %s %lld owner %lld: %s -> %s", sqlite3_column_int64(st, 0),
			     sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2),
			     sqlite3_column_int64(st, 3), sqlite3_column_text(st, 4),
			     sqlite3_column_text(st, 5) ? (const char *)sqlite3_column_text(st, 5) : "");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* s without blanks and line ends: a message wrapped at the screen's edge
 * reads as one. */
static char *squeeze_dup(const char *s)
{
	char *out = xstrdup(s), *w = out;
	for (const char *r = s; *r; r++)
		if (*r != ' ' && *r != '\n')
			*w++ = *r;
	*w = '\0';
	return out;
}

/* The row of text holding barcode (allocated), or NULL. */
static char *row_with_dup(const char *text, const char *barcode)
{
	const char *at = text ? strstr(text, barcode) : NULL;
	if (!at)
		return NULL;
	const char *start = at;
	while (start > text && start[-1] != '\n')
		start--;
	const char *end = strchr(at, '\n');
	size_t n = end ? (size_t)(end - start) : strlen(start);
	char *row = xcalloc(n + 1, 1);
	memcpy(row, start, n);
	return row;
}

/* Waits until the row of barcode holds one of the words, or balie exits.
 * Returns the word seen, or NULL. */
static const char *wait_outcome(struct vt *vt, const char *barcode, const char *const *words)
{
	for (long long end = clock_now_ms() + DESK_STEP_MS; clock_now_ms() < end && !vt_exited(vt);) {
		int r;
		if (vt_altscreen(vt) && vt_find(vt, barcode, &r, NULL)) {
			char *row = vt_row_dup(vt, r);
			const char *hit = NULL;
			for (size_t i = 0; words[i] && !hit; i++)
				if (strstr(row, words[i]))
					hit = words[i];
			free(row);
			if (hit)
				return hit;
		}
		vt_pump(vt, 50);
	}
	return NULL;
}

static struct desk *start_desk(const char *conf, long long fsize_limit)
{
	const struct desk_file files[] = {{".config/balie/balie.conf", conf}, {NULL, NULL}};
	struct desk *d = desk_start(&(struct desk_opts){.files = files, .fsize_limit = fsize_limit});
	if (!d)
		return NULL;
	if (!vt_wait_text(d->vt, "beheer", DESK_START_MS) ||
	    !desk_type_login(d, "balie", "oefenen") || !vt_wait_gone(d->vt, "beheer", DESK_STEP_MS)) {
		diag("the desk did not log in");
		desk_finish(d, -1);
		return NULL;
	}
	return d;
}

struct shown {
	char item[15];
	const char *card;
	bool online; /* shown with its due date, else SAVED */
};

/* One desk until its journal is full, then one on that journal to send it.
 * go_offline: the service is killed after N_ONLINE loans. */
static void full_case(struct offsvc *s, bool go_offline, const char cards[N_CARDS][15],
		      const char items[N_MAX + 1][15], long long t0)
{
	const char *how = go_offline ? "offline" : "online";
	char *err = NULL;
	char *dir = tuienv_home_new(&err);
	if (!ok(dir != NULL, "%s: a directory for the journal", how)) {
		diag("%s", err);
		free(err);
		return;
	}
	char *journal = xasprintf("%s/journal/journal.db", dir);
	/* The service is killed, never paused: a desk finds it gone at once,
	 * and a slow answer on a loaded machine is no reason to go offline. */
	char *more = xasprintf("%srequest_timeout = 10000\njournal = %s\n", offsvc_server_conf(s),
			       journal);
	char *conf = circref_conf_dup(BRANCH, more);
	free(more);

	struct shown shown[N_MAX + 1];
	size_t n_shown = 0;
	const char *failed = NULL;
	struct desk *d = start_desk(conf, FSIZE_LIMIT);
	if (ok(d != NULL, "%s: the desk, its files limited to %d KiB, logs in", how,
	       FSIZE_LIMIT / 1024)) {
		struct vt *vt = d->vt;
		vt_key(vt, "F2");
		vt_scan(vt, cards[0]);
		ok(vt_wait_text(vt, "Check out", DESK_STEP_MS) &&
			   vt_wait_text(vt, "Card valid until", DESK_STEP_MS),
		   "%s: check out with the patron's panel", how);
		static const char *const words[] = {"SAVED", "due ", NULL};
		size_t next = 0;
		bool seen_saved = false, seen_due = false;
		for (int c = 0; c < N_CARDS && !failed; c++) {
			if (c > 0) {
				vt_key(vt, "F12");
				vt_scan(vt, cards[c]);
				if (!vt_wait_text(vt, go_offline ? "offline: no patron data"
								 : "Card valid until",
						  DESK_STEP_MS))
					break;
			}
			for (int i = 0; i < N_PER_CARD && !failed; i++) {
				if (go_offline && next == N_ONLINE)
					offsvc_kill(s);
				const char *item = items[next++];
				vt_scan(vt, item);
				const char *word = wait_outcome(vt, item, words);
				if (!word) {
					failed = item;
					break;
				}
				memcpy(shown[n_shown].item, item, 15);
				shown[n_shown].card = cards[c];
				shown[n_shown++].online = strcmp(word, "due ") == 0;
				seen_saved = seen_saved || strcmp(word, "SAVED") == 0;
				seen_due = seen_due || strcmp(word, "due ") == 0;
			}
		}
		if (go_offline)
			ok(seen_due && seen_saved, "offline: lent online, then saved offline");
		else
			ok(seen_due && !seen_saved, "online: each scan lent with its due date");
		ok(failed != NULL, "%s: the journal fills up after %zu scans shown as done or saved",
		   how, n_shown);
		int status = 0;
		bool exited = vt_wait_exit(vt, DESK_STEP_MS, &status);
		ok(exited && WIFEXITED(status) && WEXITSTATUS(status) == 1,
		   "%s: balie stops by itself with exit status 1 (%d, signal %d)", how,
		   exited && WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		   exited && WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		vt_pump(vt, 0);
		char *screen = vt_screen_dup(vt);
		char *flat = squeeze_dup(screen);
		char *want = xasprintf("balie:Thejournalfailed,sothedeskstopped:Thejournal%scould"
				       "notbewritten:",
				       journal);
		const char *reason = strstr(flat, want);
		reason = reason ? reason + strlen(want) : NULL;
		bool clear = reason && (strstr(reason, "full") || strstr(reason, "I/Oerror") ||
					strstr(reason, "large"));
		ok(clear, "%s: the screen says why: the journal, its path and the reason", how);
		ok(reason && strstr(reason, "thefilesizelimitofthisprocess(ulimit-f)isreached"),
		   "%s: and the cause IT can act on: the file size limit (ulimit -f)", how);
		/* what balie said, a TAP diagnostic a row */
		for (char *said = strstr(screen, "balie: "), *nl; said && *said; said = nl) {
			nl = strchr(said, '\n');
			if (nl)
				*nl++ = '\0';
			if (*said)
				diag("%s", said);
		}
		free(want);
		free(flat);
		free(screen);
		char *last = vt_altscreen_last_dup(vt);
		char *row = failed ? row_with_dup(last, failed) : NULL;
		char *before = n_shown ? row_with_dup(last, shown[n_shown - 1].item) : NULL;
		const char *was = n_shown && shown[n_shown - 1].online ? "due " : "SAVED";
		ok(last && before && strstr(before, was) &&
			   (!row || (!strstr(row, "SAVED") && !strstr(row, "due "))),
		   "%s: the last screen the desk drew shows the scan before as done, not the one "
		   "that failed (%s)",
		   how, row ? row : "not on it");
		free(before);
		if (!last)
			diag("the desk's last screen was not seen");
		free(row);
		free(last);
		ok(desk_finish(d, 1), "%s: the terminal is given back and nothing is left running",
		   how);
	}

	/* What the desk showed is where it said. */
	bool in_place = failed != NULL;
	for (size_t i = 0; i < n_shown; i++) {
		long long rows = journal_rows(journal, shown[i].item, NULL);
		long long lent = offsvc_open_loans(s, shown[i].item, shown[i].card);
		bool good = rows == 1 && lent == (shown[i].online ? 1 : 0) &&
			    journal_rows(journal, shown[i].item,
					 shown[i].online ? "acknowledged" : "pending") == 1;
		if (!good)
			diag("%s (%s): %lld in the journal, %lld lent", shown[i].item,
			     shown[i].online ? "lent online" : "saved", rows, lent);
		in_place = in_place && good;
	}
	ok(in_place, "%s: each lent scan is on the service and in the journal once, each saved "
		     "one waits in the journal once", how);
	long long failed_rows = failed ? journal_rows(journal, failed, NULL) : -1;
	long long failed_lent = failed ? offsvc_loans_since(s, failed, t0) : -1;
	if (go_offline)
		ok(failed_rows == 0 && failed_lent == 0,
		   "offline: the failed scan is neither in the journal nor lent");
	else
		ok(failed_rows >= 0 && failed_rows <= 1 && failed_lent >= 0 && failed_lent <= 1,
		   "online: the failed scan is in the journal at most once (%lld) and lent at most "
		   "once (%lld)",
		   failed_rows, failed_lent);

	if (go_offline)
		ok(offsvc_restart(s), "offline: balied starts again");
	struct desk *again = start_desk(conf, 0);
	if (ok(again != NULL, "%s: a desk on the same journal, without the limit, logs in", how)) {
		long long waiting = -1;
		for (long long end = clock_now_ms() + 30000; clock_now_ms() < end && waiting != 0;
		     vt_pump(again->vt, 50))
			waiting = journal_state_count(journal, "state IN ('pending','sent')");
		ok(waiting == 0 && vt_wait_gone(again->vt, "OFFLINE", DESK_STEP_MS) &&
			   vt_wait_gone(again->vt, "sending", DESK_STEP_MS),
		   "%s: it sends what the full journal held (%lld left), and says nothing is "
		   "waiting",
		   how, waiting);
		ok(desk_stop(again), "%s: that desk stops cleanly", how);
	}
	long long once = 0;
	for (size_t i = 0; i < n_shown; i++) {
		long long open = offsvc_open_loans(s, shown[i].item, shown[i].card);
		long long made = offsvc_loans_since(s, shown[i].item, t0);
		once += open == 1 && made == 1;
		if (open != 1 || made != 1)
			diag("%s to %s: %lld open, %lld made", shown[i].item, shown[i].card, open,
			     made);
	}
	ok(n_shown > N_ONLINE && once == (long long)n_shown,
	   "%s: the service holds every loan shown as done or saved exactly once (%lld of %zu)",
	   how, once, n_shown);
	long long after = failed ? offsvc_loans_since(s, failed, t0) : -1;
	if (go_offline)
		ok(after == 0, "offline: and not the one that failed");
	else
		ok(after >= 0 && after <= 1 &&
			   after == journal_rows(journal, failed, "acknowledged"),
		   "online: the one that failed is lent once if it was journaled, else not (%lld)",
		   after);
	long long acked = journal_state_count(journal, "state = 'acknowledged'");
	ok(journal_state_count(journal, "state IN ('pending','sent','refused')") == 0 &&
		   acked >= (long long)n_shown && acked <= (long long)n_shown + 1,
	   "%s: the journal: every entry acknowledged (%lld), nothing waiting or refused", how,
	   acked);
	if (journal_state_count(journal, "state <> 'acknowledged'") != 0)
		journal_dump(journal);
	free(conf);
	free(journal);
	tuienv_home_remove(dir);
	free(dir);
}

int main(void)
{
	long long t0 = (long long)time(NULL) - 1;
	struct offsvc *s = offsvc_start();
	if (!ok(s != NULL, "balied serves on its own socket and database"))
		return tap_done();
	char cards[2 * N_CARDS][15], items[2 * (N_MAX + 1)][15];
	size_t nc = offsvc_pick_patrons(s, true, cards, 2 * N_CARDS);
	size_t ni = offsvc_pick_items(s, true, items, 2 * (N_MAX + 1));
	if (ok(nc == 2 * N_CARDS && ni == 2 * (N_MAX + 1),
	       "the training data has %d patrons and %d free items (%zu, %zu)", 2 * N_CARDS,
	       2 * (N_MAX + 1), nc, ni)) {
		full_case(s, true, (const char(*)[15])cards, (const char(*)[15])items, t0);
		full_case(s, false, (const char(*)[15])cards + N_CARDS,
			  (const char(*)[15])items + N_MAX + 1, t0);
	}
	ok(offsvc_stop(s), "balied stops and nothing is left");
	return tap_done();
}
