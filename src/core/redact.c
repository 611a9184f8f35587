#include "core/redact.h"

#include <stdio.h>
#include <string.h>

/* Fewer digits than this are not a number that names someone. */
enum { REDACT_RUN_MIN = 5, REDACT_SHOWN = 4 };

void redact_card(const char *card, char out[REDACT_CARD_LEN])
{
	size_t len = card ? strlen(card) : 0;
	if (len <= REDACT_SHOWN)
		snprintf(out, REDACT_CARD_LEN, "****");
	else
		snprintf(out, REDACT_CARD_LEN, "****%.4s", card + len - REDACT_SHOWN);
}

static size_t digit_run(const char *s)
{
	return strspn(s, "0123456789");
}

void redact_digits(const char *text, char *out, size_t len)
{
	if (!len)
		return;
	size_t n = 0;
	for (const char *c = text; *c;) {
		size_t run = digit_run(c);
		char shown[REDACT_CARD_LEN];
		const char *piece = c;
		size_t piece_len = run ? run : 1;
		if (run >= REDACT_RUN_MIN) {
			char digits[REDACT_SHOWN + 1];
			memcpy(digits, c + run - REDACT_SHOWN, REDACT_SHOWN);
			digits[REDACT_SHOWN] = '\0';
			snprintf(shown, sizeof shown, "****%s", digits);
			piece = shown;
			piece_len = strlen(shown);
		}
		if (n + piece_len >= len)
			break;
		memcpy(out + n, piece, piece_len);
		n += piece_len;
		c += run ? run : 1;
	}
	out[n] = '\0';
}
