/* Changing a patron against a real training balied and its SQLite file: an
 * edit checked as at enrolment, refused as a duplicate member, audited with
 * the field names and never the old contact details; the staff note and the
 * message under the personal-data guard, the message shown once at a
 * check-out's read; a block by hand with its permission and audit; the
 * reading history kept, listed and erased; erasure refused with loans and
 * with a balance, then erasing all but the statistics; the retention job. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A call with a JSON text body (NULL for none) and a new key when mutating. */
static struct api_reply *call_json(struct fx *fx, const char *method, const char *path,
				   const char *json)
{
	cJSON *body = json ? cJSON_Parse(json) : NULL;
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *r =
		api_call(fx->api, method, path, body, strcmp(method, "GET") == 0 ? NULL : key);
	cJSON_Delete(body);
	return r;
}

static struct api_reply *on_patron(struct fx *fx, const char *method, const char *card,
				   const char *tail, const char *json)
{
	char *path = xasprintf("/patrons/%s%s", card, tail);
	struct api_reply *r = call_json(fx, method, path, json);
	free(path);
	return r;
}

static bool detail_is(const struct api_reply *r, const char *key, const char *want)
{
	const char *got = jsonx_string(r->error_details, key);
	return got && strcmp(got, want) == 0;
}

static void test_edit(struct fx *fx)
{
	char card[15], other[15];
	long long id = fx_patron(fx, 1, "Anna", "Smit", "adult", "2032-01-01", card);
	fx_patron(fx, 2, "Bram", "de Vries", "adult", "2032-01-01", other);
	fx_sql(fx, "UPDATE patrons SET email = 'oud@example.nl', phone = '0201234567'"
		   " WHERE id = %lld", id);
	struct api_reply *r = on_patron(fx, "PATCH", card, "",
		"{\"given_name\":\" Anne \",\"postcode\":\"1011ab\",\"house_number\":\"12\","
		"\"house_number_suffix\":\"b\",\"email\":\"nieuw@example.nl\","
		"\"phone\":\"06-12345678\"}");
	ok(r->status == 200, "an edit of name, address and contact: 200 (got %ld)", r->status);
	const cJSON *fields = jsonx_array(jsonx_object(r->body, "patron"), "fields");
	ok(cJSON_GetArraySize(fields) == 6, "the answer names the 6 fields changed");
	api_reply_free(r);
	char *stored = fx_text_dup(fx, "SELECT given_name || '|' || postcode || '|' || house_number"
				       " || '|' || house_number_suffix || '|' || email || '|' || phone"
				       " FROM patrons WHERE id = %lld", id);
	is_str(stored, "Anne|1011 AB|12|B|nieuw@example.nl|0612345678",
	   "stored in enrolment's form: trimmed, postcode and suffix normal, phone national");
	free(stored);
	char *audit = fx_text_dup(fx, "SELECT details FROM audit_log WHERE action = 'patron_edit'"
				      " AND subject = '%s'", card);
	ok(audit && strstr(audit, "\"email\"") && strstr(audit, "\"given_name\""),
	   "the audit row names the fields (%s)", audit ? audit : "none");
	ok(audit && !strstr(audit, "oud@example.nl") && !strstr(audit, "0201234567") &&
		   !strstr(audit, "nieuw@example.nl"),
	   "the audit row holds no old (or new) contact details");
	free(audit);
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'patron_edit'"
		      " AND staff_id = (SELECT id FROM staff WHERE username = 'balie')") == 1,
	   "the audit row names who changed it");

	/* The same Idempotency-Key again: the stored answer, no second change. */
	cJSON *body = cJSON_Parse("{\"phone\":\"0301234567\"}");
	char key[UUID_STR_LEN], *path = xasprintf("/patrons/%s", card);
	uuid_v4(key);
	struct api_reply *first = api_call(fx->api, "PATCH", path, body, key);
	struct api_reply *again = api_call(fx->api, "PATCH", path, body, key);
	ok(first->status == 200 && again->status == 200 &&
		   fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'patron_edit'"
			      " AND subject = '%s'", card) == 2,
	   "an edit sent twice with one Idempotency-Key is made once");
	api_reply_free(first);
	api_reply_free(again);
	free(path);
	cJSON_Delete(body);
	fx_expect(on_patron(fx, "PATCH", card, "", "{\"postcode\":\"1234 SS\"}"), 422,
		  "invalid_field", "a postcode in SS");
	r = on_patron(fx, "PATCH", card, "", "{\"email\":\"geen-adres\"}");
	ok(detail_is(r, "field", "email") && detail_is(r, "reason", "format"),
	   "a bad e-mail address is invalid_field email format");
	api_reply_free(r);
	r = on_patron(fx, "PATCH", card, "", "{\"birth_date\":\"1990-01-01\"}");
	ok(r->status == 422 && detail_is(r, "field", "birth_date") && detail_is(r, "reason", "unknown"),
	   "a member that is no field of an edit is invalid_field, named");
	api_reply_free(r);
	fx_expect(on_patron(fx, "PATCH", card, "", "{\"family_name\":\"\"}"), 422, "invalid_field",
		  "a family name cleared");
	fx_expect(on_patron(fx, "PATCH", card, "", "{\"given_name\":42}"), 422, "invalid_field",
		  "a name that is a number");
	fx_expect(on_patron(fx, "PATCH", card, "", "{}"), 422, "invalid_field", "an empty edit");
	fx_expect(on_patron(fx, "PATCH", "21999000009991", "", "{\"given_name\":\"Piet\"}"), 404,
		  "patron_not_found", "an edit of a card nobody has");
	r = on_patron(fx, "PATCH", card, "", "{\"email\":null,\"phone\":\"\"}");
	ok(r->status == 200, "null and \"\" clear e-mail and phone: 200 (got %ld)", r->status);
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM patrons WHERE id = %lld AND email IS NULL"
		      " AND phone IS NULL", id) == 1, "e-mail and phone are gone");

	/* Bram becomes a second Smit born the same day at the same postcode. */
	fx_sql(fx, "UPDATE patrons SET postcode = '1011 AB' WHERE card = '%s'", other);
	r = on_patron(fx, "PATCH", other, "", "{\"family_name\":\"smit\"}");
	const cJSON *cards = r->error_details ? jsonx_array(r->error_details, "cards") : NULL;
	ok(r->status == 409 && r->error_code && strcmp(r->error_code, "duplicate_member") == 0 &&
		   cards && cJSON_GetArraySize(cards) == 1 &&
		   strcmp(cJSON_GetArrayItem(cards, 0)->valuestring, card) == 0,
	   "an edit that makes a duplicate member: 409 duplicate_member naming the other card");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM patrons WHERE card = '%s' AND family_name = 'de Vries'",
		  other) == 1, "the refused edit changed nothing");
	r = on_patron(fx, "PATCH", other, "", "{\"family_name\":\"Smit\",\"override\":"
		      "{\"blocks\":[\"duplicate_member\"],\"reason\":\"tweeling, ID gezien\"}}");
	ok(r->status == 200, "the duplicate overridden with a reason: 200 (got %ld)", r->status);
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'patron_edit'"
		      " AND subject = '%s' AND reason = 'tweeling, ID gezien'", other) == 1,
	   "the override's reason is in the audit row");
}

