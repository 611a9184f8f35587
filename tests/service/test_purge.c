/* The purge of expired Idempotency-Keys runs in the background in small
 * batches: with 200,000 expired keys in the database, balied listens and
 * answers /health and a check-out at once (it used to purge them all in one
 * statement before listening, and hourly in one statement that held every
 * write), answers while the purge runs, and the purge in the end removes
 * every expired key and none that is still kept. */
#include "tap.h"
#include "core/clock.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
	N_EXPIRED = 200000,
	/* Rounds of calls while the purge runs; then its end is awaited. */
	MAX_ROUNDS = 200,
	POLL_MS = 100,
	N_KEPT = 1000,
	/* Generous on a loaded machine; the old purge before listening took
	 * 4.6 s for 300,000 keys. */
	START_LIMIT_MS = 5000,
	ANSWER_LIMIT_MS = 2000,
	PURGE_DEADLINE_MS = 90000,
};


/* Expired keys 31 to 41 days old, and kept ones 29 days old, written
 * straight into the database while balied is stopped: random UUIDs, as the
 * desks make them, and answers of the size of a check-out's. */
static void fill_keys(struct fx *fx)
{
	long long now = (long long)time(NULL);
	static const char insert[] =
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
		" INSERT INTO idempotency_keys (key, request_hash, staff_id, status, body, created_at)"
		" SELECT '%s' || lower(hex(randomblob(14))), randomblob(32), NULL, 201,"
		" '{\"loan\":{\"item_barcode\":\"' || lower(hex(randomblob(7))) || '\",\"title\":\"'"
		" || lower(hex(randomblob(60))) || '\",\"due_on\":\"2031-03-24\"}}', %lld - i %% %d FROM n";
	fx_sql(fx, "BEGIN");
	fx_sql(fx, insert, N_EXPIRED, "0000", now - 31 * 86400, 864000);
	fx_sql(fx, insert, N_KEPT, "1111", now - 29 * 86400, 1);
	fx_sql(fx, "COMMIT");
}

static long long expired(struct fx *fx)
{
	return fx_num(fx, "SELECT count(*) FROM idempotency_keys WHERE created_at < %lld",
		      (long long)time(NULL) - 30 * 86400);
}

static long long kept(struct fx *fx)
{
	return fx_num(fx, "SELECT count(*) FROM idempotency_keys WHERE key LIKE '1111%%'");
}

/* The maintenance lines of balied's log, as TAP comments: how many keys
 * went and the longest batch. */
static void show_purge_log(const struct harness *h)
{
	FILE *f = fopen(h->log, "r");
	char line[512];
	while (f && fgets(line, sizeof line, f))
		if (strstr(line, "maintenance:"))
			diag("%s", line);
	if (f)
		fclose(f);
}

static long long took(long long start, long long *worst)
{
	long long ms = clock_now_ms() - start;
	if (ms > *worst)
		*worst = ms;
	return ms;
}

/* /health, a check-out and its check-in; the slowest of the three in ms, or
 * -1 when one of them failed. */
static long long serve_once(struct fx *fx, const char *card, const char *barcode)
{
	long long worst = 0, start = clock_now_ms();
	struct api_reply *r = api_call(fx->api, "GET", "/health", NULL, NULL);
	bool healthy = r->status == 200;
	api_reply_free(r);
	took(start, &worst);
	start = clock_now_ms();
	r = fx_checkout(fx, card, barcode);
	bool lent = r->status == 201;
	if (!lent)
		diag("check-out: %ld %s", r->status, r->error_code ? r->error_code : "");
	api_reply_free(r);
	took(start, &worst);
	start = clock_now_ms();
	r = fx_checkin(fx, barcode);
	bool back = r->status == 200;
	api_reply_free(r);
	took(start, &worst);
	return healthy && lent && back ? worst : -1;
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
	char barcode[15];
	fx_item(&fx, 1, "book", "CEN", barcode);
	ok(fx_stop(&fx) == 0, "balied stops");
	long long t0 = clock_now_ms();
	fill_keys(&fx);
	diag("%d expired and %d kept keys written in %lld ms", N_EXPIRED, N_KEPT, clock_now_ms() - t0);
	ok(expired(&fx) == N_EXPIRED && kept(&fx) == N_KEPT, "the keys are in the database");

	api_free(fx.api);
	fx.api = NULL;
	struct harness_opts opts = { .training = true };
	long long start = clock_now_ms();
	bool up = harness_launch(&fx.h, &opts);
	long long listening = clock_now_ms() - start;
	ok(up, "balied starts again");
	if (!up) {
		fx_finish(&fx, true);
		return tap_done();
	}
	fx.api = harness_api(&fx.h);
	bool in = fx_login(&fx, "balie", "CEN");
	long long first = in ? serve_once(&fx, card, barcode) : -1;
	long long answered = clock_now_ms() - start;
	long long left = expired(&fx);
	ok(in && first >= 0 && answered < START_LIMIT_MS,
	   "with %d expired keys balied listens in %lld ms and has answered a login, /health,"
	   " a check-out and a check-in %lld ms after its start (limit %d ms)",
	   N_EXPIRED, listening, answered, START_LIMIT_MS);
	ok(left > 0, "it answered while the purge was still running (%lld expired keys left)",
	   left);

	long long worst = 0;
	bool all = true;
	unsigned n = 1;
	long long deadline = clock_now_ms() + PURGE_DEADLINE_MS;
	while ((left = expired(&fx)) > 0 && n <= MAX_ROUNDS && clock_now_ms() < deadline) {
		long long ms = serve_once(&fx, card, barcode);
		n++;
		all = all && ms >= 0;
		if (ms > worst)
			worst = ms;
	}
	ok(all && worst < ANSWER_LIMIT_MS,
	   "while the purge ran, %u rounds of /health, check-out and check-in were all answered, the slowest"
	   " in %lld ms (limit %d ms)", n - 1, worst, ANSWER_LIMIT_MS);
	while ((left = expired(&fx)) > 0 && clock_now_ms() < deadline)
		poll(NULL, 0, POLL_MS);
	ok(left == 0, "the purge has removed every expired key in the end (%lld left)", left);
	ok(kept(&fx) == N_KEPT, "and none of the %d kept keys (%lld there)", N_KEPT, kept(&fx));
	ok(fx_num(&fx, "SELECT count(*) FROM idempotency_keys WHERE key NOT LIKE '0000%%'"
		       " AND key NOT LIKE '1111%%'") >= 2 * n,
	   "the keys of the check-outs and check-ins made meanwhile are kept");
	ok(fx_stop(&fx) == 0, "balied stops cleanly while or after purging");
	show_purge_log(&fx.h);
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
