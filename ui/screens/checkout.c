#include "ui/screens/checkout.h"

#include "client/circ_call.h"

#include "ui/screens/checkin.h"
#include "core/i18n.h"
#include "ui/screens/renew.h"
#include "ui/widgets/term.h"
#include "core/validate.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Room for a scanner that sends more than a barcode can hold: the field
 * keeps it, so that the desk can refuse it whole instead of cutting it. */
enum { CHECKOUT_FIELD_MAX = 4 * CIRC_BARCODE_MAX, CHECKOUT_REASON_MAX = 200 };

/* The override that lends an item past another patron's hold: it names the
 * refusal's code, and holds for the one item, not for the visit. */
#define CHECKOUT_PAST_HOLD "item_on_hold_for_other"

static void free_list(char **list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		free(list[i]);
	free(list);
}

static void set_message(struct checkout *c, const char *msg, bool error)
{
	xstrset(&c->message, msg);
	c->message_error = error;
}

static void forget_refusal(struct checkout *c)
{
	free_list(c->refused_blocks, c->n_refused_blocks);
	c->refused_blocks = NULL;
	c->n_refused_blocks = 0;
	xstrset(&c->refused_barcode, NULL);
	xstrset(&c->refused_words, NULL);
	c->offer_override = c->offer_renewal = false;
	c->refused_needs_permission = false;
	c->refused_line = 0;
	c->asking_reason = false;
	field_clear(&c->reason);
}

static void forget_visit_loans(struct checkout *c)
{
	for (size_t i = 0; i < c->n_loans; i++)
		circ_loan_free(c->loans[i]);
	free(c->loans);
	c->loans = NULL;
	c->n_loans = 0;
	xstrset(&c->visit_card, NULL);
	c->visit_fines = 0;
}

/* Ends the visit: the next scan is a card. The lines and the loans stay
 * until the next patron has arrived, so that answers still on their way
 * land where they belong and the slip can still be printed; the end-patron
 * key clears them at once (checkout_action). */
static void end_patron(struct checkout *c)
{
	xstrset(&c->card, NULL);
	xstrset(&c->switch_card, NULL);
	c->due_next[0] = '\0';
	c->asking_due = false;
	field_clear(&c->due);
	circ_patron_free(c->patron);
	c->patron = NULL;
	c->patron_req = 0;
	c->offline_card = false;
	forget_refusal(c);
	free_list(c->override_blocks, c->n_override_blocks);
	c->override_blocks = NULL;
	c->n_override_blocks = 0;
	xstrset(&c->override_reason, NULL);
}

void checkout_init(struct checkout *c, struct deskctx *ctx)
{
	*c = (struct checkout){ .ctx = ctx };
	field_init(&c->scan, CHECKOUT_FIELD_MAX, false);
	field_init(&c->reason, CHECKOUT_REASON_MAX, false);
	field_init(&c->due, DATE_STR_LEN - 1, false);
	scanlist_init(&c->lines);
}

void checkout_reset(struct checkout *c)
{
	end_patron(c);
	forget_visit_loans(c);
	scanlist_clear(&c->lines);
	field_clear(&c->scan);
	set_message(c, NULL, false);
	xstrset(&c->alert, NULL);
	c->slip_wanted = false;
}

void checkout_free(struct checkout *c)
{
	checkout_reset(c);
	field_free(&c->scan);
	field_free(&c->reason);
	field_free(&c->due);
	scanlist_free(&c->lines);
	free(c->message);
}

/* ---- the slip ---- */

static void print_slip(struct checkout *c)
{
	c->slip_wanted = false;
	if (!c->ctx->cfg->print_command || !*c->ctx->cfg->print_command) {
		set_message(c, _("No print command is set in balie.conf: no slip printed."), true);
		return;
	}
	if (c->n_loans == 0) {
		set_message(c, _("Nothing was lent: no slip printed."), false);
		return;
	}
	struct slip *s = slip_loan_new(c->ctx->cfg->print_width,
				       deskctx_branch_name(c->ctx, deskctx_here(c->ctx)),
				       c->visit_card ? c->visit_card : "",
				       (const struct circ_loan *const *)c->loans, c->n_loans,
				       c->visit_fines, date_today());
	char *err = deskctx_print(c->ctx, s);
	if (err) {
		set_message(c, err, true);
		deskctx_attention(c->ctx);
	} else {
		set_message(c, _("The loan slip was printed."), false);
	}
	free(err);
}

