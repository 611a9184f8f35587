/* The harness tested on its own, with /bin/sh in the pty instead of the
 * desk, so that a harness bug is told apart from a desk bug. */
#include "tap.h"
#include "tuienv.h"
#include "vt.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define WAIT_MS 10000

static char *home;

/* Starts /bin/sh -c script in the fixed environment. */
static struct vt *sh_start(const char *script, int rows, int cols)
{
	const char *argv[] = {"/bin/sh", "-c", script, NULL};
	char **envp = tuienv_envp_new(&(struct tuienv_opts){.home = home, .lang = "C.UTF-8"});
	char *err = NULL;
	struct vt *vt = vt_spawn(&(struct vt_spawn){.argv = argv, .envp = envp, .rows = rows,
						    .cols = cols},
				 &err);
	tuienv_envp_free(envp);
	if (!vt) {
		diag("vt_spawn: %s", err);
		free(err);
	}
	return vt;
}

static void test_text_and_bytes(void)
{
	struct vt *vt = sh_start("printf 'hello\\n'; read x; echo \"got:$x\"; exit 3", 0, 0);
	if (!ok(vt != NULL, "sh starts in a pty"))
		return;
	ok(vt_wait_text(vt, "hello", WAIT_MS), "its output is on the screen");
	ok(vt_wait_quiet(vt, 100, WAIT_MS), "it falls quiet while it reads");
	ok(vt_wait_cursor(vt, 1, 0, WAIT_MS), "the cursor is at the start of row 1");
	ok(vt_bytes(vt) == 7, "7 bytes counted for hello and CR LF (got %zu)", vt_bytes(vt));
	size_t mark = vt_bytes(vt);
	ok(vt_send(vt, "abc\r"), "keys sent");
	ok(vt_wait_text(vt, "got:abc", WAIT_MS), "what was typed came back");
	int status = -1;
	ok(vt_wait_exit(vt, WAIT_MS, &status), "sh exits");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 3, "its exit status is 3 (status %d)",
	   status);
	/* The echo "abc" CR LF and "got:abc" CR LF. */
	ok(vt_bytes(vt) - mark == 14, "14 bytes since the mark (got %zu)", vt_bytes(vt) - mark);
	char *row0 = vt_row_dup(vt, 0);
	is_str(row0, "hello", "row 0 is exactly the first line");
	free(row0);
	char *screen = vt_screen_dup(vt);
	ok(strncmp(screen, "hello\nabc\ngot:abc\n", 18) == 0, "the screen text joins rows");
	free(screen);
	vt_close(vt);
}

static void test_failed_wait(void)
{
	struct vt *vt = sh_start("printf 'quiet'; read x", 0, 0);
	if (!ok(vt != NULL, "sh starts"))
		return;
	ok(vt_wait_text(vt, "quiet", WAIT_MS), "prompt shown");
	diag("a wait that must fail, with its screen dump:");
	ok(!vt_wait_text(vt, "never written", 300), "a wait for absent text fails at its deadline");
	ok(vt_wait_gone(vt, "never written", 300), "absent text counts as gone");
	int status = vt_close(vt);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "vt_close ends it with SIGTERM");
}

static void test_attributes(void)
{
	struct vt *vt = sh_start("printf '\\033[1mB\\033[0m \\033[7mR\\033[0m \\033[31mC\\033[0m "
				 "\\033[38;5;200mP\\033[0m N\\a\\a'; read x",
				 0, 0);
	if (!ok(vt != NULL, "sh starts"))
		return;
	ok(vt_wait_text(vt, "B R C P N", WAIT_MS), "styled text shown");
	vt_wait_quiet(vt, 100, WAIT_MS);
	struct vt_attr a[5];
	bool all = true;
	for (int i = 0; i < 5; i++)
		all = vt_attr_at(vt, 0, 2 * i, &a[i]) && all;
	ok(all, "attributes read");
	ok(a[0].bold && !a[0].reverse, "bold seen");
	ok(a[1].reverse && !a[1].bold, "reverse seen");
	ok(a[2].fg == 1, "red foreground is palette 1 (got %d)", a[2].fg);
	ok(a[3].fg == 200, "256-colour foreground (got %d)", a[3].fg);
	ok(a[4].fg == -1 && !a[4].bold && !a[4].reverse, "plain is plain");
	ok(!vt_attr_at(vt, 24, 0, &a[0]), "no attributes below the screen");
	ok(vt_wait_bells(vt, 2, WAIT_MS) && vt_bells(vt) == 2, "two bells counted (got %u)",
	   vt_bells(vt));
	vt_close(vt);
}

