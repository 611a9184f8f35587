/* An item's alert against a real training balied and its SQLite file: the
 * note with its alert flag, set by administration (PUT /items/{barcode}/note,
 * 403 for the desk; "balied items note"), is answered as "alert" by every
 * check-in and check-out of the item and shown by the look-up, until it is
 * removed; the refusals of the body. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static struct api_reply *put_note(struct fx *fx, const char *barcode, const char *json)
{
	char key[UUID_STR_LEN];
	uuid_v4(key);
	char *path = xasprintf("/items/%s/note", barcode);
	cJSON *body = cJSON_Parse(json);
	struct api_reply *r = api_call(fx->api, "PUT", path, body, key);
	cJSON_Delete(body);
	free(path);
	return r;
}

static char *checkin_alert_dup(struct fx *fx, const char *barcode)
{
	struct api_reply *r = fx_checkin(fx, barcode);
	const char *a = jsonx_string(jsonx_object(r->body, "item"), "alert");
	char *alert = a ? xstrdup(a) : NULL;
	api_reply_free(r);
	return alert;
}

static void test_alert(struct fx *fx)
{
	char card[15], barcode[15];
	long long p = fx_patron(fx, 1, "Anna", "de Boer", "adult", "2032-01-01", card);
	long long item = fx_item(fx, 1, "game", "CEN", barcode);
	const char *body = "{\"note\":\"spel: 3 delen, tel ze\",\"alert\":true}";
	fx_expect(put_note(fx, barcode, body), 403, "forbidden", "the desk may not set a note");
	if (!ok(fx_login(fx, "beheer", "CEN"), "beheer logs in"))
		return;
	struct api_reply *r = put_note(fx, barcode, body);
	bool alert = false;
	ok(r->status == 200 && jsonx_bool(r->body, "note_alert", &alert) && alert,
	   "administration sets the note with its alert flag");
	api_reply_free(r);
	fx_expect(put_note(fx, barcode, "{\"note\":5}"), 422, "invalid_field", "a note that is no text");
	fx_expect(put_note(fx, barcode, "{\"note\":\"x\",\"alert\":\"ja\"}"), 422, "invalid_field",
		  "an alert that is no boolean");
	fx_expect(put_note(fx, barcode, "{\"note\":\"x\",\"kleur\":1}"), 422, "invalid_field",
		  "an unknown field");
	fx_expect(put_note(fx, "31999999999999", body), 404, "item_not_found", "an unknown item");
	fx_login(fx, "balie", "CEN");

	r = fx_checkout(fx, card, barcode);
	is_str(jsonx_string(jsonx_object(r->body, "loan"), "alert"), "spel: 3 delen, tel ze",
	       "the check-out answers the alert");
	api_reply_free(r);
	char *a = checkin_alert_dup(fx, barcode);
	is_str(a, "spel: 3 delen, tel ze", "so does the check-in");
	free(a);
	fx_loan(fx, item, p, "2031-03-20");
	a = checkin_alert_dup(fx, barcode);
	is_str(a, "spel: 3 delen, tel ze", "and every next one");
	free(a);

	char *out = NULL, *err = NULL;
	int status = harness_run(&fx->h, NULL, &out, &err, "items", "note", barcode,
				 "spel: 4 delen", NULL);
	ok(status == 0 && strstr(out, "note set"), "balied items note without --alert (exit %d)",
	   status);
	free(out);
	free(err);
	fx_loan(fx, item, p, "2031-03-20");
	a = checkin_alert_dup(fx, barcode);
	ok(a == NULL, "a note without the flag is no alert");
	free(a);
	char *note = fx_text_dup(fx, "SELECT note FROM items WHERE id = %lld", item);
	is_str(note, "spel: 4 delen", "the note is kept");
	free(note);
	status = harness_run(&fx->h, NULL, &out, &err, "items", "note", "--alert", barcode,
			     "tel de delen", NULL);
	ok(status == 0 && strstr(out, "alert"), "balied items note --alert (exit %d)", status);
	free(out);
	free(err);
	ok(fx_num(fx, "SELECT note_alert FROM items WHERE id = %lld", item) == 1, "the flag is set");
	status = harness_run(&fx->h, NULL, &out, &err, "items", "note", "31999999999999", NULL);
	ok(status == 1, "an unknown barcode: exit 1");
	free(out);
	free(err);
	status = harness_run(&fx->h, NULL, &out, &err, "items", "note", barcode, NULL);
	ok(status == 0 && fx_num(fx, "SELECT note IS NULL AND note_alert = 0 FROM items"
				     " WHERE id = %lld", item) == 1, "without text the note goes");
	free(out);
	free(err);
}

int main(void)
{
	struct fx fx;
	if (!ok(fx_start(&fx, NULL), "a training balied on " FX_TODAY)) {
		fx_finish(&fx, true);
		return tap_done();
	}
	test_alert(&fx);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
