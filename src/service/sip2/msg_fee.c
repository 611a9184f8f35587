/* 37 fee paid: a payment at a kiosk's pay terminal, with the rules of
 * payment.h (the oldest open charges first, or the charge CG names; never
 * more than is open), audited as a desk's payment is, at most once per
 * message. Payment type 00 is cash; 01 and 02 (a card at the kiosk's
 * terminal) are recorded as pin, and no card data is kept. The currency is
 * EUR. And the fine items (AV) of 64: the open charges, each as
 * "ID AMOUNT TEXT", ID being what CG names. */
#include "service/sip2/messages.h"

#include "service/domain/account.h"
#include "service/domain/audit.h"
#include "service/domain/payment.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "service/sip2/answer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FEE_ITEMS_MAX = 200 };
static const long long AMOUNT_MAX = 10000000; /* as POST /payments */

/* "2.50", "2,50", "2.5" or "2" as cents; -1 when it is no amount. */
static long long amount_cents(const char *s)
{
	long long euros = 0, cents = 0;
	size_t i = 0, digits = 0;
	for (; s[i] >= '0' && s[i] <= '9' && digits < 9; i++, digits++)
		euros = euros * 10 + (s[i] - '0');
	if (!digits)
		return -1;
	if (s[i] == '.' || s[i] == ',') {
		size_t d = 0;
		for (i++; s[i] >= '0' && s[i] <= '9' && d < 2; i++, d++)
			cents = cents * 10 + (s[i] - '0');
		if (d == 0)
			return -1;
		if (d == 1)
			cents *= 10;
	}
	return s[i] == '\0' ? euros * 100 + cents : -1;
}

/* The charge CG names, 0 for none, -1 for something that is no id. */
static long long charge_named(struct sip2_session *s, const struct sip2_msg *m)
{
	char *cg = sip2_arg_dup(s, m, "CG");
	size_t n = strlen(cg);
	long long id = n == 0 ? 0 : n <= 18 && strspn(cg, "0123456789") == n ? atoll(cg) : -1;
	free(cg);
	return id;
}

static bool audit_payment(struct sip2_session *s, const char *card, const char *method,
			  const struct payment_result *res)
{
	char *details = xasprintf("{\"credit_id\":\"%lld\",\"amount_cents\":%lld,"
				  "\"method\":\"%s\",\"channel\":\"sip2\"}",
				  res->credit_id, res->amount_cents, method);
	bool ok = audit_add(s->store, &s->who, sip2_now(s), "payment", card, NULL, details);
	free(details);
	if (ok)
		log_info("sip2: payment of %lld cents at kiosk \"%s\"", res->amount_cents,
			 s->who.username);
	return ok;
}

/* Why a payment is refused, in words. */
static const char *refusal(enum payment_status st, long long amount, bool currency_ok,
			   bool found)
{
	if (!found)
		return sip2_refusal_text(CIRC_PATRON_NOT_FOUND);
	if (!currency_ok || amount <= 0 || amount > AMOUNT_MAX)
		return _("This payment cannot be taken. Please ask at the desk.");
	if (st == PAYMENT_OVER_OPEN)
		return _("This is more than you owe. Please ask at the desk.");
	if (st == PAYMENT_NO_CHARGE)
		return _("This fine is not open. Please ask at the desk.");
	return _("This cannot be done now. Please try again.");
}

struct fee_req {
	long long amount, charge;
	enum payment_method method;
	bool currency_ok;
};

static struct fee_req fee_request(struct sip2_session *s, const struct sip2_msg *m)
{
	struct fee_req r = { .method = PAYMENT_PIN };
	char *bv = sip2_arg_dup(s, m, "BV");
	r.amount = amount_cents(bv);
	free(bv);
	r.charge = charge_named(s, m);
	r.currency_ok = m->fixed_len >= 25 && memcmp(m->fixed + 22, "EUR", 3) == 0;
	if (m->fixed_len >= 22 && memcmp(m->fixed + 20, "00", 2) == 0)
		r.method = PAYMENT_CASH;
	if (r.charge < 0)
		r.amount = -1;
	return r;
}

static bool fee_change(struct sip2_session *s, const struct sip2_msg *m, struct sip2_out *o,
		       bool *store_failed)
{
	struct fee_req req = fee_request(s, m);
	struct circ_patron_rec p;
	enum circ_status found = sip2_patron_of(s, m, &p);
	struct account_where where = { sip2_now(s), s->who.branch, "sip2", s->who.staff_id };
	struct payment_result res = { 0 };
	enum payment_status st = PAYMENT_NO_CHARGE;
	bool valid = found == CIRC_OK && req.currency_ok && req.amount > 0 &&
		     req.amount <= AMOUNT_MAX;
	if (valid)
		st = payment_pay(s->store, p.id, req.amount, req.method, &req.charge,
				 req.charge ? 1 : 0, &where, &res);
	bool ok = valid && st == PAYMENT_OK &&
		  audit_payment(s, p.card, payment_method_name(req.method), &res);
	*store_failed = found == CIRC_STORE_FAILED || st == PAYMENT_STORE_FAILED ||
			(valid && st == PAYMENT_OK && !ok);
	char *text;
	if (ok) {
		char paid[24], left[24];
		sip2_amount_shown(res.amount_cents, paid);
		sip2_amount_shown(res.balance_cents, left);
		text = xasprintf(_("Paid: EUR %s. Still open: EUR %s."), paid, left);
	} else {
		text = xstrdup(refusal(st, req.amount, req.currency_ok, found == CIRC_OK));
	}
	char *answer = sip2_plain_answer_dup(s, m, "38", ok, text);
	sip2_out_fixed(o, answer);
	if (ok) {
		char id[24];
		snprintf(id, sizeof id, "%lld", res.credit_id);
		sip2_out_field(o, "BK", id);
	}
	free(answer);
	free(text);
	payment_result_clear(&res);
	circ_patron_clear(&p);
	return ok;
}

char *sip2_msg_fee_paid(struct sip2_session *s, const struct sip2_msg *m)
{
	return sip2_once_dup(s, m, fee_change);
}

/* ---- fine items of 64 ---- */

struct fine_items {
	struct sip2_out *o;
	unsigned from, to, at;
	bool list;
};

static void on_charge(void *ctx, const struct account_charge_row *r)
{
	struct fine_items *f = ctx;
	f->at++;
	if (!f->list || f->at < f->from || f->at > f->to)
		return;
	char amount[24];
	sip2_amount(r->open_cents, amount);
	const char *what = r->title ? r->title : r->description ? r->description : r->kind;
	char *v = xasprintf("%lld %s %s", r->id, amount, what);
	sip2_out_field(f->o, "AV", v);
	free(v);
}

bool sip2_fine_items(struct sip2_session *s, long long patron_id, unsigned from, unsigned to,
		     bool list, struct sip2_out *o, unsigned *count)
{
	struct fine_items f = { o, from, to, 0, list };
	bool truncated;
	bool ok = account_each_charge(s->store, patron_id, true, FEE_ITEMS_MAX, on_charge, &f,
				      &truncated);
	*count = f.at;
	return ok;
}
