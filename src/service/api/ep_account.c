/*
 * GET /patrons/{card}/account, POST /payments and POST /waivers (balied(8)),
 * with the rules of account.h and payment.h. Roles balie and beheer
 * (routes.c); the two mutating calls go through the Idempotency-Key
 * machinery, and a waiver needs the permission "waive". Both are audited;
 * the log names the staff member and the amount, never the patron.
 *
 * Details of the protocol decided here (also in balied(8)):
 * - GET /patrons/{card}/account?limit=N&open=true: 200 {"card",
 *   "balance_cents","accruing_fines_cents","accruing":[{"item_barcode",
 *   "title","due_on","fine_cents"}],"charges":[{"id","kind","amount_cents",
 *   "paid_cents","waived_cents","open_cents","created_at","cancelled",
 *   "description"?,"item_barcode"?,"title"?}],"charges_truncated",
 *   "credits":[{"id","kind","method"?,"amount_cents","created_at","reason"?,
 *   "branch"?,"terminal"?}],"credits_truncated"}: newest first, at most
 *   limit (1..200, default 50; invalid_field "limit" "invalid") of each;
 *   open=true lists only the open charges. accruing are the overdue loans
 *   with the fine each would cost if it came back today: not charged, and
 *   not in the balance.
 * - POST /payments {"patron_card","amount_cents","method","charges"?}:
 *   amount_cents a whole number from 1 to 10000000 (invalid_field
 *   "amount_cents" "missing", "not_positive_integer", "too_large"), method
 *   "cash" or "pin" ("missing", "unknown"), charges at most 100 distinct ids
 *   as strings ("invalid", "duplicate", "too_many"). A charge named that is
 *   not an open charge of this patron is invalid_field "charges" "not_open"
 *   with "charge_id"; more than is open (of the charges named, else of the
 *   account) is invalid_field "amount_cents" "over_balance" with
 *   "open_cents": there is no credit balance. A member not listed here is
 *   invalid_field "unknown". 201 {"payment":{"id","amount_cents","method",
 *   "created_at","covered":[{"charge_id","kind","amount_cents",
 *   "open_cents"}]},"balance_cents","blocks":[...]}: blocks as the patron has
 *   them now (fines_over_limit is gone once the balance is at or under the
 *   limit).
 * - POST /waivers {"patron_card","charges","reason"}: without the
 *   permission "waive" 403 forbidden {"permission":"waive"}; charges 1 to 100
 *   ids as above ("missing" when absent or empty), reason text of at most
 *   500 bytes ("missing", "too_long"). 201 {"waiver":{"id","amount_cents",
 *   "created_at","reason","covered":[...]},"balance_cents","blocks"}.
 */
#include "service/api/endpoints.h"

#include "core/jsonx.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "service/domain/account.h"
#include "service/domain/audit.h"
#include "service/domain/patron.h"
#include "service/domain/payment.h"
#include "service/domain/permission.h"
#include "service/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ACCOUNT_LIMIT_DEFAULT = 50, ACCOUNT_LIMIT_MAX = 200, CHARGES_MAX = 100,
       ID_DIGITS = 18, REASON_MAX = 500 };
static const long long AMOUNT_MAX = 10000000; /* 100,000.00: no desk takes more */

static void add_id(cJSON *obj, const char *key, long long id)
{
	char s[24];
	snprintf(s, sizeof s, "%lld", id);
	cJSON_AddStringToObject(obj, key, s);
}

static void add_instant(cJSON *obj, const char *key, time_t t)
{
	char s[TIMEFMT_INSTANT_LEN];
	timefmt_instant(t, s);
	cJSON_AddStringToObject(obj, key, s);
}

static void add_optional(cJSON *obj, const char *key, const char *value)
{
	if (value && *value)
		cJSON_AddStringToObject(obj, key, value);
}

