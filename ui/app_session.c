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

static void app_on_login(void *ctx, struct session_login *s, const struct call_failure *f)
{
	struct app *app = ctx;
	app->req_login = 0;
	app->login.busy = false;
	app_note_reach(app, f);
	if (s) {
		app->session = s;
		api_set_token(app->setup->api, s->token);
		login_reset(&app->login, true);
		login_set_message(&app->login, NULL, false);
		/* A volunteer with only the ido role goes straight to the IDO form. */
		app->screen = roles_ido_only(s) ? app_ido_open(app->ido) : SCREEN_HOME;
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
	lock_reset(&app->lock);
	app->screen = app->locked_from;
	app->last_input = clock_now_ms();
}

void app_session_unlock(struct app *app)
{
	if (app->lock.busy || field_is_empty(&app->lock.password))
		return;
	char *password = field_text_dup(&app->lock.password);
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

/* Ends what is still open, so that no callback reaches a freed app. */
void app_session_finish(struct app *app)
{
	struct api *api = app->setup->api;
	unsigned *reqs[] = { &app->req_health, &app->req_branches, &app->req_login, &app->req_unlock };
	for (size_t i = 0; i < 4; i++) {
		call_cancel(api, *reqs[i]);
		*reqs[i] = 0;
	}
	if (app->session) {
		/* Log out on the way out; briefly, the desk is closing. */
		api_set_timeout_ms(api, APP_LOGOUT_MS);
		session_logout(api);
		api_set_token(api, NULL);
		session_login_free(app->session);
		app->session = NULL;
	}
}
