/* POST /checkins against a real training balied and its SQLite file: the
 * route of each item (shelve, hold shelf with the patron's initials, transit
 * to the pickup branch, transit home, and arriving from transit), fines by
 * the day with the cap, none for youth, the loan anonymised on return unless
 * the patron keeps a reading history, and the refusals. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static unsigned next_item = 1;

struct checkin {
	long status;
	long long fine;
	char action[16], branch[8], hold_for[24], pickup_by[12];
	bool returned, again, found;
	char *text; /* the whole answer */
};

static void copy(char *out, size_t len, const char *s)
{
	snprintf(out, len, "%s", s ? s : "");
}

static struct checkin checkin(struct fx *fx, const char *barcode)
{
	struct checkin c = { 0 };
	struct api_reply *r = fx_checkin(fx, barcode);
	c.status = r->status;
	c.fine = -1;
	jsonx_int(r->body, "fine_cents", &c.fine);
	jsonx_bool(r->body, "returned", &c.returned);
	jsonx_bool(r->body, "already_checked_in", &c.again);
	jsonx_bool(r->body, "found", &c.found);
	const cJSON *route = jsonx_object(r->body, "route");
	copy(c.action, sizeof c.action, jsonx_string(route, "action"));
	copy(c.branch, sizeof c.branch, jsonx_string(route, "branch"));
	copy(c.hold_for, sizeof c.hold_for, jsonx_string(route, "hold_for"));
	copy(c.pickup_by, sizeof c.pickup_by, jsonx_string(route, "pickup_by"));
	c.text = r->body ? cJSON_PrintUnformatted(r->body) : xstrdup("");
	api_reply_free(r);
	return c;
}

static long long lent_item(struct fx *fx, const char *home, long long patron, const char *due,
			   char barcode[15])
{
	long long item = fx_item(fx, next_item++, "book", home, barcode);
	fx_loan(fx, item, patron, due);
	return item;
}

static void expect_item(struct fx *fx, long long item, const char *status, const char *where,
			const char *what)
{
	char *v = fx_text_dup(fx, "SELECT status || ' ' || current_branch FROM items WHERE id = %lld",
			      item);
	char *want = xasprintf("%s %s", status, where);
	is_str(v, want, "%s: the item is %s", what, want);
	free(want);
	free(v);
}

static void test_shelve(struct fx *fx, long long patron)
{
	char barcode[15];
	long long before = fx_num(fx, "SELECT coalesce(sum(count), 0) FROM loan_stats WHERE day = '%s'"
				      " AND branch_code = 'CEN' AND item_type = 'book'"
				      " AND patron_category = 'adult' AND action = 'checkin'", FX_TODAY);
	long long item = lent_item(fx, "CEN", patron, "2031-03-10", barcode);
	struct checkin c = checkin(fx, barcode);
	ok(c.status == 200, "an item of this branch, on time: 200");
	is_str(c.action, "shelve", "the route: shelve");
	ok(c.fine == 0 && c.returned, "no fine; returned");
	ok(!strstr(c.text, "\"branch\"") && !strstr(c.text, "hold_for"),
	   "no branch and no patron in a shelve route");
	expect_item(fx, item, "available", "CEN", "shelved");
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld", item) == 0,
	   "the loan is gone: nothing ties the item to its borrower");
	ok(fx_num(fx, "SELECT coalesce(sum(count), 0) FROM loan_stats WHERE day = '%s'"
		      " AND branch_code = 'CEN' AND item_type = 'book' AND patron_category = 'adult'"
		      " AND action = 'checkin'", FX_TODAY) == before + 1,
	   "only a count in the anonymous statistics remains");
	free(c.text);
}

static void test_transit_home(struct fx *fx, long long patron)
{
	char barcode[15];
	long long item = lent_item(fx, "ZUI", patron, "2031-03-10", barcode);
	struct checkin c = checkin(fx, barcode);
	is_str(c.action, "transit", "an item of Zuid returned at CEN: transit");
	is_str(c.branch, "ZUI", "to its home, Zuid");
	expect_item(fx, item, "in_transit", "CEN", "on its way home");
	free(c.text);
	if (!ok(fx_login(fx, "balie", "ZUI"), "balie logs in at Zuid"))
		return;
	c = checkin(fx, barcode);
	ok(c.status == 200 && !c.returned, "scanned at Zuid it arrives: 200, no loan returned");
	is_str(c.action, "shelve", "and goes on the shelf");
	expect_item(fx, item, "available", "ZUI", "home again");
	free(c.text);
	fx_login(fx, "balie", "CEN");
}

