/* The personal-data guard of POST /ido/questions on a real balied, with the
 * generated table of notes (tests/pdguard) that the unit test gives the core
 * guard: each note with personal data is refused with personal_data_in_note
 * and details naming every kind in it, each harmless note is stored (201). */
#include "tap.h"

#include "core/date.h"
#include "harness.h"
#include "core/jsonx.h"
#include "core/pdguard.h"
#include "pdguard/notes.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static struct api *api;

static cJSON *question_body(const char *visit, const char *note)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "visit_id", visit);
	cJSON_AddStringToObject(b, "class", "digital_government");
	cJSON *topics = cJSON_AddArrayToObject(b, "topics");
	cJSON_AddItemToArray(topics, cJSON_CreateString("tax_return"));
	cJSON_AddArrayToObject(b, "organisations");
	cJSON *help = cJSON_AddArrayToObject(b, "help");
	cJSON_AddItemToArray(help, cJSON_CreateString("digital_service"));
	cJSON_AddStringToObject(b, "outcome", "answered");
	cJSON_AddNumberToObject(b, "minutes", 5);
	cJSON_AddStringToObject(b, "channel", "walk_in");
	cJSON_AddStringToObject(b, "note", note);
	return b;
}

/* The kinds the answer names: details.kinds, or details.kind alone. */
static unsigned named_kinds(const cJSON *details)
{
	unsigned kinds = 0;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(details, "kinds");
	const cJSON *item;
	if (cJSON_IsArray(list)) {
		cJSON_ArrayForEach(item, list)
			if (cJSON_IsString(item))
				kinds |= PDGUARD_BIT(pdguard_kind_from_name(item->valuestring));
	} else {
		kinds = PDGUARD_BIT(pdguard_kind_from_name(jsonx_string(details, "kind")));
	}
	return kinds & ~PDGUARD_BIT(PDGUARD_NONE);
}

/* One note posted; true when the answer is what the table says. */
static bool answer_right(const struct pdnote *note, const char *visit, char **got)
{
	char key[UUID_STR_LEN];
	uuid_v4(key);
	cJSON *body = question_body(visit, note->text);
	struct api_reply *r = api_call(api, "POST", "/ido/questions", body, key);
	cJSON_Delete(body);
	bool right;
	if (note->want == 0) {
		right = r->status == 201;
		*got = xasprintf("%ld %s", r->status, r->error_code ? r->error_code : "");
	} else {
		unsigned kinds = named_kinds(r->error_details);
		right = r->status == 422 && r->error_code &&
			strcmp(r->error_code, "personal_data_in_note") == 0 && kinds == note->want;
		char *names = pdnotes_kinds_dup(kinds, "none");
		*got = xasprintf("%ld %s %s", r->status, r->error_code ? r->error_code : "", names);
		free(names);
	}
	api_reply_free(r);
	return right;
}

static void test_table(void)
{
	size_t n;
	struct pdnote *notes = pdnotes_new(date_today(), &n);
	ok(n >= 200, "the table has %zu notes (at least 200)", n);
	char visit[UUID_STR_LEN];
	uuid_v4(visit);
	size_t wrong = 0;
	for (size_t i = 0; i < n; i++) {
		char *got, *want = pdnotes_kinds_dup(notes[i].want, "stored");
		if (!ok(answer_right(&notes[i], visit, &got), "%s: %s", notes[i].what, want)) {
			diag("note \"%s\" answered %s", notes[i].text, got);
			wrong++;
		}
		free(got);
		free(want);
	}
	ok(wrong == 0, "the service answers every note of the table as the guard does (%zu wrong)",
	   wrong);
	pdnotes_free(notes, n);
}

int main(void)
{
	struct harness h;
	struct harness_opts opts = { .training = true };
	if (!ok(harness_start(&h, &opts), "balied --training starts")) {
		harness_cleanup(&h);
		return tap_done();
	}
	api = harness_api(&h);
	api_set_token(api, NULL);
	struct api_reply *r = harness_login(api, "ido", "oefenen", "CEN");
	const char *t = jsonx_string(r->body, "token");
	ok(t != NULL, "ido logs in at CEN");
	api_set_token(api, t);
	api_reply_free(r);
	test_table();
	api_free(api);
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	return tap_done();
}
