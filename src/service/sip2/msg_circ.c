/* 11 checkout, 09 checkin, 29 renew and 65 renew all: the rules of
 * circulation.h, each at most once per message (sip2_once_dup). The kiosk
 * lends at the branch of its login, as its account; overrides are the
 * desk's, never a kiosk's. */
#include "service/sip2/messages.h"

#include "service/domain/patron.h"
#include "core/i18n.h"
#include "core/xalloc.h"
#include "service/sip2/answer.h"

#include <stdlib.h>
#include <string.h>

enum { RENEW_ALL_MAX = 200 };

/* The fields every answer about an item has: AO, AA, AB, AJ. */
static void item_fields(struct sip2_out *o, struct sip2_session *s, const struct sip2_msg *m,
			const char *card, const char *title)
{
	char *ao = sip2_arg_dup(s, m, "AO");
	char *ab = sip2_arg_dup(s, m, "AB");
	sip2_out_field(o, "AO", ao);
	if (card)
		sip2_out_field(o, "AA", card);
	sip2_out_field(o, "AB", ab);
	sip2_out_field(o, "AJ", title ? title : "");
	free(ao);
	free(ab);
}

static void due_fields(struct sip2_out *o, const char *due_on, const char *title,
		       const char *what)
{
	char due[SIP2_DATE_LEN], shown[16];
	sip2_date_of_day(due_on, due);
	sip2_day_shown(due_on, shown);
	sip2_out_field(o, "AH", due);
	char *text = xasprintf("%s %s: %s.", what, _("Due date"), shown);
	sip2_out_field(o, "AF", text);
	char *print = xasprintf("%s: %s", title, text);
	sip2_out_field(o, "AG", print);
	free(print);
	free(text);
}

/* The answer of a loan made or renewed (12, 30): code, its four flags, then
 * the item's fields and the due date, or why not. */
struct loan_answer {
	const char *code, *flags;
	enum circ_status st;
	const char *card, *title, *due_on;
	unsigned blocks;    /* PATRON_BLOCKED */
	const char *done;   /* "Borrowed.", "Renewed." */
};

static void loan_answer(struct sip2_out *o, struct sip2_session *s, const struct sip2_msg *m,
			const struct loan_answer *a)
{
	sip2_out_init(o, a->code);
	sip2_out_fixed(o, a->flags);
	sip2_out_now(o, s);
	item_fields(o, s, m, a->card, a->title);
	if (a->st == CIRC_OK)
		due_fields(o, a->due_on, a->title, a->done);
	else if (a->st == CIRC_PATRON_BLOCKED)
		sip2_out_field(o, "AF", sip2_block_text(a->blocks));
	else
		sip2_out_field(o, "AF", sip2_refusal_text(a->st));
}

/* ---- 11 checkout ---- */

/* The same patron has the item already, and the kiosk's renewal policy
 * (SC renewal policy Y) says to renew it then. */
static bool renew_instead(struct sip2_session *s, const struct sip2_msg *m,
			  const struct circ_ctx *ctx, const char *barcode, const char *card,
			  struct sip2_out *o, bool *store_failed)
{
	struct circ_renewal_res r;
	enum circ_status st = circ_renew(ctx, barcode, 0, &r);
	*store_failed = st == CIRC_STORE_FAILED;
	struct loan_answer a = { "12", st == CIRC_OK ? "1YUY" : "0YUN", st, card, r.item.title,
				 r.due_on, r.blocks, _("Renewed.") };
	loan_answer(o, s, m, &a);
	circ_renewal_res_clear(&r);
	return st == CIRC_OK;
}

static bool checkout_change(struct sip2_session *s, const struct sip2_msg *m, struct sip2_out *o,
			    bool *store_failed)
{
	char *card = sip2_arg_dup(s, m, "AA");
	char *barcode = sip2_arg_dup(s, m, "AB");
	struct circ_ctx ctx;
	sip2_circ_ctx(s, &ctx);
	struct circ_checkout_req req = { .card = card, .barcode = barcode };
	struct circ_checkout_res r;
	enum circ_status st = circ_checkout(&ctx, &req, &r);
	bool ok = st == CIRC_OK;
	*store_failed = st == CIRC_STORE_FAILED;
	if (st == CIRC_ALREADY_ON_LOAN && m->fixed[0] == 'Y') {
		ok = renew_instead(s, m, &ctx, barcode, card, o, store_failed);
	} else {
		struct loan_answer a = { "12",
					 ok ? "1NUY" : st == CIRC_ALREADY_ON_LOAN ? "0YUN" : "0NUN",
					 st, card, r.item.title, r.due_on, r.blocks, _("Borrowed.") };
		loan_answer(o, s, m, &a);
	}
	circ_checkout_res_clear(&r);
	free(card);
	free(barcode);
	return ok;
}

