#include "client/paths.h"

#include "core/i18n.h"
#include "core/xalloc.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *variable;
	const char *fallback; /* below HOME; NULL when there is none */
} paths_table[] = {
	[PATHS_CONFIG] = { "XDG_CONFIG_HOME", ".config" },
	[PATHS_DATA] = { "XDG_DATA_HOME", ".local/share" },
	[PATHS_STATE] = { "XDG_STATE_HOME", ".local/state" },
	[PATHS_RUNTIME] = { "XDG_RUNTIME_DIR", NULL },
};

char *paths_home_dup(void)
{
	const char *home = getenv("HOME");
	if (home && home[0] == '/')
		return xstrdup(home);
	struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_dir && pw->pw_dir[0] == '/')
		return xstrdup(pw->pw_dir);
	return xstrdup("/");
}

char *paths_base_dup(enum paths_kind kind)
{
	const char *value = getenv(paths_table[kind].variable);
	if (value && value[0] == '/')
		return xstrdup(value);
	if (!paths_table[kind].fallback)
		return NULL;
	char *home = paths_home_dup();
	char *dir = xasprintf("%s/%s", strcmp(home, "/") == 0 ? "" : home,
			      paths_table[kind].fallback);
	free(home);
	return dir;
}

bool paths_mkdir_p(const char *path, mode_t mode, char **err)
{
	char *copy = xstrdup(path);
	bool ok = true;
	for (char *p = copy + 1; ok; p++) {
		bool end = *p == '\0';
		if (*p != '/' && !end)
			continue;
		*p = '\0';
		struct stat st;
		if (mkdir(copy, mode) != 0 && errno != EEXIST) {
			*err = xasprintf(_("cannot create the directory %s: %s"), copy, strerror(errno));
			ok = false;
		} else if (stat(copy, &st) != 0 || !S_ISDIR(st.st_mode)) {
			*err = xasprintf(_("%s is not a directory"), copy);
			ok = false;
		}
		if (end)
			break;
		*p = '/';
	}
	free(copy);
	return ok;
}

char *paths_app_dir_dup(enum paths_kind kind, bool create, char **err)
{
	char *base = paths_base_dup(kind);
	if (!base) {
		*err = xasprintf(_("%s is not set"), paths_table[kind].variable);
		return NULL;
	}
	char *dir = xasprintf("%s/balie", base);
	free(base);
	if (create && !paths_mkdir_p(dir, 0700, err)) {
		free(dir);
		return NULL;
	}
	return dir;
}

char *paths_app_file_dup(enum paths_kind kind, const char *name, bool create, char **err)
{
	char *dir = paths_app_dir_dup(kind, create, err);
	if (!dir)
		return NULL;
	char *file = xasprintf("%s/%s", dir, name);
	free(dir);
	return file;
}

char *paths_expand_dup(const char *path)
{
	if (path[0] != '~' || (path[1] != '/' && path[1] != '\0'))
		return xstrdup(path);
	char *home = paths_home_dup();
	char *out = xasprintf("%s%s", strcmp(home, "/") == 0 ? "" : home, path + 1);
	free(home);
	return out;
}

/* The value of XDG_DOWNLOAD_DIR in a user-dirs.dirs line ("$HOME/Downloads"
 * or an absolute path, in double quotes), or NULL. Allocated. */
static char *paths_user_dirs_value_dup(const char *line)
{
	static const char key[] = "XDG_DOWNLOAD_DIR=\"";
	if (strncmp(line, key, sizeof key - 1) != 0)
		return NULL;
	const char *v = line + sizeof key - 1;
	const char *end = strchr(v, '"');
	if (!end)
		return NULL;
	int len = (int)(end - v);
	if (strncmp(v, "$HOME/", 6) == 0) {
		char *home = paths_home_dup();
		char *dir = xasprintf("%s/%.*s", strcmp(home, "/") == 0 ? "" : home, len - 6, v + 6);
		free(home);
		return dir;
	}
	return v[0] == '/' ? xasprintf("%.*s", len, v) : NULL;
}

/* XDG_DOWNLOAD_DIR from $XDG_CONFIG_HOME/user-dirs.dirs, or NULL. */
static char *paths_user_dirs_download_dup(void)
{
	char *config = paths_base_dup(PATHS_CONFIG);
	char *file = xasprintf("%s/user-dirs.dirs", config);
	free(config);
	FILE *f = fopen(file, "re");
	free(file);
	if (!f)
		return NULL;
	char line[4096];
	char *dir = NULL;
	while (!dir && fgets(line, sizeof line, f))
		dir = paths_user_dirs_value_dup(line);
	fclose(f);
	return dir;
}

static bool paths_is_dir(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *paths_download_dir_dup(void)
{
	const char *env = getenv("XDG_DOWNLOAD_DIR");
	if (env && env[0] == '/' && paths_is_dir(env))
		return xstrdup(env);
	char *dir = paths_user_dirs_download_dup();
	if (paths_is_dir(dir))
		return dir;
	free(dir);
	return paths_home_dup();
}
