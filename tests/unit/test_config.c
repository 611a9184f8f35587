/* balie.conf: defaults, a file with every key, every kind of error with its
 * line, and the order of the files. */
#include "client/config.h"
#include "client/paths.h"
#include "tap.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/balie-test-config-XXXXXX";

static char *write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	char *err = NULL;
	if (!paths_mkdir_p(path, 0700, &err)) {
		diag("%s", err);
		free(err);
	}
	*slash = '/';
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return path;
}

static void test_defaults(void)
{
	struct config *cfg = config_new();
	ok(cfg->server == NULL, "default: no server, so training");
	ok(cfg->ca_file == NULL, "default: the system's certificate authorities");
	ok(cfg->branch == NULL, "default: no branch preselected");
	ok(cfg->terminal && cfg->terminal[0] != '\0' && !strchr(cfg->terminal, '.'),
	   "default terminal is the short host name (%s)", cfg->terminal);
	ok(cfg->language == CONFIG_LANGUAGE_AUTO, "default language auto");
	char *keys = xasprintf("%s/config/balie/keys", tmpdir);
	is_str(cfg->keys, keys, "default keys file under XDG_CONFIG_HOME");
	char *journal = xasprintf("%s/state/balie/journal.db", tmpdir);
	is_str(cfg->journal, journal, "default journal under XDG_STATE_HOME");
	ok(cfg->print_command == NULL, "default: no print command");
	is_str(cfg->print_charset, "CP858", "default print charset");
	ok(cfg->print_width == 42, "default print width 42");
	ok(cfg->idle_lock == 300, "default idle lock 300 s");
	ok(cfg->bell, "default bell on");
	ok(cfg->colour == CONFIG_COLOUR_AUTO, "default colour auto");
	ok(cfg->balied == NULL, "default: search for balied");
	ok(cfg->request_timeout == 5000, "default request timeout 5000 ms");
	free(keys);
	free(journal);
	config_free(cfg);
}

static void test_good_file(void)
{
	char *ca = write_file("ca.pem", "not really a certificate\n");
	char *text = xasprintf("# the desk at the front\n"
			       "\n"
			       "server = https://balie.bibliotheek.example:8443\n"
			       "ca_file = \"%s\"\n"
			       "branch = CEN\n"
			       "terminal = balie-3\n"
			       "language = nl\n"
			       "keys = ~/mijn-toetsen\n"
			       "journal = /var/tmp/j.db\n"
			       "print_command = lp -d bonprinter -o raw\n"
			       "print_charset = CP850\n"
			       "print_width = 48\n"
			       "idle_lock = 0\n"
			       "bell = no\n"
			       "colour = no\n"
			       "balied = /opt/balie/bin/balied\n"
			       "request_timeout = 2500\n",
			       ca);
	struct config *cfg = config_new();
	char *err = NULL;
	bool loaded = config_load_text(cfg, "good.conf", text, &err);
	ok(loaded, "a file with every key loads");
	if (!loaded)
		diag("%s", err);
	is_str(cfg->server, "https://balie.bibliotheek.example:8443", "server");
	is_str(cfg->ca_file, ca, "ca_file");
	is_str(cfg->branch, "CEN", "branch");
	is_str(cfg->terminal, "balie-3", "terminal");
	ok(cfg->language == CONFIG_LANGUAGE_NL, "language nl");
	char *keys = xasprintf("%s/home/mijn-toetsen", tmpdir);
	is_str(cfg->keys, keys, "keys: ~/ means the home directory");
	is_str(cfg->journal, "/var/tmp/j.db", "journal");
	is_str(cfg->print_command, "lp -d bonprinter -o raw", "print_command keeps its spaces");
	is_str(cfg->print_charset, "CP850", "print_charset");
	ok(cfg->print_width == 48, "print_width 48");
	ok(cfg->idle_lock == 0, "idle_lock 0 (never)");
	ok(!cfg->bell, "bell no");
	ok(cfg->colour == CONFIG_COLOUR_NO, "colour no");
	is_str(cfg->balied, "/opt/balie/bin/balied", "balied");
	ok(cfg->request_timeout == 2500, "request_timeout 2500");
	config_free(cfg);

	cfg = config_new();
	const char *more = "server = unix:/run/balied/balied.sock\n"
			   "language = en\ncolour = yes\n"
			   "server = http://127.0.0.1:8080\n";
	ok(config_load_text(cfg, "more.conf", more, &err), "unix: and http:// to loopback load");
	is_str(cfg->server, "http://127.0.0.1:8080", "the later line wins");
	ok(cfg->language == CONFIG_LANGUAGE_EN && cfg->colour == CONFIG_COLOUR_YES,
	   "language en, colour yes");
	ok(config_load_text(cfg, "nodes.conf",
			    "server = https://node1.example:8443, https://node2.example:8443"
			    " unix:/run/balied/balied.sock\n", &err),
	   "a list of three nodes loads (commas or spaces between)");
	is_str(cfg->server, "https://node1.example:8443, https://node2.example:8443"
			    " unix:/run/balied/balied.sock", "and is kept as written");
	ok(config_load_text(cfg, "empty.conf", "server =\n", &err), "an empty server loads");
	ok(cfg->server == NULL, "an empty server means training again");
	config_free(cfg);
	free(keys);
	free(text);
	free(ca);
}

