/* balied under a steady load for a bounded time (SOAK_SECONDS, default 60):
 * 10 desks, each logged in once, looking patrons up and checking items out
 * and in, and two readers of the test's own that keep overlapping read
 * transactions open on the same file (a report, a backup), so that some
 * reader is always on an older snapshot. Sampled every quarter second:
 * balied's VmRSS (/proc/PID/status) and the size of the write-ahead log.
 *   - the low point of VmRSS in the second half of the run (after a warm-up)
 *     grows no more than SOAK_RSS_MARGIN_KB over that of the first half;
 *   - the write-ahead log stays under the bound of balied(8) plus slack;
 *   - every check-out and check-in was answered (none failed).
 * The figures are printed as TAP comments. */
#include "tap.h"
#include "core/clock.h"

#include "harness.h"

#include "core/xalloc.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
	N_DESKS = 10,
	ITEMS_PER_DESK = 5,
	SAMPLE_MS = 250,
	/* 8 MiB of balied(8) and one transaction, with room to spare. */
	WAL_LIMIT_BYTES = 12 * 1024 * 1024,
	SOAK_RSS_MARGIN_KB = 3 * 1024,
	READER_HOLD_MS = 40,
};

static atomic_bool stop;

static void pause_ms(long ms)
{
	nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000L }, NULL);
}

struct desk {
	struct api *api;
	char card[15];
	char items[ITEMS_PER_DESK][15];
	unsigned long calls, failed;
};

static void item_call(struct desk *d, const char *path, const char *card, const char *barcode)
{
	struct api_reply *r = harness_post_item(d->api, path, card, barcode);
	d->calls++;
	/* A refusal (4xx) is the desk's business; no answer or a 5xx is a failure. */
	if (r->outcome == API_UNREACHABLE || r->outcome == API_BAD_ANSWER) {
		if (d->failed++ < 3)
			diag("%s: %ld %s", path, r->status, r->failure ? r->failure : "");
	}
	api_reply_free(r);
}

static void *desk_run(void *arg)
{
	struct desk *d = arg;
	char *path = xasprintf("/patrons/%s", d->card);
	while (!atomic_load(&stop)) {
		api_reply_free(api_call(d->api, "GET", path, NULL, NULL));
		for (unsigned i = 0; i < ITEMS_PER_DESK; i++)
			item_call(d, "/checkouts", d->card, d->items[i]);
		api_reply_free(api_call(d->api, "GET", path, NULL, NULL));
		for (unsigned i = 0; i < ITEMS_PER_DESK; i++)
			item_call(d, "/checkins", NULL, d->items[i]);
	}
	free(path);
	return NULL;
}

struct reader {
	const char *db_path;
	long offset_ms;
	unsigned long reads;
};

/* Read transactions of READER_HOLD_MS, the two readers half a hold apart:
 * a snapshot is always open somewhere. */
