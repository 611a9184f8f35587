#include "app.h"

#include "frame.h"
#include "help.h"
#include "home.h"
#include "jsonx.h"
#include "i18n.h"
#include "lock.h"
#include "login.h"
#include "session.h"
#include "term.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How long after Escape the next key still counts as Esc-x. */
enum { APP_ESC_MS = 500, APP_MAX_WAIT_MS = 60000, APP_LOGOUT_MS = 1000 };
/* How often the top line's online state is checked with GET /health. */
enum { APP_HEALTH_MS = 30000 };

struct app {
	const struct app_setup *setup;
	enum ui_screen screen;
	enum ui_screen locked_from; /* where unlocking returns to */
	struct login login;
	struct lock lock;
	struct help help;
	struct session_login *session; /* NULL while nobody is logged in */
	bool unreachable;
	bool quit;
	bool dirty, repaint;
	bool esc_pending;
	long long esc_deadline;
	long long last_input;
	long long next_health;
	time_t shown_minute;
	unsigned req_health, req_branches, req_login, req_unlock;
};

static volatile sig_atomic_t app_signal;
static int app_pipe[2] = { -1, -1 };

/* Only a flag and a byte in the self-pipe: the loop does the work. */
static void app_on_signal(int sig)
{
	int saved = errno;
	app_signal = sig;
	if (app_pipe[1] >= 0)
		(void)!write(app_pipe[1], "", 1);
	errno = saved;
}

static long long app_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *app_branch_name(const struct app *app, const char *code)
{
	const struct session_branch *b =
		app->login.branches ? session_branches_find(app->login.branches, code) : NULL;
	return b ? b->name : code;
}

static void app_note_reach(struct app *app, const struct api_reply *reply)
{
	app->unreachable = reply->outcome == API_UNREACHABLE;
	app->dirty = true;
}

/* A result the desk must act on rings the bell, unless balie.conf says not to. */
static void app_attention(const struct app *app)
{
	if (app->setup->cfg->bell)
		beep();
}

/* ---- talking to the service ---- */

static void app_on_health(void *ctx, struct api_reply *reply)
{
	struct app *app = ctx;
	app->req_health = 0;
	app_note_reach(app, reply);
	if (reply->outcome != API_OK)
		return;
	struct session_health *h = session_health_decode(reply->body, NULL);
	if (h && h->training)
		app->login.training = true;
	session_health_free(h);
}

static void app_fetch_branches(struct app *app);

/* The service is back: the branches that could not be loaded are loaded now. */
static void app_on_health_checked(void *ctx, struct api_reply *reply)
{
	struct app *app = ctx;
	app_on_health(ctx, reply);
	if (reply->outcome == API_OK && !app->login.branches && !app->req_branches)
		app_fetch_branches(app);
}

static void app_send_login(struct app *app);

static void app_on_branches(void *ctx, struct api_reply *reply)
{
	struct app *app = ctx;
	app->req_branches = 0;
	app_note_reach(app, reply);
	struct session_branches *b = NULL;
	if (reply->outcome == API_OK)
		b = session_branches_decode(reply->body, NULL);
	bool send = app->login.send_waiting;
	app->login.send_waiting = false;
	if (b) {
		login_set_branches(&app->login, b, app->setup->cfg->branch);
		login_set_message(&app->login, NULL, false);
		/* Enter was pressed before the list came: do what was asked. */
		if (send && login_action(&app->login, ACTION_SUBMIT) == LOGIN_SEND)
			app_send_login(app);
		return;
	}
	const char *why = reply->outcome == API_OK ? _("The service gave an answer this desk does not understand.")
						   : api_reply_text(reply);
	char *msg = xasprintf(_("The branches could not be loaded. %s Press Enter to try again."), why);
	login_set_message(&app->login, msg, true);
	free(msg);
}

static void app_check_health(struct app *app)
{
	app->next_health = app_now_ms() + APP_HEALTH_MS;
	if (!app->req_health)
		app->req_health = api_start(app->setup->api, "GET", "/health", NULL, NULL,
					    app_on_health_checked, app);
}

static void app_fetch_branches(struct app *app)
{
	if (app->req_branches)
		return;
	login_set_message(&app->login, _("Loading the branches..."), false);
	app->req_branches = api_start(app->setup->api, "GET", "/branches", NULL, NULL,
				      app_on_branches, app);
}

