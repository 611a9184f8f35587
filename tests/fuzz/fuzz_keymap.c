/* The key bindings file (balie-keys(5)) over the built-in defaults, as balie
 * reads ~/.config/balie/keys: errors name the file, and whatever loads can
 * be checked, printed and looked up. */
#include "fuzz.h"
#include "ui/keys/keymap.h"

#include <stdio.h>
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
	char *err = NULL;
	struct keymap *km = keymap_new_default(&err);
	if (!km)
		abort(); /* the built-in defaults always load */
	bool ok = keymap_load_text(km, "keys", text, &err);
	if (ok != (err == NULL) || (err && strncmp(err, "keys", 4) != 0))
		abort();
	free(err);
	err = NULL;
	if (ok) {
		(void)keymap_check(km, &err);
		free(err);
		FILE *out = fopen("/dev/null", "w");
		if (out) {
			keymap_print(km, out);
			fclose(out);
		}
	}
	keymap_free(km);
	free(text);
	return 0;
}
