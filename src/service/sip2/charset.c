#include "service/sip2/charset.h"

#include "core/xalloc.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>

static bool is_utf8(const char *charset)
{
	return strcasecmp(charset, "UTF-8") == 0;
}

/* Converts with cd, putting '?' for what cannot be converted; the result
 * is newly allocated and NUL-ended, *out_len its length. */
static char *convert_dup(iconv_t cd, const char *bytes, size_t len, size_t *out_len)
{
	size_t cap = 4 * len + 16;
	char *out = xmalloc(cap);
	char *in = (char *)bytes, *o = out;
	size_t in_left = len, o_left = cap - 1;
	while (in_left > 0) {
		if (iconv(cd, &in, &in_left, &o, &o_left) != (size_t)-1)
			break;
		if (errno == E2BIG || o_left == 0)
			break;
		/* EILSEQ or EINVAL: one byte of input becomes '?'. */
		*o++ = '?';
		o_left--;
		in++;
		in_left--;
	}
	iconv(cd, NULL, NULL, &o, &o_left);
	*o = '\0';
	*out_len = (size_t)(o - out);
	return out;
}

static char *copy_dup(const char *bytes, size_t len, size_t *out_len)
{
	*out_len = len;
	return xstrndup(bytes, len);
}

char *sip2_charset_in_dup(const char *charset, const char *bytes, size_t len)
{
	size_t n;
	iconv_t cd = is_utf8(charset) ? (iconv_t)-1 : iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		return copy_dup(bytes, len, &n);
	char *out = convert_dup(cd, bytes, len, &n);
	iconv_close(cd);
	return out;
}

char *sip2_charset_out_dup(const char *charset, const char *text, size_t *len)
{
	if (is_utf8(charset))
		return copy_dup(text, strlen(text), len);
	char target[64];
	snprintf(target, sizeof target, "%s//TRANSLIT", charset);
	iconv_t cd = iconv_open(target, "UTF-8");
	if (cd == (iconv_t)-1)
		return copy_dup(text, strlen(text), len);
	char *out = convert_dup(cd, text, strlen(text), len);
	iconv_close(cd);
	return out;
}
