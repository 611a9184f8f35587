/* The Luhn check digit of card numbers and barcodes. */
#ifndef BALIE_LUHN_H
#define BALIE_LUHN_H

#include <stdbool.h>

/* The check digit ('0'..'9') to append to the digits of s; '\0' when s holds
 * anything but digits or nothing at all. */
char luhn_digit(const char *s);
/* True when s is digits whose last one is the Luhn check digit of the rest. */
bool luhn_valid(const char *s);

#endif
