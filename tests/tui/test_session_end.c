/* Offline work is bounded by the desk's session: a Dutch desk logged in to
 * a service whose sessions last 30 seconds (token_lifetime_seconds) loses
 * the service and saves a check-out offline; when the 30 seconds have run
 * out, on the desk's own steady clock, it goes back to the log-in screen
 * and says why, and the next scan is no work of anyone's: it is not
 * journaled. The saved check-out waits in the journal; when the same staff
 * member logs in again, the check-out screen comes back as it was, and the
 * entry is sent and accepted (it happened within the first session).
 * An entry whose moment no session covers (its time moved to an hour before
 * the first log-in) is refused on replay, and the queue screen says why. */
#include "core/clock.h"
#include "circref.h"
#include "desk.h"
#include "offsvc.h"
#include "tap.h"
#include "core/xalloc.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BRANCH "CEN"
#define LIFETIME_S 30
#define ENDED "De sessie is verlopen"

static long long journal_int(const struct desk *d, const char *sql)
{
	return offsvc_journal_int(d->home, sql);
}

/* Waits until balied holds the loan of item to card; true when it does. */
static bool wait_loan(const struct offsvc *s, struct vt *vt, const char *item, const char *card)
{
	for (long long end = clock_now_ms() + 30000; clock_now_ms() < end; vt_pump(vt, 100))
		if (offsvc_open_loans(s, item, card) == 1)
			return true;
	return false;
}

/* Moves the moment of the desk's newest journal entry, in the row and in
 * its body, to an hour before now, when balie had no session. */
static bool move_before_any_session(const char *home)
{
	time_t t = time(NULL) - 3600;
	struct tm tm;
	char at[32];
	gmtime_r(&t, &tm);
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	char *path = xasprintf("%s/.local/state/balie/journal.db", home);
	char *sql = xasprintf("UPDATE entries SET body = replace(body, occurred_at, '%s'),"
			      " occurred_at = '%s' WHERE state = 'pending'"
			      " AND seq = (SELECT max(seq) FROM entries)", at, at);
	sqlite3 *db;
	bool done = sqlite3_open(path, &db) == SQLITE_OK && sqlite3_busy_timeout(db, 5000) == 0 &&
		    sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK && sqlite3_changes(db) == 1;
	if (!done)
		diag("journal: %s", sqlite3_errmsg(db));
	sqlite3_close(db);
	free(sql);
	free(path);
	return done;
}

static void test_outside_session(struct offsvc *s, struct desk *d, const char *card,
				 const char *item)
{
	struct vt *vt = d->vt;
	offsvc_kill(s);
	vt_scan(vt, item);
	ok(circref_wait_row2(vt, item, "BEWAARD", DESK_STEP_MS), "another item lent offline is saved");
	ok(move_before_any_session(d->home),
	   "the journal says it happened an hour before the first log-in");
	ok(offsvc_restart(s), "balied starts again");
	ok(vt_wait_gone(vt, "OFFLINE", 30000), "the journal is sent");
	vt_key(vt, "F8");
	ok(vt_wait_text(vt, "Opgeslagen buiten een sessie", DESK_STEP_MS),
	   "F8: the refused check-out is on the queue screen: outside a session, in Dutch");
	ok(offsvc_open_loans(s, item, card) == 0, "the refused check-out is not on the service");
}

/* The scan after the session's end went into the log-in form's user name:
 * back to that field, emptied, and the log-in typed. */
static bool log_in_again(struct desk *d, size_t typed)
{
	bool sent = vt_key(d->vt, "BackTab") && vt_key(d->vt, "End");
	for (size_t i = 0; sent && i < typed; i++)
		sent = vt_key(d->vt, "Backspace");
	return sent && desk_type_login(d, "balie", "oefenen");
}

