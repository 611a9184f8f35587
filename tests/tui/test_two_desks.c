/* Two desks on one machine share one journal (DESIGN.md section 4: "several balie
 * processes on one host share the journal safely"): two live balie
 * processes, each in its own pty with its own terminal name, both with the
 * same journal = file, against one balied this test stops and starts:
 * 1. both lend online; the service goes away; both lend and take back
 *    offline, interleaved, each its own items; the service comes back and
 *    both desks send the journal, each taking what comes next, the other's
 *    entries too. The service then holds every loan and return once, the
 *    journal has nothing waiting or refused, and neither desk says OFFLINE.
 * 2. a restart while the old one is dying: one desk is stopped (SIGSTOP)
 *    with an entry in flight; the other does not send past it (the order
 *    holds) while its owner lives, and takes it over once the stopped desk
 *    is killed (SIGKILL), sending it again under its own key: each loan is
 *    on the service once. */
#include "desk.h"
#include "circref.h"
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

#define BRANCH "CEN"
enum { N_ON = 3, N_OFF = 6, N_IN = 4, N_DYING = 8 };
enum { N_ITEMS = N_ON + N_OFF + N_DYING };

struct side {
	const char *name;
	struct desk *d;
	char card_on[15], card_off[15];
	char out[N_ITEMS][15]; /* lent online, offline, then in part 2 */
	char in[N_IN][15];     /* other patrons' loans taken back offline */
};

/* The first integer of sql on the journal, or -1; read with SQLite
 * directly, as a third process would. */
static long long jq(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long n = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
	}
	if (n < 0)
		diag("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* The first text of sql on the journal (allocated), or NULL. */
static char *jq_text_dup(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *v = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			v = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	if (!v)
		diag("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void journal_dump(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT seq, desk, state, status, owner, attempts, body FROM entries"
				   " ORDER BY seq", -1, &st, NULL) == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW)
			diag("journal %lld %s %s %lld owner %lld attempts %lld: %s",
			     sqlite3_column_int64(st, 0), sqlite3_column_text(st, 1),
			     sqlite3_column_text(st, 2), sqlite3_column_int64(st, 3),
			     sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5),
			     sqlite3_column_text(st, 6));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* Waits until the row holding item holds word too, pumping both desks (the
 * other one must not block on its full pty meanwhile). */
static bool wait_line(struct side *me, struct side *other, const char *item, const char *word)
{
	for (long long end = clock_now_ms() + DESK_STEP_MS; clock_now_ms() < end; vt_pump(me->d->vt, 20)) {
		vt_pump(other->d->vt, 0);
		int r;
		if (vt_find(me->d->vt, item, &r, NULL)) {
			char *row = vt_row_dup(me->d->vt, r);
			bool hit = strstr(row, word) != NULL;
			free(row);
			if (hit)
				return true;
		}
	}
	diag("desk %s: no row holds %s and %s", me->name, item, word);
	vt_dump(me->d->vt, stdout);
	return false;
}

/* Waits until the row holding item no longer holds word. */
static bool wait_line_gone(struct side *me, struct side *other, const char *item,
			   const char *word)
{
	for (long long end = clock_now_ms() + DESK_STEP_MS; clock_now_ms() < end; vt_pump(me->d->vt, 20)) {
		vt_pump(other->d->vt, 0);
		int r;
		if (!vt_find(me->d->vt, item, &r, NULL))
			continue;
		char *row = vt_row_dup(me->d->vt, r);
		bool still = strstr(row, word) != NULL;
		free(row);
		if (!still)
			return true;
	}
	diag("desk %s: the row of %s still holds %s", me->name, item, word);
	vt_dump(me->d->vt, stdout);
	return false;
}

