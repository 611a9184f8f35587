#include "core/sanitize.h"

#include "core/xalloc.h"

#include <string.h>

size_t utf8_decode(const unsigned char *s, size_t len, unsigned *cp, size_t *bad)
{
	unsigned c = s[0];
	size_t need;
	unsigned lo = 0x80, hi = 0xbf; /* range of the second byte */

	*bad = 1;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		if (c == 0xed)
			hi = 0x9f; /* surrogates */
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		if (c == 0xf4)
			hi = 0x8f; /* beyond U+10FFFF */
		c &= 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i <= need; i++) {
		if (i >= len)
			return 0;
		unsigned b = s[i];
		if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf))
			return 0;
		c = (c << 6) | (b & 0x3f);
		*bad = i + 1;
	}
	*cp = c;
	return need + 1;
}

static bool is_dropped(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static bool is_spaced(unsigned cp)
{
	return cp == '\t' || cp == '\n' || cp == '\r';
}

char *sanitize_dup(const char *in, size_t len)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const unsigned char *s = (const unsigned char *)in;
	/* Each input byte yields at most three output bytes (U+FFFD). */
	char *out = xmalloc(len * 3 + 1);
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t bad;
		size_t n = utf8_decode(s + i, len - i, &cp, &bad);
		if (n == 0) {
			memcpy(out + o, replacement, 3);
			o += 3;
			i += bad;
			continue;
		}
		if (is_spaced(cp))
			out[o++] = ' ';
		else if (!is_dropped(cp)) {
			memcpy(out + o, s + i, n);
			o += n;
		}
		i += n;
	}
	out[o] = '\0';
	return xrealloc(out, o + 1);
}

bool sanitize_is_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t bad;
		size_t n = utf8_decode(p + i, len - i, &cp, &bad);
		if (n == 0 || is_dropped(cp))
			return false;
		i += n;
	}
	return true;
}
