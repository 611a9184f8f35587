/* The IDO question log over HTTP against a real balied: the catalogue, every
 * rule of a logged question (the note's personal-data guard included), the
 * statistics per branch and role, the CSV export agreeing with them, a
 * retired catalogue entry, and what the ido role may not do. */
#include "tap.h"

#include "core/date.h"
#include "harness.h"
#include "core/jsonx.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static struct api *api;
static char visit[UUID_STR_LEN];

static void login_as(const char *user, const char *branch)
{
	api_set_token(api, NULL);
	struct api_reply *r = harness_login(api, user, "oefenen", branch);
	const char *t = jsonx_string(r->body, "token");
	if (!ok(t != NULL, "%s logs in at %s", user, branch))
		diag("status %ld", r->status);
	api_set_token(api, t);
	api_reply_free(r);
}

static cJSON *strings(const char *const *s)
{
	cJSON *arr = cJSON_CreateArray();
	for (; s && *s; s++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(*s));
	return arr;
}

struct q {
	const char *cls;
	const char *topics[4], *orgs[4], *help[4];
	const char *outcome, *referred_to;
	int minutes;
	const char *channel, *note;
};

static cJSON *question_body(const struct q *q)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "visit_id", visit);
	cJSON_AddStringToObject(b, "class", q->cls);
	cJSON_AddItemToObject(b, "topics", strings(q->topics));
	cJSON_AddItemToObject(b, "organisations", strings(q->orgs));
	cJSON_AddItemToObject(b, "help", strings(q->help));
	cJSON_AddStringToObject(b, "outcome", q->outcome);
	if (q->referred_to)
		cJSON_AddStringToObject(b, "referred_to", q->referred_to);
	cJSON_AddNumberToObject(b, "minutes", q->minutes);
	cJSON_AddStringToObject(b, "channel", q->channel);
	if (q->note)
		cJSON_AddStringToObject(b, "note", q->note);
	return b;
}

static struct api_reply *post(cJSON *body)
{
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *r = api_call(api, "POST", "/ido/questions", body, key);
	cJSON_Delete(body);
	return r;
}

static const struct q tax = {
	"digital_government", { "tax_return", NULL }, { "belastingdienst", NULL },
	{ "digital_service", NULL }, "answered", NULL, 15, "walk_in", "aangifte 2025 box 3"
};
static const struct q digid = {
	"digital_government", { "digid_apply", "digid_app", NULL }, { NULL },
	{ "digital_service", "skills_course", NULL }, "referred", "municipality", 10, "appointment",
	NULL
};

static bool logged(const struct q *q)
{
	struct api_reply *r = post(question_body(q));
	bool good = r->status == 201 && jsonx_string(r->body, "id");
	if (!good)
		diag("status %ld %s", r->status, r->error_code ? r->error_code : "");
	api_reply_free(r);
	return good;
}

static void test_catalog(void)
{
	struct api_reply *r = api_call(api, "GET", "/ido/catalog", NULL, NULL);
	ok(r->status == 200, "GET /ido/catalog: 200");
	static const struct {
		const char *member;
		int n;
	} lists[] = { { "classes", 3 }, { "topics", 14 }, { "organisations", 15 },
		      { "help_kinds", 5 }, { "outcomes", 3 }, { "referral_partners", 5 },
		      { "channels", 3 } };
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		ok(cJSON_GetArraySize(jsonx_array(r->body, lists[i].member)) == lists[i].n,
		   "the catalogue has %d %s", lists[i].n, lists[i].member);
	const cJSON *first = cJSON_GetArrayItem(jsonx_array(r->body, "topics"), 0);
	is_str(jsonx_string(first, "code"), "digid_apply", "the first topic is digid_apply");
	is_str(jsonx_string(first, "label"), "DigiD aanvragen of activeren", "with its label");
	api_reply_free(r);
}

