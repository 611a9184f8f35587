/* The patron's account against a real training balied: GET
 * /patrons/{card}/account, POST /payments (partial, oldest first, named
 * charges, over the balance refused, replayed once), the fines_over_limit
 * block lifting with a payment, POST /waivers with and without the
 * permission and its audit row, and the cash-up (GET /cashup and
 * /cashup.csv) adding up to the payments. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static long long num(const cJSON *o, const char *key)
{
	long long v = -1;
	return jsonx_int(o, key, &v) ? v : -1;
}

/* A charge of the patron made days_ago days before today; its id. */
static long long charge(struct fx *fx, long long patron, const char *kind, long long cents,
			int days_ago)
{
	fx_sql(fx, "INSERT INTO charges (patron_id, kind, amount_cents, created_at)"
		   " VALUES (%lld, '%s', %lld, strftime('%%s', '" FX_TODAY " 09:00:00') - %d)",
	       patron, kind, cents, days_ago * 86400);
	return fx_num(fx, "SELECT max(id) FROM charges");
}

static struct api_reply *pay(struct fx *fx, const char *card, const char *amount,
			     const char *method, const char *charges)
{
	char *json = xasprintf("{\"patron_card\":\"%s\",\"amount_cents\":%s,\"method\":\"%s\"%s%s}",
			       card, amount, method, charges ? ",\"charges\":" : "",
			       charges ? charges : "");
	struct api_reply *r = fx_post(fx, "/payments", json);
	free(json);
	return r;
}

static const char *reason_of(const struct api_reply *r)
{
	return r->error_details ? jsonx_string(r->error_details, "reason") : NULL;
}

static void test_partial_oldest_first(struct fx *fx)
{
	char card[15];
	long long p = fx_patron(fx, 1, "Anna", "de Boer", "adult", "2032-01-01", card);
	long long old = charge(fx, p, "overdue_fine", 300, 10);
	long long young = charge(fx, p, "hold_fee", 500, 2);
	struct api_reply *r = pay(fx, card, "400", "cash", NULL);
	ok(r->status == 201, "a payment of 4.00: 201 (got %ld)", r->status);
	const cJSON *payment = jsonx_object(r->body, "payment");
	const cJSON *covered = jsonx_array(payment, "covered");
	const cJSON *c0 = cJSON_GetArrayItem(covered, 0), *c1 = cJSON_GetArrayItem(covered, 1);
	char id[24];
	snprintf(id, sizeof id, "%lld", old);
	is_str(jsonx_string(c0, "charge_id"), id, "the oldest charge is covered first");
	ok(num(c0, "amount_cents") == 300 && num(c0, "open_cents") == 0, "wholly: 300, none open");
	ok(num(c1, "amount_cents") == 100 && num(c1, "open_cents") == 400,
	   "the rest goes to the next: 100, 400 still open");
	ok(num(r->body, "balance_cents") == 400, "the new balance: 400");
	is_str(jsonx_string(payment, "method"), "cash", "paid in cash");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT paid_cents FROM charges WHERE id = %lld", young) == 100 &&
	   fx_num(fx, "SELECT paid_cents FROM charges WHERE id = %lld", old) == 300,
	   "the charges' paid parts are stored");
	ok(fx_num(fx, "SELECT count(*) FROM credits WHERE patron_id = %lld AND kind = 'payment'"
		      " AND method = 'cash' AND terminal = 'test-1' AND branch_code = 'CEN'", p) == 1,
	   "one payment credit, with its method, desk and branch");

	char *path = xasprintf("/patrons/%s/account", card);
	r = api_call(fx->api, "GET", path, NULL, NULL);
	free(path);
	ok(r->status == 200, "GET /patrons/{card}/account: 200");
	ok(num(r->body, "balance_cents") == 400, "the account's balance: 400");
	const cJSON *charges = jsonx_array(r->body, "charges");
	const cJSON *newest = cJSON_GetArrayItem(charges, 0);
	is_str(jsonx_string(newest, "kind"), "hold_fee", "charges newest first: the hold fee");
	ok(num(newest, "amount_cents") == 500 && num(newest, "paid_cents") == 100 &&
	   num(newest, "open_cents") == 400, "with amount, paid and open");
	const cJSON *credit = cJSON_GetArrayItem(jsonx_array(r->body, "credits"), 0);
	ok(credit && num(credit, "amount_cents") == 400, "the credit is listed");
	api_reply_free(r);

	snprintf(id, sizeof id, "[\"%lld\"]", young);
	r = pay(fx, card, "401", "pin", id);
	ok(r->status == 422 && r->error_code && strcmp(r->error_code, "invalid_field") == 0 &&
	   reason_of(r) && strcmp(reason_of(r), "over_balance") == 0 &&
	   num(r->error_details, "open_cents") == 400,
	   "more than the named charge's open part: invalid_field over_balance, open 400");
	api_reply_free(r);
	r = pay(fx, card, "400", "pin", id);
	ok(r->status == 201 && num(r->body, "balance_cents") == 0, "the rest by pin: balance 0");
	api_reply_free(r);
	r = pay(fx, card, "1", "cash", NULL);
	ok(r->status == 422 && reason_of(r) && strcmp(reason_of(r), "over_balance") == 0,
	   "a payment on a settled account is refused: no credit balance");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM credits WHERE patron_id = %lld", p) == 2,
	   "the refusals stored nothing");
}

