/*
 * Changing a patron (domain/patron_edit.h, domain/erasure.h): roles balie
 * and beheer, erasure beheer only (routes.c); every call below but the
 * history goes through the Idempotency-Key machinery.
 *
 * Details of the protocol decided here (also in balied(8)):
 * - PATCH /patrons/{card} {any of "given_name","family_name","postcode",
 *   "house_number","house_number_suffix","email","phone";
 *   "override"?:{"blocks":["duplicate_member"],"reason"}}: checked as at
 *   enrolment (invalid_field {"field","reason"}; a member that is no field
 *   is reason "unknown"; null or "" clears suffix, e-mail and phone).
 *   duplicate_member (409) as at enrolment, overridable with the permission
 *   override. 200 {"patron":{"card","fields":[changed]}}.
 * - PUT /patrons/{card}/note {"note"} and PUT /patrons/{card}/message
 *   {"message"}: at most 280 characters, refused with personal_data_in_note
 *   by the IDO note's guard when it finds a BSN, an e-mail address, a phone
 *   number or an IBAN (a postcode or a date is allowed); null or "" clears. 200 {"card","note"|"message"}.
 * - POST /patrons/{card}/block {"reason"} sets a block by hand (a new
 *   reason replaces the old), DELETE /patrons/{card}/block {"reason"} lifts
 *   it; both need the permission block (403 forbidden, details
 *   {"permission":"block"}); reason 1-200 bytes. 200 {"card","manual_block"
 *   (the reason, or null)}.
 * - PUT /patrons/{card}/reading-history {"keep":bool} -> 200 {"card",
 *   "keep_history","erased"}: turning it off erases the loans kept.
 * - GET /patrons/{card}/history -> {"loans":[{"item_barcode","title",
 *   "author","loaned_at","returned_at"}],"keep_history"}: the last 200.
 * - DELETE /patrons/{card} -> 200 {"card","erased":true}; patron_has_loans
 *   (details {"loans"}) or patron_has_balance (details {"balance_cents"}).
 */
#include "service/api/endpoints.h"

#include "core/jsonx.h"
#include "core/log.h"
#include "core/sanitize.h"
#include "core/xalloc.h"
#include "service/domain/erasure.h"
#include "service/domain/patron_edit.h"
#include "service/domain/permission.h"
#include "service/timefmt.h"

#include <stdlib.h>
#include <string.h>

enum { HISTORY_SHOWN = 200 };

/* The card of the path, or NULL after answering (a check digit that does
 * not match is invalid_field). */
static const char *path_card(struct call *call, struct reply *out)
{
	const char *problem = circ_card_problem(call->params[0]);
	if (problem) {
		reply_invalid_field(out, "card", problem);
		return NULL;
	}
	return call->params[0];
}

/* Answers a change that did not happen. */
static void reply_not_changed(struct reply *out, enum patron_change_status s)
{
	if (s == PATRON_CHANGE_NOT_FOUND)
		reply_error(out, ERR_PATRON_NOT_FOUND, "no patron with this card", NULL);
	else
		reply_unavailable(out);
}

/* Members of the body other than the names given are invalid_field
 * "unknown": a typing error in a field name must not pass unnoticed. */
static bool only_members(struct call *call, const char *const *names, struct reply *out)
{
	const cJSON *item;
	cJSON_ArrayForEach(item, call->json) {
		bool known = false;
		for (size_t i = 0; names[i] && !known; i++)
			known = strcmp(names[i], item->string) == 0;
		if (!known) {
			reply_invalid_field(out, item->string, "unknown");
			return false;
		}
	}
	return true;
}

static bool has_permission(struct call *call, unsigned permission, const char *name,
			   struct reply *out)
{
	if ((permission_of(call->store, call->session->staff_id) & permission) != 0)
		return true;
	cJSON *details = cJSON_CreateObject();
	cJSON_AddStringToObject(details, "permission", name);
	reply_error(out, ERR_FORBIDDEN, "this needs a permission the account does not have",
		    details);
	return false;
}

static void edit_free(void *p)
{
	patron_edit_clear(p);
	free(p);
}

