/* The service under load (DESIGN.md section 7): a real training
 * balied on loopback, N simulated desks each logged in with its own account
 * and session, doing a desk's mix through the client library (api.h): a
 * patron looked up, two to five items checked out to them, now and then one
 * renewed, the previous patron's items checked in, an IDO question every 25
 * visits and a youth enrolment every 100. In the same run the floors: GET
 * /health through the same path and the SQLite commits of a checkout.
 *
 * Usage: bench-load [--desks N] [--seconds S] [--threads T]
 * Needs BALIED (the built balied). Prints "# " details and figure lines
 * (bench_stats.h). A benchmark, not a test: nothing here fails a build. */
#include "bench_floor.h"
#include "bench_stats.h"
#include "harness.h"

#include "core/date.h"
#include "core/jsonx.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <unistd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_PATRON, K_CHECKOUT, K_CHECKIN, K_RENEWAL, K_IDO, K_ENROL, K_HEALTH, K_N };
static const char *const kind_names[K_N] = { "GET /patrons/{card}", "POST /checkouts",
	"POST /checkins", "POST /renewals", "POST /ido/questions", "POST /memberships",
	"GET /health" };

#define PASSWORD "bench-wachtwoord-2026"

struct desk {
	unsigned id;
	struct api *api;
	char (*items)[15]; /* this desk's own items: no two desks scan the same one */
	size_t n_items;
	struct bench_samples lat[K_N];
	unsigned long refused[K_N], failed[K_N];
	unsigned long enrolments;
};

struct world {
	char (*cards)[15];
	size_t n_cards;
	unsigned desks; /* running now: each has cards of its own */
	double until_ms;
	atomic_bool stop;
};

static struct world world;

static struct api_reply *timed(struct desk *d, enum kind k, const char *method, const char *path,
			       const cJSON *body)
{
	char key[UUID_STR_LEN];
	bool mutating = strcmp(method, "POST") == 0;
	if (mutating)
		uuid_v4(key);
	double t0 = bench_now_ms();
	struct api_reply *r = api_call(d->api, method, path, body, mutating ? key : NULL);
	double ms = bench_now_ms() - t0;
	if (r->outcome == API_OK)
		bench_samples_add(&d->lat[k], ms);
	else if (r->outcome == API_REFUSED)
		d->refused[k]++;
	else
		d->failed[k]++;
	return r;
}

static bool call_ok(struct desk *d, enum kind k, const char *method, const char *path,
		    const cJSON *body)
{
	struct api_reply *r = timed(d, k, method, path, body);
	bool good = r->outcome == API_OK;
	if (!good && d->api && (d->refused[k] + d->failed[k]) <= 3 && d->id != 99)
		printf("# desk %u: %s %s: %ld %s\n", d->id, method, path, r->status,
		       r->error_code ? r->error_code : r->failure ? r->failure : "");
	api_reply_free(r);
	return good;
}

static bool item_call(struct desk *d, enum kind k, const char *path, const char *card,
		      const char *barcode)
{
	cJSON *b = cJSON_CreateObject();
	if (card)
		cJSON_AddStringToObject(b, "patron_card", card);
	cJSON_AddStringToObject(b, "item_barcode", barcode);
	bool good = call_ok(d, k, "POST", path, b);
	cJSON_Delete(b);
	return good;
}

static void ido_question(struct desk *d)
{
	char visit[UUID_STR_LEN];
	uuid_v4(visit);
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "visit_id", visit);
	cJSON_AddStringToObject(b, "class", "digital_government");
	cJSON_AddItemToObject(b, "topics", cJSON_CreateStringArray((const char *[]){"tax_return"}, 1));
	cJSON_AddItemToObject(b, "organisations",
			      cJSON_CreateStringArray((const char *[]){"belastingdienst"}, 1));
	cJSON_AddItemToObject(b, "help",
			      cJSON_CreateStringArray((const char *[]){"digital_service"}, 1));
	cJSON_AddStringToObject(b, "outcome", "answered");
	cJSON_AddNumberToObject(b, "minutes", 10);
	cJSON_AddStringToObject(b, "channel", "walk_in");
	call_ok(d, K_IDO, "POST", "/ido/questions", b);
	cJSON_Delete(b);
}

