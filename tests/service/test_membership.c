/* POST /memberships over HTTP against a real balied and its SQLite file:
 * every rule of the youth enrolment and its error codes, card numbers
 * (Luhn, prefix, unique under concurrent enrolments, never reused), the
 * duplicate override with its audit row, the roles, and the 18th-birthday
 * command applied twice. */
#include "tap.h"

#include "core/date.h"
#include "harness.h"
#include "core/jsonx.h"
#include "core/luhn.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct civil_date today;

static void iso_years_ago(int years, int days, char out[DATE_STR_LEN])
{
	struct civil_date d = today;
	d.year -= years;
	if (d.month == 2 && d.day == 29 && !date_is_leap_year(d.year))
		d.day = 28;
	date_format_iso(date_add_days(d, days), out);
}

/* A child born years ago (plus days, may be negative), with a family name
 * and postcode of the caller's choice; guardian when with_guardian. */
static cJSON *child_body(const char *family, int years, int days, const char *postcode,
			 bool with_guardian)
{
	char birth[DATE_STR_LEN];
	iso_years_ago(years, days, birth);
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "kind", "youth");
	cJSON_AddStringToObject(b, "given_name", "Noor");
	cJSON_AddStringToObject(b, "family_name", family);
	cJSON_AddStringToObject(b, "birth_date", birth);
	cJSON_AddStringToObject(b, "postcode", postcode);
	cJSON_AddStringToObject(b, "house_number", "12");
	cJSON_AddStringToObject(b, "branch", "CEN");
	if (with_guardian) {
		cJSON *g = cJSON_AddObjectToObject(b, "guardian");
		cJSON_AddStringToObject(g, "name", "Karin Vermeer");
		cJSON_AddStringToObject(g, "relation", "parent");
		cJSON_AddStringToObject(g, "phone", "06-12345678");
		cJSON_AddBoolToObject(g, "consent", true);
	}
	return b;
}

static struct api_reply *enrol(struct api *api, const cJSON *body)
{
	char key[UUID_STR_LEN];
	uuid_v4(key);
	return api_call(api, "POST", "/memberships", body, key);
}

static char *card_dup(const struct api_reply *r)
{
	const char *card = jsonx_string(jsonx_object(r->body, "patron"), "card");
	return xstrdup(card ? card : "");
}

static sqlite3 *open_db(const char *path)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* The first column of the first row of sql with one text parameter, or NULL. */
static char *query_dup(sqlite3 *db, const char *sql, const char *param)
{
	sqlite3_stmt *st;
	char *out = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		diag("%s: %s", sql, sqlite3_errmsg(db));
		return NULL;
	}
	if (param)
		sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		out = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

static void is_query(sqlite3 *db, const char *sql, const char *param, const char *want,
		     const char *what)
{
	char *got = query_dup(db, sql, param);
	is_str(got, want, "%s", what);
	free(got);
}

static void expect_error(struct api_reply *r, long status, const char *code, const char *field,
			 const char *reason, const char *what)
{
	ok(r->status == status, "%s: %ld (got %ld)", what, status, r->status);
	is_str(r->error_code, code, "%s: %s", what, code);
	if (field)
		is_str(jsonx_string(r->error_details, "field"), field, "%s: field %s", what, field);
	if (reason)
		is_str(jsonx_string(r->error_details, "reason"), reason, "%s: reason %s", what,
		       reason);
	api_reply_free(r);
}

static char *login_as_dup(struct api *api, const char *user, const char *password)
{
	struct api_reply *r = harness_login(api, user, password, "CEN");
	const char *t = jsonx_string(r->body, "token");
	char *token = xstrdup(t ? t : "");
	api_reply_free(r);
	return token;
}

static char *login_token_dup(struct api *api, const char *user)
{
	return login_as_dup(api, user, "oefenen");
}

static void test_rules(struct api *api)
{
	struct api_reply *r = api_call(api, "GET", "/memberships/rules", NULL, NULL);
	long long g = 0, y = 0;
	ok(r->status == 200 && jsonx_int(r->body, "guardian_age", &g) && g == 16,
	   "GET /memberships/rules: guardian age 16 by default");
	ok(jsonx_int(r->body, "youth_age", &y) && y == 18, "youth membership up to 18");
	char iso[DATE_STR_LEN];
	date_format_iso(today, iso);
	is_str(jsonx_string(r->body, "today"), iso, "and today as the service sees it");
	is_str(jsonx_string(r->body, "youth_at_18"), "adult", "at 18: adult, by default");
	long long s = 0;
	ok(jsonx_int(r->body, "short_days", &s) && s == 30,
	   "a membership under 30 days is short, by default");
	api_reply_free(r);
}

