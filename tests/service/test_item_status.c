/* POST /items/{barcode}/status against a real training balied and its
 * SQLite file: an item on loan declared lost (the loan ends, the borrower
 * is charged the replacement cost of the rules file) and found again at
 * check-in (its charge cancelled, what was paid refunded), claimed returned
 * (the loan ends without a fine, the claims counted, a patron over the
 * limit flagged), damaged with a charge, missing and withdrawn, every
 * change audited, and the refusals. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define RULES "replacement_cost_book = 1800\nclaims_returned_limit = 1\n"

static struct api_reply *set_status(struct fx *fx, const char *barcode, const char *json)
{
	char *path = xasprintf("/items/%s/status", barcode);
	struct api_reply *r = fx_post(fx, path, json);
	free(path);
	return r;
}

static char *status_of(struct fx *fx, long long item)
{
	return fx_text_dup(fx, "SELECT i.status || '/' || coalesce(s.status, '-') FROM items i"
			       " LEFT JOIN item_statuses s ON s.item_id = i.id WHERE i.id = %lld", item);
}

static void expect_status(struct fx *fx, long long item, const char *want, const char *what)
{
	char *v = status_of(fx, item);
	is_str(v, want, "%s: the item is %s", what, want);
	free(v);
}

static struct api_reply *checkin_found(struct fx *fx, const char *barcode, const char *was)
{
	struct api_reply *r = fx_checkin(fx, barcode);
	bool found = false;
	ok(r->status == 200 && jsonx_bool(r->body, "found", &found) && found,
	   "checked in, the %s item is found", was);
	is_str(jsonx_string(r->body, "found_status"), was, "it was %s", was);
	return r;
}

static void test_lost(struct fx *fx)
{
	char card[15], barcode[15];
	long long p = fx_patron(fx, 1, "Anna", "de Boer", "adult", "2032-01-01", card);
	long long item = fx_item(fx, 1, "book", "CEN", barcode);
	fx_loan(fx, item, p, "2031-02-20");
	struct api_reply *r = set_status(fx, barcode,
					 "{\"status\":\"lost\",\"reason\":\"lener meldt verlies\"}");
	ok(r->status == 200, "lost: 200");
	bool ended = false;
	ok(jsonx_bool(r->body, "loan_ended", &ended) && ended, "the loan ends");
	const cJSON *c = jsonx_object(r->body, "charge");
	long long cents = -1;
	ok(jsonx_int(c, "amount_cents", &cents) && cents == 1800,
	   "the replacement cost of a book from the rules file: 1800 cents");
	is_str(jsonx_string(c, "kind"), "lost_item", "a lost_item charge");
	is_str(jsonx_string(jsonx_object(r->body, "patron"), "card"), card, "of the borrower");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld AND returned_at IS NULL",
		  item) == 0, "no open loan");
	ok(fx_num(fx, "SELECT amount_cents FROM charges WHERE patron_id = %lld AND kind = 'lost_item'"
		      " AND item_barcode = '%s'", p, barcode) == 1800, "the store has the charge");
	ok(fx_num(fx, "SELECT count(*) FROM charges WHERE patron_id = %lld AND kind = 'overdue_fine'",
		  p) == 0, "and no overdue fine");
	expect_status(fx, item, "missing/lost", "lost");
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'item_status'"
		      " AND subject = '%s' AND reason = 'lener meldt verlies'", barcode) == 1,
	   "the change is audited with its reason");
	fx_expect(fx_checkout(fx, card, barcode), 409, "item_not_loanable", "a lost item is not lent");

	/* The patron pays 10.00 of it; then the book turns up. */
	long long charge = fx_num(fx, "SELECT id FROM charges WHERE kind = 'lost_item'"
				      " AND patron_id = %lld", p);
	fx_sql(fx, "INSERT INTO credits (patron_id, kind, method, amount_cents, created_at)"
		   " VALUES (%lld, 'payment', 'cash', 1000, 0);"
		   "INSERT INTO credit_allocations VALUES (last_insert_rowid(), %lld, 1000);"
		   "UPDATE charges SET paid_cents = 1000 WHERE id = %lld", p, charge, charge);
	r = checkin_found(fx, barcode, "lost");
	long long refunded = -1;
	ok(jsonx_int(r->body, "refunded_cents", &refunded) && refunded == 1000,
	   "what was paid is refunded: 1000 cents");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT cancelled_at IS NOT NULL FROM charges WHERE id = %lld", charge) == 1,
	   "the charge is cancelled");
	ok(fx_num(fx, "SELECT amount_cents FROM credits WHERE kind = 'refund' AND charge_id = %lld",
		  charge) == 1000, "a refund of 1000 cents is recorded");
	expect_status(fx, item, "available/-", "found");
}