static void expect_field(struct api_reply *r, const char *field, const char *reason,
			 const char *what)
{
	const char *f = r->error_details ? jsonx_string(r->error_details, "field") : NULL;
	const char *why = reason_of(r);
	ok(r->status == 422 && f && strcmp(f, field) == 0 && why && strcmp(why, reason) == 0,
	   "%s: invalid_field %s %s (got %ld %s %s)", what, field, reason, r->status,
	   f ? f : "-", why ? why : "-");
	api_reply_free(r);
}

static void test_bad_input(struct fx *fx)
{
	char card[15];
	long long p = fx_patron(fx, 2, "Bram", "Bakker", "adult", "2032-01-01", card);
	charge(fx, p, "other", 1000, 1);
	expect_field(pay(fx, card, "2.5", "cash", NULL), "amount_cents", "not_positive_integer",
		     "2.5 cents");
	expect_field(pay(fx, card, "0", "cash", NULL), "amount_cents", "not_positive_integer",
		     "0 cents");
	expect_field(pay(fx, card, "-100", "cash", NULL), "amount_cents", "not_positive_integer",
		     "a negative amount");
	expect_field(pay(fx, card, "\"100\"", "cash", NULL), "amount_cents",
		     "not_positive_integer", "an amount as a string");
	expect_field(pay(fx, card, "100", "creditcard", NULL), "method", "unknown",
		     "a method that is neither cash nor pin");
	expect_field(pay(fx, card, "100", "cash", "[\"99999\"]"), "charges", "not_open",
		     "a charge that is not the patron's");
	expect_field(pay(fx, card, "100", "cash", "[1]"), "charges", "invalid",
		     "a charge id as a number");
	char *json = xasprintf("{\"patron_card\":\"%s\",\"amount_cents\":100,\"method\":\"pin\","
			       "\"card_number\":\"6703000000000001\"}", card);
	expect_field(fx_post(fx, "/payments", json), "card_number", "unknown",
		     "card data is no field of a payment");
	free(json);
	ok(fx_num(fx, "SELECT count(*) FROM credits WHERE patron_id = %lld", p) == 0,
	   "nothing was paid");
}

static void test_block_lifts(struct fx *fx)
{
	char card[15], barcode[15];
	long long p = fx_patron(fx, 3, "Cor", "Claassen", "adult", "2032-01-01", card);
	charge(fx, p, "overdue_fine", 800, 5);
	charge(fx, p, "overdue_fine", 450, 3);
	fx_item(fx, 30, "book", "CEN", barcode);
	struct api_reply *r = fx_checkout(fx, card, barcode);
	ok(r->status == 409 && r->error_code && strcmp(r->error_code, "patron_blocked") == 0,
	   "12.50 open: the check-out is refused, patron_blocked (got %ld)", r->status);
	api_reply_free(r);
	r = pay(fx, card, "300", "cash", NULL);
	const cJSON *blocks = jsonx_array(r->body, "blocks");
	ok(r->status == 201 && num(r->body, "balance_cents") == 950 && blocks &&
	   cJSON_GetArraySize(blocks) == 0,
	   "a payment of 3.00: balance 9.50, under the limit, and no block left");
	api_reply_free(r);
	fx_expect(fx_checkout(fx, card, barcode), 201, NULL, "the same check-out is accepted now");
}

