#include "core/luhn.h"

#include <string.h>

char luhn_digit(const char *s)
{
	size_t len = strlen(s);
	if (len == 0)
		return '\0';
	unsigned sum = 0;
	/* From the right, every other digit (starting with the last one, which
	 * will sit next to the check digit) is doubled. */
	for (size_t i = 0; i < len; i++) {
		char c = s[len - 1 - i];
		if (c < '0' || c > '9')
			return '\0';
		unsigned d = (unsigned)(c - '0');
		if (i % 2 == 0) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return (char)('0' + (10 - sum % 10) % 10);
}

bool luhn_valid(const char *s)
{
	size_t len = strlen(s);
	if (len < 2)
		return false;
	char body[64];
	if (len > sizeof body)
		return false;
	memcpy(body, s, len - 1);
	body[len - 1] = '\0';
	char want = luhn_digit(body);
	return want != '\0' && want == s[len - 1];
}