static void test_wide_and_rep(void)
{
	/* ncurses uses REP (CSI b) for runs under xterm-256color; the emulator
	 * must render it, or the desk's lines would look short. */
	struct vt *vt = sh_start("printf 'a\\342\\202\\254b\\346\\274\\242c x\\033[4b|'; read x", 0, 0);
	if (!ok(vt != NULL, "sh starts"))
		return;
	ok(vt_wait_text(vt, "|", WAIT_MS), "text shown");
	char *row = vt_row_dup(vt, 0);
	is_str(row, "a\xe2\x82\xac" "b\xe6\xbc\xa2" "c xxxxx|", "UTF-8, a wide character, REP");
	free(row);
	int r = -1, c = -1;
	bool found = vt_find(vt, "c x", &r, &c);
	ok(found && r == 0 && c == 5, "columns count cells (row %d col %d)", r, c);
	ok(vt_high_bytes(vt) == 6, "6 bytes >= 0x80 counted (got %zu)", vt_high_bytes(vt));
	vt_close(vt);
}

static void test_keys(void)
{
	struct vt *vt = sh_start("while read x; do printf '%s' \"$x\" | od -An -tx1; done", 0, 0);
	if (!ok(vt != NULL, "sh starts"))
		return;
	static const struct {
		const char *key, *hex;
	} keys[] = {
		{"F1", "1b 4f 50"}, {"F5", "1b 5b 31 35 7e"}, {"F10", "1b 5b 32 31 7e"},
		{"^X", "18"},       {"Esc", "1b"},            {"Up", "1b 5b 41"},
		{"BackTab", "1b 5b 5a"},
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		ok(vt_key(vt, keys[i].key) && vt_key(vt, "Enter"), "%s sent", keys[i].key);
		ok(vt_wait_text(vt, keys[i].hex, WAIT_MS), "%s arrives as %s", keys[i].key,
		   keys[i].hex);
	}
	ok(!vt_key(vt, "F13") && !vt_key(vt, "Hyper"), "unknown key names refused");
	vt_send(vt, "\x1b" "1\r");
	ok(vt_wait_text(vt, "1b 31", WAIT_MS), "Esc then 1 as raw bytes");
	vt_close(vt);
}

static void test_resize(void)
{
	struct vt *vt = sh_start("trap 'echo winched' WINCH; stty size; read x; stty size; read y",
				 0, 0);
	if (!ok(vt != NULL, "sh starts"))
		return;
	ok(vt_wait_text(vt, "24 80", WAIT_MS), "the pty starts at 24x80");
	ok(vt_resize(vt, 30, 100), "resized");
	int rows, cols;
	vt_size(vt, &rows, &cols);
	ok(rows == 30 && cols == 100, "the emulator is 30x100");
	vt_send(vt, "\r");
	ok(vt_wait_text(vt, "30 100", WAIT_MS), "the program sees 30x100");
	ok(vt_wait_text(vt, "winched", WAIT_MS), "the program got SIGWINCH");
	vt_close(vt);
}

