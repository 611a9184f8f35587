/* Circulation the desk can trust, in Dutch, against a balied this test lays
 * out itself (its database read and written directly):
 * 1. a check-out of an item another patron still has: the line says it was
 *    on loan to another patron and taken in first, with the fine, in colour
 *    with the bell, and check in counts that return;
 * 2. a check-out refused for another patron's hold is overridden with F9 and
 *    a reason (audited), and without the permission F9 says it needs it;
 * 3. a renewal scanned twice uses one renewal ("al verlengd tot"); an
 *    overdue renewal says its fine; a blocked patron's renewal is refused;
 * 4. check in: the same item twice counts once; a missing item is available
 *    again (audited); an item on the hold shelf says for whom;
 * 5. offline, a card with a wrong check digit is refused at the desk, and
 *    nothing is journaled. */
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

#define BRANCH "CEN"
#define LANG "nl_NL.UTF-8"

enum { N_ITEMS = 10 };

struct world {
	struct offsvc *s;
	struct desk *d;
	char cards[3][15];        /* Anna Aerts, Bram Bos, Daan van den Berg */
	char items[N_ITEMS][15];  /* free items of CEN */
	char away[2][15];         /* free items of another branch */
};

static bool sql(const struct world *w, const char *q, const char *a, const char *b)
{
	const char *params[] = {a, b, NULL};
	return offsvc_exec(w->s, q, params);
}

static long long num(const struct world *w, const char *q, const char *a)
{
	const char *params[] = {a, NULL};
	return offsvc_query_int(w->s, q, params);
}

/* A loan of item to card, due days from today (negative: overdue). */
static bool lend(const struct world *w, const char *item, const char *card, int days)
{
	char due[32];
	snprintf(due, sizeof due, "%+d days", days);
	const char *params[] = {item, card, due, NULL};
	return offsvc_exec(w->s,
			   "INSERT INTO loans (item_id, patron_id, branch_code, loaned_at, due_on)"
			   " SELECT i.id, p.id, 'CEN', strftime('%s', 'now') - 25 * 86400,"
			   " date('now', 'localtime', ?3) FROM items i, patrons p WHERE i.barcode = ?1 AND p.card = ?2",
			   params) &&
	       offsvc_exec(w->s, "UPDATE items SET status = 'on_loan' WHERE barcode = ?1", params);
}

/* A hold of card on item, waiting since yesterday, to be fetched at CEN. */
static bool hold(const struct world *w, const char *card, const char *item)
{
	return sql(w, "INSERT INTO holds (patron_id, item_id, pickup_branch, status, placed_at)"
		      " SELECT p.id, i.id, 'CEN', 'waiting', strftime('%s', 'now') - 86400"
		      " FROM patrons p, items i WHERE p.card = ?1 AND i.barcode = ?2",
		   card, item);
}

/* The due date of item's open loan as the desk writes it (dd-mm-jjjj). */
static void due_shown(const struct world *w, const char *item, char out[16])
{
	const char *params[] = {item, NULL};
	char *iso = offsvc_query_text_dup(w->s,
		"SELECT l.due_on FROM loans l JOIN items i ON i.id = l.item_id"
		" WHERE i.barcode = ?1 AND l.returned_at IS NULL", params);
	if (iso && strlen(iso) == 10)
		snprintf(out, 16, "%.2s-%.2s-%.4s", iso + 8, iso + 5, iso);
	else
		snprintf(out, 16, "?");
	free(iso);
}

/* Waits until the line of code (its row and the row its detail wraps
 * onto, spaces run together) holds text; dumps the screen on timeout. */
static bool wait_line(struct vt *vt, const char *code, const char *text)
{
	for (long long end = clock_now_ms() + DESK_STEP_MS; clock_now_ms() < end; vt_pump(vt, 50)) {
		int r, rows, cols;
		vt_size(vt, &rows, &cols);
		if (!vt_find(vt, code, &r, NULL))
			continue;
		char *a = vt_row_dup(vt, r);
		char *b = r + 1 < rows ? vt_row_dup(vt, r + 1) : xstrdup("");
		/* the next row belongs to this line when it starts blank */
		char *both = xasprintf("%s %s", a, strncmp(b, "               ", 15) == 0 ? b : "");
		size_t n = 0;
		for (const char *p = both; *p; p++)
			if (*p != ' ' || (n > 0 && both[n - 1] != ' '))
				both[n++] = *p;
		both[n] = '\0';
		bool found = strstr(both, text) != NULL;
		free(a);
		free(b);
		free(both);
		if (found)
			return true;
	}
	diag("no line of %s holds \"%s\"", code, text);
	vt_dump(vt, stdout);
	return false;
}