/* One refused question: status, code and details. */
static void refused(const struct q *q, long status, const char *code, const char *field,
		    const char *reason, const char *what)
{
	struct api_reply *r = post(question_body(q));
	ok(r->status == status, "%s: %ld (got %ld)", what, status, r->status);
	is_str(r->error_code, code, "%s: %s", what, code);
	if (field)
		is_str(jsonx_string(r->error_details, "field"), field, "%s: field %s", what, field);
	if (reason)
		is_str(jsonx_string(r->error_details, "reason"), reason, "%s: %s", what, reason);
	api_reply_free(r);
}

static void test_rules(void)
{
	struct q q = tax;
	q.cls = "astrology";
	refused(&q, 422, "invalid_field", "class", "unknown", "an unknown class");
	q = tax;
	q.topics[0] = NULL;
	refused(&q, 422, "invalid_field", "topics", "empty", "no topic");
	q = tax;
	q.topics[1] = "tax_return";
	refused(&q, 422, "invalid_field", "topics", "duplicate", "a topic twice");
	q = tax;
	q.orgs[0] = "nsa";
	refused(&q, 422, "invalid_field", "organisations", "unknown", "an unknown organisation");
	q = tax;
	q.outcome = "referred";
	refused(&q, 422, "invalid_field", "referred_to", "missing", "referred, but to nobody");
	q = tax;
	q.referred_to = "municipality";
	refused(&q, 422, "invalid_field", "referred_to", "only_when_referred",
		"a partner without a referral");
	q = tax;
	q.minutes = 0;
	refused(&q, 422, "invalid_field", "minutes", "out_of_range", "0 minutes");
	q.minutes = 481;
	refused(&q, 422, "invalid_field", "minutes", "out_of_range", "481 minutes");
	q = tax;
	q.channel = "pigeon";
	refused(&q, 422, "invalid_field", "channel", "unknown", "an unknown channel");

	char *long_note = xmalloc(300 * 2 + 1);
	long_note[0] = '\0';
	for (int i = 0; i < 281; i++)
		strcat(long_note, "é"); /* two bytes, one character */
	q = tax;
	q.note = long_note;
	refused(&q, 422, "invalid_field", "note", "too_long", "a note of 281 characters");
	long_note[280 * 2] = '\0';
	ok(logged(&q), "a note of 280 characters (560 bytes) is taken");
	free(long_note);

	q = tax;
	q.note = "regel\x01met een stuurteken";
	refused(&q, 422, "invalid_field", "note", "control_characters", "a note with a control character");

	static const struct {
		const char *note, *kind;
	} personal[] = {
		{ "BSN 123 456 782 genoemd", "bsn" },
		{ "mail: jan.jansen@example.nl", "email" },
		{ "terugbellen 06-12345678", "phone" },
		{ "rekening NL91 ABNA 0417 1643 00", "iban" },
	};
	for (size_t i = 0; i < sizeof personal / sizeof personal[0]; i++) {
		q = tax;
		q.note = personal[i].note;
		struct api_reply *r = post(question_body(&q));
		ok(r->status == 422, "a note with a %s: 422", personal[i].kind);
		is_str(r->error_code, "personal_data_in_note", "personal_data_in_note");
		is_str(jsonx_string(r->error_details, "kind"), personal[i].kind, "details.kind is %s",
		       personal[i].kind);
		char *text = r->body ? jsonx_print_dup(r->body) : xstrdup("");
		ok(!strstr(text, "456") && !strstr(text, "jansen") && !strstr(text, "12345678") &&
			   !strstr(text, "ABNA"),
		   "the answer does not repeat the value");
		free(text);
		api_reply_free(r);
	}

	cJSON *b = question_body(&tax);
	cJSON_ReplaceItemInObject(b, "visit_id", cJSON_CreateString("visit-1"));
	struct api_reply *r = post(b);
	is_str(jsonx_string(r->error_details, "reason"), "not_a_uuid", "a visit id is a UUID");
	api_reply_free(r);
	b = question_body(&tax);
	r = api_call(api, "POST", "/ido/questions", b, NULL);
	ok(r->status == 400, "no Idempotency-Key: 400");
	api_reply_free(r);

	/* The same key twice stores one question. */
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *first = api_call(api, "POST", "/ido/questions", b, key);
	struct api_reply *again = api_call(api, "POST", "/ido/questions", b, key);
	ok(first->status == 201 && again->status == 201, "a repeat with the same key: 201 twice");
	ok(cJSON_Compare(first->body, again->body, true), "with the same answer (the same id)");
	is_str(jsonx_string(first->body, "branch"), "CEN", "the question is of the session's branch");
	ok(jsonx_string(first->body, "date") && strlen(jsonx_string(first->body, "date")) == 10,
	   "and dated today");
	api_reply_free(first);
	api_reply_free(again);
	cJSON_Delete(b);
}