bool ep_patron_edit_prepare(struct call *call, struct reply *out)
{
	struct patron_edit *e = xcalloc(1, sizeof *e);
	call->prepared = e;
	call->prepared_free = edit_free;
	const char *field = NULL, *reason = NULL;
	if (!path_card(call, out))
		return false;
	if (!call->json) {
		reply_invalid_field(out, "fields", "missing");
		return false;
	}
	if (!patron_edit_read(call->json, e, &field, &reason)) {
		reply_invalid_field(out, field, reason);
		return false;
	}
	return !e->override_duplicate ||
	       has_permission(call, PERMISSION_OVERRIDE, "override", out);
}

void ep_patron_edit(struct call *call, struct reply *out)
{
	const struct patron_edit *e = call->prepared;
	const char *card = call->params[0];
	char **duplicates;
	enum patron_change_status s =
		patron_edit_apply(call->store, card, e, call->session, call->now, &duplicates);
	if (s == PATRON_CHANGE_DUPLICATE) {
		bool may = (permission_of(call->store, call->session->staff_id) &
			    PERMISSION_OVERRIDE) != 0;
		ep_reply_duplicate(out, duplicates, may);
	} else if (s != PATRON_CHANGED) {
		reply_not_changed(out, s);
	} else {
		log_info("patron changed by \"%s\"", call->session->username);
		cJSON *root = cJSON_CreateObject();
		cJSON *patron = cJSON_AddObjectToObject(root, "patron");
		cJSON_AddStringToObject(patron, "card", card);
		cJSON *list = cJSON_AddArrayToObject(patron, "fields");
		for (unsigned i = 0; i < PATRON_FIELDS; i++)
			if (e->given[i])
				cJSON_AddItemToArray(list, cJSON_CreateString(
					patron_field_name((enum patron_field)i)));
		reply_json(out, 200, root);
	}
	patron_cards_free(duplicates);
}

/* PUT of the staff note or the message: member is its body member. */
static void set_text(struct call *call, struct reply *out, enum patron_text which,
		     const char *member)
{
	const char *names[] = { member, NULL };
	const char *card = path_card(call, out), *text;
	if (!card || !only_members(call, names, out) ||
	    !ep_note_read(call, member, PATRON_NOTE_MAX, EP_NOTE_PATRON_REFUSED, &text, out))
		return;
	enum patron_change_status s =
		patron_text_set(call->store, card, which, text, call->session, call->now);
	if (s != PATRON_CHANGED) {
		reply_not_changed(out, s);
		return;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "card", card);
	if (text)
		cJSON_AddStringToObject(root, member, text);
	else
		cJSON_AddNullToObject(root, member);
	reply_json(out, 200, root);
}

void ep_patron_note(struct call *call, struct reply *out)
{
	set_text(call, out, PATRON_STAFF_NOTE, "note");
}

void ep_patron_message(struct call *call, struct reply *out)
{
	set_text(call, out, PATRON_MESSAGE, "message");
}

/* The reason of a block or of lifting it: 1-200 bytes of clean text. */
static const char *block_reason(struct call *call, struct reply *out)
{
	static const char *const names[] = { "reason", NULL };
	if (!only_members(call, names, out))
		return NULL;
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(call->json, "reason");
	const char *reason = jsonx_string(call->json, "reason");
	const char *problem = !item ? "missing" : !reason ? "not_text"
		: !*reason ? "missing" : strlen(reason) > PATRON_BLOCK_REASON_MAX ? "too_long"
		: !sanitize_is_clean(reason) ? "control_characters" : NULL;
	if (problem) {
		reply_invalid_field(out, "reason", problem);
		return NULL;
	}
	return reason;
}

static void set_block(struct call *call, struct reply *out, bool block)
{
	const char *card = path_card(call, out), *reason;
	if (!card || !has_permission(call, PERMISSION_BLOCK, "block", out) ||
	    !(reason = block_reason(call, out)))
		return;
	enum patron_change_status s =
		patron_block_set(call->store, card, block, reason, call->session, call->now);
	if (s != PATRON_CHANGED) {
		reply_not_changed(out, s);
		return;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "card", card);
	if (block)
		cJSON_AddStringToObject(root, "manual_block", reason);
	else
		cJSON_AddNullToObject(root, "manual_block");
	reply_json(out, 200, root);
}

void ep_patron_block(struct call *call, struct reply *out)
{
	set_block(call, out, true);
}

