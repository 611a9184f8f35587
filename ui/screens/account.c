#include "ui/screens/account.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "ui/screens/patron.h"
#include "ui/widgets/term.h"

#include <stdlib.h>
#include <string.h>

enum { AMOUNT_MAX_CHARS = 10, REASON_MAX_CHARS = 200, ACCRUING_ROWS = 3, MESSAGE_ROWS = 3 };

static void set_message(struct account_screen *s, const char *msg, bool error)
{
	xstrset(&s->message, msg);
	s->message_error = error;
	if (error)
		deskctx_attention(s->ctx);
}

static void forget_account(struct account_screen *s)
{
	account_free(s->a);
	s->a = NULL;
	free(s->selected);
	s->selected = NULL;
	s->cursor = 0;
}

void account_screen_init(struct account_screen *s, struct deskctx *ctx, struct patron *patron)
{
	*s = (struct account_screen){ .ctx = ctx, .patron = patron };
	field_init(&s->amount, AMOUNT_MAX_CHARS, false);
	field_init(&s->reason, REASON_MAX_CHARS, false);
}

static void account_screen_reset(struct account_screen *s)
{
	if (s->req)
		call_cancel(s->ctx->q.api, s->req);
	s->req = 0;
	forget_account(s);
	xstrset(&s->card, NULL);
	xstrset(&s->name, NULL);
	xstrset(&s->message, NULL);
	field_clear(&s->amount);
	field_clear(&s->reason);
	s->mode = ACCOUNT_LIST;
	call_retry_forget(&s->retry);
}

void account_screen_free(struct account_screen *s)
{
	account_screen_reset(s);
	field_free(&s->amount);
	field_free(&s->reason);
}

/* ---- answers ---- */

static char *failure_dup(const struct call_failure *f)
{
	if (f->outcome == API_UNREACHABLE)
		return call_failure_sentence_dup(_("The account needs the service; the desk is "
						   "offline."), f);
	return xstrdup(f->text);
}

static void on_account(void *ctx, struct account *a, const struct call_failure *f)
{
	struct account_screen *s = ctx;
	s->req = 0;
	deskctx_touch(s->ctx);
	if (!a) {
		char *msg = failure_dup(f);
		set_message(s, msg, true);
		free(msg);
		return;
	}
	forget_account(s);
	s->a = a;
	s->selected = xcalloc(a->n_charges + 1, sizeof *s->selected);
	if (s->reading) /* what a payment said stays; "reading" goes */
		set_message(s, NULL, false);
	s->reading = false;
}

static void fetch(struct account_screen *s)
{
	if (s->req)
		call_cancel(s->ctx->q.api, s->req);
	s->req = account_start(s->ctx->q.api, s->card, on_account, s);
}

void account_screen_show(struct account_screen *s, const char *card, const char *name,
			 bool fines_blocked)
{
	account_screen_reset(s);
	s->fines_blocked = fines_blocked;
	xstrset(&s->card, card);
	xstrset(&s->name, name);
	set_message(s, _("Reading the account..."), false);
	s->reading = true;
	fetch(s);
}

static void print_receipt(struct account_screen *s, const struct account_credit *c,
			  char **said)
{
	if (!s->ctx->cfg->print_command || !*s->ctx->cfg->print_command)
		return;
	struct slip *slip = slip_receipt_new(s->ctx->cfg->print_width,
					     deskctx_branch_name(s->ctx, deskctx_here(s->ctx)),
					     s->card, c, date_today());
	char *err = deskctx_print(s->ctx, slip);
	char *next = xasprintf("%s %s", *said, err ? err : _("The receipt was printed."));
	free(*said);
	*said = next;
	free(err);
}

static void on_credit(void *ctx, struct account_credit *c, const struct call_failure *f)
{
	struct account_screen *s = ctx;
	s->req = 0;
	deskctx_touch(s->ctx);
	if (!c) {
		char *msg = failure_dup(f);
		set_message(s, msg, true);
		free(msg);
		if (f->outcome != API_UNREACHABLE)
			call_retry_forget(&s->retry);
		return;
	}
	call_retry_forget(&s->retry);
	char amount[32], left[32];
	circ_money(c->amount_cents, amount);
	circ_money(c->balance_cents, left);
	bool waiver = !c->method[0];
	/* TRANSLATORS: "Paid €4.00 in cash. Still to pay: €4.00." */
	char *said = waiver ? xasprintf(_("Waived %s. Still to pay: %s."), amount, left)
		: xasprintf(strcmp(c->method, "pin") == 0 ? _("Paid %s by pin. Still to pay: %s.")
							 : _("Paid %s in cash. Still to pay: %s."),
			    amount, left);
	if (!waiver)
		print_receipt(s, c, &said);
	if (s->fines_blocked && !c->fines_block) {
		char *next = xasprintf("%s %s", said, _("The block for fines is lifted."));
		free(said);
		said = next;
	}
	s->fines_blocked = c->fines_block;
	set_message(s, said, false);
	free(said);
	account_credit_free(c);
	s->mode = ACCOUNT_LIST;
	fetch(s);
}