/* The attributes where text is on the screen: red and bold is attention. */
static bool in_attention(struct vt *vt, const char *text)
{
	int row, col;
	struct vt_attr a;
	return vt_find(vt, text, &row, &col) && vt_attr_at(vt, row, col, &a) && a.fg == 1 &&
	       a.bold;
}

static bool pick(struct world *w)
{
	size_t nc = offsvc_pick_patrons(w->s, false, w->cards, 3);
	/* The free items of the home branch (op "=") or of other branches ("<>"). */
#define FREE_ITEMS(op)                                                                  \
	"SELECT i.barcode AS x FROM items i WHERE i.status = 'available'"               \
	" AND i.home_branch " op " 'CEN' AND i.current_branch = i.home_branch"          \
	" AND i.item_type IN (SELECT code FROM item_types)"                             \
	" AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.status IN"                      \
	"   ('waiting', 'in_transit', 'ready')"                                          \
	"   AND (h.item_id = i.id OR h.title_id = i.title_id))"                          \
	" ORDER BY i.id"
	size_t ni = offsvc_pick(w->s, FREE_ITEMS("="), w->items, N_ITEMS);
	size_t na = offsvc_pick(w->s, FREE_ITEMS("<>"), w->away, 2);
#undef FREE_ITEMS
	if (nc != 3 || ni != N_ITEMS || na != 2)
		return false;
	return sql(w, "UPDATE patrons SET given_name = 'Anna', family_name = 'Aerts' WHERE card = ?1",
		   w->cards[0], NULL) &&
	       sql(w, "UPDATE patrons SET given_name = 'Bram', family_name = 'Bos' WHERE card = ?1",
		   w->cards[1], NULL) &&
	       sql(w, "UPDATE patrons SET given_name = 'Daan', family_name = 'van den Berg'"
		      " WHERE card = ?1", w->cards[2], NULL);
}

static bool visit(struct vt *vt, const char *card, const char *name)
{
	vt_key(vt, "F2");
	vt_key(vt, "F12");
	vt_scan(vt, card);
	return vt_wait_text(vt, name, DESK_STEP_MS);
}

static void test_returned_first(struct world *w)
{
	struct vt *vt = w->d->vt;
	const char *item = w->items[0];
	vt_key(vt, "F3");
	ok(vt_wait_text(vt, "Ingenomen: 0 ", DESK_STEP_MS), "check in counts nothing yet");
	ok(lend(w, item, w->cards[0], -4), "the item is on loan to Anna, four days overdue");
	ok(visit(vt, w->cards[1], "Bram Bos"), "Bram's visit at check out");
	unsigned bells = vt_bells(vt);
	vt_scan(vt, item);
	ok(wait_line(vt, item, "inleveren") &&
		   wait_line(vt, item, "uitgeleend aan een andere lener: eerst ingenomen, boete "
				       "€ 1,00 voor die lener"),
	   "the line says it was on loan to another patron, taken in first, with the fine");
	ok(in_attention(vt, "uitgeleend aan een andere lener"), "in the colour of attention");
	ok(vt_wait_bells(vt, bells + 1, DESK_STEP_MS), "with the bell");
	ok(offsvc_open_loans(w->s, item, w->cards[1]) == 1 &&
		   num(w, "SELECT coalesce(sum(f.amount_cents), 0) FROM charges f JOIN patrons p"
			  " ON p.id = f.patron_id WHERE p.card = ?1", w->cards[0]) == 100,
	   "the service lent it to Bram and charged Anna 1.00");
	vt_key(vt, "F3");
	ok(vt_wait_text(vt, "Ingenomen: 1 ", DESK_STEP_MS) &&
		   vt_wait_text(vt, "Boete ontvangen: € 1,00", DESK_STEP_MS),
	   "check in counts that return and its fine");
}

