/* The desk without its service, against a balied this test stops
 * and starts itself on one database:
 * 1. the service goes away in the middle of a scan burst: the desk says
 *    OFFLINE within 2 s, takes 20 more check-outs (to cards scanned at the
 *    desk, without patron data) and 10 check-ins, each shown as saved; the
 *    service comes back, the journal is replayed, and the database holds
 *    exactly the expected loans and returns, once each, while the journal
 *    has every entry acknowledged and nothing waiting or refused;
 * 2. refusal on replay: an item lent offline and meanwhile held for another
 *    patron lands on the queue screen (F8) with its reason, and is
 *    overridden there with a reason; a check-in of an item that was not on
 *    loan is refused too, cannot be overridden and is marked handled with a
 *    note; an IDO question saved offline reaches the service once. */
#include "circref.h"
#include "desk.h"
#include "client/journal.h"
#include "offsvc.h"
#include "tap.h"
#include "core/clock.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>

#define BRANCH "CEN"
enum { N_ONLINE = 5, N_BURST = 5, N_PER_CARD = 10, N_CHECKIN = 10 };
enum { N_OUT = N_ONLINE + N_BURST + 2 * N_PER_CARD };

static bool wait_line(struct vt *vt, const char *a, const char *b)
{
	return circref_wait_row2(vt, a, b, DESK_STEP_MS);
}

static bool journal_counts(const char *home, long *ack, long *waiting, long *refused)
{
	char *path = xasprintf("%s/.local/state/balie/journal.db", home);
	char *err = NULL;
	struct journal *j = journal_open(path, "test", &err);
	free(path);
	if (!j) {
		diag("journal: %s", err);
		free(err);
		return false;
	}
	*ack = journal_count(j, JOURNAL_ACKNOWLEDGED, &err);
	*waiting = journal_count_waiting(j, &err);
	*refused = journal_count(j, JOURNAL_REFUSED, &err);
	free(err);
	journal_close(j);
	return true;
}

