#include "client/loan_stats.h"

#include "client/queued.h"
#include "core/i18n.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *loan_stats_type_text(const char *code)
{
	static const struct {
		const char *code, *text;
	} words[] = {
		{ "book", N_("book") },
		{ "audiovisual", N_("audiovisual") },
		{ "magazine", N_("magazine") },
		{ "game", N_("game") },
	};
	for (size_t i = 0; code && i < sizeof words / sizeof words[0]; i++)
		if (strcmp(words[i].code, code) == 0)
			return _(words[i].text);
	return code ? code : "";
}

static long long count_of(const cJSON *obj, const char *action)
{
	long long n = 0;
	return jsonx_int(obj, action, &n) ? n : 0;
}

static int most_first(const void *a, const void *b)
{
	const struct ido_entry *x = a, *y = b;
	return (y->count > x->count) - (y->count < x->count);
}

/* The loans of each entry of arr, labelled by label (NULL: the code as dd-mm). */
static void entries_of(const cJSON *arr, const char *(*label)(const char *),
		       struct ido_entries *out)
{
	size_t n = (size_t)cJSON_GetArraySize(arr);
	out->items = n ? xcalloc(n, sizeof *out->items) : NULL;
	out->n = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr) {
		const char *code = jsonx_string(e, "code");
		struct ido_entry *it = &out->items[out->n++];
		it->code = xstrdup(code ? code : "");
		if (label)
			it->label = xstrdup(label(it->code));
		else
			it->label = strlen(it->code) == 10 ? xasprintf("%.2s-%.2s", it->code + 8,
								     it->code + 5)
							   : xstrdup(it->code);
		it->count = (long)count_of(e, "checkout");
	}
}

struct loan_stats *loan_stats_decode(const cJSON *body, char **err)
{
	const cJSON *t = jsonx_object(body, "total");
	if (!t) {
		*err = xstrdup("\"total\" is missing or not an object");
		return NULL;
	}
	struct loan_stats *s = xcalloc(1, sizeof *s);
	s->checkout = count_of(t, "checkout");
	s->renewal = count_of(t, "renewal");
	s->checkin = count_of(t, "checkin");
	s->in_house = count_of(t, "in_house");
	entries_of(jsonx_array(body, "by_item_type"), loan_stats_type_text, &s->loans_by_type);
	/* No types: items is NULL, which qsort may not be given. */
	if (s->loans_by_type.n > 1)
		qsort(s->loans_by_type.items, s->loans_by_type.n, sizeof *s->loans_by_type.items,
		      most_first);
	entries_of(jsonx_array(body, "by_day"), NULL, &s->loans_by_day);
	return s;
}

static void entries_free(struct ido_entries *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->items[i].code);
		free(e->items[i].label);
	}
	free(e->items);
}

void loan_stats_free(struct loan_stats *s)
{
	if (!s)
		return;
	entries_free(&s->loans_by_type);
	entries_free(&s->loans_by_day);
	free(s);
}

QUEUED_DECODER(decode, struct loan_stats, loan_stats_decode, loan_stats_fn, "GET /stats/loans")

void loan_stats_start(struct scanq *q, const char *from, const char *to, loan_stats_fn done,
		      void *ctx, unsigned tag)
{
	/* Dates of digits and '-': nothing to escape. */
	char *path = xasprintf("/stats/loans?from=%s&to=%s", from, to);
	queued_start(q, "GET", path, NULL, false, decode, (call_fn)done, ctx, tag);
	free(path);
}
