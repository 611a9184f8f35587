/* The bookdrop at the desk: on check in F9 asks the day, offering the last
 * day the branch was open; every scan is then checked in as of that day,
 * with the fine of that day (asked from a reference training service
 * checking the same item in as of the same day); F9 ends it; F12 checks
 * the next item in without a fine. */
#include "circref.h"
#include "desk.h"
#include "tap.h"
#include "core/date.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BRANCH "CEN"

enum { CANDIDATES = 8 };

/* Up to CANDIDATES overdue loans of the demo patrons (barcodes); how many. */
static size_t overdue_loans(struct circref *cr, char (*out)[15])
{
	size_t n = 0;
	for (unsigned k = 2; k <= 30 && n < CANDIDATES; k++) {
		char card[15];
		circref_card(k, card);
		struct circ_patron *p = circref_patron(cr, card);
		for (size_t i = 0; p && i < p->n_loans && n < CANDIDATES; i++)
			if (p->loans[i].overdue)
				snprintf(out[n++], 15, "%s", p->loans[i].item_barcode);
		circ_patron_free(p);
	}
	return n;
}

/* The day the bookdrop field offers, read from the screen, as YYYY-MM-DD. */
static bool offered_day(struct vt *vt, char iso[DATE_STR_LEN], char dutch[DATE_STR_LEN])
{
	int row, col;
	if (!vt_find(vt, "checked in as of", &row, &col))
		return false;
	char *text = vt_row_dup(vt, row);
	const char *p = text + col + strlen("checked in as of");
	struct civil_date d;
	bool good = sscanf(p, " %10s", dutch) == 1 && date_parse_dutch(dutch, &d);
	if (good)
		date_format_iso(d, iso);
	free(text);
	return good;
}

/* The fine of checking barcode in on the reference as of iso. */
static long long ref_fine(struct circref *cr, const char *barcode, const char *iso)
{
	struct api_reply *r = circref_call(cr, "POST", "/checkins",
					   circ_checkin_body_new(barcode, iso, false));
	char *err = NULL;
	struct circ_checkin *c = r->outcome == API_OK ? circ_checkin_decode(r->body, &err) : NULL;
	long long fine = c ? c->fine_cents : -1;
	circ_checkin_free(c);
	free(err);
	api_reply_free(r);
	return fine;
}

static void test_bookdrop(struct circref *cr)
{
	char cand[CANDIDATES][15];
	size_t n = overdue_loans(cr, cand);
	if (!ok(n >= 2, "the reference has overdue loans (%zu)", n))
		return;
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", NULL, NULL);
	if (!ok(d != NULL, "the desk starts and logs in"))
		return;
	vt_key(d->vt, "F3");
	ok(vt_wait_text(d->vt, "Check in", DESK_STEP_MS), "F3 opens check in");
	vt_key(d->vt, "F9");
	char iso[DATE_STR_LEN] = "", dutch[DATE_STR_LEN] = "";
	if (!ok(vt_wait_text(d->vt, "Bookdrop, checked in as of", DESK_STEP_MS) &&
			offered_day(d->vt, iso, dutch),
		"F9 asks the bookdrop's day, offering the last day open: %s", dutch))
		vt_dump(d->vt, stdout);
	vt_send(d->vt, "\r");
	char *mode = xasprintf("BOOKDROP: checked in as of %s", dutch);
	ok(vt_wait_text(d->vt, mode, DESK_STEP_MS), "Enter: %s", mode);
	free(mode);
	/* The first that costs a fine as of that day (an adult's, due before it). */
	long long fine = 0;
	size_t used = 0;
	while (used < n - 1 && (fine = ref_fine(cr, cand[used], iso)) <= 0)
		used++;
	const char *late = cand[used], *other = cand[n - 1];
	vt_send(d->vt, late);
	vt_send(d->vt, "\r");
	char money[32];
	circ_money(fine, money);
	char *want = xasprintf("(fine %s)", money);
	ok(fine > 0 && vt_wait_text(d->vt, want, DESK_STEP_MS),
	   "an overdue item is checked in with the fine as of that day: %s", want);
	free(want);
	want = xasprintf("Fines received: %s", money);
	ok(vt_wait_text(d->vt, want, DESK_STEP_MS), "%s", want);
	free(want);
	vt_key(d->vt, "F9");
	ok(vt_wait_text(d->vt, "Bookdrop mode ended", DESK_STEP_MS) &&
		   !vt_find(d->vt, "BOOKDROP:", NULL, NULL),
	   "F9 again ends bookdrop mode");
	vt_key(d->vt, "F12");
	ok(vt_wait_text(d->vt, "the next item is checked in without a fine", DESK_STEP_MS),
	   "F12: amnesty for the next item");
	vt_send(d->vt, other);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, "(amnesty: fine", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "charged)", DESK_STEP_MS),
	   "the overdue item is checked in without its fine");
	want = xasprintf("Fines received: %s", money);
	ok(vt_wait_text(d->vt, "Checked in: 2", DESK_STEP_MS) && vt_wait_text(d->vt, want, DESK_STEP_MS),
	   "two checked in, and no more fines received");
	free(want);
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

int main(void)
{
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service"))
		test_bookdrop(cr);
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
