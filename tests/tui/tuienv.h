/* The fixed world a tui test runs the desk in: a fresh temporary HOME with
 * its XDG directories, a fixed environment (TERM, TZ, locale, paths of the
 * built programs and the catalogue), a way to run a program to its end with
 * its output captured, and a check that no balie or balied is left behind. */
#ifndef BALIE_TUI_TUIENV_H
#define BALIE_TUI_TUIENV_H

#include <stdbool.h>
#include <stddef.h>

/* The built programs and the catalogue directory, from the variables meson
 * sets for the test (BALIE, BALIED, BALIE_LOCALEDIR); NULL when unset. */
const char *tuienv_balie(void);
const char *tuienv_balied(void);
const char *tuienv_localedir(void);

/* Creates a fresh home: DIR/home with .config, .local/share, .local/state
 * and run (0700). Returns its path (allocated) or NULL with *err. */
char *tuienv_home_new(char **err);
/* Removes the home and everything in it. */
void tuienv_home_remove(const char *home);
/* Writes content to home/relpath (parents made), 0600. */
bool tuienv_write(const char *home, const char *relpath, const char *content, char **err);

struct tuienv_opts {
	const char *home;
	const char *lang;               /* LANG and LC_ALL, e.g. "nl_NL.UTF-8" */
	bool no_color;                  /* set NO_COLOR=1 */
	const char *const *extra;       /* more "NAME=value" entries, NULL-terminated, or NULL */
};

/* The complete environment for the program; NULL-terminated, allocated. */
char **tuienv_envp_new(const struct tuienv_opts *opts);
void tuienv_envp_free(char **envp);

/* True when the locale can be set here (e.g. nl_NL.UTF-8 generated). */
bool tuienv_locale_exists(const char *name);

struct tuienv_run {
	char *out, *err; /* what the program wrote to stdout and stderr */
	int status;      /* waitpid status; -1 when it did not end in time */
};

/* Runs argv (argv[0] a path) with envp, stdin /dev/null, no terminal, to its
 * end or deadline_ms (then SIGKILL). Returns false when it could not start. */
bool tuienv_run(const char *const *argv, char *const *envp, int deadline_ms,
		struct tuienv_run *run);
void tuienv_run_free(struct tuienv_run *run);

/* Processes other than ours that run with this home (in their environment
 * or on their command line): stray desks or services. Waits up to
 * deadline_ms for them to end; those still there are printed as TAP
 * diagnostics and killed. Returns how many were left. */
int tuienv_strays(const char *home, int deadline_ms);

#endif
