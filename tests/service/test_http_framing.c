/* A request whose framing is ambiguous is refused with one 400 answer and
 * the connection closed, so that nothing after it is read as a second
 * request: Content-Length together with Transfer-Encoding, two
 * Content-Lengths or one that is not plain digits, a NUL byte in the head,
 * HTTP/1.1 without a Host or with two, %00 in the path, a method that is not
 * a token. Well-formed requests keep working, kept alive. Raw bytes over a
 * real socket to a real balied; each answer is read until balied closes. */
#include "core/clock.h"
#include "tap.h"

#include "harness.h"
#include "core/sanitize.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

/* Generous: the machine is shared. A timeout means balied did not close. */
enum { READ_TIMEOUT_S = 20, ANSWER_MAX = 64 * 1024 };

struct exchange {
	char bytes[ANSWER_MAX];
	size_t len;
	bool closed; /* read returned 0: balied closed the connection */
};

/* A stream socket to h's balied: its Unix socket, or its loopback port. */
static int framing_open(const struct harness *h)
{
	unsigned port = 0;
	if (strncmp(h->url, "unix:", 5) == 0) {
		struct sockaddr_un su = { .sun_family = AF_UNIX };
		if (strlen(h->url + 5) >= sizeof su.sun_path)
			return -1;
		strcpy(su.sun_path, h->url + 5);
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&su, sizeof su) != 0) {
			close(fd);
			fd = -1;
		}
		return fd;
	}
	if (sscanf(h->url, "http://127.0.0.1:%u", &port) != 1)
		return -1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int framing_connect(const struct harness *h)
{
	int fd = framing_open(h);
	struct timeval tv = { READ_TIMEOUT_S, 0 };
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

static void framing_send(int fd, const char *req, size_t len)
{
	for (size_t sent = 0; sent < len;) {
		ssize_t n = send(fd, req + sent, len - sent, MSG_NOSIGNAL);
		if (n <= 0)
			break; /* balied may answer and close before it read it all */
		sent += (size_t)n;
	}
}

/* Reads until balied closes, or until the deadline (then closed is false). */
static void framing_read_all(int fd, struct exchange *x)
{
	for (;;) {
		ssize_t n = recv(fd, x->bytes + x->len, sizeof x->bytes - 1 - x->len, 0);
		if (n == 0)
			x->closed = true;
		if (n <= 0)
			break;
		x->len += (size_t)n;
	}
	x->bytes[x->len] = '\0';
}

/* Sends req whole and reads everything that comes back until the close. */
static void framing_exchange(const struct harness *h, const char *req, size_t len,
			     struct exchange *x)
{
	memset(x, 0, sizeof *x);
	int fd = framing_connect(h);
	if (fd < 0)
		return;
	framing_send(fd, req, len);
	framing_read_all(fd, x);
	close(fd);
}

/* Whether a status line ("HTTP/1.x NNN ") starts at p. */
static bool framing_is_status_line(const char *p, size_t left)
{
	return left >= 13 && memcmp(p, "HTTP/1.", 7) == 0 && (p[7] == '0' || p[7] == '1') &&
	       p[8] == ' ' && p[9] >= '1' && p[9] <= '5' && p[10] >= '0' && p[10] <= '9' &&
	       p[11] >= '0' && p[11] <= '9' && p[12] == ' ';
}

/* The status lines anywhere in what came back: a pipelined answer starts
 * right after the previous body, which may end in any byte. */
static unsigned framing_status_lines(const struct exchange *x)
{
	unsigned n = 0;
	for (size_t i = 0; i < x->len; i++)
		if (framing_is_status_line(x->bytes + i, x->len - i))
			n++;
	return n;
}

/* True when the bytes are exactly one answer: its head, then as many body
 * bytes as its Content-Length says, and nothing after. */
static bool framing_exactly_one(const struct exchange *x)
{
	const char *end = strstr(x->bytes, "\r\n\r\n");
	const char *cl = strstr(x->bytes, "\r\nContent-Length: ");
	if (!end || !cl || cl > end)
		return false;
	size_t head = (size_t)(end + 4 - x->bytes);
	return head + strtoull(cl + 18, NULL, 10) == x->len;
}

static unsigned framing_status(const struct exchange *x)
{
	unsigned status = 0;
	if (sscanf(x->bytes, "HTTP/1.%*d %u", &status) != 1)
		return 0;
	return status;
}

static const char *framing_body(const struct exchange *x)
{
	const char *b = strstr(x->bytes, "\r\n\r\n");
	return b ? b + 4 : "";
}

static bool framing_utf8_ok(const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t bad;
		size_t n = utf8_decode((const unsigned char *)s + i, len - i, &cp, &bad);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

/* The body is the project's error shape with code bad_request. */
static bool framing_bad_request_body(const struct exchange *x)
{
	const char *body = framing_body(x);
	cJSON *root = framing_utf8_ok(body) ? cJSON_Parse(body) : NULL;
	cJSON *code = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "error"), "code");
	bool good = cJSON_IsString(code) && strcmp(code->valuestring, "bad_request") == 0;
	cJSON_Delete(root);
	return good;
}

