#include "ui/screens/titles.h"

#include "client/needsvc.h"
#include "core/i18n.h"
#include "core/xalloc.h"
#include "ui/screens/patron.h"
#include "ui/widgets/term.h"

#include <stdlib.h>
#include <string.h>

enum { TITLES_QUERY_MAX = 200, TITLES_TAG_STRIDE = 1000, TITLES_PLACE_TAG = 1 };

static void set_message(struct titles *t, const char *msg, bool error)
{
	xstrset(&t->message, msg);
	t->message_error = error;
}

void titles_init(struct titles *t, struct deskctx *ctx)
{
	*t = (struct titles){ .ctx = ctx, .gen = 1 };
	field_init(&t->query, TITLES_QUERY_MAX, false);
}

/* The list and the query go; an answer still on its way is ignored. */
static void forget_search(struct titles *t)
{
	holds_titles_free(t->found);
	t->found = NULL;
	field_clear(&t->query);
	t->cursor = 0;
	t->req = 0;
	t->gen++;
	t->placing = false;
}

void titles_reset(struct titles *t)
{
	forget_search(t);
	t->from = NULL;
	set_message(t, NULL, false);
	xstrset(&t->card, NULL);
	xstrset(&t->name, NULL);
	xstrset(&t->pickup, NULL);
}

void titles_free(struct titles *t)
{
	titles_reset(t);
	field_free(&t->query);
}

void titles_for_patron(struct titles *t, const char *card, const char *name,
		       struct patron *from)
{
	/* Each patron's search starts empty: no list of the one before. */
	forget_search(t);
	xstrset(&t->card, card);
	xstrset(&t->name, name);
	xstrset(&t->pickup, NULL);
	t->from = from;
	set_message(t, _("Type words of the title or author, or an ISBN, and press Enter."), false);
}

static const char *pickup_code(const struct titles *t)
{
	return t->pickup ? t->pickup : deskctx_here(t->ctx);
}

/* ---- searching ---- */

static void on_titles(void *ctx, unsigned tag, struct holds_titles *found,
		      const struct circ_failure *f)
{
	struct titles *t = ctx;
	deskctx_touch(t->ctx);
	if (tag != t->req) {
		holds_titles_free(found);
		return;
	}
	t->req = 0;
	if (!found) {
		char *msg = f->call.outcome == API_UNREACHABLE
			? call_failure_sentence_dup(_("Finding a title needs the service; the desk "
						      "is offline."), &f->call)
			: xstrdup(f->call.text);
		set_message(t, msg, true);
		free(msg);
		deskctx_attention(t->ctx);
		return;
	}
	holds_titles_free(t->found);
	t->found = found;
	t->cursor = 0;
	if (found->n == 0)
		set_message(t, _("No title found."), true);
	else if (found->truncated)
		set_message(t, _("More titles match: the first 50 are shown. Add a word."), false);
	else
		set_message(t, NULL, false);
}

static void search(struct titles *t)
{
	char *q = field_text_dup(&t->query);
	if (!q[0]) {
		set_message(t, _("Type words of the title or author, or an ISBN."), false);
	} else if (needsvc_down(t->ctx->q.offline)) {
		set_message(t, _("Finding a title needs the service; the desk is offline."), true);
		deskctx_attention(t->ctx);
	} else {
		t->req = ++t->gen * TITLES_TAG_STRIDE;
		holds_titles_start(&t->ctx->q, q, on_titles, t, t->req);
		set_message(t, _("Searching..."), false);
	}
	free(q);
}

/* ---- placing a hold ---- */

static void on_placed(void *ctx, unsigned tag, struct holds_hold *h, const struct circ_failure *f)
{
	struct titles *t = ctx;
	deskctx_touch(t->ctx);
	if (tag != t->gen * TITLES_TAG_STRIDE + TITLES_PLACE_TAG) {
		holds_hold_free(h);
		return;
	}
	t->placing = false;
	if (!h) {
		char *msg = f->call.outcome == API_UNREACHABLE
			? call_failure_sentence_dup(_("Placing a hold needs the service; the desk is "
						      "offline."), &f->call)
			: xasprintf(_("No hold placed: %s"), f->call.text);
		set_message(t, msg, true);
		free(msg);
		deskctx_attention(t->ctx);
		return;
	}
	char *msg;
	if (h->place > 0)
		/* TRANSLATORS: a hold placed: the title, its place in the queue, the branch */
		msg = xasprintf(_("Hold placed: %s, number %lld in the queue, to fetch at %s."),
				h->title, h->place, deskctx_branch_name(t->ctx, h->pickup_branch));
	else
		msg = xasprintf(_("Hold placed: %s, to fetch at %s."), h->title,
				deskctx_branch_name(t->ctx, h->pickup_branch));
	set_message(t, msg, false);
	free(msg);
	holds_hold_free(h);
}

static void place(struct titles *t)
{
	if (!t->card) {
		set_message(t, _("Open a patron first: a hold is placed from the patron screen."),
			    true);
	} else if (!t->found || t->cursor >= t->found->n) {
		set_message(t, _("Find a title first."), true);
	} else if (needsvc_down(t->ctx->q.offline)) {
		set_message(t, _("Placing a hold needs the service; the desk is offline."), true);
		deskctx_attention(t->ctx);
	} else if (!t->placing) {
		t->placing = true;
		holds_place_start(&t->ctx->q, t->card, t->found->items[t->cursor].id, pickup_code(t),
				  on_placed, t, t->gen * TITLES_TAG_STRIDE + TITLES_PLACE_TAG);
		set_message(t, _("Placing the hold..."), false);
	}
}