static void test_hold_override(struct world *w)
{
	struct vt *vt = w->d->vt;
	const char *item = w->items[1];
	ok(hold(w, w->cards[2], item), "Daan waits for an item");
	ok(visit(vt, w->cards[0], "Anna Aerts"), "Anna's visit");
	unsigned bells = vt_bells(vt);
	vt_scan(vt, item);
	ok(wait_line(vt, item, "NIET UITGELEEND F9: uitzondering. Dit exemplaar is gereserveerd"
			       " voor een andere lener."),
	   "refused for the hold, and F9 is offered");
	ok(vt_wait_bells(vt, bells + 1, DESK_STEP_MS), "with the bell");
	long long audits = num(w, "SELECT count(*) FROM audit_log WHERE action = ?1", "override");
	vt_key(vt, "F9");
	ok(vt_wait_text(vt, "Reden", DESK_STEP_MS), "F9 asks for a reason");
	vt_scan(vt, "lener staat met het boek aan de balie");
	ok(circref_wait_row2(vt, item, "inleveren", DESK_STEP_MS), "lent past the hold");
	ok(offsvc_open_loans(w->s, item, w->cards[0]) == 1, "the service lent it to Anna");
	ok(num(w, "SELECT count(*) FROM audit_log WHERE action = ?1", "override") == audits + 1 &&
		   num(w, "SELECT count(*) FROM audit_log WHERE action = 'override'"
			  " AND reason = ?1 AND details LIKE '%item_on_hold_for_other%'",
			  "lener staat met het boek aan de balie") == 1,
	   "the override is in the audit log with its reason and the hold");

	/* The next item of the visit is not lent past a hold without asking. */
	const char *next = w->items[2];
	hold(w, w->cards[2], next);
	vt_scan(vt, next);
	ok(circref_wait_row2(vt, next, "NIET UITGELEEND", DESK_STEP_MS),
	   "the override was for that one item: the next held item is refused again");

	/* Without the permission: refused here as in the queue. */
	sql(w, "DELETE FROM staff_permissions WHERE permission = 'override' AND staff_id ="
	       " (SELECT id FROM staff WHERE username = ?1)", "balie", NULL);
	const char *third = w->items[3];
	hold(w, w->cards[2], third);
	vt_scan(vt, third);
	ok(circref_wait_row2(vt, third, "NIET UITGELEEND", DESK_STEP_MS),
	   "without the permission the hold refuses the check-out");
	char *row = NULL;
	int r;
	if (vt_find(vt, third, &r, NULL))
		row = vt_row_dup(vt, r);
	ok(row && !strstr(row, "F9"), "and F9 is not offered (%s)", row ? row : "-");
	free(row);
	vt_key(vt, "F9");
	ok(vt_wait_text(vt, "vraagt het recht override", DESK_STEP_MS),
	   "F9 says the override needs the permission");
	ok(offsvc_open_loans(w->s, third, w->cards[0]) == 0, "nothing was lent");
	sql(w, "INSERT INTO staff_permissions (staff_id, permission)"
	       " SELECT id, 'override' FROM staff WHERE username = ?1", "balie", NULL);
	vt_key(vt, "F12");
}

