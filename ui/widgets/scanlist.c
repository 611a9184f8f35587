#include "ui/widgets/scanlist.h"

#include "core/i18n.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A desk session rarely scans this many; older lines are dropped. */
enum { SCANLIST_KEEP = 500, SCANLIST_SCANNED_W = 15, SCANLIST_OUTCOME_W = 18 };

void scanlist_init(struct scanlist *l)
{
	*l = (struct scanlist){ .next_id = 1 };
}

static void line_clear(struct scanline *s)
{
	free(s->scanned);
	free(s->outcome);
	free(s->detail);
}

void scanlist_clear(struct scanlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		line_clear(&l->lines[i]);
	l->n = 0;
}

unsigned scanlist_next_id(const struct scanlist *l)
{
	return l->next_id ? l->next_id : 1;
}

/* Removes the lines added before mark (0: every line); keep_pending spares
 * those still waiting for their answer. */
static void scanlist_drop(struct scanlist *l, unsigned mark, bool keep_pending)
{
	size_t kept = 0;
	for (size_t i = 0; i < l->n; i++) {
		bool spare = keep_pending && l->lines[i].state == SCANLINE_PENDING;
		if ((mark == 0 || l->lines[i].id < mark) && !spare)
			line_clear(&l->lines[i]);
		else
			l->lines[kept++] = l->lines[i];
	}
	l->n = kept;
}

void scanlist_clear_before(struct scanlist *l, unsigned mark)
{
	scanlist_drop(l, mark, false);
}

void scanlist_clear_finished(struct scanlist *l)
{
	scanlist_drop(l, 0, true);
}

void scanlist_free(struct scanlist *l)
{
	scanlist_clear(l);
	free(l->lines);
	l->lines = NULL;
	l->cap = 0;
}

unsigned scanlist_add_done(struct scanlist *l, const char *scanned, enum scanline_state st,
			   const char *outcome, const char *detail)
{
	if (l->n == SCANLIST_KEEP) {
		line_clear(&l->lines[0]);
		memmove(l->lines, l->lines + 1, (l->n - 1) * sizeof *l->lines);
		l->n--;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->lines = xrealloc(l->lines, l->cap * sizeof *l->lines);
	}
	struct scanline *s = &l->lines[l->n++];
	if (l->next_id == 0)
		l->next_id = 1;
	*s = (struct scanline){ .id = l->next_id++, .state = st, .scanned = xstrdup(scanned),
				.outcome = xstrdup(outcome ? outcome : ""),
				.detail = xstrdup(detail ? detail : "") };
	return s->id;
}

unsigned scanlist_add(struct scanlist *l, const char *scanned)
{
	/* TRANSLATORS: a scan sent to the service, its answer not yet there */
	return scanlist_add_done(l, scanned, SCANLINE_PENDING, _("..."), NULL);
}

struct scanline *scanlist_find(struct scanlist *l, unsigned id)
{
	for (size_t i = l->n; i-- > 0;)
		if (l->lines[i].id == id)
			return &l->lines[i];
	return NULL;
}

struct scanline *scanlist_find_seq(struct scanlist *l, long long seq)
{
	for (size_t i = l->n; seq && i-- > 0;)
		if (l->lines[i].seq == seq)
			return &l->lines[i];
	return NULL;
}

bool scanlist_set(struct scanlist *l, unsigned id, enum scanline_state st, const char *outcome,
		  const char *detail)
{
	struct scanline *s = scanlist_find(l, id);
	if (!s)
		return false;
	s->state = st;
	xstrset(&s->outcome, outcome ? outcome : "");
	xstrset(&s->detail, detail ? detail : "");
	return true;
}

size_t scanlist_pending(const struct scanlist *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->lines[i].state == SCANLINE_PENDING;
	return n;
}

/* The column where the detail starts, and its rows: a detail wider than
 * the rest of the row goes on in as many rows as it needs (wrapped at
 * spaces), so that no word of a refusal is cut off. */
static int detail_x(const struct scanline *s)
{
	int used = term_width(s->outcome);
	return 1 + SCANLIST_SCANNED_W + (used > SCANLIST_OUTCOME_W - 2 ? used + 2 : SCANLIST_OUTCOME_W);
}

static int line_rows(const struct scanline *s, int cols)
{
	int x = detail_x(s);
	int rows = x < cols - 1 ? term_wrap_rows(cols - 1 - x, s->detail) : 1;
	return rows > 1 ? rows : 1;
}

static void line_draw(const struct scanline *s, WINDOW *w, int y, int rows, int cols)
{
	enum term_role role = s->state == SCANLINE_ATTENTION ? TERM_ERROR
			      : s->state == SCANLINE_NOTE    ? TERM_NOTE
							     : TERM_NORMAL;
	enum term_role outcome_role = s->state == SCANLINE_PENDING ? TERM_LABEL
				      : s->state == SCANLINE_DONE  ? TERM_TITLE
								   : role;
	term_text(w, y, 1, SCANLIST_SCANNED_W - 1, s->scanned);
	int x = 1 + SCANLIST_SCANNED_W;
	term_text_as(w, y, x, cols - x, s->outcome, outcome_role);
	x = detail_x(s);
	if (x < cols - 1)
		term_text_wrap(w, y, x, cols - 1 - x, rows, s->detail,
			       role == TERM_ERROR ? TERM_ERROR : TERM_NORMAL);
}

void scanlist_draw(const struct scanlist *l, WINDOW *w, int top, int bottom, int cols)
{
	int rows = bottom - top + 1;
	if (rows <= 0)
		return;
	/* Let curses move the list up with the terminal's scrolling instead of
	 * writing every row again (DESIGN.md section 7: bytes per scan). */
	idlok(w, TRUE);
	/* The newest lines that fit; the list grows from the top until it is
	 * full, then moves up. */
	size_t first = l->n;
	int used = 0;
	while (first > 0 && used + line_rows(&l->lines[first - 1], cols) <= rows)
		used += line_rows(&l->lines[--first], cols);
	if (first == l->n && l->n > 0) /* the newest alone is taller than the list */
		first = l->n - 1;
	int y = top;
	for (size_t i = first; i < l->n && y <= bottom; i++) {
		int h = line_rows(&l->lines[i], cols);
		if (h > bottom - y + 1)
			h = bottom - y + 1;
		line_draw(&l->lines[i], w, y, h, cols);
		y += h;
	}
}
