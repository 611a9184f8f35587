/* The key map: the built-in defaults, user files, every kind of error with
 * its line, conflicts, and the examples of balie-keys(5). */
#include "ui/keys/keymap.h"
#include "ui/keys/keys.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static struct keymap *defaults(void)
{
	char *err = NULL;
	struct keymap *km = keymap_new_default(&err);
	if (!km)
		diag("defaults: %s", err);
	free(err);
	return km;
}

/* Loads text over the defaults and checks the whole; returns the error or NULL. */
static char *load_error(const char *text)
{
	struct keymap *km = defaults();
	char *err = NULL;
	if (keymap_load_text(km, "my.keys", text, &err))
		keymap_check(km, &err);
	keymap_free(km);
	return err;
}

static bool contains(const char *s, const char *part)
{
	return s && strstr(s, part);
}

static keycode key(const char *name)
{
	keycode k = KEYC_NONE;
	if (!keys_parse(name, &k))
		diag("not a key: %s", name);
	return k;
}

static void test_key_names(void)
{
	static const char *const names[] = {
		"F1", "F9", "F10", "F12", "^A", "^X", "Esc-x", "Esc-1", "Esc--", "Esc-=",
		"Enter", "Tab", "BackTab", "Esc", "Up", "Down", "Left", "Right", "PgUp",
		"PgDn", "Home", "End", "Insert", "Delete", "Backspace", "Space", "q", "Q",
		"é", "Esc-F3", "Esc-Up",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		keycode k;
		char back[KEYS_NAME_MAX] = "";
		bool parsed = keys_parse(names[i], &k);
		if (parsed)
			keys_format(k, back);
		is_str(back, names[i], "key name %s reads and prints back the same", names[i]);
	}
	ok(key("M-x") == key("Esc-x"), "M-x is the same key as Esc-x");
	ok(key("^I") == key("Tab") && key("^M") == key("Enter") && key("^J") == key("Enter") &&
		   key("^H") == key("Backspace") && key("^[") == key("Esc"),
	   "^I, ^M, ^J, ^H and ^[ are Tab, Enter, Enter, Backspace and Esc");
	ok(key("f1") == key("F1") && key("enter") == key("Enter") && key("^x") == key("^X"),
	   "named keys are read in any case");
	keycode k;
	ok(!keys_parse("F13", &k) && !keys_parse("F0", &k) && !keys_parse("^1", &k) &&
		   !keys_parse("xy", &k) && !keys_parse("Esc-Esc", &k) && !keys_parse("", &k) &&
		   !keys_parse("Esc-", &k) && !keys_parse("\xc3", &k),
	   "F13, F0, ^1, xy, Esc-Esc, an empty name and broken UTF-8 are no keys");
}

static void test_defaults(void)
{
	struct keymap *km = defaults();
	ok(km != NULL, "the built-in key map parses and has no conflict");
	if (!km)
		return;
	ok(keymap_lookup(km, SCREEN_HOME, key("F1")) == ACTION_HELP, "F1 is help after login");
	ok(keymap_lookup(km, SCREEN_HOME, key("Esc-1")) == ACTION_HELP, "Esc then 1 is help");
	ok(keymap_lookup(km, SCREEN_LOGIN, key("F1")) == ACTION_HELP, "F1 is help on the login screen");
	ok(keymap_lookup(km, SCREEN_HOME, key("F10")) == ACTION_LOGOUT, "F10 logs out after login");
	ok(keymap_lookup(km, SCREEN_LOGIN, key("F10")) == ACTION_QUIT, "F10 quits on the login screen");
	ok(keymap_lookup(km, SCREEN_LOGIN, key("F11")) == ACTION_NONE,
	   "lock does nothing on the login screen");
	ok(keymap_lookup(km, SCREEN_HELP, key("F1")) == ACTION_BACK, "F1 closes the help screen");
	ok(keymap_lookup(km, SCREEN_LOCK, key("F1")) == ACTION_NONE, "no help while locked");
	ok(keymap_lookup(km, SCREEN_LOCK, key("Enter")) == ACTION_SUBMIT, "Enter unlocks");
	ok(keymap_lookup(km, SCREEN_HOME, key("^L")) == ACTION_REDRAW, "^L repaints");

	/* Every function key has an Esc twin and a control twin on every screen. */
	static const char *const esc_twin[] = { "", "Esc-1", "Esc-2", "Esc-3", "Esc-4", "Esc-5",
						"Esc-6", "Esc-7", "Esc-8", "Esc-9", "Esc-0",
						"Esc--", "Esc-=" };
	for (unsigned s = 0; s < SCREEN_COUNT; s++) {
		for (unsigned f = 1; f <= 12; f++) {
			enum action a = keymap_lookup(km, (enum ui_screen)s, KEYC_F1 + f - 1);
			if (a == ACTION_NONE)
				continue;
			ok(keymap_lookup(km, (enum ui_screen)s, key(esc_twin[f])) == a,
			   "%s: F%u (%s) has the twin %s", screen_name(s), f, action_name(a),
			   esc_twin[f]);
			keycode twins[16];
			size_t n = keymap_keys_for(km, (enum ui_screen)s, a, twins, 16);
			bool control = false;
			for (size_t i = 0; i < n && i < 16; i++) {
				keycode t = twins[i];
				if (t < 0x20 && t != 3 && t != 17 && t != 19 && t != 26 &&
				    t != 28 && t != KEYC_TAB && t != KEYC_ENTER && t != KEYC_ESC)
					control = true;
			}
			ok(control, "%s: F%u (%s) has a control-key twin", screen_name(s), f,
			   action_name(a));
		}
	}

	/* What --keys prints reads back as the same map. */
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	keymap_print(km, f);
	fclose(f);
	ok(contains(text, "bind global F1 help\n") && contains(text, "bind login F10 quit\n"),
	   "the printed map has bind lines");
	struct keymap *again = keymap_new();
	char *err = NULL;
	ok(keymap_load_text(again, "printed", text, &err) && keymap_check(again, &err),
	   "the printed map parses");
	char *text2 = NULL;
	f = open_memstream(&text2, &len);
	keymap_print(again, f);
	fclose(f);
	is_str(text2, text, "and prints the same again");
	free(err);
	free(text);
	free(text2);
	keymap_free(again);
	keymap_free(km);
}

