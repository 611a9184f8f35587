#include "ui/screens/holdshelf.h"

#include "client/needsvc.h"
#include "core/i18n.h"
#include "core/xalloc.h"
#include "ui/screens/checkin.h"
#include "ui/widgets/term.h"

#include <stdlib.h>
#include <string.h>

enum { HOLDSHELF_FIELD_MAX = 4 * CIRC_BARCODE_MAX, HOLDSHELF_SCAN_ROWS = 4 };

static void set_message(struct holdshelf *h, const char *msg, bool error)
{
	xstrset(&h->message, msg);
	h->message_error = error;
}

void holdshelf_init(struct holdshelf *h, struct deskctx *ctx, struct checkin *routes)
{
	*h = (struct holdshelf){ .ctx = ctx, .routes = routes, .gen = 1 };
	field_init(&h->scan, HOLDSHELF_FIELD_MAX, false);
	scanlist_init(&h->lines);
}

void holdshelf_reset(struct holdshelf *h)
{
	holds_shelf_free(h->shelf);
	h->shelf = NULL;
	field_clear(&h->scan);
	scanlist_clear(&h->lines);
	h->req = 0;
	h->gen++;
	h->first = 0;
	set_message(h, NULL, false);
}

void holdshelf_free(struct holdshelf *h)
{
	holdshelf_reset(h);
	field_free(&h->scan);
	scanlist_free(&h->lines);
}

/* ---- the lists ---- */

static void on_shelf(void *ctx, unsigned tag, struct holds_shelf *s, const struct circ_failure *f)
{
	struct holdshelf *h = ctx;
	deskctx_touch(h->ctx);
	if (tag != h->req) {
		holds_shelf_free(s);
		return;
	}
	h->req = 0;
	if (!s) {
		char *msg = f->call.outcome == API_UNREACHABLE
			? call_failure_sentence_dup(_("The hold shelf's lists need the service; the "
						      "desk is offline."), &f->call)
			: xstrdup(f->call.text);
		set_message(h, msg, true);
		free(msg);
		return;
	}
	holds_shelf_free(h->shelf);
	h->shelf = s;
	set_message(h, NULL, false);
}

static void ask_lists(struct holdshelf *h)
{
	if (needsvc_down(h->ctx->q.offline)) {
		set_message(h, _("The hold shelf's lists need the service; the desk is offline."),
			    true);
		return;
	}
	h->req = ++h->gen;
	holds_shelf_start(&h->ctx->q, on_shelf, h, h->req);
}

/* ---- scanning an item off ---- */

static void on_cleared(void *ctx, unsigned line, struct circ_checkin *r,
		       const struct circ_failure *f)
{
	struct holdshelf *h = ctx;
	deskctx_touch(h->ctx);
	if (!r) {
		const char *why = f->call.outcome == API_REFUSED && f->call.error == ERR_NOT_FOUND
			? _("not on the list to take off the shelf")
			: f->call.text;
		char *detail = f->call.outcome == API_UNREACHABLE
			? call_failure_sentence_dup(_("Taking an item off the hold shelf needs the "
						      "service; the desk is offline."), &f->call)
			: xstrdup(why);
		/* TRANSLATORS: a scan on the hold shelf screen the service refused */
		scanlist_set(&h->lines, line, SCANLINE_ATTENTION, _("NOT TAKEN OFF"), detail);
		free(detail);
		deskctx_attention(h->ctx);
		return;
	}
	char *outcome = checkin_route_dup(h->routes, r);
	bool act = r->route != CIRC_SHELVE;
	scanlist_set(&h->lines, line, act ? SCANLINE_ATTENTION : SCANLINE_DONE, outcome, r->title);
	free(outcome);
	if (act) {
		deskctx_attention(h->ctx);
		struct slip *s = slip_checkin_new(h->ctx->cfg->print_width, r,
						  deskctx_branch_name(h->ctx, r->branch),
						  deskctx_branch_name(h->ctx, deskctx_here(h->ctx)),
						  date_today());
		char *err = deskctx_print(h->ctx, s);
		set_message(h, err, err != NULL);
		free(err);
	}
	circ_checkin_free(r);
	ask_lists(h);
}

static void scan(struct holdshelf *h)
{
	char *text = deskctx_take_scan_dup(h->ctx, &h->scan, &h->lines);
	if (!text)
		return;
	unsigned line = scanlist_add(&h->lines, text);
	holds_clear_start(&h->ctx->q, text, on_cleared, h, line);
	free(text);
}

static size_t rows_total(const struct holdshelf *h)
{
	size_t n = 0;
	for (int l = 0; h->shelf && l < HOLDS_SHELF_LISTS; l++)
		n += 1 + h->shelf->n[l];
	return n;
}

static bool holdshelf_action(struct holdshelf *h, enum action a)
{
	switch (a) {
	case ACTION_SCAN:
		scan(h);
		return true;
	case ACTION_CANCEL:
		field_clear(&h->scan);
		return true;
	case ACTION_HOLDSHELF_REFRESH:
		ask_lists(h);
		return true;
	case ACTION_SCROLL_UP:
		if (h->first > 0)
			h->first--;
		return true;
	case ACTION_SCROLL_DOWN:
		if (h->first + 1 < rows_total(h))
			h->first++;
		return true;
	default:
		return false;
	}
}

