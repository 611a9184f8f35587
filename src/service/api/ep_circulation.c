/*
 * POST /checkouts, POST /checkins, POST /renewals (DESIGN.md section 2), with
 * the rules of circulation.h. Roles balie and beheer (routes.c); every call
 * goes through the Idempotency-Key machinery.
 *
 * Details of the protocol decided here (also in balied(8)):
 * - Bodies: {"patron_card","item_barcode","override"?:{"blocks":[...],"reason"}}
 *   and {"item_barcode"}. A card or barcode is 1 to 32 printable ASCII
 *   characters; otherwise invalid_field with details {"field","reason"}, the
 *   reason "missing" or "invalid". override.blocks must name known blocks
 *   ("unknown" otherwise); override.reason must hold text, at most 500 bytes
 *   ("missing", "too_long").
 * - An override needs the permission "override" (staff.permissions in the
 *   session answer): without it 403 forbidden, details {"permission":"override"}.
 *   The override must name every block in force; it is written to the audit
 *   log (action "override", subject the card, the reason, details
 *   {"blocks","patron_card","item_barcode"}) with who, when, branch, terminal.
 * - patron_blocked (409): details {"blocks":[codes], "manual_block"?: the
 *   reason of a block by hand}, overridable true when the caller holds the
 *   permission.
 * - item_already_on_loan (409): details {"due_on","renewals","renewable"}: the
 *   desk offers POST /renewals.
 * - renewal_limit (409): details {"renewals","max_renewals"}.
 * - 201 of a checkout: {"loan":{"item_barcode","title","author","item_type",
 *   "due_on","renewals":0},"patron":{"card","loans_count","fines_cents"},
 *   "returned_first":bool, "returned_fine_cents"?, "overridden":[codes]}.
 *   returned_first is true when the item was on loan to another patron and
 *   was checked in first (its fine goes to that patron).
 * - 200 of a check-in: {"item":{"barcode","title","author","item_type"},
 *   "fine_cents","days_overdue","returned":bool,"route":{"action",
 *   "branch"?,"hold_for"?,"pickup_by"?}}. returned is false for an item in
 *   transit that arrived (no loan was open); an item neither on loan nor in
 *   transit is not_on_loan. hold_for is the patron's initials, never a name.
 * - 200 of a renewal: {"loan":{"item_barcode","title","author","item_type",
 *   "due_on","renewals","max_renewals"},"fine_cents","unchanged","overridden"}
 *   where fine_cents is charged for the days already overdue and unchanged
 *   is true when the due date would not move (nothing was used or counted).
 *   A renewal takes an override as a check-out does; the borrower's blocks
 *   but max_loans_reached refuse it with patron_blocked.
 * - A check-in answers "found" (a missing item made available, audited as
 *   action "item_found") and "already_checked_in" (in transit from here, or
 *   on the hold shelf: the route as it stands, nothing changed).
 * - A patron_card of 14 digits with a wrong Luhn digit: invalid_field
 *   "patron_card", "check_digit".
 * - A call replayed from a desk's offline queue may carry "occurred_at"
 *   (RFC 3339 UTC; "offline": true beside it is allowed and not needed): the
 *   rules apply as of that moment (due date, fines, card expiry). Not an
 *   instant: invalid_field "occurred_at", "not_an_instant"; more than five
 *   minutes ahead of the service's clock: "in_the_future" (as POST /ido/questions).
 * - Such a replay ("offline": true, or an occurred_at more than five minutes
 *   before the service's clock) needs the permission
 *   "offline" (offline.h): 403 forbidden, details {"permission":"offline"},
 *   answered before the Idempotency-Key machinery so that it is not stored.
 *   An applied replay adds an audit row, action "offline".
 * - Order by occurred_at: a replayed check-in, check-out or renewal whose
 *   occurred_at is before the start of the item's open loan (a loan made
 *   later, at another desk) does not touch that loan: 409 not_on_loan (check-
 *   in, renewal) or item_not_loanable (check-out), details
 *   {"reason":"loan_started_later","loan_started_at"}.
 */
#include "service/api/endpoints.h"

#include "service/domain/audit.h"
#include "service/domain/circulation.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "service/domain/offline.h"
#include "service/domain/permission.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { CODE_MAX = 32, REASON_MAX = 500 };

