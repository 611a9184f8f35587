/* The offline desk's words and its saved lines, the real desk
 * against a balied this test kills and starts again on one database:
 * 1. what needs the service says so plainly and keeps what was typed: a
 *    patron lookup that finds the service gone (the desk goes offline with
 *    it), a name search, a renewal, the IDO statistics, the enrolment
 *    screen on opening and its F12; the service comes back and the same
 *    form is enrolled with F12;
 * 2. a line shown as SAVED changes when the replay gets its answer: three
 *    check-outs made offline show their due dates, one refused on replay
 *    (its item held for another patron meanwhile) says so and points to the
 *    queue screen (F8), a check-in made offline shows its route;
 * 3. quitting with a transaction still in the journal says how many wait
 *    and that they go when the desk starts again; the quit key again quits. */
#include "circref.h"
#include "core/date.h"
#include "desk.h"
#include "offsvc.h"
#include "tap.h"
#include "core/clock.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BRANCH "CEN"
enum { N_SAVED = 3 };

/* The screen with every run of blanks and line ends as one space, so that
 * a message wrapped over rows reads as one sentence. Allocated. */
static char *screen_words_dup(const struct vt *vt)
{
	char *t = vt_screen_dup(vt);
	size_t o = 0;
	for (size_t i = 0; t[i]; i++) {
		bool blank = t[i] == ' ' || t[i] == '\n';
		if (blank && (o == 0 || t[o - 1] == ' '))
			continue;
		t[o++] = blank ? ' ' : t[i];
	}
	t[o] = '\0';
	return t;
}

/* Waits for text, wrapped or not; dumps the screen when it does not come. */
static bool wait_words(struct vt *vt, const char *text)
{
	for (long long end = clock_now_ms() + DESK_STEP_MS;; vt_pump(vt, 50)) {
		char *t = screen_words_dup(vt);
		bool found = strstr(t, text) != NULL;
		free(t);
		if (found)
			return true;
		if (clock_now_ms() >= end)
			break;
	}
	diag("waited %d ms in vain for \"%s\"", DESK_STEP_MS, text);
	vt_dump(vt, stdout);
	return false;
}

/* The row holding a and b within the deadline, or NULL (allocated). */
static char *row_with(struct vt *vt, const char *a, const char *b)
{
	int r = -1;
	if (!circref_wait_row2(vt, a, b, DESK_STEP_MS) || !vt_find(vt, a, &r, NULL))
		return NULL;
	return vt_row_dup(vt, r);
}

/* Waits until the row holding a no longer holds gone; that row, or NULL. */
static char *row_changed(struct vt *vt, const char *a, const char *gone)
{
	for (long long end = clock_now_ms() + 30000; clock_now_ms() < end; vt_pump(vt, 50)) {
		int r = -1;
		if (!vt_find(vt, a, &r, NULL))
			continue;
		char *row = vt_row_dup(vt, r);
		if (!strstr(row, gone))
			return row;
		free(row);
	}
	return NULL;
}

