/* In-house use at the desk: ^U on check in opens "ter inzage", where each
 * item scanned is counted (its title shown, the count going up) and an
 * unknown barcode is not; Escape goes back to check in. The titles are
 * asked from a reference training service. */
#include "circref.h"
#include "client/item.h"
#include "desk.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BRANCH "CEN"

static char *title_dup(struct circref *cr, const char *barcode)
{
	char *path = xasprintf("/items/%s", barcode);
	struct api_reply *r = circref_call(cr, "GET", path, NULL);
	free(path);
	char *err = NULL;
	struct item_info *i = r->outcome == API_OK ? item_info_decode(r->body, &err) : NULL;
	char *title = i ? xstrdup(i->title) : NULL;
	item_info_free(i);
	free(err);
	api_reply_free(r);
	return title;
}

static void test_inhouse(struct circref *cr)
{
	char codes[2][15];
	if (!ok(circref_pick_items(cr, codes, 2) == 2, "the reference has two items"))
		return;
	char *first = title_dup(cr, codes[0]), *second = title_dup(cr, codes[1]);
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", NULL, NULL);
	if (!ok(first && second && d, "the desk starts and logs in"))
		goto out;
	vt_key(d->vt, "F3");
	ok(vt_wait_text(d->vt, "Check in", DESK_STEP_MS), "F3 opens check in");
	vt_send(d->vt, "\x15"); /* ^U */
	ok(vt_wait_text(d->vt, "In-house use", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "Counted: 0", DESK_STEP_MS),
	   "^U opens in-house use");
	vt_send(d->vt, codes[0]);
	vt_send(d->vt, "\r");
	vt_send(d->vt, codes[1]);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, codes[0], "COUNTED", DESK_STEP_MS) &&
		   circref_wait_row2(d->vt, codes[0], first, DESK_STEP_MS),
	   "an item is counted: %s", first);
	ok(circref_wait_row2(d->vt, codes[1], second, DESK_STEP_MS), "and another: %s", second);
	ok(vt_wait_text(d->vt, "Counted: 2", DESK_STEP_MS), "two counted");
	unsigned bells = vt_bells(d->vt);
	vt_send(d->vt, "31999999999999\r");
	ok(circref_wait_row2(d->vt, "31999999999999", "NOT COUNTED", DESK_STEP_MS) &&
		   vt_wait_bells(d->vt, bells + 1, DESK_STEP_MS),
	   "an unknown barcode is not counted, with the bell");
	vt_key(d->vt, "Esc");
	ok(vt_wait_text(d->vt, "Checked in: 0", DESK_STEP_MS), "Escape returns to check in");
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
out:
	free(first);
	free(second);
}

int main(void)
{
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service"))
		test_inhouse(cr);
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
