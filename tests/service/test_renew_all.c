/* POST /renewals/all against a real training balied and its SQLite file: a
 * patron's loans renewed at once with mixed results (one renewed, one
 * overdue renewed with its fine, one at the renewal limit, one another
 * patron waits for), what the store keeps, a blocked patron's loans all
 * refused, and the refusals of the body. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static struct api_reply *renew_all(struct fx *fx, const char *card)
{
	char *body = xasprintf("{\"patron_card\":\"%s\"}", card);
	struct api_reply *r = fx_post(fx, "/renewals/all", body);
	free(body);
	return r;
}

/* The answer's entry for barcode, or NULL. */
static const cJSON *entry(const struct api_reply *r, const char *barcode)
{
	const cJSON *l;
	cJSON_ArrayForEach(l, jsonx_array(r->body, "loans")) {
		const char *b = jsonx_string(l, "item_barcode");
		if (b && strcmp(b, barcode) == 0)
			return l;
	}
	return NULL;
}

static const char *error_code(const cJSON *loan)
{
	return jsonx_string(jsonx_object(loan, "error"), "code");
}

static bool renewed(const cJSON *loan)
{
	bool b = true;
	return jsonx_bool(loan, "renewed", &b) && b;
}

static void test_mixed(struct fx *fx)
{
	char card[15], other[15], plain[15], late[15], limit[15], held[15];
	long long p = fx_patron(fx, 1, "Anna", "de Boer", "adult", "2032-01-01", card);
	long long q = fx_patron(fx, 2, "Bram", "Visser", "adult", "2032-01-01", other);
	fx_loan(fx, fx_item(fx, 1, "book", "CEN", plain), p, "2031-03-10");
	long long late_id = fx_item(fx, 2, "book", "CEN", late);
	fx_loan(fx, late_id, p, "2031-02-28");
	long long limit_id = fx_item(fx, 3, "book", "CEN", limit);
	fx_loan(fx, limit_id, p, "2031-03-12");
	fx_sql(fx, "UPDATE loans SET renewals = 2 WHERE item_id = %lld", limit_id);
	long long held_id = fx_item(fx, 4, "book", "CEN", held);
	fx_loan(fx, held_id, p, "2031-03-11");
	fx_hold(fx, q, held_id, "CEN", "waiting", 1);

	struct api_reply *r = renew_all(fx, card);
	ok(r->status == 200, "POST /renewals/all: 200");
	long long n = -1, m = -1;
	ok(jsonx_int(r->body, "renewed", &n) && n == 2, "two loans renewed");
	ok(jsonx_int(r->body, "not_renewed", &m) && m == 2, "two not");
	ok(cJSON_GetArraySize(jsonx_array(r->body, "loans")) == 4, "each loan has its outcome");
	is_str(jsonx_string(cJSON_GetArrayItem(jsonx_array(r->body, "loans"), 0), "item_barcode"),
	       late, "by due date: the overdue one first");
	const cJSON *e = entry(r, plain);
	ok(renewed(e), "the plain loan is renewed");
	is_str(jsonx_string(e, "due_on"), "2031-03-24", "to a full period from today");
	e = entry(r, late);
	long long fine = -1;
	ok(renewed(e) && jsonx_int(e, "fine_cents", &fine) && fine == 50,
	   "the overdue loan is renewed, with its fine of the two open days of three (50 cents)");
	e = entry(r, limit);
	ok(!renewed(e), "the loan renewed twice already is not");
	is_str(error_code(e), "renewal_limit", "renewal_limit");
	long long max = -1;
	ok(jsonx_int(jsonx_object(jsonx_object(e, "error"), "details"), "max_renewals", &max) &&
		   max == 2, "with the limit");
	is_str(jsonx_string(e, "due_on"), "2031-03-12", "and the due date it keeps");
	e = entry(r, held);
	ok(!renewed(e), "the loan another patron waits for is not");
	is_str(error_code(e), "renewal_blocked_by_hold", "renewal_blocked_by_hold");
	api_reply_free(r);

	char *due = fx_text_dup(fx, "SELECT group_concat(due_on || '/' || renewals, ' ') FROM"
				    " (SELECT due_on, renewals FROM loans WHERE patron_id = %lld"
				    " ORDER BY item_id)", p);
	is_str(due, "2031-03-24/1 2031-03-24/1 2031-03-12/2 2031-03-11/0",
	       "the store: two renewed, two as they were");
	free(due);
	ok(fx_num(fx, "SELECT coalesce(sum(amount_cents), 0) FROM charges WHERE patron_id = %lld"
		      " AND kind = 'overdue_fine'", p) == 50, "the fine is charged");
	ok(fx_num(fx, "SELECT coalesce(sum(count), 0) FROM loan_stats WHERE action = 'renewal'"
		      " AND day = '%s'", FX_TODAY) >= 2, "and the renewals counted");

	r = renew_all(fx, card);
	ok(r->status == 200 && jsonx_int(r->body, "renewed", &n) && n == 2,
	   "again the same day: the two renewed are answered renewed");
	bool unchanged = false;
	ok(jsonx_bool(entry(r, plain), "unchanged", &unchanged) && unchanged,
	   "unchanged: no renewal used");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT renewals FROM loans WHERE item_id = %lld", late_id) == 1,
	   "and none counted");
}