/* The words for a refused or failed log-in, allocated. */
static char *app_login_failure_dup(const struct api_reply *reply)
{
	const char *text = api_reply_text(reply);
	long long wait = 0;
	if (reply->outcome == API_REFUSED && reply->error == ERR_RATE_LIMITED &&
	    reply->error_details && jsonx_int(reply->error_details, "retry_after", &wait) && wait > 0) {
		if (wait > 90) {
			long long minutes = (wait + 59) / 60;
			return xasprintf(P_("Too many attempts. Wait %lld minute and try again.",
					    "Too many attempts. Wait %lld minutes and try again.",
					    (unsigned long)minutes),
					 minutes);
		}
		return xasprintf(P_("Too many attempts. Wait %lld second and try again.",
				    "Too many attempts. Wait %lld seconds and try again.",
				    (unsigned long)wait),
				 wait);
	}
	if (reply->outcome == API_UNREACHABLE)
		return xasprintf("%s %s", text, _("Press Enter to try again."));
	return xstrdup(text);
}

static void app_on_login(void *ctx, struct api_reply *reply)
{
	struct app *app = ctx;
	app->req_login = 0;
	app->login.busy = false;
	app_note_reach(app, reply);
	struct session_login *s = NULL;
	if (reply->outcome == API_OK)
		s = session_login_decode(reply->body, NULL);
	if (s) {
		app->session = s;
		api_set_token(app->setup->api, s->token);
		login_reset(&app->login, true);
		login_set_message(&app->login, NULL, false);
		app->screen = SCREEN_HOME;
		app->last_input = app_now_ms();
		return;
	}
	char *msg = reply->outcome == API_OK
			    ? xstrdup(_("The service gave an answer this desk does not understand."))
			    : app_login_failure_dup(reply);
	login_set_message(&app->login, msg, true);
	free(msg);
	app_attention(app);
	/* A refused password is typed again; an unreachable service is retried as it is. */
	if (reply->outcome == API_REFUSED)
		login_reset(&app->login, false);
}

static void app_send_login(struct app *app)
{
	const struct session_branch *b = login_branch(&app->login);
	if (!b) {
		app_fetch_branches(app);
		return;
	}
	char *user = field_text_dup(&app->login.user);
	char *password = field_text_dup(&app->login.password);
	cJSON *body = session_login_body_new(user, password, b->code, app->setup->cfg->terminal);
	api_set_token(app->setup->api, NULL);
	app->req_login = api_start(app->setup->api, "POST", "/session", body, NULL, app_on_login, app);
	cJSON_Delete(body);
	explicit_bzero(password, strlen(password));
	free(password);
	free(user);
	app->login.busy = true;
	login_set_message(&app->login, NULL, false);
}

static void app_on_unlock(void *ctx, struct api_reply *reply)
{
	struct app *app = ctx;
	app->req_unlock = 0;
	app->lock.busy = false;
	app_note_reach(app, reply);
	struct session_login *s = NULL;
	if (reply->outcome == API_OK)
		s = session_login_decode(reply->body, NULL);
	if (!s) {
		bool wrong = reply->outcome == API_REFUSED && reply->error == ERR_UNAUTHORIZED;
		char *msg = wrong ? xstrdup(_("Wrong password."))
			    : reply->outcome == API_OK
				    ? xstrdup(_("The service gave an answer this desk does not understand."))
				    : app_login_failure_dup(reply);
		lock_set_message(&app->lock, msg);
		free(msg);
		field_clear(&app->lock.password);
		app_attention(app);
		return;
	}
	/* The unlock made a new session: end the old one with its own token. */
	api_start(app->setup->api, "DELETE", "/session", NULL, NULL, NULL, NULL);
	api_set_token(app->setup->api, s->token);
	session_login_free(app->session);
	app->session = s;
	lock_reset(&app->lock);
	app->screen = app->locked_from;
	app->last_input = app_now_ms();
}

static void app_send_unlock(struct app *app)
{
	if (app->lock.busy || field_is_empty(&app->lock.password))
		return;
	char *password = field_text_dup(&app->lock.password);
	cJSON *body = session_login_body_new(app->session->username, password, app->session->branch,
					     app->setup->cfg->terminal);
	app->req_unlock = api_start(app->setup->api, "POST", "/session", body, NULL, app_on_unlock, app);
	cJSON_Delete(body);
	explicit_bzero(password, strlen(password));
	free(password);
	app->lock.busy = true;
	lock_set_message(&app->lock, NULL);
}

/* ---- what actions do ---- */

static void app_lock(struct app *app)
{
	if (!app->session || app->screen == SCREEN_LOCK)
		return;
	lock_reset(&app->lock);
	app->locked_from = app->screen;
	app->screen = SCREEN_LOCK;
	app->dirty = true;
}

