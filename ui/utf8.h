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

#endif