/* BI Y asks to undo a checkout (a failed desensitize): not supported, and
 * never taken for a checkout. */
static char *cancel_refused(struct sip2_session *s, const struct sip2_msg *m)
{
	struct sip2_out o;
	sip2_out_init(&o, "12");
	sip2_out_fixed(&o, "0NUN");
	sip2_out_now(&o, s);
	char *card = sip2_arg_dup(s, m, "AA");
	item_fields(&o, s, m, card, "");
	free(card);
	sip2_out_field(&o, "AF", _("This cannot be done here. Please ask at the desk."));
	return sip2_out_take(&o);
}

char *sip2_msg_checkout(struct sip2_session *s, const struct sip2_msg *m)
{
	const struct sip2_field *bi = sip2_field_find(m, "BI");
	if (bi && bi->len == 1 && (bi->value[0] == 'Y' || bi->value[0] == 'y'))
		return cancel_refused(s, m);
	return sip2_once_dup(s, m, checkout_change);
}

/* ---- 09 checkin ---- */

/* CV, the alert type: 01 hold here, 02 hold elsewhere, 04 to another branch. */
static const char *alert_type(const struct circ_checkin_res *r)
{
	if (r->route == CIRC_ROUTE_HOLD_SHELF)
		return "01";
	return r->route == CIRC_ROUTE_TRANSIT ? "04" : NULL;
}

static const char *route_text(const struct circ_checkin_res *r)
{
	if (r->route == CIRC_ROUTE_HOLD_SHELF)
		return _("Returned. This item is reserved: it goes to the hold shelf.");
	if (r->route == CIRC_ROUTE_TRANSIT)
		return _("Returned. This item goes to another branch.");
	return _("Returned. Thank you.");
}

static void checkin_ok(struct sip2_session *s, const struct sip2_msg *m,
		       const struct circ_checkin_res *r, struct sip2_out *o)
{
	const char *bin = sip2_sortbin_for(s->env->bins, r->route, r->route_branch);
	const char *cv = alert_type(r);
	sip2_out_init(o, "10");
	sip2_out_fixed(o, cv ? "1YUY" : "1YUN");
	sip2_out_now(o, s);
	item_fields(o, s, m, NULL, r->item.title);
	sip2_out_field(o, "AQ", r->item.home_branch);
	if (bin)
		sip2_out_field(o, "CL", bin);
	if (r->route != CIRC_ROUTE_SHELVE)
		sip2_out_field(o, "CT", r->route_branch);
	if (cv)
		sip2_out_field(o, "CV", cv);
	sip2_out_field(o, "AF", route_text(r));
	if (r->fine_cents > 0) {
		char amount[24];
		sip2_amount_shown(r->fine_cents, amount);
		char *text = xasprintf(_("Fine for returning late: EUR %s"), amount);
		sip2_out_field(o, "AG", text);
		free(text);
	}
}

static bool checkin_change(struct sip2_session *s, const struct sip2_msg *m, struct sip2_out *o,
			   bool *store_failed)
{
	char *barcode = sip2_arg_dup(s, m, "AB");
	struct circ_ctx ctx;
	sip2_circ_ctx(s, &ctx);
	struct circ_checkin_res r;
	enum circ_status st = circ_checkin(&ctx, barcode, &r);
	*store_failed = st == CIRC_STORE_FAILED;
	if (st == CIRC_OK) {
		checkin_ok(s, m, &r, o);
	} else {
		sip2_out_init(o, "10");
		sip2_out_fixed(o, "0NUY");
		sip2_out_now(o, s);
		item_fields(o, s, m, NULL, r.item.title);
		sip2_out_field(o, "AQ", r.item.home_branch ? r.item.home_branch : "");
		sip2_out_field(o, "AF", sip2_refusal_text(st));
	}
	circ_checkin_res_clear(&r);
	free(barcode);
	return st == CIRC_OK;
}

char *sip2_msg_checkin(struct sip2_session *s, const struct sip2_msg *m)
{
	return sip2_once_dup(s, m, checkin_change);
}

/* ---- 29 renew ---- */

struct loan_search {
	const char *barcode;
	bool found;
};

static void on_own_loan(void *ctx, const struct patron_loan *loan)
{
	struct loan_search *ls = ctx;
	if (strcmp(loan->item_barcode, ls->barcode) == 0)
		ls->found = true;
}

