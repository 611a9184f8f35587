/*
 * POST /items/{barcode}/status (balied(8)): an item status set at the desk
 * with a reason, audited (service/domain/item_status.h says what each does).
 * Roles balie and beheer (routes.c), with an Idempotency-Key.
 *
 * Details of the protocol decided here (also in balied(8)):
 * - Body {"status","reason","charge_cents"?,"patron_card"?}; another field
 *   is invalid_field (its name, "unknown"). status is lost, damaged,
 *   missing, claimed_returned, withdrawn or available ("missing",
 *   "unknown"); reason is text of at most 500 bytes ("missing",
 *   "too_long"); charge_cents (1 to 100000) and patron_card go with damaged
 *   only ("not_allowed"); a damaged charge needs patron_card ("missing").
 * - Refusals: 404 item_not_found, patron_not_found; 409 not_on_loan
 *   (claimed_returned of an item not on loan); invalid_field "status",
 *   "on_loan" (damaged, missing, withdrawn or available of an item on loan:
 *   check it in, or declare it lost or claimed returned).
 * - 200 {"item":{"barcode","title","status"},"loan_ended":bool,
 *   "patron"?:{"card","claims_returned"?,"claims_over_limit"?},
 *   "charge"?:{"id","kind","amount_cents"}}.
 * - The audit row: action "item_status", subject the barcode, the reason,
 *   details {"status","patron_card"?,"charge_cents"?}.
 */
#include "service/api/endpoints.h"

#include "service/domain/audit.h"
#include "service/domain/item_status.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static bool has_text(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return true;
	return false;
}

static bool read_damaged(struct call *call, struct item_status_req *req, struct reply *out)
{
	const cJSON *charge = cJSON_GetObjectItemCaseSensitive(call->json, "charge_cents");
	const cJSON *card = cJSON_GetObjectItemCaseSensitive(call->json, "patron_card");
	if (req->status != ITEM_DAMAGED && (charge || card)) {
		reply_invalid_field(out, charge ? "charge_cents" : "patron_card", "not_allowed");
		return false;
	}
	if (charge && (!jsonx_int(call->json, "charge_cents", &req->charge_cents) ||
		       req->charge_cents < 1 || req->charge_cents > 100000)) {
		reply_invalid_field(out, "charge_cents", "invalid");
		return false;
	}
	if (card) {
		req->patron_card = ep_read_code(call, "patron_card", out);
		const char *problem = req->patron_card ? circ_card_problem(req->patron_card) : NULL;
		if (problem)
			reply_invalid_field(out, "patron_card", problem);
		return req->patron_card && !problem;
	}
	return true;
}

static bool read_body(struct call *call, struct item_status_req *req, struct reply *out)
{
	static const char *const fields[] = { "status", "reason", "charge_cents", "patron_card",
					      NULL };
	if (!call->json) {
		reply_invalid_field(out, "status", "missing");
		return false;
	}
	if (!ep_fields_known(call, fields, out))
		return false;
	const char *status = jsonx_string(call->json, "status");
	if (!item_status_from_name(status, &req->status)) {
		reply_invalid_field(out, "status", status ? "unknown" : "missing");
		return false;
	}
	req->reason = jsonx_string(call->json, "reason");
	if (!has_text(req->reason) || strlen(req->reason) > ITEM_REASON_MAX) {
		reply_invalid_field(out, "reason", has_text(req->reason) ? "too_long" : "missing");
		return false;
	}
	return read_damaged(call, req, out);
}

static void reply_refused(struct reply *out, enum item_status_result r)
{
	switch (r) {
	case ITEM_STATUS_ITEM_NOT_FOUND:
		reply_error(out, ERR_ITEM_NOT_FOUND, "no item with this barcode", NULL);
		break;
	case ITEM_STATUS_PATRON_NOT_FOUND:
		reply_error(out, ERR_PATRON_NOT_FOUND, "no patron with this card", NULL);
		break;
	case ITEM_STATUS_NOT_ON_LOAN:
		reply_error(out, ERR_NOT_ON_LOAN, "the item is not on loan", NULL);
		break;
	case ITEM_STATUS_ON_LOAN:
		reply_invalid_field(out, "status", "on_loan");
		break;
	case ITEM_STATUS_NO_PATRON:
		reply_invalid_field(out, "patron_card", "missing");
		break;
	default:
		reply_unavailable(out);
		break;
	}
}

static bool audit_status(struct call *call, const struct item_status_req *req,
			 const struct item_status_res *res)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "status", item_status_name(req->status));
	if (res->patron_card[0])
		cJSON_AddStringToObject(d, "patron_card", res->patron_card);
	if (res->charge_id)
		cJSON_AddNumberToObject(d, "charge_cents", (double)res->charge_cents);
	char *details = jsonx_print_dup(d);
	cJSON_Delete(d);
	bool ok = audit_add(call->store, call->session, call->now, "item_status", res->item.barcode,
			    req->reason, details);
	free(details);
	return ok;
}

static cJSON *answer(const struct item_status_req *req, const struct item_status_res *res)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *item = cJSON_AddObjectToObject(root, "item");
	cJSON_AddStringToObject(item, "barcode", res->item.barcode);
	cJSON_AddStringToObject(item, "title", res->item.title);
	cJSON_AddStringToObject(item, "status", item_status_name(req->status));
	cJSON_AddBoolToObject(root, "loan_ended", res->loan_ended);
	if (res->patron_card[0]) {
		cJSON *p = cJSON_AddObjectToObject(root, "patron");
		cJSON_AddStringToObject(p, "card", res->patron_card);
		if (req->status == ITEM_CLAIMED_RETURNED) {
			cJSON_AddNumberToObject(p, "claims_returned", res->claims_returned);
			cJSON_AddBoolToObject(p, "claims_over_limit", res->claims_over_limit);
		}
	}
	if (res->charge_id) {
		cJSON *c = cJSON_AddObjectToObject(root, "charge");
		cJSON_AddNumberToObject(c, "id", (double)res->charge_id);
		cJSON_AddStringToObject(c, "kind", req->status == ITEM_LOST ? "lost_item"
									    : "damaged_item");
		cJSON_AddNumberToObject(c, "amount_cents", (double)res->charge_cents);
	}
	return root;
}

bool ep_claims_add(struct call *call, long long patron_id, cJSON *obj)
{
	unsigned claims = 0;
	if (!item_status_claims(call->store, patron_id, &claims))
		return false;
	cJSON_AddNumberToObject(obj, "claims_returned", claims);
	cJSON_AddBoolToObject(obj, "claims_over_limit", claims > call->svc->rules->claims_returned_limit);
	return true;
}

void ep_item_status_create(struct call *call, struct reply *out)
{
	if (!ep_code_ok(call->params[0])) {
		reply_invalid_field(out, "barcode", "invalid");
		return;
	}
	struct item_status_req req = { 0 };
	if (!read_body(call, &req, out))
		return;
	struct circ_ctx ctx;
	circ_ctx_init(&ctx, call->store, call->svc->rules, call->now, call->session->branch,
		      call->session->staff_id);
	ctx.terminal = call->session->terminal;
	struct item_status_res res;
	enum item_status_result r = item_status_set(&ctx, call->params[0], &req, &res);
	if (r != ITEM_STATUS_OK)
		reply_refused(out, r);
	else if (!audit_status(call, &req, &res))
		reply_unavailable(out);
	else
		reply_json(out, 200, answer(&req, &res));
	item_status_res_clear(&res);
}
