/* UTF-8 and the wide characters ncurses draws (wchar_t is a Unicode code
 * point on the systems balie runs on). */
#ifndef BALIE_UTF8_H
#define BALIE_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

/* Writes the UTF-8 of cp (at most 4 bytes, no NUL) to out; returns the length. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* Returns the code points of the UTF-8 text s, newly allocated and
 * NUL-terminated; an invalid sequence becomes U+FFFD. *n gets the count. */
wchar_t *utf8_to_wide_dup(const char *s, size_t *n);
/* Returns the UTF-8 of n wide characters, newly allocated. */
char *utf8_from_wide_dup(const wchar_t *w, size_t n);

/* The display width of c in columns: wcwidth, and 1 for what it does not
 * know (the printing sites show that as '?'). */
int utf8_char_width(wchar_t c);

/* One row of wrapped text: the wide characters [start, end). */
struct utf8_row {
	size_t start, end;
};
/*
 * Breaks the n wide characters w into rows of at most width columns (by
 * display width): at spaces, never between a currency sign and the amount
 * after it (a space right after it is kept with both, as is U+00A0), at a
 * newline always; a word wider than a row goes on in the next row, so that
 * no character is lost. The spaces at a break belong to no row. Fills at
 * most max rows (rows may be NULL when max is 0) and returns how many rows
 * the whole text needs (0 for an empty text or width < 1).
 */
size_t utf8_wrap(const wchar_t *w, size_t n, int width, struct utf8_row *rows, size_t max);

#endif