static char *test_seven_year_old(struct api *api, sqlite3 *db)
{
	cJSON *body = child_body("Vermeer", 7, -40, "1234ab", true);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *r = api_call(api, "POST", "/memberships", body, key);
	ok(r->status == 201, "a 7-year-old with a guardian is enrolled: 201 (got %ld)", r->status);
	const cJSON *p = jsonx_object(r->body, "patron");
	const char *card = jsonx_string(p, "card");
	ok(card && strlen(card) == 14 && strncmp(card, "21000", 5) == 0 && luhn_valid(card),
	   "the card has 14 digits, the prefix 21000 and a Luhn check digit (%s)",
	   card ? card : "none");
	is_str(jsonx_string(p, "category"), "youth", "category youth");
	struct civil_date birth;
	date_parse_iso(jsonx_string(body, "birth_date"), &birth);
	char want[DATE_STR_LEN];
	date_format_iso(date_add_days(date_birthday(birth, 18), -1), want);
	is_str(jsonx_string(p, "expires_on"), want, "expires the day before the 18th birthday (%s)",
	       want);
	char *kept = xstrdup(card ? card : "");

	struct api_reply *again = api_call(api, "POST", "/memberships", body, key);
	ok(again->status == 201 && cJSON_Compare(again->body, r->body, true),
	   "the same request with the same key: the same answer");
	api_reply_free(again);
	is_query(db, "SELECT count(*) FROM patrons WHERE family_name = 'Vermeer'", NULL, "1",
		 "and one member, not two");
	is_query(db, "SELECT postcode FROM patrons WHERE card = ?", kept, "1234 AB",
		 "the postcode is stored as 1234 AB");
	is_query(db, "SELECT g.relation || ' ' || g.phone || ' ' || (g.consent_at > 0)"
		     " FROM guardians g JOIN patrons p ON p.id = g.patron_id WHERE p.card = ?",
		 kept, "parent 0612345678 1", "the guardian is stored with the consent's time");
	is_query(db, "SELECT count(*) FROM charges f JOIN patrons p ON p.id = f.patron_id"
		     " WHERE p.card = ?", kept, "0", "no fee: nothing owed");
	is_query(db, "SELECT action FROM audit_log WHERE subject = ?", kept, "membership_enrol",
		 "the enrolment is in the audit log");
	api_reply_free(r);
	cJSON_Delete(body);
	return kept;
}

static void test_ages(struct api *api)
{
	cJSON *body = child_body("Bos", 17, -100, "2511 CV", false);
	struct api_reply *r = enrol(api, body);
	ok(r->status == 201, "a 17-year-old without a guardian is enrolled (got %ld)", r->status);
	api_reply_free(r);
	cJSON_Delete(body);

	body = child_body("Smit", 18, 0, "2511 CV", false);
	r = enrol(api, body);
	long long age = 0;
	ok(jsonx_int(r->error_details, "age", &age) && age == 18, "the refusal says the age: 18");
	expect_error(r, 422, "not_eligible_age", "birth_date", NULL, "18 today");
	cJSON_Delete(body);

	body = child_body("Smit", 18, 1, "2511 CV", false);
	r = enrol(api, body);
	char iso[DATE_STR_LEN];
	date_format_iso(today, iso);
	ok(r->status == 201, "18 tomorrow: still enrolled (got %ld)", r->status);
	const cJSON *p = jsonx_object(r->body, "patron");
	is_str(jsonx_string(p, "expires_on"), iso, "and the membership runs to today");
	long long days = 0;
	bool is_short = false;
	ok(jsonx_int(p, "days", &days) && days == 1 && jsonx_bool(p, "short", &is_short) &&
		   is_short,
	   "the answer says it runs 1 day and is short");
	is_str(jsonx_string(p, "at_18"), "adult", "and that it then becomes an adult membership");
	api_reply_free(r);
	cJSON_Delete(body);

	body = child_body("Smit", 18, 30, "2511 CV", false);
	r = enrol(api, body);
	p = jsonx_object(r->body, "patron");
	ok(r->status == 201 && jsonx_int(p, "days", &days) && days == 30 &&
		   jsonx_bool(p, "short", &is_short) && !is_short,
	   "18 in 30 days: a membership of 30 days is not short");
	api_reply_free(r);
	cJSON_Delete(body);

	body = child_body("Jansen", 40, 0, "2511 CV", false);
	expect_error(enrol(api, body), 422, "not_eligible_age", NULL, NULL, "an adult");
	cJSON_Delete(body);

	body = child_body("Mulder", 15, -10, "2511 CV", false);
	expect_error(enrol(api, body), 422, "guardian_required", "guardian", NULL,
		     "15 without a guardian");
	cJSON *g = cJSON_AddObjectToObject(body, "guardian");
	cJSON_AddStringToObject(g, "name", "Els Mulder");
	cJSON_AddStringToObject(g, "relation", "parent");
	cJSON_AddBoolToObject(g, "consent", false);
	expect_error(enrol(api, body), 422, "guardian_required", "guardian.consent", NULL,
		     "15 with a guardian who did not consent");
	cJSON_ReplaceItemInObject(g, "consent", cJSON_CreateTrue());
	r = enrol(api, body);
	ok(r->status == 201, "15 with a guardian who consented (got %ld)", r->status);
	api_reply_free(r);
	cJSON_Delete(body);

	body = child_body("Dekker", 16, 0, "2511 CV", false);
	r = enrol(api, body);
	ok(r->status == 201, "16 today: no guardian needed (got %ld)", r->status);
	api_reply_free(r);
	cJSON_Delete(body);

	body = child_body("Dekker", 0, 0, "2511 CV", true);
	r = enrol(api, body);
	ok(r->status == 201, "born today: enrolled (got %ld)", r->status);
	api_reply_free(r);
	cJSON_Delete(body);
}

