/* Starting and stopping the real desk for a tui test (see desk.h). */
#include "desk.h"

#include "core/xalloc.h"
#include "diag.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* argv for balie: its path, then args, "~/" at the start of one standing
 * for the home. Allocated, with allocated strings; free with
 * desk_argv_free. */
static char **desk_argv_new(const char *const *args, const char *home)
{
	size_t n = 0;
	while (args && args[n])
		n++;
	char **argv = xcalloc(n + 2, sizeof *argv);
	argv[0] = xstrdup(tuienv_balie());
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = strncmp(args[i], "~/", 2) == 0 ? xasprintf("%s/%s", home, args[i] + 2)
							      : xstrdup(args[i]);
	return argv;
}

static void desk_argv_free(char **argv)
{
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* A fresh home with the files of opts; NULL (after saying why) if not. */
static char *desk_home_new(const struct desk_opts *opts)
{
	char *err = NULL;
	char *home = tuienv_home_new(&err);
	if (!home) {
		test_diag("a temporary home: %s", err);
		free(err);
		return NULL;
	}
	for (size_t i = 0; opts->files && opts->files[i].path; i++) {
		if (!tuienv_write(home, opts->files[i].path, opts->files[i].content, &err)) {
			test_diag("write %s: %s", opts->files[i].path, err);
			free(err);
			tuienv_home_remove(home);
			free(home);
			return NULL;
		}
	}
	return home;
}

static bool desk_have_programs(void)
{
	if (tuienv_balie() && tuienv_balied() && tuienv_localedir())
		return true;
	test_diag("BALIE=%s BALIED=%s BALIE_LOCALEDIR=%s: meson sets them once balie and "
		  "balied are built",
		  tuienv_balie() ? tuienv_balie() : "(unset)",
		  tuienv_balied() ? tuienv_balied() : "(unset)",
		  tuienv_localedir() ? tuienv_localedir() : "(unset)");
	return false;
}

struct desk *desk_start(const struct desk_opts *opts)
{
	if (!desk_have_programs())
		return NULL;
	char *home = desk_home_new(opts);
	if (!home)
		return NULL;
	struct desk *d = xcalloc(1, sizeof *d);
	d->home = home;
	d->envp = tuienv_envp_new(&(struct tuienv_opts){
		.home = home,
		.lang = opts->lang ? opts->lang : "C.UTF-8",
		.no_color = opts->no_color,
		.extra = opts->extra_env,
	});
	char **argv = desk_argv_new(opts->args, home);
	char *err = NULL;
	d->vt = vt_spawn(&(struct vt_spawn){.argv = (const char *const *)argv, .envp = d->envp,
					    .rows = opts->rows, .cols = opts->cols,
					    .fsize_limit = opts->fsize_limit},
			 &err);
	desk_argv_free(argv);
	if (!d->vt) {
		test_diag("balie cannot start in a pty: %s", err);
		free(err);
		desk_stop(d);
		return NULL;
	}
	return d;
}

bool desk_run(const struct desk_opts *opts, struct tuienv_run *run)
{
	memset(run, 0, sizeof *run);
	if (!desk_have_programs())
		return false;
	char *home = desk_home_new(opts);
	if (!home)
		return false;
	char **envp = tuienv_envp_new(&(struct tuienv_opts){
		.home = home,
		.lang = opts->lang ? opts->lang : "C.UTF-8",
		.no_color = opts->no_color,
		.extra = opts->extra_env,
	});
	char **argv = desk_argv_new(opts->args, home);
	bool started = tuienv_run((const char *const *)argv, envp, DESK_STEP_MS, run);
	if (!started)
		test_diag("balie cannot be started");
	/* Strays are killed and named here; the test sees it as a failure. */
	if (tuienv_strays(home, DESK_STEP_MS) > 0)
		started = false;
	desk_argv_free(argv);
	tuienv_envp_free(envp);
	tuienv_home_remove(home);
	free(home);
	return started;
}

bool desk_type_login(struct desk *d, const char *user, const char *password)
{
	return vt_send(d->vt, user) && vt_key(d->vt, "Tab") && vt_send(d->vt, password) &&
	       vt_key(d->vt, "Enter");
}

bool desk_stop(struct desk *d)
{
	return desk_finish(d, 0);
}

bool desk_finish(struct desk *d, int want_exit)
{
	if (!d)
		return false;
	bool clean = true;
	if (d->vt) {
		bool by_itself = vt_exited(d->vt);
		if (!by_itself) {
			kill(vt_pid(d->vt), SIGTERM);
			vt_wait_exit(d->vt, DESK_STEP_MS, NULL);
		}
		/* A desk that ended by itself or on SIGTERM gives the terminal
		 * back as it found it: the main screen, the cursor visible. */
		if (vt_exited(d->vt) && (vt_altscreen(d->vt) || !vt_cursor_visible(d->vt))) {
			test_diag("balie left the terminal in %s%s",
				  vt_altscreen(d->vt) ? "the alternate screen " : "",
				  vt_cursor_visible(d->vt) ? "" : "with the cursor hidden");
			vt_dump(d->vt, stdout);
			clean = false;
		}
		int status = vt_close(d->vt);
		/* Exit status 0 also means the sanitizers found nothing. */
		if (!WIFEXITED(status) || (want_exit >= 0 && WEXITSTATUS(status) != want_exit)) {
			test_diag("balie %s: exit status %d, signal %d",
				  by_itself ? "ended badly" : "did not end cleanly on SIGTERM",
				  WIFEXITED(status) ? WEXITSTATUS(status) : -1,
				  WIFSIGNALED(status) ? WTERMSIG(status) : 0);
			clean = false;
		}
		if (tuienv_strays(d->home, DESK_STEP_MS) > 0)
			clean = false;
	} else {
		clean = false;
	}
	tuienv_envp_free(d->envp);
	tuienv_home_remove(d->home);
	free(d->home);
	free(d);
	return clean;
}

bool desk_need_locale(const char *name)
{
	if (tuienv_locale_exists(name))
		return true;
	test_diag("the locale %s is missing; generate it: sed -i 's/^# *%s/%s/' /etc/locale.gen "
		  "&& locale-gen",
		  name, name, name);
	return false;
}
