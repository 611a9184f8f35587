/*
 * POST /holds, DELETE /holds/{id} and GET /titles?q= (balied(8)), with the
 * rules of holds.h and the search of title.h. Roles balie and beheer
 * (routes.c); the two mutating calls go through the Idempotency-Key
 * machinery. Holds need the service: there is no offline replay of them.
 *
 * Details of the protocol decided here (also in balied(8)):
 * - POST /holds {"patron_card","title_id" or "item_barcode","pickup_branch",
 *   "override"?:{"blocks","reason"}}: title_id is a string of digits; both or
 *   neither of title_id and item_barcode is invalid_field "title_id"
 *   ("conflict", "missing"); a pickup branch that is no branch code is
 *   invalid_field "pickup_branch" "invalid", one that does not exist
 *   "unknown". 201 {"hold":{...}} as below. Refusals: patron_not_found,
 *   title_not_found, item_not_found, patron_blocked (overridable as at
 *   check-out, audited), item_already_on_loan (the patron has the item or a
 *   copy of the title), duplicate_hold, hold_limit (details {"limit"}).
 * - A hold: {"id","title_id","title","author","item_barcode"?,
 *   "pickup_branch","status","place","pickup_by"?,"fee_cents"}.
 * - DELETE /holds/{id} {"patron_card","reason"}: reason patron_request,
 *   staff or other (invalid_field "reason" "missing"/"unknown"); a hold that
 *   is not an open hold of this patron is not_found. 200 {"hold":{...} as it
 *   was, "route"?:{...}}: route, as a check-in's, when a copy on the hold
 *   shelf went on to the next hold or back.
 * - GET /titles?q=: words or an ISBN, at most 200 bytes (invalid_field "q"
 *   "missing", "too_long", "no_words"). 200 {"titles":[{"id","title",
 *   "author","year"?,"isbn"?,"ppn"?,"copies","on_shelf","branches":[{"branch",
 *   "copies","on_shelf"}]}],"truncated"}: at most 50.
 */
#include "service/api/endpoints.h"

#include "core/jsonx.h"
#include "core/xalloc.h"
#include "service/domain/branch.h"
#include "service/domain/holds.h"
#include "service/domain/permission.h"
#include "service/domain/title.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HOLDS_SEARCH_MAX = 50, HOLDS_ID_DIGITS = 18 };

struct hold_prep {
	struct holds_place_req req;
	const char *reason; /* of the override, in call->json */
	bool may_override;
};

static void hold_prep_free(void *p)
{
	free(p);
}

/* A decimal id of at most 18 digits into *id; false otherwise. */
static bool id_parse(const char *s, long long *id)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > HOLDS_ID_DIGITS || strspn(s, "0123456789") != n)
		return false;
	*id = strtoll(s, NULL, 10);
	return *id > 0;
}

/* title_id or item_barcode into prep; false after answering. */
static bool read_target(struct call *call, struct hold_prep *prep, struct reply *out)
{
	const cJSON *title = cJSON_GetObjectItemCaseSensitive(call->json, "title_id");
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(call->json, "item_barcode");
	if (title && item) {
		reply_invalid_field(out, "title_id", "conflict");
		return false;
	}
	if (item)
		return (prep->req.item_barcode = ep_read_code(call, "item_barcode", out)) != NULL;
	if (!title) {
		reply_invalid_field(out, "title_id", "missing");
		return false;
	}
	if (!id_parse(jsonx_string(call->json, "title_id"), &prep->req.title_id)) {
		reply_invalid_field(out, "title_id", "invalid");
		return false;
	}
	return true;
}

static bool read_pickup(struct call *call, struct hold_prep *prep, struct reply *out)
{
	const char *code = jsonx_string(call->json, "pickup_branch");
	if (!cJSON_GetObjectItemCaseSensitive(call->json, "pickup_branch")) {
		reply_invalid_field(out, "pickup_branch", "missing");
		return false;
	}
	if (!code || !branch_code_ok(code)) {
		reply_invalid_field(out, "pickup_branch", "invalid");
		return false;
	}
	prep->req.pickup_branch = code;
	return true;
}

