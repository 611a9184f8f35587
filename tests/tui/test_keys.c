/* Key bindings seen from outside: F1, Esc then 1 and ^G open the help
 * screen; a user keys file rebinds help and the help screen and the
 * function-key line follow it; balie --keys prints the bindings; a bad keys
 * file stops balie with the file and the line. */
#include "desk.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define HELP_TITLE "Key bindings:"
#define HELP_TEXT "Show the key bindings of this screen"

/* Opens help with keys (bytes; then more, in a second write, when not
 * NULL), checks it, and leaves it with q. */
static void help_opens_with(struct desk *d, const char *what, const char *keys, const char *more)
{
	bool sent = vt_send(d->vt, keys) && (!more || vt_send(d->vt, more));
	ok(sent && vt_wait_text(d->vt, HELP_TITLE, DESK_STEP_MS), "%s opens the help screen", what);
	ok(vt_wait_text(d->vt, HELP_TEXT, DESK_STEP_MS), "help lists the help action");
	vt_send(d->vt, "q");
	ok(vt_wait_gone(d->vt, HELP_TITLE, DESK_STEP_MS) && vt_wait_text(d->vt, "Password", DESK_STEP_MS),
	   "q goes back to the login screen");
}

static void test_default_keys(void)
{
	struct desk *d = desk_start(&(struct desk_opts){0});
	if (!ok(d != NULL, "balie starts"))
		return;
	if (ok(vt_wait_text(d->vt, "Password", DESK_START_MS), "the login screen comes up")) {
		int row = -1;
		bool shown = vt_wait_text(d->vt, "F1 Help", DESK_STEP_MS) &&
			     vt_find(d->vt, "F1 Help", &row, NULL);
		ok(shown && row == 23, "the bottom line offers F1 Help (row %d)", row);
		ok(vt_key(d->vt, "F1") && vt_wait_text(d->vt, HELP_TITLE, DESK_STEP_MS),
		   "F1 opens the help screen");
		ok(vt_wait_text(d->vt, HELP_TEXT, DESK_STEP_MS) && vt_find(d->vt, HELP_TEXT, &row, NULL),
		   "help lists the help action");
		char *line = vt_row_dup(d->vt, row);
		ok(strstr(line, "F1") && strstr(line, "Esc-1") && strstr(line, "^G"),
		   "with its keys F1, Esc-1 and ^G: %s", line);
		free(line);
		ok(vt_wait_text(d->vt, "Repaint the whole screen", DESK_STEP_MS),
		   "help lists a global action (redraw)");
		ok(vt_key(d->vt, "F1") && vt_wait_gone(d->vt, HELP_TITLE, DESK_STEP_MS),
		   "F1 on the help screen goes back");
		help_opens_with(d, "Esc then 1 (one write)", "\x1b" "1", NULL);
		help_opens_with(d, "Esc then 1 (two writes)", "\x1b", "1");
		help_opens_with(d, "^G", "\x07", NULL);
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

static void test_user_keys(void)
{
	static const struct desk_file files[] = {
		{".config/balie/keys",
		 "# help moves from F1 to F2\n"
		 "unbind global F1\n"
		 "bind global F2 help\n"},
		{NULL, NULL},
	};
	struct desk *d = desk_start(&(struct desk_opts){.files = files});
	if (!ok(d != NULL, "balie starts with a user keys file"))
		return;
	if (ok(vt_wait_text(d->vt, "Password", DESK_START_MS), "the login screen comes up")) {
		ok(vt_wait_row(d->vt, 23, "F2 Help", DESK_STEP_MS), "the bottom line offers F2 Help");
		char *bottom = vt_row_dup(d->vt, 23);
		ok(!strstr(bottom, "F1 "), "and no F1: %s", bottom);
		free(bottom);
		/* F1 must now do nothing: a key typed after it lands in the
		 * user-name field, and no help screen came in between. */
		int row = -1;
		vt_find(d->vt, "User name", &row, NULL);
		vt_key(d->vt, "F1");
		vt_send(d->vt, "z");
		ok(row >= 0 && vt_wait_row(d->vt, row, "z", DESK_STEP_MS),
		   "a key after F1 reaches the user-name field");
		ok(!vt_find(d->vt, HELP_TITLE, NULL, NULL), "F1 no longer opens help");
		ok(vt_key(d->vt, "F2") && vt_wait_text(d->vt, HELP_TITLE, DESK_STEP_MS),
		   "F2 opens the help screen");
		int hrow = -1;
		ok(vt_wait_text(d->vt, HELP_TEXT, DESK_STEP_MS) &&
			   vt_find(d->vt, HELP_TEXT, &hrow, NULL),
		   "help lists the help action");
		char *line = vt_row_dup(d->vt, hrow);
		ok(strstr(line, "F2") && !strstr(line, "F1"), "help shows F2, not F1, for it: %s",
		   line);
		free(line);
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static void test_print_keys(void)
{
	static const char *const args[] = {"--keys", NULL};
	struct tuienv_run run;
	ok(desk_run(&(struct desk_opts){.args = args}, &run), "balie --keys runs");
	ok(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 0, "and exits with 0 (status %d)",
	   run.status);
	static const char *const want[] = {"bind global F1 help", "bind global Esc-1 help",
					   "bind global ^G help", "bind login F10 quit",
					   "bind login Enter submit", NULL};
	bool all = true;
	for (size_t i = 0; want[i]; i++)
		all = ok(has_line(run.out, want[i]), "it prints \"%s\"", want[i]) && all;
	if (!all)
		diag("stdout was:\n%s\nstderr was:\n%s", run.out, run.err);
	is_str(run.err, "", "nothing on stderr");
	tuienv_run_free(&run);

	static const struct desk_file files[] = {
		{".config/balie/keys", "unbind global F1\nbind global F2 help\n"},
		{NULL, NULL},
	};
	ok(desk_run(&(struct desk_opts){.args = args, .files = files}, &run),
	   "balie --keys runs with a user keys file");
	ok(has_line(run.out, "bind global F2 help"), "it prints the user's binding");
	ok(!has_line(run.out, "bind global F1 help"), "and not the unbound one");
	ok(has_line(run.out, "bind global Esc-1 help"), "the other twins stay");
	tuienv_run_free(&run);
}

static void test_bad_keys(void)
{
	static const struct desk_file files[] = {
		{".config/balie/keys", "bind global F2 help\nbind global F99 help\n"},
		{NULL, NULL},
	};
	struct desk *d = desk_start(&(struct desk_opts){.files = files});
	if (!ok(d != NULL, "balie starts with a bad keys file"))
		return;
	int status = -1;
	ok(vt_wait_exit(d->vt, DESK_START_MS, &status), "balie stops");
	ok(WIFEXITED(status) && WEXITSTATUS(status) != 0, "with an error status (%d)",
	   WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	char *where = xasprintf("%s/.config/balie/keys:2:", d->home);
	ok(vt_wait_text(d->vt, where, DESK_STEP_MS), "the message names the file and line 2");
	free(where);
	ok(vt_find(d->vt, "F99", NULL, NULL), "and the bad key");
	ok(desk_finish(d, -1), "nothing left running");
}

static void test_bad_keys_option(void)
{
	static const struct desk_file files[] = {
		{"my.keys", "# fine\nbind global F2 help\n\nbind nowhere F3 help\n"},
		{NULL, NULL},
	};
	static const char *const args[] = {"--keys", "~/my.keys", NULL};
	struct desk *d = desk_start(&(struct desk_opts){.files = files, .args = args});
	if (!ok(d != NULL, "balie starts with --keys and a bad file"))
		return;
	int status = -1;
	ok(vt_wait_exit(d->vt, DESK_START_MS, &status), "balie stops");
	ok(WIFEXITED(status) && WEXITSTATUS(status) != 0, "with an error status (%d)",
	   WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	char *where = xasprintf("%s/my.keys:4:", d->home);
	ok(vt_wait_text(d->vt, where, DESK_STEP_MS), "the message names the file and line 4");
	free(where);
	ok(vt_find(d->vt, "nowhere", NULL, NULL), "and the unknown screen");
	ok(desk_finish(d, -1), "nothing left running");
}

/* A function key of another terminal type: the sequence is read whole, so
 * none of it lands in the user-name field around it, and it rings the bell. */
static void unknown_sequence(struct desk *d, int row, const char *what, const char *seq,
			     const char *before, const char *after, const char *want)
{
	unsigned bells = vt_bells(d->vt);
	vt_send(d->vt, before);
	vt_send(d->vt, seq);
	vt_send(d->vt, after);
	ok(vt_wait_row(d->vt, row, want, DESK_STEP_MS), "%s: the field holds only what was typed",
	   what);
	char *line = vt_row_dup(d->vt, row);
	size_t n = strlen(line);
	while (n > 0 && line[n - 1] == ' ')
		line[--n] = '\0';
	ok(n >= strlen(want) && strcmp(line + n - strlen(want), want) == 0,
	   "%s: nothing of the sequence in it: %s", what, line);
	free(line);
	ok(vt_wait_bells(d->vt, bells + 1, DESK_STEP_MS), "%s: the bell rings", what);
}

static void test_unknown_sequences(const char *term, const char *key, const char *seq)
{
	char *term_env = xasprintf("TERM=%s", term);
	const char *const env[] = { term_env, NULL };
	struct desk *d = desk_start(&(struct desk_opts){ .extra_env = env });
	if (!ok(d != NULL, "balie starts with %s", term_env)) {
		free(term_env);
		return;
	}
	int row = -1;
	if (ok(vt_wait_text(d->vt, "Password", DESK_START_MS) &&
		       vt_find(d->vt, "User name", &row, NULL),
	       "%s: the login screen comes up", term)) {
		char *what = xasprintf("%s %s", term, key);
		unknown_sequence(d, row, what, seq, "ab", "cd", "abcd");
		free(what);
		what = xasprintf("%s, an unknown CSI with parameters", term);
		unknown_sequence(d, row, what, "\x1b[1;5;9z", "e", "f", "abcdef");
		free(what);
		what = xasprintf("%s, a Linux console function key", term);
		unknown_sequence(d, row, what, "\x1b[[Z", "g", "h", "abcdefgh");
		free(what);
		/* Esc typed by a person, then [ a while later: not a sequence */
		vt_send(d->vt, "\x1b");
		vt_wait_quiet(d->vt, 300, DESK_STEP_MS);
		vt_send(d->vt, "[");
		ok(vt_wait_row(d->vt, row, "abcdefgh[", DESK_STEP_MS),
		   "%s: Esc, a pause, then [ types the [", term);
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
	free(term_env);
}

int main(void)
{
	test_unknown_sequences("vt100", "F5", "\x1b[15~");
	test_unknown_sequences("linux", "xterm's F3", "\x1bOR");
	test_default_keys();
	test_user_keys();
	test_print_keys();
	test_bad_keys();
	test_bad_keys_option();
	return tap_done();
}
