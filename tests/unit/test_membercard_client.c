/* The client side of a membership renewal and a replacement card: the
 * decoders of the answers, the desk's words for a replaced card, and the
 * adult parts of the enrolment (the categories of the rules, the body, the
 * welcome slip). */
#include "client/enrol.h"
#include "client/membercard.h"
#include "core/jsonx.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static cJSON *parse(const char *text)
{
	return jsonx_parse(text, strlen(text), NULL);
}

static void test_renewal(void)
{
	char *err = NULL;
	cJSON *j = parse("{\"patron\":{\"card\":\"21000000000518\",\"category\":\"adult\","
			 "\"membership\":\"plus\",\"expires_on\":\"2032-03-20\"},\"fee_cents\":4500}");
	struct membercard_renewal *r = membercard_renewal_decode(j, &err);
	ok(r && strcmp(r->membership, "plus") == 0 && r->expires_on.year == 2032 &&
		   r->fee_cents == 4500,
	   "a renewal decodes: plus to 2032, 45.00");
	membercard_renewal_free(r);
	cJSON_Delete(j);
	j = parse("{\"patron\":{\"category\":\"youth\",\"expires_on\":\"2038-05-04\"}}");
	ok(!membercard_renewal_decode(j, &err) && err && strstr(err, "fee_cents"),
	   "one without the fee is refused: %s", err ? err : "");
	free(err);
	cJSON_Delete(j);

	struct api_reply reply = { .outcome = API_REFUSED, .error = ERR_MEMBERSHIP_NOT_DUE };
	cJSON *details = parse("{\"expires_on\":\"2031-06-01\",\"due_from\":\"2031-05-02\"}");
	reply.error_details = details;
	struct civil_date due;
	ok(membercard_due_from(&reply, &due) && due.month == 5 && due.day == 2,
	   "membership_not_due: due from 2 May");
	cJSON_Delete(details);
}

static void test_replaced(void)
{
	struct api_reply reply = { .outcome = API_REFUSED, .error = ERR_CARD_REPLACED };
	cJSON *details = parse("{\"new_card_last4\":\"0518\",\"reason\":\"stolen\"}");
	reply.error_details = details;
	char *text = membercard_replaced_text_dup(&reply);
	ok(text && strstr(text, "stolen") && strstr(text, "0518"),
	   "card_replaced: stolen, the new card's last digits: %s", text ? text : "");
	free(text);
	cJSON_Delete(details);
	reply.error = ERR_PATRON_NOT_FOUND;
	ok(!membercard_replaced_text_dup(&reply), "another refusal has no such words");

	char *err = NULL;
	cJSON *j = parse("{\"patron\":{\"card\":\"21000000000526\",\"given_name\":\"Emma\","
			 "\"family_name\":\"Jacobs\",\"category\":\"adult\","
			 "\"expires_on\":\"2028-01-26\"},\"old_card_last4\":\"0518\","
			 "\"reason\":\"lost\",\"fee_cents\":250}");
	struct membercard_replacement *r = membercard_replacement_decode(j, &err);
	ok(r && strcmp(r->card.card, "21000000000526") == 0 && r->card.fee_cents == 250 &&
		   strcmp(r->given_name, "Emma") == 0 && !r->card.membership,
	   "a replacement decodes: the new card, the fee, no membership for the slip");
	membercard_replacement_free(r);
	cJSON_Delete(j);
}

static void test_adult_enrolment(void)
{
	char *err = NULL;
	cJSON *j = parse("{\"youth_age\":18,\"guardian_age\":16,\"today\":\"2026-11-22\","
			 "\"memberships\":[{\"name\":\"basis\",\"fee_cents\":2500},"
			 "{\"name\":\"\",\"fee_cents\":1},{\"name\":\"plus\",\"fee_cents\":4500}]}");
	struct enrol_rules *rules = enrol_rules_decode(j, &err);
	ok(rules && rules->n_memberships == 2 &&
		   strcmp(rules->memberships[1].name, "plus") == 0 &&
		   rules->memberships[1].fee_cents == 4500,
	   "the rules' categories decode; one without a name is passed over");
	enrol_rules_free(rules);
	cJSON_Delete(j);

	struct enrol_form f = { .given_name = "Ruud", .family_name = "Hendriks",
				.birth_date = "1981-04-02", .postcode = "3511 AB",
				.house_number = "8", .branch = "CEN", .guardian = true,
				.adult = true, .membership = "plus", .id_checked = true };
	cJSON *body = enrol_body_new(&f);
	bool checked = false;
	is_str(jsonx_string(body, "kind"), "adult", "kind adult");
	is_str(jsonx_string(body, "membership"), "plus", "the category");
	ok(jsonx_bool(body, "id_checked", &checked) && checked, "id_checked true");
	ok(!cJSON_GetObjectItem(body, "guardian"), "never a guardian part for an adult");
	cJSON_Delete(body);

	struct enrol_result res = { .card = (char *)"21000000000534", .category = (char *)"adult",
				    .expires_on = { 2027, 11, 21 }, .membership = (char *)"plus",
				    .fee_cents = 4500 };
	struct slip *s = enrol_slip_new(32, "Centrale Bibliotheek", "Ruud", "Hendriks", &res,
					(struct civil_date){ 2026, 11, 22 });
	char *text = slip_text_dup(s);
	/* At 32 columns the sentence wraps. */
	ok(strstr(text, "Adult membership plus:") && strstr(text, "45.00") &&
		   strstr(text, "year.") && !strstr(text, "Youth membership"),
	   "the adult's slip names the membership and its fee");
	free(text);
	slip_free(s);
}

int main(void)
{
	test_renewal();
	test_replaced();
	test_adult_enrolment();
	return tap_done();
}
