/* The desk's journal replayed to a real training balied: check-outs and
 * check-ins once each, in order, with due dates from occurred_at; refusals
 * kept for the queue screen; an entry left in flight by a killed desk sent
 * again and answered from the idempotency store; a replay by an account
 * without the offline permission refused and not stored; check-outs and
 * check-ins of one item ordered by occurred_at. */
#include "tap.h"

#include "circ_fixture.h"
#include "core/jsonx.h"
#include "replay_drive.h"
#include "core/xalloc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *checkout_json(const char *card, const char *barcode)
{
	return xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"%s\"}", card, barcode);
}

static char *checkin_json(const char *barcode)
{
	return xasprintf("{\"item_barcode\":\"%s\"}", barcode);
}

static long long append_checkout(struct journal *j, const char *card, const char *barcode,
				 const char *at)
{
	char *json = checkout_json(card, barcode);
	long long seq = drive_append(j, "/checkouts", json, at);
	free(json);
	return seq;
}

static long long append_checkin(struct journal *j, const char *barcode, const char *at)
{
	char *json = checkin_json(barcode);
	long long seq = drive_append(j, "/checkins", json, at);
	free(json);
	return seq;
}

static long long open_loans(struct fx *fx, long long item)
{
	return fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld AND returned_at IS NULL",
		      item);
}

/* The patron of the item's open loan, or -1. */
static long long borrower(struct fx *fx, long long item)
{
	return fx_num(fx, "SELECT patron_id FROM loans WHERE item_id = %lld AND returned_at IS NULL",
		      item);
}

static void test_replay_once(struct fx *fx)
{
	char a[15], b[15], items[5][15];
	long long pa = fx_patron(fx, 1, "Anna", "Eerst", "adult", "2032-01-01", a);
	long long pb = fx_patron(fx, 2, "Bram", "Later", "adult", "2032-01-01", b);
	long long id[5];
	for (unsigned i = 0; i < 5; i++)
		id[i] = fx_item(fx, 100 + i, "book", "CEN", items[i]);
	long long audits = fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'offline'");

	/* the desk's session that Saturday morning, in which it worked offline */
	fx_session_at(fx, "balie", "2031-03-01T08:00:00Z");
	struct journal *j = drive_journal(fx->h.dir, "journal-once");
	for (unsigned i = 0; i < 5; i++)
		append_checkout(j, a, items[i], "2031-03-01T09:00:00Z");
	append_checkin(j, items[0], "2031-03-01T10:00:00Z");
	append_checkin(j, items[1], "2031-03-01T10:01:00Z");
	append_checkout(j, b, items[0], "2031-03-01T11:00:00Z");
	long long unknown = append_checkout(j, a, "3100000999999", "2031-03-01T11:01:00Z");
	long long not_lent = append_checkin(j, items[1], "2031-03-01T11:02:00Z");
	ok(journal_count_waiting(j, NULL) == 10, "ten transactions wait in the journal");

	struct drive_result r;
	drive_replay(fx->api, j, 30, &r);
	ok(r.finished && r.end == REPLAY_END_DONE, "the replay runs to its end (end %d: %s)", r.end,
	   r.why ? r.why : "");
	ok(r.done == 10 && r.total == 10, "progress reached 10 of 10 (%zu of %zu)", r.done, r.total);
	ok(r.refused == 2, "two refusals were reported (%zu)", r.refused);
	free(r.why);
	ok(journal_count(j, JOURNAL_ACKNOWLEDGED, NULL) == 8 &&
	   journal_count(j, JOURNAL_REFUSED, NULL) == 2 && journal_count_waiting(j, NULL) == 0,
	   "8 acknowledged, 2 refused, none waiting");

	ok(borrower(fx, id[0]) == pb && open_loans(fx, id[0]) == 1,
	   "the first item is lent once, to the second patron");
	ok(open_loans(fx, id[1]) == 0, "the second is back");
	ok(borrower(fx, id[2]) == pa && borrower(fx, id[3]) == pa && borrower(fx, id[4]) == pa,
	   "the other three are lent to the first patron");
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE patron_id IN (%lld, %lld)"
		      " AND returned_at IS NULL", pa, pb) == 4,
	   "the service holds exactly four loans for them");
	char *due = fx_text_dup(fx, "SELECT due_on FROM loans WHERE item_id = %lld", id[2]);
	is_str(due, "2031-03-22", "the due date counts 21 days from occurred_at (1 March)");
	free(due);
	ok(fx_num(fx, "SELECT loaned_at FROM loans WHERE item_id = %lld", id[0]) ==
		   1930129200 /* 2031-03-01T11:00:00Z */,
	   "a loan starts at its occurred_at");
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'offline'") == audits + 8,
	   "each applied replay has its audit row, action offline");
	char *details = fx_text_dup(fx, "SELECT details FROM audit_log WHERE action = 'offline'"
					" AND subject = '%s' ORDER BY id LIMIT 1", items[2]);
	ok(details && strstr(details, "\"occurred_at\":\"2031-03-01T09:00:00Z\"") &&
	   strstr(details, "\"call\":\"/checkouts\""),
	   "the audit row names the call and occurred_at");
	free(details);
	char *term = fx_text_dup(fx, "SELECT terminal FROM audit_log WHERE action = 'offline'"
				     " ORDER BY id DESC LIMIT 1");
	ok(term != NULL, "and the terminal that sent it");
	free(term);

	struct journal_entry *e = NULL;
	journal_get(j, unknown, &e, NULL);
	ok(e && e->state == JOURNAL_REFUSED && e->status == 404 && e->answer &&
	   strstr(e->answer, "item_not_found"),
	   "the unknown barcode waits refused with the service's answer");
	journal_entry_free(e);
	journal_get(j, not_lent, &e, NULL);
	ok(e && e->state == JOURNAL_REFUSED && e->answer && strstr(e->answer, "not_on_loan"),
	   "the second check-in of a returned item: refused, not_on_loan");
	journal_entry_free(e);

	drive_replay(fx->api, j, 10, &r);
	ok(r.finished && r.end == REPLAY_END_DONE && r.done == 0,
	   "a second replay finds nothing to send");
	free(r.why);
	ok(fx_num(fx, "SELECT count(*) FROM loans WHERE patron_id IN (%lld, %lld)"
		      " AND returned_at IS NULL", pa, pb) == 4, "still four loans");
	journal_close(j);
}