/* A 17-year-old (no guardian needed) with a postcode of its own, so that
 * no enrolment is a duplicate of another. */
static void enrol(struct desk *d)
{
	struct civil_date born = date_today();
	born.year -= 17;
	if (!date_is_valid(born))
		born.day = 28;
	char birth[DATE_STR_LEN], postcode[8];
	date_format_iso(born, birth);
	unsigned n = d->id * 400 + (unsigned)(d->enrolments++ % 400);
	snprintf(postcode, sizeof postcode, "%04u %c%c", 1000 + n % 9000, 'A' + (int)(n / 9000 % 20),
		 'B');
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "kind", "youth");
	cJSON_AddStringToObject(b, "given_name", "Noor");
	cJSON_AddStringToObject(b, "family_name", "Bankhuis");
	cJSON_AddStringToObject(b, "birth_date", birth);
	cJSON_AddStringToObject(b, "postcode", postcode);
	cJSON_AddStringToObject(b, "house_number", "12");
	cJSON_AddStringToObject(b, "branch", "CEN");
	call_ok(d, K_ENROL, "POST", "/memberships", b);
	cJSON_Delete(b);
}

/* One desk's day: visits until the time is up. Items lent at one visit come
 * back at the next, so every item is in one place at a time. */
static void *desk_run(void *arg)
{
	struct desk *d = arg;
	size_t n = d->n_items, head = 0, held_n = 0;
	size_t *held = xcalloc(n, sizeof *held), *now = xcalloc(n, sizeof *now);
	unsigned seed = 7919u * (d->id + 1);
	for (unsigned visit = 0; !atomic_load(&world.stop); visit++) {
		/* Patrons of this desk only, so that no patron reaches a loan
		 * limit through several desks at once. */
		size_t per_desk = world.n_cards / world.desks;
		const char *card = world.cards[d->id + world.desks * (visit % per_desk)];
		char *path = xasprintf("/patrons/%s", card);
		call_ok(d, K_PATRON, "GET", path, NULL);
		free(path);
		size_t want = 2 + rand_r(&seed) % 4, now_n = 0;
		if (want + held_n > n)
			want = n - held_n;
		for (size_t i = 0; i < want; i++) {
			size_t it = head++ % n;
			if (item_call(d, K_CHECKOUT, "/checkouts", card, d->items[it]))
				now[now_n++] = it;
		}
		if (now_n > 0 && rand_r(&seed) % 3 == 0)
			item_call(d, K_RENEWAL, "/renewals", NULL, d->items[now[0]]);
		for (size_t i = 0; i < held_n; i++)
			item_call(d, K_CHECKIN, "/checkins", NULL, d->items[held[i]]);
		memcpy(held, now, now_n * sizeof *now);
		held_n = now_n;
		if (visit % 25 == 24)
			ido_question(d);
		if (visit % 100 == 99)
			enrol(d);
		if (bench_now_ms() >= world.until_ms)
			atomic_store(&world.stop, true);
	}
	for (size_t i = 0; i < held_n; i++)
		item_call(d, K_CHECKIN, "/checkins", NULL, d->items[held[i]]);
	free(held);
	free(now);
	return NULL;
}

static char *login_token_dup(struct api *api, const char *user, const char *password)
{
	struct api_reply *r = harness_login(api, user, password, "CEN");
	const char *token = r->outcome == API_OK ? jsonx_string(r->body, "token") : NULL;
	char *copy = token ? xstrdup(token) : NULL;
	if (!copy)
		printf("# login %s: %ld %s\n", user, r->status, r->error_code ? r->error_code : "");
	api_reply_free(r);
	return copy;
}

