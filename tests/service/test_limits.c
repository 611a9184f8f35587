/*
 * The limits of balied and of the client library, each against a real
 * balied (or, for the client's deadline, a socket that never answers):
 * request body size, header size, JSON nesting depth, string lengths of
 * fields, the number of items in a list, connections per address, a slow
 * client cut off by the request deadline while another desk is served, and
 * on the desk's side the answer size cap and the request deadline.
 */
#include "harness.h"
#include "core/jsonx.h"
#include "tap.h"
#include "core/uuid.h"
#include "core/clock.h"
#include "core/xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static unsigned port_of(const struct harness *h)
{
	unsigned port = 0;
	sscanf(h->url, "http://127.0.0.1:%u", &port);
	return port;
}

/* A TCP connection to balied from the loopback address source; -1 on failure. */
static int connect_from(const struct harness *h, const char *source)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in from = { .sin_family = AF_INET };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port_of(h)) };
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || inet_pton(AF_INET, source, &from.sin_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&from, sizeof from) != 0 ||
	    connect(fd, (struct sockaddr *)&to, sizeof to) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Waits up to ms for fd to be closed by the server (EOF or reset). */
static bool closed_within(int fd, long ms)
{
	long deadline = clock_now_ms() + ms;
	char buf[4096];
	while (clock_now_ms() < deadline) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, (int)(deadline - clock_now_ms())) <= 0)
			continue;
		ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
			return true;
	}
	return false;
}

static const char health_request[] = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"
				     "Connection: close\r\n\r\n";

static int health_from(const struct harness *h, const char *source)
{
	return harness_raw(h, source, health_request, sizeof health_request - 1, NULL);
}

/* POSTs body with the token and a new key; returns the reply. */
static struct api_reply *post_text(struct api *api, const char *path, const char *body)
{
	cJSON *json = jsonx_parse(body, strlen(body), NULL);
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct api_reply *r = api_call(api, "POST", path, json, key);
	cJSON_Delete(json);
	return r;
}

static const char *detail(const struct api_reply *r, const char *name)
{
	return r ? jsonx_string(r->error_details, name) : NULL;
}

