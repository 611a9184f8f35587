/* occurred_at of a replayed offline call must be a real instant of the
 * calendar, no more than a few minutes ahead of the service's clock and no
 * further back than the Idempotency-Keys are kept (30 days): a desk whose
 * clock was reset to 2001 must not lend an item as due in 2001 and fine it
 * on return. It must also lie within a session of the same staff member at
 * the same terminal (a log-in, then token_lifetime_seconds, five minutes of
 * slack either side): work from outside every session is work without a
 * log-in. Each refusal is invalid_field "occurred_at" with its reason, and
 * changes nothing. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static unsigned next_item = 1;

static void refused(struct fx *fx, const char *card, const char *at, const char *why,
		    const char *what)
{
	char barcode[15];
	long long item = fx_item(fx, next_item++, "book", "CEN", barcode);
	char *json = xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"%s\","
			       "\"occurred_at\":\"%s\",\"offline\":true}", card, barcode, at);
	struct api_reply *r = fx_post(fx, "/checkouts", json);
	const char *field = jsonx_string(r->error_details, "field");
	const char *reason = jsonx_string(r->error_details, "reason");
	ok(r->status == 422 && r->error_code && strcmp(r->error_code, "invalid_field") == 0 &&
	   field && strcmp(field, "occurred_at") == 0 && reason && strcmp(reason, why) == 0,
	   "%s (%s): 422 invalid_field occurred_at %s (got %ld %s %s)", what, at, why, r->status,
	   r->error_code ? r->error_code : "", reason ? reason : "");
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld", item) == 0,
	   "%s: no loan is stored", what);
	api_reply_free(r);
	free(json);
}

/* A check-out replayed as of at: its due date, allocated, or NULL when
 * refused. */
static char *lent_due_dup(struct fx *fx, const char *card, const char *at)
{
	char barcode[15];
	fx_item(fx, next_item++, "book", "CEN", barcode);
	char *json = xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"%s\","
			       "\"occurred_at\":\"%s\",\"offline\":true}", card, barcode, at);
	struct api_reply *r = fx_post(fx, "/checkouts", json);
	const char *due = r->status == 201 ? jsonx_string(jsonx_object(r->body, "loan"), "due_on")
					   : NULL;
	char *copy = due ? xstrdup(due) : NULL;
	if (!copy)
		diag("the check-out as of %s: %ld %s", at, r->status,
		     r->error_code ? r->error_code : "");
	api_reply_free(r);
	free(json);
	return copy;
}

static void lent_on(struct fx *fx, const char *card, const char *at, const char *due,
		    const char *what)
{
	char *got = lent_due_dup(fx, card, at);
	is_str(got, due, "%s (%s): lent, due %s", what, at, due);
	free(got);
}

/* balie's only sessions before today's (the fixture's log-in, now): one at
 * terminal test-1 on 5 February at 08:00 UTC, twelve hours long by default,
 * and one at another desk on 10 February; a failed log-in on 12 February. */
static void test_session_window(struct fx *fx, const char *card)
{
	fx_session_at(fx, "balie", "2031-02-05T08:00:00Z");
	fx_sql(fx, "INSERT INTO audit_log (at, staff_id, branch_code, terminal, action, subject)"
		   " SELECT CAST(strftime('%%s', '2031-02-10T08:00:00Z') AS INTEGER), id, 'CEN',"
		   " 'desk-elsewhere', 'login', username FROM staff WHERE username = 'balie'");
	fx_sql(fx, "INSERT INTO audit_log (at, staff_id, branch_code, terminal, action, subject)"
		   " SELECT CAST(strftime('%%s', '2031-02-12T08:00:00Z') AS INTEGER), id, 'CEN',"
		   " 'test-1', 'login_failed', username FROM staff WHERE username = 'balie'");

	static const struct {
		const char *at, *why; /* why: the reason of the refusal; NULL: lent */
		const char *what;
	} window[] = {
		{ "2031-02-04T10:00:00Z", "outside_session",
		  "the day before the first log-in at this desk" },
		{ "2031-02-05T07:54:00Z", "outside_session", "six minutes before the log-in" },
		{ "2031-02-05T07:56:00Z", NULL, "four minutes before the log-in, a desk clock ahead" },
		{ "2031-02-05T10:00:00Z", NULL,
		  "two hours into the session, 26 days ago: due 21 days after that day" },
		{ "2031-02-05T20:04:00Z", NULL, "four minutes after the twelve hours, a desk clock behind" },
		{ "2031-02-05T20:06:00Z", "outside_session",
		  "six minutes after the session's twelve hours ran out" },
		{ "2031-02-06T10:00:00Z", "outside_session", "the next day" },
		{ "2031-02-10T10:00:00Z", "outside_session",
		  "within a session of the same person at another desk" },
		{ "2031-02-12T10:00:00Z", "outside_session", "after a failed log-in at this desk" },
	};
	for (size_t i = 0; i < sizeof window / sizeof window[0]; i++) {
		if (window[i].why)
			refused(fx, card, window[i].at, window[i].why, window[i].what);
		else
			lent_on(fx, card, window[i].at, "2031-02-26", window[i].what);
	}

	/* the same entry under another person's session at the same desk */
	if (ok(fx_login(fx, "beheer", "CEN"), "beheer logs in at the same desk")) {
		fx_sql(fx, "INSERT INTO staff_permissions (staff_id, permission)"
			   " SELECT id, 'offline' FROM staff WHERE username = 'beheer'"
			   " AND NOT EXISTS (SELECT 1 FROM staff_permissions p"
			   "  WHERE p.staff_id = staff.id AND p.permission = 'offline')");
		refused(fx, card, "2031-02-05T10:00:00Z", "outside_session",
			"within balie's session, sent under beheer's");
	}
	fx_login(fx, "balie", "CEN");
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

	refused(&fx, card, "2001-01-01T10:00:00Z", "too_old", "a desk clock reset to 2001");
	refused(&fx, card, "1970-01-01T00:00:00Z", "too_old", "the start of the Unix clock");
	refused(&fx, card, "0099-01-01T00:00:00Z", "too_old", "the year 99");
	refused(&fx, card, "2031-01-31T12:00:00Z", "too_old", "more than 30 days ago");
	refused(&fx, card, "2031-02-30T10:00:00Z", "not_an_instant", "30 February");
	refused(&fx, card, "2031-03-01T10:00:60Z", "not_an_instant", "second 60");
	refused(&fx, card, "2031-3-01T10:00:00Z", "not_an_instant", "a month of one digit");
	refused(&fx, card, "2031-03-04T12:00:00Z", "in_the_future", "tomorrow");

	test_session_window(&fx, card);

	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
