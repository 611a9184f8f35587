/* POST /checkouts against a real training balied and its SQLite file: loan
 * periods per item type, due dates moved off closed days, the loan limits,
 * each of the four blocks, overrides (with and without the permission, with
 * and without a reason) and their audit rows, an item still on loan to
 * someone else, and every refusal of an item. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static unsigned next_item = 1;

static long long new_item(struct fx *fx, const char *type, char barcode[15])
{
	return fx_item(fx, next_item++, type, "CEN", barcode);
}

/* A checkout that must succeed; returns its due date (allocated) or NULL. */
static char *lend_dup(struct fx *fx, const char *card, const char *barcode, const char *what)
{
	struct api_reply *r = fx_checkout(fx, card, barcode);
	ok(r->status == 201, "%s: 201 (got %ld %s)", what, r->status,
	   r->error_code ? r->error_code : "");
	const char *due = jsonx_string(jsonx_object(r->body, "loan"), "due_on");
	char *copy = due ? xstrdup(due) : NULL;
	api_reply_free(r);
	return copy;
}

static void expect_due(struct fx *fx, const char *card, const char *type, const char *want,
		       const char *what)
{
	char barcode[15];
	new_item(fx, type, barcode);
	char *due = lend_dup(fx, card, barcode, what);
	is_str(due, want, "%s: due on %s", what, want);
	free(due);
}

static void test_periods(struct fx *fx, const char *card)
{
	char barcode[15];
	long long item = new_item(fx, "book", barcode);
	struct api_reply *r = fx_checkout(fx, card, barcode);
	ok(r->status == 201, "a book is lent: 201");
	const cJSON *loan = jsonx_object(r->body, "loan");
	is_str(jsonx_string(loan, "item_barcode"), barcode, "the answer names the item");
	is_str(jsonx_string(loan, "title"), "Testboek 1", "with its title");
	is_str(jsonx_string(loan, "author"), "Auteur 1", "and author");
	is_str(jsonx_string(loan, "due_on"), "2031-03-24", "a book: 21 days (Monday 24 March)");
	bool returned = true;
	ok(jsonx_bool(r->body, "returned_first", &returned) && !returned,
	   "it was not on loan before");
	api_reply_free(r);
	char *due = fx_text_dup(fx, "SELECT due_on FROM loans WHERE item_id = %lld"
				    " AND returned_at IS NULL", item);
	is_str(due, "2031-03-24", "the loan is stored with its due date");
	free(due);
	char *status = fx_text_dup(fx, "SELECT status FROM items WHERE id = %lld", item);
	is_str(status, "on_loan", "the item is on loan");
	free(status);
	expect_due(fx, card, "audiovisual", "2031-03-10", "audiovisual: 7 days");
	expect_due(fx, card, "magazine", "2031-03-17", "a magazine: 14 days");
}

static void test_closed_days(struct fx *fx, const char *card)
{
	fx_sql(fx, "INSERT INTO branch_closed_dates (branch_code, date) VALUES ('CEN', '2031-03-24')");
	expect_due(fx, card, "book", "2031-03-25", "CEN closed on the due date: the next day");
	fx_sql(fx, "INSERT INTO branch_closed_dates (branch_code, date) VALUES ('CEN', '2031-03-25')");
	expect_due(fx, card, "book", "2031-03-26", "two closed days in a row: the day after both");
	if (!ok(fx_login(fx, "balie", "NRD"), "balie logs in at Noord"))
		return;
	expect_due(fx, card, "book", "2031-03-25",
		   "lent at Noord, which is closed on Mondays: Tuesday");
	fx_sql(fx, "INSERT INTO branch_closed_dates (branch_code, date) VALUES ('NRD', '2031-03-25')");
	expect_due(fx, card, "book", "2031-03-26", "Noord closed on Monday and that Tuesday: Wednesday");
	/* A week of Noord: 7 days from Monday 3 March is Monday 10 March, closed. */
	expect_due(fx, card, "audiovisual", "2031-03-11", "audiovisual lent at Noord: Tuesday");
	ok(fx_login(fx, "balie", "CEN"), "balie logs in at CEN again");
}