static struct api *logged_in_api(const struct harness *h, const char *user, const char *password)
{
	struct api *api = harness_api(h);
	char *token = login_token_dup(api, user, password);
	if (!token) {
		api_free(api);
		return NULL;
	}
	api_set_token(api, token);
	free(token);
	return api;
}

static bool make_accounts(const struct harness *h, unsigned desks)
{
	struct api *admin = logged_in_api(h, "beheer", "oefenen");
	if (!admin)
		return false;
	bool good = true;
	for (unsigned i = 0; good && i < desks; i++) {
		char user[32], key[UUID_STR_LEN];
		snprintf(user, sizeof user, "bench%02u", i);
		uuid_v4(key);
		cJSON *b = cJSON_CreateObject();
		cJSON_AddStringToObject(b, "username", user);
		cJSON_AddStringToObject(b, "name", user);
		cJSON_AddStringToObject(b, "password", PASSWORD);
		cJSON_AddStringToObject(b, "branch", "CEN");
		cJSON_AddItemToObject(b, "roles",
				      cJSON_CreateStringArray((const char *[]){"balie", "ido"}, 2));
		struct api_reply *r = api_call(admin, "POST", "/staff", b, key);
		good = r->outcome == API_OK;
		if (!good)
			printf("# POST /staff %s: %ld %s\n", user, r->status,
			       r->error_code ? r->error_code : "");
		api_reply_free(r);
		cJSON_Delete(b);
	}
	api_free(admin);
	return good;
}

/* The demo patrons without a block and with room for loans, and the demo
 * items the service lends (tried twice: lent to a helper and taken back; a
 * copy that a check-in gave to a hold on its title, which the next loan is
 * refused, is left out). */
static bool find_world(struct api *api, char (**items)[15], size_t *n_items)
{
	world.cards = xcalloc(60, sizeof *world.cards);
	world.n_cards = harness_demo_patrons(api, world.cards, 60);
	*items = xcalloc(500, sizeof **items);
	*n_items = 0;
	struct desk helper = { .api = api, .id = 99 }; /* quiet: refusals are expected */
	for (unsigned k = 1; k <= 500; k++) {
		char code[15];
		harness_demo_code("3100000", k, code);
		bool lendable = true;
		for (int round = 0; lendable && round < 2; round++)
			lendable = item_call(&helper, K_CHECKOUT, "/checkouts", world.cards[0], code) &&
			       item_call(&helper, K_CHECKIN, "/checkins", NULL, code);
		if (lendable)
			memcpy((*items)[(*n_items)++], code, 15);
	}
	for (int k = 0; k < K_N; k++)
		bench_samples_free(&helper.lat[k]);
	printf("# the demo data: %zu patrons without blocks, %zu items to lend\n", world.n_cards,
	       *n_items);
	return world.n_cards >= 5 && *n_items >= 40;
}

/* CPU seconds (user and system) that process pid has used so far. */
static double cpu_seconds(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	size_t len = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[len] = '\0';
	const char *p = strrchr(buf, ')');
	unsigned long utime = 0, stime = 0;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime,
			 &stime) != 2)
		return 0.0;
	return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

