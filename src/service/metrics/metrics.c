#include "service/metrics/metrics.h"

#include "core/xalloc.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One set of label values of a family: its value, or a histogram's counts
 * (per bucket, not yet cumulative; the last is above every bound). */
struct metric_series {
	struct metric_series *next;
	char *labels; /* name="value",... as written, escaped; "" for none */
	double value; /* counter, gauge; a histogram's sum */
	unsigned long long *counts;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct metric *registry_first;
static struct metric **registry_end = &registry_first;

static void register_locked(struct metric *m)
{
	if (m->registered)
		return;
	m->registered = true;
	m->next = NULL;
	*registry_end = m;
	registry_end = &m->next;
}


/* A label value as the text format wants it: backslash, quote and line end
 * escaped. */
static void escape_into(FILE *out, const char *value)
{
	for (const char *c = value; *c; c++) {
		if (*c == '\\' || *c == '"')
			fprintf(out, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", out);
		else
			fputc(*c, out);
	}
}

/* name="value",... of the family's label names and these values (a missing
 * value is ""), newly allocated. */
static char *labels_dup(const struct metric *m, const char *const *values)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (!out)
		abort();
	bool more = values != NULL;
	for (size_t i = 0; m->labels[i]; i++) {
		const char *v = more && values[i] ? values[i] : "";
		more = more && values[i];
		fprintf(out, "%s%s=\"", i ? "," : "", m->labels[i]);
		escape_into(out, v);
		fputc('"', out);
	}
	fclose(out);
	return text;
}

/* The series of these labels, made when it is new. Under the lock. */
static struct metric_series *series_locked(struct metric *m, char *labels)
{
	register_locked(m);
	struct metric_series **at = &m->series;
	for (; *at; at = &(*at)->next) {
		if (strcmp((*at)->labels, labels) == 0) {
			free(labels);
			return *at;
		}
	}
	struct metric_series *s = xcalloc(1, sizeof *s);
	s->labels = labels;
	if (m->type == METRIC_TYPE_HISTOGRAM)
		s->counts = xcalloc(m->n_buckets + 1, sizeof *s->counts);
	*at = s;
	return s;
}

void metrics_register(struct metric *m)
{
	pthread_mutex_lock(&registry_lock);
	register_locked(m);
	/* Without labels its one series exists from the start, at 0. */
	if (!m->labels[0] && !m->series)
		series_locked(m, xstrdup(""));
	pthread_mutex_unlock(&registry_lock);
}

void metrics_add(struct metric *m, const char *const *values, double by)
{
	char *labels = labels_dup(m, values);
	pthread_mutex_lock(&registry_lock);
	series_locked(m, labels)->value += by;
	pthread_mutex_unlock(&registry_lock);
}

void metrics_set(struct metric *m, const char *const *values, double value)
{
	char *labels = labels_dup(m, values);
	pthread_mutex_lock(&registry_lock);
	series_locked(m, labels)->value = value;
	pthread_mutex_unlock(&registry_lock);
}

void metrics_observe(struct metric *m, const char *const *values, double value)
{
	size_t bucket = 0;
	while (bucket < m->n_buckets && value > m->buckets[bucket])
		bucket++;
	char *labels = labels_dup(m, values);
	pthread_mutex_lock(&registry_lock);
	struct metric_series *s = series_locked(m, labels);
	s->counts[bucket]++;
	s->value += value;
	pthread_mutex_unlock(&registry_lock);
}

/* A number as the text format writes it: integers without a point, others
 * with enough digits to read back the same. */
static void number_into(FILE *out, double v)
{
	/* The fewest digits that read back as v: 0.00025, not 0.00025000000000000001. */
	char shortest[32];
	for (int digits = 1; digits <= 17; digits++) {
		snprintf(shortest, sizeof shortest, "%.*g", digits, v);
		if (strtod(shortest, NULL) == v)
			break;
	}
	if (isinf(v))
		fputs(v > 0 ? "+Inf" : "-Inf", out);
	else if (isnan(v))
		fputs("NaN", out);
	else if (v == floor(v) && fabs(v) < 1e15)
		fprintf(out, "%.0f", v);
	else
		fputs(shortest, out);
}

/* name{labels} or name{labels,extra} or name, and a space. */
static void sample_head(FILE *out, const char *name, const char *suffix, const char *labels,
			const char *extra)
{
	fprintf(out, "%s%s", name, suffix);
	if (*labels || extra)
		fprintf(out, "{%s%s%s}", labels, *labels && extra ? "," : "", extra ? extra : "");
	fputc(' ', out);
}

static void histogram_into(FILE *out, const struct metric *m, const struct metric_series *s)
{
	unsigned long long cumulative = 0;
	for (size_t b = 0; b <= m->n_buckets; b++) {
		cumulative += s->counts[b];
		char le[48] = "le=\"+Inf\"";
		if (b < m->n_buckets) {
			char *bound = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&bound, &len);
			if (!f)
				abort();
			number_into(f, m->buckets[b]);
			fclose(f);
			snprintf(le, sizeof le, "le=\"%s\"", bound);
			free(bound);
		}
		sample_head(out, m->name, "_bucket", s->labels, le);
		fprintf(out, "%llu\n", cumulative);
	}
	sample_head(out, m->name, "_sum", s->labels, NULL);
	number_into(out, s->value);
	fputc('\n', out);
	sample_head(out, m->name, "_count", s->labels, NULL);
	fprintf(out, "%llu\n", cumulative);
}

static const char *type_name(enum metric_type t)
{
	return t == METRIC_TYPE_COUNTER ? "counter" : t == METRIC_TYPE_GAUGE ? "gauge" : "histogram";
}

static void family_into(FILE *out, const struct metric *m)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", m->name, m->help, m->name, type_name(m->type));
	for (const struct metric_series *s = m->series; s; s = s->next) {
		if (m->type == METRIC_TYPE_HISTOGRAM) {
			histogram_into(out, m, s);
			continue;
		}
		sample_head(out, m->name, "", s->labels, NULL);
		number_into(out, s->value);
		fputc('\n', out);
	}
}

char *metrics_render_dup(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (!out)
		abort();
	pthread_mutex_lock(&registry_lock);
	for (const struct metric *m = registry_first; m; m = m->next)
		family_into(out, m);
	pthread_mutex_unlock(&registry_lock);
	fclose(out);
	return text;
}

double metrics_now_seconds(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}