/* A card or barcode: what a scanner sends, printable ASCII. */
static bool code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > CODE_MAX)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

const char *ep_read_code(struct call *call, const char *field, struct reply *out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(call->json, field);
	const char *s = jsonx_string(call->json, field);
	if (!item) {
		reply_invalid_field(out, field, "missing");
		return NULL;
	}
	if (!s || !code_ok(s)) {
		reply_invalid_field(out, field, "invalid");
		return NULL;
	}
	return s;
}

static bool has_text(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return true;
	return false;
}

struct checkout_prep {
	struct circ_checkout_req req;
	struct offline_when when;
	const char *reason; /* in call->json */
	bool may_override;
};

static void checkout_prep_free(void *p)
{
	free(p);
}

bool ep_override_read(struct call *call, bool may_override, unsigned *mask_out,
		      const char **reason_out, struct reply *out)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(call->json, "override");
	if (!o || cJSON_IsNull(o))
		return true;
	if (!cJSON_IsObject(o)) {
		reply_invalid_field(out, "override", "invalid");
		return false;
	}
	if (!may_override) {
		cJSON *details = cJSON_CreateObject();
		cJSON_AddStringToObject(details, "permission", "override");
		reply_error(out, ERR_FORBIDDEN, "overriding a block needs the override permission",
			    details);
		return false;
	}
	const cJSON *blocks = jsonx_array(o, "blocks");
	const cJSON *b;
	unsigned mask = 0;
	cJSON_ArrayForEach(b, blocks) {
		unsigned bit = cJSON_IsString(b) ? circ_block_from_name(b->valuestring) : 0;
		if (!bit) {
			reply_invalid_field(out, "override.blocks", "unknown");
			return false;
		}
		mask |= bit;
	}
	if (!mask) {
		reply_invalid_field(out, "override.blocks", "missing");
		return false;
	}
	const char *reason = jsonx_string(o, "reason");
	if (!has_text(reason)) {
		reply_invalid_field(out, "override.reason", "missing");
		return false;
	}
	if (strlen(reason) > REASON_MAX) {
		reply_invalid_field(out, "override.reason", "too_long");
		return false;
	}
	*mask_out = mask;
	*reason_out = reason;
	return true;
}

/* The item_barcode of a check-in or renewal body; NULL after answering. */
static const char *item_barcode(struct call *call, struct reply *out)
{
	if (!call->json) {
		reply_invalid_field(out, "item_barcode", "missing");
		return NULL;
	}
	return ep_read_code(call, "item_barcode", out);
}

static bool prepare_rest(struct call *call, struct checkout_prep *prep, struct reply *out);

bool ep_checkouts_prepare(struct call *call, struct reply *out)
{
	struct checkout_prep *prep = xcalloc(1, sizeof *prep);
	call->prepared = prep;
	call->prepared_free = checkout_prep_free;
	if (!call->json) {
		reply_invalid_field(out, "patron_card", "missing");
		return false;
	}
	prep->req.card = ep_read_code(call, "patron_card", out);
	const char *problem = prep->req.card ? circ_card_problem(prep->req.card) : NULL;
	if (problem) {
		reply_invalid_field(out, "patron_card", problem);
		return false;
	}
	prep->req.barcode = prep->req.card ? ep_read_code(call, "item_barcode", out) : NULL;
	return prep->req.barcode && prepare_rest(call, prep, out);
}

/* What a check-out and a renewal prepare alike: the replay's permission and
 * moment, and the override. */
static bool prepare_rest(struct call *call, struct checkout_prep *prep, struct reply *out)
{
	if (!offline_permitted(call, out) || !offline_read_when(call, out, &prep->when))
		return false;
	prep->may_override = permission_of(call->store, call->session->staff_id) &
			     PERMISSION_OVERRIDE;
	return ep_override_read(call, prep->may_override, &prep->req.override_blocks, &prep->reason,
				out);
}

bool ep_renewals_prepare(struct call *call, struct reply *out)
{
	struct checkout_prep *prep = xcalloc(1, sizeof *prep);
	call->prepared = prep;
	call->prepared_free = checkout_prep_free;
	prep->req.barcode = item_barcode(call, out);
	return prep->req.barcode && prepare_rest(call, prep, out);
}