/* Runs desks desks for seconds seconds; their samples are merged into all. */
static double run_desks(const struct harness *h, unsigned desks, double seconds,
			char (*items)[15], size_t n_items, struct desk *all)
{
	struct desk *d = xcalloc(desks, sizeof *d);
	size_t per = n_items / desks;
	unsigned ready = 0;
	for (unsigned i = 0; i < desks; i++) {
		char user[32];
		snprintf(user, sizeof user, "bench%02u", i);
		d[i].id = i;
		d[i].items = items + i * per;
		d[i].n_items = per;
		d[i].api = logged_in_api(h, user, PASSWORD);
		ready += d[i].api != NULL;
	}
	double elapsed = 0.0;
	world.desks = desks;
	if (ready == desks && per >= 10 && world.n_cards >= desks) {
		pthread_t *t = xcalloc(desks, sizeof *t);
		atomic_store(&world.stop, false);
		double t0 = bench_now_ms();
		double cpu_service = cpu_seconds(h->pid), cpu_self = cpu_seconds(getpid());
		world.until_ms = t0 + seconds * 1000.0;
		for (unsigned i = 0; i < desks; i++)
			pthread_create(&t[i], NULL, desk_run, &d[i]);
		for (unsigned i = 0; i < desks; i++)
			pthread_join(t[i], NULL);
		elapsed = (bench_now_ms() - t0) / 1000.0;
		/* Both share the machine's cores: what each used says which is
		 * the bottleneck. */
		printf("# CPU used: balied %.2f cores, the load generator %.2f cores (of %ld)\n",
		       (cpu_seconds(h->pid) - cpu_service) / elapsed,
		       (cpu_seconds(getpid()) - cpu_self) / elapsed, sysconf(_SC_NPROCESSORS_ONLN));
		free(t);
	} else {
		printf("# %u of %u desks logged in, %zu items each (10 needed)\n", ready, desks, per);
	}
	for (unsigned i = 0; i < desks; i++) {
		for (int k = 0; k < K_N; k++) {
			bench_samples_merge(&all->lat[k], &d[i].lat[k]);
			all->refused[k] += d[i].refused[k];
			all->failed[k] += d[i].failed[k];
			bench_samples_free(&d[i].lat[k]);
		}
		api_free(d[i].api);
	}
	free(d);
	return elapsed;
}

static void print_kinds(struct desk *all, double elapsed)
{
	for (int k = 0; k < K_N; k++) {
		if (all->lat[k].n == 0 && all->refused[k] == 0 && all->failed[k] == 0)
			continue;
		char what[64];
		snprintf(what, sizeof what, "%s", kind_names[k]);
		bench_samples_print(&all->lat[k], what);
		if (elapsed > 0)
			printf("#   %.0f a second; refused %lu, failed %lu\n",
			       (double)all->lat[k].n / elapsed, all->refused[k], all->failed[k]);
	}
}

static void free_kinds(struct desk *all)
{
	for (int k = 0; k < K_N; k++)
		bench_samples_free(&all->lat[k]);
}

struct args {
	unsigned desks;
	double seconds;
	unsigned threads; /* balied's worker threads; 0: its default */
};

static bool parse_args(int argc, char **argv, struct args *a)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--desks") == 0 && i + 1 < argc)
			a->desks = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			a->threads = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
			a->seconds = strtod(argv[++i], NULL);
		else
			return false;
	}
	return a->desks >= 1 && a->desks <= 40 && a->seconds > 0;
}

static void floors(const struct harness *h, struct api *api, double *health_p50,
		   double *journal_p50, double *store_p50)
{
	struct desk probe = { .api = api };
	for (int i = 0; i < 2000; i++)
		call_ok(&probe, K_HEALTH, "GET", "/health", NULL);
	bench_samples_print(&probe.lat[K_HEALTH], "floor GET /health");
	*health_p50 = bench_samples_quantile(&probe.lat[K_HEALTH], 0.5);
	free_kinds(&probe);
	struct bench_samples journal = {0}, store = {0};
	char *err = NULL;
	if (!bench_floor_journal(h->dir, 1000, &journal, &err) ||
	    !bench_floor_store(h->dir, 1000, &store, &err)) {
		printf("# floor: %s\n", err);
		free(err);
	}
	bench_samples_print(&journal, "floor journal commit");
	bench_samples_print(&store, "floor store commit");
	*journal_p50 = bench_samples_quantile(&journal, 0.5);
	*store_p50 = bench_samples_quantile(&store, 0.5);
	bench_samples_free(&journal);
	bench_samples_free(&store);
}