struct bad_field {
	const char *member, *value, *field, *reason;
};

static void test_fields(struct api *api, sqlite3 *db)
{
	static const struct bad_field bad[] = {
		{ "kind", "adult", "kind", "unknown" },
		{ "given_name", "", "given_name", "missing" },
		{ "given_name", "R2D2", "given_name", "format" },
		/* No letter in the Unicode sense, though beyond U+00C0. */
		{ "given_name", "\ufeff", "given_name", "format" },
		{ "given_name", "\ufffe", "given_name", "format" },
		{ "given_name", "\u2153", "given_name", "format" },
		{ "given_name", "\u2074\u2082", "given_name", "format" },
		{ "family_name", "\u0661\u0662\u0663", "family_name", "format" },
		{ "family_name", "Visser\ufeff", "family_name", "format" },
		{ "family_name", "  ", "family_name", "missing" },
		{ "postcode", "1234 SA", "postcode", "letters_not_used" },
		{ "postcode", "1234 sd", "postcode", "letters_not_used" },
		{ "postcode", "1234SS", "postcode", "letters_not_used" },
		{ "postcode", "0123 AB", "postcode", "format" },
		{ "postcode", "1234", "postcode", "format" },
		{ "house_number", "0", "house_number", "out_of_range" },
		{ "house_number", "12a", "house_number", "format" },
		{ "house_number_suffix", "A/B", "house_number_suffix", "format" },
		{ "birth_date", "2019-02-30", "birth_date", "not_a_date" },
		{ "birth_date", "07-03-2019", "birth_date", "format" },
		{ "email", "noor@", "email", "format" },
		{ "phone", "12345", "phone", "format" },
		{ "phone", "+32 2 123 45 67", "phone", "format" },
		{ "branch", "XYZ", "branch", "unknown" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cJSON *body = child_body("Visser", 9, 0, "3512 JE", true);
		cJSON_DeleteItemFromObject(body, bad[i].member);
		cJSON_AddStringToObject(body, bad[i].member, bad[i].value);
		char what[128];
		snprintf(what, sizeof what, "%s \"%s\"", bad[i].member, bad[i].value);
		expect_error(enrol(api, body), 422, "invalid_field", bad[i].field, bad[i].reason, what);
		cJSON_Delete(body);
	}
	char future[DATE_STR_LEN];
	date_format_iso(date_add_days(today, 1), future);
	cJSON *body = child_body("Visser", 9, 0, "3512 JE", true);
	cJSON_ReplaceItemInObject(body, "birth_date", cJSON_CreateString(future));
	expect_error(enrol(api, body), 422, "invalid_field", "birth_date", "in_future",
		     "a date of birth tomorrow");
	cJSON_Delete(body);

	static const struct bad_field guardian[] = {
		{ "name", "", "guardian.name", "missing" },
		{ "name", "\u0660\u0660", "guardian.name", "format" },
		{ "relation", "buurman", "guardian.relation", "unknown" },
		{ "phone", "0612", "guardian.phone", "format" },
		{ "email", "karin@@example.nl", "guardian.email", "format" },
	};
	for (size_t i = 0; i < sizeof guardian / sizeof guardian[0]; i++) {
		body = child_body("Visser", 9, 0, "3512 JE", true);
		cJSON *g = cJSON_GetObjectItem(body, "guardian");
		cJSON_DeleteItemFromObject(g, guardian[i].member);
		cJSON_AddStringToObject(g, guardian[i].member, guardian[i].value);
		char what[128];
		snprintf(what, sizeof what, "guardian %s \"%s\"", guardian[i].member,
			 guardian[i].value);
		expect_error(enrol(api, body), 422, "invalid_field", guardian[i].field,
			     guardian[i].reason, what);
		cJSON_Delete(body);
	}
	body = child_body("Visser", 9, 0, "3512 JE", true);
	cJSON_ReplaceItemInObject(body, "house_number", cJSON_CreateNumber(7));
	cJSON_AddStringToObject(body, "email", "noor.visser@example.nl");
	cJSON_AddStringToObject(body, "phone", "+31 20 123 4567");
	cJSON_AddStringToObject(body, "house_number_suffix", " bis ");
	struct api_reply *r = enrol(api, body);
	ok(r->status == 201,
	   "with e-mail, a +31 phone number, a suffix and the house number as a number: 201 (got %ld)",
	   r->status);
	char *card = card_dup(r);
	if (db)
		is_query(db, "SELECT house_number_suffix FROM patrons WHERE card = ?", card, "BIS",
			 "the suffix \" bis \" is stored as BIS, as the desk shows it");
	free(card);
	api_reply_free(r);
	cJSON_Delete(body);
}

static void test_duplicate(struct api *api, struct api *plain_api, sqlite3 *db,
			   const char *first_card)
{
	/* The same family name in other letters, date of birth and postcode as
	 * the 7-year-old; another given name. */
	char *birth = query_dup(db, "SELECT birth_date FROM patrons WHERE card = ?", first_card);
	cJSON *body = child_body("VERMEER", 7, 0, "1234 AB", true);
	cJSON_ReplaceItemInObject(body, "birth_date", cJSON_CreateString(birth ? birth : ""));
	cJSON_ReplaceItemInObject(body, "given_name", cJSON_CreateString("Sara"));
	free(birth);
	struct api_reply *r = enrol(api, body);
	ok(r->status == 409, "the same family name, date of birth and postcode: 409 (got %ld)",
	   r->status);
	is_str(r->error_code, "duplicate_member", "duplicate_member");
	ok(r->overridable, "overridable by the desk");
	const cJSON *cards = jsonx_array(r->error_details, "cards");
	is_str(cards && cJSON_GetArraySize(cards) == 1 ? cJSON_GetArrayItem(cards, 0)->valuestring
						       : NULL,
	       first_card, "the details name the member's card");
	api_reply_free(r);

	cJSON *o = cJSON_AddObjectToObject(body, "override");
	cJSON *blocks = cJSON_AddArrayToObject(o, "blocks");
	cJSON_AddItemToArray(blocks, cJSON_CreateString("duplicate_member"));
	expect_error(enrol(api, body), 422, "invalid_field", "override.reason", "missing",
		     "an override without a reason");
	cJSON_AddStringToObject(o, "reason", "Tweeling, paspoort gezien");
	if (plain_api) {
		cJSON *plain = cJSON_Duplicate(body, true);
		cJSON_DeleteItemFromObject(plain, "override");
		r = enrol(plain_api, plain);
		ok(r->status == 409 && !r->overridable,
		   "for staff without the override permission: 409, not overridable");
		api_reply_free(r);
		expect_error(enrol(plain_api, body), 403, "forbidden", NULL, NULL,
			     "their override with a reason");
		is_query(db, "SELECT count(*) FROM patrons WHERE given_name = 'Sara'", NULL, "0",
			 "and Sara is not enrolled");
		cJSON_Delete(plain);
	}
	r = enrol(api, body);
	ok(r->status == 201, "the override with a reason: 201 (got %ld)", r->status);
	const char *card = jsonx_string(jsonx_object(r->body, "patron"), "card");
	is_query(db, "SELECT action || '|' || reason FROM audit_log WHERE subject = ?", card,
		 "membership_override|Tweeling, paspoort gezien",
		 "the override is in the audit log with its reason");
	char *details = query_dup(db, "SELECT details FROM audit_log WHERE subject = ?", card);
	ok(details && strstr(details, first_card) && strstr(details, "duplicate_member"),
	   "naming the member it was checked against");
	is_query(db, "SELECT staff_id IS NOT NULL AND terminal IS NOT NULL FROM audit_log"
		     " WHERE subject = ?", card, "1", "and who did it, where");
	free(details);
	api_reply_free(r);
	cJSON_Delete(body);
}

struct worker {
	struct api *api;
	int index;
	char cards[10][15];
	int made;
};

enum { WORKERS = 6, PER_WORKER = 10 };

static void *enrol_many(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < PER_WORKER; i++) {
		char family[32];
		snprintf(family, sizeof family, "Tegelijk%c%c", 'a' + w->index, 'a' + i);
		cJSON *body = child_body(family, 10, -i, "9711 LM", true);
		struct api_reply *r = enrol(w->api, body);
		const char *card = jsonx_string(jsonx_object(r->body, "patron"), "card");
		if (r->status == 201 && card)
			snprintf(w->cards[w->made++], 15, "%s", card);
		api_reply_free(r);
		cJSON_Delete(body);
	}
	return NULL;
}

