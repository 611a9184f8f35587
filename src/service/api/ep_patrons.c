/*
 * GET /patrons/{card} and GET /patrons?q=&birth_date= (DESIGN.md section 2).
 * Roles balie and beheer (routes.c).
 *
 * Details of the protocol decided here (also in balied(8)):
 * - A patron: {"card","name","given_name","family_name","birth_date",
 *   "category","home_branch","expires_on","blocks":[codes],"manual_block"?,
 *   "loans":[{"item_barcode","title","author","item_type","due_on","overdue",
 *   "renewals"}],"loans_count","max_loans","holds_ready":[{"item_barcode",
 *   "title","pickup_branch","ready_since","pickup_by"}],"holds_waiting",
 *   "holds":[{"id","title_id","title","author","item_barcode","pickup_branch",
 *   "status","place","pickup_by","fee_cents"}],"holds_expired":[the same],
 *   "fines_cents","balance_cents","accruing_fines_cents"}: fines_cents and
 *   balance_cents are both the open balance of the account (every kind of
 *   charge; fines_cents for desks that read it); accruing_fines_cents what
 *   the overdue loans would cost if they came back today (each loan's
 *   "accruing_fine_cents"), not charged and not in the balance. Holds are every open hold (status waiting, in_transit or
 *   ready) by the time it was placed, with its place in the queue of its
 *   title (0 once a copy is set aside); pickup_by is "" until it is ready,
 *   item_barcode "" until a copy is set aside for a title-level hold;
 *   holds_expired those that expired in the last 14 days. Loans by due date; blocks as for POST /checkouts.
 * - A card of 14 digits whose last is not its Luhn check digit is
 *   invalid_field "card", "check_digit" (not patron_not_found).
 * - The search: q matches every word of it in "given family" (case-insensitive
 *   for ASCII letters), birth_date (YYYY-MM-DD) exactly; at least one of them
 *   (invalid_field "q", "missing"; a birth_date that is not a date is
 *   invalid_field "birth_date", "invalid"). Answer {"patrons":[{"card","name",
 *   "birth_date","category","home_branch","expires_on"}],"truncated":bool},
 *   at most 50, by family name, given name and birth date.
 */
#include "service/api/endpoints.h"

#include "service/domain/circulation.h"
#include "service/domain/holds.h"
#include "service/domain/patron.h"
#include "core/date.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { SEARCH_MAX = 50, QUERY_MAX = 100 };
/* How long an expired hold stays in the answer: the desk can tell the
 * patron it was cleared off the shelf. */
enum { HOLDS_EXPIRED_SHOWN_DAYS = 14 };

/* The loans and the fines accruing on them (not charged until they come back). */
struct loan_list {
	cJSON *loans;
	const struct circ_ctx *ctx;
	const char *category;
	long long accruing;
};

static void add_loan(void *ctx, const struct patron_loan *l)
{
	struct loan_list *list = ctx;
	long long fine = circ_fine_accruing(list->ctx, l->due_on, list->category);
	list->accruing += fine;
	cJSON *loan = cJSON_CreateObject();
	cJSON_AddStringToObject(loan, "item_barcode", l->item_barcode);
	cJSON_AddStringToObject(loan, "title", l->title);
	cJSON_AddStringToObject(loan, "author", l->author);
	cJSON_AddStringToObject(loan, "item_type", l->item_type);
	cJSON_AddStringToObject(loan, "due_on", l->due_on);
	cJSON_AddBoolToObject(loan, "overdue", l->overdue);
	cJSON_AddNumberToObject(loan, "renewals", l->renewals);
	cJSON_AddNumberToObject(loan, "accruing_fine_cents", (double)fine);
	cJSON_AddItemToArray(list->loans, loan);
}

/* A hold as "holds_ready" shows it, with ready_since. */
static void add_ready_hold(void *ctx, const struct patron_hold *hold)
{
	cJSON *h = cJSON_CreateObject();
	cJSON_AddStringToObject(h, "item_barcode", hold->item_barcode);
	cJSON_AddStringToObject(h, "title", hold->title);
	cJSON_AddStringToObject(h, "pickup_branch", hold->pickup_branch);
	cJSON_AddStringToObject(h, "ready_since", hold->ready_since);
	cJSON_AddStringToObject(h, "pickup_by", hold->pickup_by);
	cJSON_AddItemToArray(ctx, h);
}

struct hold_lists {
	cJSON *open, *expired;
};

/* "holds": every open hold, waiting ones too, with its state and place;
 * "holds_expired": those that expired lately. item_barcode and pickup_by are
 * always there ("" before a copy is set aside and before it is ready), as
 * the desk reads them. */
static void add_open_hold(void *ctx, const struct holds_hold *hold)
{
	const struct hold_lists *lists = ctx;
	cJSON *h = ep_hold_json(hold);
	if (!cJSON_HasObjectItem(h, "item_barcode"))
		cJSON_AddStringToObject(h, "item_barcode", "");
	if (!cJSON_HasObjectItem(h, "pickup_by"))
		cJSON_AddStringToObject(h, "pickup_by", "");
	cJSON_AddItemToArray(strcmp(hold->status, "expired") == 0 ? lists->expired : lists->open,
			     h);
}

