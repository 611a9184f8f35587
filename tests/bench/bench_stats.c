#include "bench_stats.h"

#include "core/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

double bench_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void bench_samples_add(struct bench_samples *s, double ms)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->ms = xrealloc(s->ms, s->cap * sizeof *s->ms);
	}
	s->ms[s->n++] = ms;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double bench_samples_quantile(struct bench_samples *s, double q)
{
	if (s->n == 0)
		return 0.0;
	qsort(s->ms, s->n, sizeof *s->ms, cmp_double);
	size_t rank = (size_t)ceil(q * (double)s->n);
	return s->ms[rank == 0 ? 0 : rank - 1];
}

double bench_samples_max(struct bench_samples *s)
{
	return bench_samples_quantile(s, 1.0);
}

void bench_samples_merge(struct bench_samples *to, const struct bench_samples *from)
{
	for (size_t i = 0; i < from->n; i++)
		bench_samples_add(to, from->ms[i]);
}

void bench_samples_free(struct bench_samples *s)
{
	free(s->ms);
	*s = (struct bench_samples){0};
}

void bench_samples_print(struct bench_samples *s, const char *what)
{
	printf("# %-22s n %6zu  p50 %7.3f  p90 %7.3f  p99 %7.3f  max %8.3f ms\n", what, s->n,
	       bench_samples_quantile(s, 0.50), bench_samples_quantile(s, 0.90),
	       bench_samples_quantile(s, 0.99), bench_samples_max(s));
	fflush(stdout);
}

void bench_figure(const char *name, const char *value, const char *target, bool met)
{
	printf("figure\t%s\t%s\t%s\t%s\n", name, value, target, met ? "met" : "missed");
	fflush(stdout);
}

void bench_figure_missing(const char *name, const char *why, const char *target)
{
	printf("figure\t%s\t%s\t%s\tnot measured\n", name, why, target);
	fflush(stdout);
}