/* A patron with n loans already. */
static void give_loans(struct fx *fx, long long patron, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		char barcode[15];
		fx_loan(fx, new_item(fx, "book", barcode), patron, "2031-03-20");
	}
}

static void expect_blocked(struct fx *fx, const char *card, const char *block, const char *what)
{
	char barcode[15];
	long long item = new_item(fx, "book", barcode);
	struct api_reply *r = fx_checkout(fx, card, barcode);
	ok(r->status == 409 && r->error_code && strcmp(r->error_code, "patron_blocked") == 0,
	   "%s: 409 patron_blocked (got %ld)", what, r->status);
	const cJSON *blocks = jsonx_array(r->error_details, "blocks");
	ok(cJSON_GetArraySize(blocks) == 1 && cJSON_IsString(cJSON_GetArrayItem(blocks, 0)) &&
	   strcmp(cJSON_GetArrayItem(blocks, 0)->valuestring, block) == 0,
	   "%s: details.blocks is [%s]", what, block);
	ok(r->overridable, "%s: overridable for balie, who holds the permission", what);
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld", item) == 0,
	   "%s: no loan was made", what);
}

static void test_limits(struct fx *fx)
{
	char adult[15], youth[15];
	long long a = fx_patron(fx, 20, "Bas", "Bakker", "adult", "2032-01-01", adult);
	long long y = fx_patron(fx, 21, "Lieke", "Smit", "youth", "2035-01-01", youth);
	give_loans(fx, a, 24);
	give_loans(fx, y, 14);
	char barcode[15];
	new_item(fx, "book", barcode);
	free(lend_dup(fx, adult, barcode, "an adult with 24 loans borrows a 25th"));
	expect_blocked(fx, adult, "max_loans_reached", "an adult with 25 loans");
	new_item(fx, "book", barcode);
	free(lend_dup(fx, youth, barcode, "a youth member with 14 loans borrows a 15th"));
	expect_blocked(fx, youth, "max_loans_reached", "a youth member with 15 loans");
}

static void test_blocks(struct fx *fx)
{
	char card[15], barcode[15];
	fx_patron(fx, 30, "Erik", "Verlopen", "adult", "2031-03-02", card);
	expect_blocked(fx, card, "card_expired", "a card that expired yesterday");
	fx_patron(fx, 31, "Eva", "Vandaag", "adult", FX_TODAY, card);
	new_item(fx, "book", barcode);
	free(lend_dup(fx, card, barcode, "a card that expires today still lends"));

	long long p = fx_patron(fx, 32, "Frank", "Boete", "adult", "2032-01-01", card);
	fx_sql(fx, "INSERT INTO charges (patron_id, kind, amount_cents, created_at)"
		   " VALUES (%lld, 'overdue_fine', 1001, 0)", p);
	expect_blocked(fx, card, "fines_over_limit", "fines of 10.01");
	p = fx_patron(fx, 33, "Fien", "Grens", "adult", "2032-01-01", card);
	fx_sql(fx, "INSERT INTO charges (patron_id, kind, amount_cents, created_at)"
		   " VALUES (%lld, 'overdue_fine', 1000, 0)", p);
	new_item(fx, "book", barcode);
	free(lend_dup(fx, card, barcode, "fines of exactly 10.00 do not block"));
	fx_sql(fx, "INSERT INTO charges (patron_id, kind, amount_cents, created_at, paid_cents)"
		   " VALUES (%lld, 'overdue_fine', 5000, 0, 5000)", p);
	new_item(fx, "book", barcode);
	free(lend_dup(fx, card, barcode, "paid fines do not count"));

	p = fx_patron(fx, 34, "Mark", "Geblokkeerd", "adult", "2032-01-01", card);
	fx_sql(fx, "UPDATE patrons SET manual_block = 'Pas als gestolen gemeld' WHERE id = %lld", p);
	expect_blocked(fx, card, "manual_block", "a block by hand");
	new_item(fx, "book", barcode);
	struct api_reply *r = fx_checkout(fx, card, barcode);
	is_str(jsonx_string(r->error_details, "manual_block"), "Pas als gestolen gemeld",
	       "the block by hand comes with its reason");
	api_reply_free(r);
}