static void test_notes(struct fx *fx)
{
	char card[15];
	fx_patron(fx, 10, "Cas", "Mulder", "adult", "2032-01-01", card);
	struct api_reply *r = on_patron(fx, "PUT", card, "/note",
					"{\"note\":\"Wil graag gebeld worden over thrillers\"}");
	ok(r->status == 200, "a staff note: 200 (got %ld)", r->status);
	api_reply_free(r);
	r = on_patron(fx, "PUT", card, "/note", "{\"note\":\"BSN 111222333 gezien\"}");
	ok(r->status == 422 && r->error_code && strcmp(r->error_code, "personal_data_in_note") == 0 &&
		   detail_is(r, "kind", "bsn") && detail_is(r, "field", "note"),
	   "a note with a BSN: personal_data_in_note, kind bsn");
	api_reply_free(r);
	r = on_patron(fx, "PUT", card, "/note",
		      "{\"note\":\"Verhuisd naar 1011 AB, boete betaald op 01-03-2031\"}");
	ok(r->status == 200, "a postcode and a date in a staff note are the desk's to write: 200 "
			     "(got %ld)", r->status);
	api_reply_free(r);
	r = on_patron(fx, "PUT", card, "/message", "{\"message\":\"IBAN NL91ABNA0417164300\"}");
	ok(r->status == 422 && detail_is(r, "kind", "iban") && detail_is(r, "field", "message"),
	   "a message with an IBAN: personal_data_in_note, kind iban");
	api_reply_free(r);
	char *long_text = xcalloc(1, 300);
	memset(long_text, 'a', 281);
	char *json = xasprintf("{\"message\":\"%s\"}", long_text);
	fx_expect(on_patron(fx, "PUT", card, "/message", json), 422, "invalid_field",
		  "a message of 281 characters");
	free(json);
	free(long_text);
	fx_expect(on_patron(fx, "PUT", card, "/message", "{\"text\":\"hoi\"}"), 422,
		  "invalid_field", "a message under another name");
	r = on_patron(fx, "PUT", card, "/message", "{\"message\":\"Uw reservering ligt klaar\"}");
	ok(r->status == 200, "a message for the patron: 200 (got %ld)", r->status);
	api_reply_free(r);

	r = on_patron(fx, "GET", card, "", NULL);
	const char *note = jsonx_string(r->body, "staff_note");
	const char *msg = jsonx_string(r->body, "message");
	ok(note && strstr(note, "1011 AB") && msg && strstr(msg, "klaar") &&
		   !jsonx_string(r->body, "message_now"),
	   "the patron answer carries the note and the message, not as shown");
	api_reply_free(r);
	r = on_patron(fx, "GET", card, "?checkout=true", NULL);
	msg = jsonx_string(r->body, "message_now");
	ok(msg && strcmp(msg, "Uw reservering ligt klaar") == 0,
	   "the check-out's read carries the message to show");
	api_reply_free(r);
	r = on_patron(fx, "GET", card, "?checkout=true", NULL);
	ok(r->status == 200 && !jsonx_string(r->body, "message_now") &&
		   jsonx_string(r->body, "message_shown_at"),
	   "the next check-out's read does not: it was shown once");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE subject = '%s' AND action IN"
		      " ('patron_note', 'patron_message') AND details NOT LIKE '%%klaar%%'"
		      " AND details NOT LIKE '%%thrillers%%'", card) == 3,
	   "the note and the message are audited without their text");
	r = on_patron(fx, "PUT", card, "/note", "{\"note\":\"\"}");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM patrons WHERE card = '%s' AND staff_note IS NULL", card)
		   == 1, "an empty note clears it");
}