static long long number(const cJSON *obj, const char *key)
{
	long long n = -1;
	jsonx_int(obj, key, &n);
	return n;
}

/* The count of code in stats member list, 0 when absent. */
static long long count_of(const cJSON *stats, const char *list, const char *code)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, jsonx_array(stats, list)) {
		const char *c = jsonx_string(e, "code");
		if (c && strcmp(c, code) == 0)
			return number(e, "count");
	}
	return 0;
}

static cJSON *stats(const char *query, long want_status)
{
	char *path = xasprintf("/ido/stats%s", query);
	struct api_reply *r = api_call(api, "GET", path, NULL, NULL);
	free(path);
	ok(r->status == want_status, "GET /ido/stats%s: %ld (got %ld)", query, want_status,
	   r->status);
	cJSON *body = r->body;
	r->body = NULL;
	api_reply_free(r);
	return body;
}

/* Sums the CSV's counts for list and code over every month and branch
 * (the list's Dutch name stands between them). */
static long long csv_sum(const char *csv, const char *list, const char *code)
{
	long long sum = 0;
	char *want = xasprintf(";%s;", list);
	char *want_code = xasprintf(";%s;", code);
	for (const char *line = csv; line && *line;) {
		const char *end = strstr(line, "\r\n");
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *row = xstrndup(line, len);
		char *hit = strstr(row, want);
		char *name_end = hit ? strchr(hit + strlen(want), ';') : NULL;
		if (name_end && strncmp(name_end, want_code, strlen(want_code)) == 0)
			sum += atoll(strrchr(row, ';') + 1);
		free(row);
		line = end ? end + 2 : NULL;
	}
	free(want);
	free(want_code);
	return sum;
}