static void test_claimed_returned(struct fx *fx)
{
	char card[15], one[15], two[15];
	long long p = fx_patron(fx, 2, "Bram", "Visser", "adult", "2032-01-01", card);
	long long a = fx_item(fx, 2, "book", "CEN", one), b = fx_item(fx, 3, "book", "CEN", two);
	fx_loan(fx, a, p, "2031-02-10");
	fx_loan(fx, b, p, "2031-02-10");
	const char *body = "{\"status\":\"claimed_returned\",\"reason\":\"zegt ingeleverd te hebben\"}";
	struct api_reply *r = set_status(fx, one, body);
	const cJSON *patron = jsonx_object(r->body, "patron");
	long long claims = -1;
	bool over = true;
	ok(r->status == 200 && jsonx_int(patron, "claims_returned", &claims) && claims == 1 &&
		   jsonx_bool(patron, "claims_over_limit", &over) && !over,
	   "claimed returned: one claim, not over the limit of one");
	ok(!jsonx_object(r->body, "charge"), "no charge");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM charges WHERE patron_id = %lld", p) == 0,
	   "the loan ended without a fine (21 days overdue)");
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld", a) == 0, "the loan is gone");
	expect_status(fx, a, "missing/claimed_returned", "claimed returned");
	r = set_status(fx, two, body);
	patron = jsonx_object(r->body, "patron");
	ok(jsonx_int(patron, "claims_returned", &claims) && claims == 2 &&
		   jsonx_bool(patron, "claims_over_limit", &over) && over,
	   "a second claim: two, over the limit");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT claims_returned FROM patrons WHERE id = %lld", p) == 2,
	   "the count is the patron's");
	char *path = xasprintf("/patrons/%s", card);
	r = api_call(fx->api, "GET", path, NULL, NULL);
	free(path);
	ok(jsonx_int(r->body, "claims_returned", &claims) && claims == 2 &&
		   jsonx_bool(r->body, "claims_over_limit", &over) && over,
	   "GET /patrons/{card} flags the patron: two claims, over the limit");
	api_reply_free(r);
	r = checkin_found(fx, one, "claimed_returned");
	api_reply_free(r);
	expect_status(fx, a, "available/-", "found on the shelf");
	fx_expect(set_status(fx, one, body), 409, "not_on_loan",
		  "claimed returned of an item not on loan");
}

