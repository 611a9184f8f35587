#include "ui/screens/item.h"

#include "core/i18n.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { ITEM_FIELD_MAX = 4 * CIRC_BARCODE_MAX, ITEM_REASON_MAX = 200 };

/* The statuses the desk sets, by the digit typed for them. */
static const char *const choices[] = { "lost", "damaged", "missing", "claimed_returned",
				       "withdrawn", "available" };
enum { N_CHOICES = sizeof choices / sizeof choices[0] };

void item_init(struct item *it, struct deskctx *ctx)
{
	*it = (struct item){ .ctx = ctx, .from = SCREEN_CHECKIN };
	field_init(&it->scan, ITEM_FIELD_MAX, false);
	field_init(&it->choice, 1, false);
	field_init(&it->reason, ITEM_REASON_MAX, false);
	field_init(&it->due, DATE_STR_LEN - 1, false);
}

static void set_message(struct item *it, const char *msg, bool error)
{
	xstrset(&it->message, msg);
	it->message_error = error;
	it->looking = false;
}

static void stop_asking(struct item *it)
{
	it->asking = ITEM_ASK_NONE;
	field_clear(&it->choice);
	field_clear(&it->reason);
	field_clear(&it->due);
}

static void item_reset(struct item *it)
{
	stop_asking(it);
	field_clear(&it->scan);
	item_info_free(it->info);
	it->info = NULL;
	set_message(it, NULL, false);
	it->req = 0;
}

void item_free(struct item *it)
{
	item_reset(it);
	field_free(&it->scan);
	field_free(&it->choice);
	field_free(&it->reason);
	field_free(&it->due);
}

/* The field the desk types into now. */
static struct field *asked(struct item *it)
{
	switch (it->asking) {
	case ITEM_ASK_STATUS:
		return &it->choice;
	case ITEM_ASK_DUE:
		return &it->due;
	case ITEM_ASK_STATUS_REASON:
	case ITEM_ASK_DUE_REASON:
		return &it->reason;
	case ITEM_ASK_NONE:
		break;
	}
	return &it->scan;
}

static void on_info(void *ctx, unsigned tag, struct item_info *info,
		    const struct call_failure *f)
{
	struct item *it = ctx;
	if (tag != it->req) {
		item_info_free(info);
		return; /* a look-up that another one replaced */
	}
	it->req = 0;
	deskctx_touch(it->ctx);
	item_info_free(it->info);
	it->info = info;
	if (info) {
		if (it->looking)
			set_message(it, NULL, false);
		it->looking = false;
		if (info->note_alert)
			deskctx_attention(it->ctx);
		return;
	}
	set_message(it, f->text, true);
	deskctx_attention(it->ctx);
}

/* Asks for barcode; the answer replaces the item shown. */
static void ask_again(struct item *it, const char *barcode)
{
	if (++it->req == 0)
		it->req = 1;
	item_show_start(&it->ctx->q, barcode, on_info, it, it->req);
}

void item_lookup(struct item *it, const char *barcode)
{
	/* TRANSLATORS: while the item look-up waits for the service */
	set_message(it, _("Looking the item up..."), false);
	it->looking = true;
	ask_again(it, barcode);
}

/* An answer to a change the desk made: true when there is one; else the
 * refusal is said, with the bell. */
static bool changed(struct item *it, bool answered, const struct call_failure *f)
{
	deskctx_touch(it->ctx);
	if (answered)
		return true;
	set_message(it, f->text, true);
	deskctx_attention(it->ctx);
	return false;
}

