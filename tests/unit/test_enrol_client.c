/* The client side of the enrolment: the request body, the decoders of the
 * answers, and the welcome slip's text. */
#include "client/enrol.h"
#include "core/jsonx.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static cJSON *parse(const char *text)
{
	return jsonx_parse(text, strlen(text), NULL);
}

int main(void)
{
	char *err = NULL;
	cJSON *j = parse("{\"youth_age\":18,\"guardian_age\":14,\"youth_at_18\":\"end\","
			 "\"today\":\"2026-11-22\"}");
	struct enrol_rules *r = enrol_rules_decode(j, &err);
	ok(r && r->guardian_age == 14 && r->youth_age == 18 && r->today.day == 22,
	   "the rules decode");
	enrol_rules_free(r);
	cJSON_Delete(j);
	j = parse("{\"youth_age\":18,\"guardian_age\":\"16\",\"today\":\"2026-11-22\"}");
	ok(!enrol_rules_decode(j, &err) && err && strstr(err, "guardian_age"),
	   "a guardian age that is no number is refused: %s", err ? err : "");
	free(err);
	err = NULL;
	cJSON_Delete(j);

	j = parse("{\"patron\":{\"card\":\"21000000000518\",\"category\":\"youth\","
		  "\"expires_on\":\"2037-10-22\"}}");
	struct enrol_result *res = enrol_result_decode(j, &err);
	ok(res && strcmp(res->card, "21000000000518") == 0 && res->expires_on.year == 2037,
	   "the answer decodes");
	cJSON_Delete(j);
	j = parse("{\"patron\":{\"card\":\"21000000000518\",\"category\":\"youth\"}}");
	ok(!enrol_result_decode(j, &err) && err && strstr(err, "expires_on"),
	   "an answer without expires_on is refused");
	free(err);
	err = NULL;
	cJSON_Delete(j);

	struct enrol_form f = { .given_name = "Zoë", .family_name = "Bos",
				.birth_date = "2009-08-14", .postcode = "2511 CV", .house_number = "3",
				.suffix = "", .email = NULL, .phone = "0612345678", .branch = "CEN" };
	cJSON *body = enrol_body_new(&f);
	is_str(jsonx_string(body, "kind"), "youth", "kind youth");
	ok(!cJSON_GetObjectItem(body, "house_number_suffix") && !cJSON_GetObjectItem(body, "email"),
	   "empty optional fields are left out");
	is_str(jsonx_string(body, "phone"), "0612345678", "a given one is sent");
	ok(!cJSON_GetObjectItem(body, "guardian") && !cJSON_GetObjectItem(body, "override"),
	   "no guardian and no override unless asked");
	ok(!cJSON_GetObjectItem(body, "bsn"), "and never a BSN");
	cJSON_Delete(body);

	struct api_reply reply = { .outcome = API_REFUSED, .error = ERR_DUPLICATE_MEMBER };
	cJSON *details = parse("{\"blocks\":[\"duplicate_member\"],"
			       "\"cards\":[\"21000000000518\",\"21000000000526\"]}");
	reply.error_details = details;
	char *cards = enrol_duplicate_cards_dup(&reply);
	is_str(cards, "21000000000518, 21000000000526", "the duplicate's cards, listed");
	free(cards);
	cJSON_Delete(details);

	struct slip *s = enrol_slip_new(32, "Bibliotheek Zuid", "Zoë", "Bos", res,
					(struct civil_date){ 2026, 11, 22 });
	char *text = slip_text_dup(s);
	ok(strstr(text, "Welcome to the library, Zoë!") != NULL, "the slip greets the member");
	ok(strstr(text, "21000000000518") != NULL, "it holds the card number");
	ok(strstr(text, "22-10-2037") != NULL, "and the last day as dd-mm-jjjj");
	ok(strstr(text, "22-11-2026") != NULL, "and today");
	bool narrow = true;
	for (char *line = text; *line;) {
		char *end = strchr(line, '\n');
		size_t chars = 0;
		for (char *c = line; c < end; c++)
			chars += ((unsigned char)*c & 0xc0) != 0x80;
		narrow = narrow && chars <= 32;
		line = end + 1;
	}
	ok(narrow, "no line is wider than 32 characters");
	free(text);
	slip_free(s);
	enrol_result_free(res);
	return tap_done();
}