static int cmp_card(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_concurrent(const struct harness *h, const char *token)
{
	struct worker w[WORKERS];
	pthread_t t[WORKERS];
	for (int i = 0; i < WORKERS; i++) {
		w[i] = (struct worker){ .api = harness_api(h), .index = i };
		api_set_token(w[i].api, token);
	}
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, enrol_many, &w[i]);
	char all[WORKERS * PER_WORKER][15];
	int n = 0;
	for (int i = 0; i < WORKERS; i++) {
		pthread_join(t[i], NULL);
		for (int j = 0; j < w[i].made; j++)
			memcpy(all[n++], w[i].cards[j], 15);
		api_free(w[i].api);
	}
	ok(n == WORKERS * PER_WORKER, "%d desks enrolling at once: all %d enrolled (%d)", WORKERS,
	   WORKERS * PER_WORKER, n);
	qsort(all, (size_t)n, 15, cmp_card);
	int same = 0, bad = 0;
	for (int i = 0; i < n; i++) {
		same += i > 0 && strcmp(all[i], all[i - 1]) == 0;
		bad += !luhn_valid(all[i]) || strlen(all[i]) != 14;
	}
	ok(same == 0, "no card number given twice");
	ok(bad == 0, "every one 14 digits with its check digit");
}

static void test_never_reused(struct api *api, sqlite3 *db)
{
	cJSON *body = child_body("Weg", 6, 0, "4811 AA", true);
	struct api_reply *r = enrol(api, body);
	char *card = card_dup(r);
	api_reply_free(r);
	/* The member leaves and is removed from the database altogether. */
	char *sql = sqlite3_mprintf("DELETE FROM audit_log WHERE subject = %Q;"
				    "DELETE FROM patrons WHERE card = %Q;", card, card);
	ok(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "the newest member is removed");
	sqlite3_free(sql);
	cJSON_ReplaceItemInObject(body, "family_name", cJSON_CreateString("Nieuw"));
	r = enrol(api, body);
	const char *next = jsonx_string(jsonx_object(r->body, "patron"), "card");
	ok(next && strcmp(next, card) > 0, "the next member gets a new number (%s after %s)",
	   next ? next : "none", card);
	api_reply_free(r);
	cJSON_Delete(body);
	free(card);
}