/* ---- answers ---- */

static void on_patron(void *ctx, unsigned tag, struct circ_patron *p,
		      const struct circ_failure *f)
{
	struct checkout *c = ctx;
	deskctx_touch(c->ctx);
	if (tag != c->patron_req) {
		circ_patron_free(p);
		return; /* a patron whose visit has ended */
	}
	if (!p && f->call.outcome == API_UNREACHABLE) {
		/* Offline the card scanned at the desk is enough: the items are
		 * journaled to it and the service checks them when it is back. */
		scanlist_clear_before(&c->lines, c->visit_mark);
		forget_visit_loans(c);
		c->offline_card = true;
		set_message(c, _("Offline: no patron data. Each item is saved and sent later."),
			    false);
		return;
	}
	if (!p) {
		set_message(c, f->call.text, true);
		xstrset(&c->card, NULL); /* the next scan is a card again */
		c->patron_req = 0;
		deskctx_attention(c->ctx);
		return;
	}
	/* The previous visit's answers have all come (the queue keeps order);
	 * what was scanned for this card while it was looked up stays. */
	scanlist_clear_before(&c->lines, c->visit_mark);
	forget_visit_loans(c);
	c->patron = p;
	c->visit_card = xstrdup(p->card);
	c->visit_fines = p->fines_cents;
	set_message(c, NULL, false);
	if (p->n_blocks > 0)
		deskctx_attention(c->ctx);
}

/* A loan made: its due date on the line. An item still on loan to another
 * patron was checked in first (its fine charged to that patron): the line
 * says so in colour with the bell, and check in counts that return. */
static void show_loan(struct checkout *c, unsigned line, const struct circ_loan *loan)
{
	char date[DATE_STR_LEN + 16];
	deskctx_date(loan->due_on, date);
	/* TRANSLATORS: the outcome of a check-out: the due date */
	char *out = xasprintf(_("due %s"), date);
	bool alert = loan->alert && loan->alert[0];
	if (alert)
		deskctx_alert_set(c->ctx, &c->alert, loan->title, loan->alert);
	if (!loan->returned_first) {
		scanlist_set(&c->lines, line, alert ? SCANLINE_ATTENTION : SCANLINE_DONE, out,
			     loan->title);
		free(out);
		return;
	}
	char *detail;
	if (loan->returned_fine_cents > 0) {
		char money[32];
		circ_money(loan->returned_fine_cents, money);
		/* TRANSLATORS: a check-out of an item another patron still had:
		 * the fine charged to that patron (two rows of 41 columns) */
		detail = xasprintf(_("on loan to another patron: checked in first, fine %s charged "
				     "to that patron"),
				   money);
	} else {
		/* TRANSLATORS: a check-out of an item another patron still had: the title */
		detail = xasprintf(_("was on loan to another patron: checked in first; %s"),
				   loan->title);
	}
	scanlist_set(&c->lines, line, SCANLINE_ATTENTION, out, detail);
	free(detail);
	free(out);
	deskctx_attention(c->ctx);
	if (c->returns)
		checkin_count_return(c->returns, loan->returned_fine_cents);
}

/* The refusals an override key can act on: the patron's blocks, and a hold
 * of another patron (lent past it, for this item only). */
static bool overridable_refusal(enum errcode e)
{
	return e == ERR_PATRON_BLOCKED || e == ERR_ITEM_ON_HOLD_FOR_OTHER;
}

static void offer(struct checkout *c, unsigned line, const char *barcode,
		  const struct circ_failure *f)
{
	forget_refusal(c);
	if (!c->card || f->call.outcome != API_REFUSED)
		return;
	if (overridable_refusal(f->call.error) && !f->call.overridable) {
		c->refused_needs_permission = true;
		return;
	}
	if (f->call.error == ERR_PATRON_BLOCKED) {
		c->offer_override = true;
		c->refused_blocks = xcalloc(f->n_blocks + 1, sizeof *c->refused_blocks);
		for (size_t i = 0; i < f->n_blocks; i++)
			c->refused_blocks[i] = xstrdup(f->blocks[i]);
		c->n_refused_blocks = f->n_blocks;
	} else if (f->call.error == ERR_ITEM_ON_HOLD_FOR_OTHER) {
		c->offer_override = true;
		c->refused_blocks = xcalloc(2, sizeof *c->refused_blocks);
		c->refused_blocks[0] = xstrdup(CHECKOUT_PAST_HOLD);
		c->n_refused_blocks = 1;
	} else if (f->call.error == ERR_ITEM_ALREADY_ON_LOAN) {
		c->offer_renewal = true;
	} else {
		return;
	}
	c->refused_line = line;
	c->refused_barcode = xstrdup(barcode);
}

