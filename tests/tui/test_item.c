/* The item look-up at the desk: ^E on the check-in screen shows the item
 * just checked in (its title, its state, its last check-in), and a barcode
 * typed on the look-up screen shows a loan with its due date and borrower;
 * F12 there gives the loan another due date, F9 sets the item's status
 * with a reason (missing, and found again when it is checked in); Escape
 * goes back to check in. What the screen should say is asked from a
 * reference training service. */
#include "circref.h"
#include "desk.h"
#include "tap.h"
#include "core/date.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BRANCH "CEN"

static void dutch_date(const char *iso, char out[16])
{
	snprintf(out, 16, "%.2s-%.2s-%.4s", iso + 8, iso + 5, iso);
}

/* A demo patron without blocks with two loans or more; NULL when none. */
static struct circ_patron *two_loans(struct circref *cr)
{
	for (unsigned n = 2; n <= 30; n++) {
		char card[15];
		circref_card(n, card);
		struct circ_patron *p = circref_patron(cr, card);
		if (p && p->n_loans >= 2 && p->n_blocks == 0)
			return p;
		circ_patron_free(p);
	}
	return NULL;
}

static void test_item(struct circref *cr)
{
	struct circ_patron *p = two_loans(cr);
	if (!ok(p != NULL, "the reference has a patron with two loans"))
		return;
	const struct circ_loan *in = &p->loans[0], *out = &p->loans[1];
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", NULL, NULL);
	if (!ok(d != NULL, "the desk starts and logs in")) {
		circ_patron_free(p);
		return;
	}
	vt_key(d->vt, "F3");
	ok(vt_wait_text(d->vt, "Check in", DESK_STEP_MS), "F3 opens check in");
	vt_send(d->vt, in->item_barcode);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, in->item_barcode, in->title, DESK_STEP_MS),
	   "an item is checked in: %s", in->title);
	vt_send(d->vt, "\x05"); /* ^E */
	ok(vt_wait_text(d->vt, "Item look-up", DESK_STEP_MS), "^E opens the item look-up");
	ok(circref_wait_row2(d->vt, "Title", in->title, DESK_STEP_MS),
	   "with the item just checked in: %s", in->title);
	ok(circref_wait_row2(d->vt, "Last checked in", "-", DESK_STEP_MS),
	   "and the day of its last check-in");
	ok(!vt_find(d->vt, "Borrower", NULL, NULL), "no borrower: it is back");

	vt_send(d->vt, out->item_barcode);
	vt_send(d->vt, "\r");
	char due[16];
	dutch_date(out->due_on, due);
	ok(circref_wait_row2(d->vt, "Title", out->title, DESK_STEP_MS),
	   "a barcode typed there is looked up: %s", out->title);
	ok(circref_wait_row2(d->vt, "Status", "on loan", DESK_STEP_MS), "on loan");
	ok(circref_wait_row2(d->vt, "Due date", due, DESK_STEP_MS), "due on %s", due);
	ok(circref_wait_row2(d->vt, "Borrower", p->card, DESK_STEP_MS) &&
		   circref_wait_row2(d->vt, p->card, p->name, DESK_STEP_MS),
	   "lent to %s", p->name);
	/* F12 gives the loan another due date, a week later. */
	struct civil_date due_day;
	char later[16];
	date_parse_iso(out->due_on, &due_day);
	date_format_dutch(date_add_days(due_day, 7), later);
	vt_key(d->vt, "F12");
	ok(vt_wait_text(d->vt, "New due date", DESK_STEP_MS), "F12 asks the new due date");
	vt_send(d->vt, "\x15"); /* ^U empties the field */
	vt_send(d->vt, later);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "Reason, or none", DESK_STEP_MS), "then a reason");
	vt_send(d->vt, "vakantie\r");
	char *set = xasprintf("Due date set: %s.", later);
	ok(vt_wait_text(d->vt, set, DESK_STEP_MS) &&
		   circref_wait_row2(d->vt, "Due date", later, DESK_STEP_MS),
	   "the loan is due on %s now", later);
	free(set);
	/* The item checked in is missing from the shelf: F9 sets its status. */
	vt_send(d->vt, in->item_barcode);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, "Title", in->title, DESK_STEP_MS), "back to %s", in->title);
	vt_key(d->vt, "F9");
	ok(vt_wait_text(d->vt, "3 missing", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Status (number)", DESK_STEP_MS),
	   "F9 asks for the status by number");
	vt_send(d->vt, "3\r");
	ok(vt_wait_text(d->vt, "Reason", DESK_STEP_MS), "then the reason");
	vt_send(d->vt, "niet in de kast\r");
	ok(vt_wait_text(d->vt, "Status set: missing.", DESK_STEP_MS), "the status is set");
	ok(circref_wait_row2(d->vt, "Status", "missing (niet in de kast)", DESK_STEP_MS),
	   "and shown with its reason");
	vt_key(d->vt, "Esc");
	ok(vt_wait_text(d->vt, "Checked in: 1", DESK_STEP_MS), "Escape returns to check in");
	vt_send(d->vt, in->item_barcode);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "missing, available again", DESK_STEP_MS),
	   "checked in again, the missing item is found");
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
	circ_patron_free(p);
}

