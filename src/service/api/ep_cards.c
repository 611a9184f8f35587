/* POST /patrons/{card}/replacement: a new card for a lost or stolen one
 * (domain/cardreplace.h), and the answer every lookup gives for a replaced
 * card.
 *
 * Protocol details decided here (documented in balied(8)):
 * - body {"reason":"lost"|"stolen"}; any other member, or another reason, is
 *   invalid_field naming it ("unknown"; a reason absent: "missing").
 * - 201 {"patron":{"card","given_name","family_name","category",
 *   "expires_on"},"old_card_last4","reason","fee_cents"}: the new card; the
 *   old one is blocked.
 * - a replaced card, wherever a card is looked up (GET /patrons/{card},
 *   POST /checkouts, POST /holds, the account, payments and waivers, a
 *   renewal, a replacement): 409
 *   card_replaced {"new_card_last4","reason"}, never the whole new number.
 */
#include "service/api/endpoints.h"

#include "core/log.h"
#include "service/domain/cardreplace.h"
#include "service/domain/circulation.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

void ep_reply_patron_not_found(struct call *call, struct reply *out, const char *card)
{
	struct cardreplace_old old;
	int replaced = cardreplace_find_old(call->store, card, &old);
	if (replaced < 0) {
		reply_unavailable(out);
	} else if (replaced == 0) {
		reply_error(out, ERR_PATRON_NOT_FOUND, "no patron with this card", NULL);
	} else {
		cJSON *details = cJSON_CreateObject();
		cJSON_AddStringToObject(details, "new_card_last4", old.new_last);
		cJSON_AddStringToObject(details, "reason", cardreplace_reason_name(old.reason));
		reply_error(out, ERR_CARD_REPLACED, "this card was replaced and is blocked",
			    details);
	}
}

bool ep_card_call_read(struct call *call, const char *const *allowed, struct reply *out)
{
	const char *problem = circ_card_problem(call->params[0]);
	if (problem) {
		reply_invalid_field(out, "card", problem);
		return false;
	}
	return !call->json || ep_only_members(call->json, allowed, out);
}

bool ep_only_members(const cJSON *body, const char *const *allowed, struct reply *out)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, body) {
		bool known = false;
		for (size_t i = 0; allowed[i] && !known; i++)
			known = strcmp(m->string, allowed[i]) == 0;
		if (!known) {
			reply_invalid_field(out, m->string, "unknown");
			return false;
		}
	}
	return true;
}

struct replacement_prep {
	enum cardreplace_reason reason;
};

bool ep_card_replacement_prepare(struct call *call, struct reply *out)
{
	static const char *const allowed[] = { "reason", NULL };
	struct replacement_prep *prep = xcalloc(1, sizeof *prep);
	call->prepared = prep;
	call->prepared_free = free;
	if (!ep_card_call_read(call, allowed, out))
		return false;
	const cJSON *r = call->json ? cJSON_GetObjectItemCaseSensitive(call->json, "reason") : NULL;
	if (!r || cJSON_IsNull(r)) {
		reply_invalid_field(out, "reason", "missing");
		return false;
	}
	if (!cJSON_IsString(r) || !cardreplace_reason_from_name(r->valuestring, &prep->reason)) {
		reply_invalid_field(out, "reason", "unknown");
		return false;
	}
	return true;
}

static cJSON *replaced_json(const struct cardreplace_result *res, const char *old_card,
			    enum cardreplace_reason reason)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *patron = cJSON_AddObjectToObject(root, "patron");
	cJSON_AddStringToObject(patron, "card", res->card);
	cJSON_AddStringToObject(patron, "given_name", res->given_name);
	cJSON_AddStringToObject(patron, "family_name", res->family_name);
	cJSON_AddStringToObject(patron, "category", res->category);
	cJSON_AddStringToObject(patron, "expires_on", res->expires_on);
	size_t len = strlen(old_card);
	cJSON_AddStringToObject(root, "old_card_last4",
				old_card + (len > CARDREPLACE_LAST_DIGITS ? len - CARDREPLACE_LAST_DIGITS
									  : 0));
	cJSON_AddStringToObject(root, "reason", cardreplace_reason_name(reason));
	cJSON_AddNumberToObject(root, "fee_cents", res->fee_cents);
	return root;
}

void ep_card_replacement_create(struct call *call, struct reply *out)
{
	const struct replacement_prep *prep = call->prepared;
	struct cardreplace_result res;
	switch (cardreplace_replace(call->store, call->svc->rules, call->params[0], prep->reason,
				    call->session, call->now, &res)) {
	case CARDREPLACE_DONE:
		log_info("card replaced (%s) by \"%s\"", cardreplace_reason_name(prep->reason),
			 call->session->username);
		reply_json(out, 201, replaced_json(&res, call->params[0], prep->reason));
		break;
	case CARDREPLACE_NO_PATRON:
		ep_reply_patron_not_found(call, out, call->params[0]);
		break;
	case CARDREPLACE_CARDS_EXHAUSTED:
	case CARDREPLACE_STORE_FAILED:
		reply_unavailable(out);
		break;
	}
}