/* A later scan withdraws the offer of the refusal before it: its line keeps
 * the refusal's words without the key, which would now act on nothing. */
static void withdraw_offer(struct checkout *c)
{
	struct scanline *s = c->refused_line ? scanlist_find(&c->lines, c->refused_line) : NULL;
	if (s && s->state == SCANLINE_ATTENTION && c->refused_words)
		xstrset(&s->detail, c->refused_words);
	forget_refusal(c);
}

char *checkout_card_words_dup(const char *key)
{
	if (!key[0])
		return xstrdup(_("This is a patron's card, not an item."));
	/* TRANSLATORS: a patron's card scanned as an item; %s the switch key */
	return xasprintf(_("This is a patron's card, not an item: %s switches to that patron."),
			 key);
}

/* A patron's card scanned as an item: the switch key takes that patron. */
static void offer_switch(struct checkout *c, unsigned line, const char *card)
{
	xstrset(&c->switch_card, card);
	char key[KEYS_NAME_MAX];
	deskctx_key(c->ctx, SCREEN_CHECKOUT, ACTION_SWITCH_PATRON, key);
	char *words = checkout_card_words_dup(key);
	scanlist_set(&c->lines, line, SCANLINE_ATTENTION, _("NOT LENT"), words);
	free(words);
	deskctx_attention(c->ctx);
}

static void on_checkout(void *ctx, unsigned line, struct circ_loan *loan,
			const struct circ_failure *f)
{
	struct checkout *c = ctx;
	deskctx_touch(c->ctx);
	struct scanline *s = scanlist_find(&c->lines, line);
	char *barcode = xstrdup(s ? s->scanned : "");
	if (!loan && f->saved) {
		/* TRANSLATORS: an offline transaction, safe in the desk's journal */
		scanlist_set(&c->lines, line, SCANLINE_NOTE, _("SAVED"),
			     _("saved, will be sent when the service is back"));
		struct scanline *sl = scanlist_find(&c->lines, line);
		if (sl)
			sl->seq = f->seq;
	} else if (loan) {
		show_loan(c, line, loan);
		c->loans = xrealloc(c->loans, (c->n_loans + 1) * sizeof *c->loans);
		c->loans[c->n_loans++] = loan;
		/* The patron's hold on it is fulfilled: the panel drops it. */
		if (c->patron)
			circ_patron_hold_fulfilled(c->patron, loan->item_barcode);
		if (c->refused_line == line)
			forget_refusal(c);
	} else if (f->patron_card) {
		offer_switch(c, line, barcode);
	} else {
		char *words = xstrdup(f->call.text);
		offer(c, line, barcode, f);
		char key[KEYS_NAME_MAX];
		deskctx_key(c->ctx, SCREEN_CHECKOUT, ACTION_OVERRIDE, key);
		char *detail = words;
		if (c->refused_line == line && key[0]) {
			detail = xasprintf(c->offer_override ? _("%s: override. %s")
							     : _("%s: renew it. %s"),
					   key, words);
			c->refused_words = xstrdup(words);
			free(words);
		}
		/* TRANSLATORS: the outcome of a refused check-out, in capitals */
		scanlist_set(&c->lines, line, SCANLINE_ATTENTION, _("NOT LENT"), detail);
		free(detail);
		deskctx_attention(c->ctx);
	}
	free(barcode);
	if (c->slip_wanted && scanlist_pending(&c->lines) == 0)
		print_slip(c);
}

