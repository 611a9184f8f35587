/* The api over the wire against a tiny server of our own: broken answers are
 * classified and never crash, service text arrives sanitised, headers are
 * sent, requests run side by side, and the URL rules hold. */
#include "client/api.h"
#include "fakeserver.h"
#include "core/jsonx.h"
#include "core/sanitize.h"
#include "client/session.h"
#include "tap.h"
#include "core/xalloc.h"

#include <poll.h>
#include <signal.h>
#include <sys/time.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct api *api_for(const char *url)
{
	char *err = NULL;
	struct api *api = api_new(url, NULL, &err);
	if (!api) {
		diag("api_new(%s): %s", url, err);
		free(err);
	}
	return api;
}

static bool tree_is_clean(const cJSON *item)
{
	for (; item; item = item->next) {
		if (item->string && !sanitize_is_clean(item->string))
			return false;
		if (cJSON_IsString(item) && !sanitize_is_clean(item->valuestring))
			return false;
		if (!tree_is_clean(item->child))
			return false;
	}
	return true;
}

static void expect(struct api *api, const char *path, enum api_outcome want, long status,
		   const char *what)
{
	struct api_reply *r = api_call(api, "GET", path, NULL, NULL);
	ok(r->outcome == want, "%s: outcome %d (want %d)", what, r->outcome, want);
	ok(r->status == status, "%s: status %ld (want %ld)", what, r->status, status);
	if (want == API_UNREACHABLE || want == API_BAD_ANSWER)
		ok(r->failure && r->failure[0] && api_reply_text(r)[0],
		   "%s: says why (%s) and has words for the desk", what, r->failure ? r->failure : "");
	api_reply_free(r);
}

