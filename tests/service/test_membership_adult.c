/* Adult membership and the renewal of memberships against a real training
 * balied on a fixed day (circ_fixture.h, 3 March 2031): the yearly fee
 * charged to the account, the expiry a year on, the ID document's "yes",
 * the age, the rules file's own categories, and renewals of adult and youth
 * memberships, early or not yet due. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/luhn.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* An adult enrolment body with one member replaced (value NULL: left out;
 * value is JSON text). */
static char *adult_json_dup(const char *family, const char *birth, const char *member,
			    const char *value)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "kind", "adult");
	cJSON_AddStringToObject(b, "membership", "basis");
	cJSON_AddBoolToObject(b, "id_checked", true);
	cJSON_AddStringToObject(b, "given_name", "Sanne");
	cJSON_AddStringToObject(b, "family_name", family);
	cJSON_AddStringToObject(b, "birth_date", birth);
	cJSON_AddStringToObject(b, "postcode", "3511 AB");
	cJSON_AddStringToObject(b, "house_number", "7");
	cJSON_AddStringToObject(b, "email", "sanne@example.nl");
	cJSON_AddStringToObject(b, "branch", "CEN");
	if (member) {
		cJSON_DeleteItemFromObjectCaseSensitive(b, member);
		if (value)
			cJSON_AddItemToObject(b, member, cJSON_Parse(value));
	}
	char *text = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	return text;
}

static struct api_reply *enrol(struct fx *fx, const char *family, const char *birth,
			       const char *member, const char *value)
{
	char *json = adult_json_dup(family, birth, member, value);
	struct api_reply *r = fx_post(fx, "/memberships", json);
	free(json);
	return r;
}

static void expect_field(struct api_reply *r, const char *field, const char *reason,
			 const char *what)
{
	is_str(jsonx_string(r->error_details, "field"), field, "%s: field %s", what, field);
	is_str(jsonx_string(r->error_details, "reason"), reason, "%s: reason %s", what, reason);
	fx_expect(r, 422, "invalid_field", what);
}

static void test_enrol(struct fx *fx)
{
	char *json = adult_json_dup("Visser", "1990-06-15", NULL, NULL);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *r = fx_post_key(fx, "/memberships", json, key);
	const cJSON *p = jsonx_object(r->body, "patron");
	const char *card = jsonx_string(p, "card");
	char *kept = xstrdup(card ? card : "");
	ok(r->status == 201, "an adult with the ID checked is enrolled: 201 (got %ld)", r->status);
	is_str(jsonx_string(p, "category"), "adult", "category adult");
	is_str(jsonx_string(p, "membership"), "basis", "membership basis");
	is_str(jsonx_string(p, "expires_on"), "2032-03-02", "the card runs a year: to 2 March 2032");
	long long fee = -1;
	ok(jsonx_int(r->body, "fee_cents", &fee) && fee == 2500, "the answer says 25.00 charged");
	struct api_reply *again = fx_post_key(fx, "/memberships", json, key);
	ok(again->status == 201 && cJSON_Compare(again->body, r->body, true),
	   "the same key again: the same answer");
	api_reply_free(again);
	api_reply_free(r);
	free(json);
	long long id = fx_num(fx, "SELECT id FROM patrons WHERE card = '%s'", kept);
	ok(fx_num(fx, "SELECT count(*) FROM charges WHERE patron_id = %lld", id) == 1 &&
		   fx_num(fx, "SELECT amount_cents FROM charges WHERE patron_id = %lld"
			      " AND kind = 'membership_fee' AND branch_code = 'CEN'", id) == 2500,
	   "one membership_fee charge of 25.00 at CEN, not two");
	char *s = fx_text_dup(fx, "SELECT category || ' ' || membership || ' ' || expires_on"
				  " FROM patrons WHERE id = %lld", id);
	is_str(s, "adult basis 2032-03-02", "stored as adult, basis, to 2032-03-02");
	free(s);
	s = fx_text_dup(fx, "SELECT details FROM audit_log WHERE subject = '%s'"
			    " AND action = 'membership_enrol'", kept);
	ok(s && strstr(s, "\"id_checked\":true") && strstr(s, "\"fee_cents\":2500"),
	   "the audit row says the ID was checked and the fee (%s)", s ? s : "none");
	free(s);
	struct api_reply *dup = enrol(fx, "Visser", "1990-06-15", NULL, NULL);
	fx_expect(dup, 409, "duplicate_member", "the same person again");
	free(kept);
}

