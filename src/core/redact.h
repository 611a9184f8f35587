/* Card numbers as a log may show them: by their last 4 digits, so that a
 * line can be matched with a desk's report without holding the number
 * (DESIGN.md section 5; balied(8), RUNNING BALIED, Logs). */
#ifndef BALIE_REDACT_H
#define BALIE_REDACT_H

#include <stddef.h>

/* Room for redact_card's text and its NUL. */
enum { REDACT_CARD_LEN = 16 };

/* "****0017" for the card 21000000000017: "****" and the last 4
 * characters; "****" alone for a value of 4 characters or fewer, or NULL. */
void redact_card(const char *card, char out[REDACT_CARD_LEN]);

/* text with every run of 5 or more digits (a card number, a barcode, a
 * phone number) shown as redact_card shows it, written to out (at most len
 * bytes with the NUL; cut at a character boundary of ASCII when longer):
 * for text that did not come from balied, such as a user name as typed or
 * a library's message. */
void redact_digits(const char *text, char *out, size_t len);

#endif
