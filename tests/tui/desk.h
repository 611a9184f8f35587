/* The real desk in the harness: each tui test starts balie in a fresh home
 * (so it starts its own training balied), drives it, and stops it, checking
 * that nothing is left running. */
#ifndef BALIE_TUI_DESK_H
#define BALIE_TUI_DESK_H

#include "tuienv.h"
#include "vt.h"

#include <stdbool.h>

/* Deadlines: the first screen waits for a freshly seeded training service,
 * which is slow under the sanitizers; every later step is quick. */
#define DESK_START_MS 30000
#define DESK_STEP_MS 10000

struct desk_file {
	const char *path;    /* relative to the home, e.g. ".config/balie/keys" */
	const char *content;
};

struct desk_opts {
	const char *lang;               /* LANG and LC_ALL; NULL: C.UTF-8 */
	bool no_color;
	const struct desk_file *files;  /* written before the start; ends with {NULL, NULL} */
	const char *const *args;        /* balie's arguments, NULL-terminated, or NULL;
					 * a leading "~/" stands for the home */
	const char *const *extra_env;   /* more "NAME=value"; NULL-terminated, or NULL */
	int rows, cols;                 /* 0: 24x80 */
	long long fsize_limit;          /* > 0: balie's RLIMIT_FSIZE (vt_spawn) */
};

struct desk {
	char *home;
	char **envp;
	struct vt *vt; /* NULL when the start failed */
};

/* Makes the home, writes the files and starts balie in the pty. Returns
 * NULL, after a diagnostic saying why, when there is nothing to test.
 * (This file prints only "# " lines: the test program numbers the results.) */
struct desk *desk_start(const struct desk_opts *opts);

/* Runs balie with args to its end, without a terminal, in a fresh home with
 * the given files (for --keys, --help, and start-up errors). False when it
 * could not start or left a process behind. */
bool desk_run(const struct desk_opts *opts, struct tuienv_run *run);

/* Types user name, Tab, password, Enter into the login form (the cursor
 * starts in the user-name field). */
bool desk_type_login(struct desk *d, const char *user, const char *password);

/* Stops balie (SIGTERM unless it has exited), removes the home and frees d.
 * Returns true when balie gave the terminal back (main screen, cursor
 * visible), exited with status 0 (not by a signal; under the
 * sanitizers also: no report) and left no process behind; false, after
 * saying why, otherwise. */
bool desk_stop(struct desk *d);
/* desk_stop for an expected exit status; -1: any exit (not a signal). */
bool desk_finish(struct desk *d, int want_exit);

/* True when the locale exists; otherwise says how to make it. The test
 * then fails (a Dutch test must not pass by skipping). */
bool desk_need_locale(const char *name);

#endif