static void on_status(void *ctx, unsigned tag, struct item_status_answer *a,
		      const struct call_failure *f)
{
	struct item *it = ctx;
	(void)tag;
	if (!changed(it, a != NULL, f))
		return;
	char money[32];
	circ_money(a->charge_cents, money);
	/* TRANSLATORS: the item's status was set; %s the status in words */
	char *msg = xasprintf(_("Status set: %s."), item_status_text(a->status));
	if (a->charge_cents > 0) {
		/* TRANSLATORS: after the status: the amount charged and the card */
		char *more = xasprintf(_("%s Charged %s to %s."), msg, money, a->patron_card);
		free(msg);
		msg = more;
	}
	if (a->claims_over_limit) {
		char *more = xasprintf(P_("%s This patron has claimed %lld return; that is over the "
					  "limit.",
					  "%s This patron has claimed %lld returns; that is over the "
					  "limit.",
					  (unsigned long)a->claims_returned),
				       msg, a->claims_returned);
		free(msg);
		msg = more;
		deskctx_attention(it->ctx);
	}
	char *barcode = it->info ? xstrdup(it->info->barcode) : NULL;
	if (barcode)
		ask_again(it, barcode); /* the item as it is now */
	free(barcode);
	set_message(it, msg, a->claims_over_limit);
	free(msg);
	item_status_answer_free(a);
}

static void on_due(void *ctx, unsigned tag, struct item_due_answer *a,
		   const struct call_failure *f)
{
	struct item *it = ctx;
	(void)tag;
	if (!changed(it, a != NULL, f))
		return;
	char date[DATE_STR_LEN + 16];
	deskctx_date(a->due_on, date);
	/* TRANSLATORS: a loan's due date was set by hand; %s the date */
	char *msg = xasprintf(_("Due date set: %s."), date);
	if (it->info)
		ask_again(it, it->info->barcode); /* the loan as it is now */
	set_message(it, msg, false);
	free(msg);
	item_due_answer_free(a);
}

/* Enter while giving a due date: the date, then the reason (may be empty). */
static void due_next(struct item *it)
{
	if (it->asking == ITEM_ASK_DUE) {
		char *text = field_text_dup(&it->due);
		struct civil_date d;
		if (date_parse_dutch(text, &d))
			it->asking = ITEM_ASK_DUE_REASON;
		else
			set_message(it, _("Type the date as dd-mm-jjjj."), true);
		free(text);
		return;
	}
	char *text = field_text_dup(&it->due), *reason = field_text_dup(&it->reason);
	struct civil_date d;
	char iso[DATE_STR_LEN];
	if (it->info && date_parse_dutch(text, &d)) {
		date_format_iso(d, iso);
		item_due_start(&it->ctx->q, it->info->barcode, iso, reason, on_due, it, 0);
		set_message(it, _("Setting the due date..."), false);
	}
	stop_asking(it);
	free(text);
	free(reason);
}

/* The due-date key: a loan's date, offered to change. */
static void ask_due(struct item *it)
{
	if (!it->info || !it->info->due_on[0]) {
		set_message(it, _("This item is not on loan."), false);
		return;
	}
	struct civil_date d;
	char text[DATE_STR_LEN] = "";
	if (date_parse_iso(it->info->due_on, &d))
		date_format_dutch(d, text);
	field_set(&it->due, text);
	it->asking = ITEM_ASK_DUE;
	set_message(it, NULL, false);
}

/* Enter while setting the status: the digit chosen, then the reason. */
static void status_next(struct item *it)
{
	if (it->asking >= ITEM_ASK_DUE) {
		due_next(it);
		return;
	}
	char *text = field_text_dup(asked(it));
	if (it->asking == ITEM_ASK_STATUS) {
		unsigned n = text[0] >= '1' && text[0] <= '0' + N_CHOICES ? (unsigned)(text[0] - '1')
									  : N_CHOICES;
		if (n < N_CHOICES)
			it->asking = ITEM_ASK_STATUS_REASON;
		else
			set_message(it, _("Type the number of the status."), true);
	} else if (!text[0]) {
		set_message(it, _("Give a reason for the status."), true);
	} else if (it->info) {
		char *choice = field_text_dup(&it->choice);
		item_status_start(&it->ctx->q, it->info->barcode, choices[choice[0] - '1'], text,
				  on_status, it, 0);
		free(choice);
		set_message(it, _("Setting the status..."), false);
		stop_asking(it);
	}
	free(text);
}

