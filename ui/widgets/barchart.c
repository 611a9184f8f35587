#include "ui/widgets/barchart.h"

#include "core/i18n.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BARCHART_COUNT_W = 6 };

static void barchart_bar(WINDOW *w, int y, int x, int len)
{
	char *bar = xmalloc((size_t)len * 3 + 1);
	const char *cell = term_is_utf8() ? "\u2588" : "#";
	size_t cl = strlen(cell);
	for (int i = 0; i < len; i++)
		memcpy(bar + (size_t)i * cl, cell, cl);
	bar[(size_t)len * cl] = '\0';
	term_text_as(w, y, x, len, bar, TERM_TITLE);
	free(bar);
}

/* A bar gets at least this many columns, the label what remains. */
enum { BARCHART_BAR_MIN = 12 };

static int barchart_label_w(int width, const struct ido_entries *e)
{
	int label_w = 0;
	for (size_t i = 0; i < e->n; i++) {
		int lw = term_width(e->items[i].label);
		if (lw > label_w)
			label_w = lw;
	}
	int room = width - 1 - BARCHART_COUNT_W - BARCHART_BAR_MIN;
	return label_w < room ? label_w : room;
}

/* The rows entry i takes: its label, wrapped in the label column. */
static int barchart_entry_rows(const struct ido_entries *e, size_t i, int label_w)
{
	int r = term_wrap_rows(label_w, e->items[i].label);
	return r > 1 ? r : 1;
}

/* "... and 3 more: A, B, C": the entries from first on, named, so that no
 * label is hidden behind a count. */
static char *barchart_more_dup(const struct ido_entries *e, size_t first)
{
	char *more = xasprintf(P_("... and %zu more:", "... and %zu more:", e->n - first),
			       e->n - first);
	for (size_t i = first; i < e->n; i++) {
		char *next = xasprintf(i == first ? "%s %s" : "%s, %s", more, e->items[i].label);
		free(more);
		more = next;
	}
	return more;
}

int barchart_rows(int width, const struct ido_entries *e)
{
	if (width < 20)
		return 0;
	int label_w = barchart_label_w(width, e), rows = 0;
	for (size_t i = 0; i < e->n; i++)
		rows += barchart_entry_rows(e, i, label_w);
	return rows;
}

/* How many entries to show in rows, leaving room to name the others. */
static size_t barchart_shown(const struct ido_entries *e, int width, int label_w, int rows)
{
	if (barchart_rows(width, e) <= rows)
		return e->n;
	size_t shown = e->n;
	while (shown > 0) {
		int used = 0;
		for (size_t i = 0; i < shown; i++)
			used += barchart_entry_rows(e, i, label_w);
		char *more = barchart_more_dup(e, shown);
		used += term_wrap_rows(width, more);
		free(more);
		if (used <= rows)
			break;
		shown--;
	}
	return shown;
}

int barchart_draw(WINDOW *w, int y, int x, int width, int rows, const struct ido_entries *e)
{
	if (rows < 1 || width < 20)
		return 0;
	long max = 1;
	for (size_t i = 0; i < e->n; i++)
		if (e->items[i].count > max)
			max = e->items[i].count;
	int label_w = barchart_label_w(width, e);
	int bar_w = width - label_w - 1 - BARCHART_COUNT_W;
	size_t shown = barchart_shown(e, width, label_w, rows);
	int used = 0;
	for (size_t i = 0; i < shown; i++) {
		const struct ido_entry *en = &e->items[i];
		int h = term_text_wrap(w, y + used, x, label_w, rows - used, en->label, TERM_NORMAL);
		int len = (int)((en->count * bar_w + max - 1) / max);
		if (len < 1 && en->count > 0)
			len = 1;
		barchart_bar(w, y + used, x + label_w + 1, len);
		char n[24];
		snprintf(n, sizeof n, " %ld", en->count);
		term_text(w, y + used, x + label_w + 1 + len, BARCHART_COUNT_W, n);
		used += h > 1 ? h : 1;
	}
	if (shown < e->n) {
		char *more = barchart_more_dup(e, shown);
		used += term_text_wrap(w, y + used, x, width, rows - used, more, TERM_NOTE);
		free(more);
	}
	return used;
}
