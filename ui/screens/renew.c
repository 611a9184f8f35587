#include "ui/screens/renew.h"

#include "client/circ.h"
#include "core/i18n.h"
#include "client/needsvc.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { RENEW_FIELD_MAX = 4 * CIRC_BARCODE_MAX, RENEW_REASON_MAX = 200 };

void renew_init(struct renew *r, struct deskctx *ctx)
{
	*r = (struct renew){ .ctx = ctx };
	field_init(&r->scan, RENEW_FIELD_MAX, false);
	field_init(&r->reason, RENEW_REASON_MAX, false);
	scanlist_init(&r->lines);
}

static void forget_refusal(struct renew *r)
{
	for (size_t i = 0; i < r->n_refused_blocks; i++)
		free(r->refused_blocks[i]);
	free(r->refused_blocks);
	r->refused_blocks = NULL;
	r->n_refused_blocks = 0;
	xstrset(&r->refused_barcode, NULL);
	r->refused_line = 0;
	r->asking_reason = false;
	field_clear(&r->reason);
}

static void set_message(struct renew *r, const char *msg, bool error)
{
	xstrset(&r->message, msg);
	r->message_error = error;
}

void renew_reset(struct renew *r)
{
	forget_refusal(r);
	set_message(r, NULL, false);
	field_clear(&r->scan);
	scanlist_clear(&r->lines);
}

void renew_free(struct renew *r)
{
	renew_reset(r);
	field_free(&r->scan);
	field_free(&r->reason);
	scanlist_free(&r->lines);
}

bool renew_outcome(const struct circ_loan *loan, const struct circ_failure *f, char **outcome,
		   char **detail)
{
	if (loan) {
		char date[DATE_STR_LEN + 16];
		deskctx_date(loan->due_on, date);
		/* TRANSLATORS: a renewal that moved nothing (a second scan): the due date */
		*outcome = xasprintf(loan->unchanged ? _("already renewed to %s") : _("renewed to %s"),
				     date);
		if (loan->fine_cents > 0) {
			char money[32];
			circ_money(loan->fine_cents, money);
			*detail = xasprintf(_("%s (fine %s)"), loan->title, money);
		} else {
			*detail = xstrdup(loan->title);
		}
		return true;
	}
	*outcome = xstrdup(_("NOT RENEWED"));
	if (f->call.outcome == API_UNREACHABLE) /* a renewal is not journaled */
		*detail = call_failure_sentence_dup(
			_("Renewing needs the service; the desk is offline."), &f->call);
	else
		*detail = xstrdup(f->call.text);
	return false;
}

/* A blocked patron's refusal that staff may override: the override key
 * acts on it, and the line says which key. */
static void offer(struct renew *r, unsigned line, const struct circ_failure *f, char **detail)
{
	bool blocked = f->call.outcome == API_REFUSED && f->call.error == ERR_PATRON_BLOCKED;
	if (r->refused_line == line || blocked)
		forget_refusal(r);
	char key[KEYS_NAME_MAX];
	deskctx_key(r->ctx, SCREEN_RENEW, ACTION_OVERRIDE, key);
	if (!blocked || !f->call.overridable || !key[0])
		return;
	struct scanline *s = scanlist_find(&r->lines, line);
	r->refused_line = line;
	r->refused_barcode = xstrdup(s ? s->scanned : "");
	r->refused_blocks = f->n_blocks ? xcalloc(f->n_blocks, sizeof *r->refused_blocks) : NULL;
	for (size_t i = 0; i < f->n_blocks; i++)
		r->refused_blocks[i] = xstrdup(f->blocks[i]);
	r->n_refused_blocks = f->n_blocks;
	char *more = xasprintf(_("%s: override. %s"), key, *detail);
	free(*detail);
	*detail = more;
}

static void on_renewal(void *ctx, unsigned line, struct circ_loan *loan,
		       const struct circ_failure *f)
{
	struct renew *r = ctx;
	deskctx_touch(r->ctx);
	char *outcome, *detail;
	bool good = renew_outcome(loan, f, &outcome, &detail);
	circ_loan_free(loan);
	if (good && r->refused_line == line)
		forget_refusal(r);
	else if (!good)
		offer(r, line, f, &detail);
	scanlist_set(&r->lines, line, good ? SCANLINE_DONE : SCANLINE_ATTENTION, outcome, detail);
	free(outcome);
	free(detail);
	if (!good)
		deskctx_attention(r->ctx);
}

