/* An item's alert at the desk: the training data's item 440 has the note
 * "3 delen (boek, cd, kaart): tel ze" with its alert flag. Lent on check
 * out it is shown above the lines in the attention role with the bell, and
 * stays through the next scan until Escape acknowledges it; checked in, the
 * same again. */
#include "circref.h"
#include "desk.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BRANCH "CEN"
#define NOTE "3 delen (boek, cd, kaart): tel ze"

static bool alert_shown(struct vt *vt)
{
	return vt_wait_text(vt, "ATTENTION", DESK_STEP_MS) && vt_wait_text(vt, "tel ze", DESK_STEP_MS);
}

static void test_alert(struct circref *cr)
{
	struct circ_patron *p = NULL;
	char alerted[15], other[1][15];
	circref_item(440, alerted);
	if (!ok(circref_pick_patrons(cr, 2, &p, 1) == 1 && circref_pick_items(cr, other, 1) == 1,
		"the reference has a patron and another item"))
		goto out;
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", NULL, NULL);
	if (!ok(d != NULL, "the desk starts and logs in"))
		goto out;
	vt_key(d->vt, "F2");
	vt_send(d->vt, p->card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, p->name, DESK_STEP_MS), "check out: %s", p->name);
	unsigned bells = vt_bells(d->vt);
	vt_send(d->vt, alerted);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, alerted, "due", DESK_STEP_MS), "item 440 is lent");
	ok(alert_shown(d->vt), "its alert is shown: " NOTE);
	ok(vt_wait_text(d->vt, "(Esc: seen)", DESK_STEP_MS), "with the key that acknowledges it");
	ok(vt_wait_bells(d->vt, bells + 1, DESK_STEP_MS), "and the bell");
	int row, col;
	struct vt_attr attr;
	ok(vt_find(d->vt, "ATTENTION", &row, &col) && vt_attr_at(d->vt, row, col, &attr) &&
		   (attr.fg != -1 || attr.bold || attr.reverse),
	   "in the attention role");
	vt_send(d->vt, other[0]);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, other[0], "due", DESK_STEP_MS) && alert_shown(d->vt),
	   "the next scan leaves it shown");
	vt_key(d->vt, "Esc");
	ok(vt_wait_gone(d->vt, "ATTENTION", DESK_STEP_MS), "Escape acknowledges it");

	vt_key(d->vt, "F3");
	ok(vt_wait_text(d->vt, "Check in", DESK_STEP_MS), "F3 opens check in");
	vt_send(d->vt, alerted);
	vt_send(d->vt, "\r");
	ok(alert_shown(d->vt), "checked in, item 440 shows its alert again");
	vt_key(d->vt, "Esc");
	ok(vt_wait_gone(d->vt, "ATTENTION", DESK_STEP_MS), "until Escape");
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
out:
	circ_patron_free(p);
}

int main(void)
{
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service"))
		test_alert(cr);
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
