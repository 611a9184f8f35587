/* Backdated check-in (the bookdrop) and amnesty against a real training
 * balied and its SQLite file: a batch checked in as of Saturday, the last
 * day the branch was open, pays the fines of that day and not of today;
 * amnesty checks in without a fine; each needs its permission (403
 * without, nothing changed) and is audited; the dates refused. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define SATURDAY "2031-03-01"

static struct api_reply *checkin_with(struct fx *fx, const char *barcode, const char *extra)
{
	char *json = xasprintf("{\"item_barcode\":\"%s\"%s}", barcode, extra);
	struct api_reply *r = fx_post(fx, "/checkins", json);
	free(json);
	return r;
}

static void grant(struct fx *fx, const char *permission, bool on)
{
	if (on)
		fx_sql(fx, "INSERT OR IGNORE INTO staff_permissions SELECT id, '%s' FROM staff"
			   " WHERE username = 'balie'", permission);
	else
		fx_sql(fx, "DELETE FROM staff_permissions WHERE permission = '%s'", permission);
}

static bool forbidden(struct api_reply *r, const char *permission)
{
	const char *p = jsonx_string(r->error_details, "permission");
	bool pass = r->status == 403 && p && strcmp(p, permission) == 0;
	api_reply_free(r);
	return pass;
}

static long long fine_of(struct api_reply *r)
{
	long long fine = -1;
	if (r->status != 200 || !jsonx_int(r->body, "fine_cents", &fine))
		fine = -1;
	api_reply_free(r);
	return fine;
}

static void test_batch(struct fx *fx, long long p)
{
	char on_time[15], late[15], long_late[15];
	long long a = fx_item(fx, 1, "book", "CEN", on_time);
	long long b = fx_item(fx, 2, "book", "CEN", late);
	long long c = fx_item(fx, 3, "book", "CEN", long_late);
	fx_loan(fx, a, p, SATURDAY);
	fx_loan(fx, b, p, "2031-02-27");
	fx_loan(fx, c, p, "2031-01-02");
	const char *as_of = ",\"effective_on\":\"" SATURDAY "\"";
	grant(fx, "backdate", false);
	ok(forbidden(checkin_with(fx, on_time, as_of), "backdate"),
	   "a backdated check-in without the permission: 403, permission backdate");
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld", a) == 1,
	   "and the loan is still open");
	grant(fx, "backdate", true);
	struct api_reply *r = checkin_with(fx, on_time, as_of);
	is_str(jsonx_string(r->body, "effective_on"), SATURDAY, "the answer names the day");
	ok(fine_of(r) == 0, "due on Saturday, returned as of Saturday: no fine");
	ok(fine_of(checkin_with(fx, late, as_of)) == 50,
	   "due Thursday: two days to Saturday, 50 cents (not the fine of today)");
	ok(fine_of(checkin_with(fx, long_late, as_of)) == 500, "long overdue: the cap, 500 cents");
	ok(fx_num(fx, "SELECT coalesce(sum(amount_cents), 0) FROM charges WHERE patron_id = %lld",
		  p) == 550, "the store has 550 cents of fines");
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE patron_id = %lld", p) == 0,
	   "the three loans are returned");
	ok(fx_num(fx, "SELECT coalesce(sum(count), 0) FROM loan_stats WHERE action = 'checkin'"
		      " AND day = '" SATURDAY "'") >= 3, "counted on the day they count as returned");
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'backdate'"
		      " AND details LIKE '%%" SATURDAY "%%'") == 3, "each audited");
}

static void test_dates(struct fx *fx, long long p)
{
	char barcode[15];
	fx_loan(fx, fx_item(fx, 4, "book", "CEN", barcode), p, "2031-03-10");
	fx_expect(checkin_with(fx, barcode, ",\"effective_on\":\"" FX_TODAY "\""), 422,
		  "invalid_field", "effective_on today");
	fx_expect(checkin_with(fx, barcode, ",\"effective_on\":\"2031-03-04\""), 422,
		  "invalid_field", "effective_on tomorrow");
	fx_expect(checkin_with(fx, barcode, ",\"effective_on\":\"2031-01-15\""), 422,
		  "invalid_field", "more than 31 days back");
	fx_expect(checkin_with(fx, barcode, ",\"effective_on\":\"gisteren\""), 422,
		  "invalid_field", "no date");
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE patron_id = %lld", p) == 1,
	   "the loan is still open");
}

static void test_amnesty(struct fx *fx, long long p)
{
	char barcode[15];
	fx_loan(fx, fx_item(fx, 5, "book", "CEN", barcode), p, "2031-02-27");
	long long before = fx_num(fx, "SELECT coalesce(sum(amount_cents), 0) FROM charges"
				      " WHERE patron_id = %lld", p);
	grant(fx, "amnesty", false);
	ok(forbidden(checkin_with(fx, barcode, ",\"amnesty\":true"), "amnesty"),
	   "amnesty without the permission: 403, permission amnesty");
	fx_expect(checkin_with(fx, barcode, ",\"amnesty\":\"ja\""), 422, "invalid_field",
		  "amnesty that is no boolean");
	grant(fx, "amnesty", true);
	struct api_reply *r = checkin_with(fx, barcode, ",\"amnesty\":true");
	long long waived = -1;
	ok(jsonx_int(r->body, "fine_waived_cents", &waived) && waived > 0,
	   "the fine it would have been: %lld cents", waived);
	ok(fine_of(r) == 0, "amnesty: checked in without a fine");
	ok(fx_num(fx, "SELECT coalesce(sum(amount_cents), 0) FROM charges WHERE patron_id = %lld",
		  p) == before, "nothing charged");
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'amnesty' AND subject = '%s'",
		  barcode) == 1, "audited");
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
	test_batch(&fx, p);
	test_dates(&fx, p);
	test_amnesty(&fx, p);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