void ep_patron_unblock(struct call *call, struct reply *out)
{
	set_block(call, out, false);
}

void ep_patron_reading_history(struct call *call, struct reply *out)
{
	static const char *const names[] = { "keep", NULL };
	const char *card = path_card(call, out);
	bool keep;
	if (!card || !only_members(call, names, out))
		return;
	if (!jsonx_bool(call->json, "keep", &keep)) {
		reply_invalid_field(out, "keep",
				    cJSON_GetObjectItemCaseSensitive(call->json, "keep") ? "not_boolean"
											 : "missing");
		return;
	}
	unsigned erased;
	enum patron_change_status s =
		patron_history_set(call->store, card, keep, call->session, call->now, &erased);
	if (s != PATRON_CHANGED) {
		reply_not_changed(out, s);
		return;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "card", card);
	cJSON_AddBoolToObject(root, "keep_history", keep);
	cJSON_AddNumberToObject(root, "erased", erased);
	reply_json(out, 200, root);
}

static void add_past_loan(void *ctx, const struct patron_past_loan *l)
{
	cJSON *loan = cJSON_CreateObject();
	char at[TIMEFMT_INSTANT_LEN];
	cJSON_AddStringToObject(loan, "item_barcode", l->item_barcode);
	cJSON_AddStringToObject(loan, "title", l->title);
	cJSON_AddStringToObject(loan, "author", l->author);
	timefmt_instant(l->loaned_at, at);
	cJSON_AddStringToObject(loan, "loaned_at", at);
	timefmt_instant(l->returned_at, at);
	cJSON_AddStringToObject(loan, "returned_at", at);
	cJSON_AddItemToArray(ctx, loan);
}

void ep_patron_history(struct call *call, struct reply *out)
{
	const char *card = path_card(call, out);
	if (!card)
		return;
	struct circ_patron_rec p;
	enum circ_status s = circ_patron_find(call->store, card, &p);
	if (s != CIRC_OK) {
		reply_not_changed(out, s == CIRC_PATRON_NOT_FOUND ? PATRON_CHANGE_NOT_FOUND
								  : PATRON_CHANGE_FAILED);
		return;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON_AddBoolToObject(root, "keep_history", p.keep_history);
	cJSON *loans = cJSON_AddArrayToObject(root, "loans");
	if (patron_each_past_loan(call->store, p.id, HISTORY_SHOWN, add_past_loan, loans)) {
		reply_json(out, 200, root);
	} else {
		cJSON_Delete(root);
		reply_unavailable(out);
	}
	circ_patron_clear(&p);
}

void ep_patron_erase(struct call *call, struct reply *out)
{
	static const char *const names[] = { NULL };
	const char *card = path_card(call, out);
	if (!card || (call->json && !only_members(call, names, out)))
		return;
	struct circ_ctx ctx;
	circ_ctx_init(&ctx, call->store, call->svc->rules, call->now, call->session->branch,
		      call->session->staff_id);
	ctx.terminal = call->session->terminal;
	unsigned loans;
	long long balance;
	enum erasure_status s =
		erasure_erase(&ctx, card, ERASURE_ON_REQUEST, call->session, &loans, &balance);
	cJSON *details = NULL;
	switch (s) {
	case ERASURE_DONE: {
		log_info("patron erased by \"%s\"", call->session->username);
		cJSON *root = cJSON_CreateObject();
		cJSON_AddStringToObject(root, "card", card);
		cJSON_AddBoolToObject(root, "erased", true);
		reply_json(out, 200, root);
		break;
	}
	case ERASURE_NOT_FOUND:
		reply_error(out, ERR_PATRON_NOT_FOUND, "no patron with this card", NULL);
		break;
	case ERASURE_HAS_LOANS:
		details = cJSON_CreateObject();
		cJSON_AddNumberToObject(details, "loans", loans);
		reply_error(out, ERR_PATRON_HAS_LOANS, "the patron has items on loan", details);
		break;
	case ERASURE_HAS_BALANCE:
		details = cJSON_CreateObject();
		cJSON_AddNumberToObject(details, "balance_cents", (double)balance);
		reply_error(out, ERR_PATRON_HAS_BALANCE, "the patron has an open balance", details);
		break;
	case ERASURE_FAILED:
		reply_unavailable(out);
		break;
	}
}
