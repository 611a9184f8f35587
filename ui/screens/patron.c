#include "ui/screens/patron.h"

#include "core/i18n.h"
#include "client/needsvc.h"
#include "ui/screens/account.h"
#include "ui/screens/renew.h"
#include "ui/screens/titles.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { PATRON_QUERY_MAX = 80, PATRON_BIRTH_MAX = 10, PATRON_TAG_STRIDE = 1000,
       PATRON_HOLD_ROWS = 3 /* then "... and 2 more holds" */ };

static void set_message(struct patron *p, const char *msg, bool error)
{
	xstrset(&p->message, msg);
	p->message_error = error;
}

static void forget_patron(struct patron *p)
{
	for (size_t i = 0; p->p && i < p->p->n_loans; i++)
		free(p->loans[i].outcome);
	free(p->loans);
	p->loans = NULL;
	circ_patron_free(p->p);
	p->p = NULL;
	p->gen++;
}

void patron_init(struct patron *p, struct deskctx *ctx)
{
	*p = (struct patron){ .ctx = ctx, .gen = 1, .cancel_at = -1 };
	field_init(&p->query, PATRON_QUERY_MAX, false);
	field_init(&p->birth, PATRON_BIRTH_MAX, false);
}

void patron_reset(struct patron *p)
{
	forget_patron(p);
	circ_search_free(p->found);
	p->found = NULL;
	field_clear(&p->query);
	field_clear(&p->birth);
	p->focus = 0;
	p->view = PATRON_SEARCH;
	p->req = 0;
	p->cursor = 0;
	p->cancel_at = -1;
	set_message(p, NULL, false);
	xstrset(&p->asked_query, NULL);
	xstrset(&p->asked_birth, NULL);
}

void patron_free(struct patron *p)
{
	patron_reset(p);
	field_free(&p->query);
	field_free(&p->birth);
	free(p->message);
}

/* The plain words of a lookup on a desk without the service: one row (the
 * fields keep what was typed, in sight). */
static const char *offline_text(void)
{
	return _("Looking up a patron needs the service; the desk is offline.");
}

static char *failure_dup(struct patron *p, const struct circ_failure *f)
{
	if (f->call.outcome == API_UNREACHABLE) {
		/* What was typed goes back into the empty fields. */
		if (p->asked_query && field_is_empty(&p->query) && field_is_empty(&p->birth)) {
			field_set(&p->query, p->asked_query);
			field_set(&p->birth, p->asked_birth ? p->asked_birth : "");
		}
		return call_failure_sentence_dup(offline_text(), &f->call);
	}
	return xstrdup(f->call.text);
}

static void on_patron(void *ctx, unsigned tag, struct circ_patron *found,
		      const struct circ_failure *f)
{
	struct patron *p = ctx;
	deskctx_touch(p->ctx);
	if (tag != p->req) {
		circ_patron_free(found);
		return;
	}
	p->req = 0;
	if (!found) {
		char *msg = failure_dup(p, f);
		set_message(p, msg, true);
		free(msg);
		deskctx_attention(p->ctx);
		return;
	}
	forget_patron(p);
	p->p = found;
	p->loans = xcalloc(found->n_loans + 1, sizeof *p->loans);
	p->cursor = 0;
	p->view = PATRON_SHOW;
	if (!p->keep_message)
		set_message(p, NULL, false);
	p->keep_message = false;
	if (found->n_blocks > 0)
		deskctx_attention(p->ctx);
}

static void on_search(void *ctx, unsigned tag, struct circ_search *s,
		      const struct circ_failure *f)
{
	struct patron *p = ctx;
	deskctx_touch(p->ctx);
	if (tag != p->req) {
		circ_search_free(s);
		return;
	}
	p->req = 0;
	if (!s) {
		char *msg = failure_dup(p, f);
		set_message(p, msg, true);
		free(msg);
		deskctx_attention(p->ctx);
		return;
	}
	circ_search_free(p->found);
	p->found = s;
	p->cursor = 0;
	p->view = PATRON_RESULTS;
	if (s->n == 0)
		set_message(p, _("No patron found. Check the name and the date of birth."), true);
	else
		set_message(p, NULL, false);
}