/* The patron of card, answering for a bad card or none; false then. */
static bool patron_of(struct call *call, const char *card, const char *field,
		      struct circ_patron_rec *p, struct reply *out)
{
	const char *problem = circ_card_problem(card);
	if (problem) {
		reply_invalid_field(out, field, problem);
		return false;
	}
	enum circ_status s = circ_patron_find(call->store, card, p);
	if (s == CIRC_PATRON_NOT_FOUND)
		reply_error(out, ERR_PATRON_NOT_FOUND, "no patron with this card", NULL);
	else if (s != CIRC_OK)
		reply_unavailable(out);
	return s == CIRC_OK;
}

static void ctx_of(struct call *call, struct circ_ctx *ctx)
{
	circ_ctx_init(ctx, call->store, call->svc->rules, call->now, call->session->branch,
		      call->session->staff_id);
	ctx->terminal = call->session->terminal;
}

/* ---- GET /patrons/{card}/account ---- */

struct accruing {
	const struct circ_ctx *ctx;
	const char *category;
	cJSON *list;
	long long total;
};

static void add_accruing(void *p, const struct patron_loan *l)
{
	struct accruing *a = p;
	long long fine = circ_fine_accruing(a->ctx, l->due_on, a->category);
	if (fine <= 0)
		return;
	a->total += fine;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "item_barcode", l->item_barcode);
	cJSON_AddStringToObject(o, "title", l->title);
	cJSON_AddStringToObject(o, "due_on", l->due_on);
	cJSON_AddNumberToObject(o, "fine_cents", (double)fine);
	cJSON_AddItemToArray(a->list, o);
}

static void add_charge(void *list, const struct account_charge_row *r)
{
	cJSON *o = cJSON_CreateObject();
	add_id(o, "id", r->id);
	cJSON_AddStringToObject(o, "kind", r->kind);
	cJSON_AddNumberToObject(o, "amount_cents", (double)r->amount_cents);
	cJSON_AddNumberToObject(o, "paid_cents", (double)r->paid_cents);
	cJSON_AddNumberToObject(o, "waived_cents", (double)r->waived_cents);
	cJSON_AddNumberToObject(o, "open_cents", (double)r->open_cents);
	add_instant(o, "created_at", r->created_at);
	cJSON_AddBoolToObject(o, "cancelled", r->cancelled);
	add_optional(o, "description", r->description);
	add_optional(o, "item_barcode", r->item_barcode);
	add_optional(o, "title", r->title);
	cJSON_AddItemToArray(list, o);
}

static void add_credit(void *list, const struct account_credit_row *r)
{
	cJSON *o = cJSON_CreateObject();
	add_id(o, "id", r->id);
	cJSON_AddStringToObject(o, "kind", r->kind);
	add_optional(o, "method", r->method);
	cJSON_AddNumberToObject(o, "amount_cents", (double)r->amount_cents);
	add_instant(o, "created_at", r->created_at);
	add_optional(o, "reason", r->reason);
	add_optional(o, "branch", r->branch);
	add_optional(o, "terminal", r->terminal);
	cJSON_AddItemToArray(list, o);
}

/* limit= of the query, or the default; false after answering. */
static bool read_limit(struct call *call, size_t *limit, struct reply *out)
{
	const char *q = call->query(call->query_ctx, "limit");
	*limit = ACCOUNT_LIMIT_DEFAULT;
	if (!q)
		return true;
	size_t n = strlen(q);
	long v = n && n <= 3 && strspn(q, "0123456789") == n ? strtol(q, NULL, 10) : 0;
	if (v < 1 || v > ACCOUNT_LIMIT_MAX) {
		reply_invalid_field(out, "limit", "invalid");
		return false;
	}
	*limit = (size_t)v;
	return true;
}