void checkout_settled(struct checkout *c, long long seq, struct circ_loan *loan,
		      const struct circ_failure *f)
{
	struct scanline *s = scanlist_find_seq(&c->lines, seq);
	if (!s) {
		circ_loan_free(loan);
		return; /* not on this screen (any more) */
	}
	s->seq = 0;
	deskctx_touch(c->ctx);
	if (loan) {
		show_loan(c, s->id, loan);
		/* The lines and the loans go together (end_patron keeps both), so
		 * a loan of a patron known at the desk joins the slip and panel. */
		if (c->visit_card) {
			c->loans = xrealloc(c->loans, (c->n_loans + 1) * sizeof *c->loans);
			c->loans[c->n_loans++] = loan;
			if (c->patron)
				circ_patron_hold_fulfilled(c->patron, loan->item_barcode);
		} else {
			circ_loan_free(loan);
		}
		return;
	}
	const char *words = f->call.text;
	char key[KEYS_NAME_MAX];
	deskctx_key(c->ctx, SCREEN_CHECKOUT, ACTION_QUEUE, key);
	/* TRANSLATORS: a saved check-out or check-in the service refused when
	 * the journal was sent; %s the key of the queue screen, then the reason */
	char *detail = xasprintf(_("Refused when sent; see the queue (%s). %s"), key, words);
	/* The desk rang already when the refusal reached the queue. */
	scanlist_set(&c->lines, s->id, SCANLINE_ATTENTION, _("NOT LENT"), detail);
	free(detail);
}

static void on_renewal(void *ctx, unsigned line, struct circ_loan *loan,
		       const struct circ_failure *f)
{
	struct checkout *c = ctx;
	deskctx_touch(c->ctx);
	char *outcome, *detail;
	bool good = renew_outcome(loan, f, &outcome, &detail);
	circ_loan_free(loan);
	scanlist_set(&c->lines, line, good ? SCANLINE_DONE : SCANLINE_ATTENTION, outcome, detail);
	free(outcome);
	free(detail);
	if (!good)
		deskctx_attention(c->ctx);
}

/* ---- scans ---- */

/* Sends a check-out with the visit's override; past_hold lends this one
 * item past another patron's hold too. */
static void send_checkout(struct checkout *c, unsigned line, const char *barcode, bool past_hold)
{
	size_t n = c->n_override_blocks;
	const char **blocks = xcalloc(n + 2, sizeof *blocks);
	for (size_t i = 0; i < n; i++)
		blocks[i] = c->override_blocks[i];
	if (past_hold)
		blocks[n++] = CHECKOUT_PAST_HOLD;
	circ_checkout_due_start(&c->ctx->q, c->card, barcode, n ? blocks : NULL, n,
				c->override_reason, c->due_next[0] ? c->due_next : NULL, on_checkout,
				c, line);
	c->due_next[0] = '\0'; /* for one item */
	free(blocks);
}

static void scan(struct checkout *c)
{
	/* A scan that is no barcode is refused here: the patron stays. */
	char *text = deskctx_take_scan_dup(c->ctx, &c->scan, &c->lines);
	if (!text)
		return;
	if (!c->card && validate_card_check_digit_wrong(text)) {
		/* A misread card: refused here, online or not, so that nothing is
		 * lent (or journaled) to a card that cannot exist. */
		char *msg = xasprintf(_("Card number %s is wrong: its check digit does not match. "
					"Scan the card again."),
				      text);
		set_message(c, msg, true);
		free(msg);
		free(text);
		deskctx_attention(c->ctx);
		return;
	}
	if (!c->card) {
		end_patron(c);
		c->card = text;
		if (++c->tag_seq == 0) /* 0 means no request awaited */
			c->tag_seq = 1;
		c->patron_req = c->tag_seq;
		c->visit_mark = scanlist_next_id(&c->lines);
		set_message(c, _("Looking up the patron..."), false);
		circ_patron_checkout_start(&c->ctx->q, text, on_patron, c, c->patron_req);
		return;
	}
	/* What the screen said about the scan before is no longer news. */
	withdraw_offer(c);
	set_message(c, NULL, false);
	unsigned line = scanlist_add(&c->lines, text);
	deskctx_item_scanned(c->ctx, text);
	send_checkout(c, line, text, false);
	free(text);
}

static void add_override(struct checkout *c, const char *reason)
{
	for (size_t i = 0; i < c->n_refused_blocks; i++) {
		if (strcmp(c->refused_blocks[i], CHECKOUT_PAST_HOLD) == 0)
			continue; /* for the one item: send_override */
		bool have = false;
		for (size_t j = 0; j < c->n_override_blocks; j++)
			have = have || strcmp(c->override_blocks[j], c->refused_blocks[i]) == 0;
		if (have)
			continue;
		c->override_blocks = xrealloc(c->override_blocks,
					      (c->n_override_blocks + 2) * sizeof *c->override_blocks);
		c->override_blocks[c->n_override_blocks++] = xstrdup(c->refused_blocks[i]);
	}
	xstrset(&c->override_reason, reason);
}

