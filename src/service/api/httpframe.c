#include "service/api/httpframe.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

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
