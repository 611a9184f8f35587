/* Reading and checking an enrolment body: everything that needs no database,
 * so that a refusal is answered before the key's transaction. The first
 * problem in the order of the desk's form is the one reported. */
#include "service/domain/membership.h"

#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static bool refuse_field(struct membership_problem *why, const char *field,
			 enum validate_problem p)
{
	why->code = ERR_INVALID_FIELD;
	why->field = field;
	why->reason = validate_problem_name(p);
	why->message = "a field is not filled in correctly";
	return false;
}

/*
 * An optional string member: absent, null or blank is no value (*out NULL).
 * A member of another type is a format problem.
 */
static bool optional_string(const cJSON *obj, const char *key, char **out,
			    enum validate_problem *p)
{
	*out = NULL;
	*p = VALIDATE_OK;
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!item || cJSON_IsNull(item))
		return false;
	if (!cJSON_IsString(item)) {
		*p = VALIDATE_FORMAT;
		return false;
	}
	char *t = validate_trim_dup(item->valuestring);
	if (!*t) {
		free(t);
		return false;
	}
	*out = t;
	return true;
}

/* A required string member, trimmed; MISSING when absent or blank. */
static enum validate_problem required_string(const cJSON *obj, const char *key, char **out)
{
	enum validate_problem p;
	if (optional_string(obj, key, out, &p))
		return VALIDATE_OK;
	return p == VALIDATE_OK ? VALIDATE_MISSING : p;
}

static bool read_name(const cJSON *obj, const char *key, const char *field, char **out,
		      struct membership_problem *why)
{
	enum validate_problem p = required_string(obj, key, out);
	if (p == VALIDATE_OK)
		p = validate_name(*out);
	return p == VALIDATE_OK || refuse_field(why, field, p);
}

/* E-mail and phone, optional wherever they appear. */
static bool read_contact(const cJSON *obj, const char *prefix_field_email,
			 const char *prefix_field_phone, char **email, char **phone,
			 struct membership_problem *why)
{
	enum validate_problem p;
	if (optional_string(obj, "email", email, &p))
		p = validate_email(*email);
	if (p != VALIDATE_OK)
		return refuse_field(why, prefix_field_email, p);
	char *typed = NULL;
	if (optional_string(obj, "phone", &typed, &p)) {
		char national[VALIDATE_PHONE_LEN];
		p = validate_phone(typed, national);
		if (p == VALIDATE_OK)
			*phone = xstrdup(national);
		free(typed);
	}
	return p == VALIDATE_OK || refuse_field(why, prefix_field_phone, p);
}

static bool read_address(const cJSON *body, struct membership_request *req,
			 struct membership_problem *why)
{
	char *s = NULL;
	enum validate_problem p = required_string(body, "postcode", &s);
	if (p == VALIDATE_OK)
		p = validate_postcode(s, req->postcode);
	free(s);
	if (p != VALIDATE_OK)
		return refuse_field(why, "postcode", p);
	/* The protocol sends the house number as a string; a whole JSON number
	 * is taken too. */
	long long n;
	const cJSON *hn = cJSON_GetObjectItemCaseSensitive(body, "house_number");
	if (cJSON_IsNumber(hn) && jsonx_int(body, "house_number", &n)) {
		s = xasprintf("%lld", n);
		p = VALIDATE_OK;
	} else {
		p = required_string(body, "house_number", &s);
	}
	if (p == VALIDATE_OK)
		p = validate_house_number(s, &req->house_number);
	free(s);
	if (p != VALIDATE_OK)
		return refuse_field(why, "house_number", p);
	char suffix[VALIDATE_SUFFIX_MAX + 1];
	if (optional_string(body, "house_number_suffix", &req->suffix, &p)) {
		p = validate_house_suffix_normal(req->suffix, suffix);
		if (p == VALIDATE_OK) /* stored as the desk shows it: "12 B" */
			xstrset(&req->suffix, suffix);
	}
	return p == VALIDATE_OK || refuse_field(why, "house_number_suffix", p);
}

static bool read_guardian(const cJSON *body, unsigned guardian_age, struct membership_request *req,
			  struct membership_problem *why)
{
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(body, "guardian");
	bool required = (unsigned)req->age < guardian_age;
	bool consent = false;
	if (cJSON_IsObject(g))
		jsonx_bool(g, "consent", &consent);
	if (g && !cJSON_IsNull(g) && !cJSON_IsObject(g))
		return refuse_field(why, "guardian", VALIDATE_FORMAT);
	if (required && (!cJSON_IsObject(g) || !consent)) {
		why->code = ERR_GUARDIAN_REQUIRED;
		why->field = cJSON_IsObject(g) ? "guardian.consent" : "guardian";
		why->reason = cJSON_IsObject(g) ? "missing" : "required";
		why->message = "a parent or guardian with consent is required at this age";
		return false;
	}
	if (!cJSON_IsObject(g))
		return true;
	req->has_guardian = true;
	struct membership_guardian *gd = &req->guardian;
	if (!read_name(g, "name", "guardian.name", &gd->name, why))
		return false;
	enum validate_problem p = required_string(g, "relation", &gd->relation);
	if (p == VALIDATE_OK && strcmp(gd->relation, "parent") != 0 &&
	    strcmp(gd->relation, "guardian") != 0 && strcmp(gd->relation, "other") != 0)
		p = VALIDATE_UNKNOWN;
	if (p != VALIDATE_OK)
		return refuse_field(why, "guardian.relation", p);
	if (!read_contact(g, "guardian.email", "guardian.phone", &gd->email, &gd->phone, why))
		return false;
	/* Recorded without consent is not recorded: consent must be an explicit true. */
	return consent || refuse_field(why, "guardian.consent", VALIDATE_MISSING);
}

