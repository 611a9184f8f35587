#include "service/api/httpframe.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

/* The most bytes between two strings of the head that are looked at: the
 * line ends and the spaces before a field value. */
enum { GAP_MAX = 256 };

/* The header fields that decide where a request ends, or whom it is for. */
struct frame_fields {
	unsigned hosts;
	unsigned lengths;
	unsigned codings;
	const char *length;
	const char *coding;
	const char *problem;
	/* The byte after the previous string of the head: see layout_gap_ok. */
	uintptr_t prev_end;
};

void httpframe_target_take(struct httpframe_target *t, const char *uri)
{
	t->raw = uri;
	t->len = uri ? strlen(uri) : 0;
	t->nul_escape = uri && strstr(uri, "%00") != NULL;
}

/* RFC 9110 section 5.6.2: the characters of a token (methods, field names). */
static bool frame_is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool frame_is_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!frame_is_tchar((unsigned char)*s))
			return false;
	return true;
}

/* A field value holds visible bytes, spaces and tabs only (no CR, no
 * control bytes); bytes from 0x80 up are let through as obs-text. */
static bool frame_value_ok(const char *v)
{
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

static bool frame_all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/*
 * libmicrohttpd 0.9.75 parses the head in place: each string it hands over
 * lies in the one receive buffer, in the order the bytes came, and what
 * separated them (CR LF, the colon) was overwritten with NUL bytes. So
 * between the end of one string and the start of the next there may be only
 * those NULs and the spaces the grammar allows; anything else means a NUL
 * byte in the request cut a string short, and the rest of it would be lost
 * unseen. A NUL right before a bare LF looks like CR LF and is not caught.
 */
static bool layout_gap_ok(uintptr_t from, uintptr_t to, size_t min_nuls, size_t max_nuls,
			  bool spaces_after)
{
	/* a gap longer than any the grammar allows is not read at all */
	if (to < from || to - from > GAP_MAX)
		return false;
	const char *p = (const char *)from;
	size_t n = (size_t)(to - from), nuls = 0;
	while (nuls < n && p[nuls] == '\0')
		nuls++;
	if (nuls < min_nuls || nuls > max_nuls)
		return false;
	for (size_t i = nuls; i < n; i++)
		if (!spaces_after || (p[i] != ' ' && p[i] != '\t'))
			return false;
	return true;
}

static uintptr_t frame_end_of(const char *s)
{
	return (uintptr_t)s + strlen(s);
}

static void frame_count(struct frame_fields *f, const char *key, const char *value)
{
	if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0) {
		f->hosts++;
	} else if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		f->lengths++;
		f->length = value;
	} else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		f->codings++;
		f->coding = value;
	}
}

static enum MHD_Result frame_field(void *cls, enum MHD_ValueKind kind, const char *key,
				   size_t key_size, const char *value, size_t value_size)
{
	struct frame_fields *f = cls;
	(void)kind, (void)key_size, (void)value_size;
	if (!key || !value)
		return MHD_YES;
	/* one line end (CR LF or LF) before the name; the colon, then spaces */
	if (!layout_gap_ok(f->prev_end, (uintptr_t)key, 1, 2, false) ||
	    !layout_gap_ok(frame_end_of(key), (uintptr_t)value, 1, 1, true))
		f->problem = "the request head holds a NUL byte or a folded header line";
	else if (!frame_is_token(key))
		f->problem = "a header field name is not a token";
	else if (!frame_value_ok(value))
		f->problem = "a header field value holds a control byte";
	if (f->problem)
		return MHD_NO;
	f->prev_end = frame_end_of(value);
	frame_count(f, key, value);
	return MHD_YES;
}

/* The request line: method, spaces, target, one space, version. */
static const char *frame_line_problem(const char *method, const char *version,
				      const struct httpframe_target *t)
{
	if (!t->raw || !*version)
		return "the request line has no target or no version";
	if (!layout_gap_ok(frame_end_of(method), (uintptr_t)t->raw, 1, 1, true) ||
	    (uintptr_t)version != (uintptr_t)t->raw + t->len + 1)
		return "the request line holds a NUL byte";
	if (!frame_is_token(method))
		return "the method is not a token";
	if (t->nul_escape)
		return "the path holds %00";
	return NULL;
}

