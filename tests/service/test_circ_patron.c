/* GET /patrons/{card} and GET /patrons?q=&birth_date= against a real
 * training balied, and the ido role refused on every circulation call. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static struct api_reply *get(struct fx *fx, const char *path)
{
	return api_call(fx->api, "GET", path, NULL, NULL);
}

static void test_show(struct fx *fx)
{
	char card[15], barcode[15], held[15];
	long long p = fx_patron(fx, 1, "Anna", "de Boer", "adult", "2032-01-01", card);
	long long late = fx_item(fx, 1, "book", "CEN", barcode);
	fx_loan(fx, late, p, "2031-02-21");
	long long item = fx_item(fx, 2, "audiovisual", "CEN", barcode);
	fx_loan(fx, item, p, "2031-03-10");
	item = fx_item(fx, 3, "book", "NRD", held);
	fx_sql(fx, "INSERT INTO holds (patron_id, item_id, pickup_branch, status, placed_at,"
		   " ready_since, pickup_by) VALUES (%lld, %lld, 'NRD', 'ready',"
		   " strftime('%%s', '2031-03-01 12:00:00'), strftime('%%s', '2031-03-01 12:00:00'),"
		   " '2031-03-08')", p, item);
	fx_sql(fx, "INSERT INTO charges (patron_id, kind, amount_cents, created_at)"
		   " VALUES (%lld, 'overdue_fine', 325, 0)", p);
	char waited[15];
	fx_hold(fx, p, fx_item(fx, 4, "book", "CEN", waited), "ZUI", "waiting", 2);

	char *path = xasprintf("/patrons/%s", card);
	struct api_reply *r = get(fx, path);
	free(path);
	ok(r->status == 200, "GET /patrons/{card}: 200");
	is_str(jsonx_string(r->body, "card"), card, "the card");
	is_str(jsonx_string(r->body, "name"), "Anna de Boer", "the name");
	is_str(jsonx_string(r->body, "category"), "adult", "the category");
	is_str(jsonx_string(r->body, "home_branch"), "CEN", "the home branch");
	is_str(jsonx_string(r->body, "expires_on"), "2032-01-01", "the card's expiry");
	long long fines = -1, count = -1;
	ok(jsonx_int(r->body, "fines_cents", &fines) && fines == 325, "fines: 325 cents");
	ok(jsonx_int(r->body, "loans_count", &count) && count == 2, "two loans");
	ok(cJSON_GetArraySize(jsonx_array(r->body, "blocks")) == 0, "no blocks");
	const cJSON *loans = jsonx_array(r->body, "loans");
	const cJSON *first = cJSON_GetArrayItem(loans, 0), *second = cJSON_GetArrayItem(loans, 1);
	bool overdue = false;
	is_str(jsonx_string(first, "due_on"), "2031-02-21", "loans by due date: the late one first");
	ok(jsonx_bool(first, "overdue", &overdue) && overdue, "marked overdue");
	ok(jsonx_bool(second, "overdue", &overdue) && !overdue, "the other is not");
	is_str(jsonx_string(first, "title"), "Testboek 1", "each loan with its title");
	long long renewals = -1;
	ok(jsonx_int(first, "renewals", &renewals) && renewals == 0, "and its renewals");
	const cJSON *ready = cJSON_GetArrayItem(jsonx_array(r->body, "holds_ready"), 0);
	is_str(jsonx_string(ready, "item_barcode"), held, "a hold ready: the item");
	is_str(jsonx_string(ready, "title"), "Testboek 3", "its title");
	is_str(jsonx_string(ready, "pickup_branch"), "NRD", "the pickup branch");
	is_str(jsonx_string(ready, "ready_since"), "2031-03-01", "ready since");
	is_str(jsonx_string(ready, "pickup_by"), "2031-03-08", "to fetch by");
	const cJSON *holds = jsonx_array(r->body, "holds");
	ok(cJSON_GetArraySize(holds) == 2, "holds: every open hold, waiting ones too (%d)",
	   cJSON_GetArraySize(holds));
	/* The waiting hold was placed two days before today, the ready one on
	 * 1 March: the waiting one comes first. */
	const cJSON *h0 = cJSON_GetArrayItem(holds, 0), *h1 = cJSON_GetArrayItem(holds, 1);
	is_str(jsonx_string(h0, "item_barcode"), waited, "by the time placed: the waiting one first");
	is_str(jsonx_string(h0, "status"), "waiting", "with its state: waiting");
	is_str(jsonx_string(h0, "pickup_branch"), "ZUI", "and its pickup branch");
	is_str(jsonx_string(h0, "pickup_by"), "", "no date to fetch it by yet");
	is_str(jsonx_string(h1, "status"), "ready", "the ready one: ready");
	is_str(jsonx_string(h1, "item_barcode"), held, "on the held item");
	api_reply_free(r);

	fx_sql(fx, "UPDATE patrons SET expires_on = '2031-03-01', manual_block = 'Adres onbekend'"
		   " WHERE id = %lld", p);
	fx_sql(fx, "INSERT INTO charges (patron_id, kind, amount_cents, created_at)"
		   " VALUES (%lld, 'overdue_fine', 700, 0)", p);
	path = xasprintf("/patrons/%s", card);
	r = get(fx, path);
	free(path);
	const cJSON *blocks = jsonx_array(r->body, "blocks");
	char *text = blocks ? cJSON_PrintUnformatted(blocks) : xstrdup("");
	is_str(text, "[\"card_expired\",\"fines_over_limit\",\"manual_block\"]",
	       "blocks as codes: expired, fines over the limit, by hand");
	is_str(jsonx_string(r->body, "manual_block"), "Adres onbekend", "with the reason of the block by hand");
	free(text);
	api_reply_free(r);

	fx_expect(get(fx, "/patrons/21999000099992"), 404, "patron_not_found", "an unknown card");
	struct api_reply *bad = get(fx, "/patrons/21999000099999");
	const char *field = jsonx_string(bad->error_details, "field");
	const char *why = jsonx_string(bad->error_details, "reason");
	ok(bad->status == 422 && field && strcmp(field, "card") == 0 && why &&
		   strcmp(why, "check_digit") == 0,
	   "a card with a wrong check digit: 422 invalid_field card, check_digit (got %ld %s)",
	   bad->status, bad->error_code ? bad->error_code : "");
	api_reply_free(bad);
}

