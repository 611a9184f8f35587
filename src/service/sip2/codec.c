#include "service/sip2/codec.h"

#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The length of the fixed part of each request the standard defines. */
static const struct {
	const char *code;
	unsigned fixed;
} request_fixed[] = {
	{ "93", 2 },  /* login: UID and PWD algorithms */
	{ "99", 8 },  /* SC status: status, print width, protocol version */
	{ "23", 21 }, /* patron status: language, date */
	{ "63", 31 }, /* patron information: language, date, summary */
	{ "11", 38 }, /* checkout: renewal policy, no block, date, nb due date */
	{ "09", 37 }, /* checkin: no block, date, return date */
	{ "29", 38 }, /* renew: third party, no block, date, nb due date */
	{ "65", 18 }, /* renew all: date */
	{ "17", 18 }, /* item information: date */
	{ "35", 18 }, /* end patron session: date */
	{ "15", 19 }, /* hold: mode, date */
	{ "01", 19 }, /* block patron: card retained, date */
	{ "37", 25 }, /* fee paid: date, fee type, payment type, currency */
	{ "19", 18 }, /* item status update: date */
	{ "25", 18 }, /* patron enable: date */
	{ "97", 0 },  /* request ACS resend */
	{ "96", 0 },  /* request SC resend */
};

static int fixed_len_of(const char code[3])
{
	for (size_t i = 0; i < sizeof request_fixed / sizeof request_fixed[0]; i++)
		if (memcmp(code, request_fixed[i].code, 2) == 0)
			return (int)request_fixed[i].fixed;
	return -1;
}

