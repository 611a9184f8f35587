/*
 * PATCH /loans/{barcode} and the "due_on" of POST /checkouts (balied(8)):
 * a due date set by hand. Roles balie and beheer (routes.c), with an
 * Idempotency-Key; the permission due_date.
 *
 * Details of the protocol decided here (also in balied(8)):
 * - "due_on" is a date YYYY-MM-DD from today to a year ahead: otherwise
 *   invalid_field "due_on" with "invalid", "in_the_past" or "too_far".
 *   Without the permission due_date: 403 forbidden, details
 *   {"permission":"due_date"}.
 * - PATCH body {"due_on","reason"?}; another field is invalid_field (its
 *   name, "unknown"); reason at most 500 bytes ("too_long"). 200
 *   {"loan":{"item_barcode","title","due_on","was"}}; 404 item_not_found;
 *   409 not_on_loan.
 * - The audit row: action "due_date", subject the barcode, the reason,
 *   details {"item_barcode","patron_card","due_on","was"?}.
 */
#include "service/api/endpoints.h"

#include "service/domain/audit.h"
#include "service/domain/loan_due.h"
#include "service/domain/permission.h"
#include "core/date.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { LOAN_REASON_MAX = 500 };

bool ep_due_on_read(struct call *call, time_t at, const char **due_on, struct reply *out)
{
	*due_on = NULL;
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(call->json, "due_on");
	if (!m)
		return true;
	char today[DATE_STR_LEN];
	date_format_iso(date_of_time(at), today);
	const char *problem = loan_due_problem(cJSON_IsString(m) ? m->valuestring : NULL, today);
	if (problem) {
		reply_invalid_field(out, "due_on", problem);
		return false;
	}
	if (!(permission_of(call->store, call->session->staff_id) & PERMISSION_DUE_DATE)) {
		cJSON *details = cJSON_CreateObject();
		cJSON_AddStringToObject(details, "permission", "due_date");
		reply_error(out, ERR_FORBIDDEN, "setting a due date needs the due_date permission",
			    details);
		return false;
	}
	*due_on = m->valuestring;
	return true;
}

bool ep_audit_due_date(struct call *call, const char *barcode, const char *card,
		       const char *due_on, const char *was, const char *reason)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "item_barcode", barcode);
	cJSON_AddStringToObject(d, "patron_card", card);
	cJSON_AddStringToObject(d, "due_on", due_on);
	if (was)
		cJSON_AddStringToObject(d, "was", was);
	char *details = jsonx_print_dup(d);
	cJSON_Delete(d);
	bool ok = audit_add(call->store, call->session, call->now, "due_date", barcode, reason,
			    details);
	free(details);
	return ok;
}

static bool read_patch(struct call *call, const char **due_on, const char **reason,
		       struct reply *out)
{
	static const char *const fields[] = { "due_on", "reason", NULL };
	if (!call->json || !cJSON_GetObjectItemCaseSensitive(call->json, "due_on")) {
		reply_invalid_field(out, "due_on", "missing");
		return false;
	}
	if (!ep_fields_known(call, fields, out) || !ep_due_on_read(call, call->now, due_on, out))
		return false;
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(call->json, "reason");
	*reason = r ? jsonx_string(call->json, "reason") : NULL;
	if (r && (!*reason || strlen(*reason) > LOAN_REASON_MAX)) {
		reply_invalid_field(out, "reason", *reason ? "too_long" : "invalid");
		return false;
	}
	return true;
}

void ep_loan_patch(struct call *call, struct reply *out)
{
	const char *due_on, *reason;
	if (!ep_code_ok(call->params[0])) {
		reply_invalid_field(out, "barcode", "invalid");
		return;
	}
	if (!read_patch(call, &due_on, &reason, out))
		return;
	struct circ_ctx ctx;
	circ_ctx_init(&ctx, call->store, call->svc->rules, call->now, call->session->branch,
		      call->session->staff_id);
	struct loan_due_res res;
	enum circ_status s = loan_due_set(&ctx, call->params[0], due_on, &res);
	if (s == CIRC_ITEM_NOT_FOUND) {
		reply_error(out, ERR_ITEM_NOT_FOUND, "no item with this barcode", NULL);
	} else if (s == CIRC_NOT_ON_LOAN) {
		reply_error(out, ERR_NOT_ON_LOAN, "the item is not on loan", NULL);
	} else if (s != CIRC_OK ||
		   !ep_audit_due_date(call, res.item.barcode, res.card, due_on, res.was, reason)) {
		reply_unavailable(out);
	} else {
		cJSON *root = cJSON_CreateObject();
		cJSON *loan = cJSON_AddObjectToObject(root, "loan");
		cJSON_AddStringToObject(loan, "item_barcode", res.item.barcode);
		cJSON_AddStringToObject(loan, "title", res.item.title);
		cJSON_AddStringToObject(loan, "due_on", due_on);
		cJSON_AddStringToObject(loan, "was", res.was);
		reply_json(out, 200, root);
	}
	loan_due_res_clear(&res);
}
