/*
 * GET /holdshelf and POST /holdshelf/clearances (balied(8)): the hold shelf
 * of a branch as the desk's Afhaalkast screen works it, with the lists of
 * holdshelf.h. Roles balie and beheer (routes.c); the clearance goes
 * through the Idempotency-Key machinery and is audited.
 *
 * Details of the protocol decided here (also in balied(8)):
 * - GET /holdshelf?branch=: branch defaults to the session's; one that is
 *   no branch is invalid_field "branch" "unknown". 200 {"branch",
 *   "expired":[row],"waiting":[row],"to_phone":[row],"not_told":[row]},
 *   each sorted by initials, then the card's last four digits. A row:
 *   {"hold_id","item_barcode","title","status","pickup_by","initials",
 *   "card_last4"}; waiting rows have "told" (the notice was sent); to_phone
 *   and not_told rows "name", to_phone rows "phone" (may be "").
 *   "expired" holds what ended on the shelf in the last 30 days (expired,
 *   or cancelled while ready) and was not cleared yet.
 * - POST /holdshelf/clearances {"item_barcode"}: the desk took the copy
 *   off its branch's shelf. 200 {"item":{"barcode","title"},"route":{...}}
 *   with the route of a check-in (where it goes now). An unknown barcode is
 *   item_not_found; a copy not on the list is not_found; a field other than
 *   item_barcode is invalid_field "unknown".
 */
#include "service/api/endpoints.h"

#include "core/jsonx.h"
#include "service/domain/audit.h"
#include "service/domain/holdshelf.h"
#include "service/domain/staff.h"

#include <stdio.h>
#include <string.h>

/* How long an ended hold's copy stays on the list to pull. */
enum { HOLDSHELF_PULL_DAYS = 30 };

static const char *const list_names[HOLDSHELF_LISTS] = {
	[HOLDSHELF_EXPIRED] = "expired", [HOLDSHELF_WAITING] = "waiting",
	[HOLDSHELF_TO_PHONE] = "to_phone", [HOLDSHELF_NOT_TOLD] = "not_told",
};

static void add_row(void *ctx, const struct holdshelf_row *r)
{
	cJSON *root = ctx;
	cJSON *o = cJSON_CreateObject();
	char id[24];
	snprintf(id, sizeof id, "%lld", r->hold_id);
	cJSON_AddStringToObject(o, "hold_id", id);
	cJSON_AddStringToObject(o, "item_barcode", r->item_barcode);
	cJSON_AddStringToObject(o, "title", r->title);
	cJSON_AddStringToObject(o, "status", r->status);
	cJSON_AddStringToObject(o, "pickup_by", r->pickup_by);
	cJSON_AddStringToObject(o, "initials", r->initials);
	cJSON_AddStringToObject(o, "card_last4", r->card_last4);
	if (r->list == HOLDSHELF_WAITING)
		cJSON_AddBoolToObject(o, "told", r->told);
	if (r->name)
		cJSON_AddStringToObject(o, "name", r->name);
	if (r->list == HOLDSHELF_TO_PHONE)
		cJSON_AddStringToObject(o, "phone", r->phone ? r->phone : "");
	cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(root, list_names[r->list]), o);
}

void ep_holdshelf_show(struct call *call, struct reply *out)
{
	const char *branch = call->query(call->query_ctx, "branch");
	if (!branch || !*branch)
		branch = call->session->branch;
	else if (!staff_branch_exists(call->store, branch)) {
		reply_invalid_field(out, "branch", "unknown");
		return;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "branch", branch);
	for (int l = 0; l < HOLDSHELF_LISTS; l++)
		cJSON_AddArrayToObject(root, list_names[l]);
	time_t since = call->now - (time_t)HOLDSHELF_PULL_DAYS * 86400;
	if (!holdshelf_each(call->store, branch, since, add_row, root)) {
		cJSON_Delete(root);
		reply_unavailable(out);
		return;
	}
	reply_json(out, 200, root);
}

/* The body's only field; NULL after answering. */
static const char *clearance_barcode(struct call *call, struct reply *out)
{
	for (const cJSON *f = call->json ? call->json->child : NULL; f; f = f->next) {
		if (strcmp(f->string, "item_barcode") != 0) {
			reply_invalid_field(out, f->string, "unknown");
			return NULL;
		}
	}
	if (!call->json) {
		reply_invalid_field(out, "item_barcode", "missing");
		return NULL;
	}
	return ep_read_code(call, "item_barcode", out);
}

void ep_holdshelf_clear(struct call *call, struct reply *out)
{
	const char *barcode = clearance_barcode(call, out);
	if (!barcode)
		return;
	struct circ_ctx ctx;
	circ_ctx_init(&ctx, call->store, call->svc->rules, call->now, call->session->branch,
		      call->session->staff_id);
	struct circ_checkin_res res;
	enum holdshelf_status s = holdshelf_clear(&ctx, barcode, &res);
	if (s == HOLDSHELF_ITEM_NOT_FOUND) {
		reply_error(out, ERR_ITEM_NOT_FOUND, "no item with this barcode", NULL);
	} else if (s == HOLDSHELF_NOT_LISTED) {
		reply_error(out, ERR_NOT_FOUND, "the item is not on this branch's list to clear",
			    NULL);
	} else if (s != HOLDSHELF_OK ||
		   !audit_add(call->store, call->session, call->now, "hold_shelf_cleared",
			      res.item.barcode, NULL, NULL)) {
		reply_unavailable(out);
	} else {
		cJSON *root = cJSON_CreateObject();
		cJSON *item = cJSON_AddObjectToObject(root, "item");
		cJSON_AddStringToObject(item, "barcode", res.item.barcode);
		cJSON_AddStringToObject(item, "title", res.item.title);
		cJSON_AddItemToObject(root, "route", ep_route_json(&res));
		reply_json(out, 200, root);
	}
	circ_checkin_res_clear(&res);
}
