/* "balied user ...": adding, listing, disabling and enabling staff accounts
 * from the command line, checked over HTTP against the running service; and
 * a database that is not a training database has no training accounts. */
#include "tap.h"
#include "core/clock.h"

#include "harness.h"
#include "core/jsonx.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int run(const struct harness *h, const char *in, char **out, char **err, const char *a1,
	       const char *a2, const char *a3)
{
	return harness_run(h, in, out, err, "user", a1, a2, a3, NULL);
}

static long login(struct api *api, const char *user, const char *password, char **token)
{
	struct api_reply *r = harness_login(api, user, password, "CEN");
	long status = r->status;
	if (token)
		*token = strdup(jsonx_string(r->body, "token") ? jsonx_string(r->body, "token") : "");
	api_reply_free(r);
	return status;
}

static void test_add(const struct harness *h, struct api *api)
{
	char *out, *err;
	int status = harness_run(h, "geheimpje\n", &out, &err, "user", "add", "kees", "--role",
				 "balie", "--role", "ido", "--name", "Kees Bakker", "--branch", "ZUI",
				 "--password-stdin", NULL);
	ok(status == 0, "user add kees: exit 0 (got %d; %s)", status, err);
	ok(strstr(out, "kees") != NULL, "and it says so: %s", out);
	free(out);
	free(err);

	struct api_reply *r = harness_login(api, "kees", "geheimpje", "CEN");
	ok(r->status == 201, "kees logs in over HTTP");
	const cJSON *staff = jsonx_object(r->body, "staff");
	is_str(jsonx_string(staff, "name"), "Kees Bakker", "with his full name");
	ok(cJSON_GetArraySize(jsonx_array(staff, "roles")) == 2, "and both roles");
	api_reply_free(r);

	ok(run(h, NULL, &out, &err, "list", NULL, NULL) == 0, "user list: exit 0");
	const char *line = strstr(out, "\nkees ");
	ok(line && strstr(line, "balie,ido") && strstr(line, "ZUI") && strstr(line, "Kees Bakker"),
	   "user list shows kees, his roles, branch and name");
	ok(strstr(out, "\nbalie ") && strstr(out, "\nido ") && strstr(out, "\nbeheer "),
	   "and the training accounts");
	free(out);
	free(err);
}

static void test_disable(const struct harness *h, struct api *api)
{
	char *token = NULL, *out, *err;
	ok(login(api, "kees", "geheimpje", &token) == 201, "kees has a session");
	ok(run(h, NULL, &out, &err, "disable", "kees", NULL) == 0, "user disable kees: exit 0");
	free(out);
	free(err);
	api_set_token(api, token);
	struct api_reply *r = api_call(api, "GET", "/session", NULL, NULL);
	ok(r->status == 401, "his session has ended: 401");
	api_reply_free(r);
	api_set_token(api, NULL);
	ok(login(api, "kees", "geheimpje", NULL) == 401, "a disabled account cannot log in: 401");
	ok(run(h, NULL, &out, &err, "list", NULL, NULL) == 0 && strstr(out, "disabled"),
	   "user list shows kees disabled");
	free(out);
	free(err);
	ok(run(h, NULL, &out, &err, "enable", "kees", NULL) == 0, "user enable kees: exit 0");
	free(out);
	free(err);
	ok(login(api, "kees", "geheimpje", NULL) == 201, "enabled again, kees logs in");
	free(token);
}

static void test_errors(const struct harness *h)
{
	char *out, *err;
	int s = harness_run(h, "geheimpje\n", &out, &err, "user", "add", "kees", "--role", "balie",
			    "--password-stdin", NULL);
	ok(s == 1 && strstr(err, "taken"), "adding kees twice: exit 1, the name is taken (%s)", err);
	free(out);
	free(err);
	s = harness_run(h, "geheimpje\n", &out, &err, "user", "add", "jan", "--role", "baas",
			"--password-stdin", NULL);
	ok(s == 2 && strstr(err, "baas"), "an unknown role: exit 2, named (%s)", err);
	free(out);
	free(err);
	s = harness_run(h, "kort\n", &out, &err, "user", "add", "jan", "--role", "balie",
			"--password-stdin", NULL);
	ok(s == 1 && strstr(err, "too short"), "a short password: exit 1 (%s)", err);
	free(out);
	free(err);
	s = harness_run(h, NULL, &out, &err, "user", "add", "jan", "--role", "balie", NULL);
	ok(s == 1 && strstr(err, "--password-stdin"),
	   "no terminal and no --password-stdin: exit 1, says what to do (%s)", err);
	free(out);
	free(err);
	s = harness_run(h, NULL, &out, &err, "user", "disable", "niemand", NULL);
	ok(s == 1 && strstr(err, "niemand"), "disabling an unknown account: exit 1 (%s)", err);
	free(out);
	free(err);
	s = harness_run(h, NULL, &out, &err, "user", NULL);
	ok(s == 2 && strstr(err, "Usage"), "user alone: exit 2 and the usage");
	free(out);
	free(err);
}