/* Each bad file gives exactly this error (or, with a '*' at the end of
 * want, an error that starts with it). */
static void expect_error(const char *text, const char *want, const char *what)
{
	struct config *cfg = config_new();
	char *err = NULL;
	bool loaded = config_load_text(cfg, "bad.conf", text, &err);
	ok(!loaded, "refused: %s", what);
	size_t n = strlen(want);
	if (n > 0 && want[n - 1] == '*') {
		ok(err && strncmp(err, want, n - 1) == 0, "error names file and line: %s", what);
		if (!err || strncmp(err, want, n - 1) != 0)
			diag("got: %s", err ? err : "NULL");
	} else {
		is_str(err, want, "error names file, line and reason: %s", what);
	}
	free(err);
	config_free(cfg);
}

static void test_errors(void)
{
	expect_error("bell = yes\nsound = loud\n", "bad.conf:2: unknown setting \"sound\"",
		     "unknown key");
	expect_error("\n\nbell = loud\n", "bad.conf:3: \"loud\" is not yes or no", "bad bool");
	expect_error("print_width = 100\n", "bad.conf:1: 100 is outside 24 to 80",
		     "print width too wide");
	expect_error("print_width = 10\n", "bad.conf:1: 10 is outside 24 to 80",
		     "print width too narrow");
	expect_error("idle_lock = five\n", "bad.conf:1: \"five\" is not a whole number",
		     "idle lock not a number");
	expect_error("idle_lock = -1\n", "bad.conf:1: \"-1\" is not a whole number",
		     "negative idle lock");
	expect_error("request_timeout = 50\n", "bad.conf:1: 50 is outside 100 to 120000",
		     "request timeout too short");
	expect_error("# ok\nserver = http://10.1.2.3\n",
		     "bad.conf:2: server \"http://10.1.2.3\": http:// is allowed only to this machine "
		     "(127.0.0.1, ::1 or localhost); use https:// for 10.1.2.3",
		     "http:// to another machine");
	expect_error("server = http://balie.example.nl\n",
		     "bad.conf:1: server \"http://balie.example.nl\": http:// is allowed only*",
		     "http:// to a host name");
	expect_error("server = ftp://balie.example.nl\n",
		     "bad.conf:1: server \"ftp://balie.example.nl\": the address must start with "
		     "https://, http:// (to this machine only) or unix:",
		     "another scheme");
	expect_error("server = https://node1.example http://node2.example\n",
		     "bad.conf:1: server \"https://node1.example http://node2.example\": "
		     "\"http://node2.example\": http:// is allowed only to this machine*",
		     "a list with one bad node names that node");
	expect_error("server = https://a.nl https://b.nl https://c.nl https://d.nl https://e.nl"
		     " https://f.nl https://g.nl https://h.nl https://i.nl\n",
		     "bad.conf:1: server \"https://a.nl https://b.nl https://c.nl https://d.nl"
		     " https://e.nl https://f.nl https://g.nl https://h.nl https://i.nl\": at most 8"
		     " server addresses may be given",
		     "nine nodes");
	expect_error("server = unix:balied.sock\n",
		     "bad.conf:1: server \"unix:balied.sock\": a unix: address needs an absolute path*",
		     "a relative socket path");
	expect_error("server = https://user:secret@balie.example.nl\n",
		     "bad.conf:1: server \"https://user:secret@balie.example.nl\": the address may hold "
		     "only the scheme, host, port and path",
		     "a password in the URL");
	expect_error("language = de\n", "bad.conf:1: \"de\" is not one of: auto, nl, en",
		     "unknown language");
	expect_error("colour = purple\n", "bad.conf:1: \"purple\" is not one of: auto, yes, no",
		     "bad colour");
	expect_error("print_charset = KLINGON-8\n",
		     "bad.conf:1: \"KLINGON-8\" is not a character set this system can convert to",
		     "unknown charset");
	expect_error("ca_file = /nonexistent/ca.pem\n",
		     "bad.conf:1: /nonexistent/ca.pem cannot be read: No such file or directory",
		     "missing CA file");
	expect_error("terminal = balie 3\n",
		     "bad.conf:1: terminal \"balie 3\" may hold only letters, digits, '.', '_' and '-' (at most 64)",
		     "a space in the terminal name");
	expect_error("branch = C/N\n",
		     "bad.conf:1: branch \"C/N\" may hold only letters, digits, '.', '_' and '-' (at most 64)",
		     "a slash in the branch");
	expect_error("journal =\n", "bad.conf:1: the path is empty", "an empty journal path");
	expect_error("bell yes\n", "bad.conf:1: expected \"key = value\"", "no equals sign");
	expect_error("bell = \"yes\n", "bad.conf:1: a quoted value has no closing quote",
		     "an open quote");
	expect_error("print_command = lp\x1b[2J\n", "bad.conf:1: the line holds a control character",
		     "a control character");
}