static void scan(struct item *it)
{
	if (it->asking) {
		status_next(it);
		return;
	}
	char *text = field_text_dup(&it->scan);
	field_clear(&it->scan);
	if (!text[0]) {
		free(text);
		return;
	}
	if (!circ_barcode_plausible(text))
		set_message(it, circ_barcode_problem(text), true);
	else
		item_lookup(it, text);
	free(text);
}

/* One row of the item: its label and its value in role. */
static int row(WINDOW *w, int y, int bottom, int cols, const char *label, const char *value,
	       enum term_role role)
{
	if (y > bottom || !value || !value[0])
		return y;
	term_text_as(w, y, 2, 20, label, TERM_LABEL);
	term_text_as(w, y, 23, cols - 24, value, role);
	return y + 1;
}

static int draw_loan(const struct item *it, WINDOW *w, int y, int bottom, int cols)
{
	const struct item_info *i = it->info;
	char date[DATE_STR_LEN + 16] = "";
	if (i->due_on[0])
		deskctx_date(i->due_on, date);
	y = row(w, y, bottom, cols, _("Due date"), date, TERM_NORMAL);
	char *borrower = i->borrower_card[0]
				 ? xasprintf("%s  %s", i->borrower_card, i->borrower_name)
				 : NULL;
	y = row(w, y, bottom, cols, _("Borrower"), borrower, TERM_NORMAL);
	free(borrower);
	char *holds = xasprintf(P_("%lld waiting", "%lld waiting", (unsigned long)i->holds_waiting),
				i->holds_waiting);
	y = row(w, y, bottom, cols, _("Holds on the title"), holds, TERM_NORMAL);
	free(holds);
	char last[DATE_STR_LEN + 16] = "";
	if (i->last_checkin_on[0])
		deskctx_date(i->last_checkin_on, last);
	return row(w, y, bottom, cols, _("Last checked in"), last, TERM_NORMAL);
}

static void draw_info(const struct item *it, WINDOW *w, int y, int bottom, int cols)
{
	const struct item_info *i = it->info;
	y = row(w, y, bottom, cols, _("Title"), i->title, TERM_NORMAL);
	y = row(w, y, bottom, cols, _("Author"), i->author, TERM_NORMAL);
	y = row(w, y, bottom, cols, _("Item type"), i->item_type, TERM_NORMAL);
	char *status = i->status_reason[0]
			       ? xasprintf("%s (%s)", item_status_text(i->status), i->status_reason)
			       : xstrdup(item_status_text(i->status));
	y = row(w, y, bottom, cols, _("Status"), status, TERM_NORMAL);
	free(status);
	y = row(w, y, bottom, cols, _("Home branch"), deskctx_branch_name(it->ctx, i->home_branch),
		TERM_NORMAL);
	y = row(w, y, bottom, cols, _("Now at"), deskctx_branch_name(it->ctx, i->current_branch),
		TERM_NORMAL);
	y = draw_loan(it, w, y, bottom, cols);
	row(w, y, bottom, cols, i->note_alert ? _("ATTENTION") : _("Note"), i->note,
	    i->note_alert ? TERM_ERROR : TERM_NORMAL);
}

/* The label of the field asked. */
static const char *asked_label(const struct item *it)
{
	switch (it->asking) {
	case ITEM_ASK_STATUS:
		return _("Status (number)");
	case ITEM_ASK_DUE:
		return _("New due date");
	case ITEM_ASK_DUE_REASON:
		return _("Reason, or none");
	case ITEM_ASK_STATUS_REASON:
	case ITEM_ASK_NONE:
		break;
	}
	return _("Reason");
}