static bool add_holds(struct call *call, long long patron_id, cJSON *patron)
{
	cJSON *ready = cJSON_AddArrayToObject(patron, "holds_ready");
	if (!patron_each_ready_hold(call->store, patron_id, add_ready_hold, ready))
		return false;
	int waiting;
	bool ok = patron_holds_waiting(call->store, patron_id, &waiting);
	cJSON_AddNumberToObject(patron, "holds_waiting", waiting);
	struct hold_lists lists = { .open = cJSON_AddArrayToObject(patron, "holds"),
				    .expired = cJSON_AddArrayToObject(patron, "holds_expired") };
	time_t since = call->now - (time_t)HOLDS_EXPIRED_SHOWN_DAYS * 86400;
	return ok && holds_each_of_patron(call->store, patron_id, since, add_open_hold, &lists);
}

static char *full_name_dup(const char *given, const char *family)
{
	return xasprintf("%s %s", given, family);
}

void ep_patron_show(struct call *call, struct reply *out)
{
	struct circ_ctx ctx;
	circ_ctx_init(&ctx, call->store, call->svc->rules, call->now, call->session->branch,
		      call->session->staff_id);
	ctx.terminal = call->session->terminal;
	const char *problem = circ_card_problem(call->params[0]);
	if (problem) {
		reply_invalid_field(out, "card", problem);
		return;
	}
	struct circ_patron_rec p;
	enum circ_status s = circ_patron_find(call->store, call->params[0], &p);
	if (s != CIRC_OK) {
		if (s == CIRC_PATRON_NOT_FOUND)
			reply_error(out, ERR_PATRON_NOT_FOUND, "no patron with this card", NULL);
		else
			reply_unavailable(out);
		return;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "card", p.card);
	char *name = full_name_dup(p.given_name, p.family_name);
	cJSON_AddStringToObject(root, "name", name);
	free(name);
	cJSON_AddStringToObject(root, "given_name", p.given_name);
	cJSON_AddStringToObject(root, "family_name", p.family_name);
	cJSON_AddStringToObject(root, "birth_date", p.birth_date);
	cJSON_AddStringToObject(root, "category", p.category);
	cJSON_AddStringToObject(root, "home_branch", p.home_branch);
	cJSON_AddStringToObject(root, "expires_on", p.expires_on);
	cJSON *blocks = cJSON_AddArrayToObject(root, "blocks");
	unsigned mask = circ_patron_blocks(&ctx, &p);
	for (unsigned bit = 1; bit <= CIRC_BLOCK_ALL; bit <<= 1)
		if (mask & bit)
			cJSON_AddItemToArray(blocks, cJSON_CreateString(circ_block_name(bit)));
	if (p.manual_block)
		cJSON_AddStringToObject(root, "manual_block", p.manual_block);
	cJSON_AddNumberToObject(root, "loans_count", p.loans);
	cJSON_AddNumberToObject(root, "max_loans", rules_max_loans(ctx.rules, p.category));
	cJSON_AddNumberToObject(root, "fines_cents", (double)p.fines_cents);
	cJSON_AddNumberToObject(root, "balance_cents", (double)p.fines_cents);
	struct loan_list loans = { cJSON_AddArrayToObject(root, "loans"), &ctx, p.category, 0 };
	bool ok = patron_each_loan(call->store, p.id, ctx.today, add_loan, &loans);
	cJSON_AddNumberToObject(root, "accruing_fines_cents", (double)loans.accruing);
	if (!ok || !add_holds(call, p.id, root)) {
		cJSON_Delete(root);
		reply_unavailable(out);
	} else {
		reply_json(out, 200, root);
	}
	circ_patron_clear(&p);
}

static void add_match(void *ctx, const struct patron_match *m)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "card", m->card);
	char *name = full_name_dup(m->given_name, m->family_name);
	cJSON_AddStringToObject(p, "name", name);
	free(name);
	cJSON_AddStringToObject(p, "birth_date", m->birth_date);
	cJSON_AddStringToObject(p, "category", m->category);
	cJSON_AddStringToObject(p, "home_branch", m->home_branch);
	cJSON_AddStringToObject(p, "expires_on", m->expires_on);
	cJSON_AddItemToArray(ctx, p);
}

void ep_patron_search(struct call *call, struct reply *out)
{
	const char *q = call->query(call->query_ctx, "q");
	const char *birth = call->query(call->query_ctx, "birth_date");
	struct civil_date d;
	if (birth && *birth && !date_parse_iso(birth, &d)) {
		reply_invalid_field(out, "birth_date", "invalid");
		return;
	}
	if (q && strlen(q) > QUERY_MAX) {
		reply_invalid_field(out, "q", "too_long");
		return;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(root, "patrons");
	bool truncated;
	enum patron_search_status s =
		patron_search(call->store, q, birth, SEARCH_MAX, add_match, list, &truncated);
	if (s != PATRON_SEARCH_OK) {
		cJSON_Delete(root);
		if (s == PATRON_SEARCH_NO_CRITERIA)
			reply_invalid_field(out, "q", "missing");
		else
			reply_unavailable(out);
		return;
	}
	cJSON_AddBoolToObject(root, "truncated", truncated);
	reply_json(out, 200, root);
}