static void test_refusals(struct fx *fx)
{
	long long before = fx_num(fx, "SELECT count(*) FROM patrons");
	expect_field(enrol(fx, "Jong", "1985-01-01", "id_checked", "false"), "id_checked",
		     "missing", "ID not checked");
	expect_field(enrol(fx, "Jong", "1985-01-01", "id_checked", NULL), "id_checked", "missing",
		     "id_checked left out");
	expect_field(enrol(fx, "Jong", "1985-01-01", "id_checked", "\"ja\""), "id_checked",
		     "format", "id_checked a string");
	expect_field(enrol(fx, "Jong", "1985-01-01", "membership", "\"goud\""), "membership",
		     "unknown", "a membership the rules do not know");
	expect_field(enrol(fx, "Jong", "1985-01-01", "membership", NULL), "membership", "missing",
		     "no membership");
	expect_field(enrol(fx, "Jong", "1985-01-01", "guardian",
			   "{\"name\":\"Els Jong\",\"relation\":\"parent\",\"consent\":true}"),
		     "guardian", "not_allowed", "an adult with a guardian part");
	struct api_reply *r = enrol(fx, "Jong", "2013-03-04", NULL, NULL);
	long long age = 0;
	ok(jsonx_int(r->error_details, "age", &age) && age == 17,
	   "18 tomorrow: the refusal says 17");
	is_str(jsonx_string(r->error_details, "membership"), "youth",
	       "and points to youth membership");
	fx_expect(r, 422, "not_eligible_age", "an adult membership at 17");
	r = enrol(fx, "Jong", "2013-03-03", NULL, NULL);
	ok(r->status == 201, "18 today: an adult member (got %ld)", r->status);
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM patrons") == before + 1, "only that one was stored");
	ok(fx_num(fx, "SELECT count(*) FROM charges c JOIN patrons p ON p.id = c.patron_id"
		      " WHERE p.category = 'youth' AND c.kind = 'membership_fee'") == 0,
	   "no youth member has a membership fee");
}

static void test_youth_free(struct fx *fx)
{
	struct api_reply *r = fx_post(fx, "/memberships",
		"{\"kind\":\"youth\",\"given_name\":\"Mees\",\"family_name\":\"Kok\","
		"\"birth_date\":\"2019-04-01\",\"postcode\":\"3511 AB\",\"house_number\":\"9\","
		"\"branch\":\"CEN\",\"guardian\":{\"name\":\"Ans Kok\",\"relation\":\"parent\","
		"\"consent\":true}}");
	const char *card = jsonx_string(jsonx_object(r->body, "patron"), "card");
	long long fee = -1;
	ok(r->status == 201 && jsonx_int(r->body, "fee_cents", &fee) && fee == 0,
	   "a youth enrolment: 201, fee 0");
	ok(fx_num(fx, "SELECT count(*) FROM charges c JOIN patrons p ON p.id = c.patron_id"
		      " WHERE p.card = '%s'", card ? card : "") == 0, "and nothing charged");
	api_reply_free(r);
}

static struct api_reply *renew(struct fx *fx, const char *card, const char *json)
{
	char *path = xasprintf("/memberships/%s/renewal", card);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *r = json ? fx_post_key(fx, path, json, key)
				   : api_call(fx->api, "POST", path, NULL, key);
	free(path);
	return r;
}

static void expect_renewed(struct api_reply *r, const char *expires, long long fee,
			   const char *what)
{
	long long f = -1;
	ok(r->status == 200, "%s: 200 (got %ld %s)", what, r->status,
	   r->error_code ? r->error_code : "");
	is_str(jsonx_string(jsonx_object(r->body, "patron"), "expires_on"), expires,
	       "%s: to %s", what, expires);
	ok(jsonx_int(r->body, "fee_cents", &f) && f == fee, "%s: fee %lld (got %lld)", what, fee, f);
	api_reply_free(r);
}

static long long fees_of(struct fx *fx, long long id)
{
	return fx_num(fx, "SELECT coalesce(sum(amount_cents), 0) FROM charges"
			  " WHERE patron_id = %lld AND kind = 'membership_fee'", id);
}

