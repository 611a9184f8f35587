#include "client/enrol.h"

#include "client/circ.h"
#include "core/i18n.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* short_days and youth_at_18, which a service before them does not send:
 * then the defaults of balied-rules(5). */
static void decode_youth_end(const cJSON *body, struct enrol_rules *r)
{
	long long days;
	r->short_days = jsonx_int(body, "short_days", &days) && days >= 0 && days <= 365
				? (int)days
				: ENROL_SHORT_DAYS_DEFAULT;
	const char *at_18 = jsonx_string(body, "youth_at_18");
	r->end_at_18 = at_18 && strcmp(at_18, "end") == 0;
}

/* The adult categories; a service before them sends none. */
static void decode_memberships(const cJSON *body, struct enrol_rules *r)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, jsonx_array(body, "memberships")) {
		const char *name = jsonx_string(m, "name");
		long long fee;
		if (!name || !*name || !jsonx_int(m, "fee_cents", &fee) || fee < 0 ||
		    r->n_memberships == ENROL_MAX_MEMBERSHIPS)
			continue;
		r->memberships[r->n_memberships++] =
			(struct enrol_membership){ .name = xstrdup(name), .fee_cents = fee };
	}
}

struct enrol_rules *enrol_rules_decode(const cJSON *body, char **err)
{
	long long youth, guardian;
	const char *today = jsonx_string(body, "today");
	struct enrol_rules *r = xcalloc(1, sizeof *r);
	if (!jsonx_int(body, "youth_age", &youth) || youth < 1 || youth > 99)
		*err = xstrdup("\"youth_age\" is missing or not an age");
	else if (!jsonx_int(body, "guardian_age", &guardian) || guardian < 0 || guardian > youth)
		*err = xstrdup("\"guardian_age\" is missing or not an age");
	else if (!today || !date_parse_iso(today, &r->today))
		*err = xstrdup("\"today\" is missing or not a date");
	else {
		r->youth_age = (int)youth;
		r->guardian_age = (int)guardian;
		decode_youth_end(body, r);
		decode_memberships(body, r);
		return r;
	}
	free(r);
	return NULL;
}

void enrol_rules_free(struct enrol_rules *r)
{
	for (size_t i = 0; r && i < r->n_memberships; i++)
		free(r->memberships[i].name);
	free(r);
}

static void add_optional(cJSON *obj, const char *key, const char *value)
{
	if (value && *value)
		cJSON_AddStringToObject(obj, key, value);
}

cJSON *enrol_body_new(const struct enrol_form *f)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "kind", f->adult ? "adult" : "youth");
	if (f->adult) {
		cJSON_AddStringToObject(b, "membership", f->membership ? f->membership : "");
		cJSON_AddBoolToObject(b, "id_checked", f->id_checked);
	}
	cJSON_AddStringToObject(b, "given_name", f->given_name ? f->given_name : "");
	cJSON_AddStringToObject(b, "family_name", f->family_name ? f->family_name : "");
	cJSON_AddStringToObject(b, "birth_date", f->birth_date ? f->birth_date : "");
	cJSON_AddStringToObject(b, "postcode", f->postcode ? f->postcode : "");
	cJSON_AddStringToObject(b, "house_number", f->house_number ? f->house_number : "");
	add_optional(b, "house_number_suffix", f->suffix);
	add_optional(b, "email", f->email);
	add_optional(b, "phone", f->phone);
	cJSON_AddStringToObject(b, "branch", f->branch ? f->branch : "");
	if (f->guardian && !f->adult) {
		cJSON *g = cJSON_AddObjectToObject(b, "guardian");
		cJSON_AddStringToObject(g, "name", f->guardian_name ? f->guardian_name : "");
		cJSON_AddStringToObject(g, "relation",
					f->guardian_relation ? f->guardian_relation : "");
		add_optional(g, "phone", f->guardian_phone);
		add_optional(g, "email", f->guardian_email);
		cJSON_AddBoolToObject(g, "consent", f->consent);
	}
	if (f->override_reason) {
		cJSON *o = cJSON_AddObjectToObject(b, "override");
		cJSON *blocks = cJSON_AddArrayToObject(o, "blocks");
		cJSON_AddItemToArray(blocks, cJSON_CreateString("duplicate_member"));
		cJSON_AddStringToObject(o, "reason", f->override_reason);
	}
	return b;
}

