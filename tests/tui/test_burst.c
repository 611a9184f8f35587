/* Type-ahead (DESIGN.md sections 4 and 7): a burst of 50 barcodes
 * sent at 8 ms a character, as a scanner types, while the requests of the
 * earlier ones are in flight: all 50 answered, in order, none lost. Then
 * the scan-to-screen time of 200 checkouts (median and p99) and the bytes
 * written to the terminal per scan, printed as diagnostics (benchmarks, not
 * timed tests). */
#include "circref.h"
#include "desk.h"
#include "tap.h"
#include "core/clock.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BRANCH "CEN"
#define BURST 50
#define PRELOAD 10
#define ROUNDS 10
#define PER_ROUND 20

/* Sends text one byte every ms milliseconds, reading the desk's output
 * meanwhile (the pacing of a scanner, not a wait for the desk). */
static double type_paced(struct vt *vt, const char *text, double ms)
{
	double last = (double)clock_now_ms();
	for (const char *p = text; *p; p++) {
		last = (double)clock_now_ms();
		double until = last + ms;
		char one[2] = {*p, '\0'};
		vt_send(vt, one);
		if (!p[1])
			break; /* the last key: no pause after it */
		for (double left; (left = until - (double)clock_now_ms()) > 0;)
			vt_pump(vt, (int)left + 1);
	}
	return last;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void test_burst(struct circref *cr)
{
	char **items = NULL;
	size_t n = circref_loaned_items(cr, 1, 40, &items);
	if (!ok(n >= PRELOAD + BURST, "the reference has %d loans to check in (%zu)",
		PRELOAD + BURST, n))
		goto out;
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", NULL, NULL);
	if (!ok(d != NULL, "the desk starts and logs in"))
		goto out;
	vt_key(d->vt, "F3");
	ok(vt_wait_text(d->vt, "Checked in: 0", DESK_STEP_MS), "check in is open");
	/* A queue first: PRELOAD scans at once, as a paste would send them, so
	 * that requests are in flight when the scanner's burst begins. */
	for (size_t i = 0; i < PRELOAD; i++) {
		vt_send(d->vt, items[i]);
		vt_send(d->vt, "\r");
	}
	vt_pump(d->vt, 0);
	size_t done_before = 0;
	for (int r = 0; r < 24; r++) {
		char *row = vt_row_dup(d->vt, r);
		done_before += strstr(row, "SHELF") || strstr(row, "TRANSIT");
		free(row);
	}
	diag("when the burst began, %zu of the %d queued scans were answered on the screen",
	     done_before, PRELOAD);
	size_t bytes_before = vt_bytes(d->vt);
	double start = (double)clock_now_ms(), sent = start;
	for (size_t i = PRELOAD; i < PRELOAD + BURST; i++) {
		char *scan = xasprintf("%s\r", items[i]);
		sent = type_paced(d->vt, scan, 8.0);
		free(scan);
		/* the gap to the next barcode is a scanner's 8 ms too */
		double until = (double)clock_now_ms() + (i + 1 < PRELOAD + BURST ? 8.0 : 0.0);
		for (double left; (left = until - (double)clock_now_ms()) > 0;)
			vt_pump(d->vt, (int)left + 1);
	}
	char *want = xasprintf("Checked in: %d ", PRELOAD + BURST);
	bool all = vt_wait_text(d->vt, want, DESK_STEP_MS);
	double answered = (double)clock_now_ms();
	free(want);
	ok(all, "all %d scans are answered", PRELOAD + BURST);
	size_t burst_bytes = vt_bytes(d->vt) - bytes_before;
	diag("bytes written to the terminal during the burst: %zu, %zu per scan (a frame for "
	     "every key, the list full and moving up)", burst_bytes, burst_bytes / BURST);
	ok(burst_bytes / BURST <= 400, "at most 400 bytes per scan in the burst (%zu)",
	   burst_bytes / BURST);
	diag("burst of %d scans at 8 ms a character: typed in %.0f ms, the last answer %.1f ms "
	     "after the last key was sent",
	     BURST, sent - start, answered - sent);
	size_t seen = 0;
	bool ordered = circref_scans_in_order(d->vt, items, PRELOAD + BURST, &seen);
	ok(ordered && seen >= 8,
	   "the lines on the screen are in the order scanned, ending with the last (%zu lines)",
	   seen);
	/* the count is on a row above the list, and curses writes a frame a
	 * row at a time: the last lines may still be on their way */
	ok(vt_wait_gone(d->vt, "...", DESK_STEP_MS) && !vt_find(d->vt, "NOT", NULL, NULL),
	   "nothing is pending or refused");
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
out:
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

static void test_timing(struct circref *cr)
{
	struct circ_patron *pat[2] = {NULL, NULL};
	char codes[PER_ROUND][15];
	size_t found = circref_pick_items(cr, codes, PER_ROUND);
	if (!ok(circref_pick_patrons(cr, PER_ROUND, pat, 2) == 2 && found == PER_ROUND,
		"two adults and %d loanable items for the timing", PER_ROUND))
		goto out;
	struct desk *d = circref_desk(BRANCH, "C.UTF-8", NULL, NULL);
	if (!ok(d != NULL, "the desk starts and logs in"))
		goto out;
	vt_key(d->vt, "F2");
	vt_wait_text(d->vt, "Scan the patron's card.", DESK_STEP_MS);
	double ms[ROUNDS * PER_ROUND];
	size_t done = 0, most = 0, total = 0;
	bool good = true;
	for (int r = 0; r < ROUNDS && good; r++) {
		const struct circ_patron *p = pat[r % 2];
		char *card = xasprintf("%s\r", p->card);
		vt_send(d->vt, card);
		free(card);
		good = vt_wait_text(d->vt, p->name, DESK_STEP_MS);
		vt_wait_quiet(d->vt, 30, DESK_STEP_MS);
		for (int i = 0; i < PER_ROUND && good; i++) {
			size_t before = vt_bytes(d->vt);
			vt_send(d->vt, codes[i]);
			double t0 = (double)clock_now_ms();
			vt_send(d->vt, "\r");
			/* The line with the due date is the answer on the screen. */
			good = circref_wait_row2(d->vt, codes[i], "due ", DESK_STEP_MS);
			ms[done] = (double)clock_now_ms() - t0;
			size_t cost = vt_bytes(d->vt) - before;
			total += cost;
			most = cost > most ? cost : most;
			done++;
		}
		vt_key(d->vt, "F12");
		good = good && vt_wait_text(d->vt, "Done. Scan the next", DESK_STEP_MS);
	}
	ok(good && done == ROUNDS * PER_ROUND, "%zu checkouts, each answered on the screen", done);
	if (done > 0) {
		qsort(ms, done, sizeof *ms, cmp_double);
		diag("scan-to-screen time of a checkout over %zu: median %.2f ms, p99 %.2f ms, "
		     "max %.2f ms", done, ms[done / 2], ms[(done * 99 + 99) / 100 - 1],
		     ms[done - 1]);
		diag("bytes written to the terminal per scan (14 characters, Enter, the pending "
		     "line and the answer): average %zu, at most %zu", total / done, most);
		ok(most <= 400, "at most 400 bytes per scan at 80x24 (most %zu)", most);
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
out:
	circ_patron_free(pat[0]);
	circ_patron_free(pat[1]);
}

int main(void)
{
	struct circref *cr = circref_start(BRANCH);
	if (ok(cr != NULL, "a reference training service")) {
		test_burst(cr);
		test_timing(cr);
	}
	ok(circref_stop(cr), "the reference service stopped cleanly");
	return tap_done();
}