static void test_renew(struct world *w)
{
	struct vt *vt = w->d->vt;
	const char *item = w->items[4];
	ok(lend(w, item, w->cards[1], 3), "Bram has an item due in three days");
	vt_key(vt, "F4");
	ok(vt_wait_text(vt, "Verlengen", DESK_STEP_MS), "F4 opens renew");
	vt_scan(vt, item);
	ok(circref_wait_row2(vt, item, "verlengd tot", DESK_STEP_MS), "renewed");
	char due[16];
	due_shown(w, item, due);
	vt_scan(vt, item);
	char *again = xasprintf("al verlengd tot %s", due);
	ok(vt_wait_text(vt, again, DESK_STEP_MS), "the second scan: %s", again);
	free(again);
	ok(num(w, "SELECT l.renewals FROM loans l JOIN items i ON i.id = l.item_id"
		  " WHERE i.barcode = ?1 AND l.returned_at IS NULL", item) == 1,
	   "the service counted one renewal");

	const char *late = w->items[5];
	ok(lend(w, late, w->cards[1], -4), "an overdue loan");
	vt_scan(vt, late);
	ok(wait_line(vt, late, "verlengd tot") && wait_line(vt, late, "(boete € 1,00)"),
	   "its renewal says the fine it charged");

	const char *blocked = w->items[8];
	ok(lend(w, blocked, w->cards[1], 3), "another loan of Bram");
	sql(w, "UPDATE patrons SET manual_block = 'Pas als gestolen gemeld' WHERE card = ?1",
	    w->cards[1], NULL);
	unsigned bells = vt_bells(vt);
	vt_scan(vt, blocked);
	ok(wait_line(vt, blocked, "NIET VERLENGD") &&
		   wait_line(vt, blocked, "F9: uitzondering. De lener is geblokkeerd: door de"
					  " bibliotheek."),
	   "Bram's card is reported stolen: his renewal is refused, saying why, F9 offered");
	ok(vt_wait_bells(vt, bells + 1, DESK_STEP_MS), "with the bell");
	ok(num(w, "SELECT l.renewals FROM loans l JOIN items i ON i.id = l.item_id"
		  " WHERE i.barcode = ?1 AND l.returned_at IS NULL", blocked) == 0,
	   "and the service renewed nothing");
	long long audits = num(w, "SELECT count(*) FROM audit_log WHERE action = ?1", "override");
	vt_key(vt, "F9");
	ok(vt_wait_text(vt, "Reden", DESK_STEP_MS), "F9 asks for a reason");
	vt_scan(vt, "pas teruggevonden, lener getoond");
	ok(wait_line(vt, blocked, "verlengd tot"), "renewed anyway");
	ok(num(w, "SELECT l.renewals FROM loans l JOIN items i ON i.id = l.item_id"
		  " WHERE i.barcode = ?1 AND l.returned_at IS NULL", blocked) == 1 &&
		   num(w, "SELECT count(*) FROM audit_log WHERE action = 'override'"
			  " AND reason = ?1", "pas teruggevonden, lener getoond") == 1 &&
		   num(w, "SELECT count(*) FROM audit_log WHERE action = ?1", "override") ==
			   audits + 1,
	   "the service renewed it, and the override is in the audit log with its reason");
	sql(w, "UPDATE patrons SET manual_block = NULL WHERE card = ?1", w->cards[1], NULL);
}

static void test_checkin(struct world *w)
{
	struct vt *vt = w->d->vt;
	vt_key(vt, "F3");
	ok(vt_wait_text(vt, "Ingenomen: 1 ", DESK_STEP_MS), "check in, one counted so far");
	const char *away = w->away[0];
	ok(lend(w, away, w->cards[1], 5), "an item of another branch is on loan");
	vt_scan(vt, away);
	ok(circref_wait_row2(vt, away, "ONDERWEG naar", DESK_STEP_MS) &&
		   vt_wait_text(vt, "Ingenomen: 2 ", DESK_STEP_MS),
	   "checked in: in transit, counted");
	vt_scan(vt, away);
	ok(vt_wait_text(vt, "al ingenomen", DESK_STEP_MS), "the second scan: already checked in");
	ok(!in_attention(vt, "al ingenomen"), "a note, not an alarm");
	ok(vt_wait_quiet(vt, 300, DESK_STEP_MS) && vt_wait_text(vt, "Ingenomen: 2 ", 100),
	   "and Ingenomen stays 2");

	const char *lost = w->items[6];
	sql(w, "UPDATE items SET status = 'missing' WHERE barcode = ?1", lost, NULL);
	vt_scan(vt, lost);
	ok(wait_line(vt, lost, "TERUG IN DE KAST") &&
		   wait_line(vt, lost, "was vermist, weer beschikbaar"),
	   "a missing item is checked in: back on the shelf, found");
	ok(num(w, "SELECT count(*) FROM items WHERE barcode = ?1 AND status = 'available'", lost) == 1,
	   "the service has it available");
	ok(num(w, "SELECT count(*) FROM audit_log WHERE action = 'item_found' AND subject = ?1",
	       lost) == 1,
	   "and an audit row item_found for it");

	const char *shelf = w->items[7];
	sql(w, "INSERT INTO holds (patron_id, item_id, pickup_branch, status, placed_at,"
	       " ready_since, pickup_by) SELECT p.id, i.id, 'CEN', 'ready', strftime('%s', 'now'),"
	       " strftime('%s', 'now'), date('now', 'localtime', '+7 days')"
	       " FROM patrons p, items i WHERE p.card = ?1 AND i.barcode = ?2",
	    w->cards[2], shelf);
	sql(w, "UPDATE items SET status = 'hold_shelf' WHERE barcode = ?1", shelf, NULL);
	char *until = offsvc_query_text_dup(w->s,
		"SELECT strftime('%d-%m-%Y', date('now', 'localtime', '+7 days'))", NULL);
	unsigned bells = vt_bells(vt);
	vt_scan(vt, shelf);
	char *says = xasprintf("ligt al in de afhaalkast voor D.B. (tot %s)", until ? until : "?");
	ok(wait_line(vt, shelf, "AFHAALKAST D.B.") && wait_line(vt, shelf, says),
	   "an item on the hold shelf: %s", says);
	ok(vt_wait_bells(vt, bells + 1, DESK_STEP_MS), "with the bell");
	ok(vt_wait_text(vt, "Ingenomen: 3 ", DESK_STEP_MS), "counted: the found item, not the shelf");
	free(says);
	free(until);
}

