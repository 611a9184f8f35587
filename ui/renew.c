#include "renew.h"

#include "circ.h"
#include "i18n.h"
#include "needsvc.h"
#include "term.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { RENEW_FIELD_MAX = 4 * CIRC_BARCODE_MAX };

void renew_init(struct renew *r, struct deskctx *ctx)
{
	*r = (struct renew){ .ctx = ctx };
	field_init(&r->scan, RENEW_FIELD_MAX, false);
	scanlist_init(&r->lines);
}

void renew_reset(struct renew *r)
{
	field_clear(&r->scan);
	scanlist_clear(&r->lines);
}

void renew_free(struct renew *r)
{
	renew_reset(r);
	field_free(&r->scan);
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
				  ? xstrdup(_("The service gave an answer this desk does not understand."))
				  : deskctx_refusal_dup(reply);
	return false;
}

static void on_renewal(void *ctx, unsigned line, struct api_reply *reply)
{
	struct renew *r = ctx;
	deskctx_touch(r->ctx);
	char *outcome, *detail;
	bool good = renew_outcome(reply, &outcome, &detail);
	scanlist_set(&r->lines, line, good ? SCANLINE_DONE : SCANLINE_ATTENTION, outcome, detail);
	free(outcome);
	free(detail);
	if (!good)
		deskctx_attention(r->ctx);
}

static void scan(struct renew *r)
{
	char *text = deskctx_take_scan_dup(r->ctx, &r->scan, &r->lines);
	if (!text)
		return;
	unsigned line = scanlist_add(&r->lines, text);
	renew_send(r->ctx, text, on_renewal, r, line);
	free(text);
}

bool renew_action(struct renew *r, enum action a)
{
	switch (a) {
	case ACTION_SCAN:
		scan(r);
		return true;
	case ACTION_CANCEL:
		field_clear(&r->scan);
		return true;
	default:
		return false;
	}
}

bool renew_key(struct renew *r, keycode k)
{
	return field_key(&r->scan, k);
}

void renew_draw(const struct renew *r, WINDOW *w, int top, int bottom, int cols, int *cy,
		int *cx)
{
	*cx = deskctx_scan_header_draw(&r->scan, w, top, cols, _("Renew"),
				       _("Item"));
	*cy = top;
	if (top + 1 <= bottom)
		term_hline(w, top + 1, 0, cols);
	scanlist_draw(&r->lines, w, top + 2, bottom, cols);
}
