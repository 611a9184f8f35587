/* 10,000 journaled transactions (5,000 check-outs, each followed by its
 * check-in) replayed to a real training balied, exactly once each (2,000 in
 * a sanitizer's build, where BALIE_REPLAY_PAIRS is 1000). The time
 * it took is printed as a TAP comment: a figure for the benchmarks
 * (DESIGN.md section 7: within 10 s), not a timed assertion. */
#include "tap.h"

#include "circ_fixture.h"
#include "replay_drive.h"
#include "core/clock.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { ITEMS = 50, PATRONS = 10 };

/* 5,000 pairs; BALIE_REPLAY_PAIRS sets another number for a quick look. */
static unsigned PAIRS = 5000;

static double now_s(void)
{
	return (double)clock_now_ms() / 1000.0;
}

/* Sunday 2 March 2031 from 08:00 UTC, a second apart. */
static void instant(unsigned i, char out[32])
{
	time_t t = (time_t)1930204800 + (time_t)i;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int main(void)
{
	const char *pairs = getenv("BALIE_REPLAY_PAIRS");
	if (pairs && atoi(pairs) > 0)
		PAIRS = (unsigned)atoi(pairs);
	struct fx fx;
	if (!fx_start(&fx, NULL)) {
		ok(false, "a training balied starts");
		fx_finish(&fx, true);
		return tap_done();
	}
	char cards[PATRONS][15], items[ITEMS][15];
	long long first_item = 0;
	for (unsigned p = 0; p < PATRONS; p++)
		fx_patron(&fx, 1 + p, "Bulk", "Lener", "adult", "2032-01-01", cards[p]);
	for (unsigned k = 0; k < ITEMS; k++) {
		long long id = fx_item(&fx, 1 + k, "book", "CEN", items[k]);
		if (!first_item)
			first_item = id;
	}
	long long audits = fx_num(&fx, "SELECT count(*) FROM audit_log WHERE action = 'offline'");

	/* the desk's session that Sunday, in which it worked offline (instant) */
	fx_session_at(&fx, "balie", "2031-03-02T08:00:00Z");
	struct journal *j = drive_journal(fx.h.dir, "journal-bulk");
	double t0 = now_s();
	unsigned appended = 0;
	for (unsigned i = 0; i < PAIRS; i++) {
		const char *bc = items[i % ITEMS];
		char at[32], *json;
		instant(2 * i, at);
		json = xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"%s\"}",
				 cards[(i / ITEMS) % PATRONS], bc);
		appended += drive_append(j, "/checkouts", json, at) > 0;
		free(json);
		instant(2 * i + 1, at);
		json = xasprintf("{\"item_barcode\":\"%s\"}", bc);
		appended += drive_append(j, "/checkins", json, at) > 0;
		free(json);
	}
	double append_s = now_s() - t0;
	ok(appended == 2 * PAIRS, "%u transactions journaled, each committed", appended);
	diag("journaled %u entries in %.2f s (%.0f a second)", appended, append_s,
	     append_s > 0 ? appended / append_s : 0);

	struct drive_result r;
	drive_replay(fx.api, j, 240, &r);
	ok(r.finished && r.end == REPLAY_END_DONE, "the replay runs to its end (end %d: %s)", r.end,
	   r.why ? r.why : "");
	free(r.why);
	ok(r.done == 2 * PAIRS && r.total == 2 * PAIRS, "progress %zu of %zu", r.done, r.total);
	diag("replayed %zu journaled transactions in %.2f s (%.0f a second)", r.done, r.seconds,
	     r.seconds > 0 ? (double)r.done / r.seconds : 0);
	ok(journal_count(j, JOURNAL_ACKNOWLEDGED, NULL) == 2 * PAIRS &&
	   journal_count_waiting(j, NULL) == 0 && journal_count(j, JOURNAL_REFUSED, NULL) == 0,
	   "every entry acknowledged, none refused, none waiting");
	ok(fx_num(&fx, "SELECT count(*) FROM loans WHERE item_id >= %lld AND returned_at IS NULL",
		  first_item) == 0,
	   "every check-out was followed by its check-in: no loan open");
	ok(fx_num(&fx, "SELECT coalesce(sum(count), 0) FROM loan_stats WHERE day = '2031-03-02'"
		       " AND action = 'checkout'") == PAIRS &&
	   fx_num(&fx, "SELECT coalesce(sum(count), 0) FROM loan_stats WHERE day = '2031-03-02'"
		       " AND action = 'checkin'") == PAIRS,
	   "the statistics count %d check-outs and %d check-ins on the day they happened", PAIRS,
	   PAIRS);
	ok(fx_num(&fx, "SELECT count(*) FROM audit_log WHERE action = 'offline'") ==
		   audits + 2 * PAIRS,
	   "%d offline audit rows: each transaction applied once", 2 * PAIRS);
	journal_close(j);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
