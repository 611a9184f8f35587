/* jsonx_parse and the typed getters: any bytes, with the length, as every
 * caller uses them. What parses must print and parse again the same. */
#include "fuzz.h"
#include "core/jsonx.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	return 0;
}

static void walk(const cJSON *item, int depth)
{
	for (; item; item = item->next) {
		if (depth > JSONX_MAX_DEPTH + 1)
			abort(); /* the depth limit did not hold */
		if (item->string) {
			long long n;
			bool b;
			(void)jsonx_string(item, item->string);
			(void)jsonx_int(item, item->string, &n);
			(void)jsonx_bool(item, item->string, &b);
			(void)jsonx_array(item, item->string);
			(void)jsonx_object(item, item->string);
		}
		walk(item->child, depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *err = NULL;
	cJSON *json = jsonx_parse((const char *)data, size, &err);
	if (!json) {
		if (!err)
			abort(); /* a failure always says why */
		free(err);
		return 0;
	}
	walk(json, 0);
	long long n;
	bool b;
	(void)jsonx_string(json, "code");
	(void)jsonx_int(json, "fine_cents", &n);
	(void)jsonx_bool(json, "overridable", &b);
	char *text = jsonx_print_dup(json);
	cJSON *again = jsonx_parse(text, strlen(text), NULL);
	if (!again)
		abort(); /* our own output must parse */
	cJSON_Delete(again);
	free(text);
	cJSON_Delete(json);
	return 0;
}
