#include "ui/screens/checkin.h"

#include "client/circ.h"
#include "core/i18n.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { CHECKIN_FIELD_MAX = 4 * CIRC_BARCODE_MAX };

void checkin_init(struct checkin *c, struct deskctx *ctx)
{
	*c = (struct checkin){ .ctx = ctx };
	field_init(&c->scan, CHECKIN_FIELD_MAX, false);
	scanlist_init(&c->lines);
}

void checkin_reset(struct checkin *c)
{
	field_clear(&c->scan);
	scanlist_clear(&c->lines);
	xstrset(&c->message, NULL);
	c->n_in = c->n_hold = c->n_transit = 0;
	c->fines_cents = 0;
}

void checkin_free(struct checkin *c)
{
	checkin_reset(c);
	field_free(&c->scan);
	scanlist_free(&c->lines);
}

void checkin_count_return(struct checkin *c, long long fine_cents)
{
	c->n_in++;
	c->fines_cents += fine_cents;
	deskctx_touch(c->ctx);
}

/* The route in large plain words, allocated. */
static char *route_dup(const struct checkin *c, const struct circ_checkin *r)
{
	switch (r->route) {
	case CIRC_HOLD_SHELF:
		/* TRANSLATORS: check-in route: to the hold shelf, for the patron's initials */
		return xasprintf(_("HOLD SHELF %s"), r->hold_for);
	case CIRC_TRANSIT:
		/* TRANSLATORS: check-in route: in transit to a branch (its name) */
		return xasprintf(_("IN TRANSIT to %s"), deskctx_branch_name(c->ctx, r->branch));
	case CIRC_SHELVE:
		break;
	}
	/* TRANSLATORS: check-in route: the item goes back on the shelf */
	return xstrdup(_("BACK ON THE SHELF"));
}

char *checkin_route_dup(const struct checkin *c, const struct circ_checkin *r)
{
	return route_dup(c, r);
}

/* An item checked in here already: its route again, not counted, no new
 * slip; one on the hold shelf rings, since it belongs back there. Frees r. */
static void show_again(struct checkin *c, unsigned line, struct circ_checkin *r)
{
	char *outcome = route_dup(c, r);
	char *detail;
	if (r->route == CIRC_HOLD_SHELF) {
		char until[DATE_STR_LEN + 16];
		deskctx_date(r->pickup_by, until);
		/* TRANSLATORS: check-in of an item already on the hold shelf: the
		 * patron's initials, the last day to fetch it, the title */
		detail = xasprintf(_("already on the hold shelf for %s (until %s): %s"), r->hold_for,
				   until, r->title);
		deskctx_attention(c->ctx);
	} else {
		/* TRANSLATORS: a second check-in of the same item: the title */
		detail = xasprintf(_("already checked in: %s"), r->title);
	}
	scanlist_set(&c->lines, line,
		     r->route == CIRC_HOLD_SHELF ? SCANLINE_ATTENTION : SCANLINE_NOTE, outcome,
		     detail);
	free(outcome);
	free(detail);
	circ_checkin_free(r);
}

/* A check-in the service did: the route, the fine, the slip. Frees r. */
static void show_checkin(struct checkin *c, unsigned line, struct circ_checkin *r)
{
	if (r->again) {
		show_again(c, line, r);
		return;
	}
	c->n_in++;
	char *outcome = route_dup(c, r);
	char *detail = xstrdup(r->title);
	if (r->fine_cents > 0) {
		char money[32];
		circ_money(r->fine_cents, money);
		free(detail);
		detail = xasprintf(_("%s (fine %s)"), r->title, money);
		c->fines_cents += r->fine_cents;
	}
	if (r->found) {
		/* TRANSLATORS: a check-in of an item that was missing: the title */
		char *more = xasprintf(_("%s: was missing, available again"), detail);
		free(detail);
		detail = more;
	}
	bool act = r->route != CIRC_SHELVE;
	scanlist_set(&c->lines, line,
		     act ? SCANLINE_ATTENTION
			 : r->fine_cents > 0 || r->found ? SCANLINE_NOTE : SCANLINE_DONE,
		     outcome, detail);
	free(outcome);
	free(detail);
	if (act) {
		c->n_hold += r->route == CIRC_HOLD_SHELF;
		c->n_transit += r->route == CIRC_TRANSIT;
		deskctx_attention(c->ctx);
		struct slip *s = slip_checkin_new(c->ctx->cfg->print_width, r,
						  deskctx_branch_name(c->ctx, r->branch),
						  deskctx_branch_name(c->ctx, deskctx_here(c->ctx)),
						  date_today());
		char *err = deskctx_print(c->ctx, s);
		xstrset(&c->message, err);
		c->message_error = err != NULL;
		free(err);
	}
	circ_checkin_free(r);
}

