#include "utf8.h"

#include "sanitize.h"
#include "xalloc.h"

#include <string.h>

size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

wchar_t *utf8_to_wide_dup(const char *s, size_t *n)
{
	size_t len = strlen(s);
	wchar_t *w = xcalloc(len + 1, sizeof *w);
	size_t count = 0;
	const unsigned char *u = (const unsigned char *)s;
	while (len > 0) {
		unsigned cp;
		size_t bad;
		size_t used = utf8_decode(u, len, &cp, &bad);
		if (used == 0) {
			cp = 0xfffd;
			used = bad;
		}
		w[count++] = (wchar_t)cp;
		u += used;
		len -= used;
	}
	w[count] = L'\0';
	if (n)
		*n = count;
	return w;
}

char *utf8_from_wide_dup(const wchar_t *w, size_t n)
{
	char *out = xmalloc(n * 4 + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++)
		o += utf8_encode((uint32_t)w[i], out + o);
	out[o] = '\0';
	return out;
}