static void test_altscreen(void)
{
	struct vt *vt = sh_start("echo main; printf '\\033[?1049hALT'; read x; printf '\\033[?1049l'; "
				 "read y",
				 0, 0);
	if (!ok(vt != NULL, "sh starts"))
		return;
	ok(vt_wait_text(vt, "ALT", WAIT_MS), "the alternate screen shows");
	ok(vt_altscreen(vt), "vt_altscreen says so");
	ok(!vt_find(vt, "main", NULL, NULL), "the main screen is hidden");
	vt_send(vt, "\r");
	ok(vt_wait_gone(vt, "ALT", WAIT_MS) && vt_wait_text(vt, "main", WAIT_MS),
	   "leaving it restores the main screen");
	ok(!vt_altscreen(vt), "vt_altscreen says so");
	vt_close(vt);
}

static void test_cursor_visibility(void)
{
	struct vt *vt = sh_start("printf '\\033[?25lhidden'; read x; printf '\\033[?25hshown'; read y",
				 0, 0);
	if (!ok(vt != NULL, "sh starts"))
		return;
	ok(vt_wait_text(vt, "hidden", WAIT_MS) && !vt_cursor_visible(vt), "the cursor hidden");
	vt_send(vt, "\r");
	ok(vt_wait_text(vt, "shown", WAIT_MS) && vt_cursor_visible(vt), "the cursor shown");
	vt_close(vt);
}

static void test_env(void)
{
	struct vt *vt = sh_start("echo \"[$TERM][$TZ][$LANG][$LC_ALL][$COLUMNS][$LINES][$NO_COLOR]\"; "
				 "echo \"[$XDG_CONFIG_HOME]\"; read x",
				 0, 0);
	if (!ok(vt != NULL, "sh starts"))
		return;
	ok(vt_wait_text(vt, "[xterm-256color][Europe/Amsterdam][C.UTF-8][C.UTF-8][][][]", WAIT_MS),
	   "the fixed environment");
	char *want = NULL;
	want = malloc(strlen(home) + 16);
	sprintf(want, "[%s/.config]", home);
	ok(vt_wait_text(vt, want, WAIT_MS), "XDG_CONFIG_HOME in the temp home");
	free(want);
	vt_close(vt);
}

static void test_run_and_strays(void)
{
	const char *argv[] = {"/bin/sh", "-c", "echo out; echo err >&2; exit 4", NULL};
	char **envp = tuienv_envp_new(&(struct tuienv_opts){.home = home, .lang = "C.UTF-8"});
	struct tuienv_run run;
	ok(tuienv_run(argv, envp, WAIT_MS, &run), "tuienv_run starts sh");
	is_str(run.out, "out\n", "stdout captured");
	is_str(run.err, "err\n", "stderr captured");
	ok(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 4, "exit status 4");
	tuienv_run_free(&run);
	tuienv_envp_free(envp);

	ok(tuienv_strays(home, 0) == 0, "no strays before");
	struct vt *vt = sh_start("printf running; read x", 0, 0);
	if (!ok(vt != NULL, "sh starts"))
		return;
	ok(vt_wait_text(vt, "running", WAIT_MS), "running");
	diag("a stray that must be found:");
	ok(tuienv_strays(home, 200) == 1, "a process with this home is found and killed");
	int status = -1;
	ok(vt_wait_exit(vt, WAIT_MS, &status) && WIFSIGNALED(status) &&
		   WTERMSIG(status) == SIGKILL,
	   "it was killed");
	vt_close(vt);
	ok(tuienv_strays(home, 1000) == 0, "no strays after");
}

int main(void)
{
	char *err = NULL;
	home = tuienv_home_new(&err);
	if (!ok(home != NULL, "a temporary home")) {
		diag("%s", err);
		return tap_done();
	}
	test_text_and_bytes();
	test_failed_wait();
	test_attributes();
	test_wide_and_rep();
	test_keys();
	test_resize();
	test_altscreen();
	test_cursor_visibility();
	test_env();
	test_run_and_strays();
	tuienv_home_remove(home);
	free(home);
	return tap_done();
}