static void send_override(struct checkout *c)
{
	char *reason = field_text_dup(&c->reason);
	if (!reason[0] || !c->card || !c->refused_barcode) {
		free(reason);
		set_message(c, _("Give a reason for the override."), true);
		return;
	}
	add_override(c, reason);
	free(reason);
	bool past_hold = false;
	for (size_t i = 0; i < c->n_refused_blocks; i++)
		past_hold = past_hold || strcmp(c->refused_blocks[i], CHECKOUT_PAST_HOLD) == 0;
	unsigned line = c->refused_line;
	char *barcode = xstrdup(c->refused_barcode);
	forget_refusal(c);
	scanlist_set(&c->lines, line, SCANLINE_PENDING, _("..."), _("override"));
	send_checkout(c, line, barcode, past_hold);
	free(barcode);
	set_message(c, NULL, false);
}

static void override(struct checkout *c)
{
	if (c->offer_renewal) {
		unsigned line = c->refused_line;
		char *barcode = xstrdup(c->refused_barcode);
		forget_refusal(c);
		scanlist_set(&c->lines, line, SCANLINE_PENDING, _("..."), _("renewal"));
		circ_renew_start(&c->ctx->q, barcode, NULL, 0, NULL, on_renewal, c, line);
		free(barcode);
		return;
	}
	if (c->refused_needs_permission) {
		set_message(c, _("Overriding this refusal needs the override permission, which "
				 "this account does not have."),
			    true);
		return;
	}
	if (!c->offer_override) {
		set_message(c, _("There is no refusal to override."), false);
		return;
	}
	c->asking_reason = true;
	set_message(c, _("Why is the block overridden? Enter sends, Esc cancels."), false);
}

/* Enter on the next item's due date: dd-mm-jjjj. */
static void take_due(struct checkout *c)
{
	char *text = field_text_dup(&c->due);
	struct civil_date d;
	if (!date_parse_dutch(text, &d)) {
		set_message(c, _("Type the date as dd-mm-jjjj."), true);
	} else {
		date_format_iso(d, c->due_next);
		c->asking_due = false;
		char shown[DATE_STR_LEN];
		date_format_dutch(d, shown);
		/* TRANSLATORS: a due date set by hand for the next item scanned */
		char *msg = xasprintf(_("The next item is due on %s."), shown);
		set_message(c, msg, false);
		free(msg);
	}
	free(text);
}

bool checkout_action(struct checkout *c, enum action a)
{
	switch (a) {
	case ACTION_SCAN:
		if (c->asking_due)
			take_due(c);
		else if (c->asking_reason)
			send_override(c);
		else
			scan(c);
		return true;
	case ACTION_CHECKOUT_DUE:
		if (c->card) {
			c->asking_due = true;
			field_clear(&c->due);
		}
		return true;
	case ACTION_OVERRIDE:
		override(c);
		return true;
	case ACTION_CANCEL:
		if (c->alert) {
			xstrset(&c->alert, NULL); /* acknowledged */
		} else if (c->asking_due) {
			c->asking_due = false;
		} else if (c->asking_reason) {
			c->asking_reason = false;
			field_clear(&c->reason);
			set_message(c, NULL, false);
		} else {
			field_clear(&c->scan);
		}
		return true;
	case ACTION_PRINT_SLIP:
		if (c->card || c->n_loans > 0) {
			end_patron(c);
			if (scanlist_pending(&c->lines) > 0)
				c->slip_wanted = true;
			else
				print_slip(c);
		}
		return true;
	case ACTION_SWITCH_PATRON:
		if (c->switch_card) {
			char *card = c->switch_card;
			c->switch_card = NULL;
			checkout_switch_to(c, card);
			free(card);
		}
		return true;
	case ACTION_END_PATRON:
		/* The next patron must not read this one's titles: only lines
		 * still waiting for their answer stay, to show it. */
		end_patron(c);
		scanlist_clear_finished(&c->lines);
		forget_visit_loans(c);
		set_message(c, _("Done. Scan the next patron's card."), false);
		return true;
	default:
		return false;
	}
}

void checkout_switch_to(struct checkout *c, const char *card)
{
	if (c->card)
		checkout_action(c, ACTION_END_PATRON);
	field_set(&c->scan, card);
	scan(c);
}