struct enrol_result *enrol_result_decode(const cJSON *body, char **err)
{
	const cJSON *p = jsonx_object(body, "patron");
	const char *card = jsonx_string(p, "card");
	const char *category = jsonx_string(p, "category");
	const char *expires = jsonx_string(p, "expires_on");
	struct civil_date d;
	if (!p)
		*err = xstrdup("\"patron\" is missing or not an object");
	else if (!card || !*card)
		*err = xstrdup("\"card\" is missing or not a string");
	else if (!category)
		*err = xstrdup("\"category\" is missing or not a string");
	else if (!expires || !date_parse_iso(expires, &d))
		*err = xstrdup("\"expires_on\" is missing or not a date");
	else {
		struct enrol_result *r = xcalloc(1, sizeof *r);
		r->card = xstrdup(card);
		r->category = xstrdup(category);
		r->expires_on = d;
		const char *m = jsonx_string(p, "membership");
		r->membership = m && *m ? xstrdup(m) : NULL;
		if (!jsonx_int(body, "fee_cents", &r->fee_cents) || r->fee_cents < 0)
			r->fee_cents = 0;
		return r;
	}
	return NULL;
}

void enrol_result_free(struct enrol_result *r)
{
	if (!r)
		return;
	free(r->card);
	free(r->category);
	free(r->membership);
	free(r);
}

void enrol_refusal(const struct api_reply *reply, const char **field, const char **reason)
{
	*field = *reason = NULL;
	if (reply->outcome != API_REFUSED || !reply->error_details)
		return;
	*field = jsonx_string(reply->error_details, "field");
	*reason = jsonx_string(reply->error_details, "reason");
}

char *enrol_duplicate_cards_dup(const struct api_reply *reply)
{
	const cJSON *cards = reply->error_details ? jsonx_array(reply->error_details, "cards") : NULL;
	char *out = NULL;
	const cJSON *c;
	cJSON_ArrayForEach(c, cards) {
		if (!cJSON_IsString(c))
			continue;
		char *next = out ? xasprintf("%s, %s", out, c->valuestring) : xstrdup(c->valuestring);
		free(out);
		out = next;
	}
	return out;
}

CALL_DECODER(enrol_on_rules, struct enrol_rules, enrol_rules_decode, enrol_rules_fn,
	     "GET /memberships/rules")

unsigned enrol_rules_start(struct api *api, enrol_rules_fn done, void *ctx)
{
	return call_start(api, "GET", "/memberships/rules", NULL, NULL, enrol_on_rules,
			  (call_fn)done, ctx);
}

static void enrol_on_send(struct api_reply *reply, call_fn done, void *ctx)
{
	char *err = NULL;
	struct enrol_result *r =
		reply->outcome == API_OK ? enrol_result_decode(reply->body, &err) : NULL;
	struct call_failure f;
	if (!r)
		call_failure_init(&f, reply, "POST /memberships", err);
	char *cards = reply->outcome == API_REFUSED && reply->error == ERR_DUPLICATE_MEMBER
			      ? enrol_duplicate_cards_dup(reply)
			      : NULL;
	((enrol_send_fn)done)(ctx, r, r ? NULL : &f, cards);
	free(cards);
}

unsigned enrol_send_start(struct api *api, const struct enrol_form *f, struct call_retry *retry,
			  enrol_send_fn done, void *ctx)
{
	cJSON *body = enrol_body_new(f);
	unsigned id = call_start(api, "POST", "/memberships", body, call_retry_key(retry, body),
				 enrol_on_send, (call_fn)done, ctx);
	cJSON_Delete(body);
	return id;
}

struct slip *enrol_slip_new(unsigned width, const char *branch_name, const char *given_name,
			    const char *family_name, const struct enrol_result *r,
			    struct civil_date today)
{
	struct slip *s = slip_new(width);
	char date[DATE_STR_LEN], expires[DATE_STR_LEN];
	date_format_dutch(today, date);
	date_format_dutch(r->expires_on, expires);
	slip_center(s, branch_name);
	slip_center(s, date);
	slip_rule(s);
	char *line = xasprintf(_("Welcome to the library, %s!"), given_name);
	slip_text(s, line);
	free(line);
	slip_blank(s);
	line = xasprintf("%s %s", given_name, family_name);
	slip_pair(s, _("Member"), line);
	free(line);
	slip_pair(s, _("Card number"), r->card);
	slip_pair(s, _("Valid until"), expires);
	slip_blank(s);
	if (r->membership) {
		char money[32];
		circ_money(r->fee_cents, money);
		line = xasprintf(_("Adult membership %s: %s a year."), r->membership, money);
		slip_text(s, line);
		free(line);
	} else if (strcmp(r->category, "youth") == 0) {
		slip_text(s, _("Youth membership is free until your 18th birthday."));
	}
	slip_rule(s);
	return s;
}