static void test_faults(struct api *api)
{
	expect(api, "/close-mid", API_UNREACHABLE, 200, "a connection closed mid-reply");
	expect(api, "/close-now", API_UNREACHABLE, 0, "a connection closed without a reply");
	expect(api, "/not-json", API_BAD_ANSWER, 200, "a body that is not JSON");
	expect(api, "/500", API_UNREACHABLE, 500, "a 500");
	expect(api, "/503-html", API_UNREACHABLE, 503, "a 503 with HTML");
	expect(api, "/404-html", API_BAD_ANSWER, 404, "a 404 with HTML");
	expect(api, "/422-no-error", API_BAD_ANSWER, 422, "a 422 without an error object");
	expect(api, "/redirect", API_BAD_ANSWER, 302, "a redirect is not followed");
	expect(api, "/deep", API_BAD_ANSWER, 200, "JSON nested 40 deep");
	expect(api, "/big", API_BAD_ANSWER, 200, "a 4 MB answer with Content-Length");
	expect(api, "/big-chunked", API_BAD_ANSWER, 200, "a 4 MB chunked answer");
	expect(api, "/204", API_OK, 204, "204 No Content");

	struct api_reply *r = api_call(api, "GET", "/204", NULL, NULL);
	ok(r->body == NULL, "204 has no body");
	api_reply_free(r);

	api_set_timeout_ms(api, 300);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = api_call(api, "GET", "/slow", NULL, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ok(r->outcome == API_UNREACHABLE, "no answer within the deadline is unreachable");
	ok(took >= 0.25 && took < 3.0, "the deadline of 300 ms held (%.3f s)", took);
	api_reply_free(r);

	/* A server that keeps sending, a byte at a time, is cut off by the same
	 * deadline: it is for the whole request, not for silence. */
	api_set_timeout_ms(api, 500);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = api_call(api, "GET", "/drip", NULL, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ok(r->outcome == API_UNREACHABLE && took >= 0.45 && took < 3.0,
	   "an answer dripping a byte every 100 ms is given up at the deadline (%.3f s)", took);
	api_reply_free(r);
	api_set_timeout_ms(api, 5000);

	r = api_call(api, "GET", "/huge-header", NULL, NULL);
	ok(r->outcome != API_OK, "an answer with a 1 MiB header line is no answer (%s)",
	   r->failure ? r->failure : "-");
	api_reply_free(r);

	char *err = NULL;
	struct api *closed = api_new("http://127.0.0.1:1", NULL, &err);
	r = api_call(closed, "GET", "/health", NULL, NULL);
	ok(r->outcome == API_UNREACHABLE && r->status == 0, "a closed port is unreachable");
	is_str(api_reply_text(r), "The service cannot be reached.", "the desk's words for it");
	api_reply_free(r);
	api_free(closed);
}

static void test_refusals(struct api *api)
{
	struct api_reply *r = api_call(api, "GET", "/refuse", NULL, NULL);
	ok(r->outcome == API_REFUSED && r->status == 409, "a 409 with an error body is a refusal");
	ok(r->error == ERR_PATRON_BLOCKED, "the code is decoded");
	is_str(r->error_code, "patron_blocked", "the wire code is kept");
	is_str(r->error_message, "Patron is blocked[5m", "the message arrives sanitised");
	ok(r->overridable, "overridable is read");
	const cJSON *blocks = jsonx_array(r->error_details, "blocks");
	ok(blocks && cJSON_GetArraySize(blocks) == 1, "the details are there");
	is_str(api_reply_text(r), "The patron is blocked.", "the desk's words for the code");
	api_reply_free(r);

	r = api_call(api, "GET", "/refuse-new", NULL, NULL);
	ok(r->outcome == API_REFUSED && r->error == ERR_UNKNOWN, "a new code is ERR_UNKNOWN");
	is_str(r->error_code, "brand_new_code", "and keeps its wire name");
	ok(!r->overridable && r->error_details == NULL, "no details, not overridable");
	api_reply_free(r);

	r = api_call(api, "GET", "/nothing-here", NULL, NULL);
	ok(r->outcome == API_REFUSED && r->error == ERR_NOT_FOUND, "a 404 with an error body");
	api_reply_free(r);
}

static void test_sanitised(struct api *api)
{
	struct api_reply *r = api_call(api, "GET", "/evil", NULL, NULL);
	ok(r->outcome == API_OK, "the answer with control characters is accepted");
	ok(tree_is_clean(r->body), "every key and string in it is clean");
	is_str(jsonx_string(r->body, "name"), "Jan]0;pwned de Vries31mevil",
	       "ESC, BEL, C1 and bidi override are gone");
	is_str(jsonx_string(r->body, "key"), "v", "the key lost its ESC");
	is_str(jsonx_string(r->body, "tab"), "a b", "a tab became a space");
	is_str(jsonx_string(r->body, "bad"), "CEN\xef\xbf\xbd", "an invalid byte became U+FFFD");
	const cJSON *list = jsonx_array(r->body, "list");
	const cJSON *inner = list ? cJSON_GetArrayItem(list, 1) : NULL;
	is_str(jsonx_string(inner, "deep"), "[2J", "nested strings are clean too");
	api_reply_free(r);

	r = api_call(api, "POST", "/login-evil", NULL, NULL);
	char *err = NULL;
	struct session_login *s = session_login_decode(r->body, &err);
	ok(s != NULL, "a login answer with control characters decodes");
	if (s) {
		is_str(s->name, "Jan]0;pwned de Vries31mevil", "the staff name is clean");
		is_str(s->branch, "CEN\xef\xbf\xbd", "the branch is clean");
		ok(s->n_roles == 1 && strcmp(s->roles[0], "balie") == 0, "the role lost its C1 NEL");
		ok(session_has_role(s, "balie"), "and counts as balie");
	}
	session_login_free(s);
	free(err);
	api_reply_free(r);
}

static void test_headers(struct api *api)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "item_barcode", "3001234567");
	api_set_token(api, "secret-token");
	struct api_reply *r = api_call(api, "POST", "/echo", body,
				       "0b5d2a3c-8f2e-4d1a-9c3b-7e6f5a4b3c2d");
	ok(r->outcome == API_OK, "echo answered");
	is_str(jsonx_string(r->body, "method"), "POST", "the method");
	is_str(jsonx_string(r->body, "path"), "/api/v1/echo", "the path is below /api/v1");
	is_str(jsonx_string(r->body, "authorization"), "Bearer secret-token", "the bearer token");
	is_str(jsonx_string(r->body, "idempotency_key"), "0b5d2a3c-8f2e-4d1a-9c3b-7e6f5a4b3c2d",
	       "the Idempotency-Key");
	is_str(jsonx_string(r->body, "content_type"), "application/json", "Content-Type");
	is_str(jsonx_string(r->body, "accept"), "application/json", "Accept");
	is_str(jsonx_string(r->body, "body"), "{\"item_barcode\":\"3001234567\"}", "the body");
	long long first = -1, second = -2;
	jsonx_int(r->body, "connection", &first);
	api_reply_free(r);

	api_set_token(api, NULL);
	r = api_call(api, "DELETE", "/echo", NULL, NULL);
	is_str(jsonx_string(r->body, "method"), "DELETE", "DELETE is sent as DELETE");
	is_str(jsonx_string(r->body, "authorization"), "", "no token after it was cleared");
	is_str(jsonx_string(r->body, "idempotency_key"), "", "no Idempotency-Key when not given");
	jsonx_int(r->body, "connection", &second);
	ok(first == second, "the connection was kept alive and reused");
	api_reply_free(r);

	api_set_token(api, "bad\r\nX-Injected: 1");
	r = api_call(api, "GET", "/echo", NULL, NULL);
	is_str(jsonx_string(r->body, "authorization"), "", "a token with CR LF is never sent");
	api_reply_free(r);
	api_set_token(api, NULL);
	cJSON_Delete(body);
}

