/* The latency of the holds calls at the demo size (the training data: 500
 * items of some 350 titles) or, with bench-holds COUNT SEED, with COUNT
 * titles of the generator (gen_titles.h) added to it: GET /titles?q= with
 * one and two words and an ISBN, and POST /holds on titles the search found,
 * against a real training balied over loopback. Prints "# " details and
 * figure lines (bench_stats.h). */
#include "bench_stats.h"
#include "gen_titles.h"
#include "harness.h"

#include "core/jsonx.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SEARCHES = 300, PATRONS = 20, HOLDS_EACH = 10 };

static const char *const demo_queries[] = {
	"de", "het", "huis van", "een in", "rode", "9789000000012", "978-90-00000-01-2",
};
/* With generated titles: their words, one and two, rare and common, and
 * ISBNs of generated titles (filled in by main). */
static const char *gen_queries[] = {
	"de", "geheim kasteel", "zilver", "verborgen draak", "stille haven", "sneeuw",
	"kok", "van dijk", "isbn-1", "isbn-2",
};
static const char *const *queries = demo_queries;
static size_t n_queries = sizeof demo_queries / sizeof demo_queries[0];

/* Searches, timed; sets ids to up to max title ids of the answers. */
static size_t search_all(struct api *api, struct bench_samples *s, char (*ids)[24], size_t max)
{
	size_t n = 0;
	for (int i = 0; i < SEARCHES; i++) {
		char *q = xstrdup(queries[(size_t)i % n_queries]);
		for (char *c = q; *c; c++)
			if (*c == ' ')
				*c = '+';
		char *path = xasprintf("/titles?q=%s", q);
		double t0 = bench_now_ms();
		struct api_reply *r = api_call(api, "GET", path, NULL, NULL);
		double ms = bench_now_ms() - t0;
		if (r->status == 200)
			bench_samples_add(s, ms);
		const cJSON *t;
		cJSON_ArrayForEach(t, jsonx_array(r->body, "titles"))
			if (n < max && i < 3)
				snprintf(ids[n++], 24, "%s", jsonx_string(t, "id"));
		api_reply_free(r);
		free(path);
		free(q);
	}
	return n;
}

static void place_all(struct api *api, struct bench_samples *s, char (*ids)[24], size_t n_ids)
{
	char cards[PATRONS][15];
	size_t n = harness_demo_patrons(api, cards, PATRONS);
	unsigned refused = 0;
	for (size_t p = 0; p < n; p++)
		for (size_t k = 0; k < HOLDS_EACH && n_ids; k++) {
			char *json = xasprintf("{\"patron_card\":\"%s\",\"title_id\":\"%s\","
					       "\"pickup_branch\":\"CEN\"}", cards[p],
					       ids[(p * 7 + k) % n_ids]);
			cJSON *body = cJSON_Parse(json);
			char key[UUID_STR_LEN];
			uuid_v4(key);
			double t0 = bench_now_ms();
			struct api_reply *r = api_call(api, "POST", "/holds", body, key);
			double ms = bench_now_ms() - t0;
			if (r->status == 201)
				bench_samples_add(s, ms);
			else
				refused++;
			api_reply_free(r);
			cJSON_Delete(body);
			free(json);
		}
	printf("# %zu patrons; %u holds refused (a duplicate or a title on loan)\n", n, refused);
}

/* Adds count generated titles to the database of h (balied stopped). */
static bool generate(struct harness *h, unsigned long count, unsigned long long seed)
{
	sqlite3 *db;
	if (sqlite3_open_v2(h->db, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return false;
	}
	sqlite3_exec(db, "PRAGMA cache_size = -524288", NULL, NULL, NULL);
	struct gen_titles_opts opts = { .count = count, .seed = seed, .max_copies = 2 };
	struct gen_titles_done done;
	char *err = NULL;
	double t0 = bench_now_ms();
	bool ok = gen_titles(db, &opts, &done, &err);
	if (ok)
		printf("# generated %lu titles, %lu items (seed %llu) in %.1f s\n", done.titles,
		       done.items, seed, (bench_now_ms() - t0) / 1000);
	else
		printf("# the generator failed: %s\n", err);
	free(err);
	sqlite3_close(db);
	static char isbn[2][14];
	gen_titles_isbn(count / 3, isbn[0]);
	gen_titles_isbn(count / 2, isbn[1]);
	gen_queries[8] = isbn[0];
	gen_queries[9] = isbn[1];
	queries = gen_queries;
	n_queries = sizeof gen_queries / sizeof gen_queries[0];
	return ok;
}

/* A training balied, with count generated titles when count is not 0. */
static bool start(struct harness *h, unsigned long count, unsigned long long seed)
{
	const struct harness_opts opts = { .training = true };
	if (!count)
		return harness_start(h, &opts);
	return harness_start(h, &opts) && harness_stop(h) == 0 && generate(h, count, seed) &&
	       harness_launch(h, &opts);
}

static void figure(struct bench_samples *s, const char *name)
{
	bench_samples_print(s, name);
	char value[64];
	snprintf(value, sizeof value, "p50 %.1f ms, p99 %.1f ms", bench_samples_quantile(s, 0.5),
		 bench_samples_quantile(s, 0.99));
	bench_figure(name, value, "p99 <= 100 ms", s->n && bench_samples_quantile(s, 0.99) <= 100);
}

int main(int argc, char **argv)
{
	unsigned long count = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
	unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	char size[64] = "the demo size";
	if (count)
		snprintf(size, sizeof size, "%lu titles", count);
	char *search_name = xasprintf("GET /titles at %s", size);
	char *place_name = xasprintf("POST /holds at %s", size);
	struct harness h;
	if (!start(&h, count, seed)) {
		bench_figure_missing(search_name, "balied did not start", "p99 <= 100 ms");
		harness_cleanup(&h);
		return 1;
	}
	struct api *api = harness_api(&h);
	struct api_reply *login = harness_login(api, "balie", "oefenen", "CEN");
	const char *token = jsonx_string(login->body, "token");
	if (token)
		api_set_token(api, token);
	api_reply_free(login);
	struct bench_samples search = { 0 }, place = { 0 };
	char ids[200][24];
	size_t n_ids = search_all(api, &search, ids, 200);
	place_all(api, &place, ids, n_ids);
	figure(&search, search_name);
	figure(&place, place_name);
	free(search_name);
	free(place_name);
	bench_samples_free(&search);
	bench_samples_free(&place);
	api_free(api);
	harness_stop(&h);
	harness_cleanup(&h);
	return 0;
}