/* balied on a pseudo-terminal of its own, as an administrator would run it. */
struct pty_run {
	pid_t pid;
	int master;
	int slave; /* kept open here, so that its settings outlive balied */
	char seen[4096];
	size_t len;
};

static bool pty_start(struct pty_run *p, const struct harness *h, const char *user)
{
	memset(p, 0, sizeof *p);
	p->master = posix_openpt(O_RDWR | O_NOCTTY);
	if (p->master < 0 || grantpt(p->master) != 0 || unlockpt(p->master) != 0)
		return false;
	const char *slave = ptsname(p->master);
	const char *balied = getenv("BALIED");
	p->pid = fork();
	if (p->pid == 0) {
		setsid();
		int fd = open(slave, O_RDWR);
		ioctl(fd, TIOCSCTTY, 0);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execl(balied, balied, "--db", h->db, "user", "add", user, "--role", "balie",
		      (char *)NULL);
		_exit(127);
	}
	p->slave = open(slave, O_RDWR | O_NOCTTY);
	return p->pid > 0 && p->slave >= 0;
}

/* Reads what balied writes until it has written want, with a deadline. */
static bool pty_wait_for(struct pty_run *p, const char *want)
{
	long long end = clock_now_ms() + 10000;
	while (!strstr(p->seen, want)) {
		long long left = end - clock_now_ms();
		struct pollfd pfd = { p->master, POLLIN, 0 };
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return false;
		ssize_t n = read(p->master, p->seen + p->len, sizeof p->seen - p->len - 1);
		if (n <= 0)
			return false;
		p->len += (size_t)n;
		p->seen[p->len] = '\0';
	}
	return true;
}

