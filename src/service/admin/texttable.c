#include "service/admin/texttable.h"

#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

struct texttable {
	size_t ncols, nrows;
	char **cells; /* nrows * ncols */
};

struct texttable *texttable_new(size_t ncols)
{
	struct texttable *t = xcalloc(1, sizeof *t);
	t->ncols = ncols;
	return t;
}

void texttable_free(struct texttable *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

void texttable_add(struct texttable *t, const char *const *cells)
{
	t->cells = xrealloc(t->cells, (t->nrows + 1) * t->ncols * sizeof *t->cells);
	for (size_t c = 0; c < t->ncols; c++)
		t->cells[t->nrows * t->ncols + c] = xstrdup(cells[c] ? cells[c] : "-");
	t->nrows++;
}

size_t texttable_width(const char *s)
{
	mbstate_t st = {0};
	size_t width = 0;
	const char *p = s;
	while (*p) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, strlen(p), &st);
		if (n == (size_t)-1 || n == (size_t)-2)
			return strlen(s);
		int w = wcwidth(wc);
		width += w > 0 ? (size_t)w : 0;
		p += n;
	}
	return width;
}

void texttable_print(const struct texttable *t, FILE *out)
{
	size_t *widths = xcalloc(t->ncols ? t->ncols : 1, sizeof *widths);
	for (size_t i = 0; i < t->nrows * t->ncols; i++) {
		size_t w = texttable_width(t->cells[i]);
		if (w > widths[i % t->ncols])
			widths[i % t->ncols] = w;
	}
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *cell = t->cells[r * t->ncols + c];
			fputs(cell, out);
			if (c + 1 == t->ncols)
				break;
			for (size_t w = texttable_width(cell); w < widths[c] + 2; w++)
				fputc(' ', out);
		}
		fputc('\n', out);
	}
	free(widths);
}