static void test_goes_away(struct offsvc *s, struct desk *d, const char cards[3][15],
			   char items[][15], char back[][15], long long t0)
{
	struct vt *vt = d->vt;
	vt_key(vt, "F2");
	ok(vt_wait_text(vt, "Check out", DESK_STEP_MS), "F2 opens check out");
	vt_scan(vt, cards[0]);
	ok(vt_wait_text(vt, "Card valid until", DESK_STEP_MS), "online: the patron's panel");
	bool all = true;
	for (int i = 0; i < N_ONLINE; i++) {
		vt_scan(vt, items[i]);
		all = all && wait_line(vt, items[i], "due ");
	}
	ok(all, "%d check-outs online, each with its due date", N_ONLINE);

	/* The burst: two scans, the service goes away, three more at once. */
	vt_scan(vt, items[N_ONLINE]);
	vt_scan(vt, items[N_ONLINE + 1]);
	offsvc_kill(s);
	long long killed = clock_now_ms();
	for (int i = 2; i < N_BURST; i++)
		vt_scan(vt, items[N_ONLINE + i]);
	bool offline = vt_wait_row(vt, 0, "OFFLINE", 2000);
	ok(offline, "the desk says OFFLINE within 2 s of the service going away (%lld ms)",
	   clock_now_ms() - killed);
	all = true;
	for (int i = 0; i < N_BURST; i++) {
		char *row = NULL;
		int r = 0;
		/* each burst scan: lent before the service went, or saved; found
		 * again each time, as a code may still be in the field while it
		 * is typed */
		for (long long end = clock_now_ms() + DESK_STEP_MS; clock_now_ms() < end;) {
			free(row);
			row = vt_find(vt, items[N_ONLINE + i], &r, NULL) ? vt_row_dup(vt, r) : NULL;
			if (row && (strstr(row, "due ") || strstr(row, "SAVED")))
				break;
			vt_pump(vt, 50);
		}
		all = all && row && (strstr(row, "due ") || strstr(row, "SAVED"));
		if (!(row && (strstr(row, "due ") || strstr(row, "SAVED"))))
			diag("burst line: %s", row ? row : "(not on the screen)");
		free(row);
	}
	ok(all, "every scan of the burst is lent or saved, none lost");

	/* 20 more check-outs to two cards scanned at the desk, without patron data. */
	all = true;
	for (int c = 1; c <= 2; c++) {
		vt_key(vt, "F12");
		vt_scan(vt, cards[c]);
		all = all && vt_wait_text(vt, "offline: no patron data", DESK_STEP_MS);
		for (int i = 0; i < N_PER_CARD; i++) {
			const char *item = items[N_ONLINE + N_BURST + (c - 1) * N_PER_CARD + i];
			vt_scan(vt, item);
			all = all && wait_line(vt, item, "SAVED");
		}
	}
	ok(all, "offline: 20 check-outs to two cards scanned at the desk, each SAVED");
	ok(vt_wait_text(vt, "saved, will be sent", DESK_STEP_MS),
	   "a saved line says in words that it will be sent");
	vt_key(vt, "F3");
	ok(vt_wait_text(vt, "Check in", DESK_STEP_MS), "F3 opens check in, offline too");
	all = true;
	for (int i = 0; i < N_CHECKIN; i++) {
		vt_scan(vt, back[i]);
		all = all && wait_line(vt, back[i], "SAVED");
	}
	ok(all, "offline: 10 check-ins, each SAVED");
	ok(vt_wait_row(vt, 0, "waiting)", DESK_STEP_MS), "the status line: OFFLINE (n waiting)");

	ok(offsvc_restart(s), "balied starts again on the same database");
	ok(vt_wait_gone(vt, "OFFLINE", 30000) && vt_wait_gone(vt, "sending", 30000),
	   "the desk finds the service and sends its journal");

	long long once = 0, twice = 0;
	for (int i = 0; i < N_OUT; i++) {
		const char *card = i < N_ONLINE + N_BURST ? cards[0]
			       : i < N_ONLINE + N_BURST + N_PER_CARD ? cards[1] : cards[2];
		long long open = offsvc_open_loans(s, items[i], card);
		long long made = offsvc_loans_since(s, items[i], t0);
		once += open == 1 && made == 1;
		if (open != 1 || made != 1) {
			twice++;
			diag("%s to %s: %lld open, %lld made", items[i], card, open, made);
		}
	}
	ok(once == N_OUT && twice == 0, "the service holds each of the %d loans exactly once (%lld)",
	   N_OUT, once);
	long long returned = 0;
	for (int i = 0; i < N_CHECKIN; i++) {
		long long open = offsvc_query_int(s,
			"SELECT count(*) FROM loans l JOIN items i ON i.id = l.item_id"
			" WHERE i.barcode = ?1 AND l.returned_at IS NULL",
			(const char *const[]){back[i], NULL});
		returned += open == 0;
	}
	ok(returned == N_CHECKIN, "the %d returns are in: none of the items is still on loan",
	   N_CHECKIN);
	long ack = -1, waiting = -1, refused = -1;
	bool read = false;
	for (long long end = clock_now_ms() + DESK_STEP_MS; clock_now_ms() < end; vt_pump(vt, 50)) {
		read = journal_counts(d->home, &ack, &waiting, &refused);
		if (read && ack == N_OUT + N_CHECKIN)
			break;
	}
	ok(read && ack == N_OUT + N_CHECKIN && waiting == 0 && refused == 0,
	   "the journal: %ld acknowledged (want %d), %ld waiting, %ld refused", ack,
	   N_OUT + N_CHECKIN, waiting, refused);
}