static cJSON *blocks_json(unsigned blocks)
{
	cJSON *arr = cJSON_CreateArray();
	for (unsigned bit = 1; bit <= CIRC_OVERRIDE_HOLD; bit <<= 1)
		if (blocks & bit)
			cJSON_AddItemToArray(arr, cJSON_CreateString(circ_block_name(bit)));
	return arr;
}

void ep_reply_blocked(struct reply *out, unsigned blocks, const char *manual_block,
		      bool overridable)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *err = cJSON_AddObjectToObject(root, "error");
	cJSON_AddStringToObject(err, "code", errcode_name(ERR_PATRON_BLOCKED));
	cJSON_AddStringToObject(err, "message", "the patron is blocked");
	cJSON *details = cJSON_AddObjectToObject(err, "details");
	cJSON_AddItemToObject(details, "blocks", blocks_json(blocks));
	if (manual_block)
		cJSON_AddStringToObject(details, "manual_block", manual_block);
	cJSON_AddBoolToObject(err, "overridable", overridable);
	reply_json(out, errcode_http_status(ERR_PATRON_BLOCKED), root);
}

/* A check-out of an item held for another patron: overridable with the
 * permission, by naming "item_on_hold_for_other" in override.blocks. */
static void reply_held(struct reply *out, bool overridable)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *err = cJSON_AddObjectToObject(root, "error");
	cJSON_AddStringToObject(err, "code", errcode_name(ERR_ITEM_ON_HOLD_FOR_OTHER));
	cJSON_AddStringToObject(err, "message", "the item is held for another patron");
	cJSON_AddBoolToObject(err, "overridable", overridable);
	reply_json(out, errcode_http_status(ERR_ITEM_ON_HOLD_FOR_OTHER), root);
}

/* The answer to a refusal common to the three calls. */
static void reply_refusal(struct reply *out, enum circ_status s)
{
	switch (s) {
	case CIRC_PATRON_NOT_FOUND:
		reply_error(out, ERR_PATRON_NOT_FOUND, "no patron with this card", NULL);
		break;
	case CIRC_ITEM_NOT_FOUND:
		reply_error(out, ERR_ITEM_NOT_FOUND, "no item with this barcode", NULL);
		break;
	case CIRC_ITEM_NOT_LOANABLE:
		reply_error(out, ERR_ITEM_NOT_LOANABLE, "this item cannot be lent", NULL);
		break;
	case CIRC_ITEM_ON_HOLD_FOR_OTHER:
		reply_error(out, ERR_ITEM_ON_HOLD_FOR_OTHER, "the item is held for another patron",
			    NULL);
		break;
	case CIRC_RENEWAL_BLOCKED_BY_HOLD:
		reply_error(out, ERR_RENEWAL_BLOCKED_BY_HOLD, "another patron waits for the item",
			    NULL);
		break;
	case CIRC_NOT_ON_LOAN:
		reply_error(out, ERR_NOT_ON_LOAN, "the item is not on loan", NULL);
		break;
	default:
		reply_unavailable(out);
		break;
	}
}

static cJSON *loan_json(const struct circ_item_rec *item, const char *due_on, unsigned renewals)
{
	cJSON *loan = cJSON_CreateObject();
	cJSON_AddStringToObject(loan, "item_barcode", item->barcode);
	cJSON_AddStringToObject(loan, "title", item->title);
	cJSON_AddStringToObject(loan, "author", item->author ? item->author : "");
	cJSON_AddStringToObject(loan, "item_type", item->type);
	cJSON_AddStringToObject(loan, "due_on", due_on);
	cJSON_AddNumberToObject(loan, "renewals", renewals);
	return loan;
}

bool ep_audit_override(struct call *call, const char *reason, unsigned overridden,
		       const char *card, const char *barcode)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddItemToObject(d, "blocks", blocks_json(overridden));
	cJSON_AddStringToObject(d, "patron_card", card);
	cJSON_AddStringToObject(d, "item_barcode", barcode);
	char *details = jsonx_print_dup(d);
	cJSON_Delete(d);
	bool ok = audit_add(call->store, call->session, call->now, "override", card,
			    reason, details);
	free(details);
	if (ok)
		log_info("override by \"%s\" at %s", call->session->username, call->session->branch);
	return ok;
}

