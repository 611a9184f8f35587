/* The fixed world of a tui test (see tuienv.h). */
#include "tuienv.h"
#include "core/clock.h"

#include "core/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *tuienv_balie(void)
{
	return getenv("BALIE");
}

const char *tuienv_balied(void)
{
	return getenv("BALIED");
}

const char *tuienv_localedir(void)
{
	return getenv("BALIE_LOCALEDIR");
}

/* mkdir -p for the directories above path (and path itself when whole). */
static bool tuienv_mkdirs(const char *path, bool whole, char **err)
{
	char *copy = xstrdup(path);
	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
			*err = xasprintf("mkdir %s: %s", copy, strerror(errno));
			free(copy);
			return false;
		}
		*p = '/';
	}
	bool ok = !whole || mkdir(copy, 0700) == 0 || errno == EEXIST;
	if (!ok)
		*err = xasprintf("mkdir %s: %s", copy, strerror(errno));
	free(copy);
	return ok;
}

char *tuienv_home_new(char **err)
{
	/* Short and under /tmp: the training socket lives in home/run and a
	 * Unix socket path must fit in 108 bytes. */
	char tmpl[] = "/tmp/balie-tui-XXXXXX";
	if (!mkdtemp(tmpl)) {
		*err = xasprintf("mkdtemp: %s", strerror(errno));
		return NULL;
	}
	static const char *const dirs[] = {".config", ".local/share", ".local/state", "run"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		char *dir = xasprintf("%s/%s", tmpl, dirs[i]);
		bool ok = tuienv_mkdirs(dir, true, err);
		free(dir);
		if (!ok) {
			tuienv_home_remove(tmpl);
			return NULL;
		}
	}
	return xstrdup(tmpl);
}

