/* Holds at the desk, against a balied this test lays out itself (its
 * database read and written directly):
 * 1. from the patron screen Esc r finds a title by a word of its title and
 *    places a hold on it for the patron, at the branch chosen with PgDn; the
 *    desk says the place in the queue and the patron screen lists the hold;
 *    Esc c and a reason digit cancel it (the service records the reason);
 * 2. the Afhaalkast lists what to take off today, what waits, whom to phone,
 *    sorted by initials and card digits; scanning the listed item takes it
 *    off (the route in a check-in's words, audited) and a second scan is
 *    refused;
 * 3. a check-out of an item on the hold shelf for another patron offers F9,
 *    and F9 with a reason lends it past the hold;
 * 4. offline, placing a hold, the title search and the hold shelf each say
 *    in one sentence that they need the service. */
#include "circref.h"
#include "desk.h"
#include "offsvc.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BRANCH "CEN"
#define TITLE "Zeldzame Zeeslakken"
#define AUTHOR "Pieter Plankton"

struct world {
	struct offsvc *s;
	struct desk *d;
	char cards[3][15]; /* Anna Aerts, Bram Bos, Cor Claes */
	char items[3][15]; /* free items of CEN */
};

static bool sql(const struct world *w, const char *q, const char *a, const char *b)
{
	const char *params[] = { a, b, NULL };
	return offsvc_exec(w->s, q, params);
}

static long long num(const struct world *w, const char *q, const char *a)
{
	const char *params[] = { a, NULL };
	return offsvc_query_int(w->s, q, params);
}

static char *text(const struct world *w, const char *q, const char *a)
{
	const char *params[] = { a, NULL };
	return offsvc_query_text_dup(w->s, q, params);
}

static bool pick(struct world *w)
{
	if (offsvc_pick_patrons(w->s, true, w->cards, 3) != 3 ||
	    offsvc_pick(w->s,
			"SELECT i.barcode AS x FROM items i WHERE i.status = 'available'"
			" AND i.home_branch = 'CEN' AND i.current_branch = 'CEN'"
			" AND i.item_type IN (SELECT code FROM item_types)"
			" AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.status IN"
			"   ('waiting', 'in_transit', 'ready')"
			"   AND (h.item_id = i.id OR h.title_id = i.title_id))"
			" ORDER BY i.id DESC",
			w->items, 3) != 3)
		return false;
	static const char *const names[3][2] = { { "Anna", "Aerts" }, { "Bram", "Bos" },
						 { "Cor", "Claes" } };
	bool good = true;
	for (int i = 0; i < 3; i++) {
		const char *params[] = { names[i][0], names[i][1], w->cards[i], NULL };
		good = good && offsvc_exec(w->s, "UPDATE patrons SET given_name = ?1,"
					   " family_name = ?2, email = NULL WHERE card = ?3", params);
	}
	/* A title of this test, with one copy out on loan. */
	return good &&
	       sql(w, "INSERT INTO titles (title, author) VALUES (?1, ?2)", TITLE, AUTHOR) &&
	       sql(w, "INSERT INTO items (barcode, title_id, item_type, home_branch,"
		      " current_branch, status) SELECT '31000009999991', max(t.id),"
		      " (SELECT code FROM item_types LIMIT 1), 'CEN', 'CEN', 'on_loan'"
		      " FROM titles t", NULL, NULL);
}

/* Opens patron card on the patron screen and waits for name. */
static bool open_patron(struct vt *vt, const char *card, const char *name)
{
	vt_key(vt, "F5");
	vt_send(vt, card);
	vt_send(vt, "\r");
	return vt_wait_text(vt, name, DESK_STEP_MS);
}

