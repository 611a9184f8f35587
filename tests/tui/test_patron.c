/* The patron screen and the patron panel: found by card, with the
 * holds ready for pickup and the blocks; the check-out panel shows the same
 * before the first item; an item the patron already has is offered for
 * renewal; logging out forgets the patron. */
#include "circref.h"
#include "desk.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BRANCH "CEN"

static void test_patron(struct circref *cr)
{
	char held[15], blocked[15];
	struct circ_patron *h = NULL, *b = NULL;
	/* The demo patrons 31, 33 and 35 have a hold ready for pickup. */
	for (unsigned n = 31; n <= 36 && !h; n++) {
		circref_card(n, held);
		h = circref_patron(cr, held);
		if (h && h->n_holds_ready == 0) {
			circ_patron_free(h);
			h = NULL;
		}
	}
	circref_card(21, blocked);
	b = circref_patron(cr, blocked);
	/* A patron with a hold that is not ready yet. */
	char waiting_card[15];
	struct circ_patron *waiting = NULL;
	for (unsigned n = 1; n <= 80 && !waiting; n++) {
		circref_card(n, waiting_card);
		waiting = circref_patron(cr, waiting_card);
		bool has = false;
		for (size_t i = 0; waiting && i < waiting->n_holds; i++)
			has = has || strcmp(waiting->holds[i].status, "waiting") == 0;
		if (!has) {
			circ_patron_free(waiting);
			waiting = NULL;
		}
	}
	ok(waiting != NULL, "the reference has a patron with a hold waiting");
	if (!ok(h && b && b->n_blocks > 0 && b->n_loans > 0,
		"the reference has a patron with a hold ready and a blocked one with loans"))
		goto out;
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", NULL, NULL);
	if (!ok(d != NULL, "the desk starts and logs in"))
		goto out;
	vt_send(d->vt, "\x10"); /* ^P */
	ok(vt_wait_text(d->vt, "Card or name", DESK_STEP_MS), "^P opens the patron screen");
	vt_send(d->vt, held);
	vt_send(d->vt, "\r");
	char *where = circref_branch_name_dup(cr, h->holds_ready[0].branch);
	/* Under the heading of the holds, each row is the title and its state. */
	char *shown = xasprintf("%s, ready in %s", h->holds_ready[0].title, where);
	ok(vt_wait_text(d->vt, h->name, DESK_STEP_MS) && vt_wait_text(d->vt, shown, DESK_STEP_MS),
	   "found by card: %s, with the hold ready and where: %s", h->name, shown);
	free(shown);
	vt_send(d->vt, blocked);
	vt_send(d->vt, "\r");
	char *why = xasprintf("BLOCKED: blocked by the library: %s",
			      b->manual_block ? b->manual_block : "(no reason in the reference)");
	ok(vt_wait_text(d->vt, b->name, DESK_STEP_MS) && vt_wait_text(d->vt, why, DESK_STEP_MS) &&
		   vt_wait_text(d->vt, b->loans[0].title, DESK_STEP_MS),
	   "typing the next card opens the next patron: %s, with the loans", why);
	free(why);
	if (waiting) {
		vt_send(d->vt, waiting_card);
		vt_send(d->vt, "\r");
		ok(vt_wait_text(d->vt, waiting->name, DESK_STEP_MS) &&
			   vt_wait_text(d->vt, "waiting (pickup ", DESK_STEP_MS),
		   "a hold that is not ready yet is shown too, waiting (%s)", waiting->name);
	}

	/* The check-out panel shows the hold before the first item, and where. */
	vt_key(d->vt, "F2");
	vt_send(d->vt, held);
	vt_send(d->vt, "\r");
	char *ready = xasprintf("1 hold ready in %s: %s", where, h->holds_ready[0].title);
	ok(h->n_holds_ready != 1 || vt_wait_text(d->vt, ready, DESK_STEP_MS),
	   "the check-out panel shows \"%s\"", ready);
	/* Lending the held item fulfils the hold: the line goes. */
	vt_send(d->vt, h->holds_ready[0].item_barcode);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, h->holds_ready[0].item_barcode, "due", DESK_STEP_MS) &&
		   vt_wait_gone(d->vt, ready, DESK_STEP_MS),
	   "the held item lent to the patron: the hold line is gone");
	free(ready);
	free(where);
	/* An item the patron already has: the desk offers to renew it. */
	char card2[15];
	circref_card(2, card2);
	struct circ_patron *p2 = circref_patron(cr, card2);
	if (ok(p2 && p2->n_loans > 0, "the reference has patron 2 with loans")) {
		const char *mine = p2->loans[0].item_barcode;
		vt_key(d->vt, "F12");
		vt_send(d->vt, card2);
		vt_send(d->vt, "\r");
		vt_wait_text(d->vt, p2->name, DESK_STEP_MS);
		vt_send(d->vt, mine);
		vt_send(d->vt, "\r");
		ok(circref_wait_row2(d->vt, mine, "NOT LENT", DESK_STEP_MS) &&
			   vt_wait_text(d->vt, "F9: renew it.", DESK_STEP_MS),
		   "an item the patron already has is not lent again; F9 offers a renewal");
		vt_key(d->vt, "F9");
		ok(circref_wait_row2(d->vt, mine, "renewed to", DESK_STEP_MS),
		   "F9 renews it");
	}
	circ_patron_free(p2);
	/* Logging out forgets the patron; the next staff member starts fresh. */
	vt_key(d->vt, "F10");
	ok(vt_wait_text(d->vt, "beheer", DESK_STEP_MS), "F10 logs out");
	desk_type_login(d, "balie", "oefenen");
	ok(vt_wait_gone(d->vt, "beheer", DESK_STEP_MS), "and in again");
	vt_key(d->vt, "F2");
	ok(vt_wait_text(d->vt, "Scan the patron's card.", DESK_STEP_MS) &&
		   !vt_find(d->vt, h->name, NULL, NULL),
	   "check out starts empty after logging in again");
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
out:
	circ_patron_free(h);
	circ_patron_free(b);
	circ_patron_free(waiting);
}

int main(void)
{
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service"))
		test_patron(cr);
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