static void test_block(struct fx *fx)
{
	char card[15], item[15];
	fx_patron(fx, 20, "Dirk", "Bakker", "adult", "2032-01-01", card);
	fx_item(fx, 20, "book", "CEN", item);
	fx_expect(on_patron(fx, "POST", card, "/block", "{}"), 422, "invalid_field",
		  "a block without a reason");
	struct api_reply *r = on_patron(fx, "POST", card, "/block",
					"{\"reason\":\"Pas als gestolen gemeld\"}");
	ok(r->status == 200, "a block by hand: 200 (got %ld)", r->status);
	api_reply_free(r);
	r = fx_checkout(fx, card, item);
	ok(r->status == 409 && r->error_code && strcmp(r->error_code, "patron_blocked") == 0,
	   "a check-out is then refused: patron_blocked");
	api_reply_free(r);
	fx_sql(fx, "INSERT INTO staff (username, name, password_hash, branch_code, created_at)"
		   " SELECT 'kees', 'Kees', password_hash, 'CEN', 0 FROM staff"
		   " WHERE username = 'balie'");
	fx_sql(fx, "INSERT INTO staff_roles (staff_id, role) SELECT id, 'balie' FROM staff"
		   " WHERE username = 'kees'");
	if (fx_login(fx, "kees", "CEN")) {
		r = on_patron(fx, "DELETE", card, "/block", "{\"reason\":\"teruggevonden\"}");
		ok(r->status == 403 && detail_is(r, "permission", "block"),
		   "lifting it without the permission: 403 forbidden naming block");
		api_reply_free(r);
		fx_login(fx, "balie", "CEN");
	} else {
		ok(false, "kees logs in");
	}
	r = on_patron(fx, "DELETE", card, "/block", "{\"reason\":\"Pas teruggevonden\"}");
	ok(r->status == 200, "lifting it with the permission: 200 (got %ld)", r->status);
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE subject = '%s' AND"
		      " ((action = 'manual_block' AND reason = 'Pas als gestolen gemeld') OR"
		      " (action = 'manual_unblock' AND reason = 'Pas teruggevonden'))", card) == 2,
	   "setting and lifting are audited with their reasons");
	fx_expect(fx_checkout(fx, card, item), 201, NULL, "the check-out goes through again");
}

