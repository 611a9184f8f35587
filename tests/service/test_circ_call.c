/* The typed circulation calls (src/client/circ_call.h) against a real
 * training balied: a patron by card, the search, a check-out, a refusal
 * with its blocks and the override that follows it, a renewal and a
 * check-in, each reaching its callback as a decoded struct or as a failure
 * in the desk's words, in the order they were queued. */
#include "core/clock.h"
#include "tap.h"

#include "circ_fixture.h"
#include "client/circ_call.h"
#include "client/scanq.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the callbacks saw, in order. */
struct seen {
	unsigned tags[16];
	int n;
	struct circ_patron *patron;
	struct circ_search *search;
	struct circ_loan *loan[4];
	int n_loans;
	struct circ_checkin *checkin;
	enum api_outcome outcome;
	enum errcode error;
	bool overridable, failed;
	char text[256], block[32];
};

static void note(struct seen *s, unsigned tag, const struct circ_failure *f)
{
	if (s->n < 16)
		s->tags[s->n++] = tag;
	if (!f)
		return;
	s->failed = true;
	s->outcome = f->call.outcome;
	s->error = f->call.error;
	s->overridable = f->call.overridable;
	snprintf(s->text, sizeof s->text, "%s", f->call.text);
	snprintf(s->block, sizeof s->block, "%s", f->n_blocks ? f->blocks[0] : "");
}

static void on_patron(void *ctx, unsigned tag, struct circ_patron *p, const struct circ_failure *f)
{
	struct seen *s = ctx;
	s->patron = p;
	note(s, tag, f);
}

static void on_search(void *ctx, unsigned tag, struct circ_search *r, const struct circ_failure *f)
{
	struct seen *s = ctx;
	s->search = r;
	note(s, tag, f);
}

static void on_loan(void *ctx, unsigned tag, struct circ_loan *loan, const struct circ_failure *f)
{
	struct seen *s = ctx;
	if (loan && s->n_loans < 4)
		s->loan[s->n_loans++] = loan;
	else
		circ_loan_free(loan);
	note(s, tag, f);
}

static void on_checkin(void *ctx, unsigned tag, struct circ_checkin *c,
		       const struct circ_failure *f)
{
	struct seen *s = ctx;
	s->checkin = c;
	note(s, tag, f);
}

/* Runs the event loop's steps until n answers came (20 s at most). */
static bool wait_for(struct api *api, const struct seen *s, int n)
{
	long long deadline = clock_now_ms() + 20000;
	while (s->n < n && clock_now_ms() < deadline) {
		api_wait(api, NULL, 0, 100);
		api_dispatch(api);
	}
	return s->n >= n;
}

static void test_calls(struct fx *fx)
{
	char card[15], blocked[15], item1[15], item2[15];
	fx_patron(fx, 1, "Anna", "Zwanenburg", "adult", "2032-01-01", card);
	fx_patron(fx, 2, "Bram", "Zwanenburg", "adult", "2031-01-01", blocked);
	fx_item(fx, 1, "book", "CEN", item1);
	fx_item(fx, 2, "book", "CEN", item2);
	struct scanq q;
	scanq_init(&q, fx->api);
	struct seen s = { 0 };

	circ_patron_start(&q, card, on_patron, &s, 1);
	circ_search_start(&q, "Zwanenburg", NULL, on_search, &s, 2);
	circ_checkout_start(&q, card, item1, NULL, 0, NULL, on_loan, &s, 3);
	circ_renew_start(&q, item1, NULL, 0, NULL, on_loan, &s, 4);
	ok(scanq_length(&q) == 4, "four calls queued (%zu)", scanq_length(&q));
	bool came = wait_for(fx->api, &s, 4);
	ok(came, "four answers came (%d)", s.n);
	ok(s.tags[0] == 1 && s.tags[1] == 2 && s.tags[2] == 3 && s.tags[3] == 4,
	   "in the order they were queued");
	ok(!s.failed, "none failed (%s)", s.text);
	ok(s.patron && strcmp(s.patron->card, card) == 0 && s.patron->n_blocks == 0,
	   "the patron by card, decoded, without blocks");
	ok(s.search && s.search->n == 2, "the search finds both (%zu)", s.search ? s.search->n : 0);
	ok(s.n_loans == 2 && strcmp(s.loan[0]->item_barcode, item1) == 0 && s.loan[0]->due_on[0],
	   "the check-out gives the loan with its due date (%s)",
	   s.n_loans ? s.loan[0]->due_on : "");
	ok(s.n_loans == 2 && strcmp(s.loan[1]->item_barcode, item1) == 0 && s.loan[1]->due_on[0],
	   "the renewal gives the loan with its due date (%s)",
	   s.n_loans == 2 ? s.loan[1]->due_on : "");
	for (int i = 0; i < s.n_loans; i++)
		circ_loan_free(s.loan[i]);
	circ_patron_free(s.patron);
	circ_search_free(s.search);

	/* A refusal: the blocks, in the desk's words, and the override. */
	s = (struct seen){ 0 };
	circ_checkout_start(&q, blocked, item2, NULL, 0, NULL, on_loan, &s, 5);
	ok(wait_for(fx->api, &s, 1), "the blocked patron's check-out is answered");
	ok(s.failed && s.outcome == API_REFUSED && s.error == ERR_PATRON_BLOCKED && s.n_loans == 0,
	   "refused: patron_blocked, no loan");
	is_str(s.block, "card_expired", "the failure names the block");
	ok(strstr(s.text, circ_block_text("card_expired")) != NULL,
	   "its text says so in the desk's words (%s)", s.text);
	ok(s.overridable, "and staff may override it");
	s = (struct seen){ 0 };
	const char *const blocks[] = { "card_expired" };
	circ_checkout_start(&q, blocked, item2, blocks, 1, "pas wordt vandaag verlengd", on_loan,
			    &s, 6);
	ok(wait_for(fx->api, &s, 1) && !s.failed && s.n_loans == 1,
	   "with the override and a reason it is lent (%s)", s.text);
	circ_loan_free(s.loan[0]);

	/* A check-in, then one of an item that is not on loan. */
	s = (struct seen){ 0 };
	circ_checkin_start(&q, item1, on_checkin, &s, 7);
	ok(wait_for(fx->api, &s, 1) && s.checkin && strcmp(s.checkin->barcode, item1) == 0 &&
	   s.checkin->route == CIRC_SHELVE,
	   "the check-in gives the item and its route: shelve");
	circ_checkin_free(s.checkin);

	/* Forgotten calls get no callback, and give back what they hold. */
	s = (struct seen){ 0 };
	circ_patron_start(&q, card, on_patron, &s, 8);
	circ_checkin_start(&q, item2, on_checkin, &s, 9);
	scanq_clear(&q);
	long long until = clock_now_ms() + 500;
	while (clock_now_ms() < until) {
		api_wait(fx->api, NULL, 0, 100);
		api_dispatch(fx->api);
	}
	ok(s.n == 0, "calls forgotten by scanq_clear get no callback");
	ok(fx_num(fx, "SELECT count(*) FROM loans l JOIN items i ON i.id = l.item_id"
		      " WHERE i.barcode = '%s' AND l.returned_at IS NULL", item2) == 1,
	   "the service holds the loan lent past the block, not checked in");
}

int main(void)
{
	struct fx fx;
	if (!fx_start(&fx, NULL))
		return tap_done();
	test_calls(&fx);
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