static void test_place_and_cancel(struct world *w)
{
	struct vt *vt = w->d->vt;
	const char *card = w->cards[0];
	ok(open_patron(vt, card, "Anna Aerts"), "Anna's patron screen");
	vt_send(vt, "\033r");
	ok(vt_wait_text(vt, "Hold for Anna Aerts", DESK_STEP_MS),
	   "Esc r opens the title search for her");
	vt_send(vt, "zeeslak\r");
	ok(vt_wait_text(vt, TITLE " / " AUTHOR, DESK_STEP_MS) &&
		   vt_wait_text(vt, "CEN 0/1", DESK_STEP_MS),
	   "a word of the title finds it, with its copy at CEN, none on the shelf");
	char *here = text(w, "SELECT name FROM branches WHERE code = ?1", BRANCH);
	char *at = xasprintf("to fetch at %s", here ? here : "?");
	ok(vt_wait_text(vt, at, DESK_STEP_MS), "to fetch at the desk's branch: %s", at);
	free(at);
	vt_key(vt, "PgDn");
	at = xasprintf("to fetch at %s", here ? here : "?");
	ok(vt_wait_gone(vt, at, DESK_STEP_MS), "PgDn chooses another branch");
	free(at);
	free(here);
	vt_key(vt, "F12");
	ok(vt_wait_text(vt, "Hold placed: " TITLE ", number 1 in the queue", DESK_STEP_MS),
	   "F12 places the hold: number 1 in the queue");
	char *pickup = text(w, "SELECT h.pickup_branch FROM holds h JOIN patrons p"
			       " ON p.id = h.patron_id WHERE p.card = ?1 AND h.status = 'waiting'"
			       " AND h.title_id IS NOT NULL ORDER BY h.id DESC", card);
	ok(pickup && strcmp(pickup, BRANCH) != 0, "the service has it, to fetch at %s",
	   pickup ? pickup : "-");
	char *name = pickup ? text(w, "SELECT name FROM branches WHERE code = ?1", pickup) : NULL;
	free(pickup);
	vt_key(vt, "Esc");
	/* The row ends at 80 columns. */
	char *shown = xasprintf("Hold: " TITLE ", waiting (pickup %s), number 1", name ? name : "?");
	ok(vt_wait_text(vt, shown, DESK_STEP_MS), "Esc: the patron screen lists it: %s", shown);
	free(shown);
	free(name);

	/* The cursor goes down the loans, then the holds; the new one is last. */
	long long down = num(w, "SELECT (SELECT count(*) FROM loans l JOIN patrons p"
				" ON p.id = l.patron_id WHERE p.card = ?1 AND l.returned_at IS NULL)"
				" + (SELECT count(*) FROM holds h JOIN patrons p ON p.id = h.patron_id"
				" WHERE p.card = ?1 AND h.status IN ('waiting', 'in_transit', 'ready'))"
				" - 1", card);
	for (long long i = 0; i < down; i++)
		vt_key(vt, "Down");
	vt_send(vt, "\033c");
	ok(vt_wait_text(vt, "Cancel this hold? Reason: 1 the patron asked", DESK_STEP_MS),
	   "Esc c asks the reason");
	vt_send(vt, "1");
	ok(vt_wait_text(vt, "Hold cancelled: " TITLE ".", DESK_STEP_MS), "1 cancels it");
	ok(num(w, "SELECT count(*) FROM holds h JOIN patrons p ON p.id = h.patron_id"
		  " WHERE p.card = ?1 AND h.status = 'cancelled'"
		  " AND h.cancel_reason = 'patron_request'", card) == 1,
	   "the service has it cancelled at the patron's request");
	ok(vt_wait_gone(vt, "Hold: " TITLE, DESK_STEP_MS), "and the patron screen no longer lists it");
}

/* A hold of card on item at CEN, ready since yesterday until until, or
 * expired (until in the past) with its copy still on the shelf. */
static bool shelf_hold(const struct world *w, const char *card, const char *item,
		       const char *status)
{
	const char *params[] = { card, item, status, NULL };
	return offsvc_exec(w->s,
		"INSERT INTO holds (patron_id, item_id, pickup_branch, status, placed_at,"
		" ready_since, pickup_by, ended_at) SELECT p.id, i.id, 'CEN', ?3,"
		" strftime('%s', 'now') - 9 * 86400, strftime('%s', 'now') - 8 * 86400,"
		" CASE ?3 WHEN 'ready' THEN date('now', 'localtime', '+6 days')"
		"   ELSE date('now', 'localtime', '-1 days') END,"
		" CASE ?3 WHEN 'ready' THEN NULL ELSE strftime('%s', 'now') END"
		" FROM patrons p, items i WHERE p.card = ?1 AND i.barcode = ?2", params) &&
	       offsvc_exec(w->s, "UPDATE items SET status = CASE ?3 WHEN 'ready'"
				 " THEN 'hold_shelf' ELSE 'available' END WHERE barcode = ?2", params);
}