/* True when the bytes of needle are anywhere in the file at path. */
static bool file_holds(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t cap = 1 << 20, len = 0, n;
	char *buf = xmalloc(cap);
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	fclose(f);
	bool found = memmem(buf, len, needle, strlen(needle)) != NULL;
	free(buf);
	return found;
}

/* A desk that sends more than asked (a BSN, a copy of an ID document) has
 * it dropped: none of it reaches the database or its write-ahead log. */
static void test_no_bsn(const struct harness *h, struct api *api)
{
	cJSON *body = child_body("Privacy", 9, 0, "7511 JE", true);
	cJSON_AddStringToObject(body, "bsn", "111222333");
	cJSON_AddStringToObject(body, "id_document", "PASPOORT-NX7Q2LK91");
	struct api_reply *r = enrol(api, body);
	ok(r->status == 201, "an enrolment with a BSN and an ID document number in it: 201");
	api_reply_free(r);
	cJSON_Delete(body);
	char *wal = xasprintf("%s-wal", h->db);
	ok(!file_holds(h->db, "111222333") && !file_holds(wal, "111222333"),
	   "the BSN is nowhere in the database");
	ok(!file_holds(h->db, "NX7Q2LK91") && !file_holds(wal, "NX7Q2LK91"),
	   "nor the ID document");
	ok(file_holds(h->db, "Privacy") || file_holds(wal, "Privacy"),
	   "while the member is (the search can find)");
	free(wal);
}

