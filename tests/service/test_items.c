/* GET /items/{barcode} and POST /inhouse against a real training balied and
 * its SQLite file: the item's title, state, place, due date, the borrower
 * for the desk's role only, the holds waiting on its title, its last
 * check-in and note; in-house use counted in the anonymous statistics with
 * no loan. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/luhn.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static struct api_reply *get_item(struct fx *fx, const char *barcode)
{
	char *path = xasprintf("/items/%s", barcode);
	struct api_reply *r = api_call(fx->api, "GET", path, NULL, NULL);
	free(path);
	return r;
}

static void test_on_loan(struct fx *fx)
{
	char card[15], other[15], barcode[15], copy[15];
	long long p = fx_patron(fx, 1, "Anna", "de Boer", "adult", "2032-01-01", card);
	long long q = fx_patron(fx, 2, "Bram", "Visser", "adult", "2032-01-01", other);
	long long item = fx_item(fx, 1, "book", "NRD", barcode);
	fx_sql(fx, "UPDATE items SET current_branch = 'CEN', note = 'met cd-rom' WHERE id = %lld",
	       item);
	fx_loan(fx, item, p, "2031-03-10");
	long long title = fx_num(fx, "SELECT title_id FROM items WHERE id = %lld", item);
	fx_copy(fx, 2, title, "book", "CEN", copy);
	fx_sql(fx, "INSERT INTO holds (patron_id, title_id, pickup_branch, status, placed_at)"
		   " VALUES (%lld, %lld, 'CEN', 'waiting', 0)", q, title);

	struct api_reply *r = get_item(fx, barcode);
	ok(r->status == 200, "GET /items/{barcode}: 200");
	is_str(jsonx_string(r->body, "barcode"), barcode, "the barcode");
	is_str(jsonx_string(r->body, "title"), "Testboek 1", "the title");
	is_str(jsonx_string(r->body, "author"), "Auteur 1", "the author");
	is_str(jsonx_string(r->body, "item_type"), "book", "the item type");
	is_str(jsonx_string(r->body, "status"), "on_loan", "the status: on loan");
	is_str(jsonx_string(r->body, "home_branch"), "NRD", "the home branch");
	is_str(jsonx_string(r->body, "current_branch"), "CEN", "the current branch");
	is_str(jsonx_string(r->body, "due_on"), "2031-03-10", "the due date");
	const cJSON *b = jsonx_object(r->body, "borrower");
	is_str(jsonx_string(b, "card"), card, "the desk sees the borrower's card");
	is_str(jsonx_string(b, "name"), "Anna de Boer", "and name");
	long long holds = -1;
	ok(jsonx_int(r->body, "holds_waiting", &holds) && holds == 1,
	   "one hold waits on the title");
	is_str(jsonx_string(r->body, "note"), "met cd-rom", "the item's note");
	ok(!jsonx_string(r->body, "last_checkin_on"), "never checked in: no last check-in");
	api_reply_free(r);

	if (ok(fx_login(fx, "beheer", "CEN"), "beheer logs in")) {
		r = get_item(fx, barcode);
		ok(r->status == 200 && !jsonx_object(r->body, "borrower"),
		   "administration sees the item without its borrower");
		is_str(jsonx_string(r->body, "due_on"), "2031-03-10", "but with the due date");
		api_reply_free(r);
		fx_login(fx, "balie", "CEN");
	}

	fx_expect(fx_checkin(fx, barcode), 200, NULL, "the item is checked in");
	r = get_item(fx, barcode);
	is_str(jsonx_string(r->body, "last_checkin_on"), FX_TODAY, "its last check-in: today");
	ok(!jsonx_string(r->body, "due_on") && !jsonx_object(r->body, "borrower"),
	   "no due date and no borrower once returned");
	is_str(jsonx_string(r->body, "status"), "hold_shelf", "the waiting hold took it");
	api_reply_free(r);
}

static void test_refusals(struct fx *fx)
{
	fx_expect(get_item(fx, "31999999999999"), 404, "item_not_found", "an unknown barcode");
	fx_expect(get_item(fx, "%01abc"), 422, "invalid_field", "a barcode with a control character");
	if (ok(fx_login(fx, "ido", "CEN"), "ido logs in")) {
		fx_expect(get_item(fx, "31999999999999"), 403, "forbidden",
			  "the IDO volunteers may not look items up");
		fx_expect(fx_post(fx, "/inhouse", "{\"item_barcode\":\"1\"}"), 403, "forbidden",
			  "nor count in-house use");
		fx_login(fx, "balie", "CEN");
	}
}

static long long in_house_count(struct fx *fx)
{
	return fx_num(fx, "SELECT coalesce(sum(count), 0) FROM loan_stats WHERE day = '%s'"
			  " AND branch_code = 'CEN' AND item_type = 'audiovisual'"
			  " AND action = 'in_house'", FX_TODAY);
}

static void test_in_house(struct fx *fx)
{
	char barcode[15];
	long long item = fx_item(fx, 3, "audiovisual", "CEN", barcode);
	long long before = in_house_count(fx);
	char *body = xasprintf("{\"item_barcode\":\"%s\"}", barcode);
	struct api_reply *r = fx_post(fx, "/inhouse", body);
	ok(r->status == 201, "POST /inhouse: 201");
	bool counted = false;
	ok(jsonx_bool(r->body, "counted", &counted) && counted, "counted");
	is_str(jsonx_string(jsonx_object(r->body, "item"), "title"), "Testboek 3", "with the title");
	api_reply_free(r);
	ok(in_house_count(fx) == before + 1, "one in-house use in the statistics");
	fx_expect(fx_post(fx, "/inhouse", body), 201, NULL, "used again");
	ok(in_house_count(fx) == before + 2, "two now");
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld", item) == 0,
	   "and no loan");
	char *status = fx_text_dup(fx, "SELECT status FROM items WHERE id = %lld", item);
	is_str(status, "available", "the item stays available");
	free(status);
	free(body);
	fx_expect(fx_post(fx, "/inhouse", "{\"item_barcode\":\"31999999999999\"}"), 404,
		  "item_not_found", "in-house use of an unknown barcode");
	fx_expect(fx_post(fx, "/inhouse", "{}"), 422, "invalid_field", "without a barcode");
}

/* item_not_found of a card scanned in the item field says it is a card. */
static bool says_card(struct api_reply *r)
{
	bool card = false;
	bool pass = r->status == 404 && r->error_code && strcmp(r->error_code, "item_not_found") == 0 &&
		    jsonx_bool(r->error_details, "patron_card", &card) && card;
	api_reply_free(r);
	return pass;
}