static void test_stats_and_export(const struct harness *h)
{
	/* CEN has the questions of test_rules; NRD and ZUI get their own. */
	login_as("balie", "NRD");
	ok(logged(&digid) && logged(&digid), "balie logs two questions at NRD");
	login_as("beheer", "ZUI");
	ok(logged(&tax), "beheer logs one at ZUI");

	login_as("ido", "CEN");
	cJSON *own = stats("", 200);
	is_str(jsonx_string(own, "branch"), "CEN", "ido sees the statistics of its own branch");
	long long cen_total = number(own, "total");
	ok(cen_total == 3, "CEN: 3 questions (got %lld)", cen_total);
	ok(number(own, "minutes") == 45, "CEN: 45 minutes (got %lld)", number(own, "minutes"));
	ok(count_of(own, "by_topic", "tax_return") == 3, "CEN: tax_return 3 times");
	ok(count_of(own, "by_topic", "digid_apply") == 0, "CEN: no DigiD question from NRD");
	ok(count_of(own, "by_branch", "CEN") == 3 && cJSON_GetArraySize(jsonx_array(own, "by_branch")) == 1,
	   "by_branch holds CEN only");
	const cJSON *month = cJSON_GetArrayItem(jsonx_array(own, "by_month"), 0);
	ok(number(month, "count") == 3 && jsonx_string(month, "month") &&
		   strlen(jsonx_string(month, "month")) == 7,
	   "by_month: this month, 3 questions");
	cJSON_Delete(own);
	cJSON_Delete(stats("?branch=NRD", 403));
	cJSON_Delete(stats("?from=2026-13-01", 422));
	cJSON_Delete(stats("?from=2026-02-01&to=2026-01-01", 422));
	cJSON *past = stats("?from=2020-01-01&to=2020-12-31", 200);
	ok(number(past, "total") == 0, "a period without questions: total 0");
	cJSON_Delete(past);
	struct api_reply *r = api_call(api, "GET", "/ido/export.csv", NULL, NULL);
	ok(r->status == 403, "ido cannot export: 403 (got %ld)", r->status);
	api_reply_free(r);
	login_as("balie", "NRD");
	r = api_call(api, "GET", "/ido/export.csv", NULL, NULL);
	ok(r->status == 403, "balie cannot export: 403");
	api_reply_free(r);
	cJSON *nrd_own = stats("", 200);
	ok(number(nrd_own, "total") == 2 && strcmp(jsonx_string(nrd_own, "branch"), "NRD") == 0,
	   "balie sees its own branch: NRD, 2 questions");
	cJSON_Delete(nrd_own);

	login_as("beheer", "CEN");
	cJSON *all = stats("", 200);
	ok(jsonx_object(all, "branch") == NULL && cJSON_IsNull(cJSON_GetObjectItem(all, "branch")),
	   "beheer sees every branch");
	ok(number(all, "total") == 6, "6 questions in all (got %lld)", number(all, "total"));
	ok(number(all, "minutes") == 80, "80 minutes in all (got %lld)", number(all, "minutes"));
	ok(count_of(all, "by_topic", "digid_app") == 2, "digid_app twice");
	ok(count_of(all, "by_outcome", "referred") == 2, "referred twice");
	ok(count_of(all, "by_referral_partner", "municipality") == 2, "to the municipality");
	ok(count_of(all, "by_help_kind", "digital_service") == 6, "digital_service 6 times");
	ok(count_of(all, "by_channel", "appointment") == 2, "by appointment twice");
	ok(count_of(all, "by_organisation", "belastingdienst") == 4, "Belastingdienst 4 times");
	ok(count_of(all, "by_branch", "NRD") == 2, "NRD: 2");
	cJSON *nrd = stats("?branch=NRD", 200);
	ok(number(nrd, "total") == 2, "beheer asks for NRD alone: 2");
	cJSON_Delete(nrd);
	cJSON_Delete(stats("?branch=XYZ", 422));

	r = api_call(api, "GET", "/ido/export.csv", NULL, NULL);
	ok(r->status == 200 && r->text, "beheer exports: 200 with a CSV text");
	const char *csv = r->text ? r->text : "";
	ok(strncmp(csv, "\xef\xbb\xbfmaand;vestiging;lijst;lijstnaam;code;omschrijving;aantal\r\n",
		   61) == 0,
	   "UTF-8 with a byte-order mark, a Dutch header row for the municipality, ';' between "
	   "fields");
	ok(csv_sum(csv, "total", "questions") == number(all, "total"),
	   "the CSV's questions add up to the statistics' total");
	ok(csv_sum(csv, "total", "minutes") == number(all, "minutes"),
	   "the CSV's minutes add up to the statistics' minutes");
	static const char *const lists[] = { "class", "topic", "organisation", "help_kind",
					     "outcome", "referral_partner", "channel" };
	bool agree = true;
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		char *member = xasprintf("by_%s", lists[i]);
		const cJSON *e;
		cJSON_ArrayForEach(e, jsonx_array(all, member)) {
			const char *code = jsonx_string(e, "code");
			if (csv_sum(csv, lists[i], code) != number(e, "count")) {
				diag("%s %s: CSV %lld, statistics %lld", lists[i], code,
				     csv_sum(csv, lists[i], code), number(e, "count"));
				agree = false;
			}
		}
		free(member);
	}
	ok(agree, "every count of every list agrees with the statistics");
	ok(strstr(csv, ";NRD;topic;onderwerp;digid_app;DigiD-app;2\r\n") != NULL,
	   "a row per month and branch names the list and the code, each with its Dutch label");
	ok(strstr(csv, ";NRD;total;totaal;questions;vragen;2\r\n") != NULL &&
		   strstr(csv, ";NRD;total;totaal;minutes;minuten;") != NULL,
	   "the totals have Dutch labels beside their codes: vragen, minuten");
	static const char *const dutch[] = { ";class;soort vraag;", ";organisation;organisatie;",
					     ";help_kind;geboden hulp;", ";outcome;uitkomst;",
					     ";channel;kanaal;" };
	bool named = true;
	for (size_t i = 0; i < sizeof dutch / sizeof dutch[0]; i++)
		if (!strstr(csv, dutch[i])) {
			diag("no %s in the export", dutch[i]);
			named = false;
		}
	ok(named, "every list's code has its Dutch name beside it");
	api_reply_free(r);
	cJSON_Delete(all);
	r = api_call(api, "GET", "/ido/export.csv?branch=NRD", NULL, NULL);
	csv = r->text ? r->text : "";
	ok(csv_sum(csv, "total", "questions") == 2 && !strstr(csv, ";CEN;") && !strstr(csv, ";ZUI;"),
	   "an export of NRD alone holds NRD's 2 questions and no other branch");
	api_reply_free(r);

	char *answer = NULL;
	struct api_reply *lr = harness_login(api, "beheer", "oefenen", "CEN");
	char *req = xasprintf("GET /api/v1/ido/export.csv HTTP/1.1\r\nHost: localhost\r\n"
			      "Authorization: Bearer %s\r\nConnection: close\r\n\r\n",
			      jsonx_string(lr->body, "token"));
	api_reply_free(lr);
	ok(harness_raw(h, NULL, req, strlen(req), &answer) == 200 && answer &&
		   strstr(answer, "text/csv; charset=utf-8"),
	   "the export is sent as text/csv; charset=utf-8");
	free(answer);
	free(req);
}

