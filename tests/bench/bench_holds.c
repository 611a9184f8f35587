/* The latency of the holds calls at the demo size (the training data: 500
 * items of some 350 titles): GET /titles?q= with one and two words and an
 * ISBN, and POST /holds on titles the search found, against a real training
 * balied over loopback. Prints "# " details and figure lines (bench_stats.h).
 * A generator of a million titles comes later. */
#include "bench_stats.h"
#include "harness.h"

#include "core/jsonx.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SEARCHES = 300, PATRONS = 20, HOLDS_EACH = 10 };

static const char *const queries[] = {
	"de", "het", "huis van", "een in", "rode", "9789000000012", "978-90-00000-01-2",
};

/* Searches, timed; sets ids to up to max title ids of the answers. */
static size_t search_all(struct api *api, struct bench_samples *s, char (*ids)[24], size_t max)
{
	size_t n = 0;
	for (int i = 0; i < SEARCHES; i++) {
		char *q = xstrdup(queries[(size_t)i % (sizeof queries / sizeof queries[0])]);
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

static void figure(struct bench_samples *s, const char *name)
{
	bench_samples_print(s, name);
	char value[64];
	snprintf(value, sizeof value, "p50 %.1f ms, p99 %.1f ms", bench_samples_quantile(s, 0.5),
		 bench_samples_quantile(s, 0.99));
	bench_figure(name, value, "p99 <= 100 ms", s->n && bench_samples_quantile(s, 0.99) <= 100);
}

int main(void)
{
	struct harness h;
	if (!harness_start(&h, &(struct harness_opts){ .training = true })) {
		bench_figure_missing("GET /titles at the demo size", "balied did not start",
				     "p99 <= 100 ms");
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
	figure(&search, "GET /titles at the demo size");
	figure(&place, "POST /holds at the demo size");
	bench_samples_free(&search);
	bench_samples_free(&place);
	api_free(api);
	harness_stop(&h);
	harness_cleanup(&h);
	return 0;
}