static struct api_reply *override(struct fx *fx, const char *card, const char *barcode,
				  const char *blocks, const char *reason)
{
	char *json = reason ? xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"%s\","
					"\"override\":{\"blocks\":%s,\"reason\":\"%s\"}}",
					card, barcode, blocks, reason)
			    : xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"%s\","
					"\"override\":{\"blocks\":%s}}", card, barcode, blocks);
	struct api_reply *r = fx_post(fx, "/checkouts", json);
	free(json);
	return r;
}

static void test_override(struct fx *fx)
{
	char card[15], barcode[15];
	fx_patron(fx, 40, "Olga", "Overschrijf", "adult", "2031-01-01", card);
	long long item = new_item(fx, "book", barcode);
	long long audits = fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'override'");

	struct api_reply *r = override(fx, card, barcode, "[\"card_expired\"]", NULL);
	ok(r->status == 422 && r->error_code && strcmp(r->error_code, "invalid_field") == 0,
	   "an override without a reason: 422 invalid_field");
	is_str(jsonx_string(r->error_details, "field"), "override.reason", "details name override.reason");
	api_reply_free(r);
	fx_expect(override(fx, card, barcode, "[\"card_expired\"]", "   "), 422, "invalid_field",
		  "a reason of blanks");
	fx_expect(override(fx, card, barcode, "[\"fines_over_limit\"]", "Klopt"), 409,
		  "patron_blocked", "an override of another block than the one in force");
	fx_expect(override(fx, card, barcode, "[\"card_lost\"]", "Klopt"), 422, "invalid_field",
		  "an override of an unknown block");
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld", item) == 0,
	   "none of these lent the item");

	r = override(fx, card, barcode, "[\"card_expired\"]", "Pas wordt vandaag verlengd");
	ok(r->status == 201, "an override with the permission and a reason: 201 (got %ld)",
	   r->status);
	const cJSON *over = jsonx_array(r->body, "overridden");
	ok(cJSON_GetArraySize(over) == 1, "the answer names the overridden block");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld AND returned_at IS NULL",
		  item) == 1, "the item is lent");
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'override'") == audits + 1,
	   "one audit row more");
	long long id = fx_num(fx, "SELECT max(id) FROM audit_log WHERE action = 'override'");
	char *v = fx_text_dup(fx, "SELECT s.username FROM audit_log a JOIN staff s ON s.id = a.staff_id"
				  " WHERE a.id = %lld", id);
	is_str(v, "balie", "audit: who (balie)");
	free(v);
	v = fx_text_dup(fx, "SELECT branch_code || ' ' || terminal FROM audit_log WHERE id = %lld", id);
	is_str(v, "CEN test-1", "audit: where (branch and terminal)");
	free(v);
	ok(fx_num(fx, "SELECT at FROM audit_log WHERE id = %lld", id) > 1900000000,
	   "audit: when (the test clock's instant)");
	v = fx_text_dup(fx, "SELECT reason FROM audit_log WHERE id = %lld", id);
	is_str(v, "Pas wordt vandaag verlengd", "audit: the reason");
	free(v);
	v = fx_text_dup(fx, "SELECT subject FROM audit_log WHERE id = %lld", id);
	is_str(v, card, "audit: the patron's card");
	free(v);
	v = fx_text_dup(fx, "SELECT details FROM audit_log WHERE id = %lld", id);
	cJSON *d = v ? cJSON_Parse(v) : NULL;
	const cJSON *blocks = jsonx_array(d, "blocks");
	ok(cJSON_GetArraySize(blocks) == 1 &&
	   strcmp(cJSON_GetArrayItem(blocks, 0)->valuestring, "card_expired") == 0,
	   "audit: the blocks overridden");
	is_str(jsonx_string(d, "item_barcode"), barcode, "audit: the item");
	cJSON_Delete(d);
	free(v);
}

