#include "barchart.h"

#include "i18n.h"
#include "term.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BARCHART_LABEL_MAX = 30, BARCHART_COUNT_W = 6 };

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

int barchart_draw(WINDOW *w, int y, int x, int width, int rows, const struct ido_entries *e)
{
	if (rows < 1 || width < 20)
		return 0;
	long max = 1;
	int label_w = 0;
	for (size_t i = 0; i < e->n; i++) {
		if (e->items[i].count > max)
			max = e->items[i].count;
		int lw = term_width(e->items[i].label);
		if (lw > label_w)
			label_w = lw;
	}
	if (label_w > BARCHART_LABEL_MAX)
		label_w = BARCHART_LABEL_MAX;
	if (label_w > width / 2)
		label_w = width / 2;
	int bar_w = width - label_w - 1 - BARCHART_COUNT_W;
	size_t shown = e->n <= (size_t)rows ? e->n : (size_t)rows - 1;
	int used = 0;
	for (size_t i = 0; i < shown; i++, used++) {
		const struct ido_entry *en = &e->items[i];
		term_text(w, y + used, x, label_w, en->label);
		int len = (int)((en->count * bar_w + max - 1) / max);
		if (len < 1 && en->count > 0)
			len = 1;
		barchart_bar(w, y + used, x + label_w + 1, len);
		char n[24];
		snprintf(n, sizeof n, " %ld", en->count);
		term_text(w, y + used, x + label_w + 1 + len, BARCHART_COUNT_W, n);
	}
	if (shown < e->n) {
		char *more = xasprintf(P_("... and %zu more", "... and %zu more", e->n - shown),
				       e->n - shown);
		term_text_as(w, y + used++, x, width, more, TERM_NOTE);
		free(more);
	}
	return used;
}
