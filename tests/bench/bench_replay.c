/* Replay of the desk's journal (DESIGN.md section 7): 10,000
 * transactions appended offline to a real journal (journal.h), then
 * replayed by the desk's own replay (replay.h) to a real training balied
 * on loopback, timed from replay_start to its end. Exactly once: every
 * entry acknowledged and none refused; the pairs are a check-out and the
 * check-in of the same item, so an entry applied twice or out of order
 * would be refused (item_already_on_loan, not_on_loan).
 *
 * Usage: bench-replay [--entries N]. Needs BALIED. */
#include "bench_stats.h"
#include "harness.h"

#include "client/journal.h"
#include "core/jsonx.h"
#include "core/luhn.h"
#include "client/replay.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run {
	bool finished;
	enum replay_end end;
	size_t refused;
};

static void on_finished(void *ctx, enum replay_end end, const char *why)
{
	struct run *run = ctx;
	run->finished = true;
	run->end = end;
	if (why)
		printf("# replay ended: %s\n", why);
}

static void on_refused(void *ctx, const struct journal_entry *e)
{
	struct run *run = ctx;
	if (run->refused++ < 3)
		printf("# refused on replay: %s %s -> %ld %s\n", e->path, e->body, e->status,
		       e->answer ? e->answer : "");
}

static void demo_code(const char *prefix, unsigned n, unsigned width, char out[15])
{
	char body[14];
	snprintf(body, sizeof body, "%s%0*u", prefix, (int)width, n);
	snprintf(out, 15, "%s%c", body, luhn_digit(body));
}

/* Items the service lends: tried once on a helper patron and taken back. */
static size_t lendable(struct api *api, const char *card, char (*out)[15], size_t max)
{
	size_t n = 0;
	for (unsigned k = 200; k <= 500 && n < max; k++) {
		char code[15];
		demo_code("3100000", k, 6, code);
		cJSON *b = cJSON_CreateObject();
		cJSON_AddStringToObject(b, "patron_card", card);
		cJSON_AddStringToObject(b, "item_barcode", code);
		char key[UUID_STR_LEN];
		uuid_v4(key);
		struct api_reply *r = api_call(api, "POST", "/checkouts", b, key);
		bool lent = r->outcome == API_OK;
		api_reply_free(r);
		cJSON_Delete(b);
		if (!lent)
			continue;
		b = cJSON_CreateObject();
		cJSON_AddStringToObject(b, "item_barcode", code);
		uuid_v4(key);
		r = api_call(api, "POST", "/checkins", b, key);
		if (r->outcome == API_OK)
			memcpy(out[n++], code, 15);
		api_reply_free(r);
		cJSON_Delete(b);
	}
	return n;
}

static bool append_all(struct journal *j, unsigned entries, const char (*items)[15],
		       size_t n_items, const char (*cards)[15], size_t n_cards, double *ms)
{
	double t0 = bench_now_ms();
	for (unsigned i = 0; i < entries; i++) {
		/* A check-out and, next, the check-in of the same item. */
		unsigned pair = i / 2;
		cJSON *b = cJSON_CreateObject();
		if (i % 2 == 0)
			cJSON_AddStringToObject(b, "patron_card", cards[pair % n_cards]);
		cJSON_AddStringToObject(b, "item_barcode", items[pair % n_items]);
		struct journal_entry *e = NULL;
		char *err = NULL;
		bool good = journal_append(j, JOURNAL_OFFLINE, "balie", "POST",
					   i % 2 == 0 ? "/checkouts" : "/checkins", b, NULL, &e,
					   &err);
		cJSON_Delete(b);
		journal_entry_free(e);
		if (!good) {
			printf("# journal_append: %s\n", err);
			free(err);
			return false;
		}
	}
	*ms = bench_now_ms() - t0;
	return true;
}

int main(int argc, char **argv)
{
	unsigned entries = 10000;
	if (argc == 3 && strcmp(argv[1], "--entries") == 0)
		entries = (unsigned)strtoul(argv[2], NULL, 10);
	else if (argc != 1) {
		fprintf(stderr, "usage: bench-replay [--entries N]\n");
		return 2;
	}
	entries += entries % 2;
	struct harness h;
	if (!harness_start(&h, &(struct harness_opts){ .training = true })) {
		printf("# balied did not start (is BALIED set?)\n");
		harness_cleanup(&h);
		bench_figure_missing("replay of the journal", "balied did not start", "<= 10 s");
		return 1;
	}
	int status = 1;
	struct api *api = harness_api(&h);
	struct api_reply *login = harness_login(api, "balie", "oefenen", "CEN");
	const char *token = login->outcome == API_OK ? jsonx_string(login->body, "token") : NULL;
	if (token)
		api_set_token(api, token);
	api_reply_free(login);
	char cards[3][15];
	demo_code("21000", 2, 8, cards[0]);
	demo_code("21000", 3, 8, cards[1]);
	demo_code("21000", 5, 8, cards[2]);
	char (*items)[15] = xcalloc(100, sizeof *items);
	size_t n_items = token ? lendable(api, cards[0], items, 100) : 0;
	char *path = xasprintf("%s/journal.db", h.dir), *err = NULL;
	struct journal *j = n_items >= 20 ? journal_open(path, "CEN-bench", &err) : NULL;
	double append_ms = 0;
	if (!j || !append_all(j, entries, (const char (*)[15])items, n_items,
			      (const char (*)[15])cards, 3, &append_ms)) {
		printf("# no journal to replay (%zu items; %s)\n", n_items, err ? err : "");
		bench_figure_missing("replay of the journal", "the journal could not be made",
				     "<= 10 s");
		goto out;
	}
	printf("# %u entries appended offline in %.0f ms (%.3f ms a commit)\n", entries, append_ms,
	       append_ms / entries);
	struct run run = {0};
	struct replay *rp = replay_new(api, j, &(struct replay_hooks){ .ctx = &run,
		.finished = on_finished, .refused = on_refused });
	double t0 = bench_now_ms();
	replay_start(rp);
	while (!run.finished && bench_now_ms() - t0 < 600000.0) {
		api_wait(api, NULL, 0, 100);
		api_dispatch(api);
	}
	double secs = (bench_now_ms() - t0) / 1000.0;
	replay_free(rp);
	long acked = journal_count(j, JOURNAL_ACKNOWLEDGED, &err);
	long waiting = journal_count_waiting(j, &err);
	printf("# replayed %u entries in %.2f s (%.0f a second): %ld acknowledged, %zu refused, "
	       "%ld still waiting\n", entries, secs, entries / secs, acked, run.refused, waiting);
	char value[128], target[32] = "<= 10 s, exactly once";
	bool once = run.end == REPLAY_END_DONE && acked == (long)entries && run.refused == 0;
	snprintf(value, sizeof value, "%.2f s for %u (%s)", secs, entries,
		 once ? "each acknowledged once, none refused" : "NOT all applied once");
	bench_figure("replay of journaled transactions", value, target, once && secs <= 10.0);
	status = once ? 0 : 1;
out:
	free(err);
	free(path);
	journal_close(j);
	free(items);
	api_free(api);
	if (harness_stop(&h) != 0) {
		printf("# balied did not stop cleanly\n");
		harness_dump_log(&h);
		status = 1;
	}
	harness_cleanup(&h);
	return status;
}