/* The status prompt (the choices, the digit and the reason) or the due
 * date's. */
static int draw_asking(struct item *it, struct screen_area *a, int y)
{
	if (it->asking >= ITEM_ASK_DUE) {
		term_text_as(a->w, y, 2, 20, asked_label(it), TERM_LABEL);
		a->cx = field_draw(asked(it), a->w, y, 23, a->cols - 25, true);
		a->cy = y;
		return y + 1;
	}
	char *list = xstrdup("");
	for (unsigned i = 0; i < N_CHOICES; i++) {
		char *more = xasprintf("%s%s%u %s", list, i ? "  " : "", i + 1,
				       item_status_text(choices[i]));
		free(list);
		list = more;
	}
	y += term_text_wrap(a->w, y, 2, a->cols - 3, a->bottom - y + 1, list, TERM_NOTE);
	free(list);
	if (y > a->bottom)
		return y;
	term_text_as(a->w, y, 2, 20, asked_label(it), TERM_LABEL);
	a->cx = field_draw(asked(it), a->w, y, 23, a->cols - 25, true);
	a->cy = y;
	return y + 1;
}

static void item_draw(struct item *it, struct screen_area *a)
{
	a->cx = deskctx_scan_header_draw(&it->scan, a->w, a->top, a->cols, _("Item look-up"),
					 _("Item"));
	a->cy = a->top;
	int y = a->top + 1;
	if (it->message && y <= a->bottom)
		term_text_as(a->w, y, 2, a->cols - 3, it->message,
			     it->message_error ? TERM_ERROR : TERM_NOTE);
	y++;
	if (y <= a->bottom)
		term_hline(a->w, y++, 0, a->cols);
	if (it->asking && y <= a->bottom)
		y = draw_asking(it, a, y);
	if (it->info)
		draw_info(it, a->w, y, a->bottom, a->cols);
}

/* ---- the screen's row (screen.h) ---- */

/* Opened from check out or check in: the item scanned there last. */
static void item_op_open(void *self, enum ui_screen from)
{
	struct item *it = self;
	if (from == SCREEN_HELP || from == SCREEN_ITEM)
		return;
	it->from = from;
	if ((from == SCREEN_CHECKOUT || from == SCREEN_CHECKIN) && it->ctx->last_item[0])
		item_lookup(it, it->ctx->last_item);
}

static void item_op_reset(void *self)
{
	item_reset(self);
}

static bool item_op_action(void *self, enum action a, enum ui_screen *screen)
{
	struct item *it = self;
	switch (a) {
	case ACTION_SCAN:
		scan(it);
		return true;
	case ACTION_CANCEL:
		field_clear(&it->scan);
		return true;
	case ACTION_ITEM_STATUS:
		if (it->info) {
			it->asking = ITEM_ASK_STATUS;
			set_message(it, NULL, false);
		}
		return true;
	case ACTION_ITEM_DUE:
		ask_due(it);
		return true;
	case ACTION_BACK:
		if (it->asking)
			stop_asking(it);
		else
			*screen = it->from;
		return true;
	default:
		return false;
	}
}

static void item_op_key(void *self, keycode k)
{
	struct item *it = self;
	(void)field_key(asked(it), k);
}

static bool item_op_live(const void *self, enum action a)
{
	const struct item *it = self;
	if (a == ACTION_ITEM_STATUS)
		return it->info && !it->asking;
	if (a == ACTION_ITEM_DUE)
		return it->info && it->info->due_on[0] && !it->asking;
	return action_screen(a) != SCREEN_ITEM;
}

static void item_op_draw(void *self, struct screen_area *area)
{
	item_draw(self, area);
}

const struct screen_ops item_ops = {
	.open = item_op_open,
	.reset = item_op_reset,
	.action = item_op_action,
	.takes_text = deskctx_scan_takes_text,
	.key = item_op_key,
	.live = item_op_live,
	.draw = item_op_draw,
};
