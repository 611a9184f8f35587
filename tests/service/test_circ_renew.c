/* POST /renewals against a real training balied: the new due date (moved off
 * a closed day), the renewal limit, a hold that prevents renewing, the fine
 * for days already overdue; then a balied with its own rules file, one with
 * a bad rules file (refused with file, line, key and reason), and the test
 * clock refused outside training. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned next_item = 1;

struct renewal {
	long status;
	char due[12];
	long long renewals, fine;
	const char *code;
};

static struct renewal renew(struct fx *fx, const char *barcode)
{
	struct renewal n = { .renewals = -1, .fine = -1 };
	struct api_reply *r = fx_renew(fx, barcode);
	n.status = r->status;
	const cJSON *loan = jsonx_object(r->body, "loan");
	snprintf(n.due, sizeof n.due, "%s", jsonx_string(loan, "due_on") ? jsonx_string(loan, "due_on") : "");
	jsonx_int(loan, "renewals", &n.renewals);
	jsonx_int(r->body, "fine_cents", &n.fine);
	static char code[40];
	snprintf(code, sizeof code, "%s", r->error_code ? r->error_code : "");
	n.code = code;
	if (r->error_code && strcmp(r->error_code, "renewal_limit") == 0) {
		long long max = -1;
		jsonx_int(r->error_details, "max_renewals", &max);
		n.renewals = max;
	}
	api_reply_free(r);
	return n;
}

static long long lent_item(struct fx *fx, long long patron, const char *due, char barcode[15])
{
	long long item = fx_item(fx, next_item++, "book", "CEN", barcode);
	fx_loan(fx, item, patron, due);
	return item;
}

static void test_renewals(struct fx *fx, long long patron)
{
	char barcode[15];
	long long item = lent_item(fx, patron, "2031-03-10", barcode);
	struct renewal n = renew(fx, barcode);
	ok(n.status == 200, "a loan is renewed: 200");
	is_str(n.due, "2031-03-24", "21 days from today");
	ok(n.renewals == 1 && n.fine == 0, "renewed once, no fine");
	char *due = fx_text_dup(fx, "SELECT due_on || ' ' || renewals FROM loans WHERE item_id = %lld",
				item);
	is_str(due, "2031-03-24 1", "stored");
	free(due);
	/* Days later, when the due date has come closer: */
	fx_sql(fx, "UPDATE loans SET due_on = '2031-03-12' WHERE item_id = %lld", item);
	n = renew(fx, barcode);
	ok(n.status == 200 && n.renewals == 2, "renewed a second time");
	fx_sql(fx, "UPDATE loans SET due_on = '2031-03-12' WHERE item_id = %lld", item);
	n = renew(fx, barcode);
	ok(n.status == 409 && strcmp(n.code, "renewal_limit") == 0,
	   "a third time: 409 renewal_limit (got %ld %s)", n.status, n.code);
	ok(n.renewals == 2, "details give the limit (2)");

	char other[15];
	long long waiting = fx_patron(fx, 2, "Wim", "Wachter", "adult", "2032-01-01", other);
	item = lent_item(fx, patron, "2031-03-10", barcode);
	fx_hold(fx, waiting, item, "CEN", "waiting", 1);
	n = renew(fx, barcode);
	ok(n.status == 409 && strcmp(n.code, "renewal_blocked_by_hold") == 0,
	   "another patron waits: 409 renewal_blocked_by_hold (got %ld %s)", n.status, n.code);
	due = fx_text_dup(fx, "SELECT due_on || ' ' || renewals FROM loans WHERE item_id = %lld", item);
	is_str(due, "2031-03-10 0", "the loan is unchanged");
	free(due);

	lent_item(fx, patron, "2031-02-21", barcode);
	n = renew(fx, barcode);
	ok(n.status == 200 && n.fine == 200,
	   "an overdue loan renewed: the eight open days of the ten late cost 2.00");
	is_str(n.due, "2031-03-24", "and the new period starts today");

	fx_sql(fx, "INSERT INTO branch_closed_dates (branch_code, date) VALUES ('CEN', '2031-03-24')");
	lent_item(fx, patron, "2031-03-10", barcode);
	n = renew(fx, barcode);
	is_str(n.due, "2031-03-25", "a renewal due on a closed day moves to the next open day");

	fx_item(fx, next_item++, "book", "CEN", barcode);
	fx_expect(fx_renew(fx, barcode), 409, "not_on_loan", "an item on the shelf");
	fx_expect(fx_renew(fx, "31999990099999"), 404, "item_not_found", "an unknown item");
}

