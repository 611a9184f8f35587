/* The desk's event loop (ui/app.c) and its traffic with the service
 * (ui/app_session.c) do not include each other: no desk module but app.c
 * and main.c reaches the loop's header ui/app.h, through any chain of the
 * tree's own includes; what they share is app_setup.h and app_state.h. */
#include "tap.h"
#include "core/xalloc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { INCLUDES_MAX = 512 };

static const char *root;
static char *seen[INCLUDES_MAX];
static size_t n_seen;

/* The file a rooted include names ("ui/app.h", "core/date.h"), allocated;
 * NULL when it is not the tree's (a system or a generated header). */
static char *includes_resolve(const char *name)
{
	const char *bases[] = { "", "src/" };
	for (size_t i = 0; i < 2; i++) {
		char *path = xasprintf("%s/%s%s", root, bases[i], name);
		FILE *f = fopen(path, "r");
		if (f) {
			fclose(f);
			return path;
		}
		free(path);
	}
	return NULL;
}

static bool includes_seen(const char *path)
{
	for (size_t i = 0; i < n_seen; i++)
		if (strcmp(seen[i], path) == 0)
			return true;
	if (n_seen < INCLUDES_MAX)
		seen[n_seen++] = xstrdup(path);
	return false;
}

static void includes_forget(void)
{
	for (size_t i = 0; i < n_seen; i++)
		free(seen[i]);
	n_seen = 0;
}

/* True when path, or a file it includes (to any depth), includes target. */
static bool includes_reach(const char *path, const char *target)
{
	if (includes_seen(path))
		return false;
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	char line[1024];
	bool found = false;
	while (!found && fgets(line, sizeof line, f)) {
		char name[512];
		if (sscanf(line, " #include \"%511[^\"]\"", name) != 1)
			continue;
		if (strcmp(name, target) == 0) {
			found = true;
			break;
		}
		char *next = includes_resolve(name);
		if (next)
			found = includes_reach(next, target);
		free(next);
	}
	fclose(f);
	return found;
}

/* Checks every .c file in dir (below the root) but the loop's own. */
static void includes_check_dir(const char *dir, char *offenders, size_t size)
{
	char *path = xasprintf("%s/%s", root, dir);
	DIR *d = opendir(path);
	free(path);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 3 || strcmp(e->d_name + len - 2, ".c") != 0)
			continue;
		char *rel = xasprintf("%s/%s", dir, e->d_name);
		if (strcmp(rel, "ui/app.c") != 0 && strcmp(rel, "ui/main.c") != 0) {
			char *file = xasprintf("%s/%s", root, rel);
			includes_forget();
			if (includes_reach(file, "ui/app.h") && strlen(offenders) + len + 8 < size) {
				strcat(offenders, " ");
				strcat(offenders, rel);
			}
			free(file);
		}
		free(rel);
	}
	closedir(d);
}

int main(void)
{
	root = getenv("BALIE_SOURCE_ROOT");
	if (!ok(root != NULL, "BALIE_SOURCE_ROOT is set"))
		return tap_done();
	char *session = xasprintf("%s/ui/app_session.c", root);
	ok(!includes_reach(session, "ui/app.h"),
	   "ui/app_session.c does not reach the event loop's header ui/app.h");
	includes_forget();
	free(session);
	char offenders[4096] = "";
	const char *dirs[] = { "ui", "ui/screens", "ui/widgets", "ui/keys" };
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		includes_check_dir(dirs[i], offenders, sizeof offenders);
	ok(offenders[0] == '\0', "no desk module but app.c and main.c reaches ui/app.h:%s",
	   offenders[0] ? offenders : " none does");
	includes_forget();
	return tap_done();
}
