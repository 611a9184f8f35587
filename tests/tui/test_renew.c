/* Renewing at the desk: by item barcode, one refused because
 * another patron waits (a hold) and one renewed; and from the patron
 * screen, found by name and date of birth, a selected loan renewed. What
 * the screen should say is asked from a reference training service. */
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

/* Renews barcode on the reference: the loan, or NULL and the code. */
static struct circ_loan *ref_renew(struct circref *cr, const char *barcode, enum errcode *code)
{
	struct api_reply *r = circref_call(cr, "POST", "/renewals", circ_item_body_new(barcode));
	char *err = NULL;
	struct circ_loan *l = r->outcome == API_OK ? circ_loan_decode(r->body, &err) : NULL;
	*code = r->outcome == API_REFUSED ? r->error : ERR_UNKNOWN;
	free(err);
	api_reply_free(r);
	return l;
}

struct plan {
	char held[15];              /* a loan another patron waits for */
	char plain[15];             /* a loan that renews */
	struct circ_loan *plain_loan;
	unsigned owner;             /* a third patron, for the patron screen */
	struct circ_patron *p;
	struct circ_loan *p_loan;   /* its first loan renewed on the reference */
	char *birth;                /* its date of birth, YYYY-MM-DD */
};

static bool make_plan(struct circref *cr, struct plan *pl)
{
	for (unsigned n = 1; n <= 30 && (!pl->held[0] || !pl->plain[0] || !pl->p); n++) {
		char card[15];
		circref_card(n, card);
		struct circ_patron *p = circref_patron(cr, card);
		if (!p || p->n_loans == 0 || p->n_blocks > 0) {
			circ_patron_free(p);
			continue;
		}
		bool used = false;
		const size_t n_loans = p->n_loans;
		for (size_t i = 0; i < n_loans && !used; i++) {
			enum errcode code;
			struct circ_loan *l = ref_renew(cr, p->loans[i].item_barcode, &code);
			if (!l && code == ERR_RENEWAL_BLOCKED_BY_HOLD && !pl->held[0]) {
				snprintf(pl->held, sizeof pl->held, "%s", p->loans[i].item_barcode);
				used = true;
			} else if (l && !pl->plain[0]) {
				snprintf(pl->plain, sizeof pl->plain, "%s", p->loans[i].item_barcode);
				pl->plain_loan = l;
				l = NULL;
				used = true;
			} else if (l && !pl->p && i == 0) {
				pl->owner = n;
				pl->p = p;
				pl->p_loan = l;
				p = NULL;
				l = NULL;
				used = true;
			}
			circ_loan_free(l);
		}
		circ_patron_free(p);
	}
	if (!pl->p)
		return false;
	/* The date of birth, from a search by name. */
	char *path = circ_search_path_dup(pl->p->name, NULL);
	struct api_reply *r = circref_call(cr, "GET", path, NULL);
	free(path);
	char *err = NULL;
	struct circ_search *s = r->outcome == API_OK ? circ_search_decode(r->body, &err) : NULL;
	for (size_t i = 0; s && i < s->n; i++)
		if (strcmp(s->items[i].card, pl->p->card) == 0)
			pl->birth = xstrdup(s->items[i].birth_date);
	circ_search_free(s);
	free(err);
	api_reply_free(r);
	return pl->held[0] && pl->plain[0] && pl->birth && pl->birth[0];
}

static void test_renew(struct circref *cr)
{
	struct plan pl = {0};
	if (!ok(make_plan(cr, &pl), "the reference has a held loan, a renewable one and a patron"))
		goto out;
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", NULL, NULL);
	if (!ok(d != NULL, "the desk starts and logs in"))
		goto out;
	vt_key(d->vt, "F4");
	ok(vt_wait_text(d->vt, "Renew", DESK_STEP_MS), "F4 opens renew");
	unsigned bells = vt_bells(d->vt);
	vt_send(d->vt, pl.held);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, pl.held, "NOT RENEWED", DESK_STEP_MS) &&
		   circref_wait_row2(d->vt, "NOT RENEWED", "Another patron is waiting",
				     DESK_STEP_MS),
	   "a loan another patron waits for is not renewed, and the desk says why");
	ok(vt_wait_bells(d->vt, bells + 1, DESK_STEP_MS), "the refusal rings the bell");
	char due[16];
	dutch_date(pl.plain_loan->due_on, due);
	char *renewed = xasprintf("renewed to %s", due);
	vt_send(d->vt, pl.plain);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, pl.plain, renewed, DESK_STEP_MS),
	   "a plain loan is renewed: %s", renewed);
	free(renewed);

	/* The patron screen: by name and date of birth, then a selected loan. */
	vt_key(d->vt, "F5");
	ok(vt_wait_text(d->vt, "Card or name", DESK_STEP_MS), "F5 opens the patron screen");
	char born[16];
	dutch_date(pl.birth, born);
	vt_send(d->vt, pl.p->name);
	vt_key(d->vt, "Tab");
	vt_send(d->vt, born);
	vt_send(d->vt, "\r");
	ok(circref_wait_row2(d->vt, pl.p->name, born, DESK_STEP_MS),
	   "a search by name and date of birth finds %s, born %s", pl.p->name, born);
	vt_key(d->vt, "Down"); /* harmless with one result */
	vt_key(d->vt, "Up");
	vt_send(d->vt, "\r");
	char *nloans = xasprintf(pl.p->n_loans == 1 ? "%zu loan" : "%zu loans", pl.p->n_loans);
	ok(vt_wait_text(d->vt, nloans, DESK_STEP_MS) &&
		   vt_wait_text(d->vt, pl.p->loans[0].title, DESK_STEP_MS),
	   "Enter opens the patron: %s, the first one %s", nloans, pl.p->loans[0].title);
	free(nloans);
	char first_due[16];
	dutch_date(pl.p->loans[0].due_on, first_due);
	ok(circref_wait_row2(d->vt, pl.p->loans[0].item_barcode, first_due, DESK_STEP_MS),
	   "each loan shows its due date");
	for (size_t i = 0; i < pl.p->n_loans; i++)
		if (pl.p->loans[i].overdue)
			ok(circref_wait_row2(d->vt, pl.p->loans[i].item_barcode, "OVERDUE", DESK_STEP_MS),
			   "an overdue loan is marked");
	vt_send(d->vt, " ");
	ok(circref_wait_row2(d->vt, "[x]", pl.p->loans[0].item_barcode, DESK_STEP_MS),
	   "Space selects the loan under the cursor");
	dutch_date(pl.p_loan->due_on, due);
	renewed = xasprintf("renewed to %s", due);
	vt_key(d->vt, "F9");
	ok(circref_wait_row2(d->vt, pl.p->loans[0].item_barcode, renewed, DESK_STEP_MS),
	   "F9 renews the selected loan: %s", renewed);
	ok(!vt_find(d->vt, "[x]", NULL, NULL), "and unselects it");
	free(renewed);
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
out:
	circ_loan_free(pl.plain_loan);
	circ_loan_free(pl.p_loan);
	circ_patron_free(pl.p);
	free(pl.birth);
}

int main(void)
{
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service"))
		test_renew(cr);
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
