/* balie, the desk: reads the command line, the configuration and the key
 * files (every error goes to stderr before the screen starts), starts the
 * private training service when there is no server, and runs the desk. */
#include "client/api.h"
#include "ui/app.h"
#include "ui/app_setup.h"
#include "build_config.h"
#include "client/config.h"
#include "core/i18n.h"
#include "ui/keys/keymap.h"
#include "core/log.h"
#include "client/paths.h"
#include "client/training.h"
#include "core/xalloc.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_USAGE = 2 };

struct options {
	const char *config;
	const char *server;
	const char *keys;
	bool training;
	bool print_keys;
};

static void usage(FILE *out)
{
	fprintf(out, _("Usage: %s [OPTION]...\n"), "balie");
	fputs(_("The circulation desk of a public library.\n\n"), out);
	fputs(_("  -c, --config FILE   read this balie.conf only\n"
		"  -s, --server URL    use the service at URL (https://..., unix:/path)\n"
		"  -t, --training      practise on a private training service\n"
		"  -k, --keys FILE     read key bindings from FILE as well\n"
		"      --keys          print the key bindings in effect and exit\n"
		"      --print-keys    the same, after reading --keys FILE\n"
		"  -V, --version       print the version and exit\n"
		"  -h, --help          print this help and exit\n"),
	      out);
	fputs(_("\nWith no server configured, balie starts its own training service.\n"
		"See balie(1), balie.conf(5) and balie-keys(5).\n"),
	      out);
}

static void main_gettext(void)
{
	setlocale(LC_ALL, "");
	const char *dir = getenv("BALIE_LOCALEDIR");
	bindtextdomain(GETTEXT_PACKAGE, dir && *dir ? dir : LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);
}

/* The language key of balie.conf wins over the locale's. */
static void main_language(enum config_language lang)
{
	if (lang == CONFIG_LANGUAGE_AUTO)
		return;
	setenv("LANGUAGE", lang == CONFIG_LANGUAGE_NL ? "nl" : "en", 1);
	/* gettext ignores LANGUAGE while LC_MESSAGES is the C locale. */
	const char *cur = setlocale(LC_MESSAGES, NULL);
	if (!cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0)
		setlocale(LC_MESSAGES, "C.UTF-8");
}

/* Returns -1 to go on, else the exit status. */
static int main_options(int argc, char **argv, struct options *o)
{
	enum { OPT_PRINT_KEYS = 256 };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "server", required_argument, NULL, 's' },
		{ "training", no_argument, NULL, 't' },
		{ "keys", optional_argument, NULL, 'k' },
		{ "print-keys", no_argument, NULL, OPT_PRINT_KEYS },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "c:s:tk:Vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 's':
			o->server = optarg;
			break;
		case 't':
			o->training = true;
			break;
		case 'k':
			/* "--keys FILE" as well as "--keys=FILE"; "--keys" alone prints. */
			if (!optarg && optind < argc && argv[optind][0] != '-')
				optarg = argv[optind++];
			if (optarg)
				o->keys = optarg;
			else
				o->print_keys = true;
			break;
		case OPT_PRINT_KEYS:
			o->print_keys = true;
			break;
		case 'V':
			printf("balie %s\n", BALIE_VERSION);
			return EXIT_SUCCESS;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		default:
			fprintf(stderr, _("Try \"%s --help\".\n"), "balie");
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, _("balie: unexpected argument \"%s\"\n"), argv[optind]);
		fprintf(stderr, _("Try \"%s --help\".\n"), "balie");
		return EXIT_USAGE;
	}
	return -1;
}

/* The defaults, the site file, the user's file (a missing one is fine unless
 * balie.conf named it) and --keys FILE, then the check for hidden actions. */
static struct keymap *main_keymap(const struct config *cfg, const char *keys_file, char **err)
{
	struct keymap *km = keymap_new_default(err);
	if (!km)
		return NULL;
	char *site = xasprintf("%s/balie/keys", SYSCONFDIR);
	char *user_default = paths_app_file_dup(PATHS_CONFIG, "keys", false, NULL);
	bool user_optional = !cfg->keys || (user_default && strcmp(cfg->keys, user_default) == 0);
	bool good = keymap_load_file(km, site, true, err) &&
		    (!cfg->keys || keymap_load_file(km, cfg->keys, user_optional, err)) &&
		    (!keys_file || keymap_load_file(km, keys_file, false, err)) &&
		    keymap_check(km, err);
	free(site);
	free(user_default);
	if (!good) {
		keymap_free(km);
		return NULL;
	}
	return km;
}

static int main_desk(const struct options *o, const struct config *cfg, const struct keymap *km)
{
	char *err = NULL;
	struct training *training = NULL;
	const char *url = o->server ? o->server : cfg->server;
	if (o->training || !url) {
		training = training_start(cfg->balied, &err);
		if (!training) {
			fprintf(stderr, "balie: %s\n", err);
			free(err);
			return EXIT_FAILURE;
		}
		url = training_url(training);
	}
	int status = EXIT_SUCCESS;
	struct api *api = api_new(url, cfg->ca_file, &err);
	if (!api) {
		fprintf(stderr, "balie: %s\n", err);
		status = EXIT_USAGE;
	} else {
		api_set_timeout_ms(api, cfg->request_timeout);
		const char *no_color = getenv("NO_COLOR");
		struct app_setup setup = {
			.cfg = cfg,
			.km = km,
			.api = api,
			.training = training != NULL,
			.colour = cfg->colour != CONFIG_COLOUR_NO && !no_color,
		};
		if (!app_run(&setup, &err)) {
			fprintf(stderr, "balie: %s\n", err);
			status = EXIT_FAILURE;
		}
		api_free(api);
	}
	free(err);
	if (training) {
		char *log = xstrdup(training_log_path(training));
		if (!training_stop(training))
			fprintf(stderr, _("balie: the training service did not stop cleanly; see %s\n"),
				log);
		free(log);
	}
	return status;
}

int main(int argc, char **argv)
{
	main_gettext();
	struct options o = { 0 };
	int status = main_options(argc, argv, &o);
	if (status >= 0)
		return status;

	char *err = NULL;
	struct config *cfg = config_new();
	if (!config_load(cfg, o.config, &err)) {
		fprintf(stderr, "balie: %s\n", err);
		free(err);
		config_free(cfg);
		return EXIT_USAGE;
	}
	main_language(cfg->language);
	struct keymap *km = main_keymap(cfg, o.keys, &err);
	if (!km) {
		fprintf(stderr, "balie: %s\n", err);
		free(err);
		config_free(cfg);
		return EXIT_USAGE;
	}
	if (o.print_keys) {
		keymap_print(km, stdout);
		status = EXIT_SUCCESS;
	} else {
		status = main_desk(&o, cfg, km);
	}
	keymap_free(km);
	config_free(cfg);
	return status;
}