static bool account_lists(struct call *call, const struct circ_patron_rec *p, size_t limit,
			  bool open_only, cJSON *root)
{
	struct circ_ctx ctx;
	ctx_of(call, &ctx);
	struct accruing a = { &ctx, p->category, cJSON_AddArrayToObject(root, "accruing"), 0 };
	bool more_charges, more_credits;
	bool ok = patron_each_loan(call->store, p->id, ctx.today, add_accruing, &a) &&
		  account_each_charge(call->store, p->id, open_only, limit, add_charge,
				      cJSON_AddArrayToObject(root, "charges"), &more_charges) &&
		  account_each_credit(call->store, p->id, limit, add_credit,
				      cJSON_AddArrayToObject(root, "credits"), &more_credits);
	if (ok) {
		cJSON_AddNumberToObject(root, "accruing_fines_cents", (double)a.total);
		cJSON_AddBoolToObject(root, "charges_truncated", more_charges);
		cJSON_AddBoolToObject(root, "credits_truncated", more_credits);
	}
	return ok;
}

void ep_account_show(struct call *call, struct reply *out)
{
	size_t limit;
	struct circ_patron_rec p;
	if (!read_limit(call, &limit, out) || !patron_of(call, call->params[0], "card", &p, out))
		return;
	const char *open = call->query(call->query_ctx, "open");
	bool open_only = open && (strcmp(open, "true") == 0 || strcmp(open, "1") == 0);
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "card", p.card);
	cJSON_AddNumberToObject(root, "balance_cents", (double)p.fines_cents);
	if (account_lists(call, &p, limit, open_only, root)) {
		reply_json(out, 200, root);
	} else {
		cJSON_Delete(root);
		reply_unavailable(out);
	}
	circ_patron_clear(&p);
}

/* ---- the bodies of POST /payments and POST /waivers ---- */

struct credit_prep {
	const char *card;            /* in call->json */
	long long amount_cents;      /* a payment's */
	enum payment_method method;
	const char *reason;          /* a waiver's, in call->json */
	long long charges[CHARGES_MAX];
	size_t n_charges;
};

static void credit_prep_free(void *p)
{
	free(p);
}

/* Every member of the body is one of allowed (NULL-ended); false after
 * answering invalid_field for the first that is not. */
static bool only_members(struct call *call, const char *const *allowed, struct reply *out)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, call->json) {
		size_t i = 0;
		while (allowed[i] && strcmp(allowed[i], m->string) != 0)
			i++;
		if (!allowed[i]) {
			reply_invalid_field(out, m->string, "unknown");
			return false;
		}
	}
	return true;
}

static bool id_parse(const char *s, long long *id)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > ID_DIGITS || strspn(s, "0123456789") != n)
		return false;
	*id = strtoll(s, NULL, 10);
	return *id > 0;
}

/* "charges" into prep: an array of distinct ids as strings; required says
 * whether it must be there and hold one at least. */
static bool read_charges(struct call *call, struct credit_prep *prep, bool required,
			 struct reply *out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(call->json, "charges");
	if (!item && !required)
		return true;
	const char *why = !item ? "missing" : !cJSON_IsArray(item) ? "invalid"
		: cJSON_GetArraySize(item) > CHARGES_MAX ? "too_many"
		: required && cJSON_GetArraySize(item) == 0 ? "missing" : NULL;
	const cJSON *c, *list = why ? NULL : item;
	cJSON_ArrayForEach(c, list) {
		long long id;
		if (!cJSON_IsString(c) || !id_parse(c->valuestring, &id)) {
			why = "invalid";
			break;
		}
		for (size_t i = 0; i < prep->n_charges && !why; i++)
			if (prep->charges[i] == id)
				why = "duplicate";
		if (why)
			break;
		prep->charges[prep->n_charges++] = id;
	}
	if (why)
		reply_invalid_field(out, "charges", why);
	return !why;
}

static bool read_card(struct call *call, struct credit_prep *prep, struct reply *out)
{
	if (!call->json) {
		reply_invalid_field(out, "patron_card", "missing");
		return false;
	}
	return (prep->card = ep_read_code(call, "patron_card", out)) != NULL;
}

static bool read_amount(struct call *call, struct credit_prep *prep, struct reply *out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(call->json, "amount_cents");
	bool whole = jsonx_int(call->json, "amount_cents", &prep->amount_cents);
	const char *why = !item ? "missing"
		: !whole || prep->amount_cents <= 0 ? "not_positive_integer"
		: prep->amount_cents > AMOUNT_MAX ? "too_large" : NULL;
	if (why)
		reply_invalid_field(out, "amount_cents", why);
	return !why;
}

