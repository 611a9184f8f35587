/* Esc, then a scan: a card starts with 2 and an item barcode with 3, so a
 * scan that follows a lone Esc must not be taken for the twins Esc-2 (check
 * out) or Esc-3 (check in). A scanner sends its characters a few ms apart;
 * Esc-x typed by hand, or Alt-x, is followed by nothing that soon. */
#include "circref.h"
#include "desk.h"
#include "tap.h"
#include "core/clock.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BRANCH "CEN"

/* Reads the desk's output for ms milliseconds: the pause of a person or
 * between a scanner's keys, not a wait for the desk. */
static void pause_ms(struct vt *vt, double ms)
{
	double until = (double)clock_now_ms() + ms;
	for (double left; (left = until - (double)clock_now_ms()) > 0;)
		vt_pump(vt, (int)left + 1);
}

/* Sends text one byte every 8 ms, as a scanner types. */
static void scan(struct vt *vt, const char *text)
{
	for (const char *p = text; *p; p++) {
		char one[2] = {*p, '\0'};
		vt_send(vt, one);
		if (p[1])
			pause_ms(vt, 8.0);
	}
}

static void test_card_after_esc(struct circref *cr, struct desk *d)
{
	char card[15];
	circref_card(4, card);
	struct circ_patron *p = circref_patron(cr, card);
	if (!ok(p != NULL, "the reference knows patron 4"))
		return;
	vt_key(d->vt, "F2");
	ok(vt_wait_text(d->vt, "Scan the patron's card.", DESK_STEP_MS), "F2 opens check out");
	vt_key(d->vt, "Esc");
	pause_ms(d->vt, 200.0);
	char *typed = xasprintf("%s\r", card);
	scan(d->vt, typed);
	ok(vt_wait_text(d->vt, p->name, DESK_STEP_MS),
	   "Esc, then a card scanned 200 ms later: the card is taken (%s), not Esc-2", p->name);
	ok(vt_find(d->vt, "Check out", NULL, NULL), "the desk stays on check out");
	free(typed);
	circ_patron_free(p);
}

static void test_item_after_esc(struct circref *cr, struct desk *d)
{
	char **items = NULL;
	size_t n = circref_loaned_items(cr, 30, 40, &items);
	struct circ_checkin *c = n ? circref_checkin(cr, items[0]) : NULL;
	if (ok(c != NULL, "the reference checks in a loaned item")) {
		vt_key(d->vt, "F3");
		ok(vt_wait_text(d->vt, "Check in", DESK_STEP_MS), "F3 opens check in");
		vt_key(d->vt, "Esc");
		pause_ms(d->vt, 200.0);
		char *typed = xasprintf("%s\r", items[0]);
		scan(d->vt, typed);
		ok(circref_wait_row2(d->vt, items[0], c->title, DESK_STEP_MS),
		   "Esc, then an item scanned 200 ms later: it is checked in (%s), not Esc-3",
		   items[0]);
		free(typed);
	}
	circ_checkin_free(c);
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

static void test_twins_still_work(struct desk *d)
{
	vt_send(d->vt, "\x1b" "2");
	ok(vt_wait_row(d->vt, 1, "Check out", DESK_STEP_MS),
	   "Esc and 2 in one write (Alt-2) still opens check out");
	vt_key(d->vt, "Esc");
	pause_ms(d->vt, 100.0);
	vt_send(d->vt, "3");
	ok(vt_wait_row(d->vt, 1, "Check in", DESK_STEP_MS),
	   "Esc, then 3 typed alone, still opens check in");
}

int main(void)
{
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service")) {
		struct desk *d = circref_desk(BRANCH, "C.UTF-8", NULL, NULL);
		if (ok(d != NULL, "the desk starts and logs in")) {
			test_card_after_esc(cr, d);
			test_item_after_esc(cr, d);
			test_twins_still_work(d);
			ok(desk_stop(d), "the desk stops cleanly");
		}
	}
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