/* A desk process journals a check-out online, sends it, and is killed
 * before it records the answer: the next replay sends the same key again. */
static void test_killed_in_flight(struct fx *fx)
{
	char card[15], barcode[15];
	long long p = fx_patron(fx, 3, "Cor", "Crash", "adult", "2032-01-01", card);
	/* an hour ago, in the session that began half an hour before */
	char at[32], login_at[32];
	fx_instant(-3600, at);
	fx_instant(-5400, login_at);
	fx_session_at(fx, "balie", login_at);
	long long item = fx_item(fx, 200, "book", "CEN", barcode);
	char *path = xasprintf("%s/journal-crash.db", fx->h.dir);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct journal *cj = journal_open(path, "dying-desk", NULL);
		char *json = checkout_json(card, barcode);
		cJSON *body = cJSON_Parse(json);
		struct journal_entry *e = NULL;
		if (cj && journal_append(cj, JOURNAL_ONLINE, "balie", "POST", "/checkouts", body,
					 NULL, &e, NULL) && drive_entry_at_day(cj, &e, at)) {
			/* its own connection: the parent's stays the parent's */
			struct api *api = harness_api(&fx->h);
			struct api_reply *in = harness_login(api, "balie", "oefenen", "CEN");
			api_set_token(api, jsonx_string(in->body, "token"));
			/* the bytes the journal holds, as the desk sends them */
			cJSON *sent = cJSON_Parse(e->body);
			struct api_reply *rep = api_call(api, e->method, e->path, sent, e->key);
			raise(SIGKILL); /* before the answer is written down */
			api_reply_free(rep);
			cJSON_Delete(sent);
		}
		_exit(3);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status), "the desk process was killed after its check-out was answered");
	ok(open_loans(fx, item) == 1 && borrower(fx, item) == p, "the service lent the item");

	char *err = NULL;
	struct journal *j = journal_open(path, "new-desk", &err);
	struct journal_entry **list = NULL;
	size_t n = 0;
	journal_list_dup(j, JOURNAL_MASK(JOURNAL_SENT), 0, &list, &n, NULL);
	ok(n == 1 && list[0]->owner == pid, "the journal holds it as sent, by the dead process");
	char key[UUID_STR_LEN] = "";
	if (n)
		memcpy(key, list[0]->key, sizeof key);
	journal_entries_free(list, n);

	struct drive_result r;
	drive_replay(fx->api, j, 30, &r);
	ok(r.finished && r.end == REPLAY_END_DONE && r.done == 1,
	   "the restarted desk's replay sends it again (end %d)", r.end);
	free(r.why);
	ok(journal_count(j, JOURNAL_ACKNOWLEDGED, NULL) == 1, "and it is acknowledged");
	ok(open_loans(fx, item) == 1 &&
	   fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld", item) == 1,
	   "the service still holds one loan: the repeat was answered from the store");
	ok(fx_num(fx, "SELECT count(*) FROM idempotency_keys WHERE key = '%s'", key) == 1,
	   "its key is stored once");
	journal_close(j);
	free(path);
}

