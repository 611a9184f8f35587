/* Whose the journal's entries are, and when they happened, against a balied
 * this test stops, kills and starts again on one database:
 * 1. desk user balie saves two check-ins offline and logs out; volunteer
 *    ido logs in with the service back: nothing is sent in ido's session
 *    (the items stay on loan, the entries wait, named balie), the top line
 *    says "2 transactions of balie wait: let balie log in" and counts no
 *    refusal, and the queue screen lists none and says the same sentence;
 *    administrator beheer sees both on the queue screen, as many as the top
 *    line counts, and sends neither; balie logs in again and the two are
 *    sent and accepted;
 * 2. an online check-out in flight when balied stops answering (SIGSTOP)
 *    times out and is saved; balied is killed (-9), the same item is
 *    checked in offline, balied starts again: both are accepted in order,
 *    the item ends checked in, and the journal's online entry carries
 *    occurred_at in its body. */
#include "circref.h"
#include "desk.h"
#include "offsvc.h"
#include "tap.h"
#include "core/clock.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BRANCH "CEN"
#define WAITS "2 transactions of balie wait: let balie log in"

static long long journal_int(const struct desk *d, const char *sql)
{
	return offsvc_journal_int(d->home, sql);
}

/* Waits until the journal's sql gives want; the last value. */
static long long journal_wait(struct desk *d, const char *sql, long long want)
{
	long long n = -1;
	for (long long end = clock_now_ms() + 30000; clock_now_ms() < end; vt_pump(d->vt, 50))
		if ((n = journal_int(d, sql)) == want)
			break;
	return n;
}

static long long open_loans_of(const struct offsvc *s, const char *barcode)
{
	return offsvc_query_int(s,
		"SELECT count(*) FROM loans l JOIN items i ON i.id = l.item_id"
		" WHERE i.barcode = ?1 AND l.returned_at IS NULL",
		(const char *const[]){barcode, NULL});
}

static bool log_in(struct desk *d, const char *user, const char *shows)
{
	return vt_wait_text(d->vt, "beheer", DESK_STEP_MS) && desk_type_login(d, user, "oefenen") &&
	       vt_wait_text(d->vt, shows, DESK_STEP_MS);
}

static void test_owner(struct offsvc *s, struct desk *d, char back[2][15])
{
	struct vt *vt = d->vt;
	ok(offsvc_kill(s), "the service goes away");
	vt_key(vt, "F3");
	bool saved = vt_wait_text(vt, "Check in", DESK_STEP_MS);
	for (int i = 0; i < 2; i++) {
		vt_scan(vt, back[i]);
		saved = saved && circref_wait_row2(vt, back[i], "SAVED", DESK_STEP_MS);
	}
	ok(saved, "balie checks two items in offline: each SAVED");
	vt_key(vt, "F10");
	ok(vt_wait_text(vt, "User name", DESK_STEP_MS), "balie logs out");
	ok(offsvc_restart(s), "balied starts again on the same database");
	ok(log_in(d, "ido", "IDO question log"), "volunteer ido logs in: the IDO form");
	ok(vt_wait_row(vt, 0, WAITS, 30000), "the top line: \"" WAITS "\"");
	char *top = vt_row_dup(vt, 0);
	ok(!strstr(top, "refused"), "and no refusal is counted: %s", top);
	free(top);
	ok(journal_int(d, "SELECT count(*) FROM entries WHERE staff = 'balie'"
			  " AND path = '/checkins' AND state = 'pending'") == 2 &&
		   journal_int(d, "SELECT count(*) FROM entries WHERE staff <> 'balie'") == 0,
	   "the journal: both still pending, named balie; none named anyone else");
	ok(open_loans_of(s, back[0]) == 1 && open_loans_of(s, back[1]) == 1,
	   "nothing was sent in ido's session: both items are still on loan");
	ok(offsvc_query_int(s, "SELECT count(*) FROM audit_log WHERE action = 'offline'", NULL) == 0,
	   "the service applied no replay");
	vt_key(vt, "F8");
	ok(vt_wait_text(vt, "Offline queue", DESK_STEP_MS) &&
		   vt_wait_text(vt, "0 wait for the desk", DESK_STEP_MS) &&
		   vt_wait_text(vt, WAITS, DESK_STEP_MS),
	   "the queue screen counts none, as the top line, and names balie");
	vt_key(vt, "F10");
	ok(vt_wait_text(vt, "User name", DESK_STEP_MS), "ido logs out");
	ok(log_in(d, "beheer", "You are logged in as beheer"), "administrator beheer logs in");
	ok(vt_wait_row(vt, 0, "2 refused (queue)", DESK_STEP_MS), "the top line counts balie's two");
	vt_key(vt, "F8");
	ok(vt_wait_text(vt, "2 wait for the desk", DESK_STEP_MS) &&
		   vt_wait_text(vt, "not sent: waits for balie to log in", DESK_STEP_MS),
	   "the queue screen lists the same two, not sent, to be resolved by beheer");
	ok(open_loans_of(s, back[0]) == 1 && open_loans_of(s, back[1]) == 1,
	   "nothing was sent in beheer's session either");
	vt_key(vt, "F10");
	ok(vt_wait_text(vt, "User name", DESK_STEP_MS), "beheer logs out, leaving them");
	ok(log_in(d, "balie", "You are logged in as balie"), "balie logs in again");
	long long acked = journal_wait(d, "SELECT count(*) FROM entries WHERE path = '/checkins'"
					  " AND state = 'acknowledged'", 2);
	ok(acked == 2, "the two check-ins are sent in balie's session and accepted (%lld)", acked);
	ok(open_loans_of(s, back[0]) == 0 && open_loans_of(s, back[1]) == 0,
	   "the service holds both items as returned");
	ok(vt_wait_gone(vt, "wait: let", DESK_STEP_MS), "the top line no longer names waiting entries");
}

