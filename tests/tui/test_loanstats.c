/* The loan statistics at the desk: after a check-out and an in-house use,
 * Escape then l opens the statistics of this month so far and Enter
 * shows the totals and the loans per item type and per day: the numbers of
 * the reference training service (seeded as the desk's own) before the
 * test, with that check-out and use. */
#include "circref.h"
#include "client/loan_stats.h"
#include "core/date.h"
#include "desk.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BRANCH "CEN"

static struct loan_stats *ref_stats(struct circref *cr)
{
	struct civil_date today = date_today();
	char from[DATE_STR_LEN], to[DATE_STR_LEN];
	date_format_iso((struct civil_date){ today.year, today.month, 1 }, from);
	date_format_iso(today, to);
	char *path = xasprintf("/stats/loans?from=%s&to=%s", from, to);
	struct api_reply *r = circref_call(cr, "GET", path, NULL);
	free(path);
	char *err = NULL;
	struct loan_stats *s = r->outcome == API_OK ? loan_stats_decode(r->body, &err) : NULL;
	free(err);
	api_reply_free(r);
	return s;
}

static void test_loanstats(struct circref *cr)
{
	struct circ_patron *p = NULL;
	char items[2][15];
	struct loan_stats *s = ref_stats(cr);
	if (!ok(s && circref_pick_patrons(cr, 2, &p, 1) == 1 && circref_pick_items(cr, items, 2) == 2,
		"the reference has a patron and two items"))
		goto out;
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", NULL, NULL);
	if (!ok(d != NULL, "the desk starts and logs in"))
		goto out;
	vt_key(d->vt, "F2");
	vt_send(d->vt, p->card);
	vt_send(d->vt, "\r");
	vt_send(d->vt, items[0]);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, items[0], "due", DESK_STEP_MS), "an item is lent at the desk");
	vt_key(d->vt, "F3");
	vt_send(d->vt, "\x15"); /* ^U: in-house use */
	vt_send(d->vt, items[1]);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, items[1], "COUNTED", DESK_STEP_MS), "another used in the library");
	vt_key(d->vt, "F10");
	ok(vt_wait_text(d->vt, "beheer", DESK_STEP_MS) && desk_type_login(d, "balie", "oefenen") &&
		   vt_wait_text(d->vt, "Welcome", DESK_STEP_MS),
	   "logged in again");
	vt_send(d->vt, "\x1bo"); /* Escape then o */
	ok(vt_wait_text(d->vt, "Loan statistics: Centrale Bibliotheek", DESK_STEP_MS),
	   "Escape then l opens the loan statistics");
	vt_send(d->vt, "\r");
	char *totals = xasprintf("Loans %lld   Renewals %lld   Returns %lld   In-house %lld",
				 s->checkout + 1, s->renewal, s->checkin, s->in_house + 1);
	ok(vt_wait_text(d->vt, totals, DESK_STEP_MS),
	   "Enter shows the totals, one loan and one use more than before: %s", totals);
	free(totals);
	ok(vt_wait_text(d->vt, "Loans per item type", DESK_STEP_MS) &&
		   vt_wait_text(d->vt, "\u2588", DESK_STEP_MS),
	   "with the loans per item type as a bar chart");
	ok(vt_wait_text(d->vt, "Loans per day", DESK_STEP_MS), "and per day");
	vt_key(d->vt, "Esc");
	ok(vt_wait_gone(d->vt, "Loan statistics", DESK_STEP_MS), "Escape goes back");
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
out:
	loan_stats_free(s);
	circ_patron_free(p);
}

int main(void)
{
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service"))
		test_loanstats(cr);
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