static void test_retired(const struct harness *h)
{
	char *out = NULL, *err = NULL;
	ok(harness_run(h, NULL, &out, &err, "ido-catalog", "retire", "topic", "digid_app", NULL) == 0,
	   "balied ido-catalog retire topic digid_app");
	free(out);
	free(err);
	login_as("ido", "CEN");
	struct api_reply *r = api_call(api, "GET", "/ido/catalog", NULL, NULL);
	bool listed = false;
	const cJSON *e;
	cJSON_ArrayForEach(e, jsonx_array(r->body, "topics"))
		listed = listed || strcmp(jsonx_string(e, "code"), "digid_app") == 0;
	ok(!listed, "the catalogue no longer offers digid_app");
	api_reply_free(r);
	r = api_call(api, "GET", "/ido/catalog?retired=true", NULL, NULL);
	bool shown_retired = false;
	cJSON_ArrayForEach(e, jsonx_array(r->body, "topics")) {
		bool active = true;
		if (strcmp(jsonx_string(e, "code"), "digid_app") == 0)
			shown_retired = jsonx_bool(e, "active", &active) && !active;
	}
	ok(shown_retired, "?retired=true lists it as not active");
	api_reply_free(r);
	struct q q = digid;
	refused(&q, 422, "invalid_field", "topics", "retired", "a retired topic for a new question");

	login_as("beheer", "CEN");
	cJSON *all = stats("", 200);
	ok(count_of(all, "by_topic", "digid_app") == 2, "the old questions still count digid_app");
	const cJSON *t;
	const char *label = NULL;
	cJSON_ArrayForEach(t, jsonx_array(all, "by_topic"))
		if (strcmp(jsonx_string(t, "code"), "digid_app") == 0)
			label = jsonx_string(t, "label");
	is_str(label, "DigiD-app", "with its label");
	cJSON_Delete(all);

	ok(harness_run(h, NULL, &out, &err, "ido-catalog", "add", "topic", "energy",
		       "Energietoeslag", NULL) == 0,
	   "balied ido-catalog add topic energy Energietoeslag");
	free(out);
	free(err);
	q = tax;
	q.topics[0] = "energy";
	ok(logged(&q), "the new topic can be chosen at once");
	/* a label a spreadsheet would run as a formula is exported as text */
	ok(harness_run(h, NULL, &out, &err, "ido-catalog", "add", "topic", "formula", "=SUM(A1)",
		       NULL) == 0,
	   "balied ido-catalog add topic formula =SUM(A1)");
	free(out);
	free(err);
	q.topics[0] = "formula";
	ok(logged(&q), "a question about it is logged");
	login_as("beheer", "CEN");
	r = api_call(api, "GET", "/ido/export.csv", NULL, NULL);
	ok(r->text && strstr(r->text, ";topic;onderwerp;formula;'=SUM(A1);1\r\n"),
	   "the export gives the label with a ' before it, so that it opens as text");
	api_reply_free(r);
	login_as("ido", "CEN");
	ok(harness_run(h, NULL, &out, &err, "ido-catalog", "retire", "topic", "nothing", NULL) == 1,
	   "retiring a code that does not exist fails");
	free(out);
	free(err);
	ok(harness_run(h, NULL, &out, &err, "ido-catalog", "add", "colour", "red", "Rood", NULL) == 2,
	   "a list that does not exist is bad usage");
	free(out);
	free(err);
}

