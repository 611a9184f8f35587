/* The client library against the real balied: training on a private Unix
 * socket (health, branches, log in right and wrong, requests side by side,
 * a clean stop), and balied on a free loopback TCP port. $BALIED names the
 * balied that meson built. */
#include "client/api.h"
#include "core/jsonx.h"
#include "client/paths.h"
#include "client/session.h"
#include "tap.h"
#include "client/training.h"
#include "core/clock.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/balie-test-training-XXXXXX";

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static struct api_reply *login(struct api *api, const char *user, const char *password,
			       const char *branch)
{
	cJSON *body = session_login_body_new(user, password, branch, "test-desk");
	struct api_reply *r = api_call(api, "POST", "/session", body, NULL);
	cJSON_Delete(body);
	return r;
}

/* Health, branches and a log-in; returns the first branch's code. */
static char *check_basics(struct api *api, const char *where)
{
	char *err = NULL;
	struct api_reply *r = api_call(api, "GET", "/health", NULL, NULL);
	ok(r->outcome == API_OK && r->status == 200, "%s: health answers 200", where);
	struct session_health *h = session_health_decode(r->body, &err);
	ok(h != NULL, "%s: the health answer decodes%s%s", where, h ? "" : ": ", h ? "" : err);
	if (h) {
		is_str(h->status, "ok", "%s: status ok", where);
		ok(h->training, "%s: health says training", where);
		ok(strlen(h->time) >= 20 && h->time[strlen(h->time) - 1] == 'Z',
		   "%s: the time is RFC 3339 UTC (%s)", where, h->time);
	}
	session_health_free(h);
	api_reply_free(r);

	r = api_call(api, "GET", "/branches", NULL, NULL);
	ok(r->outcome == API_OK, "%s: the branch list needs no token", where);
	struct session_branches *b = session_branches_decode(r->body, &err);
	ok(b != NULL && b->n >= 1, "%s: the branch list decodes (%zu branches)", where,
	   b ? b->n : 0);
	char *code = NULL;
	if (b && b->n >= 1) {
		const struct session_branch *first = &b->items[0];
		int open_days = 0;
		for (int d = 1; d <= 7; d++)
			open_days += first->open_weekday[d];
		ok(first->code[0] && first->name[0] && open_days > 0,
		   "%s: branch %s (%s) is open %d days a week", where, first->code, first->name,
		   open_days);
		ok(session_branches_find(b, first->code) == first, "%s: found by its code", where);
		code = xstrdup(first->code);
	}
	if (!b)
		free(err);
	err = NULL;
	session_branches_free(b);
	api_reply_free(r);
	return code ? code : xstrdup("CEN");
}

static void check_login(struct api *api, const char *branch)
{
	char *err = NULL;
	struct api_reply *r = login(api, "balie", "oefenen", branch);
	ok(r->outcome == API_OK && r->status == 201, "balie/oefenen logs in (%ld)", r->status);
	struct session_login *s = session_login_decode(r->body, &err);
	ok(s != NULL, "the login answer decodes%s%s", s ? "" : ": ", s ? "" : err);
	if (s) {
		ok(session_has_role(s, "balie"), "the session has the role balie");
		ok(!session_has_role(s, "beheer"), "and not the role beheer");
		is_str(s->username, "balie", "the user name");
		is_str(s->branch, branch, "the branch chosen at login");
		ok(s->name[0] != '\0' && strlen(s->token) >= 32, "a name and a long token");
		api_set_token(api, s->token);
		struct api_reply *out = api_call(api, "DELETE", "/session", NULL, NULL);
		ok(out->outcome == API_OK && out->status == 204, "log out answers 204");
		api_reply_free(out);
		api_set_token(api, NULL);
	} else {
		free(err);
	}
	session_login_free(s);
	api_reply_free(r);

	r = login(api, "balie", "verkeerd", branch);
	ok(r->outcome == API_REFUSED && r->error == ERR_UNAUTHORIZED && r->status == 401,
	   "a wrong password is refused with unauthorized");
	is_str(api_reply_text(r), "Wrong user name or password, or the session has ended.",
	       "the desk's words for it");
	api_reply_free(r);

	r = login(api, "ido", "oefenen", "NOPE");
	ok(r->outcome == API_REFUSED && r->error == ERR_INVALID_FIELD && r->status == 422,
	   "an unknown branch is invalid_field");
	is_str(jsonx_string(r->error_details, "field"), "branch", "the details name the branch");
	api_reply_free(r);
}

struct tally {
	int calls, ok;
};

static void on_done(void *ctx, struct api_reply *reply)
{
	struct tally *t = ctx;
	t->calls++;
	t->ok += reply->outcome == API_OK;
}

static void check_async(struct api *api)
{
	struct tally t = { 0 };
	for (int i = 0; i < 6; i++)
		api_start(api, "GET", i % 2 ? "/health" : "/branches", NULL, NULL, on_done, &t);
	long deadline = clock_now_ms() + 10000;
	while (t.calls < 6 && clock_now_ms() < deadline) {
		api_wait(api, NULL, 0, 1000);
		api_dispatch(api);
	}
	ok(t.calls == 6 && t.ok == 6, "six requests at once all come back OK (%d of 6)", t.ok);
	ok(api_pending(api) == 0, "nothing is left open");
}