static void test_replay(struct fx *fx)
{
	char card[15], key[UUID_STR_LEN];
	long long p = fx_patron(fx, 4, "Dirk", "Dekker", "adult", "2032-01-01", card);
	charge(fx, p, "other", 700, 1);
	uuid_v4(key);
	char *json = xasprintf("{\"patron_card\":\"%s\",\"amount_cents\":250,\"method\":\"cash\"}",
			       card);
	struct api_reply *a = fx_post_key(fx, "/payments", json, key);
	struct api_reply *b = fx_post_key(fx, "/payments", json, key);
	char *ta = a->body ? cJSON_PrintUnformatted(a->body) : NULL;
	char *tb = b->body ? cJSON_PrintUnformatted(b->body) : NULL;
	ok(a->status == 201 && b->status == 201 && ta && tb && strcmp(ta, tb) == 0,
	   "the same payment sent twice with one key gets the same answer");
	ok(fx_num(fx, "SELECT count(*) FROM credits WHERE patron_id = %lld", p) == 1 &&
	   fx_num(fx, "SELECT paid_cents FROM charges WHERE patron_id = %lld", p) == 250,
	   "and is paid once");
	free(ta);
	free(tb);
	free(json);
	api_reply_free(a);
	api_reply_free(b);
}

static void test_waiver(struct fx *fx)
{
	char card[15];
	long long p = fx_patron(fx, 5, "Els", "Evers", "adult", "2032-01-01", card);
	long long c = charge(fx, p, "overdue_fine", 600, 4);
	long long keep = charge(fx, p, "hold_fee", 100, 2);
	fx_sql(fx, "UPDATE charges SET paid_cents = 0 WHERE id = %lld", c);
	char *json = xasprintf("{\"patron_card\":\"%s\",\"charges\":[\"%lld\"],"
			       "\"reason\":\"boek lag in de bus\"}", card, c);
	fx_sql(fx, "DELETE FROM staff_permissions WHERE permission = 'waive' AND staff_id ="
		   " (SELECT id FROM staff WHERE username = 'balie')");
	struct api_reply *r = fx_post(fx, "/waivers", json);
	const char *perm = r->error_details ? jsonx_string(r->error_details, "permission") : NULL;
	ok(r->status == 403 && r->error_code && strcmp(r->error_code, "forbidden") == 0 && perm &&
	   strcmp(perm, "waive") == 0,
	   "a waiver without the permission: 403 forbidden, naming waive (got %ld)", r->status);
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM credits WHERE patron_id = %lld", p) == 0,
	   "and nothing is waived");
	fx_sql(fx, "INSERT INTO staff_permissions (staff_id, permission)"
		   " SELECT id, 'waive' FROM staff WHERE username = 'balie'");
	r = fx_post(fx, "/waivers", json);
	ok(r->status == 201 && num(r->body, "balance_cents") == 100,
	   "with the permission: 201, the hold fee still open (got %ld)", r->status);
	ok(num(jsonx_object(r->body, "waiver"), "amount_cents") == 600, "6.00 waived");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'waiver'"
		      " AND reason = 'boek lag in de bus' AND terminal = 'test-1'"
		      " AND staff_id = (SELECT id FROM staff WHERE username = 'balie')"
		      " AND details LIKE '%%\"amount_cents\":600%%'") == 1,
	   "audited: who, where, the reason and the amount");
	ok(fx_num(fx, "SELECT paid_cents FROM charges WHERE id = %lld", keep) == 0,
	   "a charge not named is left alone");
	free(json);
	json = xasprintf("{\"patron_card\":\"%s\",\"charges\":[\"%lld\"]}", card, keep);
	expect_field(fx_post(fx, "/waivers", json), "reason", "missing", "a waiver without reason");
	free(json);
}

static long long csv_amount(const char *csv, const char *row)
{
	const char *at = strstr(csv, row);
	if (!at)
		return -1;
	const char *semi = strrchr(strndupa(at, (size_t)(strchr(at, '\r') - at)), ';');
	return semi ? atoll(semi + 1) : -1;
}