static void *reader_run(void *arg)
{
	struct reader *r = arg;
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(r->db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_busy_timeout(db, 1000);
	pause_ms(r->offset_ms);
	while (!atomic_load(&stop)) {
		if (sqlite3_exec(db, "BEGIN; SELECT count(*) FROM loans;", NULL, NULL, NULL) ==
		    SQLITE_OK)
			r->reads++;
		pause_ms(READER_HOLD_MS);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	sqlite3_close(db);
	return NULL;
}

static long rss_kb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static long min_of(const long *v, size_t from, size_t to)
{
	long low = -1;
	for (size_t i = from; i < to; i++)
		if (v[i] > 0 && (low < 0 || v[i] < low))
			low = v[i];
	return low;
}

int main(void)
{
	const char *secs = getenv("SOAK_SECONDS");
	long seconds = secs && atol(secs) > 0 ? atol(secs) : 60;
	struct harness h;
	struct harness_opts opts = { .training = true };
	bool up = harness_start(&h, &opts);
	ok(up, "a training balied starts");
	if (!up)
		return tap_done();
	struct desk desks[N_DESKS] = { 0 };
	char cards[N_DESKS][15];
	struct api *first = harness_desk_api(&h);
	size_t n_cards = first ? harness_demo_patrons(first, cards, N_DESKS) : 0;
	if (first)
		api_free(first);
	bool ready = n_cards == N_DESKS;
	for (unsigned i = 0; ready && i < N_DESKS; i++) {
		desks[i].api = harness_desk_api(&h);
		ready = desks[i].api != NULL;
		memcpy(desks[i].card, cards[i], 15);
		for (unsigned k = 0; k < ITEMS_PER_DESK; k++)
			harness_demo_code("3100000", 200 + i * ITEMS_PER_DESK + k, desks[i].items[k]);
	}
	ok(ready, "%d desks are logged in, each with a patron of its own", N_DESKS);

	size_t cap = (size_t)(seconds * 1000 / SAMPLE_MS) + 8, n = 0;
	long *rss = xcalloc(cap, sizeof *rss);
	long long wal_max = 0;
	char *wal = xasprintf("%s-wal", h.db);
	pthread_t desk_t[N_DESKS], reader_t[2];
	struct reader readers[2] = { { h.db, 0, 0 }, { h.db, READER_HOLD_MS / 2, 0 } };
	for (unsigned i = 0; ready && i < N_DESKS; i++)
		pthread_create(&desk_t[i], NULL, desk_run, &desks[i]);
	for (unsigned i = 0; ready && i < 2; i++)
		pthread_create(&reader_t[i], NULL, reader_run, &readers[i]);
	long long until = clock_now_ms() + seconds * 1000;
	while (ready && n < cap && clock_now_ms() < until) {
		pause_ms(SAMPLE_MS);
		rss[n++] = rss_kb(h.pid);
		long long w = harness_file_size(wal);
		if (w > wal_max)
			wal_max = w;
	}
	atomic_store(&stop, true);
	unsigned long calls = 0, failed = 0;
	for (unsigned i = 0; ready && i < N_DESKS; i++) {
		pthread_join(desk_t[i], NULL);
		calls += desks[i].calls;
		failed += desks[i].failed;
	}
	for (unsigned i = 0; ready && i < 2; i++)
		pthread_join(reader_t[i], NULL);

	/* The first fifth warms up (caches fill); the rest is split in two. */
	size_t warm = n / 5, mid = warm + (n - warm) / 2;
	long low1 = min_of(rss, warm, mid), low2 = min_of(rss, mid, n), peak = 0;
	for (size_t i = warm; i < n; i++)
		if (rss[i] > peak)
			peak = rss[i];
	diag("%ld s, %lu check-outs and check-ins, %lu + %lu read transactions beside", seconds,
	     calls, readers[0].reads, readers[1].reads);
	diag("VmRSS after the warm-up: peak %ld kB, low point %ld kB in the first half, %ld kB "
	     "in the second", peak, low1, low2);
	diag("write-ahead log: at most %lld bytes, %lld at the end", wal_max, harness_file_size(wal));
	ok(ready && calls > 0 && failed == 0, "every call was answered (%lu of %lu failed)", failed,
	   calls);
	/* AddressSanitizer keeps freed memory in its quarantine, so a sanitizer
	 * tree's VmRSS grows for reasons of its own: there only the log is
	 * bounded. */
	const char *unbounded = getenv("SOAK_RSS_UNBOUNDED");
	if (unbounded && *unbounded)
		diag("VmRSS is not asserted in a sanitizer tree (its quarantine holds freed memory)");
	else
		ok(low1 > 0 && low2 > 0 && low2 <= low1 + SOAK_RSS_MARGIN_KB,
		   "the low point of VmRSS does not grow over the run (%ld kB, then %ld kB; "
		   "margin %d kB)",
		   low1, low2, SOAK_RSS_MARGIN_KB);
	ok(wal_max > 0 && wal_max <= WAL_LIMIT_BYTES,
	   "the write-ahead log stays bounded (%lld bytes at most, bound %d)", wal_max,
	   WAL_LIMIT_BYTES);
	for (unsigned i = 0; i < N_DESKS; i++)
		if (desks[i].api)
			api_free(desks[i].api);
	if (tap_failed)
		harness_dump_log(&h);
	ok(harness_stop(&h) == 0, "balied stops cleanly");
	free(wal);
	free(rss);
	harness_cleanup(&h);
	return tap_done();
}
