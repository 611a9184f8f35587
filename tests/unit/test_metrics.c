/* service/metrics: the text format of counters, gauges and histograms
 * (cumulative buckets ending with +Inf, which equals _count), label values
 * escaped, families that register on first use, and counts from several
 * threads at once that add up. */
#include "service/metrics/metrics.h"
#include "tap.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const double buckets[] = { 0.01, 0.1, 1 };
static struct metric hits = METRIC_COUNTER("test_hits_total", "Hits.", "kind");
static struct metric depth = METRIC_GAUGE("test_depth", "Depth.", NULL);
static struct metric took = METRIC_HISTOGRAM("test_took_seconds", "Took.", buckets, "route");
static struct metric quiet = METRIC_COUNTER("test_quiet_total", "Never counted.", NULL);

enum { THREADS = 4, PER_THREAD = 10000 };

static void *count_many(void *arg)
{
	(void)arg;
	for (int i = 0; i < PER_THREAD; i++)
		metrics_add(&hits, METRIC_LABELS("busy"), 1);
	return NULL;
}

int main(void)
{
	metrics_register(&quiet);
	metrics_add(&hits, METRIC_LABELS("a \"b\"\\c\nd"), 2);
	metrics_set(&depth, METRIC_NO_LABELS, 7.5);
	metrics_observe(&took, METRIC_LABELS("/x"), 0.005);
	metrics_observe(&took, METRIC_LABELS("/x"), 0.5);
	metrics_observe(&took, METRIC_LABELS("/x"), 0.5);
	metrics_observe(&took, METRIC_LABELS("/x"), 30);
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, count_many, NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	char *text = metrics_render_dup();
	ok(strstr(text, "# HELP test_quiet_total Never counted.\n# TYPE test_quiet_total counter\n"
			"test_quiet_total 0\n") != NULL,
	   "a registered family without labels shows 0 before it is counted");
	ok(strstr(text, "test_hits_total{kind=\"a \\\"b\\\"\\\\c\\nd\"} 2\n") != NULL,
	   "a label value has its backslash, quotes and line end escaped");
	ok(strstr(text, "test_hits_total{kind=\"busy\"} 40000\n") != NULL,
	   "4 threads counting 10,000 each make 40,000");
	ok(strstr(text, "# TYPE test_depth gauge\ntest_depth 7.5\n") != NULL, "a gauge is set");
	ok(strstr(text, "test_took_seconds_bucket{route=\"/x\",le=\"0.01\"} 1\n"
			"test_took_seconds_bucket{route=\"/x\",le=\"0.1\"} 1\n"
			"test_took_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
			"test_took_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
			"test_took_seconds_sum{route=\"/x\"} 31.005\n"
			"test_took_seconds_count{route=\"/x\"} 4\n") != NULL,
	   "a histogram's buckets are cumulative, +Inf equals _count, and the sum is kept");
	ok(strstr(text, "# TYPE test_took_seconds histogram\n") && !strstr(text, "0.0100000"),
	   "bounds are written with the fewest digits that read back");
	if (tap_failed)
		diag("%s", text);
	free(text);
	return tap_done();
}