static void test_history(struct fx *fx)
{
	char card[15], item[15];
	long long id = fx_patron(fx, 30, "Eva", "Visser", "adult", "2032-01-01", card);
	fx_item(fx, 30, "book", "CEN", item);
	struct api_reply *r = on_patron(fx, "PUT", card, "/reading-history", "{\"keep\":true}");
	ok(r->status == 200, "keep a reading history: 200 (got %ld)", r->status);
	api_reply_free(r);
	fx_expect(fx_checkout(fx, card, item), 201, NULL, "a check-out");
	fx_expect(fx_checkin(fx, item), 200, NULL, "its check-in");
	r = on_patron(fx, "GET", card, "/history", NULL);
	const cJSON *loans = jsonx_array(r->body, "loans");
	ok(cJSON_GetArraySize(loans) == 1 &&
		   strcmp(jsonx_string(cJSON_GetArrayItem(loans, 0), "item_barcode"), item) == 0,
	   "the history lists the returned loan");
	api_reply_free(r);
	fx_expect(on_patron(fx, "PUT", card, "/reading-history", "{\"keep\":\"ja\"}"), 422,
		  "invalid_field", "keep that is no boolean");
	r = on_patron(fx, "PUT", card, "/reading-history", "{\"keep\":false}");
	long long erased = -1;
	jsonx_int(r->body, "erased", &erased);
	ok(r->status == 200 && erased == 1, "turning it off: 200, 1 loan erased");
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE patron_id = %lld", id) == 0,
	   "no loan of the patron is kept");
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE subject = '%s'"
		      " AND action = 'reading_history'", card) == 2, "both choices are audited");
}

static int run_command(struct fx *fx, char **out, const char *a, const char *b, const char *c)
{
	char *err = NULL;
	int st = c ? harness_run(&fx->h, NULL, out, &err, "patrons", a, b, c, NULL)
		   : harness_run(&fx->h, NULL, out, &err, "patrons", a, b, NULL);
	if (st != 0 && err)
		diag("balied patrons %s: %.*s", a, (int)strcspn(err, "\n"), err);
	free(err);
	return st;
}

