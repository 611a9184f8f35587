/* The item look-up at the desk: ^E on the check-in screen shows the item
 * just checked in (its title, its state, its last check-in), and a barcode
 * typed on the look-up screen shows a loan with its due date and borrower;
 * Escape goes back to check in. What the screen should say is asked from a
 * reference training service. */
#include "circref.h"
#include "desk.h"
#include "tap.h"
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
	vt_key(d->vt, "Esc");
	ok(vt_wait_text(d->vt, "Checked in: 1", DESK_STEP_MS), "Escape returns to check in");
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
	circ_patron_free(p);
}

int main(void)
{
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service"))
		test_item(cr);
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
