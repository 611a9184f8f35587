/* The sanitiser: whatever comes in, what comes out is clean by its own test,
 * valid UTF-8 and free of controls and bidi overrides; and cleaning twice
 * changes nothing. */
#include "fuzz.h"
#include "core/sanitize.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	return 0;
}

static void check_clean(const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		unsigned cp = 0;
		size_t bad = 0;
		size_t n = utf8_decode((const unsigned char *)s + i, len - i, &cp, &bad);
		if (n == 0)
			abort(); /* invalid UTF-8 left in */
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061c)
			abort(); /* a control or bidi override left in */
		i += n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *clean = sanitize_dup((const char *)data, size);
	if (!sanitize_is_clean(clean))
		abort();
	check_clean(clean);
	char *twice = sanitize_dup(clean, strlen(clean));
	if (strcmp(clean, twice) != 0)
		abort();
	free(twice);
	free(clean);

	/* sanitize_is_clean on the raw text, when it is a C string. */
	char *copy = malloc(size + 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	copy[size] = '\0';
	if (sanitize_is_clean(copy) && strlen(copy) == size) {
		char *same = sanitize_dup(copy, size);
		if (strcmp(same, copy) != 0)
			abort(); /* called clean, yet changed */
		free(same);
	}
	free(copy);
	return 0;
}
