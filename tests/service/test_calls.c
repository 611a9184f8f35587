/* The client's typed calls (client/call.h) as the desk uses them, each
 * from its start to its callback through the event loop: against the real
 * balied in training (log in, health, branches, the IDO catalogue,
 * statistics and export, the enrolment rules and an enrolment sent again
 * with its key, a cancelled call, log out), and against the tiny server for
 * an answer that does not decode: the callback gets NULL and the desk's
 * words, and the decoder's reason is in the log. */
#include "client/call.h"
#include "client/enrol.h"
#include "client/idolog.h"
#include "client/session.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/xalloc.h"
#include "fakeserver.h"
#include "harness.h"
#include "tap.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { CALL_WAIT_MS = 20000 };

/* The training balied's directory, which also holds the captured stderr. */
static struct harness training;

/* What a callback got: set once, checked by the test. */
struct got {
	bool done;
	void *value;  /* the decoded struct, the test's to free */
	struct call_failure f;
	bool failed;
	char *text;   /* f.text or the export's bytes, copied */
	size_t len;
	char *cards;
};

static void got_failure(struct got *g, const struct call_failure *f)
{
	g->done = true;
	if (!f)
		return;
	g->failed = true;
	g->f = *f;
	g->f.field = g->f.reason = NULL; /* they live only in the callback */
	g->text = xstrdup(f->text);
	g->f.text = g->text;
}

static void on_health(void *ctx, struct session_health *h, const struct call_failure *f)
{
	((struct got *)ctx)->value = h;
	got_failure(ctx, f);
}

static void on_branches(void *ctx, struct session_branches *b, const struct call_failure *f)
{
	((struct got *)ctx)->value = b;
	got_failure(ctx, f);
}

static void on_login(void *ctx, struct session_login *s, const struct call_failure *f)
{
	((struct got *)ctx)->value = s;
	got_failure(ctx, f);
}

static void on_catalog(void *ctx, struct ido_catalog *c, const struct call_failure *f)
{
	((struct got *)ctx)->value = c;
	got_failure(ctx, f);
}

static void on_stats(void *ctx, struct ido_stats *s, const struct call_failure *f)
{
	((struct got *)ctx)->value = s;
	got_failure(ctx, f);
}

static void on_export(void *ctx, const char *text, size_t len, const struct call_failure *f)
{
	struct got *g = ctx;
	got_failure(g, f);
	if (text) {
		g->text = xstrndup(text, len);
		g->len = len;
	}
}

static void on_rules(void *ctx, struct enrol_rules *r, const struct call_failure *f)
{
	((struct got *)ctx)->value = r;
	got_failure(ctx, f);
}

static void on_enrol(void *ctx, struct enrol_result *r, const struct call_failure *f,
		     const char *cards)
{
	struct got *g = ctx;
	g->value = r;
	g->cards = cards ? xstrdup(cards) : NULL;
	got_failure(g, f);
}

/* Runs the event loop until the callback came; false at the deadline. */
static bool wait_for(struct api *api, const struct got *g)
{
	long long deadline = clock_now_ms() + CALL_WAIT_MS;
	while (!g->done && clock_now_ms() < deadline) {
		api_wait(api, NULL, 0, 100);
		api_dispatch(api);
	}
	return g->done;
}

static void got_clear(struct got *g)
{
	free(g->text);
	free(g->cards);
	*g = (struct got){ 0 };
}

/* Logs in as the desk does, as user (a training account whose role has
 * its name); returns the session (the caller's), or NULL. */
static struct session_login *log_in(struct api *api, const char *user, const char *branch)
{
	struct got g = { 0 };
	api_set_token(api, NULL);
	session_login_start(api, user, "oefenen", branch, "test-calls", on_login, &g);
	ok(wait_for(api, &g), "%s's log-in: the callback comes", user);
	struct session_login *s = g.value;
	ok(s && s->token[0] && session_has_role(s, user),
	   "the callback gets the session with the %s role%s%s", user, g.failed ? ": " : "",
	   g.failed ? g.text : "");
	got_clear(&g);
	if (s)
		api_set_token(api, s->token);
	return s;
}

static char *first_branch(struct api *api)
{
	struct got g = { 0 };
	session_branches_start(api, on_branches, &g);
	ok(wait_for(api, &g), "the branches' callback comes");
	struct session_branches *b = g.value;
	ok(b && b->n > 0 && b->items[0].name[0], "it gets the branches with their names");
	char *code = b && b->n > 0 ? xstrdup(b->items[0].code) : xstrdup("");
	session_branches_free(b);
	got_clear(&g);
	return code;
}