static void test_session_end(struct offsvc *s, struct desk *d, const char *card,
			     char items[3][15])
{
	struct vt *vt = d->vt;
	long long logged_in = clock_now_ms();
	offsvc_kill(s);
	vt_key(vt, "F2");
	vt_scan(vt, card);
	ok(vt_wait_row(vt, 0, "OFFLINE", DESK_STEP_MS), "the service is gone: offline");
	vt_scan(vt, items[0]);
	ok(circref_wait_row2(vt, items[0], "BEWAARD", DESK_STEP_MS),
	   "within the session, an item lent offline is saved");
	long long saved = clock_now_ms() - logged_in;
	ok(!vt_find(vt, ENDED, NULL, NULL), "and the session goes on (%lld ms after the log-in)",
	   saved);

	bool ended = vt_wait_text(vt, ENDED, (LIFETIME_S + 30) * 1000) &&
		     vt_wait_text(vt, "beheer", 1000);
	long long after = clock_now_ms() - logged_in;
	ok(ended, "the session's lifetime runs out offline: the log-in screen, and why, in Dutch "
		  "(%lld ms after the log-in)", after);
	ok(after >= (LIFETIME_S - 5) * 1000,
	   "not before the session's lifetime (less the time the log-in took)");
	ok(vt_find(vt, "journaal", NULL, NULL), "the sentence says the saved work waits in the journal");

	vt_scan(vt, items[1]);
	ok(vt_wait_text(vt, items[1], DESK_STEP_MS), "the next scan reaches the log-in form");
	ok(journal_int(d, "SELECT count(*) FROM entries") == 1 &&
		   journal_int(d, "SELECT count(*) FROM entries WHERE state = 'pending'") == 1,
	   "it is not journaled: the journal holds the one check-out, waiting");

	ok(offsvc_restart(s), "balied starts again");
	ok(log_in_again(d, strlen(items[1])), "balie logs in again");
	/* The saved line, or already its answer once the replay was quicker. */
	ok(circref_wait_row2(vt, items[0], "BEWAARD", DESK_STEP_MS) ||
		   circref_wait_row2(vt, items[0], "inleveren ", DESK_STEP_MS),
	   "the check-out screen is back as it was, with the saved line");
	ok(wait_loan(s, vt, items[0], card),
	   "the saved check-out is sent in the new session and accepted: it happened in the first");
	long long acked = -1;
	for (long long end = clock_now_ms() + DESK_STEP_MS; clock_now_ms() < end; vt_pump(vt, 100))
		if ((acked = journal_int(d, "SELECT count(*) FROM entries"
					    " WHERE state = 'acknowledged'")) == 1)
			break;
	ok(acked == 1, "and acknowledged in the journal");
	ok(offsvc_open_loans(s, items[1], card) == 0, "the scan after the end lent nothing");
}

int main(void)
{
	if (!ok(desk_need_locale("nl_NL.UTF-8"), "the Dutch locale is there"))
		return tap_done();
	char *svc_conf = xasprintf("token_lifetime_seconds = %d\n", LIFETIME_S);
	struct offsvc *s = offsvc_start_conf(svc_conf);
	free(svc_conf);
	if (!ok(s != NULL, "balied serves on its own socket, sessions of %d s", LIFETIME_S))
		return tap_done();
	char cards[1][15], items[3][15];
	size_t nc = offsvc_pick_patrons(s, false, cards, 1);
	size_t ni = offsvc_pick_items(s, false, items, 3);
	char *more = xasprintf("%srequest_timeout = 1000\n", offsvc_server_conf(s));
	struct desk *d = nc == 1 && ni == 3 ? circref_desk(BRANCH, "nl_NL.UTF-8", more, NULL) : NULL;
	free(more);
	if (ok(d != NULL, "a Dutch desk logs in to that service")) {
		test_session_end(s, d, cards[0], items);
		test_outside_session(s, d, cards[0], items[2]);
		ok(desk_stop(d), "the desk stops cleanly");
	}
	ok(offsvc_stop(s), "balied stops and nothing is left");
	return tap_done();
}