static char *repeat_dup(char c, size_t n)
{
	char *s = xmalloc(n + 1);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void test_body_and_header(const struct harness *h)
{
	size_t big = 65 * 1024;
	char *body = repeat_dup(' ', big);
	char *req = xasprintf("POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
			      "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
			      big, body);
	char *answer = NULL;
	int status = harness_raw(h, NULL, req, strlen(req), &answer);
	ok(status == 413 && answer && strstr(answer, "\"max_bytes\":65536"),
	   "a body over 64 KiB is refused with 413 and the cap (%d)", status);
	free(answer);
	free(req);
	free(body);

	char *value = repeat_dup('a', 40 * 1024);
	req = xasprintf("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Filler: %s\r\n"
			"Connection: close\r\n\r\n",
			value);
	status = harness_raw(h, NULL, req, strlen(req), NULL);
	ok(status == 431 || status == 413 || status == 414 || status == 0,
	   "a 40 KiB header is not served (%d)", status);
	free(req);
	free(value);
	ok(health_from(h, "127.0.0.1") == 200, "and the service answers the next request");
}

/* POSTs raw body bytes with the token and a new key; returns the status,
 * *answer (may be NULL) the whole answer. */
static int raw_post(const struct harness *h, const char *token, const char *path,
		    const char *body, char **answer)
{
	char key[UUID_STR_LEN];
	uuid_v4(key);
	char *req = xasprintf("POST /api/v1%s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
			      "Idempotency-Key: %s\r\nContent-Type: application/json\r\n"
			      "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
			      path, token, key, strlen(body), body);
	int status = harness_raw(h, NULL, req, strlen(req), answer);
	free(req);
	return status;
}

static void test_nesting(const struct harness *h, const char *token)
{
	for (size_t depth = 30; depth <= 40; depth += 10) {
		static const char head[] = "{\"item_barcode\":\"31000000000014\",\"x\":";
		char *deep = xmalloc(depth * 2 + sizeof head + 2);
		memcpy(deep, head, sizeof head - 1);
		size_t n = sizeof head - 1;
		for (size_t i = 0; i < depth; i++)
			deep[n++] = '[';
		for (size_t i = 0; i < depth; i++)
			deep[n++] = ']';
		deep[n++] = '}';
		deep[n] = '\0';
		char *answer = NULL;
		int status = raw_post(h, token, "/checkins", deep, &answer);
		bool refused = answer && strstr(answer, "\"invalid_json\"");
		if (depth < 32)
			ok(status != 400 || !refused, "a body nested %zu deep is read (%d)", depth, status);
		else
			ok(status == 400 && refused,
			   "a body nested %zu deep (over 32) is refused as invalid_json (%d)", depth,
			   status);
		free(answer);
		free(deep);
	}
}

static void test_field_lengths(struct api *api)
{
	char *long_code = repeat_dup('3', 33);
	char *body = xasprintf("{\"item_barcode\":\"%s\"}", long_code);
	struct api_reply *r = post_text(api, "/checkins", body);
	ok(r && r->status == 422 && r->error == ERR_INVALID_FIELD &&
		   strcmp(detail(r, "field") ? detail(r, "field") : "", "item_barcode") == 0,
	   "a barcode of 33 characters is invalid_field item_barcode");
	api_reply_free(r);
	free(body);
	free(long_code);

	char *reason = repeat_dup('x', 501);
	body = xasprintf("{\"patron_card\":\"21000000000070\",\"item_barcode\":\"31000000000014\","
			 "\"override\":{\"blocks\":[\"card_expired\"],\"reason\":\"%s\"}}",
			 reason);
	r = post_text(api, "/checkouts", body);
	const char *why = detail(r, "reason");
	ok(r && r->status == 422 && why && strcmp(why, "too_long") == 0,
	   "an override reason of 501 bytes is too_long (%s)", why ? why : "-");
	api_reply_free(r);
	free(body);
	free(reason);

	char *note = repeat_dup('a', 281);
	char visit[UUID_STR_LEN];
	uuid_v4(visit);
	body = xasprintf("{\"visit_id\":\"%s\",\"class\":\"digital_government\","
			 "\"topics\":[\"digid_apply\"],\"organisations\":[\"belastingdienst\"],"
			 "\"help\":[\"digital_service\"],\"outcome\":\"answered\",\"minutes\":5,"
			 "\"channel\":\"walk_in\",\"note\":\"%s\"}",
			 visit, note);
	r = post_text(api, "/ido/questions", body);
	ok(r && r->status == 422 && r->error == ERR_INVALID_FIELD &&
		   strcmp(detail(r, "field") ? detail(r, "field") : "", "note") == 0 &&
		   strcmp(detail(r, "reason") ? detail(r, "reason") : "", "too_long") == 0,
	   "an IDO question whose note has 281 characters is refused (%s %s)",
	   detail(r, "field") ? detail(r, "field") : "-", detail(r, "reason") ? detail(r, "reason") : "-");
	api_reply_free(r);
	free(body);
	free(note);

	char *name = repeat_dup('a', 101);
	body = xasprintf("{\"kind\":\"youth\",\"given_name\":\"%s\",\"family_name\":\"Jansen\","
			 "\"birth_date\":\"2016-05-04\",\"postcode\":\"1234 AB\",\"house_number\":\"1\","
			 "\"branch\":\"CEN\",\"guardian\":{\"name\":\"Piet Jansen\",\"relation\":\"parent\","
			 "\"consent\":true}}",
			 name);
	r = post_text(api, "/memberships", body);
	ok(r && r->status == 422 && r->error == ERR_INVALID_FIELD &&
		   strcmp(detail(r, "field") ? detail(r, "field") : "", "given_name") == 0,
	   "a given name of 101 bytes is invalid_field given_name");
	api_reply_free(r);
	free(body);
	free(name);
}

static void test_list_items(struct api *api)
{
	/* 20,000 items fit in 64 KiB; they are refused at the first repeat,
	 * quickly, not read into a list. */
	size_t count = 20000;
	size_t cap = count * 3 + 512;
	char *body = xmalloc(cap);
	char visit[UUID_STR_LEN];
	uuid_v4(visit);
	size_t n = (size_t)snprintf(body, cap, "{\"visit_id\":\"%s\",\"class\":\"digital_government\","
				    "\"topics\":[", visit);
	for (size_t i = 0; i < count; i++)
		n += (size_t)snprintf(body + n, cap - n, "%s1", i ? "," : "");
	n += (size_t)snprintf(body + n, cap - n, "],\"organisations\":[],\"help\":[],"
				     "\"outcome\":\"answered\",\"minutes\":5,\"channel\":\"walk_in\"}");
	long start = clock_now_ms();
	struct api_reply *r = post_text(api, "/ido/questions", body);
	long took = clock_now_ms() - start;
	ok(r && r->status == 422 && r->error == ERR_INVALID_FIELD && took < 2000,
	   "a list of %zu items (%zu bytes) is refused in %ld ms", count, n, took);
	api_reply_free(r);
	free(body);
}

static void test_client_caps(const struct harness *h, const char *token)
{
	struct api *api = harness_api(h);
	api_set_token(api, token);
	api_set_max_reply_bytes(api, 200);
	struct api_reply *r = api_call(api, "GET", "/ido/catalog", NULL, NULL);
	ok(r && r->outcome == API_BAD_ANSWER && r->failure && strstr(r->failure, "larger than"),
	   "the desk refuses an answer over its cap (%s)", r && r->failure ? r->failure : "-");
	api_reply_free(r);
	api_free(api);

	/* A service that accepts but never answers: the request's deadline. */
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof sa;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 4) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		ok(false, "a silent listener");
		return;
	}
	char *url = xasprintf("http://127.0.0.1:%u", ntohs(sa.sin_port));
	char *err = NULL;
	api = api_new(url, NULL, &err);
	api_set_timeout_ms(api, 700);
	long start = clock_now_ms();
	r = api_call(api, "GET", "/health", NULL, NULL);
	long took = clock_now_ms() - start;
	ok(r && r->outcome == API_UNREACHABLE && took >= 600 && took < 3000,
	   "a service that never answers is given up after the deadline (%ld ms)", took);
	api_reply_free(r);
	api_free(api);
	free(url);
	free(err);
	close(fd);
}