static void test_in_flight(struct offsvc *s, struct desk *d, const char *card, const char *item)
{
	struct vt *vt = d->vt;
	vt_key(vt, "F2");
	vt_scan(vt, card);
	ok(vt_wait_text(vt, "Card valid until", DESK_STEP_MS), "online: the patron's panel");
	ok(offsvc_pause(s), "balied stops answering (SIGSTOP)");
	vt_scan(vt, item);
	ok(circref_wait_row2(vt, item, "SAVED", 30000) && vt_wait_row(vt, 0, "OFFLINE", DESK_STEP_MS),
	   "the online check-out times out: saved, and the desk is offline");
	ok(offsvc_kill(s), "balied is killed (-9)");
	vt_key(vt, "F3");
	ok(vt_wait_text(vt, "Check in", DESK_STEP_MS), "F3: check in");
	vt_scan(vt, item);
	ok(circref_wait_row2(vt, item, "SAVED", DESK_STEP_MS), "the same item is checked in offline");
	ok(offsvc_restart(s), "balied starts again");
	ok(vt_wait_gone(vt, "OFFLINE", 30000) && vt_wait_gone(vt, "sending", 30000),
	   "the desk sends its journal");
	char *both = xasprintf("SELECT count(*) FROM entries WHERE state = 'acknowledged'"
			       " AND instr(body, '%s') > 0", item);
	long long n = journal_wait(d, both, 2);
	free(both);
	char *refused = xasprintf("SELECT count(*) FROM entries WHERE state IN ('refused', 'handled')"
				  " AND instr(body, '%s') > 0", item);
	ok(n == 2 && journal_int(d, refused) == 0,
	   "the check-out and the check-in are both accepted (%lld acknowledged), none refused", n);
	free(refused);
	char *returned = xasprintf("SELECT count(*) FROM entries WHERE path = '/checkins'"
				   " AND instr(body, '%s') > 0"
				   " AND json_extract(answer, '$.returned') = 1", item);
	ok(open_loans_of(s, item) == 0 && journal_int(d, returned) == 1,
	   "the item ends checked in: the check-in returned the loan, none is open");
	free(returned);
	char *body = xasprintf("SELECT count(*) FROM entries WHERE path = '/checkouts'"
			       " AND offline = 0 AND instr(body, '%s') > 0"
			       " AND json_extract(body, '$.occurred_at') = occurred_at", item);
	ok(journal_int(d, body) == 1, "the journal's online entry carries its occurred_at in its body");
	free(body);
}

int main(void)
{
	struct offsvc *s = offsvc_start();
	if (!ok(s != NULL, "balied serves on its own socket and database"))
		return tap_done();
	char back[2][15], card[1][15], item[1][15];
	size_t nb = offsvc_pick(s,
		"SELECT i.barcode AS x FROM loans l JOIN items i ON i.id = l.item_id"
		" WHERE l.returned_at IS NULL ORDER BY l.id DESC", back, 2);
	size_t nc = offsvc_pick_patrons(s, false, card, 1);
	size_t ni = offsvc_pick_items(s, false, item, 1);
	if (!ok(nb == 2 && nc == 1 && ni == 1, "the training data has loans, a patron and an item")) {
		offsvc_stop(s);
		return tap_done();
	}
	char *more = xasprintf("%srequest_timeout = 1000\nidle_lock = 0\n", offsvc_server_conf(s));
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", more, NULL);
	free(more);
	if (ok(d != NULL, "the desk logs in as balie to that service")) {
		test_owner(s, d, back);
		test_in_flight(s, d, card[0], item[0]);
		ok(desk_stop(d), "the desk stops cleanly");
	}
	ok(offsvc_stop(s), "balied stops and nothing is left");
	return tap_done();
}
