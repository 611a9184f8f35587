/* A due date set by hand at check out: Escape then d asks the date for the
 * next item; it is lent until then, and the item after it for its loan
 * period again (its due date asked from a reference training service). */
#include "circref.h"
#include "core/date.h"
#include "desk.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BRANCH "CEN"

static void test_due(struct circref *cr)
{
	struct circ_patron *p = NULL;
	char items[2][15];
	if (!ok(circref_pick_patrons(cr, 2, &p, 1) == 1 && circref_pick_items(cr, items, 2) == 2,
		"the reference has a patron and two items"))
		goto out;
	struct circ_loan *plain = circref_checkout(cr, p->card, items[1]);
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", NULL, NULL);
	if (!ok(plain && d, "the desk starts and logs in"))
		goto out_loan;
	char later[DATE_STR_LEN], plain_due[DATE_STR_LEN];
	date_format_dutch(date_add_days(date_today(), 40), later);
	struct civil_date pd;
	date_parse_iso(plain->due_on, &pd);
	date_format_dutch(pd, plain_due);
	vt_key(d->vt, "F2");
	vt_send(d->vt, p->card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, p->name, DESK_STEP_MS), "check out: %s", p->name);
	vt_send(d->vt, "\x1b" "d");
	ok(vt_wait_text(d->vt, "Due date of the next item", DESK_STEP_MS),
	   "Escape then d asks the due date of the next item");
	vt_send(d->vt, later);
	vt_send(d->vt, "\r");
	char *msg = xasprintf("The next item is due on %s.", later);
	ok(vt_wait_text(d->vt, msg, DESK_STEP_MS), "%s", msg);
	free(msg);
	vt_send(d->vt, items[0]);
	vt_send(d->vt, "\r");
	char *due = xasprintf("due %s", later);
	ok(circref_wait_row2(d->vt, items[0], due, DESK_STEP_MS), "the item is lent: %s", due);
	free(due);
	vt_send(d->vt, items[1]);
	vt_send(d->vt, "\r");
	due = xasprintf("due %s", plain_due);
	ok(circref_wait_row2(d->vt, items[1], due, DESK_STEP_MS),
	   "the next for its loan period: %s", due);
	free(due);
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
out_loan:
	circ_loan_free(plain);
out:
	circ_patron_free(p);
}

int main(void)
{
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service"))
		test_due(cr);
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
