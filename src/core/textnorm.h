/* Text brought to one plain form before a pattern looks at it, so that what a
 * reader sees as the same number is the same bytes: Unicode NFKC (fullwidth
 * and superscript forms become ASCII), the decimal digits of every script
 * become ASCII digits, every dash ("-", U+2010..U+2015, U+2212, ...) becomes
 * '-', every kind of white space a single ' ', and invisible format
 * characters (U+200B, U+FEFF, the soft hyphen, ...) are dropped. */
#ifndef BALIE_TEXTNORM_H
#define BALIE_TEXTNORM_H

/* The plain form of the UTF-8 text as a new string (free it); invalid UTF-8
 * is taken byte by byte, each stray byte becoming U+FFFD. Never NULL. */
char *textnorm_plain_dup(const char *text);

#endif
