#include "client/config.h"

#include "client/api_url.h"
#include "build_config.h"
#include "core/conffile.h"
#include "core/i18n.h"
#include "client/paths.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { CONFIG_NAME_MAX = 64 };

static char *default_terminal_dup(void)
{
	char host[256];
	if (gethostname(host, sizeof host) != 0 || host[0] == '\0')
		return xstrdup("balie");
	host[sizeof host - 1] = '\0';
	char *dot = strchr(host, '.');
	if (dot && dot != host)
		*dot = '\0'; /* the short name is what the desk shows */
	return xstrdup(host);
}

struct config *config_new(void)
{
	struct config *cfg = xcalloc(1, sizeof *cfg);
	cfg->terminal = default_terminal_dup();
	cfg->language = CONFIG_LANGUAGE_AUTO;
	cfg->keys = paths_app_file_dup(PATHS_CONFIG, "keys", false, NULL);
	cfg->journal = paths_app_file_dup(PATHS_STATE, "journal.db", false, NULL);
	cfg->print_charset = xstrdup("CP858");
	cfg->print_width = CONFIG_DEFAULT_PRINT_WIDTH;
	cfg->idle_lock = CONFIG_DEFAULT_IDLE_LOCK;
	cfg->bell = true;
	cfg->colour = CONFIG_COLOUR_AUTO;
	cfg->request_timeout = CONFIG_DEFAULT_REQUEST_TIMEOUT;
	return cfg;
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	free(cfg->server);
	free(cfg->ca_file);
	free(cfg->branch);
	free(cfg->terminal);
	free(cfg->keys);
	free(cfg->journal);
	free(cfg->print_command);
	free(cfg->print_charset);
	free(cfg->balied);
	free(cfg);
}

/* Letters, digits, '.', '_' and '-', 1 to 64 of them: safe in a header,
 * a log line and a file name. */
static bool is_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > CONFIG_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

static bool set_server(struct config *cfg, const char *value, char **reason)
{
	if (*value == '\0') {
		xstrset(&cfg->server, NULL); /* explicitly back to training */
		return true;
	}
	struct api_url urls[API_URL_MAX];
	size_t n = 0;
	char *err = NULL;
	if (!api_url_list_parse(value, urls, &n, &err)) {
		*reason = xasprintf(_("server \"%s\": %s"), value, err);
		free(err);
		return false;
	}
	while (n > 0)
		api_url_clear(&urls[--n]);
	xstrset(&cfg->server, value);
	return true;
}

static bool set_path(char **slot, const char *value, bool must_exist, char **reason)
{
	if (*value == '\0') {
		*reason = xstrdup(_("the path is empty"));
		return false;
	}
	char *path = paths_expand_dup(value);
	if (must_exist && access(path, R_OK) != 0) {
		*reason = xasprintf(_("%s cannot be read: %s"), path, strerror(errno));
		free(path);
		return false;
	}
	free(*slot);
	*slot = path;
	return true;
}

static bool set_name(char **slot, const char *key, const char *value, char **reason)
{
	if (!is_name(value)) {
		*reason = xasprintf(_("%s \"%s\" may hold only letters, digits, '.', '_' and '-' (at most 64)"),
				    key, value);
		return false;
	}
	xstrset(slot, value);
	return true;
}

static bool set_charset(struct config *cfg, const char *value, char **reason)
{
	iconv_t cd = *value ? iconv_open(value, "UTF-8") : (iconv_t)-1;
	if (cd == (iconv_t)-1) {
		*reason = xasprintf(_("\"%s\" is not a character set this system can convert to"), value);
		return false;
	}
	iconv_close(cd);
	xstrset(&cfg->print_charset, value);
	return true;
}

static bool set_choice(const char *value, const char *const *names, size_t n, int *out,
		       char **reason)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(value, names[i]) == 0) {
			*out = (int)i;
			return true;
		}
	}
	char *list = xstrdup(names[0]);
	for (size_t i = 1; i < n; i++) {
		char *longer = xasprintf("%s, %s", list, names[i]);
		free(list);
		list = longer;
	}
	*reason = xasprintf(_("\"%s\" is not one of: %s"), value, list);
	free(list);
	return false;
}