static void test_ido(struct api *api)
{
	char *token = login_token_dup(api, "ido");
	api_set_token(api, token);
	cJSON *body = child_body("Ido", 8, 0, "1234 AB", true);
	expect_error(enrol(api, body), 403, "forbidden", NULL, NULL, "ido enrols");
	expect_error(api_call(api, "GET", "/memberships/rules", NULL, NULL), 403, "forbidden",
		     NULL, NULL, "ido asks the rules");
	cJSON_Delete(body);
	free(token);
}

/* What the command prints, and whether it ran well. */
static char *age_out_dup(const struct harness *h, const char *rules, const char *date)
{
	char *out = NULL, *err = NULL;
	int status = rules ? harness_run(h, NULL, &out, &err, "--rules", rules, "memberships",
					 "age-out", "--date", date, NULL)
			   : harness_run(h, NULL, &out, &err, "memberships", "age-out", "--date",
					 date, NULL);
	if (status != 0)
		diag("age-out: status %d: %s", status, err ? err : "");
	free(err);
	if (status != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void test_age_out(const struct harness *h, struct api *api, sqlite3 *db)
{
	/* Two members who turn 18 tomorrow. */
	cJSON *body = child_body("Achttien", 18, 1, "5611 AB", false);
	struct api_reply *r = enrol(api, body);
	char *card = card_dup(r);
	api_reply_free(r);
	cJSON_ReplaceItemInObject(body, "family_name", cJSON_CreateString("Einde"));
	r = enrol(api, body);
	char *card2 = card_dup(r);
	api_reply_free(r);
	cJSON_Delete(body);

	char iso_today[DATE_STR_LEN], tomorrow[DATE_STR_LEN], birthday_next[DATE_STR_LEN];
	date_format_iso(today, iso_today);
	date_format_iso(date_add_days(today, 1), tomorrow);
	struct civil_date next_year = date_add_days(today, 1);
	next_year.year += 1;
	date_format_iso(date_add_days(next_year, -1), birthday_next);

	char *out = age_out_dup(h, NULL, iso_today);
	ok(out && strstr(out, ": 0 youth members"), "today nobody turns 18: %s", out ? out : "");
	free(out);

	/* Ended first, for the one, by a rules file saying so: the other is
	 * then converted by the default rules. */
	char *rules = xasprintf("%s/rules-end.conf", h->dir);
	FILE *f = fopen(rules, "w");
	fputs("youth_at_18 = end\n", f);
	fclose(f);
	char *sql = sqlite3_mprintf("UPDATE patrons SET category = 'adult' WHERE card = %Q", card);
	sqlite3_exec(db, sql, NULL, NULL, NULL); /* hidden from the first run */
	sqlite3_free(sql);
	out = age_out_dup(h, rules, tomorrow);
	/* Einde, and Smit of test_ages, who also turns 18 tomorrow. */
	ok(out && strstr(out, ": 2 youth members turned 18; their memberships ended"),
	   "age-out with youth_at_18 = end: two ended (%s)", out ? out : "");
	free(out);
	is_query(db, "SELECT a.action FROM youth_age_outs a JOIN patrons p ON p.id = a.patron_id"
		     " WHERE p.card = ?", card2, "end", "the age-out is recorded");
	sql = sqlite3_mprintf("UPDATE patrons SET category = 'youth' WHERE card = %Q", card);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_free(sql);

	out = age_out_dup(h, NULL, tomorrow);
	ok(out && strstr(out, ": 1 youth member turned 18 and became an adult member"),
	   "age-out on the 18th birthday: one converted (%s)", out ? out : "");
	free(out);
	char *want = xasprintf("adult %s", birthday_next);
	is_query(db, "SELECT category || ' ' || expires_on FROM patrons WHERE card = ?", card, want,
		 "an adult member now, for a year from the birthday");
	free(want);
	want = xasprintf("youth %s", iso_today);
	is_query(db, "SELECT category || ' ' || expires_on FROM patrons WHERE card = ?", card2, want,
		 "the ended one keeps the card that expired the day before the birthday");
	free(want);

	char *before = query_dup(db, "SELECT group_concat(card || category || expires_on, ',')"
				     " FROM patrons", NULL);
	char *audit_before = query_dup(db, "SELECT count(*) FROM audit_log", NULL);
	out = age_out_dup(h, NULL, tomorrow);
	ok(out && strstr(out, ": 0 youth members"), "the same command again: nobody (%s)",
	   out ? out : "");
	free(out);
	out = age_out_dup(h, NULL, tomorrow);
	free(out);
	char *after = query_dup(db, "SELECT group_concat(card || category || expires_on, ',')"
				    " FROM patrons", NULL);
	char *audit_after = query_dup(db, "SELECT count(*) FROM audit_log", NULL);
	ok(before && after && strcmp(before, after) == 0, "and no member changed");
	is_str(audit_after, audit_before, "and nothing more in the audit log");
	is_query(db, "SELECT count(*) FROM audit_log WHERE action = 'membership_age_out'", NULL,
		 "3", "three age-outs in the audit log");
	free(before);
	free(after);
	free(audit_before);
	free(audit_after);
	free(rules);
	free(card);
	free(card2);

	char *err = NULL;
	out = NULL;
	ok(harness_run(h, NULL, &out, &err, "memberships", "age-out", "--date", "2026-02-30",
		       NULL) == 2, "a date that does not exist is bad usage");
	free(out);
	free(err);
}

/* A library's own rules file: guardian age 14, card prefix 1234, and the
 * membership ending at 18; and the 29 February rule of the age-out. */
static void test_rules_file(void)
{
	struct harness h;
	char *conf = xasprintf("rules = /tmp/enrol-rules-%ld.conf\n", (long)getpid());
	char *rules_path = xasprintf("/tmp/enrol-rules-%ld.conf", (long)getpid());
	FILE *f = fopen(rules_path, "w");
	if (f) {
		fputs("guardian_age = 14\ncard_prefix = 1234\nyouth_at_18 = end\n"
		      "youth_short_days = 60\n", f);
		fclose(f);
	}
	struct harness_opts opts = { .training = true, .config_text = conf };
	if (!ok(f && harness_start(&h, &opts), "balied starts with a rules file")) {
		harness_cleanup(&h);
		unlink(rules_path);
		free(conf);
		free(rules_path);
		return;
	}
	struct api *api = harness_api(&h);
	char *token = login_token_dup(api, "balie");
	api_set_token(api, token);
	struct api_reply *r = api_call(api, "GET", "/memberships/rules", NULL, NULL);
	long long g = 0;
	ok(jsonx_int(r->body, "guardian_age", &g) && g == 14, "the rules say guardian age 14");
	is_str(jsonx_string(r->body, "youth_at_18"), "end", "and that the membership ends at 18");
	long long s = 0;
	ok(jsonx_int(r->body, "short_days", &s) && s == 60, "and that under 60 days is short");
	api_reply_free(r);

	cJSON *body = child_body("Veertien", 14, 0, "1234 AB", false);
	r = enrol(api, body);
	ok(r->status == 201, "14 without a guardian: enrolled (got %ld)", r->status);
	const char *card = jsonx_string(jsonx_object(r->body, "patron"), "card");
	ok(card && strlen(card) == 14 && strncmp(card, "1234", 4) == 0 && luhn_valid(card),
	   "the card has the prefix 1234, 14 digits and its check digit (%s)", card ? card : "");
	ok(card && strncmp(card, "1234000000001", 13) == 0, "the first number of the new prefix");
	api_reply_free(r);
	cJSON_Delete(body);
	body = child_body("Dertien", 13, -200, "1234 AB", false);
	r = enrol(api, body);
	long long said = 0;
	ok(jsonx_int(r->error_details, "guardian_age", &said) && said == 14,
	   "the refusal names the guardian age 14");
	expect_error(r, 422, "guardian_required", "guardian", NULL, "13 without a guardian");
	cJSON_Delete(body);

	cJSON *late = child_body("Laat", 18, 45, "1234 AB", false);
	r = enrol(api, late);
	const cJSON *lp = jsonx_object(r->body, "patron");
	bool is_short = false;
	ok(r->status == 201 && jsonx_bool(lp, "short", &is_short) && is_short,
	   "a membership of 45 days is short by that rule");
	is_str(jsonx_string(lp, "at_18"), "end", "and ends at 18");
	api_reply_free(r);
	cJSON_Delete(late);

	/* Born on 29 February 2008: 17 on 28 February 2026, 18 on 1 March. */
	sqlite3 *db = open_db(h.db);
	ok(db && sqlite3_exec(db,
		"INSERT INTO patrons (card, given_name, family_name, birth_date, postcode,"
		" house_number, category, home_branch, enrolled_on, expires_on) VALUES"
		" ('12349999999990', 'Schrikkel', 'Dag', '2008-02-29', '1234 AB', 1, 'youth',"
		" 'CEN', '2020-01-01', '2026-02-28')", NULL, NULL, NULL) == SQLITE_OK,
	   "a youth member born on 29 February 2008");
	char *out = age_out_dup(&h, NULL, "2026-02-28");
	ok(out && strstr(out, "2026-02-28: 0 youth members"),
	   "on 28-02-2026 she is 17: nobody (%s)", out ? out : "");
	free(out);
	out = age_out_dup(&h, NULL, "2026-03-01");
	ok(out && strstr(out, "2026-03-01: 1 youth member turned 18; the membership ended"),
	   "on 01-03-2026 she is 18: the rules file's end applies (%s)", out ? out : "");
	free(out);
	is_query(db, "SELECT category || ' ' || expires_on FROM patrons WHERE card = '12349999999990'",
		 NULL, "youth 2026-02-28", "her card stays expired from 28-02-2026");
	sqlite3_close(db);
	free(token);
	api_free(api);
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	unlink(rules_path);
	free(conf);
	free(rules_path);
}

int main(void)
{
	setenv("TZ", "Europe/Amsterdam", 1);
	today = date_today();
	struct harness h;
	struct harness_opts opts = { .training = true };
	if (!ok(harness_start(&h, &opts), "balied --training starts")) {
		harness_cleanup(&h);
		return tap_done();
	}
	struct api *api = harness_api(&h);
	sqlite3 *db = open_db(h.db);
	ok(db != NULL, "the database file opens");
	cJSON *body = child_body("Zonder", 8, 0, "1234 AB", true);
	expect_error(enrol(api, body), 401, "unauthorized", NULL, NULL, "without a session");
	cJSON_Delete(body);

	char *token = login_token_dup(api, "balie");
	api_set_token(api, token);
	test_rules(api);
	char *card = test_seven_year_old(api, db);
	test_ages(api);
	test_fields(api, db);
	/* An account of the desk without the override permission. */
	struct api *plain_api = harness_api(&h);
	char *beheer_token = login_token_dup(plain_api, "beheer");
	api_set_token(plain_api, beheer_token);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	cJSON *staff = cJSON_Parse("{\"username\":\"kees\",\"name\":\"Kees Invaller\","
				   "\"password\":\"geheim123\",\"roles\":[\"balie\"],"
				   "\"branch\":\"CEN\"}");
	struct api_reply *sr = api_call(plain_api, "POST", "/staff", staff, key);
	ok(sr->status == 201, "beheer adds kees, a desk account without the override permission");
	api_reply_free(sr);
	cJSON_Delete(staff);
	free(beheer_token);
	api_set_token(plain_api, NULL);
	char *kees = login_as_dup(plain_api, "kees", "geheim123");
	api_set_token(plain_api, kees);
	free(kees);
	test_duplicate(api, plain_api, db, card);
	api_free(plain_api);
	test_concurrent(&h, token);
	test_never_reused(api, db);

	char *beheer = login_token_dup(api, "beheer");
	api_set_token(api, beheer);
	body = child_body("Beheer", 12, 0, "6211 AB", true);
	struct api_reply *r = enrol(api, body);
	ok(r->status == 201, "beheer may enrol too (got %ld)", r->status);
	api_reply_free(r);
	cJSON_Delete(body);
	api_set_token(api, token);
	test_age_out(&h, api, db);
	test_no_bsn(&h, api);
	test_ido(api);

	free(card);
	free(token);
	free(beheer);
	sqlite3_close(db);
	api_free(api);
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	test_rules_file();
	return tap_done();
}
