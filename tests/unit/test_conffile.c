/* The key = value reader shared by balie.conf and balied.conf. */
#include "core/conffile.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct seen {
	char keys[8][32];
	char values[8][64];
	int n;
};

static bool collect(void *ctx, const char *key, const char *value, char **reason)
{
	struct seen *s = ctx;
	if (strcmp(key, "unknown") == 0) {
		*reason = xasprintf("unknown setting \"%s\"", key);
		return false;
	}
	if (s->n < 8) {
		snprintf(s->keys[s->n], sizeof s->keys[0], "%s", key);
		snprintf(s->values[s->n], sizeof s->values[0], "%s", value);
		s->n++;
	}
	return true;
}

static char *parse_error(const char *text)
{
	struct seen s = { 0 };
	char *err = NULL;
	if (conffile_parse_text("t.conf", text, collect, &s, &err))
		return NULL;
	return err;
}

int main(void)
{
	struct seen s = { 0 };
	char *err = NULL;
	bool good = conffile_parse_text("t.conf",
		"# a comment\n"
		"\n"
		"server = https://balie.example.nl\n"
		"  branch=CEN  \n"
		"print_command = \"lp -d bon # not a comment\"\n"
		"empty =\n"
		"windows = yes\r\n",
		collect, &s, &err);
	ok(good, "a good file parses");
	ok(s.n == 5, "five settings are read (%d)", s.n);
	is_str(s.keys[0], "server", "the first key");
	is_str(s.values[0], "https://balie.example.nl", "its value");
	is_str(s.values[1], "CEN", "white space around key and value is trimmed");
	is_str(s.values[2], "lp -d bon # not a comment", "a quoted value keeps '#' and spaces");
	is_str(s.values[3], "", "an empty value is allowed");
	is_str(s.values[4], "yes", "a CRLF line end is accepted");

	char *e;
	e = parse_error("a = 1\nno equals sign here\n");
	is_str(e, "t.conf:2: expected \"key = value\"", "a line without '=' names file and line");
	free(e);
	e = parse_error("a = 1\n\n\nunknown = 3\n");
	is_str(e, "t.conf:4: unknown setting \"unknown\"", "the callback's reason gets file and line");
	free(e);
	e = parse_error(" = 3\n");
	is_str(e, "t.conf:1: a setting has no name before \"=\"", "a missing key is named");
	free(e);
	e = parse_error("server = \"https://x\n");
	is_str(e, "t.conf:1: a quoted value has no closing quote", "an unclosed quote is named");
	free(e);
	e = parse_error("ok = 1\nbad\x1bkey = 1\n");
	is_str(e, "t.conf:2: the line holds a control character", "a control character is refused");
	free(e);
	e = parse_error("my-key = 1\n");
	is_str(e, "t.conf:1: \"my-key\" is not a setting name", "a bad setting name is named");
	free(e);

	err = NULL;
	ok(!conffile_parse("/nonexistent/balie.conf", collect, &s, &err), "a missing file fails");
	is_str(err, "/nonexistent/balie.conf: No such file or directory", "and names the file");
	free(err);

	char path[] = "/tmp/balie-conffile-XXXXXX";
	int fd = mkstemp(path);
	ok(fd >= 0 && write(fd, "x = 1\ny = 2\nunknown = 1\n", 24) == 24, "a file is written");
	close(fd);
	err = NULL;
	memset(&s, 0, sizeof s);
	ok(!conffile_parse(path, collect, &s, &err), "a file with a bad line fails");
	char *want = xasprintf("%s:3: unknown setting \"unknown\"", path);
	is_str(err, want, "the error names the real path and line 3");
	free(want);
	free(err);
	unlink(path);

	unsigned long n = 0;
	char *reason = NULL;
	ok(conffile_uint("42", 1, 100, &n, &reason) && n == 42, "42 is a number in 1..100");
	ok(!conffile_uint("420", 1, 100, &n, &reason), "420 is outside 1..100");
	is_str(reason, "420 is outside 1 to 100", "and the reason says the range");
	free(reason);
	reason = NULL;
	ok(!conffile_uint("-1", 0, 100, &n, &reason), "-1 is refused");
	free(reason);
	reason = NULL;
	ok(!conffile_uint("12abc", 0, 100, &n, &reason), "12abc is refused");
	is_str(reason, "\"12abc\" is not a whole number", "and the reason quotes it");
	free(reason);

	bool b = false;
	reason = NULL;
	ok(conffile_bool("Yes", &b, &reason) && b, "Yes is true");
	ok(conffile_bool("off", &b, &reason) && !b, "off is false");
	ok(!conffile_bool("maybe", &b, &reason), "maybe is refused");
	is_str(reason, "\"maybe\" is not yes or no", "and the reason quotes it");
	free(reason);
	return tap_done();
}
