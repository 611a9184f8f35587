#include "core/textnorm.h"

#include "core/xalloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

/* NFKC of the text, or a copy when the text is no valid UTF-8 (the walk
 * below then replaces what is invalid). */
static uint8_t *textnorm_nfkc_dup(const char *text, size_t *len)
{
	size_t in = strlen(text);
	if (!u8_check((const uint8_t *)text, in)) {
		uint8_t *out = u8_normalize(UNINORM_NFKC, (const uint8_t *)text, in, NULL, len);
		if (out)
			return out;
	}
	*len = in;
	uint8_t *copy = xmalloc(in + 1);
	memcpy(copy, text, in);
	return copy;
}

/* What one code point becomes: an ASCII byte (a digit, '-' or ' '), 0 to drop
 * it, or -1 to keep it as it is. */
static int textnorm_map(ucs4_t uc)
{
	if (uc == ' ')
		return ' ';
	if (uc < 0x80 && uc != '\t' && uc != '\n' && uc != '\r' && uc != '\v' && uc != '\f')
		return -1;
	if (uc_is_general_category(uc, UC_DECIMAL_DIGIT_NUMBER) && uc_decimal_value(uc) >= 0)
		return '0' + uc_decimal_value(uc);
	if (uc_is_property_dash(uc))
		return '-';
	if (uc_is_property_white_space(uc) || uc_is_general_category(uc, UC_SPACE_SEPARATOR))
		return ' ';
	if (uc_is_general_category(uc, UC_FORMAT))
		return 0;
	return -1;
}

char *textnorm_plain_dup(const char *text)
{
	size_t len;
	uint8_t *nfkc = textnorm_nfkc_dup(text ? text : "", &len);
	/* A replaced byte grows to three (U+FFFD); nothing else grows. */
	char *out = xmalloc(3 * len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		ucs4_t uc;
		int step = u8_mbtouc(&uc, nfkc + i, len - i);
		int to = textnorm_map(uc);
		if (to == ' ' && n > 0 && out[n - 1] == ' ')
			to = 0; /* "123  456" is one separator, as it reads */
		if (to > 0)
			out[n++] = (char)to;
		else if (to < 0 && uc == 0xfffd)
			n += (size_t)u8_uctomb((uint8_t *)out + n, uc, 3);
		else if (to < 0) {
			memcpy(out + n, nfkc + i, (size_t)step);
			n += (size_t)step;
		}
		i += (size_t)step;
	}
	out[n] = '\0';
	free(nfkc);
	return out;
}
