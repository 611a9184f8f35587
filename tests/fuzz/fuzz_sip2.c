/*
 * A SIP2 message from a kiosk through balied's codec (src/service/sip2/codec.h)
 * and the kiosk's character sets (charset.h): any bytes, as the listener
 * hands them over without their CR. Beyond no crash, leak or UB: the
 * fields lie inside the message and have two capitals as ids; what parsed
 * is formatted again and parses to the same fields; a framed answer carries
 * a checksum the parser accepts and its sequence number.
 */
#include "fuzz.h"

#include "service/sip2/charset.h"
#include "service/sip2/codec.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_fields(const char *buf, size_t len, const struct sip2_msg *m)
{
	for (size_t i = 0; i < m->n_fields; i++) {
		const struct sip2_field *f = &m->fields[i];
		if (f->value < buf || f->value + f->len > buf + len)
			abort(); /* a field outside the message */
		if (f->id[0] < 'A' || f->id[0] > 'Z' || f->id[1] < 'A' || f->id[1] > 'Z')
			abort();
		if (memchr(f->value, '|', f->len))
			abort(); /* a value that holds its own end */
	}
}

/* The message formatted again from its parts parses to the same fields. */
static void check_round_trip(const struct sip2_msg *m)
{
	struct sip2_out o;
	sip2_out_init(&o, m->code);
	char *fixed = strndup(m->fixed, m->fixed_len);
	sip2_out_fixed(&o, fixed);
	free(fixed);
	for (size_t i = 0; i < m->n_fields; i++) {
		char *v = strndup(m->fields[i].value, m->fields[i].len);
		sip2_out_field(&o, m->fields[i].id, v);
		free(v);
	}
	char *text = sip2_out_take(&o);
	size_t n;
	char *framed = sip2_frame_dup(text, strlen(text), true, 7, &n);
	struct sip2_msg again;
	if (sip2_parse(framed, n - 1, &again) != SIP2_PARSE_OK || again.seq != 7 ||
	    !again.has_checksum || again.n_fields < m->n_fields)
		abort();
	free(framed);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct sip2_msg m;
	enum sip2_parse p = sip2_parse(buf, size, &m);
	if (p != SIP2_PARSE_OK)
		return 0;
	if (m.fixed_len + 2 > m.body_len || m.body_len > size)
		abort();
	check_fields(buf, size, &m);
	check_round_trip(&m);
	for (size_t i = 0; i < m.n_fields; i++) {
		char *utf8 = sip2_charset_in_dup("ISO-8859-1", m.fields[i].value, m.fields[i].len);
		size_t n;
		free(sip2_charset_out_dup("ASCII", utf8, &n));
		free(utf8);
	}
	return 0;
}