static void test_user_files(void)
{
	struct keymap *km = defaults();
	char *err = NULL;
	bool good = keymap_load_text(km, "user",
				     "# my desk\n"
				     "\n"
				     "   # indented comment\n"
				     "bind home F2 help\r\n"
				     "bind\tglobal  M-h   help\n"
				     "unbind global ^G\n"
				     "unbind home F5\n"
				     "bind home F1 lock\n",
				     &err);
	ok(good, "a good user file parses");
	if (!good)
		diag("%s", err);
	ok(keymap_check(km, &err), "it has no conflict: help keeps other keys at home");
	ok(keymap_lookup(km, SCREEN_HOME, key("F2")) == ACTION_HELP, "F2 is now help at home");
	ok(keymap_lookup(km, SCREEN_LOGIN, key("Esc-h")) == ACTION_HELP, "M-h is help everywhere");
	ok(keymap_lookup(km, SCREEN_HOME, key("^G")) == ACTION_NONE, "^G is unbound");
	ok(keymap_lookup(km, SCREEN_HOME, key("F1")) == ACTION_LOCK, "F1 locks at home");
	ok(keymap_lookup(km, SCREEN_LOGIN, key("F1")) == ACTION_HELP, "but is still help elsewhere");

	/* A later file overrides an earlier one without a conflict. */
	ok(keymap_load_text(km, "later", "bind home F2 lock\n", &err), "a later file may rebind");
	ok(keymap_lookup(km, SCREEN_HOME, key("F2")) == ACTION_LOCK, "and its binding wins");
	free(err);
	keymap_free(km);
}

