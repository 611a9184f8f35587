/* 17 item information and 15 hold (holds.h: a hold on the item's title,
 * any copy, picked up at BS or the kiosk's branch; "-" cancels the patron's
 * open hold on that title; "*" is not supported). 19 item status update is
 * answered "not supported" (N in BX). */
#include "service/sip2/messages.h"

#include "service/domain/holds.h"
#include "service/domain/kiosk.h"
#include "core/i18n.h"
#include "core/xalloc.h"
#include "service/sip2/answer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The circulation status of SIP2 for items.status. */
static const char *circulation_status(const char *status)
{
	static const struct { const char *status, *code; } map[] = {
		{ "available", "03" }, { "on_loan", "04" }, { "in_transit", "10" },
		{ "hold_shelf", "08" }, { "missing", "13" }, { "not_loanable", "01" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(status, map[i].status) == 0)
			return map[i].code;
	return "01";
}

char *sip2_msg_item_info(struct sip2_session *s, const struct sip2_msg *m)
{
	char *barcode = sip2_arg_dup(s, m, "AB");
	struct kiosk_item it;
	enum kiosk_found f = kiosk_item_find(s->store, barcode, &it);
	if (f == KIOSK_STORE_FAILED) {
		free(barcode);
		return NULL;
	}
	struct sip2_out o;
	sip2_out_init(&o, "18");
	sip2_out_fixed(&o, f == KIOSK_FOUND ? circulation_status(it.status) : "01");
	sip2_out_fixed(&o, "0001"); /* security marker other, fee type other */
	sip2_out_now(&o, s);
	if (f == KIOSK_FOUND) {
		char n[12];
		snprintf(n, sizeof n, "%u", it.holds);
		sip2_out_field(&o, "CF", n);
		if (*it.due_on) {
			char due[SIP2_DATE_LEN];
			sip2_date_of_day(it.due_on, due);
			sip2_out_field(&o, "AH", due);
		}
	}
	sip2_out_field(&o, "AB", barcode);
	sip2_out_field(&o, "AJ", f == KIOSK_FOUND ? it.title : "");
	if (f == KIOSK_FOUND) {
		sip2_out_field(&o, "AQ", it.home_branch);
		sip2_out_field(&o, "AP", it.current_branch);
	} else {
		sip2_out_field(&o, "AF", sip2_refusal_text(CIRC_ITEM_NOT_FOUND));
	}
	free(barcode);
	return sip2_out_take(&o);
}

/* ---- 15 hold ---- */

static const char *holds_text(enum holds_status st)
{
	switch (st) {
	case HOLDS_OK:
		return _("Reserved. You will get a message when it is ready.");
	case HOLDS_PATRON_NOT_FOUND:
		return sip2_refusal_text(CIRC_PATRON_NOT_FOUND);
	case HOLDS_ITEM_NOT_FOUND:
	case HOLDS_TITLE_NOT_FOUND:
		return sip2_refusal_text(CIRC_ITEM_NOT_FOUND);
	case HOLDS_PATRON_BLOCKED:
		return sip2_refusal_text(CIRC_PATRON_BLOCKED);
	case HOLDS_ON_LOAN:
		return _("You have this title on loan.");
	case HOLDS_DUPLICATE:
		return _("You have reserved this title already.");
	case HOLDS_LIMIT:
		return _("You have as many reservations as allowed.");
	case HOLDS_NOT_FOUND:
		return _("You have no reservation of this title.");
	case HOLDS_BRANCH_NOT_FOUND:
	case HOLDS_STORE_FAILED:
		break;
	}
	return _("This cannot be done now. Please try again.");
}

struct find_hold {
	long long title_id;
	long long id; /* the open hold on the title, or 0 */
};

static void on_hold(void *ctx, const struct holds_hold *h)
{
	struct find_hold *f = ctx;
	if (h->title_id == f->title_id && strcmp(h->status, "expired") != 0)
		f->id = h->id;
}

static enum holds_status cancel_hold(struct sip2_session *s, const struct circ_ctx *ctx,
				     const char *card, long long title_id)
{
	struct circ_patron_rec p;
	enum circ_status st = circ_patron_find(s->store, card, &p);
	struct find_hold f = { title_id, 0 };
	bool read = st == CIRC_OK && holds_each_of_patron(s->store, p.id, ctx->now, on_hold, &f);
	circ_patron_clear(&p);
	if (st == CIRC_PATRON_NOT_FOUND)
		return HOLDS_PATRON_NOT_FOUND;
	if (!read)
		return HOLDS_STORE_FAILED;
	if (!f.id)
		return HOLDS_NOT_FOUND;
	struct holds_hold was;
	struct circ_checkin_res route;
	enum holds_status hs = holds_cancel(ctx, card, f.id, "patron_request", &was, &route);
	circ_checkin_res_clear(&route);
	return hs;
}

static enum holds_status place_hold(const struct circ_ctx *ctx, const char *card,
				    long long title_id, const char *pickup, unsigned *place)
{
	struct holds_place_req req = { .card = card, .title_id = title_id,
				       .pickup_branch = pickup };
	struct holds_place_res res;
	enum holds_status st = holds_place(ctx, &req, &res);
	*place = st == HOLDS_OK ? res.hold.place : 0;
	holds_place_res_clear(&res);
	return st;
}

static bool hold_change(struct sip2_session *s, const struct sip2_msg *m, struct sip2_out *o,
			bool *store_failed)
{
	char *card = sip2_arg_dup(s, m, "AA");
	char *barcode = sip2_arg_dup(s, m, "AB");
	char *bs = sip2_arg_dup(s, m, "BS");
	const char *pickup = *bs ? bs : s->who.branch;
	struct circ_ctx ctx;
	sip2_circ_ctx(s, &ctx);
	struct kiosk_item it;
	enum kiosk_found f = kiosk_item_find(s->store, barcode, &it);
	enum holds_status st = f == KIOSK_STORE_FAILED ? HOLDS_STORE_FAILED
			       : f == KIOSK_NOT_FOUND	  ? HOLDS_ITEM_NOT_FOUND
							  : HOLDS_OK;
	unsigned place = 0;
	char mode = m->fixed[0];
	if (st == HOLDS_OK && mode == '+')
		st = place_hold(&ctx, card, it.title_id, pickup, &place);
	else if (st == HOLDS_OK && mode == '-')
		st = cancel_hold(s, &ctx, card, it.title_id);
	bool ok = st == HOLDS_OK && (mode == '+' || mode == '-');
	*store_failed = st == HOLDS_STORE_FAILED;
	sip2_out_init(o, "16");
	sip2_out_fixed(o, ok ? "1N" : "0N");
	sip2_out_now(o, s);
	if (ok && mode == '+') {
		char n[12];
		snprintf(n, sizeof n, "%u", place);
		sip2_out_field(o, "BR", n);
		sip2_out_field(o, "BS", pickup);
	}
	char *ao = sip2_arg_dup(s, m, "AO");
	sip2_out_field(o, "AO", ao);
	sip2_out_field(o, "AA", card);
	sip2_out_field(o, "AB", barcode);
	sip2_out_field(o, "AJ", f == KIOSK_FOUND ? it.title : "");
	sip2_out_field(o, "AF", mode != '+' && mode != '-'
					? _("This cannot be done here. Please ask at the desk.")
				: ok && mode == '-' ? _("The reservation is cancelled.")
						    : holds_text(st));
	free(ao);
	free(card);
	free(barcode);
	free(bs);
	return ok;
}

char *sip2_msg_hold(struct sip2_session *s, const struct sip2_msg *m)
{
	return sip2_once_dup(s, m, hold_change);
}

/* ---- not supported ---- */

char *sip2_msg_item_update(struct sip2_session *s, const struct sip2_msg *m)
{
	char *ab = sip2_arg_dup(s, m, "AB");
	struct sip2_out o;
	sip2_out_init(&o, "20");
	sip2_out_fixed(&o, "0");
	sip2_out_now(&o, s);
	sip2_out_field(&o, "AB", ab);
	sip2_out_field(&o, "AF", _("This cannot be done here. Please ask at the desk."));
	free(ab);
	return sip2_out_take(&o);
}
