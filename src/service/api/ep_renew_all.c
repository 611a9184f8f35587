/*
 * POST /renewals/all (balied(8)): every loan of a patron renewed at once,
 * with what happened to each. Roles balie and beheer (routes.c), with an
 * Idempotency-Key.
 *
 * Details of the protocol decided here (also in balied(8)):
 * - Body {"patron_card"}; another field is invalid_field (its name,
 *   "unknown"); a card of 14 digits with a wrong Luhn digit is invalid_field
 *   "patron_card", "check_digit"; an unknown card 404 patron_not_found.
 * - 200 {"patron_card","renewed":n,"not_renewed":n,"loans":[...]} by due
 *   date, each {"item_barcode","title","renewed":bool,"due_on"} and, renewed,
 *   {"renewals","max_renewals","fine_cents","unchanged"} as POST /renewals
 *   answers, or, refused, "error":{"code","details"?} with the code POST
 *   /renewals would answer (renewal_limit with {"renewals","max_renewals"},
 *   renewal_blocked_by_hold, patron_blocked with {"blocks"}) and due_on the
 *   date the loan keeps. A loan renewed already today is renewed with
 *   unchanged true. No override: a blocked patron's loans are refused.
 */
#include "service/api/endpoints.h"

#include "service/domain/renew_all.h"

#include <string.h>

struct renew_all_answer {
	cJSON *loans;
	unsigned renewed, refused;
};

static enum errcode refusal_code(enum circ_status s)
{
	switch (s) {
	case CIRC_RENEWAL_LIMIT:
		return ERR_RENEWAL_LIMIT;
	case CIRC_RENEWAL_BLOCKED_BY_HOLD:
		return ERR_RENEWAL_BLOCKED_BY_HOLD;
	case CIRC_PATRON_BLOCKED:
		return ERR_PATRON_BLOCKED;
	case CIRC_NOT_ON_LOAN:
	case CIRC_LOAN_STARTED_LATER:
		return ERR_NOT_ON_LOAN;
	default:
		return ERR_UNAVAILABLE;
	}
}

static cJSON *refusal_json(enum circ_status s, const struct circ_renewal_res *res)
{
	cJSON *err = cJSON_CreateObject();
	cJSON_AddStringToObject(err, "code", errcode_name(refusal_code(s)));
	if (s == CIRC_RENEWAL_LIMIT) {
		cJSON *d = cJSON_AddObjectToObject(err, "details");
		cJSON_AddNumberToObject(d, "renewals", res->renewals);
		cJSON_AddNumberToObject(d, "max_renewals", res->max_renewals);
	} else if (s == CIRC_PATRON_BLOCKED) {
		cJSON *blocks = cJSON_AddArrayToObject(cJSON_AddObjectToObject(err, "details"),
						       "blocks");
		for (unsigned bit = 1; bit <= CIRC_BLOCK_MAX_LOANS; bit <<= 1)
			if (res->blocks & bit)
				cJSON_AddItemToArray(blocks, cJSON_CreateString(circ_block_name(bit)));
	}
	return err;
}

static void add_outcome(void *ctx, enum circ_status s, const struct circ_renewal_res *res)
{
	struct renew_all_answer *a = ctx;
	cJSON *loan = cJSON_CreateObject();
	cJSON_AddStringToObject(loan, "item_barcode", res->item.barcode ? res->item.barcode : "");
	cJSON_AddStringToObject(loan, "title", res->item.title ? res->item.title : "");
	cJSON_AddBoolToObject(loan, "renewed", s == CIRC_OK);
	cJSON_AddStringToObject(loan, "due_on", res->due_on);
	if (s == CIRC_OK) {
		cJSON_AddNumberToObject(loan, "renewals", res->renewals);
		cJSON_AddNumberToObject(loan, "max_renewals", res->max_renewals);
		cJSON_AddNumberToObject(loan, "fine_cents", (double)res->fine_cents);
		cJSON_AddBoolToObject(loan, "unchanged", res->unchanged);
		a->renewed++;
	} else {
		cJSON_AddItemToObject(loan, "error", refusal_json(s, res));
		a->refused++;
	}
	cJSON_AddItemToArray(a->loans, loan);
}

void ep_renew_all_create(struct call *call, struct reply *out)
{
	static const char *const fields[] = { "patron_card", NULL };
	if (!call->json) {
		reply_invalid_field(out, "patron_card", "missing");
		return;
	}
	const char *card = ep_fields_known(call, fields, out)
				   ? ep_read_code(call, "patron_card", out)
				   : NULL;
	const char *problem = card ? circ_card_problem(card) : NULL;
	if (problem)
		reply_invalid_field(out, "patron_card", problem);
	if (!card || problem)
		return;
	struct circ_ctx ctx;
	circ_ctx_init(&ctx, call->store, call->svc->rules, call->now, call->session->branch,
		      call->session->staff_id);
	ctx.terminal = call->session->terminal;
	struct renew_all_answer a = { .loans = cJSON_CreateArray() };
	enum circ_status s = renew_all(&ctx, card, add_outcome, &a);
	if (s != CIRC_OK) {
		cJSON_Delete(a.loans);
		if (s == CIRC_PATRON_NOT_FOUND)
			reply_error(out, ERR_PATRON_NOT_FOUND, "no patron with this card", NULL);
		else
			reply_unavailable(out);
		return;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "patron_card", card);
	cJSON_AddNumberToObject(root, "renewed", a.renewed);
	cJSON_AddNumberToObject(root, "not_renewed", a.refused);
	cJSON_AddItemToObject(root, "loans", a.loans);
	reply_json(out, 200, root);
}