static void app_logout(struct app *app)
{
	if (!app->session)
		return;
	if (app->req_unlock)
		api_cancel(app->setup->api, app->req_unlock);
	app->req_unlock = 0;
	api_start(app->setup->api, "DELETE", "/session", NULL, NULL, NULL, NULL);
	api_set_token(app->setup->api, NULL);
	session_login_free(app->session);
	app->session = NULL;
	lock_reset(&app->lock);
	login_reset(&app->login, true);
	login_set_message(&app->login, NULL, false);
	app->screen = SCREEN_LOGIN;
	if (!app->login.branches)
		app_fetch_branches(app);
}

static int app_help_rows(void)
{
	return LINES - 5 > 1 ? LINES - 5 : 1;
}

static void app_do(struct app *app, enum action a)
{
	switch (a) {
	case ACTION_HELP:
		help_open(&app->help, app->screen);
		app->screen = SCREEN_HELP;
		break;
	case ACTION_BACK:
		app->screen = app->help.of;
		break;
	case ACTION_REDRAW:
		app->repaint = true;
		break;
	case ACTION_LOGOUT:
		app_logout(app);
		break;
	case ACTION_LOCK:
		app_lock(app);
		break;
	case ACTION_QUIT:
		app->quit = true;
		break;
	case ACTION_SUBMIT:
		if (app->screen == SCREEN_LOCK) {
			app_send_unlock(app);
			break;
		}
		/* fall through */
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
	case ACTION_NEXT_BRANCH:
	case ACTION_PREV_BRANCH:
		switch (login_action(&app->login, a)) {
		case LOGIN_SEND:
			app_send_login(app);
			break;
		case LOGIN_FETCH_BRANCHES:
			app_fetch_branches(app);
			break;
		case LOGIN_NOTHING:
			break;
		}
		break;
	case ACTION_SCROLL_UP:
	case ACTION_SCROLL_DOWN:
	case ACTION_PAGE_UP:
	case ACTION_PAGE_DOWN:
	case ACTION_TOP:
	case ACTION_BOTTOM:
		help_action(&app->help, a, app->setup->km, app_help_rows());
		break;
	case ACTION_NONE:
	case ACTION_COUNT:
		break;
	}
}

/* One key, after the Esc prefix was resolved. */
static void app_deliver(struct app *app, keycode k)
{
	app->last_input = app_now_ms();
	app->dirty = true;
	/* On a screen with a text field, characters are typing (or scanning). */
	bool typing = (app->screen == SCREEN_LOGIN || app->screen == SCREEN_LOCK) && keys_is_text(k);
	enum action a = typing ? ACTION_NONE : keymap_lookup(app->setup->km, app->screen, k);
	if (a != ACTION_NONE) {
		app_do(app, a);
	} else if (app->screen == SCREEN_LOGIN) {
		login_key(&app->login, k);
	} else if (app->screen == SCREEN_LOCK) {
		field_key(&app->lock.password, k);
	}
}

static void app_key(struct app *app, keycode k)
{
	if (app->esc_pending) {
		app->esc_pending = false;
		if (k == KEYC_ESC) {
			app_deliver(app, KEYC_ESC);
		} else if (keymap_lookup(app->setup->km, app->screen, k | KEYC_ESC_PREFIX) != ACTION_NONE) {
			app_deliver(app, k | KEYC_ESC_PREFIX);
			return;
		} else {
			app_deliver(app, KEYC_ESC);
			app_deliver(app, k);
			return;
		}
	}
	if (k == KEYC_ESC) {
		app->esc_pending = true;
		app->esc_deadline = app_now_ms() + APP_ESC_MS;
		return;
	}
	app_deliver(app, k);
}

static void app_read_keys(struct app *app)
{
	wint_t wc;
	int rc;
	while (!app->quit && (rc = get_wch(&wc)) != ERR) {
		keycode k = keys_from_curses(rc, wc);
		if (k == KEYC_RESIZE) {
			app->repaint = app->dirty = true;
		} else if (k != KEYC_NONE) {
			app_key(app, k);
		}
	}
}

/* ---- time ---- */

static bool app_idle_applies(const struct app *app)
{
	return app->session && app->screen != SCREEN_LOCK && app->setup->cfg->idle_lock > 0;
}

static int app_timeout_ms(const struct app *app)
{
	long long now = app_now_ms();
	long long next = now + APP_MAX_WAIT_MS;
	if (app->esc_pending && app->esc_deadline < next)
		next = app->esc_deadline;
	if (app_idle_applies(app)) {
		long long idle = app->last_input + (long long)app->setup->cfg->idle_lock * 1000;
		if (idle < next)
			next = idle;
	}
	if (app->next_health < next)
		next = app->next_health;
	long long minute = now + (60 - time(NULL) % 60) * 1000LL;
	if (minute < next)
		next = minute;
	return next <= now ? 0 : (int)(next - now);
}

