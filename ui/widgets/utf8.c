#include "ui/widgets/utf8.h"

#include "core/sanitize.h"
#include "core/xalloc.h"

#include <stdbool.h>
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

int utf8_char_width(wchar_t c)
{
	int cw = wcwidth(c);
	return cw < 0 ? 1 : cw;
}

/* A sign written before its amount: "€ 5,00" is one word. */
static bool utf8_joins_next(wchar_t c)
{
	return c == 0x20ac || c == 0x00a3 || c == L'$';
}

/* True when a row may end before the space at w[i]. */
static bool utf8_break_at(const wchar_t *w, size_t i)
{
	return w[i] == L' ' && !(i > 0 && utf8_joins_next(w[i - 1]));
}

/* The end of the row that starts at s, and where the next one starts. */
static size_t utf8_row_end(const wchar_t *w, size_t n, size_t s, int width, size_t *next)
{
	int used = 0;
	size_t brk = 0;
	for (size_t i = s; i < n; i++) {
		if (w[i] == L'\n') {
			*next = i + 1;
			return i;
		}
		if (i > s && utf8_break_at(w, i))
			brk = i;
		int cw = utf8_char_width(w[i]);
		if (used + cw > width) {
			if (brk > s) {
				*next = brk;
				return brk;
			}
			/* a word wider than the row: it goes on in the next */
			size_t end = i > s ? i : s + 1;
			*next = end;
			return end;
		}
		used += cw;
	}
	*next = n;
	return n;
}

size_t utf8_wrap(const wchar_t *w, size_t n, int width, struct utf8_row *rows, size_t max)
{
	if (width < 1)
		return 0;
	size_t count = 0, s = 0;
	while (s < n) {
		while (s < n && w[s] == L' ')
			s++;
		if (s >= n)
			break;
		size_t next;
		size_t end = utf8_row_end(w, n, s, width, &next);
		while (end > s && w[end - 1] == L' ')
			end--;
		if (count < max)
			rows[count] = (struct utf8_row){ s, end };
		count++;
		s = next;
	}
	return count;
}