static void expect_refused(const struct harness *h, const char *what, const char *req,
			   size_t len)
{
	struct exchange x;
	framing_exchange(h, req, len, &x);
	unsigned lines = framing_status_lines(&x);
	if (!ok(framing_status(&x) == 400 && lines == 1 && framing_exactly_one(&x) && x.closed &&
			framing_bad_request_body(&x),
		"%s: one 400 bad_request, then closed (status %u, %u status lines, %s)", what,
		framing_status(&x), lines, x.closed ? "closed" : "left open"))
		diag("answer: %.300s", x.bytes);
}

#define REFUSED(h, what, req) expect_refused((h), (what), (req), sizeof(req) - 1)

/* A request behind it, in the same bytes, that must never be answered. */
#define SMUGGLED "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"

static void framing_smuggling(const struct harness *h)
{
	REFUSED(h, "Content-Length and Transfer-Encoding: chunked, a GET in the body",
		"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
		"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" SMUGGLED);
	REFUSED(h, "Transfer-Encoding: chunked before Content-Length",
		"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
		"Content-Length: 43\r\n\r\n0\r\n\r\n" SMUGGLED);
	REFUSED(h, "two Content-Lengths, 0 and the length of a GET",
		"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
		"Content-Length: 40\r\n\r\n" SMUGGLED);
	REFUSED(h, "two equal Content-Lengths",
		"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
		"Content-Length: 2\r\n\r\n{}" SMUGGLED);
	REFUSED(h, "Transfer-Encoding: gzip, chunked",
		"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n"
		"\r\n0\r\n\r\n" SMUGGLED);
}

/* The check holds for every request of a kept-alive connection, not only
 * its first. */
static void framing_second_request(const struct harness *h)
{
	static const char two[] = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
				  "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Desk: a\0b\r\n\r\n"
				  SMUGGLED;
	struct exchange x;
	framing_exchange(h, two, sizeof two - 1, &x);
	const char *second = strstr(x.bytes, "}HTTP/1.1 400 ");
	if (!ok(framing_status(&x) == 200 && framing_status_lines(&x) == 2 && second &&
			strstr(second, "\"bad_request\"") && x.closed,
		"a NUL in the second request of a connection: 200, then one 400, then closed "
		"(%u status lines)",
		framing_status_lines(&x)))
		diag("answer: %.300s", x.bytes);
}

/* Whether the answer's head (before the empty line) holds the field line. */
static bool framing_head_has(const struct exchange *x, const char *field)
{
	const char *end = strstr(x->bytes, "\r\n\r\n");
	const char *at = strstr(x->bytes, field);
	return end && at && at < end && at[-1] == '\n';
}

