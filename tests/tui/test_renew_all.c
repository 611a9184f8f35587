/* Renew all at the desk: on the patron screen F12 renews every loan of the
 * patron shown, and each loan's line says its new due date or why it was
 * not renewed, with the counts in the message. What the screen should say
 * is asked from a reference training service (its own POST /renewals/all). */
#include "circref.h"
#include "client/renew_all.h"
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

/* The first demo patron with two loans or more, and what renew all did on
 * the reference in *out. */
static struct circ_patron *pick(struct circref *cr, struct renew_all **out)
{
	struct circ_patron *best = NULL;
	*out = NULL;
	for (unsigned n = 2; n <= 30; n++) {
		char card[15];
		circref_card(n, card);
		struct circ_patron *p = circref_patron(cr, card);
		if (!p || p->n_loans < 2 || best) {
			circ_patron_free(p);
			continue;
		}
		cJSON *body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "patron_card", card);
		struct api_reply *r = circref_call(cr, "POST", "/renewals/all", body);
		char *err = NULL;
		*out = r->outcome == API_OK ? renew_all_decode(r->body, &err) : NULL;
		free(err);
		api_reply_free(r);
		best = p;
	}
	return best;
}

static void test_renew_all(struct circref *cr)
{
	struct renew_all *ref = NULL;
	struct circ_patron *p = pick(cr, &ref);
	if (!ok(p && ref && ref->n == p->n_loans, "the reference renews all of a patron's loans"))
		goto out;
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", NULL, NULL);
	if (!ok(d != NULL, "the desk starts and logs in"))
		goto out;
	vt_key(d->vt, "F5");
	ok(vt_wait_text(d->vt, "Card or name", DESK_STEP_MS), "F5 opens the patron screen");
	vt_send(d->vt, p->card);
	vt_send(d->vt, "\r");
	ok(vt_wait_text(d->vt, p->loans[0].title, DESK_STEP_MS), "%s with the loans", p->name);
	unsigned bells = vt_bells(d->vt);
	vt_send(d->vt, "\033u");
	for (size_t i = 0; i < ref->n; i++) {
		const struct renew_all_loan *l = &ref->loans[i];
		char due[16];
		dutch_date(l->loan.due_on, due);
		char *want = l->renewed ? xasprintf("renewed to %s", due) : xstrdup("NOT RENEWED");
		ok(circref_wait_row2(d->vt, l->loan.item_barcode, want, DESK_STEP_MS),
		   "%s: %s", l->loan.item_barcode, want);
		free(want);
	}
	char *msg = xasprintf(ref->renewed == 1 ? "%zu loan renewed" : "%zu loans renewed",
			      ref->renewed);
	ok(vt_wait_text(d->vt, msg, DESK_STEP_MS), "the message: %s", msg);
	free(msg);
	if (ref->not_renewed > 0) {
		msg = xasprintf("%zu could not be renewed", ref->not_renewed);
		ok(vt_wait_text(d->vt, msg, DESK_STEP_MS), "and %s", msg);
		ok(vt_wait_bells(d->vt, bells + 1, DESK_STEP_MS), "with the bell");
		free(msg);
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
out:
	renew_all_free(ref);
	circ_patron_free(p);
}

int main(void)
{
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service"))
		test_renew_all(cr);
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
