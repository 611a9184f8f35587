/* The desk's enrolment form without a terminal: fields checked as they are
 * left (the postcode normalised, the age from dd-mm-jjjj, the guardian part
 * under the guardian age), a refusal of the service put beside the field it
 * names, and nothing typed lost on the way. */
#include "ui/screens/enrolform.h"
#include "core/jsonx.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static void type(struct enrol_screen *e, const char *text)
{
	for (const char *c = text; *c; c++)
		enrol_screen_key(e, (keycode)(unsigned char)*c);
}

static char *text_of(const struct enrol_screen *e, enum enrol_field f)
{
	return field_text_dup(&e->fields[f]);
}

/* The request body the client makes of what the form holds. */
static cJSON *enrol_screen_body_new(const struct enrol_screen *e, const char *branch,
				    const char *override_reason)
{
	struct enrol_screen_form f;
	enrol_screen_form_fill(e, branch, override_reason, &f);
	cJSON *body = enrol_body_new(&f.form);
	enrol_screen_form_clear(&f);
	return body;
}

int main(void)
{
	struct enrol_screen e;
	enrol_screen_init(&e);
	enrol_screen_set_rules(&e, 16, (struct civil_date){ 2026, 11, 22 });

	type(&e, "Noor");
	ok(enrol_screen_move(&e, true) && e.focus == ENROL_FAMILY, "a given name, then Tab");
	type(&e, "Vermeer");
	enrol_screen_move(&e, true);
	type(&e, "07-03-2019");
	ok(!enrol_screen_guardian_shown(&e), "no guardian part before the age is known");
	ok(enrol_screen_move(&e, true), "the date of birth is good");
	ok(e.age == 7, "the age is known when the field is left: %d", e.age);
	ok(enrol_screen_guardian_shown(&e), "and under 16 the guardian part is shown");
	type(&e, "1234 sa");
	ok(!enrol_screen_move(&e, true), "1234 SA is refused when left");
	ok(e.problem[ENROL_POSTCODE] != NULL, "beside the postcode: %s", e.problem[ENROL_POSTCODE]);
	ok(e.focus == ENROL_HOUSE, "the focus moves on all the same");
	type(&e, "12");

	ok(!enrol_screen_check_all(&e), "the whole form is not right yet");
	ok(e.focus == ENROL_POSTCODE, "and the focus is back on the postcode");
	enrol_screen_key(&e, 'U' & 0x1f);
	type(&e, "1234ab");
	enrol_screen_move(&e, true);
	char *pc = text_of(&e, ENROL_POSTCODE);
	is_str(pc, "1234 AB", "1234ab is written 1234 AB");
	free(pc);
	ok(e.problem[ENROL_POSTCODE] == NULL, "and its problem is gone");
	e.focus = ENROL_SUFFIX;
	type(&e, "b");
	enrol_screen_move(&e, true);
	char *suffix = text_of(&e, ENROL_SUFFIX);
	is_str(suffix, "B", "the suffix b is written B when left");
	free(suffix);

	/* The guardian: name, relation, consent. */
	e.focus = ENROL_G_NAME;
	type(&e, "Karin Vermeer");
	e.focus = ENROL_G_CONSENT;
	ok(enrol_screen_takes_text(&e, 'j'), "the consent field takes j");
	enrol_screen_key(&e, 'j');
	ok(e.consent, "j is consent");
	ok(enrol_screen_check_all(&e), "now the whole form is right");

	cJSON *body = enrol_screen_body_new(&e, "CEN", NULL);
	is_str(jsonx_string(body, "birth_date"), "2019-03-07", "the body has the ISO date");
	is_str(jsonx_string(body, "postcode"), "1234 AB", "and the normal postcode");
	is_str(jsonx_string(body, "house_number_suffix"), "B", "and the suffix in upper case");
	const cJSON *g = jsonx_object(body, "guardian");
	bool consent = false;
	ok(g && jsonx_bool(g, "consent", &consent) && consent, "and the guardian's consent");
	is_str(jsonx_string(g, "relation"), "parent", "relation parent by default");
	ok(!jsonx_object(body, "override"), "no override");
	cJSON_Delete(body);

	/* A refusal of the service beside its field; nothing typed is lost. */
	e.focus = ENROL_GIVEN;
	enrol_screen_refused(&e, "guardian.phone", "format", "A field is not filled in correctly.");
	ok(e.focus == ENROL_G_PHONE && e.problem[ENROL_G_PHONE] != NULL,
	   "a refused guardian.phone is marked beside that field, with the focus there");
	ok(e.message && strcmp(e.message, e.problem[ENROL_G_PHONE]) == 0,
	   "and said below the form in the field's own words: %s", e.message);
	enrol_screen_refused(&e, "guardian", NULL, "A parent or guardian must be recorded.");
	ok(e.focus == ENROL_G_NAME, "guardian_required goes to the guardian's name");
	enrol_screen_refused(&e, NULL, NULL, "The service is not available.");
	is_str(e.message, "The service is not available.", "a refusal of no field is the message");
	char *given = text_of(&e, ENROL_GIVEN), *family = text_of(&e, ENROL_FAMILY);
	is_str(given, "Noor", "the given name is still there");
	is_str(family, "Vermeer", "and the family name");
	free(given);
	free(family);

	body = enrol_screen_body_new(&e, "CEN", "Tweeling");
	const cJSON *o = jsonx_object(body, "override");
	is_str(jsonx_string(o, "reason"), "Tweeling", "an override carries its reason");
	cJSON_Delete(body);

	/* 16 and 18: no guardian part; too old at once. */
	e.focus = ENROL_BIRTH;
	enrol_screen_key(&e, 'U' & 0x1f);
	type(&e, "22-11-2010");
	enrol_screen_move(&e, true);
	ok(e.age == 16 && !enrol_screen_guardian_shown(&e), "16 today: no guardian part");
	e.focus = ENROL_BIRTH;
	enrol_screen_key(&e, 'U' & 0x1f);
	type(&e, "22-11-2008");
	ok(enrol_screen_move(&e, true) && enrol_screen_adult(&e),
	   "18 today: an adult membership, at once");
	ok(e.problem[ENROL_BIRTH] && strstr(e.problem[ENROL_BIRTH], "adult"),
	   "the age beside the date says so: %s", e.problem[ENROL_BIRTH]);
	ok(!enrol_screen_guardian_shown(&e), "no guardian part");
	ok(!enrol_screen_check_all(&e) && e.focus == ENROL_MEMBERSHIP,
	   "without categories from the service the membership cannot be chosen");
	struct enrol_rules rules = { .n_memberships = 2 };
	rules.memberships[0] = (struct enrol_membership){ .name = (char *)"basis", .fee_cents = 2500 };
	rules.memberships[1] = (struct enrol_membership){ .name = (char *)"plus", .fee_cents = 4500 };
	enrol_screen_set_memberships(&e, &rules);
	ok(!enrol_screen_check_all(&e) && e.focus == ENROL_ID_CHECKED,
	   "then the ID document must be checked");
	enrol_screen_key(&e, 'j');
	e.focus = ENROL_MEMBERSHIP;
	enrol_screen_key(&e, KEYC_SPACE);
	ok(enrol_screen_check_all(&e), "with a yes the form is complete");
	body = enrol_screen_body_new(&e, "CEN", NULL);
	is_str(jsonx_string(body, "kind"), "adult", "sent as kind adult");
	is_str(jsonx_string(body, "membership"), "plus", "with the category chosen");
	bool checked = false;
	ok(jsonx_bool(body, "id_checked", &checked) && checked, "and id_checked true");
	ok(!jsonx_object(body, "guardian"), "and no guardian part");
	cJSON_Delete(body);
	e.focus = ENROL_BIRTH;
	enrol_screen_key(&e, 'U' & 0x1f);
	type(&e, "23-11-2008");
	ok(enrol_screen_move(&e, true) && e.age == 17, "18 tomorrow: 17, still a youth member");
	enrol_screen_free(&e);
	return tap_done();
}
