/* The outbox (src/client/outbox.h) answers what it decides itself (saved
 * in the journal, the desk is offline, nobody logged in) from
 * outbox_dispatch, the event loop's step, never inside the call that asked:
 * a caller that sets up its state after the call sees the answer after it.
 * The service is a Unix socket that nobody listens on: a real connection
 * that fails, which takes the desk offline. */
#include "tap.h"

#include "client/api.h"
#include "client/config.h"
#include "client/journal.h"
#include "client/outbox.h"
#include "client/session.h"
#include "core/clock.h"

#include <stdlib.h>
#include <string.h>

struct answers {
	int n;
	bool saved;
	long long seq;
	const char *failure;
};

static void on_done(void *ctx, struct api_reply *reply)
{
	struct answers *a = ctx;
	a->n++;
	a->saved = outbox_reply_saved(reply);
	a->seq = outbox_reply_seq(reply);
	a->failure = reply->failure;
}

static int bells;

static void on_bell(void *ctx)
{
	(void)ctx;
	bells++;
}

/* Runs the loop's steps until the answer count reaches n (10 s at most). */
static bool loop_until(struct api *api, struct outbox *o, const struct answers *a, int n)
{
	long long deadline = clock_now_ms() + 10000;
	while (a->n < n && clock_now_ms() < deadline) {
		api_wait(api, NULL, 0, 50);
		api_dispatch(api);
		outbox_dispatch(o);
	}
	return a->n >= n;
}

static cJSON *item_body(const char *barcode)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "item_barcode", barcode);
	return b;
}

int main(void)
{
	char dir[] = "/tmp/balie-outbox-XXXXXX";
	if (!mkdtemp(dir)) {
		ok(false, "a temporary directory");
		return tap_done();
	}
	char journal[128], url[128];
	snprintf(journal, sizeof journal, "%s/journal.db", dir);
	snprintf(url, sizeof url, "unix:%s/nobody.sock", dir);
	struct config cfg = { .journal = journal, .terminal = (char[]){ "balie-01" } };
	char *err = NULL;
	struct api *api = api_new(url, NULL, &err);
	ok(api != NULL, "an api to a socket nobody listens on (%s)", err ? err : "");
	api_set_timeout_ms(api, 2000);

	struct session_login *session = NULL;
	bool dirty = false;
	struct outbox *o = outbox_new(&cfg, api, &session, &dirty, on_bell, NULL, &err);
	ok(o != NULL, "the outbox opens its journal (%s)", err ? err : "");

	/* Nobody logged in: refused, but from the dispatch. */
	struct answers a = { 0 };
	cJSON *body = item_body("3001");
	unsigned id = outbox_submit(o, "POST", "/checkins", body, on_done, &a);
	ok(id != 0, "a submit with nobody logged in has an id");
	ok(a.n == 0, "and no answer inside the call");
	ok(outbox_next_ms(o, clock_now_ms()) == 0, "the loop is told the outbox has work");
	outbox_dispatch(o);
	ok(a.n == 1 && !a.saved && a.failure, "the dispatch says it was not taken");

	char *roles[] = { (char[]){ "balie" } };
	struct session_login me = { .username = (char[]){ "balie" }, .roles = roles,
				    .n_roles = 1, .branch = (char[]){ "C" } };
	session = &me;
	outbox_logged_in(o);

	/* Online first: the failed connection saves it and takes the desk offline. */
	a = (struct answers){ 0 };
	outbox_submit(o, "POST", "/checkins", body, on_done, &a);
	ok(loop_until(api, o, &a, 1), "the first check-in gets its answer");
	ok(a.saved && a.seq > 0, "saved in the journal (entry %lld)", a.seq);
	ok(outbox_down(o), "the desk is offline");

	/* Offline: saved at once, answered from the dispatch. */
	a = (struct answers){ 0 };
	outbox_submit(o, "POST", "/checkins", body, on_done, &a);
	ok(a.n == 0, "offline, a check-in is not answered inside the call");
	outbox_dispatch(o);
	ok(a.n == 1 && a.saved && a.seq > 0, "the dispatch says saved (entry %lld)", a.seq);
	ok(outbox_waiting(o) == 2, "two entries wait (%zu)", outbox_waiting(o));

	/* A lookup while offline, and one forgotten before the dispatch. */
	a = (struct answers){ 0 };
	outbox_answer_offline(o, on_done, &a);
	unsigned gone = outbox_answer_offline(o, on_done, &a);
	ok(a.n == 0, "offline lookups are not answered inside the call");
	outbox_cancel(o, gone);
	outbox_dispatch(o);
	ok(a.n == 1 && !a.saved && a.failure, "the dispatch answers the one not cancelled");

	cJSON_Delete(body);
	outbox_free(o);
	api_free(api);
	free(err);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		ok(false, "the temporary directory is removed");
	return tap_done();
}
