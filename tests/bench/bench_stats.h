/* Latency samples and the figures a benchmark prints.
 *
 * A benchmark program prints its details as "# " lines and each figure as
 * one tab-separated line that scripts/bench gathers into the table:
 *   figure <TAB> name <TAB> value <TAB> target <TAB> met|missed|not measured
 */
#ifndef BALIE_BENCH_STATS_H
#define BALIE_BENCH_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* Milliseconds on the monotonic clock. */
double bench_now_ms(void);

struct bench_samples {
	double *ms;
	size_t n, cap;
};

void bench_samples_add(struct bench_samples *s, double ms);
/* The q-th quantile (0..1) by nearest rank; sorts the samples. 0 when empty. */
double bench_samples_quantile(struct bench_samples *s, double q);
double bench_samples_max(struct bench_samples *s);
/* Appends all of from to to. */
void bench_samples_merge(struct bench_samples *to, const struct bench_samples *from);
void bench_samples_free(struct bench_samples *s);

/* Prints "# what: n, p50 .., p90 .., p99 .., max .. ms". */
void bench_samples_print(struct bench_samples *s, const char *what);

/* Prints one figure line; value and target are shown as given. */
void bench_figure(const char *name, const char *value, const char *target, bool met);
/* A figure that could not be measured, and why (in the value column). */
void bench_figure_missing(const char *name, const char *why, const char *target);

#endif
