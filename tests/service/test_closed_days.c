/* Closed days stop fines (balied-rules(5), fines_skip_closed_days) against
 * a real training balied: a loan due on Friday returned on Monday at CEN,
 * which is closed on Sundays, is fined for Saturday and Monday only, and
 * for Monday only when Saturday is a closed day too; with the rule off it
 * is fined for every day, as before. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"

#include <stdlib.h>

static long long fine_of(struct fx *fx, unsigned n, long long patron)
{
	char barcode[15];
	fx_loan(fx, fx_item(fx, n, "book", "CEN", barcode), patron, "2031-02-28");
	struct api_reply *r = fx_checkin(fx, barcode);
	long long fine = -1;
	if (r->status != 200 || !jsonx_int(r->body, "fine_cents", &fine))
		fine = -1;
	api_reply_free(r);
	return fine;
}

static bool start(struct fx *fx, const char *rules, long long *patron)
{
	char card[15];
	if (!fx_start(fx, rules))
		return false;
	*patron = fx_patron(fx, 1, "Anna", "de Boer", "adult", "2032-01-01", card);
	return true;
}

int main(void)
{
	struct fx fx;
	long long p;
	if (!ok(start(&fx, NULL, &p), "a training balied on " FX_TODAY)) {
		fx_finish(&fx, true);
		return tap_done();
	}
	ok(fine_of(&fx, 1, p) == 50,
	   "due Friday, back Monday: Saturday and Monday count, Sunday (closed) not: 50 cents");
	fx_sql(&fx, "INSERT INTO branch_closed_dates (branch_code, date) VALUES ('CEN', '2031-03-01')");
	ok(fine_of(&fx, 2, p) == 25, "with Saturday a closed day too: Monday only, 25 cents");
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);

	if (!ok(start(&fx, "fines_skip_closed_days = no\n", &p),
		"a training balied whose rules count every day")) {
		fx_finish(&fx, true);
		return tap_done();
	}
	ok(fine_of(&fx, 1, p) == 75, "fines_skip_closed_days = no: three days, 75 cents");
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