/* A second read of the scanner renews nothing more; a blocked patron's
 * renewal is refused like a check-out, and overridable with the permission. */
static void test_again_and_blocked(struct fx *fx)
{
	char card[15], barcode[15];
	long long patron = fx_patron(fx, 41, "Bram", "Blok", "adult", "2032-01-01", card);
	long long item = lent_item(fx, patron, "2031-03-10", barcode);
	struct renewal n = renew(fx, barcode);
	ok(n.status == 200 && n.renewals == 1, "renewed once");
	struct api_reply *r = fx_renew(fx, barcode);
	bool unchanged = false;
	jsonx_bool(r->body, "unchanged", &unchanged);
	ok(r->status == 200 && unchanged, "the same renewal again: 200, unchanged");
	api_reply_free(r);
	char *due = fx_text_dup(fx, "SELECT due_on || ' ' || renewals FROM loans WHERE item_id = %lld",
				item);
	/* (CEN is closed on 24 March since test_renewals.) */
	is_str(due, "2031-03-25 1", "the renewal count stays 1");
	free(due);

	fx_sql(fx, "UPDATE patrons SET manual_block = 'Pas als gestolen gemeld' WHERE id = %lld",
	       patron);
	item = lent_item(fx, patron, "2031-03-10", barcode);
	r = fx_renew(fx, barcode);
	const cJSON *blocks = jsonx_array(r->error_details, "blocks");
	ok(r->status == 409 && r->error_code && strcmp(r->error_code, "patron_blocked") == 0 &&
		   cJSON_GetArraySize(blocks) == 1 &&
		   strcmp(cJSON_GetArrayItem(blocks, 0)->valuestring, "manual_block") == 0,
	   "a blocked patron's renewal: 409 patron_blocked, manual_block (got %ld %s)", r->status,
	   r->error_code ? r->error_code : "");
	ok(r->overridable, "overridable for balie, who holds the permission");
	api_reply_free(r);
	due = fx_text_dup(fx, "SELECT due_on || ' ' || renewals FROM loans WHERE item_id = %lld",
			  item);
	is_str(due, "2031-03-10 0", "the loan is unchanged");
	free(due);

	long long audits = fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'override'");
	char *json = xasprintf("{\"item_barcode\":\"%s\",\"override\":{\"blocks\":"
			       "[\"manual_block\"],\"reason\":\"pas getoond, eigen lener\"}}",
			       barcode);
	r = fx_post(fx, "/renewals", json);
	ok(r->status == 200, "overridden with a reason: 200 (got %ld)", r->status);
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'override'"
		      " AND reason = 'pas getoond, eigen lener'") == 1 &&
		   fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'override'") == audits + 1,
	   "the override is in the audit log with its reason");
	due = fx_text_dup(fx, "SELECT due_on || ' ' || renewals FROM loans WHERE item_id = %lld",
			  item);
	is_str(due, "2031-03-25 1", "and the loan is renewed");
	free(due);

	lent_item(fx, patron, "2031-03-10", barcode);
	fx_sql(fx, "DELETE FROM staff_permissions WHERE staff_id ="
		   " (SELECT id FROM staff WHERE username = 'balie')");
	r = fx_renew(fx, barcode);
	ok(r->status == 409 && !r->overridable, "without the permission: refused, not overridable");
	api_reply_free(r);
	free(json);
	json = xasprintf("{\"item_barcode\":\"%s\",\"override\":{\"blocks\":"
			 "[\"manual_block\"],\"reason\":\"toch\"}}", barcode);
	fx_expect(fx_post(fx, "/renewals", json), 403, "forbidden",
		  "an override without the permission");
	free(json);
	fx_sql(fx, "INSERT INTO staff_permissions (staff_id, permission)"
		   " SELECT id, 'override' FROM staff WHERE username = 'balie'");
}

/* A balied with its own rules: longer loans, one renewal, one loan per
 * adult, fines for youth. */