static void test_refused(struct offsvc *s, struct desk *d, const char *card, const char *other,
			 const char *item, const char *not_lent)
{
	struct vt *vt = d->vt;
	/* The IDO form with its pick lists, while the service is there. */
	vt_key(vt, "F7");
	ok(vt_wait_text(vt, "IDO question log", DESK_STEP_MS) &&
		   vt_wait_text(vt, "Bibliotheekdiensten", DESK_STEP_MS),
	   "F7: the IDO form with its lists");
	long long q0 = offsvc_query_int(s, "SELECT count(*) FROM ido_questions", NULL);
	offsvc_kill(s);
	vt_send(vt, "\tbel \t\t\t\t\t10");
	vt_key(vt, "F9");
	ok(vt_wait_text(vt, "Question 1 saved, will be sent when the service is back.", DESK_STEP_MS),
	   "offline: an IDO question is saved and says it will be sent");
	vt_key(vt, "F3");
	vt_scan(vt, not_lent);
	ok(wait_line(vt, not_lent, "SAVED"), "offline: a check-in of an item that is not on loan is saved");
	vt_key(vt, "F2");
	vt_key(vt, "F12");
	vt_scan(vt, card);
	ok(vt_wait_text(vt, "offline: no patron data", DESK_STEP_MS) ||
		   vt_wait_row(vt, 0, "OFFLINE", DESK_STEP_MS),
	   "the service is gone again: the card is taken offline");
	vt_scan(vt, item);
	ok(wait_line(vt, item, "SAVED"), "an item lent offline is saved");
	ok(offsvc_exec(s,
		"INSERT INTO holds (patron_id, item_id, pickup_branch, status, placed_at)"
		" SELECT p.id, i.id, 'CEN', 'waiting', strftime('%s', 'now') - 60"
		" FROM patrons p, items i WHERE p.card = ?1 AND i.barcode = ?2",
		(const char *const[]){other, item, NULL}),
	   "meanwhile the item is held for another patron (in the service's database)");
	ok(offsvc_restart(s), "balied starts again");
	ok(vt_wait_gone(vt, "OFFLINE", 30000) && vt_wait_gone(vt, "sending", 30000),
	   "the journal is sent");
	int rows = 0, cols = 0;
	vt_size(vt, &rows, &cols);
	ok(vt_wait_row(vt, rows - 1, "F8 Queue", DESK_STEP_MS),
	   "refusals wait: the key line at %d columns shows F8 Queue beside log out and lock", cols);
	vt_key(vt, "F8");
	char *what = xasprintf("Check out %s to card %s", item, card);
	ok(vt_wait_text(vt, what, DESK_STEP_MS) &&
		   vt_wait_text(vt, "This item is on hold for another patron.", DESK_STEP_MS),
	   "F8: the refused check-out is on the queue screen with its reason in words");
	free(what);
	ok(offsvc_open_loans(s, item, card) == 0, "the refused check-out is not on the service");
	char *checkin = xasprintf("Check in %s", not_lent);
	ok(vt_wait_text(vt, checkin, DESK_STEP_MS) &&
		   vt_wait_text(vt, "This item is not on loan.", DESK_STEP_MS) &&
		   vt_wait_row(vt, 0, "2 refused", DESK_STEP_MS),
	   "the refused check-in is there too, oldest first; the top line says 2 refused");
	free(checkin);
	vt_key(vt, "F9");
	ok(vt_wait_text(vt, "cannot be overridden", DESK_STEP_MS),
	   "F9 on the check-in: this refusal cannot be overridden");
	vt_key(vt, "F12");
	ok(vt_wait_text(vt, "What was done about it?", DESK_STEP_MS), "F12 asks for a note");
	vt_send(vt, "lag al in de kast\r");
	ok(vt_wait_text(vt, "Marked as handled.", DESK_STEP_MS) &&
		   vt_wait_row(vt, 1, "1 waits for the desk", DESK_STEP_MS),
	   "marked handled with a note: the check-out is left");
	vt_key(vt, "F9");
	ok(vt_wait_text(vt, "Why is it overridden?", DESK_STEP_MS), "F9 asks for a reason");
	vt_send(vt, "al meegegeven tijdens storing\r");
	ok(vt_wait_text(vt, "Sent again with the override.", DESK_STEP_MS) &&
		   vt_wait_text(vt, "Nothing waits", DESK_STEP_MS),
	   "the override is sent and the queue is empty");
	bool named = true;
	for (long long end = clock_now_ms() + DESK_STEP_MS; named && clock_now_ms() < end; vt_pump(vt, 50)) {
		char *top = vt_row_dup(vt, 0);
		named = strstr(top, "refused") != NULL;
		free(top);
	}
	ok(!named, "the top line no longer names refusals");
	long long open = -1;
	for (long long end = clock_now_ms() + DESK_STEP_MS; clock_now_ms() < end && open != 1; vt_pump(vt, 50))
		open = offsvc_open_loans(s, item, card);
	ok(open == 1, "the service holds the overridden loan once");
	ok(offsvc_query_int(s, "SELECT count(*) FROM ido_questions", NULL) == q0 + 1,
	   "the IDO question saved offline is on the service once");
	/* the service commits before it answers, and the desk writes the answer
	 * to its journal when it comes: wait for that */
	long ack = -1, waiting = -1, refused = -1;
	bool read = false;
	for (long long end = clock_now_ms() + DESK_STEP_MS; clock_now_ms() < end; vt_pump(vt, 50)) {
		read = journal_counts(d->home, &ack, &waiting, &refused);
		if (read && waiting == 0 && refused == 0)
			break;
	}
	ok(read && waiting == 0 && refused == 0,
	   "the journal: nothing waiting, nothing refused (%ld, %ld)", waiting, refused);
}

