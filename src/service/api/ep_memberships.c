/* POST /memberships (youth enrolment) and GET /memberships/rules.
 *
 * Protocol details decided here (documented in balied(8)):
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
 *   "youth_at_18":"adult|end","short_days":N,"today":"YYYY-MM-DD"}: what the
 *   desk's form needs to show the guardian part, the age as the service will
 *   see it, and to warn before it enrols for a short time.
 */
#include "service/api/endpoints.h"

#include "core/log.h"
#include "service/domain/membership.h"
#include "service/domain/permission.h"
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
	if (why->code == ERR_NOT_ELIGIBLE_AGE)
		cJSON_AddNumberToObject(details, "age", req->age);
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

void ep_memberships_create(struct call *call, struct reply *out)
{
	struct enrolment *e = call->prepared;
	const struct membership_request *req = &e->req;
	struct membership_result res;
	enum membership_outcome o = membership_enrol(call->store, req, call->svc->rules->card_prefix,
						     e->today, call->session, call->now, &res);
	switch (o) {
	case MEMBERSHIP_ENROLLED: {
		log_info("youth member enrolled by \"%s\"%s", call->session->username,
			 req->override_duplicate && res.duplicates[0] ? " (duplicate overridden)" : "");
		cJSON *root = cJSON_CreateObject();
		cJSON *patron = cJSON_AddObjectToObject(root, "patron");
		cJSON_AddStringToObject(patron, "card", res.card);
		cJSON_AddStringToObject(patron, "category", "youth");
		cJSON_AddStringToObject(patron, "expires_on", res.expires_on);
		cJSON_AddStringToObject(patron, "given_name", req->given_name);
		cJSON_AddStringToObject(patron, "family_name", req->family_name);
		cJSON_AddStringToObject(patron, "home_branch", req->branch);
		add_duration(patron, call->svc->rules, validate_youth_days(req->birth, e->today));
		reply_json(out, 201, root);
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
	reply_json(out, 200, root);
}