static void test_session(struct api *api)
{
	struct got g = { 0 };
	session_health_start(api, on_health, &g);
	ok(wait_for(api, &g), "the health's callback comes");
	struct session_health *h = g.value;
	ok(h && !g.failed && strcmp(h->status, "ok") == 0 && h->training,
	   "it gets the health: ok, in training");
	session_health_free(h);
	got_clear(&g);

	char *branch = first_branch(api);
	api_set_token(api, NULL);
	session_login_start(api, "balie", "wrong", branch, "test-calls", on_login, &g);
	ok(wait_for(api, &g), "the wrong log-in's callback comes");
	ok(!g.value && g.failed && g.f.outcome == API_REFUSED &&
		   g.f.error == ERR_UNAUTHORIZED && g.text[0],
	   "a wrong password: NULL, refused unauthorized, with words (%s)", g.text ? g.text : "");
	got_clear(&g);
	free(branch);
}

static void test_ido(struct api *api)
{
	struct got g = { 0 };
	ido_catalog_start(api, on_catalog, &g);
	ok(wait_for(api, &g), "the catalogue's callback comes");
	struct ido_catalog *c = g.value;
	ok(c && c->lists[IDO_L_TOPIC].n > 0 && c->lists[IDO_L_CHANNEL].n > 0,
	   "it gets the pick lists");
	ido_catalog_free(c);
	got_clear(&g);

	ido_stats_start(api, "2000-01-01", "2099-12-31", on_stats, &g);
	ok(wait_for(api, &g), "the statistics' callback comes");
	struct ido_stats *s = g.value;
	ok(s && s->total > 0 && s->n_months > 0,
	   "it gets the demo data's statistics (%ld questions)", s ? s->total : 0L);
	ido_stats_free(s);
	got_clear(&g);

	ido_export_start(api, "2000-01-01", "2099-12-31", on_export, &g);
	ok(wait_for(api, &g), "the export's callback comes");
	ok(!g.value && g.failed && g.f.outcome == API_REFUSED && g.f.error == ERR_FORBIDDEN,
	   "the desk's role may not export: NULL, refused forbidden (%s)", g.text);
	got_clear(&g);

	ido_stats_start(api, "2026-13-01", "2026-12-31", on_stats, &g);
	ok(wait_for(api, &g), "the bad period's callback comes");
	ok(!g.value && g.failed && g.f.outcome == API_REFUSED,
	   "a period that is no date: NULL, refused (%s)", g.text ? g.text : "");
	got_clear(&g);
}

static void test_enrol(struct api *api, const char *branch)
{
	struct got g = { 0 };
	enrol_rules_start(api, on_rules, &g);
	ok(wait_for(api, &g), "the rules' callback comes");
	struct enrol_rules *r = g.value;
	ok(r && r->youth_age == 18 && r->today.year >= 2000, "it gets the rules: youth to 18");
	struct civil_date born = r ? r->today : (struct civil_date){ 2026, 1, 1 };
	born.year -= 10;
	enrol_rules_free(r);
	got_clear(&g);

	char birth[DATE_STR_LEN];
	date_format_iso(born, birth);
	struct enrol_form form = {
		.given_name = "Fenna", .family_name = "Typecall", .birth_date = birth,
		.postcode = "4321 ZX", .house_number = "7", .branch = branch, .guardian = true,
		.guardian_name = "Ruud Typecall", .guardian_relation = "parent", .consent = true,
	};
	struct call_retry retry = { 0 };
	enrol_send_start(api, &form, &retry, on_enrol, &g);
	ok(wait_for(api, &g), "the enrolment's callback comes");
	struct enrol_result *first = g.value;
	ok(first && first->card[0], "it gets the new member's card%s%s", g.failed ? ": " : "",
	   g.failed ? g.text : "");
	got_clear(&g);

	/* Sent again as a desk sends a try that got no answer: the same key,
	 * so the service answers the first enrolment again. */
	char *key = xstrdup(retry.key);
	enrol_send_start(api, &form, &retry, on_enrol, &g);
	ok(wait_for(api, &g), "the second try's callback comes");
	struct enrol_result *again = g.value;
	is_str(retry.key, key, "the same form keeps its Idempotency-Key");
	ok(first && again && strcmp(again->card, first->card) == 0,
	   "and the service answers the first enrolment again, the same card");
	enrol_result_free(again);
	got_clear(&g);

	/* Answered, the key is forgotten: the same child again is a duplicate. */
	call_retry_forget(&retry);
	enrol_send_start(api, &form, &retry, on_enrol, &g);
	ok(wait_for(api, &g), "the third try's callback comes");
	ok(strcmp(retry.key, key) != 0, "after call_retry_forget a new key");
	ok(!g.value && g.failed && g.f.outcome == API_REFUSED && g.f.error == ERR_DUPLICATE_MEMBER,
	   "the same child with a new key: refused duplicate_member");
	ok(first && g.cards && strstr(g.cards, first->card),
	   "the callback names the member it matched (%s)", g.cards ? g.cards : "none");
	got_clear(&g);
	call_retry_forget(&retry);
	enrol_result_free(first);
	free(key);
}