/*
 * A Content-Length that is not plain digits, or a number beyond 64 bits, is
 * refused by libmicrohttpd 0.9.75 itself before any handler of balied runs,
 * and the library would write its own status line and headers twice. The
 * client gets exactly one answer, balied's own JSON (400, or 413 for the
 * number), with Connection: close, then the close; the GET behind it
 * none.
 */
static void expect_library_refused(const struct harness *h, const char *what, const char *cl,
				   unsigned status)
{
	char req[512];
	int n = snprintf(req, sizeof req,
			 "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: %s\r\n\r\n"
			 "{}" SMUGGLED,
			 cl);
	struct exchange x;
	framing_exchange(h, req, (size_t)n, &x);
	unsigned lines = framing_status_lines(&x);
	if (!ok(framing_status(&x) == status && lines == 1 && framing_exactly_one(&x) &&
			framing_bad_request_body(&x) &&
			framing_head_has(&x, "Connection: close\r\n") && x.closed &&
			!strstr(x.bytes, "\"status\":\"ok\""),
		"Content-Length %s over %s: one %u bad_request with Connection: close, then "
		"closed, the GET behind it unanswered (status %u, %u status lines, %s)",
		what, strncmp(h->url, "unix:", 5) == 0 ? "the Unix socket" : "TCP", status,
		framing_status(&x), lines, x.closed ? "closed" : "left open"))
		diag("answer: %.400s", x.bytes);
}

/* Waits (with a deadline) until balied's log holds what; returns the log. */
static char *framing_log_wait_dup(const struct harness *h, const char *what)
{
	long long until = clock_now_ms() + 1000LL * READ_TIMEOUT_S;
	for (;;) {
		char *log = harness_log_dup(h);
		if (strstr(log, what) || clock_now_ms() > until)
			return log;
		free(log);
		usleep(50 * 1000);
	}
}

/* The library logs the failed send of its own answer after the refusal,
 * with the request's path, which may hold a card number: the log names
 * the failure but not the path. */
static void framing_length_log(const struct harness *h)
{
	char card[15], req[512];
	harness_demo_code("21000", 7, card);
	int n = snprintf(req, sizeof req,
			 "GET /api/v1/patrons/%s HTTP/1.1\r\nHost: x\r\nContent-Length: +0\r\n\r\n",
			 card);
	struct exchange x;
	framing_exchange(h, req, (size_t)n, &x);
	char *log = framing_log_wait_dup(h, "Failed to send the response headers");
	ok(framing_status(&x) == 400 && strstr(log, "Failed to send the response headers") &&
		   !strstr(log, card),
	   "a refused Content-Length on a card's path: 400, and balied's log names no card "
	   "(status %u, card %s)",
	   framing_status(&x), strstr(log, card) ? "logged" : "not logged");
	free(log);
}

static void framing_lengths(const struct harness *h)
{
	expect_library_refused(h, "\"+2\"", "+2", 400);
	expect_library_refused(h, "\"-2\"", "-2", 400);
	expect_library_refused(h, "\"1 2\" (a space inside)", "1 2", 400);
	expect_library_refused(h, "\"2 \" (a space after)", "2 ", 400);
	expect_library_refused(h, "\"0x10\"", "0x10", 400);
	expect_library_refused(h, "\"0, 40\" (a list)", "0, 40", 400);
	expect_library_refused(h, "99999999999999999999999", "99999999999999999999999", 413);
	expect_library_refused(h, "99999999999999999999999x (beyond 64 bits, then a letter)",
			       "99999999999999999999999x", 413);
}