/* ---- drawing ---- */

/* The head of list l with its n rows; allocated. */
static char *list_head_dup(enum holds_shelf_list l, size_t n)
{
	switch (l) {
	case HOLDS_TO_PULL:
		return xasprintf(_("Take off the shelf today (not fetched in time, or cancelled): %zu"),
				 n);
	case HOLDS_WAITING:
		return xasprintf(_("Waiting on the shelf: %zu"), n);
	case HOLDS_TO_PHONE:
		return xasprintf(_("To phone (no e-mail address): %zu"), n);
	case HOLDS_NOT_TOLD:
	case HOLDS_SHELF_LISTS:
		break;
	}
	return xasprintf(_("Not told yet (the notice waits to be sent): %zu"), n);
}

static void draw_row(const struct holdshelf *h, enum holds_shelf_list l,
		     const struct holds_shelf_row *r, WINDOW *w, int y, int cols)
{
	char *slip = xasprintf("%s %s", r->initials, r->card_last4);
	term_text_as(w, y, 4, 14, slip, l == HOLDS_TO_PULL ? TERM_ERROR : TERM_NORMAL);
	free(slip);
	char by[DATE_STR_LEN + 16];
	deskctx_date(r->pickup_by, by);
	char *rest;
	if (l == HOLDS_TO_PHONE)
		rest = xasprintf("%s  %s  %s", r->name, r->phone[0] ? r->phone : _("no phone"),
				 r->title);
	else if (l == HOLDS_NOT_TOLD)
		rest = xasprintf("%s  %s", r->name, r->title);
	else if (l == HOLDS_WAITING && !r->told)
		/* TRANSLATORS: a row of the hold shelf: barcode, until, title, not told yet */
		rest = xasprintf(_("%s  until %s  %s (not told)"), r->item_barcode, by, r->title);
	else
		rest = xasprintf(_("%s  until %s  %s"), r->item_barcode, by, r->title);
	term_text_as(w, y, 18, cols - 19, rest, TERM_NORMAL);
	free(rest);
	(void)h;
}

static void draw_lists(const struct holdshelf *h, WINDOW *w, int y, int bottom, int cols)
{
	if (!h->shelf)
		return;
	size_t row = 0;
	for (int l = 0; l < HOLDS_SHELF_LISTS && y <= bottom; l++) {
		if (row++ >= h->first) {
			char *head = list_head_dup((enum holds_shelf_list)l, h->shelf->n[l]);
			term_text_as(w, y++, 2, cols - 3, head,
				     l == HOLDS_TO_PULL && h->shelf->n[l] ? TERM_ERROR : TERM_LABEL);
			free(head);
		}
		for (size_t i = 0; i < h->shelf->n[l] && y <= bottom; i++)
			if (row++ >= h->first)
				draw_row(h, (enum holds_shelf_list)l, &h->shelf->rows[l][i], w, y++,
					 cols);
	}
}

static void holdshelf_draw(const struct holdshelf *h, WINDOW *w, int top, int bottom, int cols,
			   int *cy, int *cx)
{
	*cx = deskctx_scan_header_draw(&h->scan, w, top, cols, _("Hold shelf"), _("Item"));
	*cy = top;
	int y = top + 1;
	if (h->message && y <= bottom)
		term_text_as(w, y, 2, cols - 3, h->message, h->message_error ? TERM_ERROR : TERM_NOTE);
	else if (!h->shelf && y <= bottom)
		term_text_as(w, y, 2, cols - 3, _("Asking the service for the lists..."), TERM_NOTE);
	y++;
	if (y <= bottom)
		term_hline(w, y++, 0, cols);
	int scan_top = bottom - HOLDSHELF_SCAN_ROWS + 1;
	if (scan_top - 1 <= y) {
		scanlist_draw(&h->lines, w, y, bottom, cols);
		return;
	}
	draw_lists(h, w, y, scan_top - 2, cols);
	term_hline(w, scan_top - 1, 0, cols);
	scanlist_draw(&h->lines, w, scan_top, bottom, cols);
}

/* ---- the screen's row (screen.h) ---- */

static void holdshelf_op_open(void *self, enum ui_screen from)
{
	(void)from;
	ask_lists(self);
}

static void holdshelf_op_reset(void *self)
{
	holdshelf_reset(self);
}

static bool holdshelf_op_action(void *self, enum action a, enum ui_screen *screen)
{
	(void)screen;
	return holdshelf_action(self, a);
}

static void holdshelf_op_key(void *self, keycode k)
{
	struct holdshelf *h = self;
	(void)field_key(&h->scan, k);
}

static bool holdshelf_op_live(const void *self, enum action a)
{
	(void)self;
	return action_screen(a) != SCREEN_HOLDSHELF;
}

static void holdshelf_op_draw(void *self, struct screen_area *area)
{
	holdshelf_draw(self, area->w, area->top, area->bottom, area->cols, &area->cy, &area->cx);
}

const struct screen_ops holdshelf_ops = {
	.open = holdshelf_op_open,
	.reset = holdshelf_op_reset,
	.action = holdshelf_op_action,
	.takes_text = deskctx_scan_takes_text,
	.key = holdshelf_op_key,
	.live = holdshelf_op_live,
	.draw = holdshelf_op_draw,
};