static void test_needs_service(struct offsvc *s, struct desk *d, const char *card,
			       const char *other, const char *renewable)
{
	struct vt *vt = d->vt;
	vt_key(vt, "F5");
	vt_scan(vt, card);
	ok(vt_wait_text(vt, "Card valid until", DESK_STEP_MS), "online: F5 shows patron %s", card);

	/* Not yet known to be offline: the lookup itself finds no service. */
	ok(offsvc_kill(s), "the service goes away");
	vt_scan(vt, other);
	ok(vt_wait_text(vt, "Looking up a patron needs the service; the desk is offline.",
			DESK_STEP_MS),
	   "a lookup that finds no service says plainly it needs the service");
	char *top = vt_row_dup(vt, 1);
	char *screen = vt_screen_dup(vt);
	ok(strstr(screen, other) && strstr(screen, card) && strstr(screen, "Card valid until"),
	   "the card typed stays in the field, the patron shown stays: %s", top);
	free(screen);
	free(top);
	ok(vt_wait_row(vt, 0, "OFFLINE", 2000), "the desk went offline with it");

	/* Known offline: not sent, said at once, the field kept. */
	vt_send(vt, "\x15"); /* ^U empties the field */
	vt_send(vt, "Jansen\t01-02-1980\r");
	ok(vt_wait_text(vt, "Looking up a patron needs the service", DESK_STEP_MS) &&
		   vt_wait_text(vt, "Jansen", DESK_STEP_MS) &&
		   vt_wait_text(vt, "01-02-1980", DESK_STEP_MS),
	   "offline a name search says so too and keeps the name and the date typed");

	vt_key(vt, "F4");
	ok(vt_wait_text(vt, "Renew", DESK_STEP_MS), "F4 opens renew, offline too");
	vt_scan(vt, renewable);
	char *row = row_with(vt, renewable, "NOT RENEWED");
	ok(row != NULL && wait_words(vt, "Renewing needs the service; the desk is offline."),
	   "offline a renewal is not journaled and says it needs the service: %s",
	   row ? row : "(no line)");
	free(row);

	vt_key(vt, "F7");
	vt_send(vt, "\x17"); /* ^W */
	ok(vt_wait_text(vt, "IDO statistics", DESK_STEP_MS) &&
		   wait_words(vt, "The IDO statistics need the service; the desk is offline."),
	   "^W offline: the IDO statistics say they need the service");

	vt_key(vt, "F6");
	ok(vt_wait_text(vt, "Enrol: youth membership", DESK_STEP_MS) &&
		   wait_words(vt, "Enrolment needs the service; the desk is offline. You can fill "
				  "in the form and send it (F12) when the service is back."),
	   "F6 offline: the form says at once that enrolment needs the service");
	struct civil_date born = date_today();
	born.year -= 17;
	born = date_add_days(born, -100);
	char birth[DATE_STR_LEN];
	date_format_dutch(born, birth);
	const char *parts[] = { "Fenna", "Offlinga", birth, "2511 CV", "3", "", "", "" };
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		vt_send(vt, parts[i]);
		vt_key(vt, "Tab");
	}
	ok(vt_wait_text(vt, "17 years old", DESK_STEP_MS), "a 17-year-old typed in, offline");
	vt_key(vt, "F12");
	ok(wait_words(vt, "Enrolment needs the service; the desk is offline. What you typed is "
			  "kept: send it again (F12) when the service is back."),
	   "F12 offline: enrolment needs the service, what was typed is kept");
	screen = vt_screen_dup(vt);
	ok(strstr(screen, "Fenna") && strstr(screen, "Offlinga") && strstr(screen, birth) &&
		   strstr(screen, "2511 CV") && !strstr(screen, "Enrolled"),
	   "the form still holds every field typed, nothing enrolled");
	free(screen);
	long long members = offsvc_query_int(s, "SELECT count(*) FROM patrons WHERE family_name = ?1",
					     (const char *const[]){"Offlinga", NULL});
	ok(members == 0, "the service has no such member (%lld)", members);

	ok(offsvc_restart(s), "balied starts again");
	ok(vt_wait_gone(vt, "OFFLINE", 30000), "the desk finds the service again");
	vt_key(vt, "F12");
	ok(vt_wait_text(vt, "Enrolled: youth membership", DESK_STEP_MS) &&
		   vt_wait_text(vt, "Fenna Offlinga", DESK_STEP_MS),
	   "back online, F12 enrols the form that was kept");
	members = offsvc_query_int(s, "SELECT count(*) FROM patrons WHERE family_name = ?1",
				   (const char *const[]){"Offlinga", NULL});
	ok(members == 1, "the service holds the member once (%lld)", members);

	/* Not yet known to be offline: the enrolment itself finds no service. */
	vt_key(vt, "F6");
	ok(vt_wait_text(vt, "Enrol: youth membership", DESK_STEP_MS) &&
		   vt_wait_gone(vt, "Fenna", DESK_STEP_MS),
	   "F6 starts the next enrolment");
	const char *next[] = { "Joris", "Stroomuit", birth, "2511 CV", "5", "", "", "" };
	for (size_t i = 0; i < sizeof next / sizeof next[0]; i++) {
		vt_send(vt, next[i]);
		vt_key(vt, "Tab");
	}
	ok(vt_wait_text(vt, "17 years old", DESK_STEP_MS), "typed in while online");
	ok(offsvc_kill(s), "the service goes away");
	vt_key(vt, "F12");
	ok(wait_words(vt, "Enrolment needs the service; the desk is offline. What you typed is "
			  "kept: send it again (F12) when the service is back.") &&
		   vt_wait_row(vt, 0, "OFFLINE", 2000),
	   "F12 finds no service: the same plain words, and the desk goes offline");
	ok(vt_find(vt, "Joris", NULL, NULL) && vt_find(vt, "Stroomuit", NULL, NULL),
	   "the form keeps what was typed");
	ok(offsvc_restart(s), "balied starts again");
	ok(vt_wait_gone(vt, "OFFLINE", 30000), "the desk finds the service again");
	vt_key(vt, "F12");
	ok(vt_wait_text(vt, "Enrolled: youth membership", DESK_STEP_MS) &&
		   vt_wait_text(vt, "Joris Stroomuit", DESK_STEP_MS),
	   "F12 enrols it now");
	members = offsvc_query_int(s, "SELECT count(*) FROM patrons WHERE family_name = ?1",
				   (const char *const[]){"Stroomuit", NULL});
	ok(members == 1, "once (%lld)", members);
}

