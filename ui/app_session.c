#include "ui/app_session.h"

#include "ui/app_state.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "ui/roles.h"
#include "core/xalloc.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

/* How long the desk waits for its log-out when it closes. */
enum { APP_LOGOUT_MS = 1000 };

const char *app_branch_name(const struct app *app, const char *code)
{
	const struct session_branch *b =
		app->login.branches ? session_branches_find(app->login.branches, code) : NULL;
	return b ? b->name : code;
}

static void app_note_reach(struct app *app, const struct call_failure *f)
{
	app->unreachable = f && f->outcome == API_UNREACHABLE;
	app->dirty = true;
	/* A logged-in desk without its service works offline. */
	if (app->unreachable && app->session)
		outbox_unreachable(app->offline);
}

/* A result the desk must act on rings the bell, unless balie.conf says not to. */
static void app_attention(const struct app *app)
{
	if (app->setup->cfg->bell)
		beep();
}

static void app_on_health(void *ctx, struct session_health *h, const struct call_failure *f)
{
	struct app *app = ctx;
	app->req_health = 0;
	app_note_reach(app, f);
	if (h && h->training)
		app->login.training = true;
	session_health_free(h);
}

/* The service is back: the branches that could not be loaded are loaded now. */
static void app_on_health_checked(void *ctx, struct session_health *h,
				  const struct call_failure *f)
{
	struct app *app = ctx;
	bool answered = !f || f->outcome == API_OK;
	app_on_health(ctx, h, f);
	if (answered && !app->login.branches && !app->req_branches)
		app_session_fetch_branches(app);
}

static void app_on_branches(void *ctx, struct session_branches *b, const struct call_failure *f)
{
	struct app *app = ctx;
	app->req_branches = 0;
	app_note_reach(app, f);
	bool send = app->login.send_waiting;
	app->login.send_waiting = false;
	if (b) {
		login_set_branches(&app->login, b, app->setup->cfg->branch);
		login_set_message(&app->login, NULL, false);
		/* Enter was pressed before the list came: do what was asked. */
		if (send && login_action(&app->login, ACTION_SUBMIT) == LOGIN_SEND)
			app_session_login(app);
		return;
	}
	char *msg = xasprintf(_("The branches could not be loaded. %s Press Enter to try again."),
			      f->text);
	login_set_message(&app->login, msg, true);
	free(msg);
}

void app_session_check_health(struct app *app)
{
	app->next_health = clock_now_ms() + APP_HEALTH_MS;
	if (!app->req_health)
		app->req_health = session_health_start(app->setup->api, app_on_health_checked, app);
}

void app_session_fetch_branches(struct app *app)
{
	if (app->req_branches)
		return;
	login_set_message(&app->login, _("Loading the branches..."), false);
	app->req_branches = session_branches_start(app->setup->api, app_on_branches, app);
}

