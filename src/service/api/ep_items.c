/*
 * GET /items/{barcode} and POST /inhouse (balied(8)): the item look-up of
 * the desk and in-house use. Roles balie and beheer (routes.c).
 *
 * Details of the protocol decided here (also in balied(8)):
 * - The look-up: {"barcode","title","author","item_type","status",
 *   "status_reason"?,"home_branch","current_branch","due_on"?,
 *   "borrower"?:{"card","name"},"holds_waiting","last_checkin_on"?,"note"?,
 *   "note_alert"}. status is what the desk set (lost, damaged, missing,
 *   claimed_returned, withdrawn) or the item's state (available, on_loan,
 *   in_transit, hold_shelf, missing, not_loanable); due_on is there while the
 *   item is on loan, and borrower too for the desk's role (balie) only;
 *   holds_waiting counts the holds still waiting on the title or its copies;
 *   last_checkin_on is the day of its last check-in. A barcode that is no
 *   barcode (1 to 32 printable ASCII characters) is invalid_field "barcode".
 * - In-house use: {"item_barcode"} -> 201 {"item":{"barcode","title",
 *   "item_type"},"counted":true}: one "in_house" count in the anonymous
 *   loan statistics, no loan, nobody's name.
 * - PUT /items/{barcode}/note (beheer only): {"note": text of at most 500
 *   bytes, or null or "" to remove it, "alert"?: bool} -> 200 {"barcode",
 *   "note"?,"note_alert"}. A note with its alert flag is the item's alert:
 *   check-ins and check-outs of the item answer it as "alert" (the desk
 *   shows it, in colour and with the bell, until acknowledged).
 * - item_not_found of a check-out or check-in whose barcode is a patron's
 *   card (one the service knows, or 14 digits with the card prefix and a
 *   valid Luhn digit) has details {"patron_card":true}: the desk offers to
 *   switch to that patron.
 */
#include "service/api/endpoints.h"

#include "service/domain/item.h"
#include "service/domain/staff.h"
#include "core/date.h"

#include <stdlib.h>
#include <string.h>

static void reply_item_refusal(struct reply *out, enum circ_status s)
{
	if (s == CIRC_ITEM_NOT_FOUND)
		reply_error(out, ERR_ITEM_NOT_FOUND, "no item with this barcode", NULL);
	else
		reply_unavailable(out);
}

static void add_optional(cJSON *obj, const char *name, const char *value)
{
	if (value && value[0])
		cJSON_AddStringToObject(obj, name, value);
}

static cJSON *view_json(const struct item_view *v, bool with_borrower)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "barcode", v->item.barcode);
	cJSON_AddStringToObject(root, "title", v->item.title);
	cJSON_AddStringToObject(root, "author", v->item.author ? v->item.author : "");
	cJSON_AddStringToObject(root, "item_type", v->item.type);
	cJSON_AddStringToObject(root, "status", v->status);
	add_optional(root, "status_reason", v->status_reason);
	cJSON_AddStringToObject(root, "home_branch", v->item.home_branch);
	cJSON_AddStringToObject(root, "current_branch", v->item.current_branch);
	add_optional(root, "due_on", v->due_on);
	if (with_borrower && v->borrower_card) {
		cJSON *b = cJSON_AddObjectToObject(root, "borrower");
		cJSON_AddStringToObject(b, "card", v->borrower_card);
		cJSON_AddStringToObject(b, "name", v->borrower_name ? v->borrower_name : "");
	}
	cJSON_AddNumberToObject(root, "holds_waiting", v->holds_waiting);
	if (v->last_checkin_at) {
		char day[DATE_STR_LEN];
		date_format_iso(date_of_time(v->last_checkin_at), day);
		cJSON_AddStringToObject(root, "last_checkin_on", day);
	}
	add_optional(root, "note", v->note);
	cJSON_AddBoolToObject(root, "note_alert", v->note_alert);
	return root;
}