/* The next (step 1) or previous (-1) branch of the service's list. */
static void step_pickup(struct titles *t, int step)
{
	const struct session_branches *b = *t->ctx->branches;
	if (!b || b->n == 0)
		return;
	size_t at = 0;
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->items[i].code, pickup_code(t)) == 0)
			at = i;
	at = (at + b->n + (size_t)(step > 0 ? 1 : b->n - 1)) % b->n;
	xstrset(&t->pickup, b->items[at].code);
}

static bool titles_action(struct titles *t, enum action a, enum ui_screen *screen)
{
	size_t n = t->found ? t->found->n : 0;
	switch (a) {
	case ACTION_SCAN:
		search(t);
		return true;
	case ACTION_PLACE_HOLD:
		place(t);
		return true;
	case ACTION_NEXT_BRANCH:
	case ACTION_PREV_BRANCH:
		step_pickup(t, a == ACTION_NEXT_BRANCH ? 1 : -1);
		return true;
	case ACTION_SCROLL_UP:
		if (t->cursor > 0)
			t->cursor--;
		return true;
	case ACTION_SCROLL_DOWN:
		if (t->cursor + 1 < n)
			t->cursor++;
		return true;
	case ACTION_CANCEL:
		field_clear(&t->query);
		return true;
	case ACTION_BACK:
		if (t->from) {
			patron_reopen(t->from);
			*screen = SCREEN_PATRON;
		} else {
			*screen = SCREEN_HOME;
		}
		return true;
	default:
		return false;
	}
}

/* ---- drawing ---- */

/* "CEN 2/3, NRD 0/1": copies on the shelf of the copies, per branch. */
static char *where_dup(const struct holds_title *x)
{
	char *out = xstrdup("");
	for (size_t i = 0; i < x->n_branches; i++) {
		const struct holds_branch *b = &x->branches[i];
		char *more = xasprintf("%s%s%s %lld/%lld", out, i ? ", " : "", b->branch,
				       b->on_shelf, b->copies);
		free(out);
		out = more;
	}
	return out;
}

static void draw_list(const struct titles *t, WINDOW *w, int y, int bottom, int cols)
{
	if (!t->found || y > bottom)
		return;
	/* TRANSLATORS: the head of the title list: on the shelf / copies per branch */
	term_text_as(w, y++, 2, cols - 3, _("Title / author                        on shelf/copies"),
		     TERM_LABEL);
	int rows = bottom - y + 1;
	if (rows <= 0)
		return;
	size_t first = t->cursor >= (size_t)rows ? t->cursor - (size_t)rows + 1 : 0;
	for (size_t i = first; i < t->found->n && y <= bottom; i++, y++) {
		const struct holds_title *x = &t->found->items[i];
		enum term_role role = i == t->cursor ? TERM_FIELD : TERM_NORMAL;
		if (i == t->cursor)
			term_fill(w, y, 0, cols, role);
		char *what = x->author[0] ? xasprintf("%s / %s", x->title, x->author)
					  : xstrdup(x->title);
		term_text_as(w, y, 2, 38, what, role);
		free(what);
		char *where = where_dup(x);
		term_text_as(w, y, 41, cols - 42, where, x->on_shelf ? role : TERM_NOTE);
		free(where);
	}
}

static void titles_draw(const struct titles *t, WINDOW *w, int top, int bottom, int cols,
			int *cy, int *cx)
{
	const char *title = _("Titles");
	term_text_as(w, top, 1, cols - 2, title, TERM_TITLE);
	int x = 2 + term_width(title) + 2;
	x += term_text_as(w, top, x, cols - x, _("Title, author or ISBN"), TERM_LABEL) + 1;
	*cx = field_draw(&t->query, w, top, x, cols - x - 2, true);
	*cy = top;
	int y = top + 1;
	if (t->card && y <= bottom) {
		/* TRANSLATORS: whom the hold is for, and where it is fetched */
		char *line = xasprintf(_("Hold for %s (%s), to fetch at %s"), t->name ? t->name : "",
				       t->card, deskctx_branch_name(t->ctx, pickup_code(t)));
		term_text_as(w, y++, 2, cols - 3, line, TERM_LABEL);
		free(line);
	}
	if (t->message && y <= bottom)
		term_text_as(w, y, 2, cols - 3, t->message, t->message_error ? TERM_ERROR : TERM_NOTE);
	y++;
	if (y <= bottom)
		term_hline(w, y, 0, cols);
	draw_list(t, w, y + 1, bottom, cols);
}

/* ---- the screen's row (screen.h) ---- */

/* Opened by its own key: a search for no patron. */
static void titles_op_open(void *self, enum ui_screen from)
{
	struct titles *t = self;
	(void)from;
	xstrset(&t->card, NULL);
	xstrset(&t->name, NULL);
	t->from = NULL;
}

static void titles_op_reset(void *self)
{
	titles_reset(self);
}

static bool titles_op_action(void *self, enum action a, enum ui_screen *screen)
{
	return titles_action(self, a, screen);
}

static void titles_op_key(void *self, keycode k)
{
	struct titles *t = self;
	(void)field_key(&t->query, k);
}

static bool titles_op_live(const void *self, enum action a)
{
	const struct titles *t = self;
	if (a == ACTION_PLACE_HOLD || a == ACTION_NEXT_BRANCH || a == ACTION_PREV_BRANCH)
		return t->card != NULL;
	return action_screen(a) != SCREEN_TITLES;
}

static void titles_op_draw(void *self, struct screen_area *area)
{
	titles_draw(self, area->w, area->top, area->bottom, area->cols, &area->cy, &area->cx);
}

const struct screen_ops titles_ops = {
	.open = titles_op_open,
	.reset = titles_op_reset,
	.action = titles_op_action,
	.takes_text = deskctx_scan_takes_text,
	.key = titles_op_key,
	.live = titles_op_live,
	.draw = titles_op_draw,
};