/* Two blocks at once: the override must name both, and the audit row has both. */
static void test_override_two(struct fx *fx)
{
	char card[15], barcode[15];
	long long p = fx_patron(fx, 42, "Tom", "Tweemaal", "adult", "2031-01-01", card);
	fx_sql(fx, "UPDATE patrons SET manual_block = 'Adres onbekend' WHERE id = %lld", p);
	long long item = new_item(fx, "book", barcode);
	struct api_reply *r = override(fx, card, barcode, "[\"card_expired\"]", "Alleen de pas");
	const cJSON *blocks = jsonx_array(r->error_details, "blocks");
	char *text = blocks ? cJSON_PrintUnformatted(blocks) : NULL;
	ok(r->status == 409, "an override of one of two blocks: 409 patron_blocked");
	is_str(text, "[\"card_expired\",\"manual_block\"]", "details name both blocks");
	free(text);
	api_reply_free(r);
	fx_expect(override(fx, card, barcode, "[\"manual_block\",\"card_expired\"]",
			   "Adres en pas gecontroleerd"),
		  201, NULL, "an override of both");
	char *details = fx_text_dup(fx, "SELECT details FROM audit_log WHERE action = 'override'"
					" AND subject = '%s'", card);
	cJSON *d = details ? cJSON_Parse(details) : NULL;
	text = d ? cJSON_PrintUnformatted(jsonx_array(d, "blocks")) : NULL;
	is_str(text, "[\"card_expired\",\"manual_block\"]", "the audit row names both blocks");
	free(text);
	cJSON_Delete(d);
	free(details);
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld", item) == 1, "the item is lent");
}

/* beheer makes an account without the override permission. */
static bool add_plain_account(struct fx *fx)
{
	if (!fx_login(fx, "beheer", "CEN"))
		return false;
	struct api_reply *r = fx_post(fx, "/staff",
				      "{\"username\":\"kees\",\"name\":\"Kees Invaller\","
				      "\"password\":\"geheim123\",\"roles\":[\"balie\"],"
				      "\"branch\":\"CEN\"}");
	bool made = r->status == 201;
	api_reply_free(r);
	r = harness_login(fx->api, "kees", "geheim123", "CEN");
	const char *token = jsonx_string(r->body, "token");
	if (token)
		api_set_token(fx->api, token);
	const cJSON *perms = jsonx_array(jsonx_object(r->body, "staff"), "permissions");
	ok(perms && cJSON_GetArraySize(perms) == 0, "kees's session shows no permissions");
	api_reply_free(r);
	return made && token;
}

static void test_no_permission(struct fx *fx)
{
	if (!ok(add_plain_account(fx), "beheer adds kees (desk role, no override permission)"))
		return;
	char card[15], barcode[15];
	fx_patron(fx, 41, "Piet", "Verlopen", "adult", "2031-01-01", card);
	long long item = new_item(fx, "book", barcode);
	long long audits = fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'override'");
	struct api_reply *r = fx_checkout(fx, card, barcode);
	ok(r->status == 409 && !r->overridable,
	   "kees meets the block: patron_blocked, not overridable for him");
	api_reply_free(r);
	r = override(fx, card, barcode, "[\"card_expired\"]", "Ik mag dit niet");
	ok(r->status == 403 && r->error_code && strcmp(r->error_code, "forbidden") == 0,
	   "kees overrides: 403 forbidden (got %ld)", r->status);
	is_str(jsonx_string(r->error_details, "permission"), "override",
	       "details name the permission");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld", item) == 0 &&
	   fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'override'") == audits,
	   "no loan and no audit row");

	char *out = NULL, *err = NULL;
	int status = harness_run(&fx->h, NULL, &out, &err, "permission", "grant", "kees", "override",
				 NULL);
	ok(status == 0, "balied permission grant kees override (exit %d: %s)", status, err);
	free(out);
	free(err);
	r = harness_login(fx->api, "kees", "geheim123", "CEN");
	if (jsonx_string(r->body, "token"))
		api_set_token(fx->api, jsonx_string(r->body, "token"));
	api_reply_free(r);
	fx_expect(override(fx, card, barcode, "[\"card_expired\"]", "Nu mag ik het wel"), 201, NULL,
		  "with the permission granted kees may override");
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'permission_grant'"
		      " AND subject = 'kees'") == 1, "the grant is in the audit log");
	status = harness_run(&fx->h, NULL, &out, &err, "permission", "list", NULL);
	ok(status == 0 && strstr(out, "kees override\n"), "balied permission list shows it");
	free(out);
	free(err);
	status = harness_run(&fx->h, NULL, &out, &err, "permission", "revoke", "kees", "override",
			     NULL);
	ok(status == 0, "balied permission revoke kees override");
	free(out);
	free(err);
	new_item(fx, "book", barcode);
	fx_expect(override(fx, card, barcode, "[\"card_expired\"]", "Weer niet"), 403, "forbidden",
		  "revoked, kees may no longer override");
	status = harness_run(&fx->h, NULL, &out, &err, "permission", "grant", "kees", "vliegen",
			     NULL);
	ok(status == 2 && strstr(err, "vliegen"), "an unknown permission: exit 2, named");
	free(out);
	free(err);
	status = harness_run(&fx->h, NULL, &out, &err, "permission", "grant", "niemand", "override",
			     NULL);
	ok(status == 1 && strstr(err, "niemand"), "an unknown account: exit 1, named");
	free(out);
	free(err);
	ok(fx_login(fx, "balie", "CEN"), "balie logs in again");
	struct api_reply *s = api_call(fx->api, "GET", "/session", NULL, NULL);
	const cJSON *perms = jsonx_array(jsonx_object(s->body, "staff"), "permissions");
	ok(perms && cJSON_GetArraySize(perms) == 3 &&
	   strcmp(cJSON_GetArrayItem(perms, 0)->valuestring, "override") == 0 &&
	   strcmp(cJSON_GetArrayItem(perms, 1)->valuestring, "offline") == 0 &&
	   strcmp(cJSON_GetArrayItem(perms, 2)->valuestring, "waive") == 0,
	   "balie's session shows the permissions override, offline and waive");
	api_reply_free(s);
}