static void test_holds(struct fx *fx, long long borrower)
{
	char card[15], barcode[15];
	long long holder = fx_patron(fx, 10, "daan", "van den Berg", "adult", "2032-01-01", card);
	long long item = lent_item(fx, "CEN", borrower, "2031-03-10", barcode);
	fx_hold(fx, holder, item, "CEN", "waiting", 3);
	struct checkin c = checkin(fx, barcode);
	is_str(c.action, "hold_shelf", "a hold waits here: the hold shelf");
	is_str(c.branch, "CEN", "of this branch");
	is_str(c.hold_for, "D.B.", "for the initials D.B. (van den Berg files under B)");
	/* Seven open days of CEN (Monday to Saturday): Sunday 9 March does not count. */
	is_str(c.pickup_by, "2031-03-11", "to be fetched within 7 open days");
	ok(!strstr(c.text, "Berg") && !strstr(c.text, "aan") && !strstr(c.text, card),
	   "the answer holds no name and no card");
	expect_item(fx, item, "hold_shelf", "CEN", "on the hold shelf");
	char *v = fx_text_dup(fx, "SELECT status || ' ' || pickup_by FROM holds WHERE item_id = %lld",
			      item);
	is_str(v, "ready 2031-03-11", "the hold is ready, with its last day");
	free(v);
	free(c.text);

	/* Two holds: the older one is first in line. */
	char card2[15];
	long long second = fx_patron(fx, 11, "Zoë", "Yılmaz", "youth", "2035-01-01", card2);
	item = lent_item(fx, "CEN", borrower, "2031-03-10", barcode);
	fx_hold(fx, holder, item, "NRD", "waiting", 2);
	fx_hold(fx, second, item, "CEN", "waiting", 5);
	c = checkin(fx, barcode);
	is_str(c.action, "hold_shelf", "of two holds the older one (at CEN) counts");
	is_str(c.hold_for, "Z.Y.", "initials of non-ASCII names: Z.Y.");
	free(c.text);

	item = lent_item(fx, "CEN", borrower, "2031-03-10", barcode);
	fx_hold(fx, holder, item, "NRD", "waiting", 1);
	c = checkin(fx, barcode);
	is_str(c.action, "transit", "a hold for pickup at Noord: transit");
	is_str(c.branch, "NRD", "to Noord");
	ok(!c.hold_for[0], "a transit route names no patron");
	expect_item(fx, item, "in_transit", "CEN", "on its way to Noord");
	v = fx_text_dup(fx, "SELECT status FROM holds WHERE item_id = %lld", item);
	is_str(v, "in_transit", "the hold is in transit");
	free(v);
	free(c.text);
	if (!ok(fx_login(fx, "balie", "NRD"), "balie logs in at Noord"))
		return;
	c = checkin(fx, barcode);
	ok(c.status == 200 && !c.returned, "scanned at Noord it arrives");
	is_str(c.action, "hold_shelf", "and goes on Noord's hold shelf");
	is_str(c.hold_for, "D.B.", "for D.B.");
	expect_item(fx, item, "hold_shelf", "NRD", "on Noord's hold shelf");
	free(c.text);
	fx_login(fx, "balie", "CEN");
}

static long long fines_of(struct fx *fx, const char *card)
{
	char *path = xasprintf("/patrons/%s", card);
	struct api_reply *r = api_call(fx->api, "GET", path, NULL, NULL);
	long long fines = -1;
	jsonx_int(r->body, "fines_cents", &fines);
	api_reply_free(r);
	free(path);
	return fines;
}