/* ---- paying and waiving ---- */

/* "12,50", "12.50", "12" or "€ 12,50" as cents; -1 when it is no amount. */
static long long parse_amount(const char *text)
{
	const char *p = text;
	while (*p == ' ' || (unsigned char)*p >= 0x80) /* a space or the euro sign */
		p++;
	long long euros = 0, cents = 0;
	int digits = 0, decimals = -1;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9' && decimals < 0 && digits < 7) {
			euros = euros * 10 + (*p - '0');
			digits++;
		} else if (*p >= '0' && *p <= '9' && decimals >= 0 && decimals < 2) {
			cents = cents * 10 + (*p - '0');
			decimals++;
		} else if ((*p == ',' || *p == '.') && decimals < 0 && digits > 0) {
			decimals = 0;
		} else if (*p != ' ') {
			return -1;
		}
	}
	if (digits == 0 || decimals == 0)
		return -1;
	return euros * 100 + (decimals == 1 ? cents * 10 : cents);
}

static void start_pay(struct account_screen *s)
{
	if (!s->a || s->a->balance_cents <= 0) {
		set_message(s, _("Nothing to pay."), false);
		return;
	}
	char money[32];
	snprintf(money, sizeof money, "%lld,%02lld", s->a->balance_cents / 100,
		 s->a->balance_cents % 100);
	field_set(&s->amount, money);
	s->pin = false;
	s->mode = ACCOUNT_PAY;
	set_message(s, NULL, false);
}

static void send_pay(struct account_screen *s)
{
	char *text = field_text_dup(&s->amount);
	long long cents = parse_amount(text);
	free(text);
	if (cents <= 0) {
		set_message(s, _("The amount is not an amount (such as 12,50)."), true);
	} else if (cents > s->a->balance_cents) {
		set_message(s, _("That is more than is open: the desk gives no credit."), true);
	} else {
		s->req = account_pay_start(s->ctx->q.api, s->card, cents, s->pin ? "pin" : "cash",
					   &s->retry, on_credit, s);
		set_message(s, _("Paying..."), false);
	}
}

/* The ids of the selected charges, or of the one under the cursor; *n of them. */
static char **chosen_ids(const struct account_screen *s, size_t *n)
{
	char **ids = xcalloc(s->a->n_charges + 1, sizeof *ids);
	*n = 0;
	for (size_t i = 0; i < s->a->n_charges; i++)
		if (s->selected[i])
			ids[(*n)++] = s->a->charges[i].id;
	if (*n == 0 && s->cursor < s->a->n_charges)
		ids[(*n)++] = s->a->charges[s->cursor].id;
	return ids;
}

static void start_waive(struct account_screen *s)
{
	if (!s->a || s->a->n_charges == 0) {
		set_message(s, _("Nothing to waive."), false);
		return;
	}
	field_clear(&s->reason);
	s->mode = ACCOUNT_WAIVE;
	set_message(s, NULL, false);
}

static void send_waive(struct account_screen *s)
{
	char *reason = field_text_dup(&s->reason);
	if (!reason[0] || strspn(reason, " ") == strlen(reason)) {
		set_message(s, _("Give the reason for waiving."), true);
	} else {
		size_t n;
		char **ids = chosen_ids(s, &n);
		s->req = account_waive_start(s->ctx->q.api, s->card, ids, n, reason, &s->retry,
					     on_credit, s);
		free(ids);
		set_message(s, _("Waiving..."), false);
	}
	free(reason);
}

/* ---- the screen's row (screen.h) ---- */

/* Back to the patron, looked up again: the balance and blocks have changed. */
static void go_back(struct account_screen *s, enum ui_screen *screen)
{
	if (s->card)
		patron_lookup(s->patron, s->card);
	*screen = SCREEN_PATRON;
}