/* The card of a hold call's body, checked; NULL after answering. */
static const char *read_card(struct call *call, struct reply *out)
{
	if (!call->json) {
		reply_invalid_field(out, "patron_card", "missing");
		return NULL;
	}
	const char *card = ep_read_code(call, "patron_card", out);
	const char *problem = card ? circ_card_problem(card) : NULL;
	if (problem)
		reply_invalid_field(out, "patron_card", problem);
	return problem ? NULL : card;
}

bool ep_holds_prepare(struct call *call, struct reply *out)
{
	struct hold_prep *prep = xcalloc(1, sizeof *prep);
	call->prepared = prep;
	call->prepared_free = hold_prep_free;
	if (!(prep->req.card = read_card(call, out)) || !read_target(call, prep, out) ||
	    !read_pickup(call, prep, out))
		return false;
	prep->may_override = permission_of(call->store, call->session->staff_id) &
			     PERMISSION_OVERRIDE;
	return ep_override_read(call, prep->may_override, &prep->req.override_blocks,
				&prep->reason, out);
}

cJSON *ep_hold_json(const struct holds_hold *h)
{
	cJSON *o = cJSON_CreateObject();
	char id[24];
	snprintf(id, sizeof id, "%lld", h->id);
	cJSON_AddStringToObject(o, "id", id);
	snprintf(id, sizeof id, "%lld", h->title_id);
	cJSON_AddStringToObject(o, "title_id", id);
	cJSON_AddStringToObject(o, "title", h->title);
	cJSON_AddStringToObject(o, "author", h->author);
	if (h->item_barcode[0])
		cJSON_AddStringToObject(o, "item_barcode", h->item_barcode);
	cJSON_AddStringToObject(o, "pickup_branch", h->pickup_branch);
	cJSON_AddStringToObject(o, "status", h->status);
	cJSON_AddNumberToObject(o, "place", h->place);
	if (h->pickup_by[0])
		cJSON_AddStringToObject(o, "pickup_by", h->pickup_by);
	cJSON_AddNumberToObject(o, "fee_cents", (double)h->fee_cents);
	return o;
}

static void reply_hold_refusal(struct reply *out, enum holds_status s,
			       const struct holds_place_res *res)
{
	cJSON *details;
	switch (s) {
	case HOLDS_PATRON_NOT_FOUND:
		reply_error(out, ERR_PATRON_NOT_FOUND, "no patron with this card", NULL);
		break;
	case HOLDS_TITLE_NOT_FOUND:
		reply_error(out, ERR_TITLE_NOT_FOUND, "no title with this id", NULL);
		break;
	case HOLDS_ITEM_NOT_FOUND:
		reply_error(out, ERR_ITEM_NOT_FOUND, "no item with this barcode", NULL);
		break;
	case HOLDS_BRANCH_NOT_FOUND:
		reply_invalid_field(out, "pickup_branch", "unknown");
		break;
	case HOLDS_ON_LOAN:
		reply_error(out, ERR_ITEM_ALREADY_ON_LOAN, "the patron has this title on loan",
			    NULL);
		break;
	case HOLDS_DUPLICATE:
		reply_error(out, ERR_DUPLICATE_HOLD, "the patron has a hold on this title", NULL);
		break;
	case HOLDS_LIMIT:
		details = cJSON_CreateObject();
		cJSON_AddNumberToObject(details, "limit", res->limit);
		reply_error(out, ERR_HOLD_LIMIT, "the patron has as many holds as allowed",
			    details);
		break;
	default:
		reply_unavailable(out);
		break;
	}
}

void ep_holds_create(struct call *call, struct reply *out)
{
	const struct hold_prep *prep = call->prepared;
	struct circ_ctx ctx;
	circ_ctx_init(&ctx, call->store, call->svc->rules, call->now, call->session->branch,
		      call->session->staff_id);
	ctx.terminal = call->session->terminal;
	struct holds_place_res res;
	enum holds_status s = holds_place(&ctx, &prep->req, &res);
	if (s == HOLDS_PATRON_BLOCKED) {
		ep_reply_blocked(out, res.blocks, res.patron.manual_block, prep->may_override);
	} else if (s != HOLDS_OK) {
		reply_hold_refusal(out, s, &res);
	} else if (res.overridden &&
		   !ep_audit_override(call, prep->reason, res.overridden, res.patron.card,
				      res.hold.item_barcode)) {
		reply_unavailable(out);
	} else {
		cJSON *root = cJSON_CreateObject();
		cJSON_AddItemToObject(root, "hold", ep_hold_json(&res.hold));
		reply_json(out, 201, root);
	}
	holds_place_res_clear(&res);
}

