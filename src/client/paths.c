#include "paths.h"

#include "i18n.h"
#include "xalloc.h"

#include <errno.h>
#include <pwd.h>
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