static bool list_action(struct account_screen *s, enum action a, enum ui_screen *screen)
{
	size_t n = s->a ? s->a->n_charges : 0;
	switch (a) {
	case ACTION_PAY:
		start_pay(s);
		return true;
	case ACTION_WAIVE:
		start_waive(s);
		return true;
	case ACTION_SCROLL_UP:
		if (s->cursor > 0)
			s->cursor--;
		return true;
	case ACTION_SCROLL_DOWN:
		if (s->cursor + 1 < n)
			s->cursor++;
		return true;
	case ACTION_SELECT:
		if (s->cursor < n) {
			s->selected[s->cursor] = !s->selected[s->cursor];
			if (s->cursor + 1 < n)
				s->cursor++;
		}
		return true;
	case ACTION_CANCEL:
		go_back(s, screen);
		return true;
	default:
		return false;
	}
}

static bool account_op_action(void *self, enum action a, enum ui_screen *screen)
{
	struct account_screen *s = self;
	if (s->req && (a == ACTION_SUBMIT || a == ACTION_PAY || a == ACTION_WAIVE))
		return true; /* one at a time: the answer comes first */
	if (s->mode == ACCOUNT_LIST)
		return list_action(s, a, screen);
	switch (a) {
	case ACTION_SUBMIT:
		if (s->mode == ACCOUNT_PAY)
			send_pay(s);
		else
			send_waive(s);
		return true;
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		s->pin = s->mode == ACCOUNT_PAY ? !s->pin : s->pin;
		return true;
	case ACTION_CANCEL:
		s->mode = ACCOUNT_LIST;
		set_message(s, NULL, false);
		return true;
	default:
		return false;
	}
}

static bool account_op_takes_text(const void *self, keycode k)
{
	const struct account_screen *s = self;
	return s->mode != ACCOUNT_LIST && keys_is_text(k);
}

static void account_op_key(void *self, keycode k)
{
	struct account_screen *s = self;
	if (s->mode == ACCOUNT_PAY)
		field_key(&s->amount, k);
	else if (s->mode == ACCOUNT_WAIVE)
		field_key(&s->reason, k);
}

static bool account_op_live(const void *self, enum action a)
{
	const struct account_screen *s = self;
	bool listing = s->mode == ACCOUNT_LIST && s->a;
	switch (a) {
	case ACTION_PAY:
		return listing && s->a->balance_cents > 0;
	case ACTION_WAIVE:
	case ACTION_SELECT:
		return listing && s->a->n_charges > 0;
	case ACTION_SUBMIT:
		return s->mode != ACCOUNT_LIST;
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		return s->mode == ACCOUNT_PAY;
	default:
		return true;
	}
}

/* ---- drawing ---- */

static int draw_totals(const struct account *a, WINDOW *w, int y, int cols)
{
	char balance[32], accruing[32];
	circ_money(a->balance_cents, balance);
	circ_money(a->accruing_cents, accruing);
	char *line = xasprintf(_("Balance: %s"), balance);
	term_text_as(w, y, 2, cols - 3, line, a->balance_cents > 0 ? TERM_TITLE : TERM_NORMAL);
	free(line);
	if (a->accruing_cents > 0) {
		line = xasprintf(_("Still accruing on overdue loans: %s (not charged yet)"),
				 accruing);
		term_text_as(w, y + 1, 2, cols - 3, line, TERM_NOTE);
		free(line);
		return y + 2;
	}
	return y + 1;
}

static void draw_charge(const struct account_screen *s, size_t i, WINDOW *w, int y, int cols)
{
	const struct account_charge *c = &s->a->charges[i];
	enum term_role role = i == s->cursor ? TERM_FIELD : TERM_NORMAL;
	if (i == s->cursor)
		term_fill(w, y, 0, cols, TERM_FIELD);
	char day[DATE_STR_LEN + 16], open[32];
	deskctx_date(c->created_on, day);
	circ_money(c->open_cents, open);
	term_text_as(w, y, 1, 4, s->selected[i] ? "[x]" : "[ ]", role);
	term_text_as(w, y, 5, 11, day, role);
	term_text_as(w, y, 17, 20, account_kind_text(c->kind), role);
	term_text_as(w, y, 38, cols - 52, c->what, role);
	term_text_as(w, y, cols - 13, 12, open, role);
}

static int draw_charges(const struct account_screen *s, WINDOW *w, int y, int bottom, int cols)
{
	int rows = bottom - y + 1;
	size_t n = s->a->n_charges;
	if (n == 0) {
		term_text_as(w, y, 2, cols - 3, _("No open charges."), TERM_NOTE);
		return y + 1;
	}
	size_t first = s->cursor >= (size_t)rows ? s->cursor - (size_t)rows + 1 : 0;
	for (size_t i = first; i < n && y <= bottom; i++, y++)
		draw_charge(s, i, w, y, cols);
	return y;
}