bool checkout_live(const struct checkout *c, enum action a)
{
	switch (a) {
	case ACTION_SWITCH_PATRON:
		return c->switch_card != NULL;
	case ACTION_CHECKOUT_DUE:
		return c->card != NULL && !c->asking_due;
	case ACTION_END_PATRON:
		return c->card != NULL;
	case ACTION_PRINT_SLIP:
		return c->card && (c->n_loans > 0 || scanlist_pending(&c->lines) > 0);
	case ACTION_OVERRIDE:
		return c->offer_override || c->offer_renewal;
	default:
		return true;
	}
}

bool checkout_key(struct checkout *c, keycode k)
{
	return field_key(c->asking_due ? &c->due : c->asking_reason ? &c->reason : &c->scan, k);
}

/* ---- drawing ---- */

/* The panel has fixed rows, so that a patron's arrival does not move the
 * list below it: the patron, the message for the patron and the loans the
 * patron has. */
enum { CHECKOUT_HEAD_ROWS = 4, CHECKOUT_LOAN_ROWS = 3,
       CHECKOUT_PANEL_ROWS = CHECKOUT_HEAD_ROWS + 1 + CHECKOUT_LOAN_ROWS };

/* The message the library left for the patron, on its own line: shown at
 * this check-out once (the service marked it shown), never a pop-up. */
static void draw_patron_message(const struct circ_patron *p, WINDOW *w, int y, int cols)
{
	if (!p->details.message_now || !*p->details.message_now)
		return;
	/* TRANSLATORS: the library's message for the patron, to tell at the desk */
	char *line = xasprintf(_("Message for the patron: %s"), p->details.message_now);
	term_text_as(w, y, 2, cols - 3, line, TERM_NOTE);
	free(line);
}

/* The loans the patron had when the card was scanned, by due date. */
static void draw_patron_loans(const struct circ_patron *p, WINDOW *w, int y, int cols)
{
	size_t shown = p->n_loans > CHECKOUT_LOAN_ROWS ? CHECKOUT_LOAN_ROWS - 1 : p->n_loans;
	for (size_t i = 0; i < shown; i++, y++) {
		const struct circ_loan *l = &p->loans[i];
		char due[DATE_STR_LEN + 16];
		deskctx_date(l->due_on, due);
		int x = 4 + term_text_as(w, y, 4, 12, due, l->overdue ? TERM_ERROR : TERM_NORMAL) + 2;
		if (l->overdue)
			x += term_text_as(w, y, x, cols - x, _("OVERDUE"), TERM_ERROR) + 1;
		if (x < cols - 1)
			term_text(w, y, x, cols - 1 - x, l->title);
	}
	if (shown < p->n_loans) {
		size_t more = p->n_loans - shown;
		char *line = xasprintf(P_("... and %zu more loan", "... and %zu more loans",
					  (unsigned long)more), more);
		term_text_as(w, y, 4, cols - 5, line, TERM_LABEL);
		free(line);
	}
}

static void draw_patron(const struct checkout *c, WINDOW *w, int y, int cols)
{
	const struct circ_patron *p = c->patron;
	if (!p && c->card && c->offline_card) {
		char *line = xasprintf(_("Card %s (offline: no patron data)"), c->card);
		term_text_as(w, y, 2, cols - 3, line, TERM_TITLE);
		free(line);
		return;
	}
	if (!p) {
		const char *what = c->card ? _("Looking up the patron...")
					   : _("Scan the patron's card.");
		term_text_as(w, y, 2, cols - 3, what, TERM_LABEL);
		return;
	}
	const char *cat = strcmp(p->category, "youth") == 0 ? _("youth") : _("adult");
	char *line = xasprintf("%s  (%s, %s)", p->name, cat, p->card);
	term_text_as(w, y, 2, cols - 3, line, TERM_TITLE);
	free(line);
	char exp[DATE_STR_LEN + 16], money[32];
	deskctx_date(p->expires_on, exp);
	circ_money(p->fines_cents, money);
	line = xasprintf(_("Card valid until %s   Loans: %zu   Fines: %s"), exp,
			 p->n_loans + c->n_loans, money);
	term_text(w, y + 1, 2, cols - 3, line);
	free(line);
	if (p->n_holds_ready > 0) {
		const char *where = deskctx_branch_name(c->ctx, p->holds_ready[0].branch);
		line = xasprintf(P_("%zu hold ready in %s: %s", "%zu holds ready, the first in %s: %s",
				    (unsigned long)p->n_holds_ready),
				 p->n_holds_ready, where, p->holds_ready[0].title);
		term_text_as(w, y + 2, 2, cols - 3, line, TERM_NOTE);
		free(line);
	}
	char *blocks = circ_blocks_line_dup(p);
	if (blocks)
		term_text_as(w, y + 3, 2, cols - 3, blocks, TERM_ERROR);
	free(blocks);
	draw_patron_message(p, w, y + CHECKOUT_HEAD_ROWS, cols);
	draw_patron_loans(p, w, y + CHECKOUT_HEAD_ROWS + 1, cols);
}

