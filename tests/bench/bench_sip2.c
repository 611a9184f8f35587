/* SIP2 from kiosks (DESIGN.md section 7): N kiosks at once on a real
 * training balied over loopback, each with its own kiosk account and
 * connection, checking items out (11/12) to a patron and in again (09/10)
 * in turns, with AY and AZ, each call timed from the write of the message
 * to its answer's CR. The target is p99 <= 20 ms for both: a sorter gives
 * up after 1 s.
 *
 * Usage: bench-sip2 [--kiosks N] [--seconds S] [--pause-ms P]
 * With --pause-ms each kiosk waits P ms after each answer (a kiosk's pace;
 * 0, the default, sends as fast as balied answers: the worst case).
 * Needs BALIED (the built balied). Prints "# " details and figure lines
 * (bench_stats.h). A benchmark, not a test. */
#include "bench_stats.h"
#include "harness.h"
#include "sip2_client.h"

#include "core/xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { MAX_KIOSKS = 64, ITEMS_EACH = 6 };

#define PASSWORD "bench-kiosk-2026"

struct kiosk {
	unsigned port, id;
	double until_ms;
	char card[15];
	char items[ITEMS_EACH][15];
	struct bench_samples out, in;
	unsigned long refused, failed;
	int seq;
	unsigned pause_ms;
};

static char *call(struct kiosk *k, int fd, const char *msg, struct bench_samples *s)
{
	char *framed = sip2c_with_checksum_dup(msg, k->seq);
	k->seq = (k->seq + 1) % 10;
	double t0 = bench_now_ms();
	char *a = sip2c_call_dup(fd, framed);
	double ms = bench_now_ms() - t0;
	free(framed);
	if (k->pause_ms)
		usleep(k->pause_ms * 1000);
	if (!a)
		k->failed++;
	else
		bench_samples_add(s, ms);
	return a;
}

static void round_of(struct kiosk *k, int fd)
{
	char now[19];
	sip2c_now(now);
	for (unsigned i = 0; i < ITEMS_EACH; i++) {
		char *m = xasprintf("11NN%s                  AOCEN|AA%s|AB%s|AC|", now, k->card,
				    k->items[i]);
		char *a = call(k, fd, m, &k->out);
		if (a && strncmp(a, "121", 3) != 0)
			k->refused++;
		free(a);
		free(m);
	}
	for (unsigned i = 0; i < ITEMS_EACH; i++) {
		char *m = xasprintf("09N%s%sAPCEN|AOCEN|AB%s|AC|", now, now, k->items[i]);
		char *a = call(k, fd, m, &k->in);
		if (a && strncmp(a, "101", 3) != 0)
			k->refused++;
		free(a);
		free(m);
	}
}

static void *kiosk_main(void *arg)
{
	struct kiosk *k = arg;
	char user[32];
	snprintf(user, sizeof user, "bench-kiosk-%02u", k->id);
	int fd = -1;
	for (int i = 0; i < 50 && fd < 0; i++)
		if ((fd = sip2c_login(k->port, user, PASSWORD, "CEN")) < 0)
			usleep(100000);
	if (fd < 0) {
		k->failed++;
		return NULL;
	}
	while (bench_now_ms() < k->until_ms)
		round_of(k, fd);
	close(fd);
	return NULL;
}

static bool add_kiosk(const struct harness *h, unsigned id)
{
	char user[32];
	snprintf(user, sizeof user, "bench-kiosk-%02u", id);
	char *out = NULL, *err = NULL;
	int rc = harness_run(h, PASSWORD "\n", &out, &err, "user", "add", user, "--role", "kiosk",
			     "--branch", "CEN", "--password-stdin", NULL);
	free(out);
	free(err);
	return rc == 0;
}