static void test_on_loan_elsewhere(struct fx *fx, const char *card)
{
	char other[15], barcode[15];
	long long o = fx_patron(fx, 50, "Otto", "Vorige", "adult", "2032-01-01", other);
	long long item = new_item(fx, "book", barcode);
	fx_loan(fx, item, o, "2031-02-21"); /* ten days overdue */
	struct api_reply *r = fx_checkout(fx, card, barcode);
	ok(r->status == 201, "an item still on loan to someone else is lent: 201");
	bool first = false;
	ok(jsonx_bool(r->body, "returned_first", &first) && first,
	   "the answer says it was returned first");
	long long fine = -1;
	ok(jsonx_int(r->body, "returned_fine_cents", &fine) && fine == 250,
	   "that return cost its borrower 2.50 (10 days)");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE patron_id = %lld", o) == 0,
	   "the old loan is gone: nothing ties the item to its borrower (anonymised)");
	ok(fx_num(fx, "SELECT count(*) FROM loans l JOIN patrons p ON p.id = l.patron_id"
		      " WHERE l.item_id = %lld AND p.card = '%s' AND l.returned_at IS NULL",
		  item, card) == 1, "the new loan is the new patron's");
	ok(fx_num(fx, "SELECT sum(amount_cents) FROM charges WHERE patron_id = %lld", o) == 250,
	   "the fine is the old borrower's");
}