/* Pumps both desks until the journal has nothing pending or sent. */
static long long wait_sent(struct side *a, struct side *b, const char *journal, int deadline_ms)
{
	long long waiting = -1;
	for (long long end = clock_now_ms() + deadline_ms; clock_now_ms() < end; vt_pump(a->d->vt, 20)) {
		if (b->d)
			vt_pump(b->d->vt, 0);
		waiting = jq(journal, "SELECT count(*) FROM entries WHERE state IN ('pending','sent')");
		if (waiting == 0)
			break;
	}
	return waiting;
}

static bool top_clear(struct vt *vt)
{
	return vt_wait_gone(vt, "OFFLINE", DESK_STEP_MS) && vt_wait_gone(vt, "sending", DESK_STEP_MS) &&
	       vt_wait_gone(vt, "journal busy", DESK_STEP_MS) && vt_wait_gone(vt, "refused", DESK_STEP_MS);
}

/* Part 1: online, offline interleaved, replayed by both. */
static void test_share(struct offsvc *s, struct side *a, struct side *b, const char *journal,
		       long long t0)
{
	struct side *sides[2] = {a, b};
	for (int k = 0; k < 2; k++) {
		vt_key(sides[k]->d->vt, "F2");
		vt_scan(sides[k]->d->vt, sides[k]->card_on);
	}
	ok(vt_wait_text(a->d->vt, "Card valid until", DESK_STEP_MS) &&
		   vt_wait_text(b->d->vt, "Card valid until", DESK_STEP_MS),
	   "both desks: check out with the patron's panel");
	bool all = true;
	for (int i = 0; i < N_ON; i++) {
		/* both scan at once: each desk's transaction is in flight while
		 * the other's is journaled */
		vt_scan(a->d->vt, a->out[i]);
		vt_scan(b->d->vt, b->out[i]);
		all = wait_line(a, b, a->out[i], "due ") && all;
		all = wait_line(b, a, b->out[i], "due ") && all;
	}
	ok(all, "both desks lend online at once, each loan with its due date (%d each)", N_ON);

	offsvc_kill(s);
	for (int k = 0; k < 2; k++) {
		vt_key(sides[k]->d->vt, "F12");
		vt_scan(sides[k]->d->vt, sides[k]->card_off);
	}
	ok(vt_wait_text(a->d->vt, "offline: no patron data", DESK_STEP_MS) &&
		   vt_wait_text(b->d->vt, "offline: no patron data", DESK_STEP_MS),
	   "the service gone, both desks take a card without patron data");
	all = true;
	for (int i = N_ON; i < N_ON + N_OFF; i++) {
		vt_scan(a->d->vt, a->out[i]);
		vt_scan(b->d->vt, b->out[i]);
		all = wait_line(a, b, a->out[i], "SAVED") && all;
		all = wait_line(b, a, b->out[i], "SAVED") && all;
	}
	ok(all, "offline, interleaved: %d check-outs on each desk, each SAVED", N_OFF);
	for (int k = 0; k < 2; k++)
		vt_key(sides[k]->d->vt, "F3");
	all = vt_wait_text(a->d->vt, "Check in", DESK_STEP_MS) &&
	      vt_wait_text(b->d->vt, "Check in", DESK_STEP_MS);
	for (int i = 0; i < N_IN; i++) {
		vt_scan(a->d->vt, a->in[i]);
		vt_scan(b->d->vt, b->in[i]);
		all = wait_line(a, b, a->in[i], "SAVED") && all;
		all = wait_line(b, a, b->in[i], "SAVED") && all;
	}
	ok(all, "offline, interleaved: %d check-ins on each desk, each SAVED", N_IN);
	char want[32];
	snprintf(want, sizeof want, "OFFLINE (%d waiting)", 2 * (N_OFF + N_IN));
	ok(vt_wait_row(a->d->vt, 0, want, DESK_STEP_MS) && vt_wait_row(b->d->vt, 0, want, DESK_STEP_MS),
	   "both status lines count what both desks saved: %s", want);

	ok(offsvc_restart(s), "balied starts again");
	long long waiting = wait_sent(a, b, journal, 30000);
	ok(waiting == 0, "the two desks send the shared journal (%lld left)", waiting);
	ok(top_clear(a->d->vt) && top_clear(b->d->vt),
	   "neither status line says OFFLINE, sending or refused any more");
	/* each desk may have sent the other's entries: the lines follow the
	 * journal, not only the own replay */
	all = true;
	for (int i = 0; i < N_IN; i++) {
		all = wait_line_gone(a, b, a->in[i], "SAVED") && all;
		all = wait_line_gone(b, a, b->in[i], "SAVED") && all;
	}
	ok(all, "on both desks every SAVED check-in line shows its outcome, whichever desk sent it");

	long long once = 0, returned = 0;
	for (int k = 0; k < 2; k++) {
		struct side *me = sides[k];
		for (int i = 0; i < N_ON + N_OFF; i++) {
			const char *card = i < N_ON ? me->card_on : me->card_off;
			long long open = offsvc_open_loans(s, me->out[i], card);
			long long made = offsvc_loans_since(s, me->out[i], t0);
			once += open == 1 && made == 1;
			if (open != 1 || made != 1)
				diag("desk %s: %s to %s: %lld open, %lld made", me->name, me->out[i],
				     card, open, made);
		}
		for (int i = 0; i < N_IN; i++)
			returned += offsvc_query_int(s,
				"SELECT count(*) FROM loans l JOIN items i ON i.id = l.item_id"
				" WHERE i.barcode = ?1 AND l.returned_at IS NULL",
				(const char *const[]){me->in[i], NULL}) == 0;
	}
	ok(once == 2 * (N_ON + N_OFF), "the service holds each of the %d loans exactly once (%lld)",
	   2 * (N_ON + N_OFF), once);
	ok(returned == 2 * N_IN, "the %d returns are in (%lld)", 2 * N_IN, returned);
	long long acked = jq(journal, "SELECT count(*) FROM entries WHERE state = 'acknowledged'");
	long long other = jq(journal, "SELECT count(*) FROM entries WHERE state <> 'acknowledged'");
	ok(acked == 2 * (N_ON + N_OFF + N_IN) && other == 0,
	   "the journal: %lld acknowledged (want %d), %lld otherwise", acked,
	   2 * (N_ON + N_OFF + N_IN), other);
	if (other != 0)
		journal_dump(journal);
}