/* Two demo patrons without blocks; false when there are not two. */
static bool two_patrons(struct circref *cr, struct circ_patron **a, struct circ_patron **b)
{
	struct circ_patron *pat[2] = { NULL, NULL };
	size_t n = circref_pick_patrons(cr, 1, pat, 2);
	*a = pat[0];
	*b = pat[1];
	return n == 2;
}

/* A patron's card scanned where an item was expected switches to that
 * patron with ^W, on check out and from check in. */
static void test_switch(struct circref *cr)
{
	struct circ_patron *a = NULL, *b = NULL;
	if (!ok(two_patrons(cr, &a, &b), "the reference has two patrons"))
		goto out;
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", NULL, NULL);
	if (!ok(d != NULL, "the desk starts and logs in"))
		goto out;
	vt_key(d->vt, "F2");
	vt_send(d->vt, a->card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, a->name, DESK_STEP_MS), "check out: %s's visit", a->name);
	unsigned bells = vt_bells(d->vt);
	vt_send(d->vt, b->card);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, b->card, "NOT LENT", DESK_STEP_MS) &&
		   circref_wait_row2(d->vt, "patron's card, not an item: ^W", "", DESK_STEP_MS),
	   "the next patron's card scanned as an item: the desk offers ^W");
	ok(!vt_find(d->vt, "No item with this barcode", NULL, NULL),
	   "instead of \"no item with this barcode\"");
	ok(vt_wait_bells(d->vt, bells + 1, DESK_STEP_MS), "with the bell");
	vt_send(d->vt, "\x17"); /* ^W */
	ok(vt_wait_text(d->vt, b->name, DESK_STEP_MS) && !vt_find(d->vt, a->name, NULL, NULL),
	   "^W ends %s's visit and shows %s", a->name, b->name);

	vt_key(d->vt, "F3");
	ok(vt_wait_text(d->vt, "Check in", DESK_STEP_MS), "F3 opens check in");
	vt_send(d->vt, a->card);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, a->card, "NOT CHECKED IN", DESK_STEP_MS) &&
		   circref_wait_row2(d->vt, "patron's card, not an item: ^W", "", DESK_STEP_MS),
	   "a card scanned on check in offers ^W too");
	vt_send(d->vt, "\x17");
	ok(vt_wait_text(d->vt, "Check out", DESK_STEP_MS) && vt_wait_text(d->vt, a->name, DESK_STEP_MS),
	   "^W opens check out with %s", a->name);
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
out:
	circ_patron_free(a);
	circ_patron_free(b);
}

int main(void)
{
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service"))
		test_item(cr);
	if (cr)
		test_switch(cr);
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