static bool read_override(const cJSON *body, struct membership_request *req,
			  struct membership_problem *why)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(body, "override");
	if (!o || cJSON_IsNull(o))
		return true;
	if (!cJSON_IsObject(o))
		return refuse_field(why, "override", VALIDATE_FORMAT);
	const cJSON *blocks = jsonx_array(o, "blocks"), *b;
	bool duplicate = false;
	cJSON_ArrayForEach(b, blocks) {
		if (!cJSON_IsString(b) || strcmp(b->valuestring, "duplicate_member") != 0)
			return refuse_field(why, "override.blocks", VALIDATE_UNKNOWN);
		duplicate = true;
	}
	if (!duplicate)
		return refuse_field(why, "override.blocks", VALIDATE_MISSING);
	enum validate_problem p = required_string(o, "reason", &req->override_reason);
	if (p == VALIDATE_OK && strlen(req->override_reason) > MEMBERSHIP_REASON_MAX)
		p = VALIDATE_TOO_LONG;
	if (p != VALIDATE_OK)
		return refuse_field(why, "override.reason", p);
	req->override_duplicate = true;
	return true;
}

static bool refuse_age(struct membership_problem *why, const char *message)
{
	why->code = ERR_NOT_ELIGIBLE_AGE;
	why->field = "birth_date";
	why->reason = "age";
	why->message = message;
	return false;
}

/* The adult part: the membership category's name (checked against the
 * rules by the caller), the ID document seen (an explicit true; never its
 * number or a copy), and no guardian. */
static bool read_adult(const cJSON *body, struct membership_request *req,
		       struct membership_problem *why)
{
	enum validate_problem p = required_string(body, "membership", &req->membership);
	if (p != VALIDATE_OK)
		return refuse_field(why, "membership", p);
	const cJSON *checked = cJSON_GetObjectItemCaseSensitive(body, "id_checked");
	if (checked && !cJSON_IsBool(checked))
		return refuse_field(why, "id_checked", VALIDATE_FORMAT);
	if (!cJSON_IsTrue(checked))
		return refuse_field(why, "id_checked", VALIDATE_MISSING);
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(body, "guardian");
	if (g && !cJSON_IsNull(g)) {
		*why = (struct membership_problem){ ERR_INVALID_FIELD, "guardian", "not_allowed",
						    "an adult member has no guardian part" };
		return false;
	}
	return true;
}

/* The age after the fields: a typing error in the date is the desk's to
 * correct before anyone is told the member is too old or too young. */
static bool read_kind_rest(const cJSON *body, unsigned guardian_age, struct civil_date today,
			   struct membership_request *req, struct membership_problem *why)
{
	if (req->adult) {
		if (req->age < VALIDATE_YOUTH_AGE)
			return refuse_age(why, "adult membership is from 18; enrol as a youth member");
		return read_adult(body, req, why) && read_override(body, req, why);
	}
	if (!validate_youth_eligible(req->birth, today))
		return refuse_age(why, "youth membership is for those under 18");
	return read_guardian(body, guardian_age, req, why) && read_override(body, req, why);
}

bool membership_read(const cJSON *body, struct civil_date today, unsigned guardian_age,
		     struct membership_request *req, struct membership_problem *why)
{
	*req = (struct membership_request){ 0 };
	*why = (struct membership_problem){ ERR_BAD_REQUEST, NULL, NULL, "the body is not an object" };
	if (!cJSON_IsObject(body))
		return false;
	const char *kind = jsonx_string(body, "kind");
	if (!kind || (strcmp(kind, "youth") != 0 && strcmp(kind, "adult") != 0))
		return refuse_field(why, "kind", kind ? VALIDATE_UNKNOWN : VALIDATE_MISSING);
	req->adult = strcmp(kind, "adult") == 0;
	if (!read_name(body, "given_name", "given_name", &req->given_name, why) ||
	    !read_name(body, "family_name", "family_name", &req->family_name, why))
		return false;
	const char *birth = jsonx_string(body, "birth_date");
	enum validate_problem p = birth ? validate_birth_date(birth, false, today, &req->birth)
					: VALIDATE_MISSING;
	if (p != VALIDATE_OK)
		return refuse_field(why, "birth_date", p);
	date_format_iso(req->birth, req->birth_iso);
	req->age = date_age_on(req->birth, today);
	if (!read_address(body, req, why) ||
	    !read_contact(body, "email", "phone", &req->email, &req->phone, why))
		return false;
	if (required_string(body, "branch", &req->branch) != VALIDATE_OK)
		return refuse_field(why, "branch", VALIDATE_MISSING);
	return read_kind_rest(body, guardian_age, today, req, why);
}

void membership_request_clear(struct membership_request *req)
{
	free(req->given_name);
	free(req->family_name);
	free(req->suffix);
	free(req->email);
	free(req->phone);
	free(req->branch);
	free(req->guardian.name);
	free(req->guardian.relation);
	free(req->guardian.phone);
	free(req->guardian.email);
	free(req->override_reason);
	free(req->membership);
	*req = (struct membership_request){ 0 };
}