static void on_checkin(void *ctx, unsigned line, struct circ_checkin *r,
		       const struct circ_failure *f)
{
	struct checkin *c = ctx;
	deskctx_touch(c->ctx);
	if (!r && f->saved) {
		scanlist_set(&c->lines, line, SCANLINE_NOTE, _("SAVED"),
			     _("saved, will be sent when the service is back"));
		struct scanline *sl = scanlist_find(&c->lines, line);
		if (sl)
			sl->seq = f->seq;
		return;
	}
	if (!r) {
		/* TRANSLATORS: the outcome of a refused check-in, in capitals */
		scanlist_set(&c->lines, line, SCANLINE_ATTENTION, _("NOT CHECKED IN"), f->call.text);
		deskctx_attention(c->ctx);
		return;
	}
	show_checkin(c, line, r);
}

void checkin_settled(struct checkin *c, long long seq, struct circ_checkin *r,
		     const struct circ_failure *f)
{
	struct scanline *s = scanlist_find_seq(&c->lines, seq);
	if (!s) {
		circ_checkin_free(r);
		return; /* not on this screen (any more) */
	}
	s->seq = 0;
	deskctx_touch(c->ctx);
	if (r) {
		show_checkin(c, s->id, r);
		return;
	}
	const char *words = f->call.text;
	char key[KEYS_NAME_MAX];
	deskctx_key(c->ctx, SCREEN_CHECKIN, ACTION_QUEUE, key);
	char *detail = xasprintf(_("Refused when sent; see the queue (%s). %s"), key, words);
	/* The desk rang already when the refusal reached the queue. */
	scanlist_set(&c->lines, s->id, SCANLINE_ATTENTION, _("NOT CHECKED IN"), detail);
	free(detail);
}

static void scan(struct checkin *c)
{
	char *text = deskctx_take_scan_dup(c->ctx, &c->scan, &c->lines);
	if (!text)
		return;
	unsigned line = scanlist_add(&c->lines, text);
	circ_checkin_start(&c->ctx->q, text, on_checkin, c, line);
	free(text);
}

bool checkin_action(struct checkin *c, enum action a)
{
	switch (a) {
	case ACTION_SCAN:
		scan(c);
		return true;
	case ACTION_CANCEL:
		field_clear(&c->scan);
		return true;
	default:
		return false;
	}
}

bool checkin_key(struct checkin *c, keycode k)
{
	return field_key(&c->scan, k);
}

void checkin_draw(const struct checkin *c, WINDOW *w, int top, int bottom, int cols, int *cy,
		  int *cx)
{
	*cx = deskctx_scan_header_draw(&c->scan, w, top, cols, _("Check in"),
				       _("Item"));
	*cy = top;
	char money[32];
	circ_money(c->fines_cents, money);
	char *sum = xasprintf(_("Checked in: %u   Hold shelf: %u   In transit: %u   Fines received: %s"),
			      c->n_in, c->n_hold, c->n_transit, money);
	if (top + 1 <= bottom)
		term_text(w, top + 1, 2, cols - 3, sum);
	free(sum);
	/* the message in the rows it needs, one at least, so that the list
	 * does not move for none */
	int y = top + 2;
	if (c->message && y <= bottom)
		y += term_text_wrap(w, y, 2, cols - 3, bottom - y + 1, c->message,
				    c->message_error ? TERM_ERROR : TERM_NOTE);
	else
		y++;
	if (y <= bottom)
		term_hline(w, y++, 0, cols);
	scanlist_draw(&c->lines, w, y, bottom, cols);
}

/* ---- the screen's row (screen.h) ---- */

/* A staff member logs out: the scans still queued for the circulation
 * screens (their shared deskctx) go with the screen's own state. */
static void checkin_op_reset(void *self)
{
	struct checkin *c = self;
	scanq_clear(&c->ctx->q);
	checkin_reset(c);
}

static bool checkin_op_action(void *self, enum action a, enum ui_screen *screen)
{
	(void)screen;
	return checkin_action(self, a);
}

static void checkin_op_key(void *self, keycode k)
{
	(void)checkin_key(self, k);
}

/* The key of the screen one is on opens nothing new. */
static bool checkin_op_live(const void *self, enum action a)
{
	(void)self;
	return action_screen(a) != SCREEN_CHECKIN;
}

static void checkin_op_draw(void *self, struct screen_area *area)
{
	checkin_draw(self, area->w, area->top, area->bottom, area->cols, &area->cy, &area->cx);
}

const struct screen_ops checkin_ops = {
	.reset = checkin_op_reset,
	.action = checkin_op_action,
	.takes_text = deskctx_scan_takes_text,
	.key = checkin_op_key,
	.live = checkin_op_live,
	.draw = checkin_op_draw,
};