bool ep_fields_known(struct call *call, const char *const *names, struct reply *out)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, call->json) {
		bool known = false;
		for (size_t i = 0; names[i] && !known; i++)
			known = m->string && strcmp(m->string, names[i]) == 0;
		if (!known) {
			reply_invalid_field(out, m->string ? m->string : "", "unknown");
			return false;
		}
	}
	return true;
}

void ep_reply_item_not_found(struct call *call, const char *code, struct reply *out)
{
	cJSON *details = NULL;
	if (item_code_is_card(call->store, call->svc->rules, code)) {
		details = cJSON_CreateObject();
		cJSON_AddBoolToObject(details, "patron_card", true);
	}
	reply_error(out, ERR_ITEM_NOT_FOUND, "no item with this barcode", details);
}

void ep_item_show(struct call *call, struct reply *out)
{
	const char *barcode = call->params[0];
	if (!ep_code_ok(barcode)) {
		reply_invalid_field(out, "barcode", "invalid");
		return;
	}
	struct item_view v;
	enum circ_status s = item_view_find(call->store, barcode, &v);
	if (s != CIRC_OK)
		reply_item_refusal(out, s);
	else
		reply_json(out, 200, view_json(&v, (call->session->roles & ROLE_BALIE) != 0));
	item_view_clear(&v);
}

void ep_alert_add(struct call *call, long long item_id, cJSON *obj)
{
	char *alert = item_alert_dup(call->store, item_id);
	if (alert)
		cJSON_AddStringToObject(obj, "alert", alert);
	free(alert);
}

void ep_item_note_set(struct call *call, struct reply *out)
{
	static const char *const fields[] = { "note", "alert", NULL };
	if (!ep_code_ok(call->params[0])) {
		reply_invalid_field(out, "barcode", "invalid");
		return;
	}
	if (!call->json) {
		reply_invalid_field(out, "note", "missing");
		return;
	}
	if (!ep_fields_known(call, fields, out))
		return;
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(call->json, "note");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(call->json, "alert");
	if (!n || !(cJSON_IsString(n) || cJSON_IsNull(n)) ||
	    (cJSON_IsString(n) && strlen(n->valuestring) > ITEM_NOTE_MAX)) {
		reply_invalid_field(out, "note", !n ? "missing" : cJSON_IsString(n) ? "too_long"
										     : "invalid");
		return;
	}
	if (a && !cJSON_IsBool(a)) {
		reply_invalid_field(out, "alert", "invalid");
		return;
	}
	const char *note = cJSON_IsString(n) ? n->valuestring : NULL;
	enum circ_status s = item_note_set(call->store, call->params[0], note, cJSON_IsTrue(a));
	if (s != CIRC_OK) {
		reply_item_refusal(out, s);
		return;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "barcode", call->params[0]);
	if (note && note[0])
		cJSON_AddStringToObject(root, "note", note);
	cJSON_AddBoolToObject(root, "note_alert", note && note[0] && cJSON_IsTrue(a));
	reply_json(out, 200, root);
}

void ep_in_house_create(struct call *call, struct reply *out)
{
	static const char *const fields[] = { "item_barcode", NULL };
	if (!call->json) {
		reply_invalid_field(out, "item_barcode", "missing");
		return;
	}
	const char *barcode = ep_fields_known(call, fields, out)
				      ? ep_read_code(call, "item_barcode", out)
				      : NULL;
	if (!barcode)
		return;
	struct circ_ctx ctx;
	circ_ctx_init(&ctx, call->store, call->svc->rules, call->now, call->session->branch,
		      call->session->staff_id);
	struct circ_item_rec item;
	enum circ_status s = item_in_house(&ctx, barcode, &item);
	if (s != CIRC_OK) {
		reply_item_refusal(out, s);
	} else {
		cJSON *root = cJSON_CreateObject();
		cJSON *i = cJSON_AddObjectToObject(root, "item");
		cJSON_AddStringToObject(i, "barcode", item.barcode);
		cJSON_AddStringToObject(i, "title", item.title);
		cJSON_AddStringToObject(i, "item_type", item.type);
		cJSON_AddBoolToObject(root, "counted", true);
		reply_json(out, 201, root);
	}
	circ_item_clear(&item);
}