/* CIRC_OK when barcode is on loan to the patron of card. */
static enum circ_status borrower_check(struct sip2_session *s, const struct circ_ctx *ctx,
				       const char *card, const char *barcode)
{
	struct circ_patron_rec p;
	enum circ_status st = circ_patron_find(s->store, card, &p);
	struct loan_search ls = { barcode, false };
	if (st == CIRC_OK && !patron_each_loan(s->store, p.id, ctx->today, on_own_loan, &ls))
		st = CIRC_STORE_FAILED;
	circ_patron_clear(&p);
	return st == CIRC_OK && !ls.found ? CIRC_NOT_ON_LOAN : st;
}

static bool renew_change(struct sip2_session *s, const struct sip2_msg *m, struct sip2_out *o,
			 bool *store_failed)
{
	char *card = sip2_arg_dup(s, m, "AA");
	char *barcode = sip2_arg_dup(s, m, "AB");
	struct circ_ctx ctx;
	sip2_circ_ctx(s, &ctx);
	struct circ_renewal_res r;
	/* Another patron's loan is not renewed from this card. */
	enum circ_status st = borrower_check(s, &ctx, card, barcode);
	if (st == CIRC_OK)
		st = circ_renew(&ctx, barcode, 0, &r);
	else
		memset(&r, 0, sizeof r);
	*store_failed = st == CIRC_STORE_FAILED;
	struct loan_answer a = { "30", st == CIRC_OK ? "1YUN" : "0NUN", st, card,
				 st == CIRC_NOT_ON_LOAN ? "" : r.item.title, r.due_on, r.blocks,
				 _("Renewed.") };
	loan_answer(o, s, m, &a);
	circ_renewal_res_clear(&r);
	free(card);
	free(barcode);
	return st == CIRC_OK;
}

char *sip2_msg_renew(struct sip2_session *s, const struct sip2_msg *m)
{
	return sip2_once_dup(s, m, renew_change);
}

/* ---- 65 renew all ---- */

struct barcodes {
	char *codes[RENEW_ALL_MAX];
	size_t n;
};

static void on_loan(void *ctx, const struct patron_loan *loan)
{
	struct barcodes *b = ctx;
	if (b->n < RENEW_ALL_MAX)
		b->codes[b->n++] = xstrdup(loan->item_barcode);
}

static void renew_each(const struct circ_ctx *ctx, const struct barcodes *b, struct sip2_out *yes,
		       struct sip2_out *no, unsigned *n_yes, unsigned *n_no, bool *store_failed)
{
	for (size_t i = 0; i < b->n && !*store_failed; i++) {
		struct circ_renewal_res r;
		enum circ_status st = circ_renew(ctx, b->codes[i], 0, &r);
		*store_failed = st == CIRC_STORE_FAILED;
		/* Renewed already today counts as renewed: its due date is the new one. */
		if (st == CIRC_OK) {
			sip2_out_field(yes, "BM", b->codes[i]);
			(*n_yes)++;
		} else {
			sip2_out_field(no, "BN", b->codes[i]);
			(*n_no)++;
		}
		circ_renewal_res_clear(&r);
	}
}

static bool renew_all_change(struct sip2_session *s, const struct sip2_msg *m,
			     struct sip2_out *o, bool *store_failed)
{
	struct circ_patron_rec p;
	enum circ_status st = sip2_patron_of(s, m, &p);
	struct circ_ctx ctx;
	sip2_circ_ctx(s, &ctx);
	struct barcodes b = { 0 };
	*store_failed = st == CIRC_STORE_FAILED ||
			(st == CIRC_OK && !patron_each_loan(s->store, p.id, ctx.today, on_loan, &b));
	struct sip2_out yes = { 0 }, no = { 0 };
	unsigned n_yes = 0, n_no = 0;
	if (st == CIRC_OK && !*store_failed)
		renew_each(&ctx, &b, &yes, &no, &n_yes, &n_no, store_failed);
	sip2_out_init(o, "66");
	sip2_out_fixed(o, st == CIRC_OK ? "1" : "0");
	sip2_out_count(o, n_yes, 4);
	sip2_out_count(o, n_no, 4);
	sip2_out_now(o, s);
	char *ao = sip2_arg_dup(s, m, "AO");
	sip2_out_field(o, "AO", ao);
	free(ao);
	char *y = sip2_out_take(&yes), *n = sip2_out_take(&no);
	sip2_out_fixed(o, y);
	sip2_out_fixed(o, n);
	free(y);
	free(n);
	if (st != CIRC_OK)
		sip2_out_field(o, "AF", sip2_refusal_text(st));
	else
		sip2_out_field(o, "AF", n_no ? _("Not every item could be renewed.")
					     : _("Everything is renewed."));
	for (size_t i = 0; i < b.n; i++)
		free(b.codes[i]);
	circ_patron_clear(&p);
	return st == CIRC_OK;
}

char *sip2_msg_renew_all(struct sip2_session *s, const struct sip2_msg *m)
{
	return sip2_once_dup(s, m, renew_all_change);
}