static void test_errors(void)
{
	static const struct {
		const char *text;
		const char *want;
	} cases[] = {
		{ "bind home F2 help\nbind home F99 help\n", "my.keys:2: \"F99\" is not a key name" },
		{ "\n\nbind kitchen F2 help\n", "my.keys:3: \"kitchen\" is not a screen" },
		{ "bind home F2 dance\n", "my.keys:1: \"dance\" is not an action" },
		{ "# x\nbind home F2 quit\n", "my.keys:2: the action quit does not work on the screen home" },
		{ "bind home F2\n", "my.keys:1: missing words: expected \"bind SCREEN KEY ACTION\"" },
		{ "unbind home\n", "my.keys:1: missing words: expected \"unbind SCREEN KEY\"" },
		{ "bind home F2 help now\n", "my.keys:1: too many words after \"help\"" },
		{ "bnid home F2 help\n", "my.keys:1: \"bnid\" is not a command: expected bind or unbind" },
		{ "bind home F2\x01 help\n", "my.keys:1: the line holds a control character" },
		{ "bind login F12 scroll-up\n", "my.keys:1: the action scroll-up does not work on the screen login" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *err = load_error(cases[i].text);
		is_str(err, cases[i].want, "error %zu names the file, line and reason", i + 1);
		free(err);
	}

	struct keymap *km = keymap_new();
	char *err = NULL;
	ok(!keymap_load_file(km, "/nonexistent/balie/keys", false, &err) &&
		   contains(err, "/nonexistent/balie/keys: "),
	   "a missing file that was asked for is an error naming it");
	free(err);
	err = NULL;
	ok(keymap_load_file(km, "/nonexistent/balie/keys", true, &err),
	   "a missing site or user file is not");
	keymap_free(km);
}

static void test_conflicts(void)
{
	char *err = load_error("bind home F2 help\n# again\nbind home F2 lock\n");
	ok(contains(err, "my.keys:3:") && contains(err, "help") && contains(err, "lock") &&
		   contains(err, "line 1"),
	   "the same key bound twice in one file names both actions and lines");
	if (err)
		diag("%s", err);
	free(err);

	err = load_error("bind home F2 help\nbind home F2 help\n");
	ok(err == NULL, "binding a key twice to the same action is no conflict");
	free(err);

	err = load_error("unbind global Esc-1\nunbind global ^G\nbind home F1 lock\n");
	ok(contains(err, "my.keys:3:") && contains(err, "lock") && contains(err, "help") &&
		   contains(err, "home"),
	   "a screen binding that hides the last key of a global action names both actions");
	if (err)
		diag("%s", err);
	free(err);

	err = load_error("unbind global Esc-0\nunbind global ^X\nbind login F10 help\n");
	ok(err == NULL, "hiding a global action that does not work on that screen is fine");
	free(err);
}

/* The text from start to end with the roff escapes of a key file undone. */
static char *man_unescape(const char *start, const char *end)
{
	char *out = calloc(1, (size_t)(end - start) + 2);
	char *o = out;
	for (const char *p = start; p < end; p++) {
		if (*p == '\\' && p[1] == '-') {
			*o++ = '-';
			p++;
		} else if (*p == '\\' && p[1] == 'e') {
			*o++ = '\\';
			p++;
		} else if (*p == '\\' && p[1] == '&') {
			p++;
		} else if (strncmp(p, "\\(ha", 4) == 0) {
			*o++ = '^';
			p += 3;
		} else {
			*o++ = *p;
		}
	}
	return out;
}

/* The next example (between .EX and .EE lines), unescaped, or NULL. */
static char *man_example(const char **pos)
{
	const char *start = strstr(*pos, "\n.EX\n");
	if (!start)
		return NULL;
	start += 5;
	const char *end = strstr(start, "\n.EE\n");
	if (!end)
		return NULL;
	*pos = end + 4;
	return man_unescape(start, end + 1);
}

static void test_man_examples(void)
{
	const char *root = getenv("BALIE_SOURCE_ROOT");
	if (!ok(root != NULL, "BALIE_SOURCE_ROOT is set"))
		return;
	char path[4096];
	snprintf(path, sizeof path, "%s/man/balie-keys.5", root);
	FILE *f = fopen(path, "r");
	if (!ok(f != NULL, "%s can be read", path))
		return;
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, m);
	fclose(f);
	fclose(m);
	const char *pos = text;
	unsigned examples = 0;
	char *ex;
	while ((ex = man_example(&pos)) != NULL) {
		examples++;
		struct keymap *km = defaults();
		char *err = NULL;
		char name[32];
		snprintf(name, sizeof name, "example %u", examples);
		bool good = keymap_load_text(km, name, ex, &err) && keymap_check(km, &err);
		ok(good, "balie-keys(5) %s parses over the defaults", name);
		if (!good)
			diag("%s\n%s", err, ex);
		free(err);
		free(ex);
		keymap_free(km);
	}
	ok(examples >= 2, "balie-keys(5) has examples (%u)", examples);

	/* Every screen and every action is described there. */
	char *plain = man_unescape(text, text + strlen(text));
	for (unsigned s = 0; s < SCREEN_COUNT; s++) {
		char want[64];
		snprintf(want, sizeof want, "\n.TP\n.B %s\n", screen_name((enum ui_screen)s));
		ok(contains(plain, want), "balie-keys(5) describes the screen %s", screen_name(s));
	}
	for (unsigned a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		char want[64];
		snprintf(want, sizeof want, "\n.TP\n.B %s\n", action_name((enum action)a));
		ok(contains(plain, want), "balie-keys(5) describes the action %s",
		   action_name((enum action)a));
	}
	free(plain);
	free(text);
}

int main(void)
{
	test_key_names();
	test_defaults();
	test_user_files();
	test_errors();
	test_conflicts();
	test_man_examples();
	return tap_done();
}