/* The training database holds demo questions in the three months before
 * this one (and none in this month, which is the trainee's). */
static void test_seed(void)
{
	login_as("beheer", "CEN");
	struct civil_date today = date_today();
	struct civil_date first = { today.year, today.month, 1 };
	struct civil_date end = date_add_days(first, -1);
	struct civil_date start = { end.year, end.month, 1 };
	for (int i = 0; i < 2; i++)
		start = date_add_days(start, -1), start.day = 1;
	char from[DATE_STR_LEN], to[DATE_STR_LEN];
	date_format_iso(start, from);
	date_format_iso(end, to);
	char *query = xasprintf("?from=%s&to=%s", from, to);
	cJSON *seeded = stats(query, 200);
	free(query);
	ok(number(seeded, "total") == 60, "60 demo questions in the three months before (got %lld)",
	   number(seeded, "total"));
	ok(cJSON_GetArraySize(jsonx_array(seeded, "by_month")) == 3 &&
		   cJSON_GetArraySize(jsonx_array(seeded, "by_branch")) == 3,
	   "in each of the three months and branches");
	ok(cJSON_GetArraySize(jsonx_array(seeded, "by_topic")) > 5, "on many topics");
	cJSON_Delete(seeded);
}

/* The volunteer's role reaches no patron, loan or enrolment. */
static void test_ido_forbidden(void)
{
	login_as("ido", "CEN");
	static const struct {
		const char *method, *path;
	} calls[] = {
		{ "GET", "/patrons/21000000000017" },
		{ "GET", "/memberships/rules" },
		{ "GET", "/patrons?q=Jansen" },
		{ "POST", "/checkouts" },
		{ "POST", "/checkins" },
		{ "POST", "/renewals" },
		{ "POST", "/memberships" },
	};
	for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		char key[UUID_STR_LEN];
		uuid_v4(key);
		cJSON *body = strcmp(calls[i].method, "POST") == 0 ? cJSON_CreateObject() : NULL;
		struct api_reply *r = api_call(api, calls[i].method, calls[i].path, body,
					       body ? key : NULL);
		ok(r->status == 403 && r->error_code && strcmp(r->error_code, "forbidden") == 0,
		   "ido: %s %s is 403 forbidden (got %ld %s)", calls[i].method, calls[i].path,
		   r->status, r->error_code ? r->error_code : "");
		api_reply_free(r);
		cJSON_Delete(body);
	}
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
	uuid_v4(visit);
	struct api_reply *r = api_call(api, "GET", "/ido/catalog", NULL, NULL);
	ok(r->status == 401, "the catalogue needs a session: 401");
	api_reply_free(r);
	login_as("ido", "CEN");
	test_catalog();
	ok(logged(&tax), "ido logs a question at CEN");
	test_rules();
	test_stats_and_export(&h);
	test_retired(&h);
	test_seed();
	test_ido_forbidden();
	api_free(api);
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	return tap_done();
}