static void test_holdshelf(struct world *w)
{
	struct vt *vt = w->d->vt;
	const char *expired = w->items[0], *ready = w->items[1];
	ok(shelf_hold(w, w->cards[1], expired, "expired") &&
		   shelf_hold(w, w->cards[2], ready, "ready"),
	   "Bram's hold expired yesterday, Cor's waits on the shelf");
	vt_send(vt, "\x1b" "a");
	ok(vt_wait_text(vt, "Take off the shelf today (not fetched in time, or cancelled): 1",
			DESK_STEP_MS), "Esc a opens the hold shelf: one to take off");
	char *bram = xasprintf("B.B. %s", w->cards[1] + 10);
	char *cor = xasprintf("C.C. %s", w->cards[2] + 10);
	ok(circref_wait_row2(vt, bram, expired, DESK_STEP_MS), "Bram's item, as on the slip: %s",
	   bram);
	ok(circref_wait_row2(vt, cor, ready, DESK_STEP_MS), "Cor's waits: %s", cor);
	ok(circref_wait_row2(vt, cor, "Cor Claes", DESK_STEP_MS) &&
		   vt_wait_text(vt, "To phone (no e-mail address):", DESK_STEP_MS),
	   "Cor has no e-mail address: on the list to phone");
	long long audits = num(w, "SELECT count(*) FROM audit_log WHERE action = ?1",
			       "hold_shelf_cleared");
	unsigned bells = vt_bells(vt);
	vt_scan(vt, expired);
	ok(circref_wait_row2(vt, expired, "BACK ON THE SHELF", DESK_STEP_MS),
	   "scanning it takes it off: back on the shelf");
	ok(vt_wait_text(vt, "Take off the shelf today (not fetched in time, or cancelled): 0",
			DESK_STEP_MS), "and the list to take off is empty");
	ok(num(w, "SELECT count(*) FROM audit_log WHERE action = ?1", "hold_shelf_cleared") ==
		   audits + 1, "audited");
	vt_scan(vt, expired);
	ok(circref_wait_row2(vt, expired, "NOT TAKEN OFF", DESK_STEP_MS) &&
		   vt_wait_text(vt, "not on the list to take off the shelf", DESK_STEP_MS),
	   "a second scan: not on the list");
	ok(vt_wait_bells(vt, bells + 1, DESK_STEP_MS), "with the bell");
	free(bram);
	free(cor);
}

static void test_shelf_override(struct world *w)
{
	struct vt *vt = w->d->vt;
	const char *item = w->items[1]; /* on the shelf for Cor */
	vt_key(vt, "F2");
	vt_key(vt, "F12");
	vt_scan(vt, w->cards[0]);
	ok(vt_wait_text(vt, "Anna Aerts", DESK_STEP_MS), "Anna's visit at check out");
	vt_scan(vt, item);
	ok(circref_wait_row2(vt, item, "NOT LENT", DESK_STEP_MS) &&
		   circref_wait_row2(vt, item, "F9: override.", DESK_STEP_MS),
	   "the item on the hold shelf for Cor is refused, and F9 is offered");
	vt_key(vt, "F9");
	ok(vt_wait_text(vt, "Reason", DESK_STEP_MS), "F9 asks for a reason");
	vt_scan(vt, "Cor gave it to her");
	ok(circref_wait_row2(vt, item, "due", DESK_STEP_MS), "lent past the hold");
	ok(offsvc_open_loans(w->s, item, w->cards[0]) == 1, "the service lent it to Anna");
}

static void test_offline(struct world *w)
{
	struct vt *vt = w->d->vt;
	ok(open_patron(vt, w->cards[1], "Bram Bos"), "Bram's patron screen");
	vt_send(vt, "\033r");
	vt_wait_text(vt, "Hold for Bram Bos", DESK_STEP_MS);
	vt_send(vt, "zeeslak\r");
	ok(vt_wait_text(vt, TITLE " / " AUTHOR, DESK_STEP_MS), "the title found for Bram");
	ok(offsvc_kill(w->s), "the service goes away");
	vt_key(vt, "F12");
	ok(vt_wait_text(vt, "Placing a hold needs the service; the desk is offline.",
			DESK_STEP_MS), "offline, placing a hold says so in one sentence");
	vt_send(vt, "\r");
	ok(vt_wait_text(vt, "Finding a title needs the service; the desk is offline.",
			DESK_STEP_MS), "and so does the title search");
	ok(vt_wait_text(vt, "zeeslak", DESK_STEP_MS), "what was typed stays");
	vt_send(vt, "\x1b" "a");
	ok(vt_wait_text(vt, "The hold shelf's lists need the service; the desk is offline.",
			DESK_STEP_MS), "the hold shelf too");
	ok(offsvc_restart(w->s), "the service comes back");
}

int main(void)
{
	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
	struct world w = { 0 };
	w.s = offsvc_start();
	if (!ok(w.s != NULL, "a balied of this test"))
		return tap_done();
	if (!ok(pick(&w), "the training data has 3 patrons and 3 free items; a title of the test")) {
		offsvc_stop(w.s);
		return tap_done();
	}
	w.d = circref_desk(BRANCH, "C.UTF-8", offsvc_server_conf(w.s), NULL);
	if (ok(w.d != NULL, "the desk logs in to that service")) {
		test_place_and_cancel(&w);
		test_holdshelf(&w);
		test_shelf_override(&w);
		test_offline(&w);
		ok(desk_stop(w.d), "the desk stops cleanly");
	}
	ok(offsvc_stop(w.s), "balied stops and nothing is left");
	return tap_done();
}