static void test_saved_settles(struct offsvc *s, struct desk *d, const char *card,
			       const char *other, char items[][15], const char *held,
			       const char *back)
{
	struct vt *vt = d->vt;
	/* F2 from a finished enrolment lends to the new member: F12 ends that. */
	vt_key(vt, "F2");
	vt_key(vt, "F12");
	ok(vt_wait_text(vt, "Scan the patron's card.", DESK_STEP_MS), "check out, no patron");
	vt_scan(vt, card);
	char *panel = xasprintf("adult, %s)", card);
	ok(vt_wait_text(vt, panel, DESK_STEP_MS) && vt_wait_text(vt, "Card valid until", DESK_STEP_MS),
	   "online: the patron's panel (%s)", panel);
	free(panel);
	ok(offsvc_kill(s), "the service goes away");
	bool all = true;
	for (int i = 0; i < N_SAVED; i++) {
		vt_scan(vt, items[i]);
		all = circref_wait_row2(vt, items[i], "SAVED", DESK_STEP_MS) && all;
	}
	vt_scan(vt, held);
	all = circref_wait_row2(vt, held, "SAVED", DESK_STEP_MS) && all;
	ok(all, "%d check-outs, the first finding the service gone, each SAVED", N_SAVED + 1);
	ok(offsvc_exec(s,
		"INSERT INTO holds (patron_id, item_id, pickup_branch, status, placed_at)"
		" SELECT p.id, i.id, 'CEN', 'waiting', strftime('%s', 'now') - 60"
		" FROM patrons p, items i WHERE p.card = ?1 AND i.barcode = ?2",
		(const char *const[]){other, held, NULL}),
	   "meanwhile the last item is held for another patron");
	vt_key(vt, "F3");
	vt_scan(vt, back);
	ok(circref_wait_row2(vt, back, "SAVED", DESK_STEP_MS), "offline: a check-in, SAVED");

	ok(offsvc_restart(s), "balied starts again");
	ok(vt_wait_gone(vt, "OFFLINE", 30000) && vt_wait_gone(vt, "sending", 30000),
	   "the journal is sent");
	char *row = row_changed(vt, back, "SAVED");
	ok(row && (strstr(row, "SHELF") || strstr(row, "TRANSIT")),
	   "the saved check-in's line shows its route now: %s", row ? row : "(gone)");
	free(row);
	long long open = offsvc_query_int(s,
		"SELECT count(*) FROM loans l JOIN items i ON i.id = l.item_id"
		" WHERE i.barcode = ?1 AND l.returned_at IS NULL",
		(const char *const[]){back, NULL});
	ok(open == 0, "and the service has it returned");

	vt_key(vt, "F2");
	all = true;
	for (int i = 0; i < N_SAVED; i++) {
		row = row_changed(vt, items[i], "SAVED");
		bool due = row && strstr(row, "due ") && !strstr(row, "saved, will be sent");
		if (!due)
			diag("line of %s: %s", items[i], row ? row : "(not on the screen)");
		all = all && due && offsvc_open_loans(s, items[i], card) == 1;
		free(row);
	}
	ok(all, "the %d SAVED lines show their due dates once the service acknowledged them",
	   N_SAVED);
	panel = xasprintf("Loans: %lld", offsvc_query_int(s,
		"SELECT count(*) FROM loans l JOIN patrons p ON p.id = l.patron_id"
		" WHERE p.card = ?1 AND l.returned_at IS NULL", (const char *const[]){card, NULL}));
	ok(vt_wait_text(vt, panel, DESK_STEP_MS), "the patron's panel counts them: %s", panel);
	free(panel);
	row = row_changed(vt, held, "SAVED");
	ok(row && strstr(row, "NOT LENT") && strstr(row, "Refused when sent; see the queue (F8)."),
	   "the refused one says so and points to the queue screen: %s", row ? row : "(gone)");
	free(row);
	ok(wait_words(vt, "This item is on hold for another patron."),
	   "with the reason in words");
	ok(offsvc_open_loans(s, held, card) == 0, "the refused check-out is not on the service");
	vt_key(vt, "F8");
	char *what = xasprintf("Check out %s to card %s", held, card);
	ok(vt_wait_text(vt, what, DESK_STEP_MS), "F8: it waits on the queue screen");
	free(what);
}

