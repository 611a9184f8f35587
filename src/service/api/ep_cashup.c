/*
 * GET /cashup and GET /cashup.csv (balied(8)): the cash-up ("kasopmaak") of
 * cashup.h. Roles balie and beheer (routes.c).
 *
 * Details of the protocol decided here (also in balied(8)):
 * - Query: date=YYYY-MM-DD (default today; invalid_field "date"
 *   "not_a_date"), terminal= (default the caller's own; 1 to 32 printable
 *   characters, "invalid"), branch= (every desk of that branch, or with
 *   terminal= that desk there: role beheer only, else 403 forbidden
 *   {"role":"beheer"}; an unknown branch is invalid_field "branch"
 *   "unknown"). Without branch= it is the caller's branch.
 * - 200 {"date","branch","terminal" (null for every desk),"payments",
 *   "payments_cents","by_method":[{"method","count","amount_cents"}],
 *   "by_kind":[{"kind","amount_cents"}],"refunds":{"count","amount_cents"},
 *   "waivers":{"count","amount_cents"},"net_cents"}: by_method has cash and
 *   pin always, by_kind every kind of charge; each adds up to
 *   payments_cents; net_cents is payments less refunds paid out. For every
 *   desk of a branch also "by_terminal":[{"terminal","payments",
 *   "cash_cents","pin_cents","payments_cents"}], the desks that took
 *   payments, by terminal.
 * - The CSV (UTF-8 with a byte-order mark and ';' between fields, as the
 *   spreadsheets of a Dutch office read it): a header
 *   "section;code;count;amount_cents" and the same figures a row each
 *   (sections payments, method, kind, refunds, waivers, net), in cents.
 */
#include "service/api/endpoints.h"

#include "core/log.h"
#include "core/xalloc.h"
#include "service/domain/cashup.h"
#include "service/domain/staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TERMINAL_MAX = 32 };

struct cashup_ask {
	struct cashup_query q;
	char date[DATE_STR_LEN];
};

static bool terminal_ok(const char *t)
{
	size_t n = strlen(t);
	if (n == 0 || n > TERMINAL_MAX)
		return false;
	for (; *t; t++)
		if ((unsigned char)*t <= ' ' || (unsigned char)*t >= 0x7f)
			return false;
	return true;
}

static bool read_branch(struct call *call, struct cashup_ask *a, struct reply *out)
{
	const char *branch = call->query(call->query_ctx, "branch");
	a->q.branch = call->session->branch;
	if (!branch)
		return true;
	if (!(call->session->roles & ROLE_BEHEER)) {
		cJSON *details = cJSON_CreateObject();
		cJSON_AddStringToObject(details, "role", "beheer");
		reply_error(out, ERR_FORBIDDEN, "the cash-up of a branch is for administration",
			    details);
		return false;
	}
	if (!staff_branch_exists(call->store, branch)) {
		reply_invalid_field(out, "branch", "unknown");
		return false;
	}
	a->q.branch = branch;
	a->q.terminal = NULL;
	return true;
}

/* The query's date, terminal and branch; false after answering. */
static bool read_ask(struct call *call, struct cashup_ask *a, struct reply *out)
{
	memset(a, 0, sizeof *a);
	const char *date = call->query(call->query_ctx, "date");
	a->q.day = date_of_time(call->now);
	if (date && !date_parse_iso(date, &a->q.day)) {
		reply_invalid_field(out, "date", "not_a_date");
		return false;
	}
	date_format_iso(a->q.day, a->date);
	const char *terminal = call->query(call->query_ctx, "terminal");
	if (terminal && !terminal_ok(terminal)) {
		reply_invalid_field(out, "terminal", "invalid");
		return false;
	}
	if (!read_branch(call, a, out))
		return false;
	if (terminal)
		a->q.terminal = terminal;
	else if (a->q.branch == call->session->branch)
		a->q.terminal = call->session->terminal;
	return true;
}

static cJSON *count_json(long long count, long long cents)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "count", (double)count);
	cJSON_AddNumberToObject(o, "amount_cents", (double)cents);
	return o;
}