static void test_cashup(struct fx *fx)
{
	struct api_reply *r = api_call(fx->api, "GET", "/cashup", NULL, NULL);
	ok(r->status == 200, "GET /cashup: 200 (got %ld)", r->status);
	long long want = fx_num(fx, "SELECT sum(amount_cents) FROM credits WHERE kind = 'payment'"
				    " AND terminal = 'test-1'");
	long long count = fx_num(fx, "SELECT count(*) FROM credits WHERE kind = 'payment'"
				     " AND terminal = 'test-1'");
	ok(num(r->body, "payments_cents") == want && num(r->body, "payments") == count,
	   "today's payments at this desk: %lld in %lld payments (got %lld)", want, count,
	   num(r->body, "payments_cents"));
	long long by_method = 0, by_kind = 0;
	const cJSON *m;
	cJSON_ArrayForEach(m, jsonx_array(r->body, "by_method"))
		by_method += num(m, "amount_cents");
	cJSON_ArrayForEach(m, jsonx_array(r->body, "by_kind"))
		by_kind += num(m, "amount_cents");
	ok(by_method == want && by_kind == want, "by method and by kind each add up (%lld, %lld)",
	   by_method, by_kind);
	long long pin = fx_num(fx, "SELECT sum(amount_cents) FROM credits WHERE method = 'pin'"
				   " AND terminal = 'test-1'");
	const cJSON *pin_row = cJSON_GetArrayItem(jsonx_array(r->body, "by_method"), 1);
	is_str(jsonx_string(pin_row, "method"), "pin", "the second method is pin");
	ok(num(pin_row, "amount_cents") == pin, "pin: %lld", pin);
	long long fines = fx_num(fx, "SELECT sum(a.amount_cents) FROM credit_allocations a"
				     " JOIN credits c ON c.id = a.credit_id JOIN charges ch"
				     " ON ch.id = a.charge_id WHERE c.kind = 'payment'"
				     " AND ch.kind = 'overdue_fine'");
	ok(num(cJSON_GetArrayItem(jsonx_array(r->body, "by_kind"), 0), "amount_cents") == fines,
	   "overdue fines paid: %lld", fines);
	ok(num(jsonx_object(r->body, "waivers"), "amount_cents") == 600,
	   "the waiver beside it, not in the payments");
	api_reply_free(r);

	r = api_call(fx->api, "GET", "/cashup.csv", NULL, NULL);
	const char *csv = r->text ? r->text : "";
	ok(r->status == 200 && strncmp(csv, "\xef\xbb\xbfsection;code;count;amount_cents\r\n", 36) == 0,
	   "GET /cashup.csv: 200, the header row");
	ok(csv_amount(csv, "payments;all;") == want && csv_amount(csv, "method;pin;") == pin,
	   "the CSV has the same totals");
	api_reply_free(r);

	r = api_call(fx->api, "GET", "/cashup?date=2031-03-02", NULL, NULL);
	ok(r->status == 200 && num(r->body, "payments") == 0, "yesterday: no payments");
	api_reply_free(r);
	fx_expect(api_call(fx->api, "GET", "/cashup?branch=CEN", NULL, NULL), 403, "forbidden",
		  "a branch's cash-up at the desk");
	fx_expect(api_call(fx->api, "GET", "/cashup?date=3-3-2031", NULL, NULL), 422,
		  "invalid_field", "a date that is not YYYY-MM-DD");
	if (fx_login(fx, "beheer", "CEN")) {
		r = api_call(fx->api, "GET", "/cashup?branch=CEN", NULL, NULL);
		ok(r->status == 200 && num(r->body, "payments_cents") == want &&
		   cJSON_IsNull(cJSON_GetObjectItem(r->body, "terminal")),
		   "beheer: every desk of CEN, %lld", want);
		const cJSON *desks = jsonx_array(r->body, "by_terminal");
		const cJSON *desk = cJSON_GetArrayItem(desks, 0);
		ok(cJSON_GetArraySize(desks) == 1 && desk &&
		   strcmp(jsonx_string(desk, "terminal"), "test-1") == 0 &&
		   num(desk, "payments_cents") == want && num(desk, "pin_cents") == pin,
		   "by desk: test-1 took them all, %lld by pin", pin);
		api_reply_free(r);
		fx_login(fx, "balie", "CEN");
	}
}

static void test_accruing(struct fx *fx)
{
	char card[15], barcode[15];
	long long p = fx_patron(fx, 6, "Fenna", "Faber", "adult", "2032-01-01", card);
	fx_loan(fx, fx_item(fx, 60, "book", "CEN", barcode), p, "2031-02-27");
	charge(fx, p, "other", 150, 1);
	char *path = xasprintf("/patrons/%s", card);
	struct api_reply *r = api_call(fx->api, "GET", path, NULL, NULL);
	free(path);
	const cJSON *loan = cJSON_GetArrayItem(jsonx_array(r->body, "loans"), 0);
	ok(num(r->body, "accruing_fines_cents") == 100 && num(loan, "accruing_fine_cents") == 100,
	   "four days late: 1.00 accruing, on the loan too (got %lld)",
	   num(r->body, "accruing_fines_cents"));
	ok(num(r->body, "balance_cents") == 150 && num(r->body, "fines_cents") == 150,
	   "the balance is what is charged: 1.50, in fines_cents as before");
	api_reply_free(r);
}

int main(void)
{
	struct fx fx;
	if (!ok(fx_start(&fx, NULL), "a training balied on " FX_TODAY)) {
		fx_finish(&fx, true);
		return tap_done();
	}
	test_partial_oldest_first(&fx);
	test_bad_input(&fx);
	test_block_lifts(&fx);
	test_replay(&fx);
	test_waiver(&fx);
	test_cashup(&fx);
	test_accruing(&fx);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