/* The reason field, the message in the rows it needs (at most rows), or the
 * visit's hint, from row y; returns the rows used. */
static int draw_message(const struct checkout *c, WINDOW *w, int y, int rows, int cols, int *cy,
			int *cx)
{
	if (c->asking_due) {
		/* TRANSLATORS: the due date of the next item, set by hand */
		const char *dl = _("Due date of the next item");
		term_text_as(w, y, 2, cols - 3, dl, TERM_LABEL);
		int dx = 2 + term_width(dl) + 1;
		*cx = field_draw(&c->due, w, y, dx, DATE_STR_LEN + 1, true);
		*cy = y;
	} else if (c->asking_reason) {
		const char *rl = _("Reason");
		term_text_as(w, y, 2, cols - 3, rl, TERM_LABEL);
		int rx = 2 + term_width(rl) + 1;
		*cx = field_draw(&c->reason, w, y, rx, cols - rx - 2, true);
		*cy = y;
	} else if (c->message) {
		return term_text_wrap(w, y, 2, cols - 3, rows, c->message,
				      c->message_error ? TERM_ERROR : TERM_NOTE);
	} else if (c->card) {
		char end[KEYS_NAME_MAX], slip[KEYS_NAME_MAX];
		deskctx_key(c->ctx, SCREEN_CHECKOUT, ACTION_END_PATRON, end);
		deskctx_key(c->ctx, SCREEN_CHECKOUT, ACTION_PRINT_SLIP, slip);
		char *hint = xasprintf(_("%s: done with this patron   %s: loan slip and done"), end,
				       slip);
		term_text_as(w, y, 2, cols - 3, hint, TERM_LABEL);
		free(hint);
	}
	return 1;
}

void checkout_draw(const struct checkout *c, WINDOW *w, int top, int bottom, int cols, int *cy,
		   int *cx)
{
	*cx = deskctx_scan_header_draw(&c->scan, w, top, cols, _("Check out"),
				       c->card ? _("Item") : _("Card"));
	*cy = top;
	int y = top + 1;
	draw_patron(c, w, y, cols);
	y += CHECKOUT_PANEL_ROWS;
	y += deskctx_alert_draw(c->ctx, SCREEN_CHECKOUT, c->alert, w, y, bottom, cols);
	if (y <= bottom)
		y += draw_message(c, w, y, bottom - y + 1, cols, cy, cx);
	if (y <= bottom)
		term_hline(w, y++, 0, cols);
	scanlist_draw(&c->lines, w, y, bottom, cols);
}

/* ---- the screen's row (screen.h) ---- */

/* A staff member logs out: the scans still queued for the circulation
 * screens (their shared deskctx) go with the screen's own state. */
static void checkout_op_reset(void *self)
{
	struct checkout *c = self;
	scanq_clear(&c->ctx->q);
	checkout_reset(c);
}

static bool checkout_op_action(void *self, enum action a, enum ui_screen *screen)
{
	(void)screen;
	return checkout_action(self, a);
}

static void checkout_op_key(void *self, keycode k)
{
	(void)checkout_key(self, k);
}

/* The key of the screen one is on opens nothing new. */
static bool checkout_op_live(const void *self, enum action a)
{
	return action_screen(a) != SCREEN_CHECKOUT && checkout_live(self, a);
}

static void checkout_op_draw(void *self, struct screen_area *area)
{
	checkout_draw(self, area->w, area->top, area->bottom, area->cols, &area->cy, &area->cx);
}

const struct screen_ops checkout_ops = {
	.reset = checkout_op_reset,
	.action = checkout_op_action,
	.takes_text = deskctx_scan_takes_text,
	.key = checkout_op_key,
	.live = checkout_op_live,
	.draw = checkout_op_draw,
};