static cJSON *totals_json(const struct cashup_ask *a, const struct cashup_totals *t)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "date", a->date);
	cJSON_AddStringToObject(root, "branch", a->q.branch);
	if (a->q.terminal)
		cJSON_AddStringToObject(root, "terminal", a->q.terminal);
	else
		cJSON_AddNullToObject(root, "terminal");
	cJSON_AddNumberToObject(root, "payments", (double)t->payments);
	cJSON_AddNumberToObject(root, "payments_cents", (double)t->payments_cents);
	cJSON *methods = cJSON_AddArrayToObject(root, "by_method");
	for (unsigned m = 0; m < PAYMENT_METHODS; m++) {
		cJSON *o = count_json(t->method_count[m], t->method_cents[m]);
		cJSON_AddStringToObject(o, "method", payment_method_name((enum payment_method)m));
		cJSON_AddItemToArray(methods, o);
	}
	cJSON *kinds = cJSON_AddArrayToObject(root, "by_kind");
	for (unsigned k = 0; k < ACCOUNT_CHARGE_KINDS; k++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "kind",
					account_charge_kind_name((enum account_charge_kind)k));
		cJSON_AddNumberToObject(o, "amount_cents", (double)t->kind_cents[k]);
		cJSON_AddItemToArray(kinds, o);
	}
	cJSON_AddItemToObject(root, "refunds", count_json(t->refunds, t->refunds_cents));
	cJSON_AddItemToObject(root, "waivers", count_json(t->waivers, t->waivers_cents));
	cJSON_AddNumberToObject(root, "net_cents", (double)(t->payments_cents - t->refunds_cents));
	return root;
}

static bool totals_of(struct call *call, struct cashup_ask *a, struct cashup_totals *t,
		      struct reply *out)
{
	if (!read_ask(call, a, out))
		return false;
	if (cashup_totals(call->store, &a->q, t))
		return true;
	reply_unavailable(out);
	return false;
}

static void add_desk(void *list, const struct cashup_desk *d)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "terminal", d->terminal);
	cJSON_AddNumberToObject(o, "payments", (double)d->payments);
	cJSON_AddNumberToObject(o, "cash_cents", (double)d->method_cents[PAYMENT_CASH]);
	cJSON_AddNumberToObject(o, "pin_cents", (double)d->method_cents[PAYMENT_PIN]);
	cJSON_AddNumberToObject(o, "payments_cents",
				(double)(d->method_cents[PAYMENT_CASH] + d->method_cents[PAYMENT_PIN]));
	cJSON_AddItemToArray(list, o);
}

void ep_cashup_show(struct call *call, struct reply *out)
{
	struct cashup_ask a;
	struct cashup_totals t;
	if (!totals_of(call, &a, &t, out))
		return;
	cJSON *root = totals_json(&a, &t);
	if (!a.q.terminal &&
	    !cashup_each_desk(call->store, &a.q, add_desk,
			      cJSON_AddArrayToObject(root, "by_terminal"))) {
		cJSON_Delete(root);
		reply_unavailable(out);
		return;
	}
	reply_json(out, 200, root);
}

static char *csv_dup(const struct cashup_totals *t)
{
	char *csv = xasprintf("\xef\xbb\xbfsection;code;count;amount_cents\r\n"
			      "payments;all;%lld;%lld\r\n",
			      t->payments, t->payments_cents);
	for (unsigned m = 0; m < PAYMENT_METHODS; m++) {
		char *next = xasprintf("%smethod;%s;%lld;%lld\r\n", csv,
				       payment_method_name((enum payment_method)m),
				       t->method_count[m], t->method_cents[m]);
		free(csv);
		csv = next;
	}
	for (unsigned k = 0; k < ACCOUNT_CHARGE_KINDS; k++) {
		char *next = xasprintf("%skind;%s;;%lld\r\n", csv,
				       account_charge_kind_name((enum account_charge_kind)k),
				       t->kind_cents[k]);
		free(csv);
		csv = next;
	}
	char *next = xasprintf("%srefunds;all;%lld;%lld\r\nwaivers;all;%lld;%lld\r\n"
			       "net;all;;%lld\r\n", csv, t->refunds, t->refunds_cents, t->waivers,
			       t->waivers_cents, t->payments_cents - t->refunds_cents);
	free(csv);
	return next;
}

void ep_cashup_export(struct call *call, struct reply *out)
{
	struct cashup_ask a;
	struct cashup_totals t;
	if (!totals_of(call, &a, &t, out))
		return;
	log_info("cash-up export %s %s by \"%s\"", a.date, a.q.branch, call->session->username);
	free(out->body);
	out->status = 200;
	out->body = csv_dup(&t);
	out->content_type = "text/csv; charset=utf-8";
}