static void test_item_refusals(struct fx *fx, const char *card)
{
	char barcode[15];
	long long item = new_item(fx, "book", barcode);
	free(lend_dup(fx, card, barcode, "lend an item"));
	struct api_reply *r = fx_checkout(fx, card, barcode);
	ok(r->status == 409 && r->error_code && strcmp(r->error_code, "item_already_on_loan") == 0,
	   "the same item to the same patron: 409 item_already_on_loan");
	/* CEN is closed on 24 and 25 March (test_closed_days). */
	is_str(jsonx_string(r->error_details, "due_on"), "2031-03-26", "details give its due date");
	bool renewable = false;
	ok(jsonx_bool(r->error_details, "renewable", &renewable) && renewable,
	   "and that it can be renewed");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld", item) == 1,
	   "still one loan");

	fx_expect(fx_checkout(fx, card, "31999990099999"), 404, "item_not_found", "an unknown item");
	fx_expect(fx_checkout(fx, "21999000099992", barcode), 404, "patron_not_found",
		  "an unknown card");
	struct api_reply *bad = fx_checkout(fx, "21999000099999", barcode);
	const char *field = jsonx_string(bad->error_details, "field");
	const char *why = jsonx_string(bad->error_details, "reason");
	ok(bad->status == 422 && field && strcmp(field, "patron_card") == 0 && why &&
		   strcmp(why, "check_digit") == 0,
	   "a card with a wrong check digit: 422 invalid_field patron_card, check_digit (got %ld %s)",
	   bad->status, bad->error_code ? bad->error_code : "");
	api_reply_free(bad);
	item = new_item(fx, "book", barcode);
	fx_sql(fx, "UPDATE items SET status = 'missing' WHERE id = %lld", item);
	fx_expect(fx_checkout(fx, card, barcode), 409, "item_not_loanable", "a missing item");
	item = new_item(fx, "book", barcode);
	fx_sql(fx, "UPDATE items SET status = 'not_loanable' WHERE id = %lld", item);
	fx_expect(fx_checkout(fx, card, barcode), 409, "item_not_loanable", "a reference-only item");

	char holder[15];
	long long h = fx_patron(fx, 51, "Hanna", "Wachtend", "adult", "2032-01-01", holder);
	item = new_item(fx, "book", barcode);
	fx_hold(fx, h, item, "CEN", "ready", 1);
	fx_expect(fx_checkout(fx, card, barcode), 409, "item_on_hold_for_other",
		  "an item on the hold shelf for another patron");
	free(lend_dup(fx, holder, barcode, "the patron it waits for takes it"));
	char *status = fx_text_dup(fx, "SELECT status FROM holds WHERE item_id = %lld", item);
	is_str(status, "fulfilled", "and the hold is fulfilled");
	free(status);

	fx_expect(fx_post(fx, "/checkouts", "{\"item_barcode\":\"31999990000017\"}"), 422,
		  "invalid_field", "no patron_card");
	fx_expect(fx_post(fx, "/checkouts", "{\"patron_card\":\"2199\\u0007\",\"item_barcode\":\"1\"}"),
		  422, "invalid_field", "a card with a control character");
	fx_expect(fx_post(fx, "/checkouts",
			  "{\"patron_card\":\"123\",\"item_barcode\":\"123456789012345678901234567890123\"}"),
		  422, "invalid_field", "a barcode of 33 characters");
}

static void test_replay(struct fx *fx, const char *card)
{
	char barcode[15], key[UUID_STR_LEN];
	long long item = new_item(fx, "book", barcode);
	uuid_v4(key);
	char *json = xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"%s\"}", card, barcode);
	struct api_reply *first = fx_post_key(fx, "/checkouts", json, key);
	struct api_reply *again = fx_post_key(fx, "/checkouts", json, key);
	ok(first->status == 201 && again->status == 201, "a checkout sent twice with one key: 201 twice");
	ok(cJSON_Compare(first->body, again->body, true), "the same answer");
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld", item) == 1,
	   "one loan, not two");
	api_reply_free(first);
	api_reply_free(again);
	free(json);
	json = xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"31999990000017\"}", card);
	fx_expect(fx_post_key(fx, "/checkouts", json, key), 422, "idempotency_key_reused",
		  "the key with another body");
	free(json);
	fx_expect(fx_checkout(fx, card, barcode), 409, "item_already_on_loan",
		  "the same body with a new key is a new request");
}

int main(void)
{
	struct fx fx;
	if (!ok(fx_start(&fx, NULL), "a training balied on " FX_TODAY)) {
		fx_finish(&fx, true);
		return tap_done();
	}
	char card[15];
	fx_patron(&fx, 1, "Anna", "de Boer", "adult", "2032-01-01", card);
	test_periods(&fx, card);
	test_closed_days(&fx, card);
	test_limits(&fx);
	test_blocks(&fx);
	test_override(&fx);
	test_override_two(&fx);
	test_no_permission(&fx);
	char second[15];
	fx_patron(&fx, 2, "Bram", "Tweede", "adult", "2032-01-01", second);
	test_on_loan_elsewhere(&fx, second);
	test_item_refusals(&fx, second);
	test_replay(&fx, second);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