static void reply_already(struct call *call, struct reply *out,
			  const struct circ_checkout_res *res)
{
	cJSON *details = cJSON_CreateObject();
	cJSON_AddStringToObject(details, "due_on", res->due_on);
	cJSON_AddNumberToObject(details, "renewals", res->renewals);
	cJSON_AddBoolToObject(details, "renewable",
			      res->renewals < call->svc->rules->max_renewals);
	reply_error(out, ERR_ITEM_ALREADY_ON_LOAN, "the patron already has this item", details);
}

/* A replay from before the item's open loan began: that loan is not
 * touched (order by occurred_at). */
static void reply_started_later(struct reply *out, enum errcode code, time_t loan_started_at)
{
	cJSON *details = cJSON_CreateObject();
	cJSON_AddStringToObject(details, "reason", "loan_started_later");
	char when[32];
	struct tm tm;
	gmtime_r(&loan_started_at, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddStringToObject(details, "loan_started_at", when);
	reply_error(out, code, "the item's open loan began after this happened", details);
}

/* The audit row of an applied offline replay, naming the item (and card). */
static bool audit_offline(struct call *call, const struct offline_when *w, const char *barcode,
			  const char *card)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "item_barcode", barcode);
	if (card)
		cJSON_AddStringToObject(d, "patron_card", card);
	return offline_audit(call, w, barcode, d);
}

void ep_checkouts_create(struct call *call, struct reply *out)
{
	const struct checkout_prep *prep = call->prepared;
	struct circ_ctx ctx;
	circ_ctx_init(&ctx, call->store, call->svc->rules, prep->when.at, call->session->branch,
		      call->session->staff_id);
	ctx.terminal = call->session->terminal;
	struct circ_checkout_res res;
	enum circ_status s = circ_checkout(&ctx, &prep->req, &res);
	if (s == CIRC_PATRON_BLOCKED) {
		ep_reply_blocked(out, res.blocks, res.patron.manual_block, prep->may_override);
	} else if (s == CIRC_ALREADY_ON_LOAN) {
		reply_already(call, out, &res);
	} else if (s == CIRC_LOAN_STARTED_LATER) {
		reply_started_later(out, ERR_ITEM_NOT_LOANABLE, res.loan_started_at);
	} else if (s == CIRC_ITEM_ON_HOLD_FOR_OTHER) {
		reply_held(out, prep->may_override);
	} else if (s != CIRC_OK) {
		reply_refusal(out, s);
	} else if ((res.overridden &&
		    !ep_audit_override(call, prep->reason, res.overridden, res.patron.card,
				       res.item.barcode)) ||
		   !audit_offline(call, &prep->when, res.item.barcode, res.patron.card)) {
		reply_unavailable(out);
	} else {
		cJSON *root = cJSON_CreateObject();
		cJSON_AddItemToObject(root, "loan", loan_json(&res.item, res.due_on, 0));
		cJSON *patron = cJSON_AddObjectToObject(root, "patron");
		cJSON_AddStringToObject(patron, "card", res.patron.card);
		cJSON_AddNumberToObject(patron, "loans_count", res.patron.loans);
		cJSON_AddNumberToObject(patron, "fines_cents", (double)res.patron.fines_cents);
		cJSON_AddBoolToObject(root, "returned_first", res.returned_first);
		if (res.returned_first)
			cJSON_AddNumberToObject(root, "returned_fine_cents",
						(double)res.returned_fine_cents);
		cJSON_AddItemToObject(root, "overridden", blocks_json(res.overridden));
		reply_json(out, 201, root);
	}
	circ_checkout_res_clear(&res);
}

cJSON *ep_route_json(const struct circ_checkin_res *res)
{
	cJSON *route = cJSON_CreateObject();
	cJSON_AddStringToObject(route, "action", circ_route_name(res->route));
	if (res->route != CIRC_ROUTE_SHELVE)
		cJSON_AddStringToObject(route, "branch", res->route_branch);
	if (res->route == CIRC_ROUTE_HOLD_SHELF) {
		cJSON_AddStringToObject(route, "hold_for", res->hold_for);
		cJSON_AddStringToObject(route, "pickup_by", res->pickup_by);
	}
	return route;
}

