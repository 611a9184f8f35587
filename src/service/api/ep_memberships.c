/* POST /memberships (youth and adult enrolment), POST
 * /memberships/{card}/renewal and GET /memberships/rules.
 *
 * Protocol details decided here (documented in balied(8)):
 * - kind "adult": the youth fields without the guardian part, and
 *   "membership" (a category of the rules file: invalid_field "membership",
 *   "unknown" otherwise) and "id_checked": true (invalid_field "id_checked",
 *   "missing" when absent or false, "format" when not a boolean); a guardian
 *   is invalid_field "guardian", "not_allowed". Under 18: not_eligible_age
 *   with details {"field","age","membership":"youth"} (a youth refusal from
 *   18 says "membership":"adult"). 201 {"patron":{"card","category":"adult",
 *   "membership","expires_on","given_name","family_name","home_branch"},
 *   "fee_cents"}: the yearly fee charged (kind membership_fee), expires_on
 *   the day before today's date next year.
 * - renewal: body absent, {} or {"membership"} (an adult may change
 *   category). 200 {"patron":{"card","category","membership"?,
 *   "expires_on","previous_expires_on"},"fee_cents"}. Not yet due:
 *   membership_not_due (409) {"expires_on","due_from"}; a youth member who
 *   is 18 or whose membership runs to the 18th birthday already:
 *   not_eligible_age {"age","membership":"adult"}; an adult without a
 *   category renews in the rules' first. A replaced card: card_replaced.
 * - 201 {"patron":{"card","category":"youth","expires_on","given_name",
 *   "family_name","days","short","at_18"}}; expires_on is the day before the
 *   18th birthday, the last day the member is under 18 (born 29 February:
 *   28 February); days the membership runs (today and expires_on counted),
 *   short true when that is under the rules' youth_short_days, at_18 what
 *   then happens ("adult" or "end").
 * - invalid_field details {"field","reason"}: field is the body's member
 *   ("postcode", "guardian.phone", "override.reason"), reason a name from
 *   src/core/validate.h ("missing", "format", "letters_not_used",
 *   "in_future", ...). The first problem in the order of the form is named.
 * - not_eligible_age details {"field":"birth_date","age":N}.
 * - guardian_required details {"field":"guardian" or "guardian.consent",
 *   "guardian_age":N}.
 * - duplicate_member (409) details {"blocks":["duplicate_member"],
 *   "cards":[...]}, overridable when the caller holds the override permission;
 *   the override needs a new Idempotency-Key (it is another body), and an
 *   override without the permission "override" (permission.h, the same as
 *   circulation's) is 403 forbidden, details {"permission":"override"}.
 * - GET /memberships/rules -> {"youth_age":18,"guardian_age":N,
 *   "youth_at_18":"adult|end","short_days":N,"today":"YYYY-MM-DD",
 *   "memberships":[{"name","fee_cents"}],"renewal_days":N}: what the
 *   desk's form needs to show the guardian part, the age as the service will
 *   see it, and to warn before it enrols for a short time.
 */
#include "service/api/endpoints.h"

#include "core/jsonx.h"
#include "core/log.h"
#include "service/domain/circulation.h"
#include "service/domain/membership.h"
#include "service/domain/permission.h"
#include "service/domain/rules.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct enrolment {
	struct membership_request req;
	struct civil_date today;
};

static void enrolment_free(void *p)
{
	struct enrolment *e = p;
	membership_request_clear(&e->req);
	free(e);
}

/* The override permission of staff (permission.h), the same as for the
 * blocks of circulation. */
static bool may_override(struct call *call)
{
	return call->session &&
	       (permission_of(call->store, call->session->staff_id) & PERMISSION_OVERRIDE) != 0;
}

static void refuse(struct reply *out, const struct membership_problem *why,
		   const struct membership_request *req, unsigned guardian_age)
{
	if (why->code == ERR_INVALID_FIELD) {
		reply_invalid_field(out, why->field, why->reason);
		return;
	}
	cJSON *details = cJSON_CreateObject();
	if (why->field)
		cJSON_AddStringToObject(details, "field", why->field);
	if (why->code == ERR_NOT_ELIGIBLE_AGE) {
		cJSON_AddNumberToObject(details, "age", req->age);
		cJSON_AddStringToObject(details, "membership", req->adult ? "youth" : "adult");
	}
	if (why->code == ERR_GUARDIAN_REQUIRED)
		cJSON_AddNumberToObject(details, "guardian_age", guardian_age);
	reply_error(out, why->code, why->message, details);
}