static void test_erase(struct fx *fx)
{
	char card[15], item[15];
	long long id = fx_patron(fx, 40, "Fenna", "de Boer", "youth", "2032-01-01", card);
	long long item_id = fx_item(fx, 40, "book", "CEN", item);
	fx_sql(fx, "INSERT INTO guardians (patron_id, name, relation, consent_at)"
		   " VALUES (%lld, 'Gert de Boer', 'parent', 0)", id);
	fx_sql(fx, "UPDATE patrons SET keep_history = 1, staff_note = 'leest veel' WHERE id = %lld",
	       id);
	fx_expect(fx_checkout(fx, card, item), 201, NULL, "a loan of the patron to erase");
	fx_login(fx, "beheer", "CEN");
	struct api_reply *r = on_patron(fx, "DELETE", card, "", NULL);
	long long n = -1;
	jsonx_int(r->error_details, "loans", &n);
	ok(r->status == 409 && r->error_code && strcmp(r->error_code, "patron_has_loans") == 0 &&
		   n == 1, "erasing with a loan: 409 patron_has_loans, details loans 1");
	api_reply_free(r);
	fx_expect(fx_checkin(fx, item), 200, NULL, "the loan returned (kept in the history)");
	fx_sql(fx, "INSERT INTO charges (patron_id, kind, amount_cents, created_at)"
		   " VALUES (%lld, 'damaged_item', 750, 0)", id);
	r = on_patron(fx, "DELETE", card, "", NULL);
	n = -1;
	jsonx_int(r->error_details, "balance_cents", &n);
	ok(r->status == 409 && r->error_code && strcmp(r->error_code, "patron_has_balance") == 0 &&
		   n == 750, "erasing with an open balance: 409 patron_has_balance, 750 cents");
	api_reply_free(r);
	fx_sql(fx, "INSERT INTO credits (patron_id, kind, method, amount_cents, created_at)"
		   " VALUES (%lld, 'payment', 'cash', 750, 0)", id);
	fx_sql(fx, "INSERT INTO credit_allocations (credit_id, charge_id, amount_cents)"
		   " SELECT max(cr.id), max(ch.id), 750 FROM credits cr, charges ch"
		   " WHERE cr.patron_id = %lld AND ch.patron_id = %lld", id, id);
	fx_sql(fx, "UPDATE charges SET paid_cents = 750 WHERE patron_id = %lld", id);
	/* A copy waiting on the hold shelf for the patron, its fee paid. */
	char shelf[15];
	long long shelf_id = fx_item(fx, 42, "book", "CEN", shelf);
	fx_sql(fx, "UPDATE items SET status = 'hold_shelf' WHERE id = %lld", shelf_id);
	fx_hold(fx, id, shelf_id, "CEN", "ready", 1);
	fx_sql(fx, "UPDATE holds SET ready_since = strftime('%%s', 'now'), pickup_by = '2031-03-10'"
		   " WHERE item_id = %lld", shelf_id);
	fx_sql(fx, "INSERT INTO charges (patron_id, kind, amount_cents, paid_cents, hold_id,"
		   " created_at) SELECT %lld, 'hold_fee', 100, 100, id, 0 FROM holds"
		   " WHERE item_id = %lld", id, shelf_id);
	long long stats = fx_num(fx, "SELECT sum(count) FROM loan_stats");
	r = on_patron(fx, "DELETE", card, "", NULL);
	ok(r->status == 200, "erasing once it is settled: 200 (got %ld)", r->status);
	api_reply_free(r);
	ok(fx_num(fx, "SELECT count(*) FROM patrons WHERE card = '%s'", card) == 0 &&
		   fx_num(fx, "SELECT count(*) FROM guardians WHERE patron_id = %lld", id) == 0 &&
		   fx_num(fx, "SELECT count(*) FROM loans WHERE patron_id = %lld", id) == 0 &&
		   fx_num(fx, "SELECT count(*) FROM charges WHERE patron_id = %lld", id) == 0 &&
		   fx_num(fx, "SELECT count(*) FROM credits WHERE patron_id = %lld", id) == 0,
	   "the patron, guardian, history, charges and credits are gone");
	ok(fx_num(fx, "SELECT sum(count) FROM loan_stats") == stats,
	   "the anonymous statistics stay");
	char *audit = fx_text_dup(fx, "SELECT details FROM audit_log WHERE action = 'patron_erase'"
				      " AND subject = '%s'", card);
	ok(audit && !strstr(audit, "Fenna") && !strstr(audit, "Boer"),
	   "an audit row says it happened, without the name (%s)", audit ? audit : "none");
	free(audit);
	ok(fx_num(fx, "SELECT status = 'available' FROM items WHERE id = %lld", item_id) == 1,
	   "the item is on the shelf");
	ok(fx_num(fx, "SELECT count(*) FROM holds WHERE patron_id = %lld", id) == 0 &&
		   fx_num(fx, "SELECT status = 'available' FROM items WHERE id = %lld", shelf_id) == 1,
	   "the hold is gone and its copy left the hold shelf");
	fx_login(fx, "balie", "CEN");

	/* The command line: refused with a loan, then erased. */
	char other[15], out_item[15];
	long long other_id = fx_patron(fx, 41, "Gijs", "Kok", "adult", "2032-01-01", other);
	long long out_id = fx_item(fx, 41, "book", "CEN", out_item);
	fx_loan(fx, out_id, other_id, "2031-03-20");
	char *out = NULL;
	ok(run_command(fx, &out, "erase", other, NULL) == 1,
	   "balied patrons erase with a loan: exit status 1");
	free(out);
	fx_expect(fx_checkin(fx, out_item), 200, NULL, "the loan returned");
	out = NULL;
	ok(run_command(fx, &out, "erase", other, NULL) == 0 &&
		   fx_num(fx, "SELECT count(*) FROM patrons WHERE card = '%s'", other) == 0,
	   "balied patrons erase then erases the patron");
	free(out);
}

