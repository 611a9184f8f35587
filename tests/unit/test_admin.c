/* The table of balied's subcommands (admin.h): every command balied(8)
 * documents is in it under its name, each with the usage text that names
 * it, and a command given no subcommand answers bad usage (exit 2) with
 * that very text on stderr. */
#include "service/admin/admin.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const documented[] = { "user", "branch", "permission", "ido-catalog",
					   "memberships", "holds", "patrons", "items", "backup", "restore" };
enum { N_DOCUMENTED = sizeof documented / sizeof documented[0] };

static void test_find(void)
{
	for (size_t i = 0; i < N_DOCUMENTED; i++) {
		const struct admin_cmd *c = admin_find(documented[i]);
		ok(c && strcmp(c->name, documented[i]) == 0 && c->run && c->usage,
		   "\"%s\" is in the table with a usage and a function", documented[i]);
	}
	size_t n = 0;
	while (admin_commands[n])
		n++;
	ok(n == N_DOCUMENTED, "the table holds the %d documented commands (%zu)", N_DOCUMENTED, n);
	ok(!admin_find("bogus") && !admin_find("") && !admin_find(NULL) && !admin_find("User"),
	   "an unknown name, an empty one, none, and another case find nothing");
}

/* Every line of a usage text that shows a command line shows this command. */
static bool usage_names(const char *usage, const char *name)
{
	char *want = NULL;
	if (asprintf(&want, "balied [--db PATH | --config FILE] %s ", name) < 0)
		return false;
	bool all = strncmp(usage, "Usage: ", 7) == 0;
	for (const char *line = usage; all && *line;) {
		const char *start = line + strspn(line, " ");
		if (strncmp(start, "Usage: ", 7) == 0)
			start += 7;
		if (strncmp(start, "balied ", 7) == 0)
			all = strncmp(start, want, strlen(want)) == 0;
		const char *nl = strchr(line, '\n');
		line = nl ? nl + 1 : line + strlen(line);
	}
	free(want);
	return all;
}

/* Runs cmd with argv {name} and what it wrote to stderr (allocated). */
static char *run_bare(const struct admin_cmd *cmd, int *status)
{
	char path[] = "/tmp/balie-admin-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	unlink(path);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	char *argv[] = { (char *)cmd->name, NULL };
	struct admin_ctx ctx = { 0 };
	*status = cmd->run(&ctx, 1, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	off_t len = lseek(fd, 0, SEEK_END);
	char *text = calloc(1, (size_t)len + 1);
	if (text && pread(fd, text, (size_t)len, 0) != len) {
		free(text);
		text = NULL;
	}
	close(fd);
	return text;
}

static void test_usage(void)
{
	for (size_t i = 0; admin_commands[i]; i++) {
		const struct admin_cmd *c = admin_commands[i];
		ok(usage_names(c->usage, c->name), "the usage of \"%s\" shows \"%s\"", c->name,
		   c->name);
		char *shown = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&shown, &len);
		admin_usage(c, f);
		fclose(f);
		int status = -1;
		char *err = run_bare(c, &status);
		ok(status == 2 && err && shown && strcmp(err, shown) == 0,
		   "\"balied %s\" alone: exit 2 (%d) and its usage on stderr", c->name, status);
		if (err && shown && strcmp(err, shown) != 0)
			diag("stderr: %s", err);
		free(err);
		free(shown);
	}
}

int main(void)
{
	test_find();
	test_usage();
	return tap_done();
}