bool ep_memberships_prepare(struct call *call, struct reply *out)
{
	struct enrolment *e = xcalloc(1, sizeof *e);
	call->prepared = e;
	call->prepared_free = enrolment_free;
	e->today = date_of_time(call->now);
	struct membership_problem why;
	unsigned guardian_age = call->svc->rules->guardian_age;
	if (!membership_read(call->json, e->today, guardian_age, &e->req, &why)) {
		refuse(out, &why, &e->req, guardian_age);
		return false;
	}
	if (e->req.adult) {
		const struct rules_membership *m =
			rules_membership_find(call->svc->rules, e->req.membership);
		if (!m) {
			reply_invalid_field(out, "membership", "unknown");
			return false;
		}
		e->req.fee_cents = m->fee_cents;
	}
	if (e->req.override_duplicate && !may_override(call)) {
		cJSON *details = cJSON_CreateObject();
		cJSON_AddStringToObject(details, "permission", "override");
		reply_error(out, ERR_FORBIDDEN, "overriding needs the override permission", details);
		return false;
	}
	return true;
}

void ep_reply_duplicate(struct reply *out, char *const *cards, bool overridable)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *err = cJSON_AddObjectToObject(root, "error");
	cJSON_AddStringToObject(err, "code", errcode_name(ERR_DUPLICATE_MEMBER));
	cJSON_AddStringToObject(err, "message",
				"a member with this family name, date of birth and postcode exists");
	cJSON *details = cJSON_AddObjectToObject(err, "details");
	cJSON *blocks = cJSON_AddArrayToObject(details, "blocks");
	cJSON_AddItemToArray(blocks, cJSON_CreateString("duplicate_member"));
	cJSON *list = cJSON_AddArrayToObject(details, "cards");
	for (size_t i = 0; cards && cards[i]; i++)
		cJSON_AddItemToArray(list, cJSON_CreateString(cards[i]));
	cJSON_AddBoolToObject(err, "overridable", overridable);
	reply_json(out, errcode_http_status(ERR_DUPLICATE_MEMBER), root);
}

static const char *at_18_name(const struct rules *r)
{
	return r->youth_at_18 == RULES_YOUTH_TO_ADULT ? "adult" : "end";
}

/* How long the new membership runs and what comes after, so that a desk
 * that did not warn before can still say so. */
static void add_duration(cJSON *patron, const struct rules *r, long days)
{
	cJSON_AddNumberToObject(patron, "days", (double)days);
	cJSON_AddBoolToObject(patron, "short", days < (long)r->youth_short_days);
	cJSON_AddStringToObject(patron, "at_18", at_18_name(r));
}

static cJSON *enrolled_json(const struct rules *r, const struct enrolment *e,
			    const struct membership_result *res)
{
	const struct membership_request *req = &e->req;
	cJSON *root = cJSON_CreateObject();
	cJSON *patron = cJSON_AddObjectToObject(root, "patron");
	cJSON_AddStringToObject(patron, "card", res->card);
	cJSON_AddStringToObject(patron, "category", req->adult ? "adult" : "youth");
	if (req->adult)
		cJSON_AddStringToObject(patron, "membership", req->membership);
	cJSON_AddStringToObject(patron, "expires_on", res->expires_on);
	cJSON_AddStringToObject(patron, "given_name", req->given_name);
	cJSON_AddStringToObject(patron, "family_name", req->family_name);
	cJSON_AddStringToObject(patron, "home_branch", req->branch);
	if (!req->adult)
		add_duration(patron, r, validate_youth_days(req->birth, e->today));
	cJSON_AddNumberToObject(root, "fee_cents", req->adult ? req->fee_cents : 0);
	return root;
}

void ep_memberships_create(struct call *call, struct reply *out)
{
	struct enrolment *e = call->prepared;
	const struct membership_request *req = &e->req;
	struct membership_result res;
	enum membership_outcome o = membership_enrol(call->store, req, call->svc->rules->card_prefix,
						     e->today, call->session, call->now, &res);
	switch (o) {
	case MEMBERSHIP_ENROLLED: {
		log_info("%s member enrolled by \"%s\"%s", req->adult ? "adult" : "youth",
			 call->session->username,
			 req->override_duplicate && res.duplicates[0] ? " (duplicate overridden)" : "");
		reply_json(out, 201, enrolled_json(call->svc->rules, e, &res));
		break;
	}
	case MEMBERSHIP_UNKNOWN_BRANCH:
		reply_invalid_field(out, "branch", "unknown");
		break;
	case MEMBERSHIP_DUPLICATE:
		ep_reply_duplicate(out, res.duplicates, may_override(call));
		break;
	case MEMBERSHIP_CARDS_EXHAUSTED:
	case MEMBERSHIP_STORE_FAILED:
		reply_unavailable(out);
		break;
	}
	membership_result_clear(&res);
}