static bool read_method(struct call *call, struct credit_prep *prep, struct reply *out)
{
	const char *m = jsonx_string(call->json, "method");
	if (payment_method_from_name(m, &prep->method))
		return true;
	reply_invalid_field(out, "method",
			    cJSON_GetObjectItemCaseSensitive(call->json, "method") ? "unknown"
										: "missing");
	return false;
}

static bool read_reason(struct call *call, struct credit_prep *prep, struct reply *out)
{
	const char *r = jsonx_string(call->json, "reason");
	size_t n = r ? strlen(r) : 0;
	size_t blank = r ? strspn(r, " \t\r\n") : 0;
	const char *why = n == 0 || blank == n ? "missing" : n > REASON_MAX ? "too_long" : NULL;
	if (why)
		reply_invalid_field(out, "reason", why);
	prep->reason = r;
	return !why;
}

static struct credit_prep *prep_new(struct call *call)
{
	struct credit_prep *prep = xcalloc(1, sizeof *prep);
	call->prepared = prep;
	call->prepared_free = credit_prep_free;
	return prep;
}

bool ep_payments_prepare(struct call *call, struct reply *out)
{
	static const char *const allowed[] = { "patron_card", "amount_cents", "method", "charges",
					       NULL };
	struct credit_prep *prep = prep_new(call);
	return read_card(call, prep, out) && only_members(call, allowed, out) &&
	       read_amount(call, prep, out) && read_method(call, prep, out) &&
	       read_charges(call, prep, false, out);
}

bool ep_waivers_prepare(struct call *call, struct reply *out)
{
	static const char *const allowed[] = { "patron_card", "charges", "reason", NULL };
	if (!(permission_of(call->store, call->session->staff_id) & PERMISSION_WAIVE)) {
		cJSON *details = cJSON_CreateObject();
		cJSON_AddStringToObject(details, "permission", "waive");
		reply_error(out, ERR_FORBIDDEN, "waiving needs the permission waive", details);
		return false;
	}
	struct credit_prep *prep = prep_new(call);
	return read_card(call, prep, out) && only_members(call, allowed, out) &&
	       read_charges(call, prep, true, out) && read_reason(call, prep, out);
}

/* ---- the answers ---- */

static cJSON *covered_json(const struct payment_result *res)
{
	cJSON *list = cJSON_CreateArray();
	for (size_t i = 0; i < res->n_covered; i++) {
		const struct payment_cover *c = &res->covered[i];
		cJSON *o = cJSON_CreateObject();
		add_id(o, "charge_id", c->charge_id);
		cJSON_AddStringToObject(o, "kind", account_charge_kind_name(c->kind));
		cJSON_AddNumberToObject(o, "amount_cents", (double)c->amount_cents);
		cJSON_AddNumberToObject(o, "open_cents", (double)c->open_cents);
		cJSON_AddItemToArray(list, o);
	}
	return list;
}

static void reply_refused(struct reply *out, enum payment_status s,
			  const struct payment_result *res)
{
	cJSON *details = cJSON_CreateObject();
	if (s == PAYMENT_NO_CHARGE) {
		cJSON_AddStringToObject(details, "field", "charges");
		cJSON_AddStringToObject(details, "reason", "not_open");
		add_id(details, "charge_id", res->charge_id);
		reply_error(out, ERR_INVALID_FIELD, "a charge named is not open on this account",
			    details);
	} else if (s == PAYMENT_OVER_OPEN) {
		cJSON_AddStringToObject(details, "field", "amount_cents");
		cJSON_AddStringToObject(details, "reason", "over_balance");
		cJSON_AddNumberToObject(details, "open_cents", (double)res->open_cents);
		reply_error(out, ERR_INVALID_FIELD, "the amount is more than is open", details);
	} else {
		cJSON_Delete(details);
		reply_unavailable(out);
	}
}

