/* The character set a kiosk speaks (ASCII, ISO-8859-1 or UTF-8, per kiosk
 * account: domain/kiosk.h), converted with iconv to and from balied's
 * UTF-8. */
#ifndef BALIED_SIP2_CHARSET_H
#define BALIED_SIP2_CHARSET_H

#include <stddef.h>

/* The kiosk's bytes (len of them) as UTF-8, newly allocated; a byte the
 * charset does not have becomes '?'. charset is an iconv name. */
char *sip2_charset_in_dup(const char *charset, const char *bytes, size_t len);
/* UTF-8 text in the kiosk's charset, newly allocated, transliterated where
 * the charset lacks a character ("é" is "e" in ASCII, "?" as a last
 * resort); *len is its length. */
char *sip2_charset_out_dup(const char *charset, const char *text, size_t *len);

#endif