static void test_card_in_item_field(struct fx *fx)
{
	char card[15], other[15];
	fx_patron(fx, 5, "Cor", "Smit", "adult", "2032-01-01", card);
	fx_patron(fx, 6, "Door", "Smit", "adult", "2032-01-01", other);
	ok(says_card(fx_checkout(fx, card, other)),
	   "a known card scanned as the item of a check-out: item_not_found, patron_card");
	ok(says_card(fx_checkin(fx, other)), "and as the item of a check-in");
	char shaped[15] = "2100012345678";
	shaped[13] = luhn_digit(shaped);
	shaped[14] = '\0';
	ok(says_card(fx_checkin(fx, shaped)),
	   "an unknown card with the library's prefix and a good check digit too");
	struct api_reply *r = fx_checkin(fx, "31999999999999");
	ok(r->status == 404 && !jsonx_object(r->error_details, "patron_card") &&
		   !cJSON_GetObjectItemCaseSensitive(r->error_details, "patron_card"),
	   "an unknown item barcode is only item_not_found");
	api_reply_free(r);
	shaped[13] = shaped[13] == '9' ? '0' : (char)(shaped[13] + 1);
	r = fx_checkin(fx, shaped);
	ok(r->status == 404 && !cJSON_GetObjectItemCaseSensitive(r->error_details, "patron_card"),
	   "a card-like number with a wrong check digit is no card");
	api_reply_free(r);
}

int main(void)
{
	struct fx fx;
	if (!ok(fx_start(&fx, NULL), "a training balied on " FX_TODAY)) {
		fx_finish(&fx, true);
		return tap_done();
	}
	test_on_loan(&fx);
	test_refusals(&fx);
	test_in_house(&fx);
	test_card_in_item_field(&fx);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
