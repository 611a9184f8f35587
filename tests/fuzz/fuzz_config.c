/* The "key = value" files: balie.conf (config_load_text), balied.conf
 * (settings_set through conffile_parse_text, as settings_read_file does) and
 * the rules file (rules_read_text). The first byte picks the file; a failure
 * must name the file and a reason. */
#include "core/conffile.h"
#include "client/config.h"
#include "fuzz.h"
#include "service/domain/rules.h"
#include "service/settings.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	return 0;
}

static bool settings_line(void *ctx, const char *key, const char *value, char **reason)
{
	return settings_set(ctx, key, value, reason);
}

static void check_error(bool ok, char *err, const char *name)
{
	if (ok != (err == NULL))
		abort(); /* an error exactly when it failed */
	if (err && strncmp(err, name, strlen(name)) != 0)
		abort(); /* an error names the file */
	free(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *text = malloc(size);
	if (!text)
		abort();
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	char *err = NULL;
	bool ok;
	switch (data[0] % 3) {
	case 0: {
		struct config *cfg = config_new();
		ok = config_load_text(cfg, "balie.conf", text, &err);
		check_error(ok, err, "balie.conf");
		config_free(cfg);
		break;
	}
	case 1: {
		struct settings s;
		settings_init(&s);
		ok = conffile_parse_text("balied.conf", text, settings_line, &s, &err);
		check_error(ok, err, "balied.conf");
		settings_clear(&s);
		break;
	}
	default: {
		struct rules r;
		rules_init(&r);
		ok = rules_read_text(&r, "rules.conf", text, &err);
		check_error(ok, err, "rules.conf");
		break;
	}
	}
	free(text);
	return 0;
}