static void figure(struct bench_samples *s, const char *name, unsigned kiosks)
{
	char title[96], value[64];
	snprintf(title, sizeof title, "%s from %u kiosks", name, kiosks);
	bench_samples_print(s, title);
	snprintf(value, sizeof value, "p50 %.1f ms, p99 %.1f ms", bench_samples_quantile(s, 0.5),
		 bench_samples_quantile(s, 0.99));
	bench_figure(title, value, "p99 <= 20 ms", s->n && bench_samples_quantile(s, 0.99) <= 20);
}

static bool parse_args(int argc, char **argv, unsigned *kiosks, unsigned *seconds,
		       unsigned *pause_ms)
{
	for (int i = 1; i + 1 < argc; i += 2) {
		unsigned v = (unsigned)strtoul(argv[i + 1], NULL, 10);
		if (strcmp(argv[i], "--kiosks") == 0 && v >= 1 && v <= MAX_KIOSKS)
			*kiosks = v;
		else if (strcmp(argv[i], "--seconds") == 0 && v >= 1)
			*seconds = v;
		else if (strcmp(argv[i], "--pause-ms") == 0 && v <= 10000)
			*pause_ms = v;
		else
			return false;
	}
	return argc % 2 == 1;
}

static int run(struct harness *h, unsigned n, unsigned seconds, unsigned pause_ms)
{
	static struct kiosk k[MAX_KIOSKS];
	char *log = harness_log_dup(h);
	unsigned port = sip2c_port_from_log(log);
	free(log);
	struct api *api = harness_desk_api(h);
	char cards[MAX_KIOSKS][15];
	size_t n_cards = api ? harness_demo_patrons(api, cards, n) : 0;
	api_free(api);
	for (unsigned i = 0; i < n; i++)
		if (!add_kiosk(h, i))
			return 1;
	if (!port || n_cards < n) {
		printf("# no SIP2 port, or only %zu patrons without a block\n", n_cards);
		return 1;
	}
	double until = bench_now_ms() + 1000.0 * seconds;
	pthread_t t[MAX_KIOSKS];
	for (unsigned i = 0; i < n; i++) {
		k[i] = (struct kiosk){ .port = port, .id = i, .until_ms = until,
				       .pause_ms = pause_ms };
		memcpy(k[i].card, cards[i], sizeof k[i].card);
		for (unsigned j = 0; j < ITEMS_EACH; j++)
			harness_demo_code("3100000", 1 + i * 20 + j, k[i].items[j]);
		pthread_create(&t[i], NULL, kiosk_main, &k[i]);
	}
	struct bench_samples out = { 0 }, in = { 0 };
	unsigned long refused = 0, failed = 0;
	for (unsigned i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		bench_samples_merge(&out, &k[i].out);
		bench_samples_merge(&in, &k[i].in);
		refused += k[i].refused;
		failed += k[i].failed;
		bench_samples_free(&k[i].out);
		bench_samples_free(&k[i].in);
	}
	printf("# %u kiosks for %u s, %u ms between calls: %zu checkouts and %zu checkins"
	       " (%.0f a second), %lu refused, %lu without an answer\n", n, seconds, pause_ms,
	       out.n, in.n,
	       (double)(out.n + in.n) / seconds, refused, failed);
	figure(&out, "SIP2 checkout 11/12", n);
	figure(&in, "SIP2 checkin 09/10", n);
	bench_samples_free(&out);
	bench_samples_free(&in);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned kiosks = 20, seconds = 10, pause_ms = 0;
	if (!parse_args(argc, argv, &kiosks, &seconds, &pause_ms)) {
		fprintf(stderr, "usage: bench-sip2 [--kiosks N] [--seconds S] [--pause-ms P]\n");
		return 2;
	}
	struct harness h;
	if (!harness_start(&h, &(struct harness_opts){ .training = true,
						       .config_text = "sip2_listen = 127.0.0.1:0\n"
								      "login_max_failures = 200\n" })) {
		bench_figure_missing("SIP2 checkout 11/12", "balied did not start", "p99 <= 20 ms");
		return 1;
	}
	int status = run(&h, kiosks, seconds, pause_ms);
	harness_stop(&h);
	harness_cleanup(&h);
	return status;
}