static void open_card(struct patron *p, const char *card)
{
	p->req = ++p->gen * PATRON_TAG_STRIDE;
	circ_patron_start(&p->ctx->q, card, on_patron, p, p->req);
	set_message(p, _("Looking up the patron..."), false);
}

void patron_lookup(struct patron *p, const char *card)
{
	open_card(p, card);
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void search(struct patron *p)
{
	char *q = field_text_dup(&p->query);
	char *birth = field_text_dup(&p->birth);
	bool asks = q[0] || (p->view == PATRON_RESULTS && p->found && p->cursor < p->found->n);
	xstrset(&p->asked_query, q[0] ? q : NULL);
	xstrset(&p->asked_birth, q[0] ? birth : NULL);
	if (asks && needsvc_down(p->ctx->q.offline)) {
		/* Not sent, and nothing cleared: the fields keep what was typed. */
		set_message(p, offline_text(), true);
		deskctx_attention(p->ctx);
	} else if (!q[0] && p->view == PATRON_RESULTS && p->found && p->cursor < p->found->n) {
		open_card(p, p->found->items[p->cursor].card);
	} else if (!q[0]) {
		set_message(p, _("Type a card number, or a name and a date of birth."), false);
	} else if (all_digits(q) && circ_barcode_plausible(q)) {
		open_card(p, q);
		field_clear(&p->query);
	} else {
		struct civil_date d;
		char iso[DATE_STR_LEN] = "";
		if (birth[0] && !date_parse_dutch(birth, &d)) {
			set_message(p, _("The date of birth is not a date (dd-mm-jjjj)."), true);
			p->focus = 1;
		} else {
			if (birth[0])
				date_format_iso(d, iso);
			p->req = ++p->gen * PATRON_TAG_STRIDE;
			circ_search_start(&p->ctx->q, q, iso[0] ? iso : NULL, on_search, p, p->req);
			set_message(p, _("Searching..."), false);
			/* The list shows what was found; Enter then opens the chosen one. */
			field_clear(&p->query);
			field_clear(&p->birth);
			p->focus = 0;
		}
	}
	free(q);
	free(birth);
}

static void on_renewal(void *ctx, unsigned tag, struct circ_loan *loan,
		       const struct circ_failure *f)
{
	struct patron *p = ctx;
	deskctx_touch(p->ctx);
	char *outcome, *detail;
	bool good = renew_outcome(loan, f, &outcome, &detail);
	circ_loan_free(loan);
	size_t i = tag % PATRON_TAG_STRIDE;
	if (p->p && tag / PATRON_TAG_STRIDE == p->gen && i < p->p->n_loans) {
		struct patron_loan_state *st = &p->loans[i];
		free(st->outcome);
		st->outcome = good ? outcome : xasprintf("%s: %s", outcome, detail);
		if (!good)
			free(outcome);
		st->attention = !good;
		st->selected = false;
		if (good) {
			/* The new due date is in the outcome; the loan is no longer overdue. */
			p->p->loans[i].overdue = false;
		}
	} else {
		free(outcome);
	}
	free(detail);
	if (!good)
		deskctx_attention(p->ctx);
}

static void renew_selected(struct patron *p)
{
	if (p->view != PATRON_SHOW || !p->p || p->p->n_loans == 0) {
		set_message(p, _("Open a patron with loans first."), false);
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < p->p->n_loans && i < PATRON_TAG_STRIDE; i++)
		n += p->loans[i].selected;
	for (size_t i = 0; i < p->p->n_loans && i < PATRON_TAG_STRIDE; i++) {
		if (n > 0 ? !p->loans[i].selected : i != p->cursor)
			continue;
		xstrset(&p->loans[i].outcome, _("..."));
		p->loans[i].attention = false;
		circ_renew_start(&p->ctx->q, p->p->loans[i].item_barcode, NULL, 0, NULL, on_renewal,
				 p, p->gen * PATRON_TAG_STRIDE + (unsigned)i);
	}
	set_message(p, NULL, false);
}

static const struct circ_hold *hold_at_cursor(const struct patron *p);

bool patron_live(const struct patron *p, enum action a)
{
	if (a == ACTION_RENEW_SELECTED || a == ACTION_SELECT)
		return p->view == PATRON_SHOW && p->p && p->p->n_loans > 0;
	if (a == ACTION_PLACE_HOLD)
		return p->view == PATRON_SHOW && p->p;
	if (a == ACTION_CANCEL_HOLD)
		return hold_at_cursor(p) != NULL;
	if (a == ACTION_ACCOUNT)
		return p->view == PATRON_SHOW && p->p;
	return true;
}

static size_t list_length(const struct patron *p)
{
	if (p->view == PATRON_RESULTS && p->found)
		return p->found->n;
	if (p->view == PATRON_SHOW && p->p)
		return p->p->n_loans + p->p->n_holds;
	return 0;
}

/* The hold under the cursor, or NULL. */
static const struct circ_hold *hold_at_cursor(const struct patron *p)
{
	if (p->view != PATRON_SHOW || !p->p || p->cursor < p->p->n_loans)
		return NULL;
	size_t i = p->cursor - p->p->n_loans;
	return i < p->p->n_holds ? &p->p->holds[i] : NULL;
}

void patron_reopen(struct patron *p)
{
	if (p->view == PATRON_SHOW && p->p && !p->req) {
		char *card = xstrdup(p->p->card);
		open_card(p, card);
		free(card);
	}
}

/* ---- holds ---- */

static void to_titles(struct patron *p, enum ui_screen *screen)
{
	if (p->view != PATRON_SHOW || !p->p) {
		set_message(p, _("Open a patron first: the hold is placed for that patron."), true);
		return;
	}
	titles_for_patron(p->titles, p->p->card, p->p->name, p);
	*screen = SCREEN_TITLES;
}

static const char *const cancel_reasons[] = { "patron_request", "staff", "other" };

static void ask_cancel(struct patron *p)
{
	const struct circ_hold *h = hold_at_cursor(p);
	if (!h || !h->id[0] || strcmp(h->status, "expired") == 0) {
		set_message(p, _("Choose an open hold in the list first (Up, Down)."), true);
		return;
	}
	if (needsvc_down(p->ctx->q.offline)) {
		set_message(p, _("Cancelling a hold needs the service; the desk is offline."), true);
		deskctx_attention(p->ctx);
		return;
	}
	p->cancel_at = (long)(p->cursor - p->p->n_loans);
	/* TRANSLATORS: the reason codes of a cancelled hold, typed as a digit */
	set_message(p, _("Cancel this hold? Reason: 1 the patron asked, 2 the library, 3 other; "
			 "Esc keeps it."), false);
}

static void on_cancelled(void *ctx, unsigned tag, struct holds_cancelled *c,
			 const struct circ_failure *f)
{
	struct patron *p = ctx;
	deskctx_touch(p->ctx);
	if (tag / PATRON_TAG_STRIDE != p->gen) {
		holds_cancelled_free(c);
		return;
	}
	if (!c) {
		char *msg = f->call.outcome == API_UNREACHABLE
			? call_failure_sentence_dup(_("Cancelling a hold needs the service; the desk "
						      "is offline."), &f->call)
			: xasprintf(_("Not cancelled: %s"), f->call.text);
		set_message(p, msg, true);
		free(msg);
		deskctx_attention(p->ctx);
		return;
	}
	char *msg;
	if (c->has_route && c->route.route == CIRC_HOLD_SHELF)
		msg = xasprintf(_("Hold cancelled: %s. Take it off the hold shelf: now for %s."),
				c->hold.title, c->route.hold_for);
	else if (c->has_route && c->route.route == CIRC_TRANSIT)
		msg = xasprintf(_("Hold cancelled: %s. Take it off the hold shelf: in transit to %s."),
				c->hold.title, deskctx_branch_name(p->ctx, c->route.branch));
	else if (c->has_route)
		msg = xasprintf(_("Hold cancelled: %s. Take it off the hold shelf: back on the shelf."),
				c->hold.title);
	else
		msg = xasprintf(_("Hold cancelled: %s."), c->hold.title);
	holds_cancelled_free(c);
	char *card = xstrdup(p->p->card);
	open_card(p, card);
	free(card);
	set_message(p, msg, false);
	p->keep_message = true;
	free(msg);
}

/* A digit answers the question of ask_cancel. */
static bool cancel_key(struct patron *p, keycode k)
{
	if (k < '1' || k > '3' || !p->p || p->cancel_at < 0 ||
	    (size_t)p->cancel_at >= p->p->n_holds)
		return false;
	const struct circ_hold *h = &p->p->holds[p->cancel_at];
	p->cancel_at = -1;
	holds_cancel_start(&p->ctx->q, p->p->card, h->id, cancel_reasons[k - '1'], on_cancelled,
			   p, p->gen * PATRON_TAG_STRIDE);
	set_message(p, _("Cancelling the hold..."), false);
	return true;
}

bool patron_action(struct patron *p, enum action a)
{
	size_t n = list_length(p);
	switch (a) {
	case ACTION_SCAN:
		search(p);
		return true;
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		p->focus = !p->focus;
		return true;
	case ACTION_SCROLL_UP:
		if (p->cursor > 0)
			p->cursor--;
		return true;
	case ACTION_SCROLL_DOWN:
		if (p->cursor + 1 < n)
			p->cursor++;
		return true;
	case ACTION_SELECT:
		if (p->view == PATRON_SHOW && p->cursor < p->p->n_loans) {
			p->loans[p->cursor].selected = !p->loans[p->cursor].selected;
			if (p->cursor + 1 < n)
				p->cursor++;
		}
		return true;
	case ACTION_CANCEL_HOLD:
		ask_cancel(p);
		return true;
	case ACTION_RENEW_SELECTED:
		renew_selected(p);
		return true;
	case ACTION_CANCEL:
		if (p->cancel_at >= 0) {
			p->cancel_at = -1;
			set_message(p, _("The hold is kept."), false);
			return true;
		}
		field_clear(&p->query);
		field_clear(&p->birth);
		p->focus = 0;
		set_message(p, NULL, false);
		return true;
	default:
		return false;
	}
}

bool patron_takes_text(const struct patron *p, keycode k)
{
	if (p->cancel_at >= 0)
		return true;
	return !(k == KEYC_SPACE && p->view == PATRON_SHOW && p->focus == 0 &&
		 field_is_empty(&p->query));
}

bool patron_key(struct patron *p, keycode k)
{
	if (p->cancel_at >= 0)
		return cancel_key(p, k) || true;
	return field_key(p->focus ? &p->birth : &p->query, k);
}

/* ---- drawing ---- */

/* "Hold: <title>, ready in Zuid (until 05-12-2026)"; allocated. */
static char *hold_line_dup(const struct circ_hold *h, const struct deskctx *ctx)
{
	char by[DATE_STR_LEN + 16];
	deskctx_date(h->pickup_by, by);
	char *state = circ_hold_state_dup(h, deskctx_branch_name(ctx, h->branch), by);
	/* TRANSLATORS: "Hold: <title>, ready in Zuid (until 05-12-2026)" */
	char *line = xasprintf(_("Hold: %s, %s"), h->title, state);
	free(state);
	return line;
}

static bool hold_ready(const struct circ_hold *h)
{
	return !h->status || !*h->status || strcmp(h->status, "ready") == 0;
}

static int draw_head(const struct circ_patron *c, const struct deskctx *ctx, WINDOW *w, int y,
		     int cols)
{
	const char *cat = strcmp(c->category, "youth") == 0 ? _("youth") : _("adult");
	char *line = xasprintf("%s  (%s, %s)", c->name, cat, c->card);
	term_text_as(w, y++, 2, cols - 3, line, TERM_TITLE);
	free(line);
	char exp[DATE_STR_LEN + 16], money[32];
	deskctx_date(c->expires_on, exp);
	circ_money(c->fines_cents, money);
	line = xasprintf(_("Card valid until %s   Fines: %s   Branch: %s"), exp, money,
			 deskctx_branch_name(ctx, c->home_branch));
	term_text(w, y++, 2, cols - 3, line);
	free(line);
	if (c->accruing_fines_cents > 0) {
		circ_money(c->accruing_fines_cents, money);
		line = xasprintf(_("Still accruing on overdue loans: %s (not charged yet)"), money);
		term_text_as(w, y++, 2, cols - 3, line, TERM_NOTE);
		free(line);
	}
	char *blocks = circ_blocks_line_dup(c);
	if (blocks)
		term_text_as(w, y++, 2, cols - 3, blocks, TERM_ERROR);
	free(blocks);
	/* The holds are in the list under the loans; a service without
	 * "holds" gives the ready ones, shown here. */
	const struct circ_hold *holds = c->holds_ready;
	size_t n = c->n_holds ? 0 : c->n_holds_ready;
	for (size_t i = 0; i < n && i < PATRON_HOLD_ROWS; i++) {
		line = hold_line_dup(&holds[i], ctx);
		term_text_as(w, y++, 2, cols - 3, line, hold_ready(&holds[i]) ? TERM_NOTE : TERM_NORMAL);
		free(line);
	}
	if (n > PATRON_HOLD_ROWS) {
		line = xasprintf(P_("... and %zu more hold", "... and %zu more holds",
				    (unsigned long)(n - PATRON_HOLD_ROWS)),
				 n - PATRON_HOLD_ROWS);
		term_text_as(w, y++, 2, cols - 3, line, TERM_NOTE);
		free(line);
	}
	return y;
}

static void draw_loan(const struct patron *p, size_t i, WINDOW *w, int y, int cols)
{
	const struct circ_loan *l = &p->p->loans[i];
	const struct patron_loan_state *st = &p->loans[i];
	char due[DATE_STR_LEN + 16];
	deskctx_date(l->due_on, due);
	if (i == p->cursor)
		term_fill(w, y, 0, cols, TERM_FIELD);
	enum term_role role = i == p->cursor ? TERM_FIELD : TERM_NORMAL;
	term_text_as(w, y, 1, 4, st->selected ? "[x]" : "[ ]", role);
	term_text_as(w, y, 5, 15, l->item_barcode, role);
	term_text_as(w, y, 20, 11, due, l->overdue ? TERM_ERROR : role);
	int x = 31;
	if (l->overdue) {
		/* TRANSLATORS: marks an overdue loan */
		x += term_text_as(w, y, x, cols - x, _("OVERDUE"), TERM_ERROR) + 1;
	}
	if (st->outcome)
		x += term_text_as(w, y, x, cols - x, st->outcome,
				  st->attention ? TERM_ERROR : TERM_NOTE) + 1;
	if (x < cols - 1)
		term_text_as(w, y, x, cols - 1 - x, l->title, role);
}

static void draw_hold(const struct patron *p, size_t i, WINDOW *w, int y, int cols)
{
	const struct circ_hold *h = &p->p->holds[i];
	bool here = p->p->n_loans + i == p->cursor;
	if (here)
		term_fill(w, y, 0, cols, TERM_FIELD);
	char *line = hold_line_dup(h, p->ctx);
	term_text_as(w, y, 2, cols - 3, line,
		     here ? TERM_FIELD : hold_ready(h) ? TERM_NOTE : TERM_NORMAL);
	free(line);
}

/* The list under the head: a label and the loans, a label and the holds;
 * row r of it as drawn, for the cursor's entry. */
static size_t cursor_row(const struct patron *p)
{
	size_t n_loans = p->p->n_loans;
	return p->cursor < n_loans ? 1 + p->cursor : 2 + p->cursor;
}

static void draw_loans(const struct patron *p, WINDOW *w, int y, int bottom, int cols)
{
	const struct circ_patron *c = p->p;
	int rows = bottom - y + 1;
	if (rows <= 0)
		return;
	size_t total = 1 + c->n_loans + (c->n_holds ? 1 + c->n_holds : 0);
	size_t r = cursor_row(p);
	size_t first = r >= (size_t)rows ? r - (size_t)rows + 1 : 0;
	for (size_t row = first; row < total && y <= bottom; row++, y++) {
		if (row == 0) {
			char *head = xasprintf(P_("%zu loan", "%zu loans", (unsigned long)c->n_loans),
					       c->n_loans);
			term_text_as(w, y, 2, cols - 3, head, TERM_LABEL);
			free(head);
		} else if (row <= c->n_loans) {
			draw_loan(p, row - 1, w, y, cols);
		} else if (row == c->n_loans + 1) {
			char *head = xasprintf(P_("%zu hold", "%zu holds", (unsigned long)c->n_holds),
					       c->n_holds);
			term_text_as(w, y, 2, cols - 3, head, TERM_LABEL);
			free(head);
		} else {
			draw_hold(p, row - c->n_loans - 2, w, y, cols);
		}
	}
}

static void draw_results(const struct patron *p, WINDOW *w, int y, int bottom, int cols)
{
	int rows = bottom - y + 1;
	if (rows <= 0 || !p->found)
		return;
	size_t first = p->cursor >= (size_t)rows ? p->cursor - (size_t)rows + 1 : 0;
	for (size_t i = first; i < p->found->n && y <= bottom; i++, y++) {
		const struct circ_found *f = &p->found->items[i];
		enum term_role role = i == p->cursor ? TERM_FIELD : TERM_NORMAL;
		if (i == p->cursor)
			term_fill(w, y, 0, cols, role);
		char born[DATE_STR_LEN + 16];
		deskctx_date(f->birth_date, born);
		term_text_as(w, y, 2, 36, f->name, role);
		term_text_as(w, y, 40, 12, born, role);
		term_text_as(w, y, 54, cols - 55, f->card, role);
	}
}

void patron_draw(const struct patron *p, WINDOW *w, int top, int bottom, int cols, int *cy,
		 int *cx)
{
	const char *title = _("Patron");
	term_text_as(w, top, 1, cols - 2, title, TERM_TITLE);
	const char *ql = _("Card or name");
	int x = 2 + term_width(title) + 2;
	x += term_text_as(w, top, x, cols - x, ql, TERM_LABEL) + 1;
	int qx = field_draw(&p->query, w, top, x, 24, p->focus == 0);
	x += 26;
	const char *bl = _("Born");
	x += term_text_as(w, top, x, cols - x, bl, TERM_LABEL) + 1;
	int bx = field_draw(&p->birth, w, top, x, 11, p->focus == 1);
	*cy = top;
	*cx = p->focus ? bx : qx;
	if (p->message && top + 1 <= bottom)
		term_text_as(w, top + 1, 2, cols - 3, p->message,
			     p->message_error ? TERM_ERROR : TERM_NOTE);
	if (top + 2 <= bottom)
		term_hline(w, top + 2, 0, cols);
	int y = top + 3;
	if (p->view == PATRON_RESULTS)
		draw_results(p, w, y, bottom, cols);
	else if (p->view == PATRON_SHOW && p->p && y <= bottom)
		draw_loans(p, w, draw_head(p->p, p->ctx, w, y, cols) + 1, bottom, cols);
}

/* ---- the screen's row (screen.h) ---- */

/* A staff member logs out: the scans still queued for the circulation
 * screens (their shared deskctx) go with the screen's own state. */
static void patron_op_reset(void *self)
{
	struct patron *p = self;
	scanq_clear(&p->ctx->q);
	patron_reset(p);
}

static bool patron_op_action(void *self, enum action a, enum ui_screen *screen)
{
	struct patron *p = self;
	if (a == ACTION_PLACE_HOLD) {
		to_titles(p, screen);
		return true;
	}
	if (a != ACTION_ACCOUNT)
		return patron_action(p, a);
	if (p->view == PATRON_SHOW && p->p && p->account) {
		bool fines = false;
		for (size_t i = 0; i < p->p->n_blocks; i++)
			fines = fines || strcmp(p->p->blocks[i], "fines_over_limit") == 0;
		account_screen_show(p->account, p->p->card, p->p->name, fines);
		*screen = SCREEN_ACCOUNT;
	}
	return true;
}

static bool patron_op_takes_text(const void *self, keycode k)
{
	return keys_is_text(k) && patron_takes_text(self, k);
}

static void patron_op_key(void *self, keycode k)
{
	(void)patron_key(self, k);
}

/* The key of the screen one is on opens nothing new. */
static bool patron_op_live(const void *self, enum action a)
{
	return action_screen(a) != SCREEN_PATRON && patron_live(self, a);
}

static void patron_op_draw(void *self, struct screen_area *area)
{
	patron_draw(self, area->w, area->top, area->bottom, area->cols, &area->cy, &area->cx);
}

const struct screen_ops patron_ops = {
	.reset = patron_op_reset,
	.action = patron_op_action,
	.takes_text = patron_op_takes_text,
	.key = patron_op_key,
	.live = patron_op_live,
	.draw = patron_op_draw,
};