static void test_own_rules(void)
{
	struct fx fx;
	if (!ok(fx_start(&fx, "# a library's own rules\n"
			      "loan_days_book = 28\n"
			      "max_renewals = 1\n"
			      "max_loans_adult = 1\n"
			      "fine_per_day_youth = 0,10\n"
			      "fine_cap_youth = 0.50\n"),
		"a balied with its own rules file starts")) {
		fx_finish(&fx, true);
		return;
	}
	char card[15], youth[15], barcode[15];
	fx_patron(&fx, 1, "Anna", "de Boer", "adult", "2032-01-01", card);
	long long y = fx_patron(&fx, 2, "Jip", "Jong", "youth", "2035-01-01", youth);
	fx_item(&fx, next_item++, "book", "CEN", barcode);
	struct api_reply *r = fx_checkout(&fx, card, barcode);
	is_str(jsonx_string(jsonx_object(r->body, "loan"), "due_on"), "2031-03-31",
	       "loan_days_book = 28: due 31 March");
	api_reply_free(r);
	fx_sql(&fx, "UPDATE loans SET due_on = '2031-03-20'");
	struct renewal n = renew(&fx, barcode);
	ok(n.status == 200, "max_renewals = 1: one renewal");
	fx_sql(&fx, "UPDATE loans SET due_on = '2031-03-20'");
	n = renew(&fx, barcode);
	ok(n.status == 409 && strcmp(n.code, "renewal_limit") == 0, "and not a second");
	char second[15];
	fx_item(&fx, next_item++, "book", "CEN", second);
	r = fx_checkout(&fx, card, second);
	const cJSON *blocks = jsonx_array(r->error_details, "blocks");
	ok(r->status == 409 && cJSON_GetArraySize(blocks) == 1 &&
	   strcmp(cJSON_GetArrayItem(blocks, 0)->valuestring, "max_loans_reached") == 0,
	   "max_loans_adult = 1: a second loan is blocked");
	api_reply_free(r);
	long long item = fx_item(&fx, next_item++, "book", "CEN", barcode);
	fx_loan(&fx, item, y, "2031-02-21");
	r = fx_checkin(&fx, barcode);
	long long fine = -1;
	ok(jsonx_int(r->body, "fine_cents", &fine) && fine == 50,
	   "youth at 0,10 a day with a cap of 0.50: ten days cost 0.50 (got %lld)", fine);
	api_reply_free(r);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
}

static void test_bad_rules(void)
{
	struct harness h;
	if (!ok(harness_init(&h, NULL), "a directory for a balied with a bad rules file"))
		return;
	char *rules = xasprintf("%s/rules.conf", h.dir);
	h.config = xasprintf("%s/balied.conf", h.dir);
	char *conf = xasprintf("rules = %s\n", rules);
	harness_write_file(rules, "max_loans_adult = 20\nmax_renewals = twee\n");
	harness_write_file(h.config, conf);
	char *out = NULL, *err = NULL;
	int status = harness_run(&h, NULL, &out, &err, "--training", "--listen", "127.0.0.1:0", NULL);
	ok(status == 1, "balied refuses to start (exit %d)", status);
	char *want = xasprintf("%s:2: max_renewals: \"twee\" is not a whole number", rules);
	ok(strstr(err, want) != NULL, "naming the file, the line, the key and the reason: %s", err);
	ok(!strstr(out, "listening"), "and never listens");
	free(want);
	free(out);
	free(err);

	status = harness_run(&h, NULL, &out, &err, "--training", "--rules", "/nonexistent/rules.conf",
			     "--listen", "127.0.0.1:0", NULL);
	ok(status == 1 && strstr(err, "/nonexistent/rules.conf: "),
	   "--rules with a file that is not there: refused, naming it (%s)", err);
	free(out);
	free(err);

	/* The test clock is for training only: a production balied refuses it. */
	char *db = xasprintf("%s/production.db", h.dir);
	status = harness_run(&h, NULL, &out, &err, "--db", db, "--rules", rules, "--listen",
			     "127.0.0.1:0", NULL);
	ok(status == 2 && strstr(err, "BALIED_TEST_TODAY"),
	   "BALIED_TEST_TODAY on a production balied: refused (exit %d: %s)", status, err);
	free(out);
	free(err);
	free(db);
	free(conf);
	free(rules);
	harness_cleanup(&h);
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
	test_renewals(&fx, p);
	test_again_and_blocked(&fx);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	test_own_rules();
	test_bad_rules();
	return tap_done();
}
