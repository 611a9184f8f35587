#include "ui/screens/loanstats.h"

#include "core/date.h"
#include "core/i18n.h"
#include "ui/widgets/barchart.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdlib.h>

void loanstats_init(struct loanstats *s, struct deskctx *ctx)
{
	*s = (struct loanstats){ .ctx = ctx, .back = SCREEN_HOME };
	field_init(&s->from, DATE_STR_LEN - 1, false);
	field_init(&s->to, DATE_STR_LEN - 1, false);
}

static void set_message(struct loanstats *s, const char *msg, bool error)
{
	xstrset(&s->message, msg);
	s->message_error = error;
}

static void loanstats_reset(struct loanstats *s)
{
	loan_stats_free(s->stats);
	s->stats = NULL;
	set_message(s, NULL, false);
	s->req = 0;
}

void loanstats_free(struct loanstats *s)
{
	loanstats_reset(s);
	field_free(&s->from);
	field_free(&s->to);
}

static void on_stats(void *ctx, unsigned tag, struct loan_stats *st, const struct call_failure *f)
{
	struct loanstats *s = ctx;
	if (tag != s->req) {
		loan_stats_free(st);
		return;
	}
	s->req = 0;
	deskctx_touch(s->ctx);
	if (!st) {
		set_message(s, f->text, true);
		return;
	}
	loan_stats_free(s->stats);
	s->stats = st;
	set_message(s, NULL, false);
}

/* Enter: the statistics of the period typed. */
static void show(struct loanstats *s)
{
	char *a = field_text_dup(&s->from), *b = field_text_dup(&s->to);
	struct civil_date d1, d2;
	bool ok1 = date_parse_dutch(a, &d1), ok2 = date_parse_dutch(b, &d2);
	free(a);
	free(b);
	if (!ok1 || !ok2 || date_compare(d1, d2) > 0) {
		s->focus = ok1 ? 1 : 0;
		set_message(s, ok1 && ok2 ? _("The period ends before it begins.")
					  : _("Type the dates as dd-mm-yyyy."),
			    true);
		return;
	}
	char from[DATE_STR_LEN], to[DATE_STR_LEN];
	date_format_iso(d1, from);
	date_format_iso(d2, to);
	if (++s->req == 0)
		s->req = 1;
	set_message(s, _("Asking the service..."), false);
	loan_stats_start(&s->ctx->q, from, to, on_stats, s, s->req);
}

static void draw_chart(WINDOW *w, int *y, int rows, int cols, const char *title,
		       const struct ido_entries *e)
{
	if (rows < 2)
		return;
	term_text_as(w, (*y)++, 2, cols - 3, title, TERM_LABEL);
	if (e->n == 0) {
		term_text_as(w, (*y)++, 4, cols - 6, _("none"), TERM_NOTE);
		return;
	}
	*y += barchart_draw(w, *y, 4, cols - 6, rows - 1, e);
}

static void draw_stats(const struct loanstats *s, WINDOW *w, int y, int last, int cols)
{
	const struct loan_stats *st = s->stats;
	/* TRANSLATORS: the totals of the loan statistics of a period */
	char *totals = xasprintf(_("Loans %lld   Renewals %lld   Returns %lld   In-house %lld"),
				 st->checkout, st->renewal, st->checkin, st->in_house);
	term_text_as(w, y++, 2, cols - 3, totals, TERM_TITLE);
	free(totals);
	int rows = last - y + 1;
	int need = 1 + barchart_rows(cols - 6, &st->loans_by_type);
	int type_rows = need < rows / 2 ? need : rows / 2;
	draw_chart(w, &y, type_rows, cols, _("Loans per item type"), &st->loans_by_type);
	draw_chart(w, &y, last - y + 1, cols, _("Loans per day"), &st->loans_by_day);
}

static void loanstats_draw(const struct loanstats *s, struct screen_area *a)
{
	const char *here = deskctx_branch_name(s->ctx, deskctx_here(s->ctx));
	char *title = xasprintf(_("Loan statistics: %s"), here);
	term_text_as(a->w, a->top, 2, a->cols - 3, title, TERM_TITLE);
	free(title);
	int y = a->top + 1;
	int x = 2 + term_text_as(a->w, y, 2, 10, _("From"), TERM_LABEL) + 1;
	int c = field_draw(&s->from, a->w, y, x, 11, s->focus == 0);
	if (s->focus == 0)
		a->cy = y, a->cx = c;
	x += 13;
	x += term_text_as(a->w, y, x, 10, _("through"), TERM_LABEL) + 1;
	c = field_draw(&s->to, a->w, y, x, 11, s->focus == 1);
	if (s->focus == 1)
		a->cy = y, a->cx = c;
	if (s->message && y + 1 <= a->bottom)
		term_text_as(a->w, a->bottom, 2, a->cols - 3, s->message,
			     s->message_error ? TERM_ERROR : TERM_NOTE);
	if (s->stats && y + 2 <= a->bottom - 1)
		draw_stats(s, a->w, y + 2, a->bottom - 1, a->cols);
}

/* ---- the screen's row (screen.h) ---- */

/* Opened: this month so far. */
static void loanstats_op_open(void *self, enum ui_screen from)
{
	struct loanstats *s = self;
	if (from == SCREEN_HELP || from == SCREEN_LOAN_STATS)
		return;
	s->back = from;
	struct civil_date today = date_today();
	char text[DATE_STR_LEN];
	date_format_dutch((struct civil_date){ today.year, today.month, 1 }, text);
	field_set(&s->from, text);
	date_format_dutch(today, text);
	field_set(&s->to, text);
	s->focus = 0;
	loanstats_reset(s);
}

static void loanstats_op_reset(void *self)
{
	loanstats_reset(self);
}

static bool loanstats_op_action(void *self, enum action a, enum ui_screen *screen)
{
	struct loanstats *s = self;
	switch (a) {
	case ACTION_SCAN:
		show(s);
		return true;
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		s->focus = 1 - s->focus;
		return true;
	case ACTION_BACK:
		*screen = s->back;
		return true;
	default:
		return false;
	}
}

static bool loanstats_op_takes_text(const void *self, keycode k)
{
	(void)self;
	return keys_is_text(k);
}

static void loanstats_op_key(void *self, keycode k)
{
	struct loanstats *s = self;
	(void)field_key(s->focus ? &s->to : &s->from, k);
}

static bool loanstats_op_live(const void *self, enum action a)
{
	(void)self;
	return action_screen(a) != SCREEN_LOAN_STATS;
}

static void loanstats_op_draw(void *self, struct screen_area *area)
{
	loanstats_draw(self, area);
}

const struct screen_ops loanstats_ops = {
	.open = loanstats_op_open,
	.reset = loanstats_op_reset,
	.action = loanstats_op_action,
	.takes_text = loanstats_op_takes_text,
	.key = loanstats_op_key,
	.live = loanstats_op_live,
	.draw = loanstats_op_draw,
};