static void test_layers(void)
{
	char *site = write_file("site/balie.conf", "server = https://centraal.example\n"
						   "branch = CEN\nbell = no\n");
	char *user = write_file("config/balie/balie.conf", "branch = NRD\n");
	char *missing = xasprintf("%s/nowhere/balie.conf", tmpdir);
	const char *const layers[] = { site, missing, user };
	struct config *cfg = config_new();
	char *err = NULL;
	ok(config_load_layers(cfg, layers, 3, &err), "site, missing and user files load");
	is_str(cfg->branch, "NRD", "the user's file overrides the site file");
	is_str(cfg->server, "https://centraal.example", "the site file's other settings stay");
	ok(!cfg->bell, "the site file's bell stays");
	config_free(cfg);

	cfg = config_new();
	ok(config_load(cfg, NULL, &err), "config_load without --config reads the user's file");
	is_str(cfg->branch, "NRD", "the user's file under XDG_CONFIG_HOME was read");
	config_free(cfg);

	cfg = config_new();
	ok(config_load(cfg, site, &err), "--config FILE loads");
	is_str(cfg->branch, "CEN", "with --config the user's file is not read");
	config_free(cfg);

	cfg = config_new();
	bool loaded = config_load(cfg, missing, &err);
	ok(!loaded, "a missing --config file is an error");
	char *want = xasprintf("%s: No such file or directory", missing);
	is_str(err, want, "the error names the missing file");
	free(err);
	err = NULL;
	config_free(cfg);

	char *bad_user = write_file("config/balie/balie.conf", "branch = NRD\nbell = maybe\n");
	cfg = config_new();
	loaded = config_load(cfg, NULL, &err);
	ok(!loaded, "an error in the user's file stops loading");
	char *want2 = xasprintf("%s:2: \"maybe\" is not yes or no", bad_user);
	is_str(err, want2, "the error names the user's file and line");
	free(err);
	config_free(cfg);
	free(want);
	free(want2);
	free(bad_user);
	free(site);
	free(user);
	free(missing);
}

/* data/balie.conf, the installed example, loads as it is and with every
 * setting uncommented (but ca_file, whose file is not here). */
static void test_example_file(void)
{
	const char *root = getenv("BALIE_SOURCE_ROOT");
	if (!root) {
		ok(false, "BALIE_SOURCE_ROOT is set");
		return;
	}
	char *path = xasprintf("%s/data/balie.conf", root);
	struct config *cfg = config_new();
	char *err = NULL;
	bool loaded = config_load(cfg, path, &err);
	ok(loaded, "data/balie.conf loads");
	if (!loaded)
		diag("%s", err);
	ok(cfg->server == NULL && cfg->print_width == 42, "and changes nothing");
	config_free(cfg);

	FILE *f = fopen(path, "r");
	char line[512];
	size_t n = 0, size = 1;
	char *text = xstrdup("");
	while (f && fgets(line, sizeof line, f)) {
		const char *keep = line;
		if (line[0] == '#' && line[1] >= 'a' && line[1] <= 'z' && strstr(line, " = ") &&
		    strncmp(line, "#ca_file", 8) != 0) {
			keep = line + 1;
			n++;
		}
		size += strlen(keep);
		text = xrealloc(text, size);
		strcat(text, keep);
	}
	if (f)
		fclose(f);
	ok(n == 14, "the example shows every setting but ca_file uncommentable (%zu)", n);
	cfg = config_new();
	loaded = config_load_text(cfg, path, text, &err);
	ok(loaded, "every example setting is valid");
	if (!loaded)
		diag("%s", err);
	is_str(cfg->server, "https://balie.bibliotheek.example", "the example server is set");
	config_free(cfg);
	free(text);
	free(path);
}

int main(void)
{
	setenv("LC_ALL", "C", 1);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	char *home = xasprintf("%s/home", tmpdir);
	char *config = xasprintf("%s/config", tmpdir);
	char *state = xasprintf("%s/state", tmpdir);
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", config, 1);
	setenv("XDG_STATE_HOME", state, 1);

	test_defaults();
	test_good_file();
	test_errors();
	test_layers();
	test_example_file();

	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("could not remove %s", tmpdir);
	free(cmd);
	free(home);
	free(config);
	free(state);
	return tap_done();
}