static void test_fines(struct fx *fx)
{
	static const struct {
		const char *due, *what;
		long long fine;
	} cases[] = {
		{ "2031-03-03", "due today", 0 },
		{ "2031-03-02", "one day late: 0.25", 25 },
		{ "2031-02-21", "ten days late: 2.50", 250 },
		{ "2031-02-12", "19 days late: 4.75", 475 },
		{ "2031-02-11", "20 days late: 5.00, the cap", 500 },
		{ "2031-01-01", "61 days late: still 5.00", 500 },
	};
	char card[15], barcode[15];
	long long p = fx_patron(fx, 20, "Fred", "Laat", "adult", "2032-01-01", card);
	long long total = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		lent_item(fx, "CEN", p, cases[i].due, barcode);
		struct checkin c = checkin(fx, barcode);
		ok(c.status == 200 && c.fine == cases[i].fine, "an adult, %s (got %lld)", cases[i].what,
		   c.fine);
		total += cases[i].fine;
		free(c.text);
	}
	ok(fines_of(fx, card) == total, "the patron's fines add up to %lld", total);
	ok(fx_num(fx, "SELECT count(*) FROM charges WHERE patron_id = %lld AND item_barcode IS NOT NULL",
		  p) == 5, "one fine row per late item, with its barcode");

	long long y = fx_patron(fx, 21, "Jip", "Jong", "youth", "2035-01-01", card);
	lent_item(fx, "CEN", y, "2031-01-01", barcode);
	struct checkin c = checkin(fx, barcode);
	ok(c.status == 200 && c.fine == 0, "a youth member, 61 days late: no fine");
	ok(fines_of(fx, card) == 0, "and no fines on the card");
	free(c.text);
}

static void test_history(struct fx *fx)
{
	char card[15], barcode[15];
	long long p = fx_patron(fx, 30, "Hilde", "Historie", "adult", "2032-01-01", card);
	fx_sql(fx, "UPDATE patrons SET keep_history = 1 WHERE id = %lld", p);
	long long item = lent_item(fx, "CEN", p, "2031-03-10", barcode);
	struct checkin c = checkin(fx, barcode);
	ok(c.status == 200, "a patron who keeps a reading history returns an item");
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld AND patron_id = %lld"
		      " AND returned_at IS NOT NULL", item, p) == 1,
	   "the loan stays, marked returned");
	free(c.text);
}

static long long checkin_count(struct fx *fx)
{
	return fx_num(fx, "SELECT coalesce(sum(count), 0) FROM loan_stats WHERE day = '%s'"
			  " AND branch_code = 'CEN' AND action = 'checkin'", FX_TODAY);
}

/* The same item scanned twice at check-in, a missing item that turns up, an
 * item already on the hold shelf. */
static void test_again(struct fx *fx, long long patron)
{
	char barcode[15];
	long long item = lent_item(fx, "ZUI", patron, "2031-03-10", barcode);
	struct checkin c = checkin(fx, barcode);
	ok(c.status == 200 && c.returned && !c.again, "an item of Zuid is returned at CEN");
	free(c.text);
	long long counted = checkin_count(fx);
	c = checkin(fx, barcode);
	ok(c.status == 200 && c.again && !c.returned,
	   "scanned again at CEN: 200, already checked in (%s)", c.text);
	is_str(c.action, "transit", "the route is still transit");
	is_str(c.branch, "ZUI", "to Zuid");
	ok(checkin_count(fx) == counted, "and it is not counted again");
	expect_item(fx, item, "in_transit", "CEN", "unchanged");
	free(c.text);

	item = fx_item(fx, next_item++, "book", "CEN", barcode);
	fx_sql(fx, "UPDATE items SET status = 'missing' WHERE id = %lld", item);
	long long audits = fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'item_found'");
	c = checkin(fx, barcode);
	ok(c.status == 200 && c.found && !c.returned,
	   "a missing item checked in: 200, found (%s)", c.text);
	is_str(c.action, "shelve", "it goes on the shelf");
	expect_item(fx, item, "available", "CEN", "available again");
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'item_found'"
		      " AND subject = '%s'", barcode) == 1 &&
		   fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'item_found'") ==
			   audits + 1,
	   "one audit row item_found names the item");
	free(c.text);

	char other[15];
	long long waiting = fx_patron(fx, 31, "Daan", "van den Berg", "adult", "2032-01-01", other);
	item = lent_item(fx, "CEN", patron, "2031-03-10", barcode);
	fx_hold(fx, waiting, item, "CEN", "waiting", 1);
	c = checkin(fx, barcode);
	is_str(c.action, "hold_shelf", "an item a patron waits for goes to the hold shelf");
	free(c.text);
	counted = checkin_count(fx);
	c = checkin(fx, barcode);
	ok(c.status == 200 && c.again, "scanned again from the hold shelf: 200, already checked in");
	is_str(c.action, "hold_shelf", "the route: the hold shelf");
	is_str(c.hold_for, "D.B.", "for D.B.");
	is_str(c.pickup_by, "2031-03-11", "until the last day to fetch it");
	ok(checkin_count(fx) == counted, "not counted again");
	expect_item(fx, item, "hold_shelf", "CEN", "still on the hold shelf");
	free(c.text);
}

