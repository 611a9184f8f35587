/* balied's own figures for GET /metrics, in the Prometheus text exposition
 * format: counters, gauges and histograms that any thread adds to. A family
 * is a static struct metric, defined where it is counted; it joins the
 * registry on its first use (or metrics_register), so that a new counter is
 * one definition and one call:
 *
 *     static struct metric msgs = METRIC_COUNTER("balied_sip2_messages_total",
 *             "SIP2 messages received, by command.", "command");
 *     metrics_add(&msgs, METRIC_LABELS("checkout"), 1);
 *
 * Names follow Prometheus' conventions (a balied_ prefix, base units, _total
 * for counters); the label names follow the help (NULL for none); label
 * values are escaped here. One lock guards the whole
 * registry: an update is a few list steps under it. */
#ifndef BALIED_METRICS_H
#define BALIED_METRICS_H

#include <stdbool.h>
#include <stddef.h>

enum { METRIC_MAX_LABELS = 4 };

enum metric_type { METRIC_TYPE_COUNTER, METRIC_TYPE_GAUGE, METRIC_TYPE_HISTOGRAM };

struct metric_series;

struct metric {
	const char *name;
	const char *help;
	enum metric_type type;
	const char *labels[METRIC_MAX_LABELS + 1]; /* label names, NULL after the last */
	const double *buckets;                     /* histograms: upper bounds, rising */
	size_t n_buckets;
	/* The registry's, under its lock. */
	bool registered;
	struct metric *next;
	struct metric_series *series;
};

#define METRIC_COUNTER(name_, help_, ...) \
	{ .name = (name_), .help = (help_), .type = METRIC_TYPE_COUNTER, \
	  .labels = { __VA_ARGS__ } }
#define METRIC_GAUGE(name_, help_, ...) \
	{ .name = (name_), .help = (help_), .type = METRIC_TYPE_GAUGE, .labels = { __VA_ARGS__ } }
/* buckets_ is a static array of upper bounds (seconds, bytes, ...). */
#define METRIC_HISTOGRAM(name_, help_, buckets_, ...) \
	{ .name = (name_), .help = (help_), .type = METRIC_TYPE_HISTOGRAM, \
	  .buckets = (buckets_), .n_buckets = sizeof(buckets_) / sizeof((buckets_)[0]), \
	  .labels = { __VA_ARGS__ } }

/* The label values of one series, in the order of the family's names. */
#define METRIC_LABELS(...) ((const char *const[]){ __VA_ARGS__, NULL })
/* For a family without labels. */
#define METRIC_NO_LABELS ((const char *const[]){ NULL })

/* Makes the family show in the output before anything is counted in it (a
 * family without labels then shows 0). */
void metrics_register(struct metric *m);

/* Adds by (at least 0) to a counter's or a gauge's series. */
void metrics_add(struct metric *m, const char *const *values, double by);
/* Sets a gauge's series; also a counter whose total is kept elsewhere (in
 * the database), read when the metrics are asked for. */
void metrics_set(struct metric *m, const char *const *values, double value);
/* Counts one observation in a histogram's series. */
void metrics_observe(struct metric *m, const char *const *values, double value);

/* Every registered family in the text format (version 0.0.4), newly
 * allocated: free it. Families in the order they registered, series in the
 * order they were first counted; histogram buckets cumulative, ending with
 * le="+Inf", which equals _count. */
char *metrics_render_dup(void);

/* Seconds on the monotonic clock, for durations. */
double metrics_now_seconds(void);

#endif