static void test_renew_adult(struct fx *fx)
{
	char card[15];
	long long id = fx_patron(fx, 11, "Piet", "Bakker", "adult", "2031-03-20", card);
	fx_sql(fx, "UPDATE patrons SET membership = 'basis' WHERE id = %lld", id);
	char *path = xasprintf("/memberships/%s/renewal", card);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	expect_renewed(fx_post_key(fx, path, "{}", key), "2032-03-20", 2500,
		       "an adult card expiring in 17 days");
	expect_renewed(fx_post_key(fx, path, "{}", key), "2032-03-20", 2500,
		       "the same key again");
	free(path);
	ok(fees_of(fx, id) == 2500, "charged once: 25.00");
	char *s = fx_text_dup(fx, "SELECT details FROM audit_log WHERE subject = '%s'"
				  " AND action = 'membership_renewal'", card);
	ok(s && strstr(s, "\"previous_expires_on\":\"2031-03-20\""),
	   "the renewal is in the audit log (%s)", s ? s : "none");
	free(s);
	struct api_reply *r = renew(fx, card, "{}");
	is_str(jsonx_string(r->error_details, "due_from"), "2032-02-19",
	       "renewed already: due from 30 days before 2032-03-20");
	fx_expect(r, 409, "membership_not_due", "renewed again at once");
	ok(fees_of(fx, id) == 2500, "and nothing more charged");

	id = fx_patron(fx, 12, "Kees", "Bakker", "adult", "2030-12-31", card);
	fx_sql(fx, "UPDATE patrons SET membership = '65plus' WHERE id = %lld", id);
	expect_renewed(renew(fx, card, NULL), "2032-03-02", 2000,
		       "an expired 65plus card: a year from today");

	id = fx_patron(fx, 13, "Mia", "Bakker", "adult", "2031-06-01", card);
	r = renew(fx, card, NULL);
	is_str(jsonx_string(r->error_details, "expires_on"), "2031-06-01", "not due: the expiry");
	fx_expect(r, 409, "membership_not_due", "a card that runs three more months");

	id = fx_patron(fx, 14, "Ton", "Bakker", "adult", "2031-03-01", card);
	fx_expect(renew(fx, card, "{\"membership\":\"goud\"}"), 422, "invalid_field",
		  "renewed in a category the rules do not know");
	fx_expect(renew(fx, card, "{\"branch\":\"CEN\"}"), 422, "invalid_field",
		  "a member the renewal does not take");
	expect_renewed(renew(fx, card, "{\"membership\":\"plus\"}"), "2032-03-02", 4500,
		       "renewed as plus");
	s = fx_text_dup(fx, "SELECT membership FROM patrons WHERE id = %lld", id);
	is_str(s, "plus", "now a plus member");
	free(s);

	id = fx_patron(fx, 15, "Els", "Bakker", "adult", "2031-02-01", card);
	expect_renewed(renew(fx, card, NULL), "2032-03-02", 2500,
		       "an adult from before categories: renewed as the first, basis");
	s = fx_text_dup(fx, "SELECT membership FROM patrons WHERE id = %lld", id);
	is_str(s, "basis", "and now a basis member");
	free(s);
}

static void test_renew_youth(struct fx *fx)
{
	char card[15];
	long long id = fx_patron(fx, 21, "Lotte", "Smit", "youth", "2031-03-10", card);
	expect_renewed(renew(fx, card, NULL), "2038-05-04", 0,
		       "a youth card: to the day before the 18th birthday");
	ok(fx_num(fx, "SELECT count(*) FROM charges WHERE patron_id = %lld", id) == 0,
	   "free: nothing charged");
	fx_expect(renew(fx, card, NULL), 409, "membership_not_due", "a youth card renewed again");

	id = fx_patron(fx, 22, "Sem", "Smit", "youth", "2031-03-31", card);
	fx_sql(fx, "UPDATE patrons SET birth_date = '2013-04-01' WHERE id = %lld", id);
	struct api_reply *r = renew(fx, card, NULL);
	is_str(jsonx_string(r->error_details, "membership"), "adult",
	       "18 within the month: the refusal points to adult membership");
	fx_expect(r, 422, "not_eligible_age", "a youth membership that already runs to 18");

	char unknown[15] = "2199988888888";
	unknown[13] = luhn_digit(unknown);
	unknown[14] = '\0';
	fx_expect(renew(fx, unknown, NULL), 404, "patron_not_found", "an unknown card");
}

static void test_own_rules(void)
{
	struct fx fx;
	if (!fx_start(&fx, "membership_fee_standaard = 30,00\nmembership_fee_jongvolwassen = 12.50\n"
			   "membership_renewal_days = 60\n"))
		return;
	expect_field(enrol(&fx, "Wit", "1970-01-01", NULL, NULL), "membership", "unknown",
		     "the rules file names its own: basis is gone");
	struct api_reply *r = enrol(&fx, "Wit", "1970-01-01", "membership", "\"standaard\"");
	long long fee = 0;
	ok(r->status == 201 && jsonx_int(r->body, "fee_cents", &fee) && fee == 3000,
	   "standaard: 30.00 (got %ld)", r->status);
	api_reply_free(r);
	char card[15];
	long long id = fx_patron(&fx, 31, "Joop", "Wit", "adult", "2031-04-30", card);
	fx_sql(&fx, "UPDATE patrons SET membership = 'jongvolwassen' WHERE id = %lld", id);
	expect_renewed(renew(&fx, card, NULL), "2032-04-30", 1250,
		       "renewal_days 60: due 58 days early");
	fx_finish(&fx, tap_failed > 0);
}

int main(void)
{
	struct fx fx;
	if (!fx_start(&fx, NULL))
		return tap_done();
	test_enrol(&fx);
	test_refusals(&fx);
	test_youth_free(&fx);
	test_renew_adult(&fx);
	test_renew_youth(&fx);
	fx_finish(&fx, tap_failed > 0);
	test_own_rules();
	return tap_done();
}