/* A desk that cannot open its journal does not start: the reason on stderr,
 * exit status 1, and no terminal taken. */
static void test_no_journal(void)
{
	struct tuienv_run run;
	const struct desk_file files[] = {
		{"notadir", "a file where the journal's directory should be\n"},
		{".config/balie/balie.conf",
		 "server = unix:/nonexistent/balied.sock\njournal = ~/notadir/journal.db\n"},
		{NULL, NULL}};
	bool ran = desk_run(&(struct desk_opts){.files = files}, &run);
	ok(ran && WIFEXITED(run.status) && WEXITSTATUS(run.status) == 1 && run.err &&
		   strstr(run.err, "balie: ") && strstr(run.err, "journal"),
	   "a journal that cannot be opened: balie says so and exits 1 (%s)",
	   run.err ? run.err : "");
	tuienv_run_free(&run);
}

int main(void)
{
	test_no_journal();
	long long t0 = (long long)time(NULL) - 1;
	struct offsvc *s = offsvc_start();
	if (!ok(s != NULL, "balied serves on its own socket and database"))
		return tap_done();
	char cards[4][15], items[N_OUT + 2][15], back[N_CHECKIN][15];
	size_t nc = offsvc_pick_patrons(s, false, cards, 4);
	size_t ni = offsvc_pick_items(s, false, items, N_OUT + 2);
	/* Returns of other patrons' loans, so that no fine blocks the cards used. */
	char *loans = xasprintf(
		"SELECT i.barcode AS x FROM loans l JOIN items i ON i.id = l.item_id"
		" JOIN patrons p ON p.id = l.patron_id WHERE l.returned_at IS NULL"
		" AND p.card NOT IN ('%s', '%s', '%s', '%s') ORDER BY l.id DESC",
		cards[0], cards[1], cards[2], cards[3]);
	size_t nb = nc == 4 ? offsvc_pick(s, loans, back, N_CHECKIN) : 0;
	free(loans);
	if (!ok(nc == 4 && ni == N_OUT + 2 && nb == N_CHECKIN,
		"the training data has 4 patrons, %d free items and %d loans to use (%zu, %zu, %zu)",
		N_OUT + 2, N_CHECKIN, nc, ni, nb)) {
		offsvc_stop(s);
		return tap_done();
	}
	char *more = xasprintf("%srequest_timeout = 1000\n", offsvc_server_conf(s));
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", more, NULL);
	free(more);
	if (ok(d != NULL, "the desk logs in to that service")) {
		test_goes_away(s, d, (const char(*)[15])cards, items, back, t0);
		test_refused(s, d, cards[0], cards[3], items[N_OUT], items[N_OUT + 1]);
		ok(desk_stop(d), "the desk stops cleanly");
	}
	ok(offsvc_stop(s), "balied stops and nothing is left");
	return tap_done();
}
