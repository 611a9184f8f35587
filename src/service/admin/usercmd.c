#include "service/admin/usercmd.h"

#include "service/domain/audit.h"
#include "service/domain/auth.h"
#include "service/domain/kiosk.h"
#include "core/i18n.h"
#include "service/domain/staff.h"
#include "service/admin/texttable.h"
#include "core/xalloc.h"

#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* Reads one line from f without its line end; NULL at end of input. */
static char *read_line_dup(FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

static void wipe_free(char *s)
{
	if (s) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Asks on the terminal with echo off. Ctrl-C interrupts the read (the
 * handler only sets a flag) so that the echo is always switched back on. */
static char *ask_hidden_dup(FILE *tty, const char *prompt)
{
	struct termios old, quiet;
	int fd = fileno(tty);
	struct sigaction sa = { .sa_handler = on_interrupt }, old_int, old_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	bool restore = tcgetattr(fd, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	fputs(prompt, tty);
	fflush(tty);
	char *line = interrupted ? NULL : read_line_dup(tty);
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (interrupted) {
		fputc('\n', tty);
		wipe_free(line);
		line = NULL;
	}
	return line;
}

/* The new password, from stdin or asked twice on the terminal; NULL after
 * saying why not. */
static char *new_password_dup(const char *username, bool from_stdin)
{
	if (from_stdin) {
		char *pw = read_line_dup(stdin);
		if (!pw)
			fprintf(stderr, "%s\n", _("balied: no password on standard input"));
		return pw;
	}
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty) {
		fprintf(stderr, "%s\n",
			_("balied: no terminal to ask the password on; use --password-stdin"));
		return NULL;
	}
	char *prompt = xasprintf(_("New password for %s: "), username);
	char *pw = ask_hidden_dup(tty, prompt);
	char *again = pw ? ask_hidden_dup(tty, _("The same password again: ")) : NULL;
	free(prompt);
	fclose(tty);
	if (!pw || !again || strcmp(pw, again) != 0) {
		if (!interrupted)
			fprintf(stderr, "%s\n", _("balied: the two passwords differ"));
		wipe_free(pw);
		pw = NULL;
	}
	wipe_free(again);
	return pw;
}

static const char *problem_text(enum staff_problem p)
{
	switch (p) {
	case STAFF_BAD_USERNAME:
		return _("a user name is 1 to 64 of a-z, 0-9, '.', '_' and '-'");
	case STAFF_USERNAME_TAKEN:
		return _("this user name is taken");
	case STAFF_BAD_NAME:
		return _("the full name is empty or too long");
	case STAFF_BAD_PASSWORD:
		return _("the password is too short (at least 8 characters) or too long");
	case STAFF_NO_ROLES:
		return _("give at least one --role");
	case STAFF_UNKNOWN_BRANCH:
		return _("there is no branch with this code");
	default:
		return _("the database could not be changed");
	}
}

static int user_add(struct store *store, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ "branch", required_argument, NULL, 'b' },
		{ "password-stdin", no_argument, NULL, 'p' },
		{ "charset", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	struct staff_fields f = { 0 };
	const char *charset = NULL;
	bool from_stdin = false;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "r:n:b:", opts, NULL)) != -1) {
		switch (c) {
		case 'r': {
			unsigned role = staff_role_from_name(optarg);
			if (!role) {
				fprintf(stderr, _("balied: unknown role \"%s\"\n"), optarg);
				return 2;
			}
			f.roles |= role;
			break;
		}
		case 'n': f.name = optarg; break;
		case 'b': f.branch = optarg; break;
		case 'p': from_stdin = true; break;
		case 'C': charset = optarg; break;
		default: admin_usage(&usercmd_entry, stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		admin_usage(&usercmd_entry, stderr);
		return 2;
	}
	f.username = argv[optind];
	if (charset && (!(f.roles & ROLE_KIOSK) || !kiosk_charset_ok(charset))) {
		fprintf(stderr, "%s\n",
			_("balied: --charset is for a kiosk account: ASCII, ISO-8859-1 or UTF-8"));
		return 2;
	}
	if (!f.name)
		f.name = f.username;
	/* The cheap checks first, so that nobody types a password in vain. */
	f.hash = "";
	enum staff_problem p = staff_check(&f);
	if (p == STAFF_OK && f.branch && !staff_branch_exists(store, f.branch))
		p = STAFF_UNKNOWN_BRANCH;
	f.hash = NULL;
	char *password = p == STAFF_OK ? new_password_dup(f.username, from_stdin) : NULL;
	if (p == STAFF_OK && !password)
		return 1;
	f.password = password;
	long long id;
	if (p == STAFF_OK) {
		p = STAFF_STORE_FAILED;
		if (store_begin(store)) {
			p = staff_add(store, &f, &id);
			if (p == STAFF_OK && charset && !kiosk_set_charset(store, id, charset))
				p = STAFF_STORE_FAILED;
			if (p == STAFF_OK && (!audit_add(store, NULL, time(NULL), "staff_add",
							 f.username, NULL, NULL) ||
					      !store_commit(store)))
				p = STAFF_STORE_FAILED;
			store_rollback(store);
		}
	}
	wipe_free(password);
	if (p != STAFF_OK) {
		fprintf(stderr, _("balied: cannot add %s: %s\n"), f.username, problem_text(p));
		return 1;
	}
	printf(_("Staff account %s added.\n"), f.username);
	return 0;
}

static int user_set_disabled(struct store *store, const char *username, bool disabled)
{
	bool found = false;
	bool ok = store_begin(store) && staff_set_disabled(store, username, disabled, &found) &&
		  (!found || audit_add(store, NULL, time(NULL),
				       disabled ? "staff_disable" : "staff_enable", username, NULL,
				       NULL)) &&
		  store_commit(store);
	store_rollback(store);
	if (!ok) {
		fprintf(stderr, "%s\n", _("balied: the database could not be changed"));
		return 1;
	}
	if (!found) {
		fprintf(stderr, _("balied: there is no staff account %s\n"), username);
		return 1;
	}
	printf(disabled ? _("Staff account %s disabled; its sessions have ended.\n")
			: _("Staff account %s enabled.\n"),
	       username);
	return 0;
}

static void print_row(void *ctx, const char *username, const char *name, const char *branch,
		      unsigned roles, bool disabled)
{
	cJSON *arr = staff_roles_json(roles);
	char list[64] = "";
	const cJSON *r;
	cJSON_ArrayForEach(r, arr) {
		if (*list)
			strncat(list, ",", sizeof list - strlen(list) - 1);
		strncat(list, r->valuestring, sizeof list - strlen(list) - 1);
	}
	cJSON_Delete(arr);
	const char *cells[] = {username, list, branch, disabled ? _("disabled") : _("active"), name};
	texttable_add(ctx, cells);
}

static int user_list(struct store *store)
{
	struct texttable *t = texttable_new(5);
	const char *head[] = {_("USER"), _("ROLES"), _("BRANCH"), _("STATE"), _("NAME")};
	texttable_add(t, head);
	bool ok = staff_list(store, print_row, t);
	if (ok)
		texttable_print(t, stdout);
	texttable_free(t);
	if (!ok) {
		fprintf(stderr, "%s\n", _("balied: the database could not be read"));
		return 1;
	}
	return 0;
}

static int usercmd_run(const struct admin_ctx *ctx, int argc, char **argv)
{
	struct store *store = ctx->store;
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return user_add(store, argc - 1, argv + 1);
	if (argc == 3 && strcmp(argv[1], "disable") == 0)
		return user_set_disabled(store, argv[2], true);
	if (argc == 3 && strcmp(argv[1], "enable") == 0)
		return user_set_disabled(store, argv[2], false);
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return user_list(store);
	admin_usage(&usercmd_entry, stderr);
	return 2;
}

const struct admin_cmd usercmd_entry = {
	.name = "user",
	.usage = N_("Usage: balied [--db PATH | --config FILE] user add NAME --role ROLE [--role ROLE]...\n"
		   "                  [--name \"FULL NAME\"] [--branch CODE] [--password-stdin]\n"
		   "                  [--charset ASCII|ISO-8859-1|UTF-8]\n"
		   "       balied [--db PATH | --config FILE] user disable NAME\n"
		   "       balied [--db PATH | --config FILE] user enable NAME\n"
		   "       balied [--db PATH | --config FILE] user list\n"
		   "Roles: balie (desk), ido (volunteer), beheer (administration),\n"
		   "kiosk (a self-service machine over SIP2; --charset: what it speaks).\n"),
	.run = usercmd_run,
};
