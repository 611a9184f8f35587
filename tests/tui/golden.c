/* Golden screens (see golden.h). */
#include "golden.h"

#include "core/clock.h"
#include "core/xalloc.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rows of a screen or of a golden file: allocated strings. */
struct golden_rows {
	char **row;
	int n;
};

static void golden_rows_free(struct golden_rows *g)
{
	for (int i = 0; i < g->n; i++)
		free(g->row[i]);
	free(g->row);
	g->row = NULL;
	g->n = 0;
}

static void golden_rows_add(struct golden_rows *g, char *row)
{
	g->row = xrealloc(g->row, (size_t)(g->n + 1) * sizeof *g->row);
	g->row[g->n++] = row;
}

/* text with every match of re replaced by replacement; frees text. An
 * empty match replaces nothing and moves on by one byte. */
static char *golden_replace(char *text, const regex_t *re, const char *replacement)
{
	char *out = xstrdup("");
	const char *at = text;
	regmatch_t m;
	while (*at && regexec(re, at, 1, &m, at == text ? 0 : REG_NOTBOL) == 0) {
		bool empty = m.rm_eo == m.rm_so;
		int keep = (int)m.rm_so + (empty ? 1 : 0);
		char *next = xasprintf("%s%.*s%s", out, keep, at, empty ? "" : replacement);
		free(out);
		out = next;
		at += empty ? m.rm_so + 1 : m.rm_eo;
	}
	char *all = xasprintf("%s%s", out, at);
	free(out);
	free(text);
	return all;
}

static bool golden_mask_row(char **row, int r, const struct golden_mask *masks)
{
	for (size_t i = 0; masks && masks[i].pattern; i++) {
		if (masks[i].row != -1 && masks[i].row != r)
			continue;
		regex_t re;
		if (regcomp(&re, masks[i].pattern, REG_EXTENDED) != 0) {
			printf("# golden: the mask \"%s\" is not a regular expression\n",
			       masks[i].pattern);
			return false;
		}
		*row = golden_replace(*row, &re, masks[i].replacement);
		regfree(&re);
	}
	return true;
}

/* The screen now, masked; false when a mask is broken. */
static bool golden_screen(const struct vt *vt, const struct golden_mask *masks,
			  struct golden_rows *got)
{
	int rows, cols;
	vt_size(vt, &rows, &cols);
	for (int r = 0; r < rows; r++) {
		char *row = vt_row_dup(vt, r);
		if (!golden_mask_row(&row, r, masks)) {
			free(row);
			return false;
		}
		golden_rows_add(got, row);
	}
	return true;
}

static char *golden_path_dup(const char *name)
{
	const char *root = getenv("BALIE_SOURCE_ROOT");
	if (!root || !*root) {
		printf("# golden: BALIE_SOURCE_ROOT is not set (meson sets it for the tui suite)\n");
		return NULL;
	}
	return xasprintf("%s/tests/tui/screens/%s.txt", root, name);
}

/* The file's lines, without their newlines; false (saying why) when it
 * cannot be read. */
static bool golden_read(const char *path, struct golden_rows *want)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("# golden: %s: %s (BALIE_GOLDEN_UPDATE=1 writes it)\n", path,
		       strerror(errno));
		return false;
	}
	char *line = NULL;
	size_t size = 0;
	ssize_t len;
	while ((len = getline(&line, &size, f)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		golden_rows_add(want, xstrdup(line));
	}
	free(line);
	fclose(f);
	return true;
}

static bool golden_equal(const struct golden_rows *a, const struct golden_rows *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->row[i], b->row[i]) != 0)
			return false;
	return true;
}

static const char *golden_row_or(const struct golden_rows *g, int r)
{
	return r < g->n ? g->row[r] : "(no row)";
}

/* Expected and got row by row; '!' marks a row that differs. */
static void golden_diff(const char *path, const struct golden_rows *want,
			const struct golden_rows *got)
{
	int n = want->n > got->n ? want->n : got->n;
	int differ = 0;
	for (int r = 0; r < n; r++)
		differ += strcmp(golden_row_or(want, r), golden_row_or(got, r)) != 0;
	printf("# golden: the screen differs from %s in %d of %d rows "
	       "(%d rows expected, %d on the screen)\n",
	       path, differ, n, want->n, got->n);
	for (int r = 0; r < n; r++) {
		const char *w = golden_row_or(want, r), *g = golden_row_or(got, r);
		if (strcmp(w, g) == 0) {
			printf("#   %2d          |%s|\n", r, w);
		} else {
			printf("# ! %2d expected |%s|\n", r, w);
			printf("# ! %2d got      |%s|\n", r, g);
		}
	}
	fflush(stdout);
}

static bool golden_write(const char *path, const struct golden_rows *got)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		printf("# golden: cannot write %s: %s\n", path, strerror(errno));
		return false;
	}
	for (int r = 0; r < got->n; r++)
		fprintf(f, "%s\n", got->row[r]);
	bool good = fclose(f) == 0;
	printf("# golden: %s %s\n", good ? "wrote" : "could not write", path);
	return good;
}

static bool golden_update(struct vt *vt, const char *path, const struct golden_mask *masks,
			  int deadline_ms)
{
	/* Written from a settled screen, so that the file is what stays. */
	vt_wait_quiet(vt, 1000, deadline_ms);
	struct golden_rows got = {0};
	bool good = golden_screen(vt, masks, &got) && golden_write(path, &got);
	golden_rows_free(&got);
	return good;
}

bool golden_wait(struct vt *vt, const char *name, const struct golden_mask *masks,
		 int deadline_ms)
{
	char *path = golden_path_dup(name);
	if (!path)
		return false;
	const char *update = getenv("BALIE_GOLDEN_UPDATE");
	if (update && strcmp(update, "1") == 0) {
		bool written = golden_update(vt, path, masks, deadline_ms);
		free(path);
		return written;
	}
	struct golden_rows want = {0}, got = {0};
	bool same = false;
	if (golden_read(path, &want)) {
		long long end = clock_now_ms() + deadline_ms;
		for (;;) {
			golden_rows_free(&got);
			if (!golden_screen(vt, masks, &got))
				break;
			same = golden_equal(&want, &got);
			if (same || clock_now_ms() >= end)
				break;
			vt_pump(vt, 100);
		}
		if (!same)
			golden_diff(path, &want, &got);
	}
	golden_rows_free(&want);
	golden_rows_free(&got);
	free(path);
	return same;
}