static void app_timers(struct app *app)
{
	long long now = app_now_ms();
	if (app->esc_pending && now >= app->esc_deadline) {
		app->esc_pending = false;
		app_deliver(app, KEYC_ESC);
	}
	if (app_idle_applies(app) &&
	    now - app->last_input >= (long long)app->setup->cfg->idle_lock * 1000)
		app_lock(app);
	if (now >= app->next_health)
		app_check_health(app);
	if (time(NULL) / 60 != app->shown_minute)
		app->dirty = true;
}

/* ---- drawing ---- */

static void app_draw(struct app *app)
{
	const struct keymap *km = app->setup->km;
	int rows = LINES, cols = COLS;
	if (app->repaint)
		clearok(stdscr, TRUE);
	app->repaint = false;
	werase(stdscr);
	time_t now = time(NULL);
	app->shown_minute = now / 60;
	const struct session_branch *chosen = login_branch(&app->login);
	struct frame_status st = {
		.branch = app->session ? app_branch_name(app, app->session->branch)
					: chosen ? chosen->name : NULL,
		.terminal = app->setup->cfg->terminal,
		.staff = app->session ? app->session->name : NULL,
		.training = app->login.training,
		.unreachable = app->unreachable,
		.now = now,
	};
	frame_draw_top(stdscr, cols, &st);
	int top = 1, bottom = rows - 2, cy = -1, cx = -1;
	switch (app->screen) {
	case SCREEN_LOGIN:
		login_draw(&app->login, stdscr, top, bottom, cols, &cy, &cx);
		break;
	case SCREEN_HOME:
		home_draw(stdscr, top, bottom, cols, app->session, st.branch, km, now);
		break;
	case SCREEN_HELP:
		help_draw(&app->help, stdscr, top, bottom, cols, km);
		break;
	case SCREEN_LOCK:
		lock_draw(&app->lock, stdscr, top, bottom, cols, app->session->name,
			  app->session->username, &cy, &cx);
		break;
	case SCREEN_GLOBAL:
	case SCREEN_COUNT:
		break;
	}
	frame_draw_keys(stdscr, rows - 1, cols, km, app->screen);
	if (cy >= 0) {
		curs_set(1);
		wmove(stdscr, cy, cx);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
	app->dirty = false;
}

/* ---- the loop ---- */

static bool app_signals_start(char **err)
{
	if (pipe2(app_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		*err = xasprintf("pipe: %s", strerror(errno));
		return false;
	}
	struct sigaction sa = { .sa_handler = app_on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return true;
}

static void app_signals_stop(void)
{
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	for (int i = 0; i < 2; i++) {
		if (app_pipe[i] >= 0)
			close(app_pipe[i]);
		app_pipe[i] = -1;
	}
}

static void app_loop(struct app *app)
{
	struct api *api = app->setup->api;
	while (!app->quit && !app_signal) {
		if (app->dirty || app->repaint)
			app_draw(app);
		struct api_waitfd fds[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = app_pipe[0], .events = POLLIN },
		};
		api_wait(api, fds, 2, app_timeout_ms(app));
		char drain[64];
		while (read(app_pipe[0], drain, sizeof drain) > 0)
			;
		api_dispatch(api);
		app_read_keys(app);
		app_timers(app);
	}
}

/* Ends what is still open, so that no callback reaches a freed app. */
static void app_finish(struct app *app)
{
	struct api *api = app->setup->api;
	unsigned *reqs[] = { &app->req_health, &app->req_branches, &app->req_login, &app->req_unlock };
	for (size_t i = 0; i < 4; i++) {
		if (*reqs[i])
			api_cancel(api, *reqs[i]);
		*reqs[i] = 0;
	}
	if (app->session) {
		/* Log out on the way out; briefly, the desk is closing. */
		api_set_timeout_ms(api, APP_LOGOUT_MS);
		api_reply_free(api_call(api, "DELETE", "/session", NULL, NULL));
		api_set_token(api, NULL);
		session_login_free(app->session);
		app->session = NULL;
	}
}

bool app_run(const struct app_setup *setup, char **err)
{
	if (!app_signals_start(err))
		return false;
	if (!term_start(setup->colour, err)) {
		app_signals_stop();
		return false;
	}
	struct app app = { .setup = setup, .screen = SCREEN_LOGIN, .dirty = true };
	login_init(&app.login);
	lock_init(&app.lock);
	app.login.training = setup->training;
	app.last_input = app_now_ms();
	app_check_health(&app);
	app_fetch_branches(&app);
	app_loop(&app);
	app_finish(&app);
	term_stop();
	app_signals_stop();
	login_free(&app.login);
	lock_free(&app.lock);
	return true;
}