void ep_holds_delete(struct call *call, struct reply *out)
{
	long long id;
	const char *card = read_card(call, out);
	if (!card)
		return;
	const char *reason = jsonx_string(call->json, "reason");
	if (!holds_reason_ok(reason)) {
		reply_invalid_field(out, "reason", reason ? "unknown" : "missing");
		return;
	}
	if (!id_parse(call->params[0], &id)) {
		reply_error(out, ERR_NOT_FOUND, "no open hold with this id for this patron", NULL);
		return;
	}
	struct circ_ctx ctx;
	circ_ctx_init(&ctx, call->store, call->svc->rules, call->now, call->session->branch,
		      call->session->staff_id);
	ctx.terminal = call->session->terminal;
	struct holds_hold hold;
	struct circ_checkin_res route;
	enum holds_status s = holds_cancel(&ctx, card, id, reason, &hold, &route);
	if (s == HOLDS_NOT_FOUND) {
		reply_error(out, ERR_NOT_FOUND, "no open hold with this id for this patron", NULL);
	} else if (s != HOLDS_OK) {
		reply_unavailable(out);
	} else {
		cJSON *root = cJSON_CreateObject();
		cJSON_AddItemToObject(root, "hold", ep_hold_json(&hold));
		if (strcmp(hold.status, "ready") == 0)
			cJSON_AddItemToObject(root, "route", ep_route_json(&route));
		reply_json(out, 200, root);
	}
}

static void add_title(void *ctx, const struct title_match *m)
{
	cJSON *t = cJSON_CreateObject();
	char id[24];
	snprintf(id, sizeof id, "%lld", m->id);
	cJSON_AddStringToObject(t, "id", id);
	cJSON_AddStringToObject(t, "title", m->title ? m->title : "");
	cJSON_AddStringToObject(t, "author", m->author ? m->author : "");
	if (m->year)
		cJSON_AddNumberToObject(t, "year", m->year);
	if (m->isbn)
		cJSON_AddStringToObject(t, "isbn", m->isbn);
	if (m->ppn)
		cJSON_AddStringToObject(t, "ppn", m->ppn);
	cJSON_AddNumberToObject(t, "copies", m->copies);
	cJSON_AddNumberToObject(t, "on_shelf", m->on_shelf);
	cJSON *branches = cJSON_AddArrayToObject(t, "branches");
	for (size_t i = 0; i < m->n_branches; i++) {
		cJSON *b = cJSON_CreateObject();
		cJSON_AddStringToObject(b, "branch", m->branches[i].branch);
		cJSON_AddNumberToObject(b, "copies", m->branches[i].copies);
		cJSON_AddNumberToObject(b, "on_shelf", m->branches[i].on_shelf);
		cJSON_AddItemToArray(branches, b);
	}
	cJSON_AddItemToArray(ctx, t);
}

void ep_titles_search(struct call *call, struct reply *out)
{
	const char *q = call->query(call->query_ctx, "q");
	if (!q || !*q) {
		reply_invalid_field(out, "q", "missing");
		return;
	}
	if (strlen(q) > TITLE_QUERY_MAX) {
		reply_invalid_field(out, "q", "too_long");
		return;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(root, "titles");
	bool truncated;
	enum title_search_status s =
		title_search(call->store, q, HOLDS_SEARCH_MAX, add_title, list, &truncated);
	if (s != TITLE_SEARCH_OK) {
		cJSON_Delete(root);
		if (s == TITLE_SEARCH_NO_WORDS)
			reply_invalid_field(out, "q", "no_words");
		else
			reply_unavailable(out);
		return;
	}
	cJSON_AddBoolToObject(root, "truncated", truncated);
	reply_json(out, 200, root);
}
