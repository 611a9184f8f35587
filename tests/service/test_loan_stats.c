/* GET /stats/loans and /stats/loans.csv against a real training balied and
 * its SQLite file: loans, renewals, returns and in-house use of a period
 * counted from the anonymous rows, per day, branch, item type and patron
 * category; the desk sees its own branch, administration every branch and
 * the CSV of the data delivery; the refusals of the period. */
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

static long long count_of(const cJSON *obj, const char *action)
{
	long long n = -1;
	return jsonx_int(obj, action, &n) ? n : -1;
}

/* The entry of list whose code is code, or NULL. */
static const cJSON *entry(const cJSON *root, const char *list, const char *code)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, jsonx_array(root, list)) {
		const char *c = jsonx_string(e, "code");
		if (c && strcmp(c, code) == 0)
			return e;
	}
	return NULL;
}

static void activity(struct fx *fx)
{
	char card[15], a[15], b[15], c[15];
	fx_patron(fx, 1, "Anna", "de Boer", "adult", "2032-01-01", card);
	fx_item(fx, 1, "book", "CEN", a);
	fx_item(fx, 2, "audiovisual", "CEN", b);
	fx_item(fx, 3, "game", "CEN", c);
	fx_expect(fx_checkout(fx, card, a), 201, NULL, "a book lent");
	fx_expect(fx_checkout(fx, card, b), 201, NULL, "a film lent");
	/* Renewing today moves nothing: a loan due on the 10th is renewed. */
	fx_sql(fx, "UPDATE loans SET due_on = '2031-03-05' WHERE item_id = (SELECT id FROM items"
		   " WHERE barcode = '%s')", b);
	fx_expect(fx_renew(fx, b), 200, NULL, "the film renewed");
	fx_expect(fx_checkin(fx, a), 200, NULL, "the book back");
	char *body = xasprintf("{\"item_barcode\":\"%s\"}", c);
	fx_expect(fx_post(fx, "/inhouse", body), 201, NULL, "the game used in the library");
	free(body);
	/* Rows of other days and another branch, as the statistics keep them. */
	fx_sql(fx, "INSERT INTO loan_stats VALUES ('2031-03-01', 'CEN', 'book', 'youth', 'checkout', 4),"
		   " ('2031-03-01', 'NRD', 'book', 'adult', 'checkout', 7),"
		   " ('2031-02-27', 'CEN', 'book', 'adult', 'checkout', 9)");
}

static void test_counts(struct fx *fx)
{
	struct api_reply *r = get(fx, "/stats/loans?from=2031-03-01&to=2031-03-03");
	ok(r->status == 200, "GET /stats/loans: 200");
	is_str(jsonx_string(r->body, "branch"), "CEN", "the desk sees its own branch");
	const cJSON *t = jsonx_object(r->body, "total");
	ok(count_of(t, "checkout") == 6 && count_of(t, "renewal") == 1 &&
		   count_of(t, "checkin") == 1 && count_of(t, "in_house") == 1,
	   "totals of CEN: 6 loans, 1 renewal, 1 return, 1 in-house use");
	ok(count_of(entry(r->body, "by_day", "2031-03-01"), "checkout") == 4 &&
		   count_of(entry(r->body, "by_day", "2031-03-03"), "checkout") == 2,
	   "by day");
	ok(!entry(r->body, "by_day", "2031-02-27"), "not before the period");
	ok(count_of(entry(r->body, "by_item_type", "game"), "in_house") == 1 &&
		   count_of(entry(r->body, "by_item_type", "book"), "checkout") == 5,
	   "by item type");
	ok(count_of(entry(r->body, "by_category", "youth"), "checkout") == 4 &&
		   count_of(entry(r->body, "by_category", "none"), "in_house") == 1,
	   "by patron category (in-house use has none)");
	ok(!entry(r->body, "by_branch", "NRD"), "no other branch");
	api_reply_free(r);
	fx_expect(get(fx, "/stats/loans?branch=NRD"), 403, "forbidden",
		  "the desk may not see another branch");
	fx_expect(get(fx, "/stats/loans?from=03-03-2031"), 422, "invalid_field", "a from that is no date");
	fx_expect(get(fx, "/stats/loans?from=2031-03-03&to=2031-03-01"), 422, "invalid_field",
		  "a period that ends before it begins");
	fx_expect(get(fx, "/stats/loans.csv"), 403, "forbidden", "the desk may not export");
}

static void test_beheer(struct fx *fx)
{
	if (!ok(fx_login(fx, "beheer", "CEN"), "beheer logs in"))
		return;
	struct api_reply *r = get(fx, "/stats/loans?from=2031-03-01&to=2031-03-03");
	ok(r->status == 200 && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r->body, "branch")),
	   "administration sees every branch");
	ok(count_of(entry(r->body, "by_branch", "NRD"), "checkout") == 7, "NRD's loans by branch");
	ok(count_of(jsonx_object(r->body, "total"), "checkout") == 13, "13 loans in all");
	api_reply_free(r);
	r = get(fx, "/stats/loans.csv?from=2031-03-01&to=2031-03-03&branch=NRD");
	ok(r->status == 200 && r->text, "GET /stats/loans.csv: 200, a CSV");
	ok(r->text && strstr(r->text, "dag;vestiging;soort;categorie;actie;aantal\r\n"),
	   "with its Dutch header");
	ok(r->text && strstr(r->text, "2031-03-01;NRD;book;adult;uitlening;7\r\n") &&
		   !strstr(r->text, ";CEN;"),
	   "one line per day, branch, type, category and action, of the branch asked for");
	api_reply_free(r);
	r = get(fx, "/stats/loans.csv?from=2031-03-03&to=2031-03-03");
	ok(r->text && strstr(r->text, "2031-03-03;CEN;game;none;ter inzage;1\r\n") &&
		   strstr(r->text, ";verlenging;1\r\n") && strstr(r->text, ";inname;1\r\n"),
	   "in-house use, renewals and returns in their Dutch names");
	api_reply_free(r);
	fx_login(fx, "balie", "CEN");
}

int main(void)
{
	struct fx fx;
	if (!ok(fx_start(&fx, NULL), "a training balied on " FX_TODAY)) {
		fx_finish(&fx, true);
		return tap_done();
	}
	fx_sql(&fx, "DELETE FROM loan_stats");
	activity(&fx);
	test_counts(&fx);
	test_beheer(&fx);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