/* Sends the refused renewal again with the override and the reason typed. */
static void send_override(struct renew *r)
{
	char *reason = field_text_dup(&r->reason);
	if (!reason[0] || !r->refused_barcode) {
		free(reason);
		set_message(r, _("Give a reason for the override."), true);
		return;
	}
	unsigned line = r->refused_line;
	set_message(r, NULL, false);
	scanlist_set(&r->lines, line, SCANLINE_PENDING, _("..."), _("override"));
	circ_renew_start(&r->ctx->q, r->refused_barcode,
			 r->n_refused_blocks ? (const char *const *)r->refused_blocks : NULL,
			 r->n_refused_blocks, reason, on_renewal, r, line);
	free(reason);
	forget_refusal(r);
}

static void override(struct renew *r)
{
	if (!r->refused_line) {
		set_message(r, _("There is no refusal to override."), false);
		return;
	}
	r->asking_reason = true;
	set_message(r, NULL, false);
}

static void scan(struct renew *r)
{
	char *text = deskctx_take_scan_dup(r->ctx, &r->scan, &r->lines);
	if (!text)
		return;
	set_message(r, NULL, false);
	unsigned line = scanlist_add(&r->lines, text);
	circ_renew_start(&r->ctx->q, text, NULL, 0, NULL, on_renewal, r, line);
	free(text);
}

bool renew_action(struct renew *r, enum action a)
{
	switch (a) {
	case ACTION_SCAN:
		if (r->asking_reason)
			send_override(r);
		else
			scan(r);
		return true;
	case ACTION_OVERRIDE:
		override(r);
		return true;
	case ACTION_CANCEL:
		if (r->asking_reason) {
			r->asking_reason = false;
			field_clear(&r->reason);
		} else {
			field_clear(&r->scan);
		}
		return true;
	default:
		return false;
	}
}

bool renew_key(struct renew *r, keycode k)
{
	return field_key(r->asking_reason ? &r->reason : &r->scan, k);
}

void renew_draw(const struct renew *r, WINDOW *w, int top, int bottom, int cols, int *cy,
		int *cx)
{
	*cx = deskctx_scan_header_draw(&r->scan, w, top, cols, _("Renew"),
				       _("Item"));
	*cy = top;
	int y = top + 1;
	if (y <= bottom && r->asking_reason) {
		const char *rl = _("Reason");
		term_text_as(w, y, 2, cols - 3, rl, TERM_LABEL);
		int rx = 2 + term_width(rl) + 1;
		*cx = field_draw(&r->reason, w, y, rx, cols - rx - 2, true);
		*cy = y++;
	} else if (y <= bottom && r->message) {
		term_text_as(w, y++, 2, cols - 3, r->message,
			     r->message_error ? TERM_ERROR : TERM_NOTE);
	}
	if (y <= bottom)
		term_hline(w, y++, 0, cols);
	scanlist_draw(&r->lines, w, y, bottom, cols);
}

/* ---- the screen's row (screen.h) ---- */

/* A staff member logs out: the scans still queued for the circulation
 * screens (their shared deskctx) go with the screen's own state. */
static void renew_op_reset(void *self)
{
	struct renew *r = self;
	scanq_clear(&r->ctx->q);
	renew_reset(r);
}

static bool renew_op_action(void *self, enum action a, enum ui_screen *screen)
{
	(void)screen;
	return renew_action(self, a);
}

static void renew_op_key(void *self, keycode k)
{
	(void)renew_key(self, k);
}

/* The key of the screen one is on opens nothing new. */
static bool renew_op_live(const void *self, enum action a)
{
	(void)self;
	return action_screen(a) != SCREEN_RENEW;
}

static void renew_op_draw(void *self, struct screen_area *area)
{
	renew_draw(self, area->w, area->top, area->bottom, area->cols, &area->cy, &area->cx);
}

const struct screen_ops renew_ops = {
	.reset = renew_op_reset,
	.action = renew_op_action,
	.takes_text = deskctx_scan_takes_text,
	.key = renew_op_key,
	.live = renew_op_live,
	.draw = renew_op_draw,
};