static bool cancelled_called;

static void on_cancelled(void *ctx, struct ido_catalog *c, const struct call_failure *f)
{
	(void)ctx;
	(void)f;
	cancelled_called = true;
	ido_catalog_free(c);
}

/* The municipality's report: beheer exports the period as CSV. */
static void test_export(struct api *api, const char *branch)
{
	struct session_login *s = log_in(api, "beheer", branch);
	struct got g = { 0 };
	ido_export_start(api, "2000-01-01", "2099-12-31", on_export, &g);
	ok(wait_for(api, &g), "beheer's export: the callback comes");
	ok(!g.failed && g.len > 3 && memcmp(g.text, "\xef\xbb\xbf", 3) == 0 && strchr(g.text, ';'),
	   "it gets the CSV as sent (%zu bytes, a byte-order mark, ';' between fields)", g.len);
	got_clear(&g);
	session_logout(api);
	session_login_free(s);
}

/* A cancelled call never reaches its callback, and later ones still do. */
static void test_cancel(struct api *api)
{
	unsigned id = ido_catalog_start(api, on_cancelled, NULL);
	call_cancel(api, id);
	struct got g = { 0 };
	session_health_start(api, on_health, &g);
	ok(wait_for(api, &g) && g.value, "a call after a cancelled one is answered");
	session_health_free(g.value);
	got_clear(&g);
	ok(!cancelled_called, "the cancelled call's callback is never called");
	ok(api_pending(api) == 0, "nothing is left open");
}

static void test_logout(struct api *api)
{
	session_logout(api);
	struct got g = { 0 };
	ido_catalog_start(api, on_catalog, &g);
	ok(wait_for(api, &g) && !g.value && g.failed && g.f.outcome == API_REFUSED &&
		   g.f.error == ERR_UNAUTHORIZED,
	   "after the log-out the session's token is refused");
	got_clear(&g);
}

static void test_training(void)
{
	struct api *api = harness_api(&training);
	test_session(api);
	char *branch = first_branch(api);
	struct session_login *s = log_in(api, "balie", branch);
	if (s) {
		test_ido(api);
		test_enrol(api, branch);
		test_cancel(api);
		test_logout(api);
	}
	session_login_free(s);
	test_export(api, branch);
	free(branch);
	api_free(api);
}

/* Runs fn with stderr going to a file; returns what was written (allocated). */
static char *stderr_of(void (*fn)(struct api *), struct api *api)
{
	char *path = xasprintf("%s/stderr", training.dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	int saved = dup(2);
	fflush(stderr);
	dup2(fd, 2);
	fn(api);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	char buf[4096];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	close(fd);
	free(path);
	buf[n > 0 ? n : 0] = '\0';
	return xstrdup(buf);
}

static char *undecodable_text;
static bool undecodable_ok;

static void health_undecodable(struct api *api)
{
	struct got g = { 0 };
	session_health_start(api, on_health, &g);
	undecodable_ok = wait_for(api, &g) && !g.value && g.failed && g.f.outcome == API_OK;
	undecodable_text = g.text ? xstrdup(g.text) : NULL;
	got_clear(&g);
}

/* The tiny server's health lacks "version": a 200 this desk cannot read. */
static void test_undecodable(void)
{
	struct fakeserver fs;
	if (!ok(fakeserver_start(&fs, NULL), "the tiny server starts"))
		return;
	char *err = NULL;
	struct api *api = api_new(fs.url, NULL, &err);
	char *log = stderr_of(health_undecodable, api);
	ok(undecodable_ok, "an answer that does not decode: the callback gets NULL and a failure");
	is_str(undecodable_text, "The service gave an answer this desk does not understand.",
	       "with the desk's words for it");
	ok(strstr(log, "GET /health") && strstr(log, "\"version\" is missing"),
	   "and the decoder's reason is in the log: %s", log);
	free(log);
	free(undecodable_text);
	api_free(api);
	fakeserver_stop(&fs);
}

int main(void)
{
	setenv("LC_ALL", "C", 1); /* the desk's words in English */
	if (!ok(harness_start(&training, &(struct harness_opts){ .training = true }),
		"balied --training starts")) {
		harness_cleanup(&training);
		return tap_done();
	}
	test_undecodable();
	test_training();
	ok(harness_stop(&training) == 0, "balied stops cleanly");
	harness_cleanup(&training);
	return tap_done();
}