static const char *frame_fields_problem(const struct frame_fields *f, bool http11)
{
	if (f->problem)
		return f->problem;
	if (f->hosts > 1)
		return "more than one Host header";
	if (http11 && f->hosts == 0)
		return "an HTTP/1.1 request without a Host header";
	if (f->lengths > 1)
		return "more than one Content-Length header";
	if (f->lengths && f->codings)
		return "both Content-Length and Transfer-Encoding";
	if (f->lengths && !frame_all_digits(f->length))
		return "Content-Length is not a plain number";
	if (f->codings && (!http11 || f->codings > 1 || strcasecmp(f->coding, "chunked") != 0))
		return "a Transfer-Encoding other than chunked";
	return NULL;
}

const char *httpframe_problem(struct MHD_Connection *conn, const char *method,
			      const char *version, const struct httpframe_target *t)
{
	const char *problem = frame_line_problem(method, version, t);
	if (problem)
		return problem;
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	if (!info)
		return "the request head cannot be read";
	struct frame_fields f = { .prev_end = frame_end_of(version) };
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, frame_field, &f);
	/* the last line end, then the empty line's */
	if (!f.problem &&
	    !layout_gap_ok(f.prev_end, (uintptr_t)method + info->header_size, 2, 4, false))
		f.problem = "the request head holds a NUL byte";
	return frame_fields_problem(&f, strcmp(version, MHD_HTTP_VERSION_1_1) == 0);
}

/*
 * libmicrohttpd 0.9.75 refuses a Content-Length it cannot read itself, in
 * parse_connection_headers, before any callback of balied runs: it logs one
 * of these two lines (its _() is the identity), queues its own 400 or 413
 * and builds the head, and its caller then sets the state back so that the
 * head is built again: the client would get the status line twice.
 */
static const char LENGTH_MALFORMED_LOG[] =
	"Failed to parse `Content-Length' header. Closing connection.\n";
static const char LENGTH_TOO_LARGE_LOG[] =
	"Too large value of 'Content-Length' header. Closing connection.\n";

unsigned httpframe_length_status(const char *fmt)
{
	if (strcmp(fmt, LENGTH_MALFORMED_LOG) == 0)
		return 400;
	if (strcmp(fmt, LENGTH_TOO_LARGE_LOG) == 0)
		return 413;
	return 0;
}

/* The Content-Length that makes libmicrohttpd answer status: 413 when it
 * starts with digits whose number is beyond 64 bits (whatever follows
 * them); otherwise 400 for anything but plain digits. */
static bool frame_length_refused_for(const char *cl, unsigned status)
{
	bool digit_first = *cl >= '0' && *cl <= '9';
	errno = 0;
	unsigned long long n = digit_first ? strtoull(cl, NULL, 10) : 0;
	if (digit_first && n == ULLONG_MAX && errno == ERANGE)
		return status == 413;
	return status == 400 && !frame_all_digits(cl);
}

bool httpframe_length_refused(struct MHD_Connection *conn, unsigned status)
{
	/* the head is in, and no answer is queued yet: the refusal is being made */
	if (!MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE) ||
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_HTTP_STATUS))
		return false;
	if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return false;
	const char *cl =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	return cl && frame_length_refused_for(cl, status);
}

/* An IMF-fixdate (RFC 9110 section 5.6.7), in English whatever the locale. */
static void frame_date(char *out, size_t len)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	snprintf(out, len, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7],
		 tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
}

bool httpframe_refuse_raw(int fd, unsigned status, const char *body)
{
	char date[40];
	frame_date(date, sizeof date);
	const char *reason = MHD_get_reason_phrase_for(status);
	char answer[2048];
	int len = snprintf(answer, sizeof answer,
			   "HTTP/1.1 %u %s\r\nDate: %s\r\nConnection: close\r\n"
			   "Content-Type: application/json; charset=utf-8\r\n"
			   "Cache-Control: no-store\r\nContent-Length: %zu\r\n\r\n%s",
			   status, reason, date, strlen(body), body);
	if (len < 0 || (size_t)len >= sizeof answer)
		return false;
	ssize_t sent = send(fd, answer, (size_t)len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (sent <= 0)
		return false; /* nothing went: libmicrohttpd's own answer may follow */
	/* libmicrohttpd's doubled head must not follow; a short write leaves a
	 * cut answer, which the client sees as one */
	shutdown(fd, SHUT_WR);
	return sent == len;
}