static long journal_entries(const char *home)
{
	char *path = xasprintf("%s/.local/state/balie/journal.db", home);
	char *err = NULL;
	struct journal *j = journal_open(path, "test", &err);
	free(path);
	long n = -1;
	if (j) {
		n = journal_count_waiting(j, &err) + journal_count(j, JOURNAL_ACKNOWLEDGED, &err);
		journal_close(j);
	}
	free(err);
	return n;
}

static void test_offline_card(struct world *w)
{
	struct vt *vt = w->d->vt;
	ok(offsvc_kill(w->s), "the service goes away");
	vt_key(vt, "F12");
	vt_key(vt, "F2");
	vt_scan(vt, w->cards[1]);
	ok(vt_wait_text(vt, "offline: geen lenergegevens", DESK_STEP_MS),
	   "offline, a good card is taken without patron data");
	vt_scan(vt, w->items[9]);
	ok(circref_wait_row2(vt, w->items[9], "BEWAARD", DESK_STEP_MS), "an item is saved");
	long before = journal_entries(w->d->home);
	vt_key(vt, "F12");
	char wrong[15];
	memcpy(wrong, w->cards[0], sizeof wrong);
	wrong[13] = (char)('0' + (wrong[13] - '0' + 1) % 10);
	unsigned bells = vt_bells(vt);
	vt_scan(vt, wrong);
	char *says = xasprintf("Pasnummer %s klopt niet: het controlecijfer past niet", wrong);
	ok(vt_wait_text(vt, says, DESK_STEP_MS), "a card with a wrong check digit: %s", says);
	free(says);
	ok(vt_wait_text(vt, "pas opnieuw.", DESK_STEP_MS),
	   "the message is whole at 80 columns: it wraps onto the next row");
	ok(vt_wait_bells(vt, bells + 1, DESK_STEP_MS), "with the bell");
	ok(vt_wait_text(vt, "Scan de pas van de lener.", DESK_STEP_MS) &&
		   vt_wait_gone(vt, "offline: geen lenergegevens", DESK_STEP_MS),
	   "no card is taken: the desk still asks for one");
	ok(vt_wait_gone(vt, w->items[9], 100), "the visit ended with F12 keeps none of its lines");
	ok(vt_wait_quiet(vt, 300, DESK_STEP_MS) && journal_entries(w->d->home) == before,
	   "nothing more is journaled (%ld)", before);
	ok(offsvc_restart(w->s), "the service comes back");
}

int main(void)
{
	/* Due dates and pick-up days are the desk's days, in its time zone: the
	 * SQL of this test counts them with 'localtime'. */
	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
	if (!ok(desk_need_locale(LANG), "the locale " LANG " exists"))
		return tap_done();
	struct world w = {0};
	w.s = offsvc_start();
	if (!ok(w.s != NULL, "a balied of this test"))
		return tap_done();
	if (!ok(pick(&w), "the training data has 3 patrons and %d free items", N_ITEMS + 2)) {
		offsvc_stop(w.s);
		return tap_done();
	}
	w.d = circref_desk(BRANCH, LANG, offsvc_server_conf(w.s), NULL);
	if (ok(w.d != NULL, "the desk logs in to that service")) {
		test_returned_first(&w);
		test_hold_override(&w);
		test_renew(&w);
		test_checkin(&w);
		test_offline_card(&w);
		ok(desk_stop(w.d), "the desk stops cleanly");
	}
	ok(offsvc_stop(w.s), "balied stops and nothing is left");
	return tap_done();
}