/* beheer adds an account with the desk role and no permission. */
static bool add_account(struct fx *fx, const char *user)
{
	if (!fx_login(fx, "beheer", "CEN"))
		return false;
	char *json = xasprintf("{\"username\":\"%s\",\"name\":\"Zonder Recht\","
			       "\"password\":\"geheim123\",\"roles\":[\"balie\"],"
			       "\"branch\":\"CEN\"}", user);
	struct api_reply *r = fx_post(fx, "/staff", json);
	free(json);
	bool made = r->status == 201;
	api_reply_free(r);
	return made;
}

static bool login_as(struct fx *fx, const char *user)
{
	struct api_reply *r = harness_login(fx->api, user, "geheim123", "CEN");
	const char *token = jsonx_string(r->body, "token");
	if (token)
		api_set_token(fx->api, token);
	api_reply_free(r);
	return token != NULL;
}

static void test_permission(struct fx *fx)
{
	if (!ok(add_account(fx, "wim") && login_as(fx, "wim"),
		"beheer adds wim, a desk account without the offline permission"))
		return;
	char card[15], barcode[15], b2[15];
	fx_patron(fx, 4, "Dirk", "Derde", "adult", "2032-01-01", card);
	long long item = fx_item(fx, 300, "book", "CEN", barcode);
	fx_item(fx, 301, "book", "CEN", b2);
	fx_expect(fx_checkout(fx, card, b2), 201, NULL, "online, wim lends without the permission");
	fx_expect(fx_checkin(fx, b2), 200, NULL, "and takes it in");
	/* what the desk sends online: the journal's body, with the moment at the
	 * desk and no offline flag */
	struct journal *oj = drive_journal(fx->h.dir, "journal-perm-online");
	cJSON *ob = cJSON_Parse("{}");
	cJSON_AddStringToObject(ob, "patron_card", card);
	cJSON_AddStringToObject(ob, "item_barcode", b2);
	struct journal_entry *oe = NULL;
	/* the moment at the desk is the service's now (its test clock) */
	struct api_reply *health = api_call(fx->api, "GET", "/health", NULL, NULL);
	bool appended = journal_append(oj, JOURNAL_ONLINE, "wim", "POST", "/checkouts", ob,
				       jsonx_string(health->body, "time"), &oe, NULL);
	api_reply_free(health);
	cJSON *sent = appended ? cJSON_Parse(oe->body) : NULL;
	struct api_reply *orep = sent ? api_call(fx->api, "POST", "/checkouts", sent, oe->key) : NULL;
	ok(orep && orep->status == 201,
	   "an online check-out with its moment at the desk needs no offline permission (%ld)",
	   orep ? orep->status : 0);
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'offline'"
		      " AND details LIKE '%%%s%%'", oe ? oe->occurred_at : "none") == 0,
	   "and it is no replay: no offline audit row");
	api_reply_free(orep);
	cJSON_Delete(sent);
	cJSON_Delete(ob);
	journal_entry_free(oe);
	journal_close(oj);
	fx_expect(fx_checkin(fx, b2), 200, NULL, "taken in again");

	/* wim's session that Saturday, in which the entry was made */
	fx_session_at(fx, "wim", "2031-03-01T08:00:00Z");
	struct journal *j = drive_journal(fx->h.dir, "journal-perm");
	long long seq = append_checkout(j, card, barcode, "2031-03-01T09:00:00Z");
	struct drive_result r;
	drive_replay(fx->api, j, 30, &r);
	ok(r.finished && r.end == REPLAY_END_FORBIDDEN, "wim's replay ends: forbidden (end %d)",
	   r.end);
	ok(r.why && strlen(r.why) > 0, "with a sentence for the status line: %s",
	   r.why ? r.why : "");
	free(r.why);
	struct journal_entry *e = NULL;
	journal_get(j, seq, &e, NULL);
	ok(e && e->state == JOURNAL_PENDING, "the entry still waits, not refused");
	ok(open_loans(fx, item) == 0, "nothing was lent");
	ok(e && fx_num(fx, "SELECT count(*) FROM idempotency_keys WHERE key = '%s'", e->key) == 0,
	   "the refusal is not stored under the entry's key");
	journal_entry_free(e);

	/* the raw answer: 403 forbidden naming the permission */
	cJSON *body = cJSON_Parse("{\"item_barcode\":\"x\",\"offline\":true}");
	cJSON_ReplaceItemInObject(body, "item_barcode", cJSON_CreateString(b2));
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *rep = api_call(fx->api, "POST", "/checkins", body, key);
	ok(rep->status == 403 && rep->error_code && strcmp(rep->error_code, "forbidden") == 0,
	   "a check-in with offline: true from wim: 403 forbidden (got %ld)", rep->status);
	is_str(jsonx_string(rep->error_details, "permission"), "offline",
	       "details name the permission offline");
	api_reply_free(rep);
	cJSON_Delete(body);

	char *out = NULL, *err = NULL;
	int status = harness_run(&fx->h, NULL, &out, &err, "permission", "grant", "wim", "offline",
				 NULL);
	ok(status == 0, "balied permission grant wim offline (exit %d)", status);
	free(out);
	free(err);
	login_as(fx, "wim");
	drive_replay(fx->api, j, 30, &r);
	ok(r.finished && r.end == REPLAY_END_DONE && r.done == 1,
	   "with the permission the same entry is sent, with its own key (end %d)", r.end);
	free(r.why);
	ok(open_loans(fx, item) == 1, "and lent once");
	journal_close(j);
	fx_login(fx, "balie", "CEN");
}

