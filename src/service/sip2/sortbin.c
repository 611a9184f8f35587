#include "service/sip2/sortbin.h"

#include "core/conffile.h"
#include "core/i18n.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SORTBIN_MAX = 128, SORTBIN_LEN = 8 };

struct sortbin {
	char *key;  /* "shelve", "hold_shelf", "transit", "transit_NRD" */
	char *bin;
};

struct sip2_sortbins {
	struct sortbin rows[SORTBIN_MAX];
	size_t n;
};

/* A bin: 1 to 8 printable ASCII characters but '|'. */
static bool bin_ok(const char *bin)
{
	size_t n = strlen(bin);
	if (n == 0 || n > SORTBIN_LEN)
		return false;
	for (; *bin; bin++)
		if (*bin < 0x21 || *bin > 0x7e || *bin == '|')
			return false;
	return true;
}

static bool key_ok(const char *key)
{
	return strcmp(key, "shelve") == 0 || strcmp(key, "hold_shelf") == 0 ||
	       strcmp(key, "transit") == 0 || (strncmp(key, "transit_", 8) == 0 && key[8]);
}

static bool sortbin_line(void *ctx, const char *key, const char *value, char **reason)
{
	struct sip2_sortbins *bins = ctx;
	if (!key_ok(key)) {
		*reason = xasprintf(_("\"%s\" is not shelve, hold_shelf, transit or transit_BRANCH"),
				    key);
		return false;
	}
	if (!bin_ok(value)) {
		*reason = xasprintf(_("\"%s\" is not a sort bin (1 to 8 characters, no '|')"), value);
		return false;
	}
	if (bins->n == SORTBIN_MAX) {
		*reason = xasprintf(_("more than %d sort bins"), SORTBIN_MAX);
		return false;
	}
	bins->rows[bins->n].key = xstrdup(key);
	bins->rows[bins->n].bin = xstrdup(value);
	bins->n++;
	return true;
}

struct sip2_sortbins *sip2_sortbins_read(const char *path, char **err)
{
	struct sip2_sortbins *bins = xcalloc(1, sizeof *bins);
	if (path && !conffile_parse(path, sortbin_line, bins, err)) {
		sip2_sortbins_free(bins);
		return NULL;
	}
	return bins;
}

void sip2_sortbins_free(struct sip2_sortbins *bins)
{
	if (!bins)
		return;
	for (size_t i = 0; i < bins->n; i++) {
		free(bins->rows[i].key);
		free(bins->rows[i].bin);
	}
	free(bins);
}

/* The last line of key wins, as in every settings file. */
static const char *lookup(const struct sip2_sortbins *bins, const char *key)
{
	const char *bin = NULL;
	for (size_t i = 0; i < bins->n; i++)
		if (strcmp(bins->rows[i].key, key) == 0)
			bin = bins->rows[i].bin;
	return bin;
}

const char *sip2_sortbin_for(const struct sip2_sortbins *bins, enum circ_route_action route,
			     const char *branch)
{
	if (route == CIRC_ROUTE_SHELVE)
		return lookup(bins, "shelve");
	if (route == CIRC_ROUTE_HOLD_SHELF)
		return lookup(bins, "hold_shelf");
	char key[64];
	snprintf(key, sizeof key, "transit_%s", branch ? branch : "");
	const char *bin = lookup(bins, key);
	return bin ? bin : lookup(bins, "transit");
}
