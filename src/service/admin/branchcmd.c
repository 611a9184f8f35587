#include "service/admin/branchcmd.h"

#include "core/i18n.h"
#include "service/domain/branch.h"
#include "service/domain/staff.h"
#include "service/timefmt.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void say_not_changed(void)
{
	fprintf(stderr, "%s\n", _("balied: the database could not be changed"));
}

static int branchcmd_add(struct store *store, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "open", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *days = "123456";
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c != 'o') {
			admin_usage(&branchcmd_entry, stderr);
			return 2;
		}
		days = optarg;
	}
	if (optind != argc - 2) {
		admin_usage(&branchcmd_entry, stderr);
		return 2;
	}
	const char *code = argv[optind], *name = argv[optind + 1];
	if (!branch_code_ok(code)) {
		fprintf(stderr, _("balied: a branch code is 1 to 16 of A-Z and 0-9, not \"%s\"\n"),
			code);
		return 1;
	}
	if (!*name) {
		fprintf(stderr, "%s\n", _("balied: a branch needs a name"));
		return 1;
	}
	if (!branch_weekdays_ok(days)) {
		fprintf(stderr, _("balied: \"%s\" is not a list of weekdays 1 to 7\n"), days);
		return 1;
	}
	if (staff_branch_exists(store, code)) {
		fprintf(stderr, _("balied: there is already a branch %s\n"), code);
		return 1;
	}
	if (!branch_add(store, code, name, days, time(NULL))) {
		say_not_changed();
		return 1;
	}
	printf(_("Branch %s added.\n"), code);
	return 0;
}

static int branchcmd_closed(struct store *store, const char *code, const char *date, bool closed)
{
	if (strlen(date) != 10 || timefmt_weekday(date) == 0) {
		fprintf(stderr, _("balied: \"%s\" is not a date (YYYY-MM-DD)\n"), date);
		return 1;
	}
	if (!staff_branch_exists(store, code)) {
		fprintf(stderr, _("balied: there is no branch %s\n"), code);
		return 1;
	}
	if (!branch_set_closed(store, code, date, closed, time(NULL))) {
		say_not_changed();
		return 1;
	}
	printf(closed ? _("Branch %s is closed on %s.\n") : _("Branch %s is open on %s.\n"), code,
	       date);
	return 0;
}

static void print_branch(void *ctx, const struct branch_row *b)
{
	(void)ctx;
	printf("%-8s %-8s %s\n", b->code, b->open_weekdays, b->name);
	if (b->closed)
		printf("         %s %s\n", _("closed:"), b->closed);
}

static int branchcmd_list(struct store *store)
{
	printf("%-8s %-8s %s\n", _("CODE"), _("OPEN"), _("NAME"));
	if (!branch_each_summary(store, print_branch, NULL)) {
		fprintf(stderr, "%s\n", _("balied: the database could not be read"));
		return 1;
	}
	return 0;
}

static int branchcmd_run(const struct admin_ctx *ctx, int argc, char **argv)
{
	struct store *store = ctx->store;
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return branchcmd_add(store, argc - 1, argv + 1);
	if (argc == 4 && (strcmp(argv[1], "close") == 0 || strcmp(argv[1], "open") == 0))
		return branchcmd_closed(store, argv[2], argv[3], argv[1][0] == 'c');
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return branchcmd_list(store);
	admin_usage(&branchcmd_entry, stderr);
	return 2;
}

const struct admin_cmd branchcmd_entry = {
	.name = "branch",
	.usage = N_("Usage: balied [--db PATH | --config FILE] branch add CODE NAME [--open DAYS]\n"
		   "       balied [--db PATH | --config FILE] branch close|open CODE YYYY-MM-DD\n"
		   "       balied [--db PATH | --config FILE] branch list\n"
		   "DAYS are the ISO weekdays the branch is open, e.g. 123456 for Monday to Saturday.\n"),
	.run = branchcmd_run,
};