/* The words for a refused or failed log-in, allocated. */
static char *app_login_failure_dup(const struct call_failure *f)
{
	const char *text = f->text;
	/* A log-in refused is the name or the password: no session has ended. */
	if (f->outcome == API_REFUSED && f->error == ERR_UNAUTHORIZED)
		return xstrdup(_("Wrong user name or password."));
	long long wait = f->retry_after;
	if (f->outcome == API_REFUSED && f->error == ERR_RATE_LIMITED && wait > 0) {
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
	if (f->outcome == API_UNREACHABLE)
		return xasprintf("%s %s", text, _("Press Enter to try again."));
	return xstrdup(text);
}

/* Counts the new session's lifetime from when its log-in was sent. */
static void app_session_started(struct app *app, const struct session_login *s)
{
	app->session_end_ms = s->lifetime_seconds > 0
				      ? app->login_sent_ms + s->lifetime_seconds * 1000
				      : 0;
}

/* What the screens kept of an ended session goes to its own staff member's
 * next log-in only; the screen to go to, or SCREEN_LOGIN (never a work
 * screen) for the first. */
static enum ui_screen app_session_take_kept(struct app *app, const char *username)
{
	if (!app->kept_for)
		return SCREEN_LOGIN;
	bool same = strcmp(app->kept_for, username) == 0;
	free(app->kept_for);
	app->kept_for = NULL;
	if (same)
		return app->kept_screen;
	app_reset_screens(app);
	return SCREEN_LOGIN;
}

static void app_on_login(void *ctx, struct session_login *s, const struct call_failure *f)
{
	struct app *app = ctx;
	app->req_login = 0;
	app->login.busy = false;
	app_note_reach(app, f);
	if (s) {
		app->session = s;
		app_session_started(app, s);
		api_set_token(app->setup->api, s->token);
		login_reset(&app->login, true);
		login_set_message(&app->login, NULL, false);
		enum ui_screen kept = app_session_take_kept(app, s->username);
		/* A volunteer with only the ido role goes straight to the IDO form. */
		app->screen = kept != SCREEN_LOGIN ? kept
			      : roles_ido_only(s) ? app_ido_open(app->ido)
						  : SCREEN_HOME;
		app->last_input = clock_now_ms();
		/* What a crash or the last session left in the journal goes now. */
		outbox_logged_in(app->offline);
		return;
	}
	char *msg = app_login_failure_dup(f);
	login_set_message(&app->login, msg, true);
	free(msg);
	app_attention(app);
	/* A refused password is typed again; an unreachable service is retried as it is. */
	if (f->outcome == API_REFUSED)
		login_reset(&app->login, false);
}

void app_session_login(struct app *app)
{
	const struct session_branch *b = login_branch(&app->login);
	if (!b) {
		app_session_fetch_branches(app);
		return;
	}
	char *user = field_text_dup(&app->login.user);
	char *password = field_text_dup(&app->login.password);
	api_set_token(app->setup->api, NULL);
	app->login_sent_ms = clock_now_ms();
	app->req_login = session_login_start(app->setup->api, user, password, b->code,
					     app->setup->cfg->terminal, app_on_login, app);
	explicit_bzero(password, strlen(password));
	free(password);
	free(user);
	app->login.busy = true;
	login_set_message(&app->login, NULL, false);
}

static void app_on_unlock(void *ctx, struct session_login *s, const struct call_failure *f)
{
	struct app *app = ctx;
	app->req_unlock = 0;
	app->lock.busy = false;
	app_note_reach(app, f);
	if (!s) {
		bool wrong = f->outcome == API_REFUSED && f->error == ERR_UNAUTHORIZED;
		char *msg = wrong ? xstrdup(_("Wrong password.")) : app_login_failure_dup(f);
		lock_set_message(&app->lock, msg);
		free(msg);
		field_clear(&app->lock.password);
		app_attention(app);
		return;
	}
	/* The unlock made a new session: end the old one with its own token. */
	session_logout_start(app->setup->api);
	api_set_token(app->setup->api, s->token);
	session_login_free(app->session);
	app->session = s;
	app_session_started(app, s);
	lock_reset(&app->lock);
	app->screen = app->locked_from;
	app->last_input = clock_now_ms();
}

void app_session_unlock(struct app *app)
{
	if (app->lock.busy || field_is_empty(&app->lock.password))
		return;
	char *password = field_text_dup(&app->lock.password);
	app->login_sent_ms = clock_now_ms();
	app->req_unlock = session_login_start(app->setup->api, app->session->username, password,
					      app->session->branch, app->setup->cfg->terminal,
					      app_on_unlock, app);
	explicit_bzero(password, strlen(password));
	free(password);
	app->lock.busy = true;
	lock_set_message(&app->lock, NULL);
}

void app_session_logout(struct app *app)
{
	if (!app->session)
		return;
	call_cancel(app->setup->api, app->req_unlock);
	app->req_unlock = 0;
	session_logout_start(app->setup->api);
	api_set_token(app->setup->api, NULL);
	session_login_free(app->session);
	app->session = NULL;
	outbox_logged_out(app->offline);
	lock_reset(&app->lock);
	login_reset(&app->login, true);
	login_set_message(&app->login, NULL, false);
	app->screen = SCREEN_LOGIN;
	if (!app->login.branches)
		app_session_fetch_branches(app);
}

bool app_session_over(const struct app *app, long long now)
{
	return app->session && app->session_end_ms > 0 && now >= app->session_end_ms;
}

/* The screen whose work is kept: under the lock or the help, the one below. */
static enum ui_screen app_session_work_screen(const struct app *app)
{
	enum ui_screen s = app->screen == SCREEN_LOCK ? app->locked_from : app->screen;
	if (s == SCREEN_HELP)
		s = app->help.of;
	return s == SCREEN_LOCK || s == SCREEN_LOGIN || s == SCREEN_HELP ? SCREEN_HOME : s;
}

void app_session_expire(struct app *app)
{
	enum ui_screen from = app_session_work_screen(app);
	char *who = xstrdup(app->session->username);
	app_session_logout(app);
	free(app->kept_for);
	app->kept_for = who;
	app->kept_screen = from;
	app->session_end_ms = 0;
	login_set_message(&app->login,
			  _("The session has ended: its time after the log-in ran out. Log in "
			    "again; saved work waits in the journal, and what was typed stays "
			    "for the same staff member."),
			  true);
	app_attention(app);
	app->dirty = true;
}

/* Ends what is still open, so that no callback reaches a freed app. */
void app_session_finish(struct app *app)
{
	struct api *api = app->setup->api;
	unsigned *reqs[] = { &app->req_health, &app->req_branches, &app->req_login, &app->req_unlock };
	for (size_t i = 0; i < 4; i++) {
		call_cancel(api, *reqs[i]);
		*reqs[i] = 0;
	}
	free(app->kept_for);
	app->kept_for = NULL;
	if (app->session) {
		/* Log out on the way out; briefly, the desk is closing. */
		api_set_timeout_ms(api, APP_LOGOUT_MS);
		session_logout(api);
		api_set_token(api, NULL);
		session_login_free(app->session);
		app->session = NULL;
	}
}

/* ---- the rows of the log-in screen and the locked desk (screen.h) ---- */

static bool app_session_login_action(void *self, enum action a, enum ui_screen *screen)
{
	struct app *app = self;
	(void)screen;
	switch (a) {
	case ACTION_SUBMIT:
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
	case ACTION_NEXT_BRANCH:
	case ACTION_PREV_BRANCH:
		break;
	default:
		return false;
	}
	switch (login_action(&app->login, a)) {
	case LOGIN_SEND:
		app_session_login(app);
		break;
	case LOGIN_FETCH_BRANCHES:
		app_session_fetch_branches(app);
		break;
	case LOGIN_NOTHING:
		break;
	}
	return true;
}

/* Both screens are one text field: every character is typed into it. */
static bool app_session_takes_text(const void *self, keycode k)
{
	(void)self;
	return keys_is_text(k);
}

static void app_session_login_key(void *self, keycode k)
{
	struct app *app = self;
	login_key(&app->login, k);
}

static void app_session_login_draw(void *self, struct screen_area *area)
{
	struct app *app = self;
	login_draw(&app->login, area->w, area->top, area->bottom, area->cols, &area->cy, &area->cx);
}

const struct screen_ops app_session_login_ops = {
	.action = app_session_login_action,
	.takes_text = app_session_takes_text,
	.key = app_session_login_key,
	.draw = app_session_login_draw,
};

static bool app_session_lock_action(void *self, enum action a, enum ui_screen *screen)
{
	struct app *app = self;
	(void)screen;
	if (a != ACTION_SUBMIT)
		return false;
	/* a scan is no password: refused here, never sent */
	if (lock_line_is_scan(&app->lock, clock_now_ms())) {
		lock_refuse_scan(&app->lock);
		app_attention(app);
	} else {
		app_session_unlock(app);
	}
	return true;
}

/* The key's moment is the one the event loop took as the last input. */
static void app_session_lock_key(void *self, keycode k)
{
	struct app *app = self;
	lock_key(&app->lock, k, app->last_input);
}

static void app_session_lock_draw(void *self, struct screen_area *area)
{
	struct app *app = self;
	lock_draw(&app->lock, area->w, area->top, area->bottom, area->cols, app->session->name,
		  app->session->username, &area->cy, &area->cx);
}

const struct screen_ops app_session_lock_ops = {
	.action = app_session_lock_action,
	.takes_text = app_session_takes_text,
	.key = app_session_lock_key,
	.draw = app_session_lock_draw,
};