static void test_blocked(struct fx *fx)
{
	char card[15], barcode[15];
	long long p = fx_patron(fx, 3, "Cor", "Smit", "adult", "2032-01-01", card);
	fx_sql(fx, "UPDATE patrons SET manual_block = 'pas kwijt' WHERE id = %lld", p);
	fx_loan(fx, fx_item(fx, 5, "book", "CEN", barcode), p, "2031-03-10");
	struct api_reply *r = renew_all(fx, card);
	const cJSON *e = entry(r, barcode);
	ok(r->status == 200 && !renewed(e), "a blocked patron's loan is not renewed");
	is_str(error_code(e), "patron_blocked", "patron_blocked");
	const cJSON *blocks = jsonx_array(jsonx_object(jsonx_object(e, "error"), "details"), "blocks");
	ok(blocks && cJSON_GetArraySize(blocks) == 1 &&
		   strcmp(cJSON_GetArrayItem(blocks, 0)->valuestring, "manual_block") == 0,
	   "naming the block");
	api_reply_free(r);
}

static void test_refusals(struct fx *fx)
{
	fx_expect(fx_post(fx, "/renewals/all", "{}"), 422, "invalid_field", "no card");
	fx_expect(fx_post(fx, "/renewals/all", "{\"patron_card\":\"21999000000000\",\"x\":1}"),
		  422, "invalid_field", "an unknown field");
	fx_expect(fx_post(fx, "/renewals/all", "{\"patron_card\":\"21999000000001\"}"), 422,
		  "invalid_field", "a wrong check digit");
	fx_expect(fx_post(fx, "/renewals/all", "{\"patron_card\":\"12345\"}"), 404,
		  "patron_not_found", "an unknown card");
	char card[15];
	fx_patron(fx, 4, "Door", "Smit", "adult", "2032-01-01", card);
	struct api_reply *r = renew_all(fx, card);
	long long n = -1;
	ok(r->status == 200 && jsonx_int(r->body, "renewed", &n) && n == 0 &&
		   cJSON_GetArraySize(jsonx_array(r->body, "loans")) == 0,
	   "a patron without loans: nothing to renew");
	api_reply_free(r);
}

int main(void)
{
	struct fx fx;
	if (!ok(fx_start(&fx, NULL), "a training balied on " FX_TODAY)) {
		fx_finish(&fx, true);
		return tap_done();
	}
	test_mixed(&fx);
	test_blocked(&fx);
	test_refusals(&fx);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