void ep_memberships_rules(struct call *call, struct reply *out)
{
	const struct rules *r = call->svc->rules;
	char today[DATE_STR_LEN];
	date_format_iso(date_of_time(call->now), today);
	cJSON *root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "youth_age", VALIDATE_YOUTH_AGE);
	cJSON_AddNumberToObject(root, "guardian_age", r->guardian_age);
	cJSON_AddStringToObject(root, "youth_at_18", at_18_name(r));
	cJSON_AddNumberToObject(root, "short_days", r->youth_short_days);
	cJSON_AddStringToObject(root, "today", today);
	cJSON *list = cJSON_AddArrayToObject(root, "memberships");
	for (size_t i = 0; i < r->n_memberships; i++) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "name", r->memberships[i].name);
		cJSON_AddNumberToObject(m, "fee_cents", r->memberships[i].fee_cents);
		cJSON_AddItemToArray(list, m);
	}
	cJSON_AddNumberToObject(root, "renewal_days", r->membership_renewal_days);
	reply_json(out, 200, root);
}

/* The renewal's body: nothing, or the adult's new category. */
bool ep_membership_renewal_prepare(struct call *call, struct reply *out)
{
	static const char *const allowed[] = { "membership", NULL };
	if (!ep_card_call_read(call, allowed, out))
		return false;
	const cJSON *m = call->json ? cJSON_GetObjectItemCaseSensitive(call->json, "membership")
				    : NULL;
	if (m && !cJSON_IsNull(m) &&
	    (!cJSON_IsString(m) || !rules_membership_find(call->svc->rules, m->valuestring))) {
		reply_invalid_field(out, "membership", cJSON_IsString(m) ? "unknown" : "format");
		return false;
	}
	return true;
}

static void reply_renewal_refusal(struct call *call, struct reply *out,
				  enum membership_renew_outcome o,
				  const struct membership_renewal *r)
{
	cJSON *details = cJSON_CreateObject();
	switch (o) {
	case MEMBERSHIP_RENEW_NO_PATRON:
		cJSON_Delete(details);
		ep_reply_patron_not_found(call, out, call->params[0]);
		return;
	case MEMBERSHIP_RENEW_NOT_DUE:
		cJSON_AddStringToObject(details, "expires_on", r->previous);
		cJSON_AddStringToObject(details, "due_from", r->due_from);
		reply_error(out, ERR_MEMBERSHIP_NOT_DUE, "the membership is not due for renewal",
			    details);
		return;
	case MEMBERSHIP_RENEW_AGE:
		cJSON_AddNumberToObject(details, "age", r->age);
		cJSON_AddStringToObject(details, "membership", "adult");
		reply_error(out, ERR_NOT_ELIGIBLE_AGE, "a youth membership ends at 18", details);
		return;
	case MEMBERSHIP_RENEW_NO_MEMBERSHIP:
	case MEMBERSHIP_RENEW_UNKNOWN_MEMBERSHIP:
		cJSON_Delete(details);
		reply_invalid_field(out, "membership",
				    o == MEMBERSHIP_RENEW_NO_MEMBERSHIP ? "missing" : "unknown");
		return;
	case MEMBERSHIP_RENEWED:
	case MEMBERSHIP_RENEW_STORE_FAILED:
		break;
	}
	cJSON_Delete(details);
	reply_unavailable(out);
}

void ep_membership_renewal_create(struct call *call, struct reply *out)
{
	const char *membership = call->json ? jsonx_string(call->json, "membership") : NULL;
	struct membership_renewal r;
	enum membership_renew_outcome o =
		membership_renew(call->store, call->svc->rules, call->params[0], membership,
				 date_of_time(call->now), call->session, call->now, &r);
	if (o != MEMBERSHIP_RENEWED) {
		reply_renewal_refusal(call, out, o, &r);
		return;
	}
	log_info("%s membership renewed by \"%s\"", r.category, call->session->username);
	cJSON *root = cJSON_CreateObject();
	cJSON *patron = cJSON_AddObjectToObject(root, "patron");
	cJSON_AddStringToObject(patron, "card", call->params[0]);
	cJSON_AddStringToObject(patron, "category", r.category);
	if (r.membership[0])
		cJSON_AddStringToObject(patron, "membership", r.membership);
	cJSON_AddStringToObject(patron, "expires_on", r.expires_on);
	cJSON_AddStringToObject(patron, "previous_expires_on", r.previous);
	cJSON_AddNumberToObject(root, "fee_cents", r.fee_cents);
	reply_json(out, 200, root);
}