static void test_order(struct fx *fx)
{
	char a[15], b[15], x[15], y[15];
	long long pa = fx_patron(fx, 5, "Els", "Offline", "adult", "2032-01-01", a);
	long long pb = fx_patron(fx, 6, "Fer", "Online", "adult", "2032-01-01", b);
	long long ix = fx_item(fx, 400, "book", "CEN", x);
	long long iy = fx_item(fx, 401, "book", "CEN", y);
	/* B borrows x at the desk today, after the offline desk's events below */
	fx_expect(fx_checkout(fx, b, x), 201, NULL, "x is lent online to B today");
	long long started = fx_num(fx, "SELECT loaned_at FROM loans WHERE item_id = %lld"
					" AND returned_at IS NULL", ix);

	/* the desk's sessions of Sunday morning and of three hours ago */
	char before[3][32], login_at[32];
	for (int i = 0; i < 3; i++)
		fx_instant(-3 * 3600 + 1 + i, before[i]);
	fx_instant(-3 * 3600 - 60, login_at);
	fx_session_at(fx, "balie", "2031-03-02T08:30:00Z");
	fx_session_at(fx, "balie", login_at);
	struct journal *j = drive_journal(fx->h.dir, "journal-order");
	long long ci = append_checkin(j, x, before[0]);
	long long co = append_checkout(j, a, x, before[1]);
	append_checkout(j, a, y, "2031-03-02T09:00:00Z");
	append_checkin(j, y, "2031-03-02T09:05:00Z");
	append_checkout(j, b, y, "2031-03-02T09:10:00Z");
	struct drive_result r;
	drive_replay(fx->api, j, 30, &r);
	ok(r.finished && r.end == REPLAY_END_DONE && r.refused == 2,
	   "the replay ends with two refusals (end %d, %zu)", r.end, r.refused);
	free(r.why);
	ok(borrower(fx, ix) == pb && open_loans(fx, ix) == 1 &&
	   fx_num(fx, "SELECT loaned_at FROM loans WHERE item_id = %lld AND returned_at IS NULL",
		  ix) == started,
	   "a check-in from before B's loan began leaves B's later loan alone");
	struct journal_entry *e = NULL;
	journal_get(j, ci, &e, NULL);
	ok(e && e->state == JOURNAL_REFUSED && e->status == 409 && e->answer &&
	   strstr(e->answer, "not_on_loan") && strstr(e->answer, "loan_started_later"),
	   "it waits refused: not_on_loan, loan_started_later");
	journal_entry_free(e);
	journal_get(j, co, &e, NULL);
	ok(e && e->state == JOURNAL_REFUSED && e->answer &&
	   strstr(e->answer, "item_not_loanable") && strstr(e->answer, "loan_started_at"),
	   "a check-out from before it: item_not_loanable with loan_started_at");
	journal_entry_free(e);
	(void)pa;
	ok(borrower(fx, iy) == pb && open_loans(fx, iy) == 1 &&
	   fx_num(fx, "SELECT loaned_at FROM loans WHERE item_id = %lld AND returned_at IS NULL",
		  iy) == 1930209000 /* 2031-03-02T09:10:00Z */,
	   "out, in and out again in journal order: the last loan stands, from its occurred_at");

	/* the same holds for a renewal from before the loan began */
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "item_barcode", x);
	cJSON_AddStringToObject(body, "occurred_at", before[2]);
	cJSON_AddBoolToObject(body, "offline", true);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *rep = api_call(fx->api, "POST", "/renewals", body, key);
	ok(rep->status == 409 && rep->error_code && strcmp(rep->error_code, "not_on_loan") == 0 &&
	   jsonx_string(rep->error_details, "reason") &&
	   strcmp(jsonx_string(rep->error_details, "reason"), "loan_started_later") == 0,
	   "a renewal from before the loan began: 409 not_on_loan, loan_started_later");
	api_reply_free(rep);
	cJSON_Delete(body);
	journal_close(j);
}

