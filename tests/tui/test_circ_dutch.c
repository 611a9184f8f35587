/* The circulation desk in Dutch: check out, check in, renew and
 * the patron screen by keyboard alone, each in the desk's Dutch words. */
#include "circref.h"
#include "desk.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BRANCH "CEN"

static void test_dutch(struct circref *cr)
{
	char card[15], item[15];
	circref_card(2, card);
	circref_item(8, item); /* SEED_ACCENTED_ITEM: a book, free to lend */
	struct circ_patron *p = circref_patron(cr, card);
	char other[15];
	circref_card(5, other);
	struct circ_loan *l = circref_checkout(cr, other, item);
	char **items = NULL;
	size_t n = circref_loaned_items(cr, 1, 30, &items);
	const char *held = NULL;
	char *hold_for = NULL;
	for (size_t i = 0; i < n && !held; i++) {
		struct circ_checkin *c = circref_checkin(cr, items[i]);
		if (c && c->route == CIRC_HOLD_SHELF) {
			held = items[i];
			hold_for = xstrdup(c->hold_for);
		}
		circ_checkin_free(c);
	}
	if (!ok(p && l && held, "the reference has a patron, a book and a loan for the hold shelf"))
		goto out;
	struct desk *d = circref_desk(BRANCH, "nl_NL.UTF-8", NULL, NULL);
	if (!ok(d != NULL, "the Dutch desk starts and logs in"))
		goto out;
	/* The home screen's key line is full at 80 columns: the other screens'
	 * keys carry their short Dutch labels there (ui/widgets/keyline.c). */
	ok(vt_wait_row(d->vt, 23, "F2 Uit ", DESK_STEP_MS) &&
		   vt_wait_row(d->vt, 23, "F3 In ", DESK_STEP_MS) &&
		   vt_wait_row(d->vt, 23, "F10 Afmelden", DESK_STEP_MS),
	   "the function keys name uitlenen, innemen and afmelden in short Dutch");
	ok(vt_wait_row(d->vt, 23, "F11 Vergrendelen", DESK_STEP_MS),
	   "the lock key has one label, short or not: Vergrendelen");
	vt_send(d->vt, "\x0f"); /* ^O: uitlenen */
	ok(vt_wait_text(d->vt, "Scan de pas van de lener.", DESK_STEP_MS), "^O opens Uitlenen");
	vt_send(d->vt, card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, p->name, DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Pas geldig tot", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "volwassene", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Boete: € 0,00", DESK_STEP_MS),
	   "the patron panel is in Dutch, the money as € 0,00");
	char due[32];
	snprintf(due, sizeof due, "inleveren %.2s-%.2s-%.4s", l->due_on + 8, l->due_on + 5,
		 l->due_on);
	vt_send(d->vt, item);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, item, due, DESK_STEP_MS), "the loan says \"%s\"", due);
	vt_send(d->vt, "\x04"); /* ^D: klaar */
	ok(vt_wait_text(d->vt, "Klaar. Scan de pas van de volgende lener.", DESK_STEP_MS),
	   "^D ends the visit");
	char blocked[15];
	circref_card(21, blocked); /* blocked by hand in the demo data */
	vt_send(d->vt, blocked);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "GEBLOKKEERD: door de bibliotheek", DESK_STEP_MS) &&
		   !vt_find(d->vt, "geblokkeerd door", NULL, NULL),
	   "a patron blocked by the library: GEBLOKKEERD once, not twice");
	vt_send(d->vt, "\x04");
	ok(vt_wait_gone(d->vt, "GEBLOKKEERD", DESK_STEP_MS), "^D ends that visit too");
	vt_send(d->vt, "\x0e"); /* ^N: innemen */
	char *route = xasprintf("AFHAALKAST %s", hold_for);
	vt_send(d->vt, held);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "Ingenomen: 1", DESK_STEP_MS) &&
		   circref_wait_row2(d->vt, held, route, DESK_STEP_MS),
	   "^N checks in: %s", route);
	free(route);
	vt_send(d->vt, "\x12"); /* ^R: verlengen */
	vt_send(d->vt, item);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, item, "verlengd tot", DESK_STEP_MS),
	   "^R renews: verlengd tot ...");
	vt_send(d->vt, "\x10"); /* ^P: lener */
	ok(vt_wait_text(d->vt, "Pas of naam", DESK_STEP_MS) && vt_wait_text(d->vt, "Geboren", DESK_STEP_MS),
	   "^P opens the patron screen in Dutch");
	vt_send(d->vt, card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "uitleningen", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Vestiging:", DESK_STEP_MS),
	   "the patron's loans are listed in Dutch");
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
out:
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
	free(hold_for);
	circ_loan_free(l);
	circ_patron_free(p);
}

int main(void)
{
	if (!ok(desk_need_locale("nl_NL.UTF-8"), "the locale nl_NL.UTF-8 exists"))
		return tap_done();
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service"))
		test_dutch(cr);
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