static void figures(struct desk *one, struct desk *many, double elapsed, unsigned desks,
		    double health, double journal, double store)
{
	char value[128], target[64];
	struct bench_samples *co = &one->lat[K_CHECKOUT];
	double p50 = bench_samples_quantile(co, 0.5), p99 = bench_samples_quantile(co, 0.99);
	snprintf(value, sizeof value, "%.2f ms (p50 %.2f, max %.2f, n %zu)", p99, p50,
		 bench_samples_max(co), co->n);
	bench_figure("checkout p99, one desk, service round trip", value, "<= 10 ms",
		     co->n > 0 && p99 <= 10.0);
	double floor_service = health + store;
	snprintf(value, sizeof value, "%.2fx (p50 %.2f ms / floor %.2f = health %.2f + store %.2f)",
		 p50 / floor_service, p50, floor_service, health, store);
	bench_figure("checkout p50 / floor, service round trip", value, "<= 2x",
		     co->n > 0 && p50 <= 2.0 * floor_service);
	printf("floor\t%.3f\t%.3f\t%.3f\n", health, journal, store);
	struct bench_samples both = {0};
	bench_samples_merge(&both, &many->lat[K_CHECKOUT]);
	bench_samples_merge(&both, &many->lat[K_CHECKIN]);
	double rate = elapsed > 0 ? (double)both.n / elapsed : 0.0;
	double p99_many = bench_samples_quantile(&both, 0.99);
	unsigned long bad = many->failed[K_CHECKOUT] + many->failed[K_CHECKIN] +
			    many->refused[K_CHECKOUT] + many->refused[K_CHECKIN];
	snprintf(value, sizeof value, "%.0f/s (%zu in %.1f s, %lu refused or failed)", rate, both.n,
		 elapsed, bad);
	snprintf(target, sizeof target, ">= 2000/s, %u desks", desks);
	bench_figure("checkouts + check-ins a second", value, target, rate >= 2000.0);
	snprintf(value, sizeof value, "%.2f ms (p50 %.2f, p90 %.2f, max %.2f)", p99_many,
		 bench_samples_quantile(&both, 0.5), bench_samples_quantile(&both, 0.9),
		 bench_samples_max(&both));
	snprintf(target, sizeof target, "<= 20 ms, %u desks", desks);
	bench_figure("checkout + check-in p99 under load", value, target,
		     both.n > 0 && p99_many <= 20.0);
	bench_samples_free(&both);
}

int main(int argc, char **argv)
{
	struct args a = { .desks = 20, .seconds = 10.0 };
	if (!parse_args(argc, argv, &a)) {
		fprintf(stderr, "usage: bench-load [--desks 1..40] [--seconds S] [--threads T]\n");
		return 2;
	}
	struct harness h;
	char conf[64] = "";
	if (a.threads)
		snprintf(conf, sizeof conf, "threads = %u\n", a.threads);
	if (!harness_start(&h, &(struct harness_opts){ .training = true,
						       .config_text = a.threads ? conf : NULL })) {
		printf("# balied did not start (is BALIED set?)\n");
		harness_cleanup(&h);
		return 1;
	}
	int status = 1;
	char (*items)[15] = NULL;
	size_t n_items = 0;
	struct api *api = logged_in_api(&h, "balie", "oefenen");
	if (!api || !make_accounts(&h, a.desks) || !find_world(api, &items, &n_items))
		goto out;
	double health, journal, store;
	floors(&h, api, &health, &journal, &store);
	struct desk one = {0}, many = {0};
	printf("# one desk alone for %.0f s:\n", a.seconds / 2);
	double t1 = run_desks(&h, 1, a.seconds / 2, items, n_items, &one);
	print_kinds(&one, t1);
	printf("# %u desks at once for %.0f s:\n", a.desks, a.seconds);
	fflush(stdout);
	double tn = run_desks(&h, a.desks, a.seconds, items, n_items, &many);
	print_kinds(&many, tn);
	if (t1 > 0 && tn > 0) {
		figures(&one, &many, tn, a.desks, health, journal, store);
		status = 0;
	}
	free_kinds(&one);
	free_kinds(&many);
out:
	api_free(api);
	free(items);
	free(world.cards);
	if (harness_stop(&h) != 0) {
		printf("# balied did not stop cleanly\n");
		harness_dump_log(&h);
		status = 1;
	}
	harness_cleanup(&h);
	return status;
}
