#include "client/training.h"

#include "core/clock.h"
#include "build_config.h"
#include "core/i18n.h"
#include "client/paths.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum {
	TRAINING_READY_MS = 10000,
	TRAINING_STOP_MS = 5000,
	TRAINING_LINE_MAX = 512,
};

struct training {
	pid_t pid;
	int pidfd;  /* readable when balied has ended; -1 when the kernel lacks it */
	int out_fd; /* balied's stdout */
	char *dir;
	char *socket;
	char *url;
	char *log;
};


static bool is_executable(const char *path)
{
	return access(path, X_OK) == 0;
}

char *training_find_balied(const char *balied_path)
{
	if (balied_path && *balied_path)
		return xstrdup(balied_path);
	const char *env = getenv("BALIED");
	if (env && *env)
		return xstrdup(env);
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			char *next_to_us = xasprintf("%s/balied", self);
			if (is_executable(next_to_us))
				return next_to_us;
			free(next_to_us);
		}
	}
	return xstrdup(BINDIR "/balied");
}

/* A fresh directory only we can enter, for the socket. */
static char *make_socket_dir(char **err)
{
	char *base = paths_base_dup(PATHS_RUNTIME);
	struct sockaddr_un sun;
	/* A runtime directory too deep for a socket path falls back to /tmp. */
	if (base && strlen(base) + strlen("/balie-training-XXXXXX/balied.sock") >= sizeof sun.sun_path) {
		free(base);
		base = NULL;
	}
	char *templ = xasprintf("%s/balie-training-XXXXXX", base ? base : "/tmp");
	free(base);
	if (!mkdtemp(templ)) {
		*err = xasprintf(_("cannot create a directory for the training service (%s): %s"),
				 templ, strerror(errno));
		free(templ);
		return NULL;
	}
	return templ;
}

static void training_free(struct training *t)
{
	if (t->out_fd >= 0)
		close(t->out_fd);
	if (t->pidfd >= 0)
		close(t->pidfd);
	if (t->socket)
		unlink(t->socket);
	if (t->dir)
		rmdir(t->dir);
	free(t->dir);
	free(t->socket);
	free(t->url);
	free(t->log);
	free(t);
}