static int tuienv_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void tuienv_home_remove(const char *home)
{
	if (home && strncmp(home, "/tmp/balie-tui-", 15) == 0)
		nftw(home, tuienv_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

bool tuienv_write(const char *home, const char *relpath, const char *content, char **err)
{
	char *path = xasprintf("%s/%s", home, relpath);
	bool ok = tuienv_mkdirs(path, false, err);
	FILE *f = NULL;
	if (ok) {
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		f = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!f) {
			*err = xasprintf("%s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			ok = false;
		}
	}
	if (f) {
		fputs(content, f);
		if (fclose(f) != 0) {
			*err = xasprintf("%s: %s", path, strerror(errno));
			ok = false;
		}
	}
	free(path);
	return ok;
}

char **tuienv_envp_new(const struct tuienv_opts *opts)
{
	/* Sanitizer settings pass through, so that the sanitizer build's
	 * reports keep their configuration; nothing else is inherited. */
	static const char *const pass[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
					   "MALLOC_PERTURB_"};
	size_t extra = 0;
	while (opts->extra && opts->extra[extra])
		extra++;
	char **env = xcalloc(32 + extra, sizeof *env);
	size_t n = 0;
	const char *home = opts->home;
	env[n++] = xstrdup("PATH=/usr/local/bin:/usr/bin:/bin");
	/* A test of another terminal type says so among its extra names. */
	bool own_term = false;
	for (size_t i = 0; i < extra; i++)
		own_term = own_term || strncmp(opts->extra[i], "TERM=", 5) == 0;
	if (!own_term)
		env[n++] = xstrdup("TERM=xterm-256color");
	env[n++] = xstrdup("TZ=Europe/Amsterdam");
	env[n++] = xasprintf("LANG=%s", opts->lang);
	env[n++] = xasprintf("LC_ALL=%s", opts->lang);
	env[n++] = xasprintf("HOME=%s", home);
	env[n++] = xasprintf("XDG_CONFIG_HOME=%s/.config", home);
	env[n++] = xasprintf("XDG_DATA_HOME=%s/.local/share", home);
	env[n++] = xasprintf("XDG_STATE_HOME=%s/.local/state", home);
	env[n++] = xasprintf("XDG_RUNTIME_DIR=%s/run", home);
	if (tuienv_localedir())
		env[n++] = xasprintf("BALIE_LOCALEDIR=%s", tuienv_localedir());
	if (tuienv_balied())
		env[n++] = xasprintf("BALIED=%s", tuienv_balied());
	if (opts->no_color)
		env[n++] = xstrdup("NO_COLOR=1");
	for (size_t i = 0; i < sizeof pass / sizeof pass[0]; i++) {
		const char *v = getenv(pass[i]);
		if (v)
			env[n++] = xasprintf("%s=%s", pass[i], v);
	}
	for (size_t i = 0; i < extra; i++)
		env[n++] = xstrdup(opts->extra[i]);
	env[n] = NULL;
	return env;
}

void tuienv_envp_free(char **envp)
{
	for (size_t i = 0; envp && envp[i]; i++)
		free(envp[i]);
	free(envp);
}

bool tuienv_locale_exists(const char *name)
{
	locale_t loc = newlocale(LC_ALL_MASK, name, (locale_t)0);
	if (loc == (locale_t)0)
		return false;
	freelocale(loc);
	return true;
}

static void tuienv_append(char **buf, size_t *len, const char *data, size_t n)
{
	*buf = xrealloc(*buf, *len + n + 1);
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/* Waits for pid with a deadline; SIGKILL after it. Returns the status or -1. */
static int tuienv_reap(pid_t pid, long long deadline)
{
	int status;
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		long long left = deadline - clock_now_ms();
		if (r < 0 || left <= 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			status = -1;
			break;
		}
		struct pollfd p = {.fd = pidfd, .events = POLLIN};
		poll(&p, 1, pidfd < 0 && left > 50 ? 50 : (int)left);
	}
	if (pidfd >= 0)
		close(pidfd);
	return status;
}

bool tuienv_run(const char *const *argv, char *const *envp, int deadline_ms,
		struct tuienv_run *run)
{
	int out[2], err[2];
	memset(run, 0, sizeof *run);
	run->out = xstrdup("");
	run->err = xstrdup("");
	if (pipe2(out, O_CLOEXEC) != 0)
		return false;
	if (pipe2(err, O_CLOEXEC) != 0) {
		close(out[0]);
		close(out[1]);
		return false;
	}
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		setsid(); /* no controlling terminal */
		execve(argv[0], (char *const *)argv, envp);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	if (pid < 0) {
		close(out[0]);
		close(err[0]);
		return false;
	}
	long long deadline = clock_now_ms() + deadline_ms;
	size_t outlen = 0, errlen = 0;
	struct pollfd p[2] = {{.fd = out[0], .events = POLLIN}, {.fd = err[0], .events = POLLIN}};
	while (p[0].fd >= 0 || p[1].fd >= 0) {
		long long left = deadline - clock_now_ms();
		if (left <= 0 || poll(p, 2, (int)left) <= 0)
			break;
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char buf[4096];
			ssize_t n = read(p[i].fd, buf, sizeof buf);
			if (n > 0) {
				if (i == 0)
					tuienv_append(&run->out, &outlen, buf, (size_t)n);
				else
					tuienv_append(&run->err, &errlen, buf, (size_t)n);
			} else if (n == 0 || errno != EINTR) {
				close(p[i].fd);
				p[i].fd = -1;
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	run->status = tuienv_reap(pid, deadline);
	return true;
}

void tuienv_run_free(struct tuienv_run *run)
{
	free(run->out);
	free(run->err);
	run->out = run->err = NULL;
}

/* Reads a /proc file whole (NUL bytes kept); *len gets its length. */
static char *tuienv_slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *buf = NULL;
	*len = 0;
	char chunk[4096];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		tuienv_append(&buf, len, chunk, (size_t)n);
	close(fd);
	return buf;
}

/* True when the process /proc/pid runs with home: HOME=home in its
 * environment, or home in its command line (socket, database paths). */
static bool tuienv_proc_uses(const char *pid, const char *home)
{
	char *want = xasprintf("HOME=%s", home);
	bool found = false;
	static const char *const files[] = {"environ", "cmdline"};
	for (size_t f = 0; f < 2 && !found; f++) {
		char *path = xasprintf("/proc/%s/%s", pid, files[f]);
		size_t len;
		char *data = tuienv_slurp(path, &len);
		free(path);
		for (size_t i = 0; data && i < len && !found; i += strlen(data + i) + 1)
			found = f == 0 ? strcmp(data + i, want) == 0 : strstr(data + i, home) != NULL;
		free(data);
	}
	free(want);
	return found;
}

/* The process's state letter from /proc/pid/stat ('Z' for a zombie). */
static char tuienv_proc_state(const char *pid)
{
	char *path = xasprintf("/proc/%s/stat", pid);
	size_t len;
	char *data = tuienv_slurp(path, &len);
	free(path);
	char state = '?';
	const char *paren = data ? strrchr(data, ')') : NULL;
	if (paren && paren[1] == ' ')
		state = paren[2];
	free(data);
	return state;
}

/* Counts the processes using home; prints and kills them when final. */
static int tuienv_scan(const char *home, bool final)
{
	DIR *proc = opendir("/proc");
	if (!proc)
		return 0;
	int count = 0;
	struct dirent *de;
	while ((de = readdir(proc)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end != '\0' || pid <= 0 || pid == getpid())
			continue;
		if (!tuienv_proc_uses(de->d_name, home) || tuienv_proc_state(de->d_name) == 'Z')
			continue;
		count++;
		if (!final)
			continue;
		char *path = xasprintf("/proc/%s/cmdline", de->d_name);
		size_t len;
		char *cmd = tuienv_slurp(path, &len);
		free(path);
		for (size_t i = 0; cmd && i + 1 < len; i++)
			if (cmd[i] == '\0')
				cmd[i] = ' ';
		printf("# stray process %ld: %s\n", pid, cmd ? cmd : "?");
		free(cmd);
		kill((pid_t)pid, SIGKILL);
	}
	closedir(proc);
	return count;
}

int tuienv_strays(const char *home, int deadline_ms)
{
	long long deadline = clock_now_ms() + deadline_ms;
	/* A service told to stop may take a moment to finish: look again every
	 * 20 ms until none is left or the deadline has passed. */
	while (tuienv_scan(home, false) > 0 && clock_now_ms() < deadline)
		nanosleep(&(struct timespec){.tv_nsec = 20 * 1000000}, NULL);
	return tuienv_scan(home, true);
}
