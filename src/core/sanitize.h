/* Text from outside (the service, a file) is made safe to show once, where it
 * enters: valid UTF-8 with no control character and no bidi override. */
#ifndef BALIE_SANITIZE_H
#define BALIE_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Returns a newly allocated copy of the len bytes at in, where
 *  - TAB, LF and CR become a space,
 *  - other C0 controls, DEL and C1 controls (U+0080..U+009F) are dropped,
 *  - bidi embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069)
 *    and the Arabic letter mark U+061C are dropped,
 *  - invalid UTF-8 (stray bytes, overlong forms, surrogates, beyond U+10FFFF,
 *    truncated sequences) becomes U+FFFD, one per maximal invalid subpart.
 * A NUL inside the input is a C0 control and is dropped.
 */
char *sanitize_dup(const char *in, size_t len);

/* True when s (NUL-terminated) is already what sanitize_dup would return. */
bool sanitize_is_clean(const char *s);

/*
 * Decodes one UTF-8 sequence at s (at most len bytes). Returns its length and
 * stores the code point, or returns 0 for an invalid sequence and stores in
 * *bad the length of the maximal invalid subpart (at least 1).
 */
size_t utf8_decode(const unsigned char *s, size_t len, unsigned *cp, size_t *bad);

#endif
