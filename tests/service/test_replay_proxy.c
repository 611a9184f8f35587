/* The connection cut after balied committed but before the answer reached
 * the desk (a fault-injecting proxy on a loopback socket): the journal
 * keeps the entry waiting, and the resend with the same key is answered from
 * the service's idempotency store, not applied twice. */
#include "tap.h"

#include "circ_fixture.h"
#include "faultproxy.h"
#include "core/jsonx.h"
#include "replay_drive.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long long loans_of(struct fx *fx, long long item)
{
	return fx_num(fx, "SELECT count(*) FROM loans WHERE item_id = %lld", item);
}

static void test_replay_cut(struct fx *fx, struct api *api, struct faultproxy *proxy)
{
	char card[15], bc[3][15];
	fx_patron(fx, 1, "Gijs", "Afgebroken", "adult", "2032-01-01", card);
	long long item[3];
	for (unsigned i = 0; i < 3; i++)
		item[i] = fx_item(fx, 10 + i, "book", "CEN", bc[i]);
	/* the desk's session that Saturday, in which it worked offline */
	fx_session_at(fx, "balie", "2031-03-01T08:00:00Z");
	struct journal *j = drive_journal(fx->h.dir, "journal-cut");
	long long first = 0;
	for (unsigned i = 0; i < 3; i++) {
		char *json = xasprintf("{\"patron_card\":\"%s\",\"item_barcode\":\"%s\"}", card,
				       bc[i]);
		long long seq = drive_append(j, "/checkouts", json, "2031-03-01T10:00:00Z");
		if (!first)
			first = seq;
		free(json);
	}

	faultproxy_drop_answer_of(proxy, "POST /api/v1/checkouts");
	struct drive_result r;
	drive_replay(api, j, 30, &r);
	ok(faultproxy_dropped(proxy) == 1, "the proxy cut the first check-out's answer");
	ok(r.finished && r.end == REPLAY_END_UNREACHABLE && r.done == 0,
	   "the replay ends as unreachable with nothing done (end %d, %zu done)", r.end, r.done);
	diag("the desk would say: %s", r.why ? r.why : "");
	free(r.why);
	ok(loans_of(fx, item[0]) == 1, "the service had committed the loan nevertheless");
	struct journal_entry *e = NULL;
	journal_get(j, first, &e, NULL);
	ok(e && e->state == JOURNAL_PENDING && e->attempts == 1,
	   "the entry waits again, sent once");
	char key[UUID_STR_LEN] = "";
	if (e)
		memcpy(key, e->key, sizeof key);
	journal_entry_free(e);

	drive_replay(api, j, 30, &r);
	ok(r.finished && r.end == REPLAY_END_DONE && r.done == 3,
	   "the next replay sends all three (end %d, %zu done)", r.end, r.done);
	free(r.why);
	journal_get(j, first, &e, NULL);
	ok(e && e->state == JOURNAL_ACKNOWLEDGED && e->attempts == 2 && e->status == 201,
	   "the first is acknowledged after its second send, 201");
	ok(e && e->answer && strstr(e->answer, bc[0]), "with the loan in the stored answer");
	journal_entry_free(e);
	ok(loans_of(fx, item[0]) == 1 && loans_of(fx, item[1]) == 1 && loans_of(fx, item[2]) == 1,
	   "one loan per item: the repeat was not applied twice");
	ok(fx_num(fx, "SELECT count(*) FROM idempotency_keys WHERE key = '%s'", key) == 1,
	   "the key is stored once");
	ok(fx_num(fx, "SELECT count(*) FROM audit_log WHERE action = 'offline' AND subject = '%s'",
		  bc[0]) == 1, "and audited once");
	journal_close(j);
}

/* Online: the desk journals, sends, and the answer is lost on the way. */
static void test_online_cut(struct fx *fx, struct api *api, struct faultproxy *proxy)
{
	char barcode[15];
	long long item = fx_item(fx, 20, "book", "CEN", barcode);
	char card[15];
	fx_patron(fx, 2, "Hans", "Online", "adult", "2032-01-01", card);
	/* an hour ago, in the session that began half an hour before */
	char at[32], login_at[32];
	fx_instant(-3600, at);
	fx_instant(-5400, login_at);
	fx_session_at(fx, "balie", login_at);
	struct journal *j = drive_journal(fx->h.dir, "journal-online");
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "patron_card", card);
	cJSON_AddStringToObject(body, "item_barcode", barcode);
	struct journal_entry *e = NULL;
	char *err = NULL;
	ok(journal_append(j, JOURNAL_ONLINE, "balie", "POST", "/checkouts", body, NULL, &e, &err) &&
		   drive_entry_at_day(j, &e, at),
	   "an online check-out is journaled before it is sent");
	faultproxy_drop_answer_of(proxy, "POST /api/v1/checkouts");
	/* the bytes the journal holds, as the desk sends them */
	cJSON *sent = cJSON_Parse(e->body);
	struct api_reply *rep = api_call(api, "POST", "/checkouts", sent, e->key);
	cJSON_Delete(sent);
	enum replay_verdict v;
	ok(replay_settle(j, e->seq, rep, true, &v, &err) && v == REPLAY_UNREACHABLE,
	   "no answer: the verdict is unreachable (outcome %d)", rep->outcome);
	api_reply_free(rep);
	long long seq = e->seq;
	journal_entry_free(e);
	journal_get(j, seq, &e, NULL);
	ok(e && e->state == JOURNAL_PENDING, "the entry waits for the replay");
	journal_entry_free(e);
	ok(loans_of(fx, item) == 1, "the service lent the item");

	struct drive_result r;
	drive_replay(api, j, 30, &r);
	ok(r.finished && r.end == REPLAY_END_DONE && r.done == 1, "the replay sends it again");
	free(r.why);
	journal_get(j, seq, &e, NULL);
	ok(e && e->state == JOURNAL_ACKNOWLEDGED, "acknowledged");
	journal_entry_free(e);
	ok(loans_of(fx, item) == 1, "still one loan");
	cJSON_Delete(body);
	journal_close(j);
}

int main(void)
{
	struct fx fx;
	if (!fx_start(&fx, NULL)) {
		ok(false, "a training balied starts");
		fx_finish(&fx, true);
		return tap_done();
	}
	const char *colon = strrchr(fx.h.url, ':');
	struct faultproxy *proxy = colon ? faultproxy_start(atoi(colon + 1)) : NULL;
	ok(proxy != NULL, "the fault proxy listens");
	char *err = NULL;
	struct api *api = proxy ? api_new(faultproxy_url(proxy), NULL, &err) : NULL;
	struct api_reply *in = api ? harness_login(api, "balie", "oefenen", "CEN") : NULL;
	if (ok(in && in->status == 201, "balie logs in through the proxy")) {
		api_set_token(api, jsonx_string(in->body, "token"));
		test_replay_cut(&fx, api, proxy);
		test_online_cut(&fx, api, proxy);
	}
	api_reply_free(in);
	api_free(api);
	faultproxy_stop(proxy);
	ok(fx_stop(&fx) == 0, "balied stops cleanly");
	fx_finish(&fx, tap_failed > 0);
	return tap_done();
}