static const char ido_json[] =
	"{\"visit_id\":\"6f1d2c3b-4a59-4e8f-9a1b-2c3d4e5f6a7b\",\"class\":\"digital_government\","
	"\"topics\":[\"tax_return\"],\"organisations\":[\"belastingdienst\"],"
	"\"help\":[\"digital_service\"],\"outcome\":\"answered\",\"minutes\":15,"
	"\"channel\":\"walk_in\"}";

/* IDO questions: the volunteer's journal replayed as of occurred_at and
 * audited; an account without the permission refused. */
static void test_ido(struct fx *fx)
{
	if (!ok(fx_login(fx, "ido", "NRD"), "ido logs in"))
		return;
	/* the volunteer's session that Saturday, in which the question was asked */
	fx_session_at(fx, "ido", "2031-03-01T10:00:00Z");
	struct journal *j = drive_journal(fx->h.dir, "journal-ido");
	long long seq = drive_append(j, "/ido/questions", ido_json, "2031-03-01T10:30:00Z");
	struct drive_result r;
	drive_replay(fx->api, j, 30, &r);
	ok(r.finished && r.end == REPLAY_END_DONE && r.done == 1,
	   "ido's offline question is replayed (end %d: %s)", r.end, r.why ? r.why : "");
	free(r.why);
	struct journal_entry *e = NULL;
	journal_get(j, seq, &e, NULL);
	ok(e && e->state == JOURNAL_ACKNOWLEDGED && e->status == 201, "and acknowledged, 201");
	journal_entry_free(e);
	ok(fx_num(fx, "SELECT count(*) FROM ido_questions WHERE visit_id ="
		      " '6f1d2c3b-4a59-4e8f-9a1b-2c3d4e5f6a7b' AND day = '2031-03-01'") == 1,
	   "it counts on the day it was asked");
	char *details = fx_text_dup(fx, "SELECT details FROM audit_log WHERE action = 'offline'"
					" ORDER BY id DESC LIMIT 1");
	ok(details && strstr(details, "\"call\":\"/ido/questions\"") &&
	   strstr(details, "question_id"), "its audit row names the call and the question");
	free(details);
	journal_close(j);

	/* wim has no offline permission (test_permission granted it: revoke) */
	char *out = NULL, *err = NULL;
	harness_run(&fx->h, NULL, &out, &err, "permission", "revoke", "wim", "offline", NULL);
	free(out);
	free(err);
	login_as(fx, "wim");
	cJSON *body = cJSON_Parse(ido_json);
	cJSON_AddStringToObject(body, "occurred_at", "2031-03-01T10:31:00Z");
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *rep = api_call(fx->api, "POST", "/ido/questions", body, key);
	ok(rep->status == 403 && rep->error_code && strcmp(rep->error_code, "forbidden") == 0 &&
	   jsonx_string(rep->error_details, "permission") &&
	   strcmp(jsonx_string(rep->error_details, "permission"), "offline") == 0,
	   "an IDO question with occurred_at from an account without it: 403, offline (got %ld)",
	   rep->status);
	api_reply_free(rep);
	cJSON_DeleteItemFromObject(body, "occurred_at");
	uuid_v4(key);
	rep = api_call(fx->api, "POST", "/ido/questions", body, key);
	ok(rep->status == 201, "the same question without occurred_at is logged (got %ld)",
	   rep->status);
	api_reply_free(rep);
	cJSON_Delete(body);
	fx_login(fx, "balie", "CEN");
}

int main(void)
{
	struct fx fx;
	if (!fx_start(&fx, NULL)) {
		ok(false, "a training balied starts");
		fx_finish(&fx, true);
		return tap_done();
	}
	test_replay_once(&fx);
	test_killed_in_flight(&fx);
	test_permission(&fx);
	test_order(&fx);
	test_ido(&fx);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