/* In the child: never returns. Only async-signal-safe calls. */
static void exec_balied(const char *program, char *const argv[], int out_fd, int log_fd)
{
	/* balied must not outlive a desk that crashed, nor get the desk's ^C. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	setpgid(0, 0);
	int null_fd = open("/dev/null", O_RDONLY);
	if (null_fd >= 0)
		dup2(null_fd, STDIN_FILENO);
	dup2(out_fd, STDOUT_FILENO);
	dup2(log_fd, STDERR_FILENO);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	execv(program, argv);
	static const char msg[] = "balie: cannot run the training service\n";
	ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
	(void)ignored;
	_exit(127);
}

static bool spawn(struct training *t, const char *program, const char *db, char **err)
{
	int log_fd = open(t->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (log_fd < 0) {
		*err = xasprintf(_("cannot write the log file %s: %s"), t->log, strerror(errno));
		return false;
	}
	int pipe_fds[2];
	if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
		*err = xasprintf(_("cannot start the training service: %s"), strerror(errno));
		close(log_fd);
		return false;
	}
	char *argv[] = { (char *)program, (char *)"--training", (char *)"--socket", t->socket,
			 (char *)"--db", (char *)db, NULL };
	pid_t pid = fork();
	if (pid == 0)
		exec_balied(program, argv, pipe_fds[1], log_fd);
	close(pipe_fds[1]);
	close(log_fd);
	if (pid < 0) {
		*err = xasprintf(_("cannot start the training service: %s"), strerror(errno));
		close(pipe_fds[0]);
		return false;
	}
	t->pid = pid;
	t->out_fd = pipe_fds[0];
	t->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	return true;
}

/* Reads balied's stdout until its ready line; false at EOF, on a strange
 * line, or when the deadline passes. *why says which. */
static bool wait_ready(struct training *t, char **line_out, const char **why)
{
	char line[TRAINING_LINE_MAX];
	size_t len = 0;
	long deadline = clock_now_ms() + TRAINING_READY_MS;
	for (;;) {
		long left = deadline - clock_now_ms();
		if (left <= 0) {
			*why = "timeout";
			return false;
		}
		struct pollfd pfd = { .fd = t->out_fd, .events = POLLIN };
		int rc = poll(&pfd, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			continue;
		ssize_t n = read(t->out_fd, line + len, sizeof line - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*why = "exited";
			return false;
		}
		len += (size_t)n;
		line[len] = '\0';
		char *nl = strchr(line, '\n');
		if (nl) {
			*nl = '\0';
			*line_out = xstrdup(line);
			return true;
		}
		if (len == sizeof line - 1) {
			*why = "garbled";
			return false;
		}
	}
}

/* Waits until balied has ended, at most ms; true when it has. */
static bool wait_exit(struct training *t, long ms, int *status)
{
	long deadline = clock_now_ms() + ms;
	for (;;) {
		pid_t r = waitpid(t->pid, status, WNOHANG);
		if (r == t->pid || (r < 0 && errno == ECHILD))
			return true;
		long left = deadline - clock_now_ms();
		if (left <= 0)
			return false;
		/* Without a pidfd, look again every 10 ms until the deadline. */
		struct pollfd pfd = { .fd = t->pidfd, .events = POLLIN };
		poll(t->pidfd >= 0 ? &pfd : NULL, t->pidfd >= 0 ? 1 : 0,
		     t->pidfd >= 0 ? (int)left : (left < 10 ? (int)left : 10));
	}
}

static void describe_exit(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, _("exit status %d"), WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, _("signal %d"), WTERMSIG(status));
	else
		snprintf(buf, size, "?");
}

static bool start_and_wait(struct training *t, const char *program, const char *db, char **err)
{
	if (!spawn(t, program, db, err))
		return false;
	char *line = NULL;
	const char *why = NULL;
	bool ready = wait_ready(t, &line, &why);
	if (ready && strncmp(line, "listening on unix:/", 19) == 0) {
		t->url = xstrdup(line + strlen("listening on "));
		free(line);
		return true;
	}
	int status = 0;
	bool ended = wait_exit(t, strcmp(why ? why : "", "exited") == 0 ? TRAINING_STOP_MS : 0,
			       &status);
	if (!ended) {
		kill(t->pid, SIGKILL);
		wait_exit(t, TRAINING_STOP_MS, &status);
	}
	if (ready || (why && strcmp(why, "garbled") == 0))
		*err = xasprintf(_("the training service %s did not say it was ready; see %s"),
				 program, t->log);
	else if (ended) {
		char how[64];
		describe_exit(status, how, sizeof how);
		*err = xasprintf(_("the training service %s stopped before it was ready (%s); see %s"),
				 program, how, t->log);
	} else
		*err = xasprintf(_("the training service %s was not ready within %d seconds; see %s"),
				 program, TRAINING_READY_MS / 1000, t->log);
	free(line);
	t->pid = 0;
	return false;
}

struct training *training_start(const char *balied_path, char **err)
{
	struct training *t = xcalloc(1, sizeof *t);
	t->out_fd = -1;
	t->pidfd = -1;
	char *program = training_find_balied(balied_path);
	char *db = paths_app_file_dup(PATHS_DATA, "training.db", true, err);
	t->log = db ? paths_app_file_dup(PATHS_STATE, "training.log", true, err) : NULL;
	t->dir = t->log ? make_socket_dir(err) : NULL;
	bool ok = false;
	if (t->dir) {
		t->socket = xasprintf("%s/balied.sock", t->dir);
		if (!is_executable(program))
			*err = xasprintf(_("cannot find the training service %s; set \"balied\" in balie.conf"),
					 program);
		else
			ok = start_and_wait(t, program, db, err);
	}
	free(program);
	free(db);
	if (!ok) {
		training_free(t);
		return NULL;
	}
	return t;
}

const char *training_url(const struct training *t)
{
	return t->url;
}

const char *training_log_path(const struct training *t)
{
	return t->log;
}

pid_t training_pid(const struct training *t)
{
	return t->pid;
}

bool training_stop(struct training *t)
{
	if (!t)
		return true;
	bool clean = true;
	if (t->pid > 0) {
		int status = 0;
		kill(t->pid, SIGTERM);
		if (!wait_exit(t, TRAINING_STOP_MS, &status)) {
			kill(t->pid, SIGKILL);
			wait_exit(t, TRAINING_STOP_MS, &status);
			clean = false;
		} else if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0) &&
			   !(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM)) {
			clean = false; /* ended by our SIGTERM without a handler is fine too */
		}
	}
	training_free(t);
	return clean;
}