static void test_training(void)
{
	char *err = NULL;
	struct training *t = training_start(NULL, &err);
	ok(t != NULL, "training_start starts balied%s%s", t ? "" : ": ", t ? "" : err);
	if (!t) {
		free(err);
		return;
	}
	char *prefix = xasprintf("unix:%s/run/balie-training-", tmpdir);
	ok(strncmp(training_url(t), prefix, strlen(prefix)) == 0,
	   "the socket is in a private directory under XDG_RUNTIME_DIR (%s)", training_url(t));
	char *sock = xstrdup(training_url(t) + 5);
	char *dir = xstrdup(sock);
	*strrchr(dir, '/') = '\0';
	struct stat st;
	ok(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700, "the socket directory is 0700");
	char *db = xasprintf("%s/data/balie/training.db", tmpdir);
	char *log = xasprintf("%s/state/balie/training.log", tmpdir);
	ok(exists(db), "the database is under XDG_DATA_HOME");
	is_str(training_log_path(t), log, "balied's messages go to the log under XDG_STATE_HOME");

	struct api *api = api_new(training_url(t), NULL, &err);
	ok(api != NULL, "api_new takes the training URL");
	if (api) {
		char *branch = check_basics(api, "training");
		check_login(api, branch);
		check_async(api);
		free(branch);
		api_free(api);
	}

	pid_t pid = training_pid(t);
	ok(training_stop(t), "training_stop ends balied cleanly");
	ok(kill(pid, 0) != 0 && errno == ESRCH, "no balied process is left");
	ok(!exists(sock) && !exists(dir), "the socket and its directory are gone");
	free(prefix);
	free(sock);
	free(dir);
	free(db);
	free(log);
}

static void test_training_failures(void)
{
	char *err = NULL;
	struct training *t = training_start("/bin/false", &err);
	ok(t == NULL, "a balied that exits at once is a failure");
	char *log = xasprintf("%s/state/balie/training.log", tmpdir);
	ok(err && strstr(err, "stopped before it was ready") && strstr(err, log),
	   "the error says it stopped and points at the log (%s)", err ? err : "");
	free(err);
	err = NULL;
	t = training_start("/nonexistent/balied", &err);
	ok(t == NULL && err && strstr(err, "/nonexistent/balied"),
	   "a missing balied is named (%s)", err ? err : "");
	free(err);
	free(log);
}

/* Starts balied on a free loopback port; returns its pid and sets *port. */
static pid_t start_tcp_balied(const char *db, int *port, int *out_fd)
{
	int fds[2];
	if (pipe(fds) != 0)
		return -1;
	char *log = xasprintf("%s/tcp.log", tmpdir);
	int log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	free(log);
	pid_t pid = fork();
	if (pid == 0) {
		if (log_fd >= 0)
			dup2(log_fd, STDERR_FILENO); /* balied's messages stay out of the TAP */
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl(getenv("BALIED"), "balied", "--listen", "127.0.0.1:0", "--db", db, "--training",
		      (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	if (log_fd >= 0)
		close(log_fd);
	char line[256];
	size_t len = 0;
	long deadline = clock_now_ms() + 10000;
	*port = 0;
	while (len < sizeof line - 1 && !memchr(line, '\n', len) && clock_now_ms() < deadline) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		if (poll(&p, 1, (int)(deadline - clock_now_ms())) <= 0)
			continue;
		ssize_t n = read(fds[0], line + len, sizeof line - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	line[len] = '\0';
	*out_fd = fds[0]; /* kept open: balied must not get SIGPIPE for a late line */
	if (sscanf(line, "listening on http://127.0.0.1:%d", port) != 1)
		diag("balied said: %s", line);
	return pid;
}

static void test_tcp(void)
{
	char *db = xasprintf("%s/x.db", tmpdir);
	int port = 0, out_fd = -1;
	pid_t pid = start_tcp_balied(db, &port, &out_fd);
	ok(pid > 0 && port > 0, "balied --listen 127.0.0.1:0 says its port (%d)", port);
	if (port > 0) {
		char *url = xasprintf("http://127.0.0.1:%d", port);
		char *err = NULL;
		struct api *api = api_new(url, NULL, &err);
		ok(api != NULL, "api_new takes %s", url);
		if (api) {
			char *branch = check_basics(api, "tcp");
			struct api_reply *r = login(api, "beheer", "oefenen", branch);
			char *lerr = NULL;
			struct session_login *s = session_login_decode(r->body, &lerr);
			ok(s && session_has_role(s, "beheer"), "beheer logs in over TCP with its role");
			session_login_free(s);
			free(lerr);
			api_reply_free(r);
			free(branch);
			api_free(api);
		}
		free(url);
	}
	char *err = NULL;
	struct api *far = api_new("http://10.1.2.3", NULL, &err);
	ok(far == NULL, "api_new refuses http://10.1.2.3");
	is_str(err, "http:// is allowed only to this machine (127.0.0.1, ::1 or localhost); "
		    "use https:// for 10.1.2.3",
	       "with a clear error");
	free(err);
	if (pid > 0) {
		kill(pid, SIGTERM);
		int status = 0;
		waitpid(pid, &status, 0);
		ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "balied ends cleanly on SIGTERM");
		close(out_fd);
	}
	free(db);
}

int main(void)
{
	setenv("LC_ALL", "C", 1);
	if (!getenv("BALIED") || !mkdtemp(tmpdir)) {
		ok(false, "BALIED is set and a temporary directory can be made");
		return tap_done();
	}
	static const char *const vars[][2] = {
		{ "HOME", "home" }, { "XDG_RUNTIME_DIR", "run" }, { "XDG_DATA_HOME", "data" },
		{ "XDG_STATE_HOME", "state" }, { "XDG_CONFIG_HOME", "config" },
	};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		char *dir = xasprintf("%s/%s", tmpdir, vars[i][1]);
		char *err = NULL;
		if (!paths_mkdir_p(dir, 0700, &err))
			diag("%s", err);
		setenv(vars[i][0], dir, 1);
		free(dir);
	}
	test_training();
	test_training_failures();
	test_tcp();
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("could not remove %s", tmpdir);
	free(cmd);
	return tap_done();
}