static bool set_uint(unsigned *slot, const char *value, unsigned long min, unsigned long max,
		     char **reason)
{
	unsigned long n;
	if (!conffile_uint(value, min, max, &n, reason))
		return false;
	*slot = (unsigned)n;
	return true;
}

static bool on_setting(void *ctx, const char *key, const char *value, char **reason)
{
	static const char *const languages[] = { "auto", "nl", "en" };
	static const char *const colours[] = { "auto", "yes", "no" };
	struct config *cfg = ctx;
	int choice;
	unsigned timeout;
	if (strcmp(key, "server") == 0)
		return set_server(cfg, value, reason);
	if (strcmp(key, "ca_file") == 0)
		return set_path(&cfg->ca_file, value, true, reason);
	if (strcmp(key, "branch") == 0)
		return set_name(&cfg->branch, key, value, reason);
	if (strcmp(key, "terminal") == 0)
		return set_name(&cfg->terminal, key, value, reason);
	if (strcmp(key, "language") == 0) {
		if (!set_choice(value, languages, 3, &choice, reason))
			return false;
		cfg->language = (enum config_language)choice;
		return true;
	}
	if (strcmp(key, "keys") == 0)
		return set_path(&cfg->keys, value, false, reason);
	if (strcmp(key, "journal") == 0)
		return set_path(&cfg->journal, value, false, reason);
	if (strcmp(key, "print_command") == 0) {
		xstrset(&cfg->print_command, *value ? value : NULL);
		return true;
	}
	if (strcmp(key, "print_charset") == 0)
		return set_charset(cfg, value, reason);
	if (strcmp(key, "print_width") == 0)
		return set_uint(&cfg->print_width, value, 24, 80, reason);
	if (strcmp(key, "idle_lock") == 0)
		return set_uint(&cfg->idle_lock, value, 0, 86400, reason);
	if (strcmp(key, "bell") == 0)
		return conffile_bool(value, &cfg->bell, reason);
	if (strcmp(key, "colour") == 0 || strcmp(key, "color") == 0) {
		if (!set_choice(value, colours, 3, &choice, reason))
			return false;
		cfg->colour = (enum config_colour)choice;
		return true;
	}
	if (strcmp(key, "balied") == 0)
		return set_path(&cfg->balied, value, false, reason);
	if (strcmp(key, "request_timeout") == 0) {
		if (!set_uint(&timeout, value, 100, 120000, reason))
			return false;
		cfg->request_timeout = (long)timeout;
		return true;
	}
	*reason = xasprintf(_("unknown setting \"%s\""), key);
	return false;
}

bool config_load_file(struct config *cfg, const char *path, char **err)
{
	return conffile_parse(path, on_setting, cfg, err);
}

bool config_load_text(struct config *cfg, const char *name, const char *text, char **err)
{
	return conffile_parse_text(name, text, on_setting, cfg, err);
}

char *config_site_path_dup(void)
{
	return xstrdup(SYSCONFDIR "/balie/balie.conf");
}

char *config_user_path_dup(void)
{
	return paths_app_file_dup(PATHS_CONFIG, "balie.conf", false, NULL);
}

bool config_load_layers(struct config *cfg, const char *const *paths, size_t n, char **err)
{
	for (size_t i = 0; i < n; i++) {
		/* A default file that is not there is fine; any other trouble is not. */
		if (access(paths[i], F_OK) != 0 && errno == ENOENT)
			continue;
		if (!config_load_file(cfg, paths[i], err))
			return false;
	}
	return true;
}

bool config_load(struct config *cfg, const char *explicit_path, char **err)
{
	if (explicit_path)
		return config_load_file(cfg, explicit_path, err);
	char *site = config_site_path_dup();
	char *user = config_user_path_dup();
	const char *const paths[] = { site, user };
	bool ok = config_load_layers(cfg, paths, 2, err);
	free(site);
	free(user);
	return ok;
}
