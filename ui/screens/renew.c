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

void renew_send(struct deskctx *ctx, const char *barcode, scanq_done_fn done, void *dctx,
		unsigned tag)
{
	scanq_push(&ctx->q, "POST", "/renewals", circ_item_body_new(barcode), true, done, dctx, tag);
}

bool renew_outcome(const struct api_reply *reply, char **outcome, char **detail)
{
	char *why = NULL;
	struct circ_loan *loan = reply->outcome == API_OK ? circ_loan_decode(reply->body, &why)
							  : NULL;
	free(why);
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
		circ_loan_free(loan);
		return true;
	}
	*outcome = xstrdup(_("NOT RENEWED"));
	if (needsvc_reply(reply)) /* a renewal is not journaled */
		*detail = needsvc_text_dup(_("Renewing needs the service; the desk is offline."),
					   reply);
	else
		*detail = reply->outcome == API_OK
				  ? xstrdup(api_undecodable_text())
				  : deskctx_refusal_dup(reply);
	return false;
}

/* A blocked patron's refusal that staff may override: the override key
 * acts on it, and the line says which key. */
static void offer(struct renew *r, unsigned line, const struct api_reply *reply, char **detail)
{
	if (r->refused_line == line || reply->error == ERR_PATRON_BLOCKED)
		forget_refusal(r);
	char key[KEYS_NAME_MAX];
	deskctx_key(r->ctx, SCREEN_RENEW, ACTION_OVERRIDE, key);
	if (reply->error != ERR_PATRON_BLOCKED || !reply->overridable || !key[0])
		return;
	struct scanline *s = scanlist_find(&r->lines, line);
	r->refused_line = line;
	r->refused_barcode = xstrdup(s ? s->scanned : "");
	r->refused_blocks = circ_refusal_blocks_dup(reply->error_details, &r->n_refused_blocks);
	char *more = xasprintf(_("%s: override. %s"), key, *detail);
	free(*detail);
	*detail = more;
}

static void on_renewal(void *ctx, unsigned line, struct api_reply *reply)
{
	struct renew *r = ctx;
	deskctx_touch(r->ctx);
	char *outcome, *detail;
	bool good = renew_outcome(reply, &outcome, &detail);
	if (good && r->refused_line == line)
		forget_refusal(r);
	else if (!good)
		offer(r, line, reply, &detail);
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
	cJSON *body = circ_renewal_body_new(r->refused_barcode,
					    (const char *const *)r->refused_blocks,
					    r->n_refused_blocks, reason);
	free(reason);
	forget_refusal(r);
	set_message(r, NULL, false);
	scanlist_set(&r->lines, line, SCANLINE_PENDING, _("..."), _("override"));
	scanq_push(&r->ctx->q, "POST", "/renewals", body, true, on_renewal, r, line);
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
	renew_send(r->ctx, text, on_renewal, r, line);
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
