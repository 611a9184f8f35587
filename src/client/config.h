/* balie.conf (DESIGN.md section 4, man/balie.conf.5): the desk's settings,
 * with defaults, read from --config or from the site file and then the
 * user's file, the later overriding the earlier. */
#ifndef BALIE_CONFIG_H
#define BALIE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum config_language { CONFIG_LANGUAGE_AUTO, CONFIG_LANGUAGE_NL, CONFIG_LANGUAGE_EN };
enum config_colour { CONFIG_COLOUR_AUTO, CONFIG_COLOUR_YES, CONFIG_COLOUR_NO };

enum {
	CONFIG_DEFAULT_PRINT_WIDTH = 42,
	CONFIG_DEFAULT_IDLE_LOCK = 300,
	CONFIG_DEFAULT_REQUEST_TIMEOUT = 5000,
};

struct config {
	char *server;        /* NULL: a private training service */
	char *ca_file;       /* NULL: the system's certificate authorities */
	char *branch;        /* preselected at login, or NULL */
	char *terminal;      /* this desk's name; default the host name */
	enum config_language language;
	char *keys;          /* the user's key file; default $XDG_CONFIG_HOME/balie/keys */
	char *journal;       /* default $XDG_STATE_HOME/balie/journal.db */
	char *print_command; /* NULL: no receipts */
	char *print_charset; /* default CP858 */
	unsigned print_width;   /* characters a line, 24-80 */
	unsigned idle_lock;     /* seconds without input before the desk locks; 0 never */
	bool bell;
	enum config_colour colour;
	char *balied;        /* the balied program for training, or NULL to search */
	long request_timeout; /* milliseconds */
};

/* Returns a new config holding the defaults; free with config_free. */
struct config *config_new(void);
void config_free(struct config *cfg);

/*
 * Applies the settings of the file at path (or of text, named name in
 * errors) on top of cfg. On failure returns false and sets *err (allocated)
 * to "FILE:LINE: reason"; the settings before the bad line stay applied.
 */
bool config_load_file(struct config *cfg, const char *path, char **err);
bool config_load_text(struct config *cfg, const char *name, const char *text, char **err);

/*
 * Loads the configuration: only explicit_path when it is not NULL (it must
 * exist), else SYSCONFDIR/balie/balie.conf and then
 * $XDG_CONFIG_HOME/balie/balie.conf, each skipped when it does not exist.
 */
bool config_load(struct config *cfg, const char *explicit_path, char **err);

/* Applies the files at paths[0..n) in order, skipping those that do not
 * exist; config_load uses it for the site file and the user's file. */
bool config_load_layers(struct config *cfg, const char *const *paths, size_t n, char **err);

/* The site file's path, newly allocated. */
char *config_site_path_dup(void);
/* The user's file's path, newly allocated. */
char *config_user_path_dup(void);

#endif
