/* POST /patrons/{card}/replacement against a real training balied on a
 * fixed day (circ_fixture.h): a new card number (prefix, Luhn), the old
 * card blocked with its reason so that a check-out or a lookup on it names
 * only the new card's last digits, the fee charged, loans, holds and the
 * account kept, and the audit row. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/luhn.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static struct api_reply *replace(struct fx *fx, const char *card, const char *json)
{
	char *path = xasprintf("/patrons/%s/replacement", card);
	struct api_reply *r = fx_post(fx, path, json);
	free(path);
	return r;
}

static char *new_card_dup(const struct api_reply *r)
{
	const char *c = jsonx_string(jsonx_object(r->body, "patron"), "card");
	return xstrdup(c ? c : "");
}

/* The refusal of a replaced card: card_replaced with the new card's last
 * four digits and the reason, and nothing more of the new number. */
static void expect_replaced(struct api_reply *r, const char *new_card, const char *reason,
			    const char *what)
{
	const char *last = new_card + strlen(new_card) - 4;
	is_str(jsonx_string(r->error_details, "new_card_last4"), last, "%s: the new card's last"
	       " digits %s", what, last);
	is_str(jsonx_string(r->error_details, "reason"), reason, "%s: %s", what, reason);
	char *details = r->error_details ? cJSON_PrintUnformatted(r->error_details) : NULL;
	ok(details && !strstr(details, new_card), "%s: never the whole new number (%s)", what,
	   details ? details : "none");
	free(details);
	fx_expect(r, 409, "card_replaced", what);
}

static void test_lost(struct fx *fx)
{
	char card[15], lent[15], held[15], other[15];
	long long id = fx_patron(fx, 1, "Anna", "de Boer", "adult", "2032-01-01", card);
	long long item = fx_item(fx, 1, "book", "CEN", lent);
	fx_loan(fx, item, id, "2031-03-20");
	fx_hold(fx, id, fx_item(fx, 2, "book", "CEN", held), "CEN", "waiting", 1);
	fx_item(fx, 3, "book", "CEN", other);
	fx_sql(fx, "INSERT INTO charges (patron_id, kind, amount_cents, created_at)"
		   " VALUES (%lld, 'overdue_fine', 75, 0)", id);

	char *path = xasprintf("/patrons/%s/replacement", card);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *r = fx_post_key(fx, path, "{\"reason\":\"lost\"}", key);
	char *fresh = new_card_dup(r);
	long long fee = -1;
	ok(r->status == 201, "a lost card replaced: 201 (got %ld %s)", r->status,
	   r->error_code ? r->error_code : "");
	ok(strlen(fresh) == 14 && strncmp(fresh, "21000", 5) == 0 && luhn_valid(fresh) &&
		   strcmp(fresh, card) != 0,
	   "a new card of 14 digits with the prefix and a Luhn digit (%s)", fresh);
	ok(jsonx_int(r->body, "fee_cents", &fee) && fee == 250, "an adult pays 2.50");
	is_str(jsonx_string(r->body, "old_card_last4"), card + 10, "the old card's last digits");
	is_str(jsonx_string(jsonx_object(r->body, "patron"), "given_name"), "Anna",
	       "the name, for the welcome slip");
	struct api_reply *again = fx_post_key(fx, path, "{\"reason\":\"lost\"}", key);
	ok(again->status == 201 && cJSON_Compare(again->body, r->body, true),
	   "the same key again: the same answer, not a third card");
	api_reply_free(again);
	api_reply_free(r);
	free(path);

	ok(fx_num(fx, "SELECT count(*) FROM charges WHERE patron_id = %lld"
		      " AND kind = 'replacement_card' AND amount_cents = 250", id) == 1,
	   "one replacement_card charge of 2.50");
	char *s = fx_text_dup(fx, "SELECT card FROM patrons WHERE id = %lld", id);
	is_str(s, fresh, "the patron has the new card");
	free(s);
	s = fx_text_dup(fx, "SELECT reason FROM replaced_cards WHERE card = '%s'", card);
	is_str(s, "lost", "the old card is kept as replaced, lost");
	free(s);
	s = fx_text_dup(fx, "SELECT reason || ' ' || details FROM audit_log"
			    " WHERE action = 'card_replaced' AND subject = '%s'", fresh);
	ok(s && strncmp(s, "lost ", 5) == 0 && strstr(s, card), "audited with the reason (%s)",
	   s ? s : "none");
	free(s);

	expect_replaced(fx_checkout(fx, card, other), fresh, "lost", "a check-out on the old card");
	char *old_path = xasprintf("/patrons/%s", card);
	expect_replaced(api_call(fx->api, "GET", old_path, NULL, NULL), fresh, "lost",
			"a lookup of the old card");
	free(old_path);
	char *json = xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"%s\","
			       "\"pickup_branch\":\"CEN\"}", card, other);
	expect_replaced(fx_post(fx, "/holds", json), fresh, "lost", "a hold on the old card");
	free(json);
	expect_replaced(replace(fx, card, "{\"reason\":\"lost\"}"), fresh, "lost",
			"the old card replaced once more");
	json = xasprintf("{\"patron_card\":\"%s\",\"amount_cents\":100,\"method\":\"cash\"}",
			 card);
	expect_replaced(fx_post(fx, "/payments", json), fresh, "lost", "a payment on the old card");
	free(json);
	char *account = xasprintf("/patrons/%s/account", card);
	expect_replaced(api_call(fx->api, "GET", account, NULL, NULL), fresh, "lost",
			"the old card's account");
	free(account);

	char *new_path = xasprintf("/patrons/%s", fresh);
	r = api_call(fx->api, "GET", new_path, NULL, NULL);
	free(new_path);
	long long loans = -1, fines = -1;
	ok(r->status == 200 && jsonx_int(r->body, "loans_count", &loans) && loans == 1,
	   "the new card has the loan");
	ok(cJSON_GetArraySize(jsonx_array(r->body, "holds")) == 1, "and the hold");
	ok(jsonx_int(r->body, "fines_cents", &fines) && fines == 325,
	   "and the account: 0.75 and the fee of 2.50 (got %lld)", fines);
	api_reply_free(r);
	fx_expect(fx_checkout(fx, fresh, other), 201, NULL, "a check-out on the new card");

	r = replace(fx, fresh, "{\"reason\":\"stolen\"}");
	char *third = new_card_dup(r);
	fx_expect(r, 201, NULL, "the new card stolen in its turn");
	expect_replaced(fx_checkout(fx, card, other), third, "lost",
			"the first card names the card in use now");
	free(third);
	free(fresh);
}

