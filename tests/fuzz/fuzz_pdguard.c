/* The personal-data guard of the IDO note, on any text: the same answer each
 * time, a kind with a wire name that maps back to it. */
#include "fuzz.h"
#include "core/pdguard.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	enum pdguard_kind kind = pdguard_check(text);
	if (pdguard_check(text) != kind)
		abort();
	const char *name = pdguard_kind_name(kind);
	if ((kind == PDGUARD_NONE) != (name == NULL))
		abort();
	if (name && pdguard_kind_from_name(name) != kind)
		abort();
	free(text);
	return 0;
}