static void test_refusals(struct fx *fx, long long patron)
{
	char barcode[15];
	fx_item(fx, next_item++, "book", "CEN", barcode);
	fx_expect(fx_checkin(fx, barcode), 409, "not_on_loan", "an item on the shelf");
	fx_expect(fx_checkin(fx, "31999990099999"), 404, "item_not_found", "an unknown item");
	fx_expect(fx_post(fx, "/checkins", "{}"), 422, "invalid_field", "no item_barcode");
	fx_expect(fx_post(fx, "/checkins", "{\"item_barcode\":42}"), 422, "invalid_field",
		  "a barcode that is a number");

	char key[UUID_STR_LEN];
	uuid_v4(key);
	lent_item(fx, "CEN", patron, "2031-02-21", barcode);
	char *json = xasprintf("{\"item_barcode\":\"%s\"}", barcode);
	struct api_reply *a = fx_post_key(fx, "/checkins", json, key);
	struct api_reply *b = fx_post_key(fx, "/checkins", json, key);
	ok(a->status == 200 && b->status == 200 && cJSON_Compare(a->body, b->body, true),
	   "a check-in sent twice with one key: the same answer, not not_on_loan");
	ok(fx_num(fx, "SELECT count(*) FROM charges WHERE item_barcode = '%s'", barcode) == 1,
	   "and one fine, not two");
	api_reply_free(a);
	api_reply_free(b);
	free(json);
}

/* A desk's offline queue replays what happened days ago: the rules apply as
 * of then. */
static void test_offline(struct fx *fx, long long patron, const char *card)
{
	/* the desk's sessions on those mornings, in which the work was done */
	fx_session_at(fx, "balie", "2031-02-21T08:30:00Z");
	fx_session_at(fx, "balie", "2031-03-01T08:30:00Z");
	char barcode[15];
	lent_item(fx, "CEN", patron, "2031-02-19", barcode);
	char *json = xasprintf("{\"item_barcode\":\"%s\",\"occurred_at\":\"2031-02-21T10:00:00Z\","
			       "\"offline\":true}", barcode);
	struct api_reply *r = fx_post(fx, "/checkins", json);
	long long fine = -1;
	ok(r->status == 200 && jsonx_int(r->body, "fine_cents", &fine) && fine == 50,
	   "returned offline two days late (twelve by now): 0.50, as of then (got %lld)", fine);
	api_reply_free(r);
	free(json);

	fx_item(fx, next_item++, "book", "CEN", barcode);
	json = xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"%s\","
			 "\"occurred_at\":\"2031-03-01T10:00:00Z\",\"offline\":true}", card, barcode);
	r = fx_post(fx, "/checkouts", json);
	is_str(jsonx_string(jsonx_object(r->body, "loan"), "due_on"), "2031-03-22",
	       "lent offline on Saturday 1 March: due 21 days after that day");
	api_reply_free(r);
	free(json);

	fx_item(fx, next_item++, "book", "CEN", barcode);
	json = xasprintf("{\"item_barcode\":\"%s\",\"occurred_at\":\"gisteren\"}", barcode);
	r = fx_post(fx, "/checkins", json);
	ok(r->status == 422 && jsonx_string(r->error_details, "reason") &&
	   strcmp(jsonx_string(r->error_details, "reason"), "not_an_instant") == 0,
	   "occurred_at that is not an instant: 422 not_an_instant");
	api_reply_free(r);
	free(json);
	json = xasprintf("{\"item_barcode\":\"%s\",\"occurred_at\":\"2031-03-05T10:00:00Z\"}",
			 barcode);
	r = fx_post(fx, "/checkins", json);
	ok(r->status == 422 && jsonx_string(r->error_details, "reason") &&
	   strcmp(jsonx_string(r->error_details, "reason"), "in_the_future") == 0,
	   "occurred_at in the future: 422 in_the_future");
	api_reply_free(r);
	free(json);
}

int main(void)
{
	struct fx fx;
	if (!ok(fx_start(&fx, NULL), "a training balied on " FX_TODAY)) {
		fx_finish(&fx, true);
		return tap_done();
	}
	char card[15];
	long long p = fx_patron(&fx, 1, "Anna", "de Boer", "adult", "2032-01-01", card);
	test_shelve(&fx, p);
	test_transit_home(&fx, p);
	test_holds(&fx, p);
	test_fines(&fx);
	test_history(&fx);
	test_refusals(&fx, p);
	test_again(&fx, p);
	test_offline(&fx, p, card);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