static void framing_heads(const struct harness *h)
{
	static const char nul_line[] = "GET /api/v1/health\0.json HTTP/1.1\r\nHost: x\r\n\r\n";
	expect_refused(h, "a NUL byte in the request line", nul_line, sizeof nul_line - 1);
	static const char nul_method[] = "GE\0T /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
	expect_refused(h, "a NUL byte in the method", nul_method, sizeof nul_method - 1);
	static const char nul_value[] =
		"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Desk: a\0b\r\n\r\n";
	expect_refused(h, "a NUL byte in a header value", nul_value, sizeof nul_value - 1);
	static const char nul_last[] = "GET /api/v1/health HTTP/1.1\r\nHost: x\0\r\n\r\n";
	expect_refused(h, "a NUL byte at the end of the last header", nul_last,
		       sizeof nul_last - 1);
	REFUSED(h, "HTTP/1.1 without Host", "GET /api/v1/health HTTP/1.1\r\n\r\n");
	REFUSED(h, "two Host headers", "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n");
	REFUSED(h, "/api/v1/health%00.json",
		"GET /api/v1/health%00.json HTTP/1.1\r\nHost: x\r\n\r\n");
	REFUSED(h, "a space before a header's colon",
		"GET /api/v1/health HTTP/1.1\r\nHost : x\r\n\r\n");
	REFUSED(h, "a method with byte 0xff (the body is valid JSON and UTF-8)",
		"G\xffT /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");

	struct exchange x;
	static const char http2[] = "GET /api/v1/health HTTP/2.0\r\nHost: x\r\n\r\n";
	framing_exchange(h, http2, sizeof http2 - 1, &x);
	ok(framing_status(&x) == 505 && framing_status_lines(&x) == 1 && framing_exactly_one(&x) &&
		   x.closed,
	   "HTTP/2.0: one 505, then closed (status %u)", framing_status(&x));
}

static bool framing_health_answer(const char *body)
{
	return strstr(body, "\"status\":\"ok\"") != NULL;
}

static void framing_well_formed(const struct harness *h)
{
	/* Three requests in one write: each is answered in turn, the last
	 * asks for the close. */
	static const char three[] = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
				    "POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
				    "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
				    "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	struct exchange x;
	framing_exchange(h, three, sizeof three - 1, &x);
	const char *second = strstr(x.bytes, "}HTTP/1.1 422 ");
	ok(framing_status(&x) == 200 && framing_status_lines(&x) == 3 && second &&
		   strstr(second, "}HTTP/1.1 200 ") && x.closed,
	   "three pipelined well-formed requests (one with Content-Length): 200, 422, 200, "
	   "then closed (%u status lines)",
	   framing_status_lines(&x));

	/* One connection, a request, its whole answer, then another. */
	int fd = framing_connect(h);
	static const char one[] = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
	char first[4096] = "";
	size_t got = 0;
	framing_send(fd, one, sizeof one - 1);
	while (got < sizeof first - 1 && !framing_health_answer(first)) {
		ssize_t n = recv(fd, first + got, sizeof first - 1 - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
		first[got] = '\0';
	}
	static const char again[] =
		"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	framing_send(fd, again, sizeof again - 1);
	memset(&x, 0, sizeof x);
	framing_read_all(fd, &x);
	close(fd);
	ok(framing_health_answer(first) && framing_status(&x) == 200 &&
		   framing_health_answer(framing_body(&x)) && x.closed,
	   "a kept-alive connection answers a second request after the first answer");
}

/* Over TCP every check; over the Unix socket (the desks of a terminal
 * server) the refusals libmicrohttpd makes itself and the well-formed. */
static void framing_run(const struct harness_opts *opts, const char *what)
{
	struct harness h;
	if (ok(harness_start(&h, opts), "balied --training %s starts", what)) {
		framing_well_formed(&h);
		if (!opts->unix_socket) {
			framing_smuggling(&h);
			framing_second_request(&h);
		}
		framing_lengths(&h);
		if (!opts->unix_socket) {
			framing_length_log(&h);
			framing_heads(&h);
		}
		framing_well_formed(&h);
		ok(harness_stop(&h) == 0, "balied %s stops cleanly", what);
		if (tap_failed)
			harness_dump_log(&h);
	}
	harness_cleanup(&h);
}

int main(void)
{
	framing_run(&(struct harness_opts){ .training = true }, "on a TCP port");
	framing_run(&(struct harness_opts){ .training = true, .unix_socket = true },
		    "on a Unix socket");
	return tap_done();
}
