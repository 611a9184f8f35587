#include "ui/screens/checkin.h"

#include "client/circ.h"
#include "ui/screens/checkout.h"
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
	field_init(&c->date, DATE_STR_LEN - 1, false);
	scanlist_init(&c->lines);
}

void checkin_reset(struct checkin *c)
{
	field_clear(&c->scan);
	scanlist_clear(&c->lines);
	xstrset(&c->message, NULL);
	xstrset(&c->switch_card, NULL);
	c->as_of[0] = '\0';
	c->asking_date = false;
	c->amnesty_next = false;
	xstrset(&c->alert, NULL);
	field_clear(&c->date);
	c->n_in = c->n_hold = c->n_transit = 0;
	c->fines_cents = 0;
}

void checkin_free(struct checkin *c)
{
	checkin_reset(c);
	field_free(&c->scan);
	field_free(&c->date);
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
	if (r->fine_waived_cents > 0) {
		char money[32];
		circ_money(r->fine_waived_cents, money);
		/* TRANSLATORS: a check-in with amnesty: the title, the fine not charged */
		char *more = xasprintf(_("%s (amnesty: fine %s not charged)"), detail, money);
		free(detail);
		detail = more;
	}
	if (r->found) {
		/* TRANSLATORS: a check-in of an item that was missing: the title */
		char *more = xasprintf(_("%s: was missing, available again"), detail);
		free(detail);
		detail = more;
	}
	bool act = r->route != CIRC_SHELVE;
	bool alert = r->alert && r->alert[0];
	if (alert)
		deskctx_alert_set(c->ctx, &c->alert, r->title, r->alert);
	scanlist_set(&c->lines, line,
		     act || alert ? SCANLINE_ATTENTION
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

/* A patron's card scanned as an item: the switch key lends to that patron. */
static void offer_switch(struct checkin *c, unsigned line)
{
	struct scanline *s = scanlist_find(&c->lines, line);
	xstrset(&c->switch_card, s ? s->scanned : NULL);
	char key[KEYS_NAME_MAX];
	deskctx_key(c->ctx, SCREEN_CHECKIN, ACTION_SWITCH_PATRON, key);
	char *words = checkout_card_words_dup(c->lend ? key : "");
	scanlist_set(&c->lines, line, SCANLINE_ATTENTION, _("NOT CHECKED IN"), words);
	free(words);
	deskctx_attention(c->ctx);
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
	if (!r && f->patron_card) {
		offer_switch(c, line);
	} else if (!r) {
		/* TRANSLATORS: the outcome of a refused check-in, in capitals */
		scanlist_set(&c->lines, line, SCANLINE_ATTENTION, _("NOT CHECKED IN"), f->call.text);
		deskctx_attention(c->ctx);
	} else {
		show_checkin(c, line, r);
	}
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
	deskctx_item_scanned(c->ctx, text);
	circ_checkin_with_start(&c->ctx->q, text, c->as_of[0] ? c->as_of : NULL, c->amnesty_next,
				on_checkin, c, line);
	c->amnesty_next = false;
	free(text);
}

/* The bookdrop key: asks the day (the last one the branch was open), or
 * ends bookdrop mode. */
static void bookdrop(struct checkin *c)
{
	if (c->as_of[0]) {
		c->as_of[0] = '\0';
		xstrset(&c->message, _("Bookdrop mode ended: items are checked in as of today."));
		c->message_error = false;
		return;
	}
	char day[DATE_STR_LEN];
	date_format_dutch(deskctx_last_open_day(c->ctx), day);
	field_set(&c->date, day);
	c->asking_date = true;
}

/* Enter on the bookdrop's day: dd-mm-jjjj, before today. */
static void take_date(struct checkin *c)
{
	char *text = field_text_dup(&c->date);
	struct civil_date d;
	if (!date_parse_dutch(text, &d) || date_compare(d, date_today()) >= 0) {
		xstrset(&c->message, _("Give a day before today, as dd-mm-jjjj."));
		c->message_error = true;
	} else {
		date_format_iso(d, c->as_of);
		c->asking_date = false;
		char shown[DATE_STR_LEN];
		date_format_dutch(d, shown);
		/* TRANSLATORS: bookdrop mode begins; %s the day, dd-mm-jjjj */
		char *msg = xasprintf(_("Bookdrop: every item is checked in as of %s."), shown);
		xstrset(&c->message, msg);
		c->message_error = false;
		free(msg);
	}
	free(text);
}

bool checkin_action(struct checkin *c, enum action a)
{
	switch (a) {
	case ACTION_SCAN:
		if (c->asking_date)
			take_date(c);
		else
			scan(c);
		return true;
	case ACTION_CANCEL:
		if (c->alert)
			xstrset(&c->alert, NULL); /* acknowledged */
		else if (c->asking_date)
			c->asking_date = false;
		else
			field_clear(&c->scan);
		return true;
	case ACTION_BOOKDROP:
		bookdrop(c);
		return true;
	case ACTION_AMNESTY:
		c->amnesty_next = !c->amnesty_next;
		xstrset(&c->message, c->amnesty_next
					     ? _("Amnesty: the next item is checked in without a fine.")
					     : NULL);
		c->message_error = false;
		return true;
	default:
		return false;
	}
}

bool checkin_key(struct checkin *c, keycode k)
{
	return field_key(c->asking_date ? &c->date : &c->scan, k);
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
	int y = top + 2;
	if (c->asking_date && y <= bottom) {
		/* TRANSLATORS: the bookdrop's day, asked on the check-in screen */
		const char *label = _("Bookdrop, checked in as of");
		term_text_as(w, y, 2, cols - 3, label, TERM_LABEL);
		int x = 2 + term_width(label) + 1;
		*cx = field_draw(&c->date, w, y, x, DATE_STR_LEN + 1, true);
		*cy = y++;
	} else if (c->as_of[0] && y <= bottom) {
		char shown[DATE_STR_LEN + 16];
		deskctx_date(c->as_of, shown);
		/* TRANSLATORS: bookdrop mode, shown while it lasts; %s the day */
		char *mode = xasprintf(_("BOOKDROP: checked in as of %s"), shown);
		term_text_as(w, y++, 2, cols - 3, mode, TERM_ERROR);
		free(mode);
	}
	y += deskctx_alert_draw(c->ctx, SCREEN_CHECKIN, c->alert, w, y, bottom, cols);
	/* the message in the rows it needs, one at least, so that the list
	 * does not move for none */
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
	struct checkin *c = self;
	if (a != ACTION_SWITCH_PATRON)
		return checkin_action(c, a);
	if (c->switch_card && c->lend) {
		checkout_switch_to(c->lend, c->switch_card);
		xstrset(&c->switch_card, NULL);
		*screen = SCREEN_CHECKOUT;
	}
	return true;
}

static void checkin_op_key(void *self, keycode k)
{
	(void)checkin_key(self, k);
}

/* The key of the screen one is on opens nothing new. */
static bool checkin_op_live(const void *self, enum action a)
{
	const struct checkin *c = self;
	if (a == ACTION_SWITCH_PATRON)
		return c->switch_card && c->lend;
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