static void test_damaged_and_others(struct fx *fx)
{
	char card[15], barcode[15], lent[15];
	long long p = fx_patron(fx, 3, "Cor", "Smit", "adult", "2032-01-01", card);
	long long item = fx_item(fx, 4, "book", "CEN", barcode);
	char *body = xasprintf("{\"status\":\"damaged\",\"reason\":\"waterschade\","
			       "\"charge_cents\":300,\"patron_card\":\"%s\"}", card);
	struct api_reply *r = set_status(fx, barcode, body);
	long long cents = -1;
	ok(r->status == 200 && jsonx_int(jsonx_object(r->body, "charge"), "amount_cents", &cents) &&
		   cents == 300, "damaged with a charge of 300 cents: 200");
	api_reply_free(r);
	free(body);
	ok(fx_num(fx, "SELECT amount_cents FROM charges WHERE patron_id = %lld"
		      " AND kind = 'damaged_item'", p) == 300, "a damaged_item charge");
	expect_status(fx, item, "not_loanable/damaged", "damaged");
	fx_expect(fx_checkout(fx, card, barcode), 409, "item_not_loanable", "a damaged item is not lent");
	fx_expect(set_status(fx, barcode, "{\"status\":\"available\",\"reason\":\"gerepareerd\"}"),
		  200, NULL, "repaired: available");
	expect_status(fx, item, "available/-", "repaired");
	fx_expect(set_status(fx, barcode, "{\"status\":\"damaged\",\"reason\":\"kaft los\"}"), 200,
		  NULL, "damaged without a charge");
	ok(fx_num(fx, "SELECT count(*) FROM charges WHERE patron_id = %lld", p) == 1,
	   "charges nothing more");
	fx_expect(set_status(fx, barcode, "{\"status\":\"withdrawn\",\"reason\":\"versleten\"}"), 200,
		  NULL, "withdrawn");
	expect_status(fx, item, "not_loanable/withdrawn", "withdrawn");

	long long other = fx_item(fx, 5, "book", "CEN", lent);
	fx_expect(set_status(fx, lent, "{\"status\":\"missing\",\"reason\":\"niet in de kast\"}"),
		  200, NULL, "missing");
	expect_status(fx, other, "missing/missing", "missing");
	r = checkin_found(fx, lent, "missing");
	api_reply_free(r);
	fx_loan(fx, other, p, "2031-03-20");
	fx_expect(set_status(fx, lent, "{\"status\":\"withdrawn\",\"reason\":\"x\"}"), 422,
		  "invalid_field", "withdrawn while on loan");
	fx_expect(set_status(fx, lent, "{\"status\":\"damaged\",\"reason\":\"x\"}"), 422,
		  "invalid_field", "damaged while on loan: check it in first");
}

static void test_refusals(struct fx *fx)
{
	char barcode[15];
	fx_item(fx, 6, "book", "CEN", barcode);
	fx_expect(set_status(fx, "31999999999999", "{\"status\":\"lost\",\"reason\":\"x\"}"), 404,
		  "item_not_found", "an unknown item");
	fx_expect(set_status(fx, barcode, "{\"status\":\"gestolen\",\"reason\":\"x\"}"), 422,
		  "invalid_field", "an unknown status");
	fx_expect(set_status(fx, barcode, "{\"status\":\"lost\"}"), 422, "invalid_field",
		  "no reason");
	fx_expect(set_status(fx, barcode, "{\"status\":\"lost\",\"reason\":\" \"}"), 422,
		  "invalid_field", "a reason of spaces");
	fx_expect(set_status(fx, barcode, "{\"status\":\"lost\",\"reason\":\"x\",\"charge_cents\":5}"),
		  422, "invalid_field", "a charge with lost (the rules say how much)");
	fx_expect(set_status(fx, barcode, "{\"status\":\"damaged\",\"reason\":\"x\",\"charge_cents\":5}"),
		  422, "invalid_field", "a damaged charge without the patron");
	fx_expect(set_status(fx, barcode, "{\"status\":\"lost\",\"reason\":\"x\",\"kleur\":1}"), 422,
		  "invalid_field", "an unknown field");
	char *status = fx_text_dup(fx, "SELECT status FROM items WHERE barcode = '%s'", barcode);
	is_str(status, "available", "and nothing changed");
	free(status);
}

int main(void)
{
	struct fx fx;
	if (!ok(fx_start(&fx, RULES), "a training balied on " FX_TODAY)) {
		fx_finish(&fx, true);
		return tap_done();
	}
	test_lost(&fx);
	test_claimed_returned(&fx);
	test_damaged_and_others(&fx);
	test_refusals(&fx);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
