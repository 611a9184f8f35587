/* A due date set by hand against a real training balied and its SQLite
 * file: "due_on" at check-out and PATCH /loans/{barcode}, each needing the
 * permission due_date (403 without it, nothing changed), audited, and the
 * dates refused (in the past, no date, more than a year ahead). */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static struct api_reply *checkout_due(struct fx *fx, const char *card, const char *barcode,
				      const char *due_on)
{
	char *json = xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"%s\",\"due_on\":\"%s\"}",
			       card, barcode, due_on);
	struct api_reply *r = fx_post(fx, "/checkouts", json);
	free(json);
	return r;
}

static struct api_reply *patch(struct fx *fx, const char *barcode, const char *json)
{
	char key[UUID_STR_LEN];
	uuid_v4(key);
	char *path = xasprintf("/loans/%s", barcode);
	cJSON *body = cJSON_Parse(json);
	struct api_reply *r = api_call(fx->api, "PATCH", path, body, key);
	cJSON_Delete(body);
	free(path);
	return r;
}

static void grant(struct fx *fx, bool on)
{
	if (on)
		fx_sql(fx, "INSERT OR IGNORE INTO staff_permissions SELECT id, 'due_date' FROM staff"
			   " WHERE username = 'balie'");
	else
		fx_sql(fx, "DELETE FROM staff_permissions WHERE permission = 'due_date'");
}

static bool forbidden(struct api_reply *r)
{
	const char *permission = jsonx_string(r->error_details, "permission");
	bool pass = r->status == 403 && permission && strcmp(permission, "due_date") == 0;
	api_reply_free(r);
	return pass;
}

static void test_checkout(struct fx *fx, const char *card, long long p)
{
	char barcode[15];
	long long item = fx_item(fx, 1, "book", "CEN", barcode);
	grant(fx, false);
	ok(forbidden(checkout_due(fx, card, barcode, "2031-04-15")),
	   "a due date at check-out without the permission: 403, permission due_date");
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld", item) == 0,
	   "and nothing is lent");
	grant(fx, true);
	fx_expect(checkout_due(fx, card, barcode, "2031-03-02"), 422, "invalid_field",
		  "a due date in the past");
	fx_expect(checkout_due(fx, card, barcode, "2031-02-30"), 422, "invalid_field",
		  "a day that does not exist");
	fx_expect(checkout_due(fx, card, barcode, "2032-06-01"), 422, "invalid_field",
		  "more than a year ahead");
	struct api_reply *r = checkout_due(fx, card, barcode, "2031-04-15");
	ok(r->status == 201, "with the permission: 201");
	is_str(jsonx_string(jsonx_object(r->body, "loan"), "due_on"), "2031-04-15",
	       "due on the day given, not in 21 days");
	api_reply_free(r);
	char *due = fx_text_dup(fx, "SELECT due_on FROM loans WHERE item_id = %lld AND patron_id = %lld",
				item, p);
	is_str(due, "2031-04-15", "the store has it");
	free(due);
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'due_date' AND subject = '%s'"
		      " AND details LIKE '%%2031-04-15%%'", barcode) == 1, "audited");
}

static void test_patch(struct fx *fx, const char *card, long long p)
{
	char barcode[15], free_item[15];
	long long item = fx_item(fx, 2, "book", "CEN", barcode);
	fx_item(fx, 3, "book", "CEN", free_item);
	fx_loan(fx, item, p, "2031-03-10");
	(void)card;
	grant(fx, false);
	ok(forbidden(patch(fx, barcode, "{\"due_on\":\"2031-03-31\"}")),
	   "PATCH /loans/{barcode} without the permission: 403");
	grant(fx, true);
	struct api_reply *r = patch(fx, barcode, "{\"due_on\":\"2031-03-31\",\"reason\":\"op vakantie\"}");
	const cJSON *loan = jsonx_object(r->body, "loan");
	ok(r->status == 200, "with the permission: 200");
	is_str(jsonx_string(loan, "due_on"), "2031-03-31", "the new due date");
	is_str(jsonx_string(loan, "was"), "2031-03-10", "and the one before");
	api_reply_free(r);
	char *due = fx_text_dup(fx, "SELECT due_on FROM loans WHERE item_id = %lld", item);
	is_str(due, "2031-03-31", "the store has it");
	free(due);
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'due_date' AND subject = '%s'"
		      " AND reason = 'op vakantie' AND details LIKE '%%\"was\":\"2031-03-10\"%%'",
		  barcode) == 1, "audited with its reason and the date before");
	fx_expect(patch(fx, free_item, "{\"due_on\":\"2031-03-31\"}"), 409, "not_on_loan",
		  "an item not on loan");
	fx_expect(patch(fx, "31999999999999", "{\"due_on\":\"2031-03-31\"}"), 404, "item_not_found",
		  "an unknown item");
	fx_expect(patch(fx, barcode, "{}"), 422, "invalid_field", "no due date");
	fx_expect(patch(fx, barcode, "{\"due_on\":\"2031-03-31\",\"renewals\":0}"), 422,
		  "invalid_field", "an unknown field");
	fx_expect(patch(fx, barcode, "{\"due_on\":20310331}"), 422, "invalid_field",
		  "a due date that is no string");
}

int main(void)
{
	struct fx fx;
	if (!ok(fx_start(&fx, NULL), "a training balied on " FX_TODAY)) {
		fx_finish(&fx, true);
		return tap_done();
	}
	char card[15];
	long long p = fx_patron(&fx, 1, "Anna", "de Boer", "adult", "2032-01-01", card);
	test_checkout(&fx, card, p);
	test_patch(&fx, card, p);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