static void test_quit_waiting(struct offsvc *s, struct desk *d, const char *card,
			      const char *item)
{
	struct vt *vt = d->vt;
	ok(offsvc_kill(s), "the service goes away again");
	vt_key(vt, "F2");
	vt_key(vt, "F12");
	vt_scan(vt, card);
	vt_scan(vt, item);
	ok(circref_wait_row2(vt, item, "SAVED", DESK_STEP_MS), "a check-out offline, SAVED");
	vt_key(vt, "F10");
	ok(vt_wait_text(vt, "Log in to balie", DESK_STEP_MS), "F10 logs out");
	vt_key(vt, "F10");
	ok(wait_words(vt, "1 transaction is waiting; it is sent when the desk is started again."
			  " F10 again quits."),
	   "F10 with a transaction waiting says how many wait and when they go");
	ok(!vt_exited(vt), "and the desk is still there");
	vt_key(vt, "F10");
	ok(vt_wait_exit(vt, DESK_STEP_MS, NULL), "F10 again quits");
}

int main(void)
{
	struct offsvc *s = offsvc_start();
	if (!ok(s != NULL, "balied serves on its own socket and database"))
		return tap_done();
	char cards[4][15], items[N_SAVED + 2][15], back[1][15], renewable[1][15];
	size_t nc = offsvc_pick_patrons(s, false, cards, 4);
	size_t ni = offsvc_pick_items(s, false, items, N_SAVED + 2);
	char *loans = nc == 4 ? xasprintf(
		"SELECT i.barcode AS x FROM loans l JOIN items i ON i.id = l.item_id"
		" JOIN patrons p ON p.id = l.patron_id WHERE l.returned_at IS NULL"
		" AND p.card NOT IN ('%s', '%s', '%s', '%s') ORDER BY l.id DESC",
		cards[0], cards[1], cards[2], cards[3]) : NULL;
	size_t nb = loans ? offsvc_pick(s, loans, back, 1) : 0;
	free(loans);
	char *theirs = nc == 4 ? xasprintf(
		"SELECT i.barcode AS x FROM loans l JOIN items i ON i.id = l.item_id"
		" JOIN patrons p ON p.id = l.patron_id WHERE l.returned_at IS NULL"
		" AND p.card = '%s'", cards[0]) : NULL;
	size_t nr = theirs ? offsvc_pick(s, theirs, renewable, 1) : 0;
	free(theirs);
	if (!ok(nc == 4 && ni == N_SAVED + 2 && nb == 1,
		"the training data has 4 patrons, %d free items and a loan to use (%zu, %zu, %zu)",
		N_SAVED + 2, nc, ni, nb)) {
		offsvc_stop(s);
		return tap_done();
	}
	if (nr == 0) /* a patron without loans: any item; offline it is not sent anyway */
		memcpy(renewable[0], back[0], 15);
	char *more = xasprintf("%srequest_timeout = 1000\n", offsvc_server_conf(s));
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", more, NULL);
	free(more);
	if (ok(d != NULL, "the desk logs in to that service")) {
		test_needs_service(s, d, cards[0], cards[1], renewable[0]);
		test_saved_settles(s, d, cards[2], cards[3], items, items[N_SAVED], back[0]);
		test_quit_waiting(s, d, cards[3], items[N_SAVED + 1]);
		ok(desk_stop(d), "the desk stops cleanly");
	}
	ok(offsvc_stop(s), "balied stops and nothing is left");
	return tap_done();
}