static void test_retention(struct fx *fx)
{
	char old_card[15], recent[15], owing[15], lending[15], item[15];
	/* 24 months before 2031-03-03 is 2029-03-03: ended before then goes. */
	fx_patron(fx, 50, "Hans", "Oud", "adult", "2029-03-01", old_card);
	fx_patron(fx, 51, "Ilse", "Recent", "adult", "2029-03-04", recent);
	long long owing_id = fx_patron(fx, 52, "Joop", "Schuld", "adult", "2028-01-01", owing);
	long long lending_id = fx_patron(fx, 53, "Karin", "Leen", "adult", "2028-01-01", lending);
	long long item_id = fx_item(fx, 53, "book", "CEN", item);
	fx_loan(fx, item_id, lending_id, "2028-01-20");
	fx_sql(fx, "INSERT INTO charges (patron_id, kind, amount_cents, created_at)"
		   " VALUES (%lld, 'other', 100, 0)", owing_id);
	long long others = fx_num(fx, "SELECT count(*) FROM patrons WHERE expires_on >= '2029-03-03'");
	char *out = NULL;
	int st = run_command(fx, &out, "retention", "--date", FX_TODAY);
	ok(st == 0, "balied patrons retention: exit status 0");
	ok(out && strstr(out, "1 patron erased") && strstr(out, "loans: 1") &&
		   strstr(out, "balance: 1"),
	   "it says how many were erased and kept (%s)", out ? out : "");
	free(out);
	ok(fx_num(fx, "SELECT count(*) FROM patrons WHERE card = '%s'", old_card) == 0,
	   "the membership that ended over 24 months ago is erased");
	ok(fx_num(fx, "SELECT count(*) FROM patrons WHERE card IN ('%s', '%s', '%s')", recent,
		  owing, lending) == 3,
	   "a recent one, one with a balance and one with a loan stay");
	ok(fx_num(fx, "SELECT count(*) FROM patrons WHERE expires_on >= '2029-03-03'") == others,
	   "no current member is touched");
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'patron_erase'"
		      " AND subject = '%s' AND details LIKE '%%retention%%'", old_card) == 1,
	   "the erasure by retention is audited");
	out = NULL;
	ok(run_command(fx, &out, "retention", "--date", FX_TODAY) == 0 && out &&
		   strstr(out, "0 patrons erased"),
	   "a second run erases nothing more");
	free(out);
}

int main(void)
{
	struct fx fx;
	if (!ok(fx_start(&fx, "retention_months = 24\n"), "a training balied on " FX_TODAY)) {
		fx_finish(&fx, true);
		return tap_done();
	}
	test_edit(&fx);
	test_notes(&fx);
	test_block(&fx);
	test_history(&fx);
	test_erase(&fx);
	test_retention(&fx);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