/* A method, the chosen one in brackets (a monochrome terminal shows it too). */
static int draw_method(WINDOW *w, int y, int x, int cols, const char *name, bool chosen)
{
	char *text = xasprintf(chosen ? "[%s]" : " %s ", name);
	int n = term_text_as(w, y, x, cols - x, text, chosen ? TERM_FIELD_FOCUS : TERM_NORMAL);
	free(text);
	return n;
}

/* The prompt of paying or waiving on row y; the cursor's place. */
static void draw_prompt(const struct account_screen *s, WINDOW *w, int y, int cols, int *cy,
			int *cx)
{
	if (s->mode == ACCOUNT_PAY) {
		int x = 2 + term_text_as(w, y, 2, cols - 3, _("Amount"), TERM_LABEL) + 1;
		*cx = field_draw(&s->amount, w, y, x, 12, true);
		x += 14;
		x += term_text_as(w, y, x, cols - x, _("Method:"), TERM_LABEL) + 1;
		x += draw_method(w, y, x, cols, _("cash"), !s->pin) + 1;
		x += draw_method(w, y, x, cols, _("pin"), s->pin) + 2;
		char enter[KEYS_NAME_MAX], tab[KEYS_NAME_MAX];
		deskctx_key(s->ctx, SCREEN_ACCOUNT, ACTION_SUBMIT, enter);
		deskctx_key(s->ctx, SCREEN_ACCOUNT, ACTION_NEXT_FIELD, tab);
		/* TRANSLATORS: "Enter: pay   Tab: cash or pin" */
		char *hint = xasprintf(_("%s: pay   %s: cash or pin"), enter, tab);
		term_text_as(w, y, x, cols - x - 1, hint, TERM_LABEL);
		free(hint);
	} else {
		int x = 2 + term_text_as(w, y, 2, cols - 3, _("Reason for waiving"), TERM_LABEL) + 1;
		*cx = field_draw(&s->reason, w, y, x, cols - x - 2, true);
	}
	*cy = y;
}

static void draw_accruing(const struct account *a, WINDOW *w, int y, int bottom, int cols)
{
	for (size_t i = 0; i < a->n_accruing && i < ACCRUING_ROWS && y <= bottom; i++, y++) {
		char due[DATE_STR_LEN + 16], fine[32];
		deskctx_date(a->accruing[i].due_on, due);
		circ_money(a->accruing[i].fine_cents, fine);
		/* TRANSLATORS: an overdue loan: its title, due date and the fine so far */
		char *line = xasprintf(_("Overdue: %s (due %s), %s so far"), a->accruing[i].title,
				       due, fine);
		term_text_as(w, y, 2, cols - 3, line, TERM_NOTE);
		free(line);
	}
}

static void account_op_draw(void *self, struct screen_area *area)
{
	const struct account_screen *s = self;
	WINDOW *w = area->w;
	int top = area->top, bottom = area->bottom, cols = area->cols;
	char *title = xasprintf(_("Account of %s (%s)"), s->name ? s->name : "",
				s->card ? s->card : "");
	term_text_as(w, top, 1, cols - 2, title, TERM_TITLE);
	free(title);
	int rows = 1;
	if (s->message) {
		rows = term_wrap_rows(cols - 3, s->message);
		rows = rows < 1 ? 1 : rows > MESSAGE_ROWS ? MESSAGE_ROWS : rows;
		term_text_wrap(w, top + 1, 2, cols - 3, rows, s->message,
			       s->message_error ? TERM_ERROR : TERM_NOTE);
	}
	term_hline(w, top + 1 + rows, 0, cols);
	if (!s->a)
		return;
	int y = draw_totals(s->a, w, top + 2 + rows, cols);
	bool prompt = s->mode != ACCOUNT_LIST;
	int list_bottom = bottom - (prompt ? 2 : 0) - (int)(s->a->n_accruing ? 1 : 0);
	y = draw_charges(s, w, y + 1, list_bottom - ACCRUING_ROWS + 1, cols);
	draw_accruing(s->a, w, y + 1, bottom - (prompt ? 2 : 0), cols);
	if (prompt) {
		term_hline(w, bottom - 1, 0, cols);
		draw_prompt(s, w, bottom, cols, &area->cy, &area->cx);
	}
}

static void account_op_reset(void *self)
{
	account_screen_reset(self);
}

const struct screen_ops account_screen_ops = {
	.reset = account_op_reset,
	.action = account_op_action,
	.takes_text = account_op_takes_text,
	.key = account_op_key,
	.live = account_op_live,
	.draw = account_op_draw,
};