/* Waits for balied to end, then takes what it left in the terminal. */
static int pty_finish(struct pty_run *p)
{
	int status = -1;
	waitpid(p->pid, &status, 0);
	struct pollfd pfd = { p->master, POLLIN, 0 };
	while (p->len < sizeof p->seen - 1 && poll(&pfd, 1, 0) > 0) {
		ssize_t n = read(p->master, p->seen + p->len, sizeof p->seen - p->len - 1);
		if (n <= 0)
			break;
		p->len += (size_t)n;
		p->seen[p->len] = '\0';
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_terminal(const struct harness *h, struct api *api)
{
	struct pty_run p;
	if (!ok(pty_start(&p, h, "tina"), "user add tina on a terminal"))
		return;
	ok(pty_wait_for(&p, "New password for tina: "), "asks for the new password");
	ok(write(p.master, "wachtwoord1\n", 12) == 12, "types it");
	ok(pty_wait_for(&p, "The same password again: "), "asks for it again");
	ok(write(p.master, "wachtwoord1\n", 12) == 12, "types it again");
	ok(pty_finish(&p) == 0, "tina is added: exit 0");
	close(p.master);
	close(p.slave);
	ok(strstr(p.seen, "wachtwoord1") == NULL, "the password was never echoed");
	ok(login(api, "tina", "wachtwoord1", NULL) == 201, "tina logs in with it");

	if (!ok(pty_start(&p, h, "tom"), "user add tom on a terminal"))
		return;
	ok(pty_wait_for(&p, "New password for tom: "), "asks for tom's password");
	struct termios t;
	ok(tcgetattr(p.slave, &t) == 0 && !(t.c_lflag & ECHO), "with the echo off");
	ok(write(p.master, "\x03", 1) == 1, "Ctrl-C");
	ok(pty_finish(&p) == 1, "stops: exit 1");
	ok(tcgetattr(p.slave, &t) == 0 && (t.c_lflag & ECHO), "and the echo is on again");
	close(p.master);
	close(p.slave);
	ok(login(api, "tom", "x", NULL) == 401, "tom was not added");
}

/* A library's own database: branches and accounts from the command line,
 * then served, without any training account. */
static void test_production(void)
{
	struct harness p;
	if (!ok(harness_init(&p, NULL), "a second, empty database"))
		return;
	char *out, *err;
	ok(harness_run(&p, NULL, &out, &err, "user", "list", NULL) == 0, "user list on it: exit 0");
	ok(strchr(out, '\n') == out + strlen(out) - 1, "only the heading: no training accounts");
	free(out);
	free(err);
	int s = harness_run(&p, NULL, &out, &err, "--listen", "127.0.0.1:0", "--training", NULL);
	ok(s == 1 && strstr(err, "not a training database"),
	   "--training on it is refused: exit 1 (%s)", err);
	free(out);
	free(err);

	s = harness_run(&p, NULL, &out, &err, "branch", "add", "WST", "Bibliotheek West", "--open",
			"2345", NULL);
	ok(s == 0, "branch add WST: exit 0 (%s)", err);
	free(out);
	free(err);
	s = harness_run(&p, NULL, &out, &err, "branch", "add", "WST", "Nog een", NULL);
	ok(s == 1 && strstr(err, "WST"), "adding WST twice: exit 1 (%s)", err);
	free(out);
	free(err);
	s = harness_run(&p, NULL, &out, &err, "branch", "add", "w st", "Fout", NULL);
	ok(s == 1, "a bad branch code: exit 1 (%s)", err);
	free(out);
	free(err);
	s = harness_run(&p, NULL, &out, &err, "branch", "close", "WST", "2099-01-02", NULL);
	ok(s == 0, "branch close WST 2099-01-02: exit 0 (%s)", err);
	free(out);
	free(err);
	s = harness_run(&p, NULL, &out, &err, "branch", "close", "WST", "2099-02-30", NULL);
	ok(s == 1, "closing on a day that does not exist: exit 1 (%s)", err);
	free(out);
	free(err);
	s = harness_run(&p, "eerste-wachtwoord\n", &out, &err, "user", "add", "admin", "--role",
			"beheer", "--branch", "WST", "--password-stdin", NULL);
	ok(s == 0, "user add admin: exit 0 (%s)", err);
	free(out);
	free(err);

	struct harness_opts opts = { .training = false };
	if (!ok(harness_launch(&p, &opts), "balied serves the database")) {
		harness_cleanup(&p);
		return;
	}
	struct api *api = harness_api(&p);
	struct api_reply *r = api_call(api, "GET", "/health", NULL, NULL);
	bool training = true;
	ok(jsonx_bool(r->body, "training", &training) && !training, "health: training is false");
	api_reply_free(r);
	r = api_call(api, "GET", "/branches", NULL, NULL);
	const cJSON *wst = cJSON_GetArrayItem(jsonx_array(r->body, "branches"), 0);
	is_str(jsonx_string(wst, "name"), "Bibliotheek West", "GET /branches lists WST");
	ok(cJSON_GetArraySize(jsonx_array(wst, "open_weekdays")) == 4, "open four days");
	const cJSON *closed = jsonx_array(wst, "closed_dates");
	ok(cJSON_GetArraySize(closed) == 1 &&
		   strcmp(cJSON_GetArrayItem(closed, 0)->valuestring, "2099-01-02") == 0,
	   "closed on 2099-01-02");
	api_reply_free(r);
	r = harness_login(api, "admin", "eerste-wachtwoord", "WST");
	ok(r->status == 201, "admin logs in at WST");
	api_reply_free(r);
	r = harness_login(api, "balie", "oefenen", "WST");
	ok(r->status == 401, "the training account balie does not exist here: 401");
	api_reply_free(r);
	api_free(api);
	harness_cleanup(&p);
}

/* In Dutch a header is longer than its English width ("VESTIGING"): every
 * column still starts where its header does. */
static void test_list_dutch(const struct harness *h)
{
	const char *dir = getenv("BALIE_LOCALEDIR");
	if (!ok(dir && *dir, "BALIE_LOCALEDIR names the built translations"))
		return;
	setenv("LC_ALL", "nl_NL.UTF-8", 1);
	setenv("LANGUAGE", "nl", 1);
	char *out, *err;
	ok(run(h, NULL, &out, &err, "list", NULL, NULL) == 0, "user list in Dutch: exit 0");
	unsetenv("LC_ALL");
	unsetenv("LANGUAGE");
	const char *kees = strstr(out, "\nkees ");
	const char *end = kees ? strchr(kees + 1, '\n') : NULL;
	char *line = kees ? strndup(kees + 1, end ? (size_t)(end - kees - 1) : strlen(kees + 1))
			  : NULL;
	const char *at_branch = strstr(out, "VESTIGING"), *at_state = strstr(out, "STATUS"),
		   *at_name = strstr(out, "NAAM");
	ok(line && at_branch && at_state && at_name && strstr(line, "actief"),
	   "the Dutch headers and kees, active: %s", out);
	if (line && at_branch && at_state && at_name) {
		ok(strstr(line, "ZUI") - line == at_branch - out,
		   "the branch of kees stands under VESTIGING:\n%s", out);
		ok(strstr(line, "actief") - line == at_state - out,
		   "his state stands under STATUS");
		ok(strstr(line, "Kees Bakker") - line == at_name - out, "his name under NAAM");
	}
	free(line);
	free(out);
	free(err);
}

int main(void)
{
	struct harness h;
	struct harness_opts opts = { .training = true };
	if (!ok(harness_start(&h, &opts), "balied --training starts")) {
		harness_cleanup(&h);
		return tap_done();
	}
	struct api *api = harness_api(&h);
	test_add(&h, api);
	test_disable(&h, api);
	test_list_dutch(&h);
	test_errors(&h);
	test_terminal(&h, api);
	test_production();
	api_free(api);
	if (tap_failed)
		harness_dump_log(&h);
	harness_cleanup(&h);
	return tap_done();
}