void sip2_checksum(const char *buf, size_t len, char out[5])
{
	unsigned sum = 0;
	for (size_t i = 0; i < len; i++)
		sum += (unsigned char)buf[i];
	snprintf(out, 5, "%04X", (-sum) & 0xffffu);
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/* Reads "AYnAZxxxx", "AZxxxx" or "AYn" off the end: sets body_len (the
 * bytes before them), seq and has_checksum. False for a bad checksum. */
static bool read_trailer(const char *buf, size_t len, struct sip2_msg *out)
{
	size_t end = len;
	out->seq = SIP2_NO_SEQ;
	out->has_checksum = false;
	if (end >= 6 && memcmp(buf + end - 6, "AZ", 2) == 0 && is_hex(buf[end - 4]) &&
	    is_hex(buf[end - 3]) && is_hex(buf[end - 2]) && is_hex(buf[end - 1])) {
		char want[5];
		sip2_checksum(buf, end - 4, want);
		if (strncasecmp(want, buf + end - 4, 4) != 0)
			return false;
		out->has_checksum = true;
		end -= 6;
	}
	if (end >= 3 && memcmp(buf + end - 3, "AY", 2) == 0 && buf[end - 1] >= '0' &&
	    buf[end - 1] <= '9') {
		out->seq = buf[end - 1] - '0';
		end -= 3;
	}
	out->body_len = end;
	return true;
}

/* Splits the variable part into fields; false when it is not fields. */
static bool read_fields(const char *p, const char *end, struct sip2_msg *out)
{
	while (p < end) {
		if (end - p < 2 || !is_upper(p[0]) || !is_upper(p[1]) ||
		    out->n_fields == SIP2_MAX_FIELDS)
			return false;
		struct sip2_field *f = &out->fields[out->n_fields++];
		f->id[0] = p[0];
		f->id[1] = p[1];
		f->id[2] = '\0';
		f->value = p + 2;
		const char *bar = memchr(f->value, '|', (size_t)(end - f->value));
		f->len = (size_t)((bar ? bar : end) - f->value);
		p = bar ? bar + 1 : end;
	}
	return true;
}

enum sip2_parse sip2_parse(const char *buf, size_t len, struct sip2_msg *out)
{
	memset(out, 0, sizeof *out);
	out->seq = SIP2_NO_SEQ;
	if (len < 2 || memchr(buf, '\0', len))
		return SIP2_MALFORMED;
	out->code[0] = buf[0];
	out->code[1] = buf[1];
	if (!read_trailer(buf, len, out))
		return SIP2_BAD_CHECKSUM;
	int fixed = fixed_len_of(out->code);
	if (fixed < 0)
		return SIP2_UNKNOWN_CODE;
	if (out->body_len < 2 + (size_t)fixed)
		return SIP2_MALFORMED;
	out->fixed = buf + 2;
	out->fixed_len = (size_t)fixed;
	return read_fields(buf + 2 + fixed, buf + out->body_len, out) ? SIP2_PARSE_OK
								       : SIP2_MALFORMED;
}

const struct sip2_field *sip2_field_find(const struct sip2_msg *m, const char *id)
{
	for (size_t i = 0; i < m->n_fields; i++)
		if (memcmp(m->fields[i].id, id, 2) == 0)
			return &m->fields[i];
	return NULL;
}

char *sip2_field_dup(const struct sip2_msg *m, const char *id)
{
	const struct sip2_field *f = sip2_field_find(m, id);
	return f ? xstrndup(f->value, f->len) : xstrdup("");
}

char *sip2_fixed_dup(const struct sip2_msg *m, size_t at, size_t n)
{
	if (at + n > m->fixed_len)
		return xstrdup("");
	return xstrndup(m->fixed + at, n);
}

void sip2_date(time_t t, char out[SIP2_DATE_LEN])
{
	struct tm tm;
	localtime_r(&t, &tm);
	if (strftime(out, SIP2_DATE_LEN, "%Y%m%d    %H%M%S", &tm) == 0)
		snprintf(out, SIP2_DATE_LEN, "%18s", "");
}

void sip2_date_of_day(const char *day, char out[SIP2_DATE_LEN])
{
	if (strlen(day) != 10) {
		snprintf(out, SIP2_DATE_LEN, "%18s", "");
		return;
	}
	snprintf(out, SIP2_DATE_LEN, "%.4s%.2s%.2s    235959", day, day + 5, day + 8);
}

static void out_append(struct sip2_out *o, const char *text, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = 2 * (o->len + n + 1) + 64;
		o->buf = xrealloc(o->buf, o->cap);
	}
	memcpy(o->buf + o->len, text, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

void sip2_out_init(struct sip2_out *o, const char *code)
{
	memset(o, 0, sizeof *o);
	out_append(o, code, 2);
}

void sip2_out_fixed(struct sip2_out *o, const char *text)
{
	out_append(o, text, strlen(text));
}

void sip2_out_flag(struct sip2_out *o, bool yes)
{
	out_append(o, yes ? "Y" : "N", 1);
}

void sip2_out_count(struct sip2_out *o, unsigned long n, unsigned width)
{
	char digits[24];
	unsigned long max = 1;
	for (unsigned i = 0; i < width && i < 19; i++)
		max *= 10;
	snprintf(digits, sizeof digits, "%0*lu", (int)width, n < max ? n : max - 1);
	out_append(o, digits, strlen(digits));
}

void sip2_out_field(struct sip2_out *o, const char *id, const char *value)
{
	out_append(o, id, 2);
	size_t start = o->len;
	out_append(o, value, strlen(value));
	for (size_t i = start; i < o->len; i++)
		if (o->buf[i] == '|' || o->buf[i] == '\r' || o->buf[i] == '\n')
			o->buf[i] = ' ';
	out_append(o, "|", 1);
}

char *sip2_out_take(struct sip2_out *o)
{
	char *text = o->buf ? o->buf : xstrdup("");
	memset(o, 0, sizeof *o);
	return text;
}

char *sip2_frame_dup(const char *body, size_t body_len, bool checksum, int seq, size_t *len)
{
	char *out = xmalloc(body_len + 16);
	memcpy(out, body, body_len);
	size_t n = body_len;
	if (checksum) {
		if (seq >= 0 && seq <= 9) {
			memcpy(out + n, "AY", 2);
			out[n + 2] = (char)('0' + seq);
			n += 3;
		}
		memcpy(out + n, "AZ", 2);
		n += 2;
		char sum[5];
		sip2_checksum(out, n, sum);
		memcpy(out + n, sum, 4);
		n += 4;
	}
	out[n++] = '\r';
	out[n] = '\0';
	*len = n;
	return out;
}
