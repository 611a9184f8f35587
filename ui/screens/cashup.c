#include "ui/screens/cashup.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "ui/widgets/term.h"

#include <stdlib.h>
#include <string.h>

static void set_message(struct cashup_screen *s, const char *msg, bool error)
{
	xstrset(&s->message, msg);
	s->message_error = error;
	if (error)
		deskctx_attention(s->ctx);
}

void cashup_screen_init(struct cashup_screen *s, struct deskctx *ctx)
{
	*s = (struct cashup_screen){ .ctx = ctx, .from = SCREEN_HOME };
}

static void cashup_screen_reset(struct cashup_screen *s)
{
	if (s->req)
		call_cancel(s->ctx->q.api, s->req);
	s->req = 0;
	account_cashup_free(s->c);
	s->c = NULL;
	xstrset(&s->message, NULL);
}

void cashup_screen_free(struct cashup_screen *s)
{
	cashup_screen_reset(s);
}

static void on_cashup(void *ctx, struct account_cashup *c, const struct call_failure *f)
{
	struct cashup_screen *s = ctx;
	s->req = 0;
	deskctx_touch(s->ctx);
	if (!c) {
		char *msg = f->outcome == API_UNREACHABLE
			? call_failure_sentence_dup(_("The cash-up needs the service; the desk is "
						      "offline."), f)
			: xstrdup(f->text);
		set_message(s, msg, true);
		free(msg);
		return;
	}
	account_cashup_free(s->c);
	s->c = c;
	set_message(s, NULL, false);
}

static void cashup_op_open(void *self, enum ui_screen from)
{
	struct cashup_screen *s = self;
	if (from != SCREEN_CASHUP && from != SCREEN_HELP)
		s->from = from;
	cashup_screen_reset(s);
	set_message(s, _("Adding up today's payments..."), false);
	s->req = account_cashup_start(s->ctx->q.api, on_cashup, s);
}

static void print(struct cashup_screen *s)
{
	if (!s->c)
		return;
	if (!s->ctx->cfg->print_command || !*s->ctx->cfg->print_command) {
		set_message(s, _("No print command is set in balie.conf: no slip printed."), true);
		return;
	}
	struct slip *slip = slip_cashup_new(s->ctx->cfg->print_width,
					    deskctx_branch_name(s->ctx, deskctx_here(s->ctx)), s->c,
					    date_today());
	char *err = deskctx_print(s->ctx, slip);
	set_message(s, err ? err : _("The cash-up slip was printed."), err != NULL);
	free(err);
}

static bool cashup_op_action(void *self, enum action a, enum ui_screen *screen)
{
	struct cashup_screen *s = self;
	switch (a) {
	case ACTION_PRINT_SLIP:
		print(s);
		return true;
	case ACTION_BACK:
		*screen = s->from;
		return true;
	default:
		return false;
	}
}

static bool cashup_op_live(const void *self, enum action a)
{
	const struct cashup_screen *s = self;
	if (a == ACTION_PRINT_SLIP)
		return s->c != NULL;
	return action_screen(a) != SCREEN_CASHUP;
}

/* ---- drawing ---- */

static int money_row(WINDOW *w, int y, int cols, const char *label, long long cents,
		     enum term_role role)
{
	char money[32];
	circ_money(cents, money);
	term_text_as(w, y, 4, 30, label, role);
	term_text_as(w, y, 36, cols - 37, money, role);
	return y + 1;
}

static void draw_totals(const struct account_cashup *c, WINDOW *w, int y, int bottom, int cols)
{
	char *line = xasprintf(P_("%lld payment", "%lld payments", (unsigned long)c->payments),
			       c->payments);
	term_text_as(w, y++, 2, cols - 3, line, TERM_LABEL);
	free(line);
	y = money_row(w, y, cols, _("Cash"), c->cash_cents, TERM_NORMAL);
	y = money_row(w, y, cols, _("Pin"), c->pin_cents, TERM_NORMAL);
	y = money_row(w, y, cols, _("Total"), c->payments_cents, TERM_TITLE);
	y++;
	for (size_t i = 0; i < c->n_kinds && y <= bottom - 4; i++)
		y = money_row(w, y, cols, account_kind_text(c->kinds[i]), c->kind_cents[i],
			      TERM_NORMAL);
	y++;
	y = money_row(w, y, cols, _("Refunds paid out"), c->refunds_cents, TERM_NORMAL);
	y = money_row(w, y, cols, _("Waived"), c->waivers_cents, TERM_NORMAL);
	money_row(w, y, cols, _("Net"), c->net_cents, TERM_TITLE);
}

static void cashup_op_draw(void *self, struct screen_area *area)
{
	const struct cashup_screen *s = self;
	WINDOW *w = area->w;
	int top = area->top, cols = area->cols;
	char day[DATE_STR_LEN + 16];
	deskctx_date(s->c ? s->c->date : "", day);
	char *title = s->c ? xasprintf(_("Cash-up of desk %s, %s"),
				       s->c->terminal[0] ? s->c->terminal : "", day)
			   : xstrdup(_("Cash-up"));
	term_text_as(w, top, 1, cols - 2, title, TERM_TITLE);
	free(title);
	int rows = 1;
	if (s->message) {
		rows = term_wrap_rows(cols - 3, s->message);
		rows = rows < 1 ? 1 : rows > 2 ? 2 : rows;
		term_text_wrap(w, top + 1, 2, cols - 3, rows, s->message,
			       s->message_error ? TERM_ERROR : TERM_NOTE);
	}
	term_hline(w, top + 1 + rows, 0, cols);
	if (!s->c)
		return;
	draw_totals(s->c, w, top + 2 + rows, area->bottom - 2, cols);
	char print_key[KEYS_NAME_MAX], back_key[KEYS_NAME_MAX];
	deskctx_key(s->ctx, SCREEN_CASHUP, ACTION_PRINT_SLIP, print_key);
	deskctx_key(s->ctx, SCREEN_CASHUP, ACTION_BACK, back_key);
	/* TRANSLATORS: "^B: print the cash-up   Esc: back" */
	char *hint = xasprintf(_("%s: print the cash-up   %s: back"), print_key, back_key);
	term_text_as(w, area->bottom, 2, cols - 3, hint, TERM_LABEL);
	free(hint);
}

static void cashup_op_reset(void *self)
{
	cashup_screen_reset(self);
}

const struct screen_ops cashup_screen_ops = {
	.open = cashup_op_open,
	.reset = cashup_op_reset,
	.action = cashup_op_action,
	.live = cashup_op_live,
	.draw = cashup_op_draw,
};