/* Part 2: a desk stopped with an entry in flight, then killed. */
static void test_dying(struct offsvc *s, struct side *a, struct side *b, const char *journal,
		       long long t0)
{
	offsvc_kill(s);
	/* the card of part 1 is still on the check-out screen, with the same
	 * words: the visit is ended first, so that what is waited for is new */
	for (int k = 0; k < 2; k++) {
		struct side *me = k == 0 ? a : b;
		vt_key(me->d->vt, "F2");
		vt_key(me->d->vt, "F12");
	}
	bool all = vt_wait_text(a->d->vt, "Done. Scan the next", DESK_STEP_MS) &&
		   vt_wait_text(b->d->vt, "Done. Scan the next", DESK_STEP_MS);
	for (int k = 0; k < 2; k++)
		vt_scan((k == 0 ? a : b)->d->vt, (k == 0 ? a : b)->card_off);
	all = vt_wait_text(a->d->vt, "offline: no patron data", DESK_STEP_MS) &&
	      vt_wait_text(b->d->vt, "offline: no patron data", DESK_STEP_MS) && all;
	for (int i = N_ON + N_OFF; i < N_ITEMS; i++) {
		vt_scan(a->d->vt, a->out[i]);
		vt_scan(b->d->vt, b->out[i]);
		all = wait_line(a, b, a->out[i], "SAVED") && all;
		all = wait_line(b, a, b->out[i], "SAVED") && all;
	}
	ok(all, "the service gone again: %d more check-outs on each desk, SAVED", N_DYING);

	/* Only A sends at first: B is stopped until A is caught with an
	 * entry in flight. An entry stays "sent" while A is stopped; A being
	 * stopped in the instant between two entries is seen, and A goes on
	 * and is caught at the next. (A may have claimed several at once:
	 * those after the first are "sent" by A too.) */
	pid_t pa = vt_pid(a->d->vt), pb = vt_pid(b->d->vt);
	kill(pb, SIGSTOP);
	ok(offsvc_restart(s), "balied starts again");
	char *owned = xasprintf("SELECT coalesce(min(seq), 0) FROM entries WHERE state = 'sent'"
				" AND owner = %ld",
				(long)pa);
	long long caught = 0;
	for (long long end = clock_now_ms() + 30000; clock_now_ms() < end && caught <= 0;) {
		vt_pump(a->d->vt, 0);
		if (jq(journal, owned) <= 0)
			continue;
		kill(pa, SIGSTOP);
		caught = jq(journal, owned);
		if (caught <= 0)
			kill(pa, SIGCONT);
	}
	free(owned);
	char *after = xasprintf("SELECT count(*) FROM entries WHERE seq > %lld"
				" AND state IN ('pending', 'sent')",
				caught);
	long long left = jq(journal, after);
	/* What B may not touch while A lives: every entry from A's on, with
	 * its state, owner and attempts (only B could change them now). */
	char *rows_sql = xasprintf("SELECT group_concat(seq || ':' || state || ':' || owner || ':' ||"
				   " attempts, ' ') FROM (SELECT * FROM entries WHERE seq >= %lld"
				   " ORDER BY seq)",
				   caught);
	char *rows_before = jq_text_dup(journal, rows_sql);
	ok(caught > 0 && left > 0,
	   "desk A is stopped with entry %lld in flight, %lld entries after it waiting", caught,
	   left);
	kill(pb, SIGCONT);
	/* B finds the service and the oldest entry in flight from a live
	 * desk: it says so, and tries again every second; for a few of its
	 * tries nothing after that entry may be sent (an absence needs a span
	 * of time to be seen in). */
	ok(vt_wait_row(b->d->vt, 0, "journal busy, trying again", DESK_STEP_MS) &&
		   vt_wait_gone(b->d->vt, "OFFLINE", DESK_STEP_MS),
	   "desk B finds the service and says the journal is busy, not OFFLINE");
	bool still = rows_before != NULL;
	for (long long end = clock_now_ms() + 3500; clock_now_ms() < end && still; vt_pump(b->d->vt, 50)) {
		char *rows = jq_text_dup(journal, rows_sql);
		still = rows && strcmp(rows, rows_before) == 0;
		if (!still) {
			diag("before: %s", rows_before);
			diag("now: %s", rows ? rows : "(none)");
		}
		free(rows);
	}
	ok(still && vt_wait_row(b->d->vt, 0, "journal busy, trying again", DESK_STEP_MS),
	   "desk B waits for A's entry in flight: it claims and sends nothing meanwhile");
	free(rows_sql);
	free(rows_before);

	kill(pa, SIGKILL);
	int status = vt_close(a->d->vt);
	a->d->vt = NULL;
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "desk A is killed (SIGKILL)");
	desk_finish(a->d, -1); /* the home; it says that A ended by a signal */
	a->d = NULL;
	long long waiting = wait_sent(b, a, journal, 30000);
	ok(waiting == 0, "desk B takes A's entry over and sends the rest (%lld left)", waiting);
	char *retried = xasprintf("SELECT attempts FROM entries WHERE seq = %lld", caught);
	ok(jq(journal, retried) >= 2, "A's entry was sent again (attempts %lld)", jq(journal, retried));
	free(retried);
	ok(top_clear(b->d->vt), "desk B's status line no longer says OFFLINE or that it waits");
	long long once = 0;
	for (int k = 0; k < 2; k++) {
		struct side *me = k == 0 ? a : b;
		for (int i = N_ON + N_OFF; i < N_ITEMS; i++) {
			long long open = offsvc_open_loans(s, me->out[i], me->card_off);
			long long made = offsvc_loans_since(s, me->out[i], t0);
			once += open == 1 && made == 1;
			if (open != 1 || made != 1)
				diag("desk %s: %s: %lld open, %lld made", me->name, me->out[i], open, made);
		}
	}
	ok(once == 2 * N_DYING, "the service holds each of the %d loans exactly once (%lld)",
	   2 * N_DYING, once);
	long long other = jq(journal, "SELECT count(*) FROM entries WHERE state <> 'acknowledged'");
	ok(other == 0, "the journal: every entry acknowledged (%lld otherwise)", other);
	if (other != 0)
		journal_dump(journal);
	free(after);
}