struct tally {
	int calls;
	int ok;
	int last_order;
};

static void on_done(void *ctx, struct api_reply *reply)
{
	struct tally *t = ctx;
	t->calls++;
	if (reply->outcome == API_OK)
		t->ok++;
}

static void on_never(void *ctx, struct api_reply *reply)
{
	(void)reply;
	(*(int *)ctx)++;
}

static void on_closing(void *ctx, struct api_reply *reply)
{
	struct tally *t = ctx;
	t->calls++;
	if (reply->outcome == API_UNREACHABLE)
		t->ok++;
}

static void test_async(const char *url)
{
	struct api *api = api_for(url);
	struct tally t = { 0 };
	int never = 0;
	for (int i = 0; i < 8; i++)
		api_start(api, "GET", "/echo", NULL, NULL, on_done, &t);
	unsigned slow = api_start(api, "GET", "/slow", NULL, NULL, on_never, &never);
	ok(api_pending(api) == 9, "nine requests are open at once");

	int fds[2];
	ok(pipe(fds) == 0, "a pipe for the extra descriptor");
	struct api_waitfd extra = { .fd = fds[0], .events = POLLIN };
	int extra_seen = 0;
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool wrote = false;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec > 10 || (t.calls == 8 && extra_seen))
			break;
		if (t.calls == 8 && !wrote) {
			ok(write(fds[1], "x", 1) == 1, "the extra descriptor gets a byte");
			wrote = true;
		}
		int ready = api_wait(api, &extra, 1, 1000);
		if (ready > 0 && (extra.revents & POLLIN)) {
			extra_seen = ready;
			char c;
			ok(read(fds[0], &c, 1) == 1, "the byte can be read");
		}
		api_dispatch(api);
	}
	ok(t.calls == 8 && t.ok == 8, "all eight callbacks came, each once (%d calls)", t.calls);
	ok(extra_seen == 1, "api_wait reported the extra descriptor as ready");
	ok(api_pending(api) == 1, "the slow one is still open");
	api_cancel(api, slow);
	ok(api_pending(api) == 0, "cancelled: nothing is open");
	api_dispatch(api);
	ok(never == 0, "a cancelled request's callback is not called");

	struct tally closing = { 0 };
	api_start(api, "GET", "/slow", NULL, NULL, on_closing, &closing);
	api_dispatch(api);
	api_free(api);
	ok(closing.calls == 1 && closing.ok == 1,
	   "api_free calls an open request's callback once, with API_UNREACHABLE");
	close(fds[0]);
	close(fds[1]);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A signal wakes api_wait at once, with -1, so the desk can handle it. */