static void test_youth_and_refusals(struct fx *fx)
{
	char card[15];
	long long id = fx_patron(fx, 2, "Mila", "Jansen", "youth", "2038-05-04", card);
	struct api_reply *r = replace(fx, card, "{\"reason\":\"stolen\"}");
	long long fee = -1;
	ok(r->status == 201 && jsonx_int(r->body, "fee_cents", &fee) && fee == 0,
	   "a youth member's stolen card: replaced, no fee");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM charges WHERE patron_id = %lld", id) == 0,
	   "nothing charged");

	fx_patron(fx, 3, "Bram", "Jansen", "adult", "2032-01-01", card);
	fx_expect(replace(fx, card, "{\"reason\":\"vergeten\"}"), 422, "invalid_field",
		  "a reason that is neither lost nor stolen");
	fx_expect(replace(fx, card, "{}"), 422, "invalid_field", "no reason");
	fx_expect(replace(fx, card, "{\"reason\":\"lost\",\"new_card\":\"1\"}"), 422,
		  "invalid_field", "a member the call does not take");
	char bad[15];
	memcpy(bad, card, sizeof bad);
	bad[13] = bad[13] == '9' ? '0' : (char)(bad[13] + 1);
	fx_expect(replace(fx, bad, "{\"reason\":\"lost\"}"), 422, "invalid_field",
		  "a card with a wrong check digit");
	ok(fx_num(fx, "SELECT count(*) FROM replaced_cards WHERE card = '%s'", card) == 0,
	   "none of them replaced the card");
	fx_login(fx, "ido", "CEN");
	fx_expect(replace(fx, card, "{\"reason\":\"lost\"}"), 403, "forbidden",
		  "an IDO volunteer may not");
	fx_login(fx, "balie", "CEN");
}

static void test_own_fee(void)
{
	struct fx fx;
	if (!fx_start(&fx, "replacement_card_fee_adult = 5,00\nreplacement_card_fee_youth = 1\n"))
		return;
	char card[15];
	fx_patron(&fx, 4, "Jet", "Kok", "youth", "2038-05-04", card);
	struct api_reply *r = replace(&fx, card, "{\"reason\":\"lost\"}");
	long long fee = -1;
	ok(jsonx_int(r->body, "fee_cents", &fee) && fee == 100,
	   "the rules file's youth fee: 1.00 (got %lld)", fee);
	api_reply_free(r);
	fx_finish(&fx, tap_failed > 0);
}

int main(void)
{
	struct fx fx;
	if (!fx_start(&fx, NULL))
		return tap_done();
	test_lost(&fx);
	test_youth_and_refusals(&fx);
	fx_finish(&fx, tap_failed > 0);
	test_own_fee();
	return tap_done();
}
