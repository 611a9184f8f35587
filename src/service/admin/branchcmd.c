#include "service/admin/branchcmd.h"

#include "service/domain/audit.h"
#include "core/i18n.h"
#include "service/domain/staff.h"
#include "service/timefmt.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void usage_branch(FILE *out)
{
	fprintf(out, "%s",
		_("Usage: balied [--db PATH | --config FILE] branch add CODE NAME [--open DAYS]\n"
		  "       balied [--db PATH | --config FILE] branch close|open CODE YYYY-MM-DD\n"
		  "       balied [--db PATH | --config FILE] branch list\n"
		  "DAYS are the ISO weekdays the branch is open, e.g. 123456 for Monday to Saturday.\n"));
}

static bool code_ok(const char *code)
{
	size_t len = strlen(code);
	if (len < 1 || len > 16)
		return false;
	for (; *code; code++)
		if (!((*code >= 'A' && *code <= 'Z') || (*code >= '0' && *code <= '9')))
			return false;
	return true;
}

static bool days_ok(const char *days)
{
	if (!*days || strlen(days) > 7)
		return false;
	for (const char *d = days; *d; d++)
		if (*d < '1' || *d > '7' || strchr(d + 1, *d))
			return false;
	return true;
}

/* Runs one statement with up to three text parameters in a transaction with
 * its audit entry; false after saying why. */
static bool change(struct store *store, const char *sql, const char *a, const char *b,
		   const char *c, const char *action, const char *subject)
{
	bool ok = store_begin(store);
	if (ok) {
		sqlite3_stmt *st = store_stmt(store, sql);
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
		if (c)
			sqlite3_bind_text(st, 3, c, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
		store_done(st);
		ok = ok && audit_add(store, NULL, time(NULL), action, subject, NULL, NULL) &&
		     store_commit(store);
		store_rollback(store);
	}
	if (!ok)
		fprintf(stderr, "%s\n", _("balied: the database could not be changed"));
	return ok;
}

static int branch_add(struct store *store, int argc, char **argv)
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
			usage_branch(stderr);
			return 2;
		}
		days = optarg;
	}
	if (optind != argc - 2) {
		usage_branch(stderr);
		return 2;
	}
	const char *code = argv[optind], *name = argv[optind + 1];
	if (!code_ok(code)) {
		fprintf(stderr, _("balied: a branch code is 1 to 16 of A-Z and 0-9, not \"%s\"\n"),
			code);
		return 1;
	}
	if (!*name) {
		fprintf(stderr, "%s\n", _("balied: a branch needs a name"));
		return 1;
	}
	if (!days_ok(days)) {
		fprintf(stderr, _("balied: \"%s\" is not a list of weekdays 1 to 7\n"), days);
		return 1;
	}
	if (staff_branch_exists(store, code)) {
		fprintf(stderr, _("balied: there is already a branch %s\n"), code);
		return 1;
	}
	if (!change(store, "INSERT INTO branches (code, name, open_weekdays) VALUES (?, ?, ?)",
		    code, name, days, "branch_add", code))
		return 1;
	printf(_("Branch %s added.\n"), code);
	return 0;
}

static int branch_closed(struct store *store, const char *code, const char *date, bool closed)
{
	if (strlen(date) != 10 || timefmt_weekday(date) == 0) {
		fprintf(stderr, _("balied: \"%s\" is not a date (YYYY-MM-DD)\n"), date);
		return 1;
	}
	if (!staff_branch_exists(store, code)) {
		fprintf(stderr, _("balied: there is no branch %s\n"), code);
		return 1;
	}
	bool ok = closed ? change(store, "INSERT OR IGNORE INTO branch_closed_dates"
					 " (branch_code, date) VALUES (?, ?)",
				  code, date, NULL, "branch_close", code)
			 : change(store, "DELETE FROM branch_closed_dates"
					 " WHERE branch_code = ? AND date = ?",
				  code, date, NULL, "branch_open", code);
	if (!ok)
		return 1;
	printf(closed ? _("Branch %s is closed on %s.\n") : _("Branch %s is open on %s.\n"), code,
	       date);
	return 0;
}

static int branch_list(struct store *store)
{
	sqlite3_stmt *st = store_stmt(store,
		"SELECT code, open_weekdays, name, (SELECT group_concat(date, ' ') FROM"
		" (SELECT date FROM branch_closed_dates WHERE branch_code = code ORDER BY date))"
		" FROM branches ORDER BY code");
	printf("%-8s %-8s %s\n", _("CODE"), _("OPEN"), _("NAME"));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *closed = sqlite3_column_text(st, 3);
		printf("%-8s %-8s %s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
		       sqlite3_column_text(st, 2));
		if (closed)
			printf("         %s %s\n", _("closed:"), closed);
	}
	store_done(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s\n", _("balied: the database could not be read"));
		return 1;
	}
	return 0;
}

int branchcmd_main(struct store *store, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return branch_add(store, argc - 1, argv + 1);
	if (argc == 4 && (strcmp(argv[1], "close") == 0 || strcmp(argv[1], "open") == 0))
		return branch_closed(store, argv[2], argv[3], argv[1][0] == 'c');
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return branch_list(store);
	usage_branch(stderr);
	return 2;
}
