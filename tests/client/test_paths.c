/* XDG base directories with their defaults, and directories made 0700. */
#include "client/paths.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int main(void)
{
	char tmp[] = "/tmp/balie-test-paths-XXXXXX";
	if (!mkdtemp(tmp)) {
		ok(false, "a temporary directory");
		return tap_done();
	}
	setenv("HOME", "/home/bea", 1);
	unsetenv("XDG_CONFIG_HOME");
	setenv("XDG_DATA_HOME", "", 1);
	setenv("XDG_STATE_HOME", "relative/state", 1);
	unsetenv("XDG_RUNTIME_DIR");
	char *s = paths_base_dup(PATHS_CONFIG);
	is_str(s, "/home/bea/.config", "XDG_CONFIG_HOME unset: ~/.config");
	free(s);
	s = paths_base_dup(PATHS_DATA);
	is_str(s, "/home/bea/.local/share", "XDG_DATA_HOME empty: ~/.local/share");
	free(s);
	s = paths_base_dup(PATHS_STATE);
	is_str(s, "/home/bea/.local/state", "a relative XDG_STATE_HOME is ignored");
	free(s);
	ok(paths_base_dup(PATHS_RUNTIME) == NULL, "no XDG_RUNTIME_DIR, no default");
	char *err = NULL;
	ok(paths_app_dir_dup(PATHS_RUNTIME, false, &err) == NULL && err, "and balie's runtime "
	   "directory is an error (%s)", err ? err : "");
	free(err);
	s = paths_expand_dup("~/keys");
	is_str(s, "/home/bea/keys", "~/ is the home directory");
	free(s);
	s = paths_expand_dup("~bea/keys");
	is_str(s, "~bea/keys", "~user is left alone");
	free(s);

	char *state = xasprintf("%s/a/b/state", tmp);
	setenv("XDG_STATE_HOME", state, 1);
	err = NULL;
	char *file = paths_app_file_dup(PATHS_STATE, "journal.db", true, &err);
	char *want = xasprintf("%s/balie/journal.db", state);
	is_str(file, want, "the journal's path under XDG_STATE_HOME");
	char *dir = xasprintf("%s/balie", state);
	struct stat st;
	ok(stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700,
	   "balie's directory and its parents were made 0700");
	ok(paths_mkdir_p(dir, 0700, &err), "an existing directory is fine");
	char *in_file = xasprintf("%s/balie/journal.db/x", state);
	FILE *f = fopen(want, "w");
	if (f)
		fclose(f);
	err = NULL;
	ok(!paths_mkdir_p(in_file, 0700, &err) && err, "a file in the way is an error (%s)",
	   err ? err : "");
	free(err);
	free(in_file);
	free(dir);
	free(want);
	free(file);
	free(state);
	char *cmd = xasprintf("rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		diag("could not remove %s", tmp);
	free(cmd);
	return tap_done();
}