static size_t found(struct fx *fx, const char *path, const char *card)
{
	struct api_reply *r = get(fx, path);
	const cJSON *list = jsonx_array(r->body, "patrons");
	size_t n = (size_t)cJSON_GetArraySize(list);
	bool has = !card;
	const cJSON *p;
	cJSON_ArrayForEach(p, list) {
		const char *c = jsonx_string(p, "card");
		has = has || (c && strcmp(c, card) == 0);
	}
	api_reply_free(r);
	return has ? n : 0;
}

static void test_search(struct fx *fx)
{
	char card[15], twin[15];
	fx_patron(fx, 10, "Sanne", "Zoekvelt", "adult", "2032-01-01", card);
	fx_patron(fx, 11, "Sem", "Zoekvelt", "youth", "2035-01-01", twin);
	ok(found(fx, "/patrons?q=zoekvelt", card) == 2, "q=zoekvelt: both Zoekvelts, case-insensitive");
	ok(found(fx, "/patrons?q=SANNE%20zoek", card) == 1, "two words: both must match");
	ok(found(fx, "/patrons?q=zoekvelt&birth_date=1980-05-05", card) == 1,
	   "with the date of birth: only Sanne");
	ok(found(fx, "/patrons?birth_date=2020-05-05", twin) >= 1, "by date of birth alone");
	ok(found(fx, "/patrons?q=%25", NULL) == 0, "a typed %% is no wildcard");
	struct api_reply *r = get(fx, "/patrons?q=zoekvelt");
	const cJSON *p = cJSON_GetArrayItem(jsonx_array(r->body, "patrons"), 0);
	is_str(jsonx_string(p, "name"), "Sanne Zoekvelt", "a hit has the name");
	is_str(jsonx_string(p, "birth_date"), "1980-05-05", "the date of birth");
	is_str(jsonx_string(p, "category"), "adult", "and the category");
	api_reply_free(r);

	for (unsigned i = 0; i < 55; i++) {
		char many[15];
		fx_patron(fx, 100 + i, "Veel", "Naamgenoot", "adult", "2032-01-01", many);
	}
	r = get(fx, "/patrons?q=naamgenoot");
	bool truncated = false;
	ok(cJSON_GetArraySize(jsonx_array(r->body, "patrons")) == 50 &&
	   jsonx_bool(r->body, "truncated", &truncated) && truncated,
	   "a search matching more than 50: 50, and truncated");
	api_reply_free(r);
	fx_expect(get(fx, "/patrons"), 422, "invalid_field", "no q and no birth_date");
	fx_expect(get(fx, "/patrons?birth_date=05-05-1980"), 422, "invalid_field",
		  "a birth_date not as YYYY-MM-DD");
}

static void test_ido(struct fx *fx)
{
	char card[15], barcode[15];
	fx_patron(fx, 20, "Ida", "Dogrens", "adult", "2032-01-01", card);
	fx_item(fx, 20, "book", "NRD", barcode);
	if (!ok(fx_login(fx, "ido", "NRD"), "ido logs in"))
		return;
	char *path = xasprintf("/patrons/%s", card);
	fx_expect(get(fx, path), 403, "forbidden", "ido: GET /patrons/{card}");
	free(path);
	fx_expect(get(fx, "/patrons?q=dogrens"), 403, "forbidden", "ido: GET /patrons?q=");
	fx_expect(fx_checkout(fx, card, barcode), 403, "forbidden", "ido: POST /checkouts");
	fx_expect(fx_checkin(fx, barcode), 403, "forbidden", "ido: POST /checkins");
	fx_expect(fx_renew(fx, barcode), 403, "forbidden", "ido: POST /renewals");
	ok(fx_num(fx, "SELECT count(*) FROM loans l JOIN items i ON i.id = l.item_id"
		      " WHERE i.barcode = '%s'", barcode) == 0, "and nothing was lent");
	if (ok(fx_login(fx, "beheer", "CEN"), "beheer logs in")) {
		struct api_reply *r = fx_checkout(fx, card, barcode);
		ok(r->status == 201, "beheer may lend: 201");
		api_reply_free(r);
	}
}

int main(void)
{
	struct fx fx;
	if (!ok(fx_start(&fx, NULL), "a training balied on " FX_TODAY)) {
		fx_finish(&fx, true);
		return tap_done();
	}
	test_show(&fx);
	test_search(&fx);
	test_ido(&fx);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