/* The audit row: what was credited and which charges it covered. */
static bool audit_credit(struct call *call, const char *action, const char *card,
			 const char *method, const char *reason, const struct payment_result *res)
{
	cJSON *d = cJSON_CreateObject();
	add_id(d, "credit_id", res->credit_id);
	cJSON_AddNumberToObject(d, "amount_cents", (double)res->amount_cents);
	if (method)
		cJSON_AddStringToObject(d, "method", method);
	cJSON_AddItemToObject(d, "covered", covered_json(res));
	char *details = jsonx_print_dup(d);
	cJSON_Delete(d);
	bool ok = audit_add(call->store, call->session, call->now, action, card, reason, details);
	free(details);
	if (ok)
		log_info("%s of %lld cents by \"%s\" at %s", action, res->amount_cents,
			 call->session->username, call->session->branch);
	return ok;
}

/* balance_cents and the blocks the patron has now. */
static bool add_standing(struct call *call, const char *card, cJSON *root)
{
	struct circ_patron_rec p;
	if (circ_patron_find(call->store, card, &p) != CIRC_OK)
		return false;
	struct circ_ctx ctx;
	ctx_of(call, &ctx);
	cJSON_AddNumberToObject(root, "balance_cents", (double)p.fines_cents);
	cJSON *blocks = cJSON_AddArrayToObject(root, "blocks");
	unsigned mask = circ_patron_blocks(&ctx, &p);
	for (unsigned bit = 1; bit <= CIRC_BLOCK_ALL; bit <<= 1)
		if (mask & bit)
			cJSON_AddItemToArray(blocks, cJSON_CreateString(circ_block_name(bit)));
	circ_patron_clear(&p);
	return true;
}

static struct account_where where_of(const struct call *call)
{
	return (struct account_where){ .now = call->now, .branch = call->session->branch,
				       .terminal = call->session->terminal,
				       .staff_id = call->session->staff_id };
}

/* The answer of a credit recorded: {key:{...}, "balance_cents", "blocks"}. */
static void reply_credit(struct call *call, const char *key, const char *card,
			 const struct credit_prep *prep, const struct payment_result *res,
			 struct reply *out)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *c = cJSON_AddObjectToObject(root, key);
	add_id(c, "id", res->credit_id);
	cJSON_AddNumberToObject(c, "amount_cents", (double)res->amount_cents);
	if (!prep->reason)
		cJSON_AddStringToObject(c, "method", payment_method_name(prep->method));
	else
		cJSON_AddStringToObject(c, "reason", prep->reason);
	add_instant(c, "created_at", call->now);
	cJSON_AddItemToObject(c, "covered", covered_json(res));
	if (add_standing(call, card, root)) {
		reply_json(out, 201, root);
	} else {
		cJSON_Delete(root);
		reply_unavailable(out);
	}
}

static void credit_create(struct call *call, struct reply *out, bool waiver)
{
	const struct credit_prep *prep = call->prepared;
	struct circ_patron_rec p;
	if (!patron_of(call, prep->card, "patron_card", &p, out))
		return;
	struct account_where where = where_of(call);
	struct payment_result res;
	enum payment_status s =
		waiver ? payment_waive(call->store, p.id, prep->charges, prep->n_charges,
				       prep->reason, &where, &res)
		       : payment_pay(call->store, p.id, prep->amount_cents, prep->method,
				     prep->charges, prep->n_charges, &where, &res);
	if (s != PAYMENT_OK)
		reply_refused(out, s, &res);
	else if (!audit_credit(call, waiver ? "waiver" : "payment", p.card,
			       waiver ? NULL : payment_method_name(prep->method), prep->reason,
			       &res))
		reply_unavailable(out);
	else
		reply_credit(call, waiver ? "waiver" : "payment", p.card, prep, &res, out);
	payment_result_clear(&res);
	circ_patron_clear(&p);
}

void ep_payments_create(struct call *call, struct reply *out)
{
	credit_create(call, out, false);
}

void ep_waivers_create(struct call *call, struct reply *out)
{
	credit_create(call, out, true);
}