static void test_per_address(void)
{
	struct harness h;
	struct harness_opts opts = { .training = true,
				     .config_text = "max_connections_per_address = 4\n" };
	if (!ok(harness_start(&h, &opts), "balied with max_connections_per_address = 4")) {
		harness_cleanup(&h);
		return;
	}
	int fds[4];
	bool all = true;
	for (int i = 0; i < 4; i++)
		all = (fds[i] = connect_from(&h, "127.0.0.2")) >= 0 && all;
	ok(all, "four connections from 127.0.0.2 are open");
	int fifth = connect_from(&h, "127.0.0.2");
	ok(fifth >= 0 && closed_within(fifth, 10000), "a fifth from the same address is closed");
	ok(health_from(&h, "127.0.0.3") == 200, "another address is served meanwhile");
	for (int i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (fifth >= 0)
		close(fifth);
	/* The closed ones count no more. */
	int status = 0;
	for (long deadline = clock_now_ms() + 3000; status != 200 && clock_now_ms() < deadline;)
		status = health_from(&h, "127.0.0.2");
	ok(status == 200, "once they are closed, 127.0.0.2 is served again");
	ok(harness_stop(&h) == 0, "balied stops cleanly");
	harness_cleanup(&h);
}

static void test_slow_client(void)
{
	struct harness h;
	struct harness_opts opts = { .training = true,
				     .config_text = "request_deadline_seconds = 2\n"
						    "idle_timeout_seconds = 60\n" };
	if (!ok(harness_start(&h, &opts), "balied with request_deadline_seconds = 2")) {
		harness_cleanup(&h);
		return;
	}
	int slow = connect_from(&h, "127.0.0.4");
	long start = clock_now_ms();
	size_t sent = 0;
	bool cut = false, others_served = true;
	/* One byte every 300 ms: never silent long enough for an idle timeout. */
	while (slow >= 0 && sent < sizeof health_request - 1 && clock_now_ms() - start < 8000) {
		if (send(slow, health_request + sent, 1, MSG_NOSIGNAL) != 1) {
			cut = true;
			break;
		}
		sent++;
		if (closed_within(slow, 300)) {
			cut = true;
			break;
		}
		if (sent % 3 == 0 && health_from(&h, "127.0.0.5") != 200)
			others_served = false;
	}
	long took = clock_now_ms() - start;
	ok(cut && took >= 1800 && took < 4500,
	   "a client sending a byte every 300 ms is cut off after %ld ms, %zu bytes", took, sent);
	ok(others_served, "another desk was served all the while");
	if (slow >= 0)
		close(slow);

	/* A desk's request that arrives at once is not affected, nor a second
	 * on the same connection after a pause shorter than the deadline. */
	struct api *api = harness_api(&h);
	struct api_reply *r = api_call(api, "GET", "/health", NULL, NULL);
	ok(r && r->status == 200, "an ordinary request is answered");
	api_reply_free(r);
	r = api_call(api, "GET", "/health", NULL, NULL);
	ok(r && r->status == 200, "and another on the same connection");
	api_reply_free(r);
	api_free(api);
	ok(harness_stop(&h) == 0, "balied stops cleanly");
	harness_cleanup(&h);
}

int main(void)
{
	struct harness h;
	struct harness_opts opts = { .training = true };
	if (!ok(harness_start(&h, &opts), "balied starts")) {
		harness_cleanup(&h);
		return tap_done();
	}
	struct api *api = harness_api(&h);
	struct api_reply *login = harness_login(api, "beheer", "oefenen", "CEN");
	const char *token = login ? jsonx_string(login->body, "token") : NULL;
	if (ok(token != NULL, "logged in as beheer")) {
		api_set_token(api, token);
		test_body_and_header(&h);
		test_nesting(&h, token);
		test_field_lengths(api);
		test_list_items(api);
		test_client_caps(&h, token);
	}
	api_reply_free(login);
	api_free(api);
	ok(harness_stop(&h) == 0, "balied stops cleanly");
	harness_cleanup(&h);
	test_per_address();
	test_slow_client();
	return tap_done();
}