int main(void)
{
	long long t0 = (long long)time(NULL) - 1;
	struct offsvc *s = offsvc_start();
	if (!ok(s != NULL, "balied serves on its own socket and database"))
		return tap_done();
	struct side a = {.name = "A"}, b = {.name = "B"};
	char cards[4][15], items[2 * N_ITEMS][15], back[2 * N_IN][15];
	size_t nc = offsvc_pick_patrons(s, false, cards, 4);
	size_t ni = offsvc_pick_items(s, false, items, 2 * N_ITEMS);
	char *loans = xasprintf(
		"SELECT i.barcode AS x FROM loans l JOIN items i ON i.id = l.item_id"
		" JOIN patrons p ON p.id = l.patron_id WHERE l.returned_at IS NULL"
		" AND p.card NOT IN ('%s', '%s', '%s', '%s') ORDER BY l.id DESC",
		cards[0], cards[1], cards[2], cards[3]);
	size_t nb = nc == 4 ? offsvc_pick(s, loans, back, 2 * N_IN) : 0;
	free(loans);
	char *err = NULL;
	char *dir = tuienv_home_new(&err);
	if (!ok(nc == 4 && ni == 2 * N_ITEMS && nb == 2 * N_IN && dir,
		"the training data has 4 patrons, %d free items and %d loans (%zu, %zu, %zu)",
		2 * N_ITEMS, 2 * N_IN, nc, ni, nb)) {
		diag("%s", err ? err : "");
		free(err);
		offsvc_stop(s);
		return tap_done();
	}
	memcpy(a.card_on, cards[0], 15);
	memcpy(a.card_off, cards[1], 15);
	memcpy(b.card_on, cards[2], 15);
	memcpy(b.card_off, cards[3], 15);
	for (int i = 0; i < N_ITEMS; i++) {
		memcpy(a.out[i], items[2 * i], 15);
		memcpy(b.out[i], items[2 * i + 1], 15);
	}
	for (int i = 0; i < N_IN; i++) {
		memcpy(a.in[i], back[2 * i], 15);
		memcpy(b.in[i], back[2 * i + 1], 15);
	}
	char *journal = xasprintf("%s/shared/journal.db", dir);
	for (int k = 0; k < 2; k++) {
		struct side *me = k == 0 ? &a : &b;
		/* balied is killed, never paused: a desk finds it gone at once,
		 * and a slow answer on a loaded machine is no reason to go
		 * offline */
		char *more = xasprintf("%sterminal = desk-%s\nrequest_timeout = 10000\njournal = %s\n",
				       offsvc_server_conf(s), me->name, journal);
		me->d = circref_desk(BRANCH, "C.UTF-8", more, NULL);
		free(more);
	}
	if (ok(a.d && b.d, "two desks log in, desk-A and desk-B, on one journal")) {
		test_share(s, &a, &b, journal, t0);
		test_dying(s, &a, &b, journal, t0);
	}
	if (a.d)
		desk_stop(a.d);
	ok(b.d && desk_stop(b.d), "desk B stops cleanly");
	free(journal);
	tuienv_home_remove(dir);
	free(dir);
	ok(offsvc_stop(s), "balied stops and nothing is left");
	return tap_done();
}