/* A missing item that turned up: who made it available again, and where. */
static bool audit_found(struct call *call, const struct circ_checkin_res *res)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "item_barcode", res->item.barcode);
	cJSON_AddStringToObject(d, "status", "missing");
	char *details = jsonx_print_dup(d);
	cJSON_Delete(d);
	bool ok = audit_add(call->store, call->session, call->now, "item_found",
			    res->item.barcode, NULL, details);
	free(details);
	return ok;
}

void ep_checkins_create(struct call *call, struct reply *out)
{
	const char *barcode = item_barcode(call, out);
	struct offline_when when;
	if (!barcode || !offline_read_when(call, out, &when))
		return;
	struct circ_ctx ctx;
	circ_ctx_init(&ctx, call->store, call->svc->rules, when.at, call->session->branch,
		      call->session->staff_id);
	ctx.terminal = call->session->terminal;
	struct circ_checkin_res res;
	enum circ_status s = circ_checkin(&ctx, barcode, &res);
	if (s == CIRC_LOAN_STARTED_LATER) {
		reply_started_later(out, ERR_NOT_ON_LOAN, res.loan_started_at);
	} else if (s != CIRC_OK) {
		reply_refusal(out, s);
	} else if (!audit_offline(call, &when, res.item.barcode, NULL) ||
		   (res.found && !audit_found(call, &res))) {
		reply_unavailable(out);
	} else {
		cJSON *root = cJSON_CreateObject();
		cJSON *item = cJSON_AddObjectToObject(root, "item");
		cJSON_AddStringToObject(item, "barcode", res.item.barcode);
		cJSON_AddStringToObject(item, "title", res.item.title);
		cJSON_AddStringToObject(item, "author", res.item.author ? res.item.author : "");
		cJSON_AddStringToObject(item, "item_type", res.item.type);
		cJSON_AddNumberToObject(root, "fine_cents", (double)res.fine_cents);
		cJSON_AddNumberToObject(root, "days_overdue", (double)res.days_overdue);
		cJSON_AddBoolToObject(root, "returned", res.was_on_loan);
		cJSON_AddBoolToObject(root, "found", res.found);
		cJSON_AddBoolToObject(root, "already_checked_in", res.again);
		cJSON_AddItemToObject(root, "route", ep_route_json(&res));
		reply_json(out, 200, root);
	}
	circ_checkin_res_clear(&res);
}

void ep_renewals_create(struct call *call, struct reply *out)
{
	const struct checkout_prep *prep = call->prepared;
	struct circ_ctx ctx;
	circ_ctx_init(&ctx, call->store, call->svc->rules, prep->when.at, call->session->branch,
		      call->session->staff_id);
	ctx.terminal = call->session->terminal;
	struct circ_renewal_res res;
	enum circ_status s = circ_renew(&ctx, prep->req.barcode, prep->req.override_blocks, &res);
	if (s == CIRC_PATRON_BLOCKED) {
		ep_reply_blocked(out, res.blocks, res.patron.manual_block, prep->may_override);
	} else if (s == CIRC_RENEWAL_LIMIT) {
		cJSON *details = cJSON_CreateObject();
		cJSON_AddNumberToObject(details, "renewals", res.renewals);
		cJSON_AddNumberToObject(details, "max_renewals", res.max_renewals);
		reply_error(out, ERR_RENEWAL_LIMIT, "the loan was renewed as often as allowed",
			    details);
	} else if (s == CIRC_LOAN_STARTED_LATER) {
		reply_started_later(out, ERR_NOT_ON_LOAN, res.loan_started_at);
	} else if (s != CIRC_OK) {
		reply_refusal(out, s);
	} else if ((res.overridden && !ep_audit_override(call, prep->reason, res.overridden,
						      res.patron.card, res.item.barcode)) ||
		   !audit_offline(call, &prep->when, res.item.barcode, NULL)) {
		reply_unavailable(out);
	} else {
		cJSON *root = cJSON_CreateObject();
		cJSON *loan = loan_json(&res.item, res.due_on, res.renewals);
		cJSON_AddNumberToObject(loan, "max_renewals", res.max_renewals);
		cJSON_AddItemToObject(root, "loan", loan);
		cJSON_AddNumberToObject(root, "fine_cents", (double)res.fine_cents);
		cJSON_AddBoolToObject(root, "unchanged", res.unchanged);
		cJSON_AddItemToObject(root, "overridden", blocks_json(res.overridden));
		reply_json(out, 200, root);
	}
	circ_renewal_res_clear(&res);
}