static void test_signal(const char *url)
{
	struct api *api = api_for(url);
	struct sigaction sa = { .sa_handler = on_alarm };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: poll(2) is interrupted */
	struct itimerval it = { .it_value = { .tv_usec = 100000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = api_wait(api, NULL, 0, 5000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ok(rc == -1, "api_wait returns -1 when a signal came (%d)", rc);
	ok(took < 2.0, "and returns at once, not after the timeout (%.3f s)", took);
	signal(SIGALRM, SIG_DFL);
	api_free(api);
}

static void test_urls(void)
{
	static const char *const good[] = {
		"https://balie.bibliotheek.example", "https://balie.example:8443/",
		"https://192.0.2.7/prefix", "http://127.0.0.1:8080", "http://127.1.2.3",
		"http://localhost:9", "http://[::1]:8080", "unix:/run/balied.sock",
	};
	static const char *const bad[] = {
		"http://10.1.2.3", "http://balie.example", "http://[::2]", "http://128.0.0.1",
		"ftp://127.0.0.1", "unix:relative.sock", "", "https://", "https://a b",
		"http://localhost.evil.example", "https://x.example/?q=1",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		char *err = NULL;
		struct api *api = api_new(good[i], NULL, &err);
		ok(api != NULL, "api_new accepts %s", good[i]);
		if (!api)
			diag("%s", err);
		free(err);
		api_free(api);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *err = NULL;
		struct api *api = api_new(bad[i], NULL, &err);
		ok(api == NULL && err && err[0], "api_new refuses \"%s\" (%s)", bad[i], err ? err : "");
		free(err);
		api_free(api);
	}
	char *err = NULL;
	struct api *api = api_new("http://10.1.2.3", NULL, &err);
	is_str(err, "http:// is allowed only to this machine (127.0.0.1, ::1 or localhost); "
		    "use https:// for 10.1.2.3",
	       "the refusal of http:// to 10.1.2.3 says what to do");
	free(err);
	api_free(api);
}

int main(void)
{
	setenv("LC_ALL", "C", 1);
	struct fakeserver tcp;
	if (!ok(fakeserver_start(&tcp, NULL), "the tiny TCP server listens"))
		return tap_done();
	struct api *api = api_for(tcp.url);
	test_faults(api);
	test_refusals(api);
	test_sanitised(api);
	test_headers(api);
	api_free(api);
	test_async(tcp.url);
	test_signal(tcp.url);

	char dir[] = "/tmp/balie-test-wire-XXXXXX";
	struct fakeserver unix_fs;
	if (mkdtemp(dir)) {
		char *path = xasprintf("%s/fake.sock", dir);
		ok(fakeserver_start(&unix_fs, path), "the tiny server listens on a Unix socket");
		api = api_for(unix_fs.url);
		struct api_reply *r = api_call(api, "GET", "/echo", NULL, NULL);
		ok(r->outcome == API_OK, "HTTP over a Unix socket works");
		is_str(jsonx_string(r->body, "path"), "/api/v1/echo", "with the same paths");
		api_reply_free(r);
		api_free(api);
		fakeserver_stop(&unix_fs);
		rmdir(dir);
		free(path);
	}
	test_urls();
	fakeserver_stop(&tcp);
	return tap_done();
}
