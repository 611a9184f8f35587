#include "ui/app.h"

#include "ui/app_session.h"
#include "ui/app_state.h"

#include "core/clock.h"
#include "ui/app_ido.h"
#include "ui/roles.h"

#include "ui/widgets/frame.h"
#include "ui/screens/help.h"
#include "core/i18n.h"
#include "ui/screens/home.h"
#include "ui/widgets/keyline.h"
#include "ui/screens/lock.h"
#include "ui/screens/login.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* How long after Escape the next key still counts as Esc-x; and how soon a
 * third key must follow Esc-x to show that a scanner is typing: a scanner
 * sends its characters a few ms apart, a person (or Alt-x) does not. */
enum { APP_ESC_MS = 500, APP_BURST_MS = 35, APP_MAX_WAIT_MS = 60000 };
/* A terminal sends an escape sequence in one go; curses waits this long
 * (ESCDELAY, term.c) for its next byte, so a [ or O later than that after
 * Esc was typed by a person. */
enum { APP_SEQ_MS = 100 };

static volatile sig_atomic_t app_signal, app_winch;
static int app_pipe[2] = { -1, -1 };

/* Only a flag and a byte in the self-pipe: the loop does the work. The pipe
 * wakes the loop even when the signal came just before it began to wait. */
static void app_on_signal(int sig)
{
	int saved = errno;
	if (sig == SIGWINCH)
		app_winch = 1;
	else
		app_signal = sig;
	if (app_pipe[1] >= 0)
		(void)!write(app_pipe[1], "", 1);
	errno = saved;
}

/* The terminal's new size, after a SIGWINCH. */
static void app_resize(struct app *app)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	app->repaint = app->dirty = true;
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

/* ---- the table of screens (screen.h) ---- */

/* The screen the desk shows: its row and the state its row is handed. */
static const struct screen_ops *app_ops(const struct app *app)
{
	return screen_ops_of(app->screen);
}

static void *app_self(const struct app *app)
{
	return app->screen_self[app->screen];
}

/* Goes to screen s, opening it (the help learns which screen it is about). */
static void app_open(struct app *app, enum ui_screen s)
{
	const struct screen_ops *ops = screen_ops_of(s);
	if (ops->open)
		ops->open(app->screen_self[s], app->screen);
	app->screen = s;
}

static bool app_screen_action(struct app *app, enum action a)
{
	const struct screen_ops *ops = app_ops(app);
	return ops->action && ops->action(app_self(app), a, &app->screen);
}

static void app_screen_key(struct app *app, keycode k)
{
	const struct screen_ops *ops = app_ops(app);
	if (ops->key)
		ops->key(app_self(app), k);
}

void app_reset_screens(struct app *app)
{
	for (unsigned s = 0; s < SCREEN_COUNT; s++) {
		const struct screen_ops *ops = screen_ops_of((enum ui_screen)s);
		if (ops && ops->reset)
			ops->reset(app->screen_self[s]);
	}
}

/* A new member goes straight on to check out: the check-out screen is given
 * the card as if it had been scanned, after ending any visit open there. */
static void app_enrol_to_checkout(void *ctx, const char *card)
{
	struct app *app = ctx;
	app->screen = SCREEN_CHECKOUT;
	app_screen_action(app, ACTION_CANCEL);
	app_screen_action(app, ACTION_END_PATRON);
	for (const char *c = card; *c; c++)
		app_screen_key(app, (keycode)(unsigned char)*c);
	app_screen_action(app, ACTION_SCAN);
}

/* Quitting with transactions still in the journal: they are safe there and
 * go when the desk is started again, but the desk says so first and quits
 * on the second press. */
static void app_quit(struct app *app, bool asked)
{
	size_t waiting = outbox_waiting(app->offline);
	if (waiting == 0 || asked) {
		app->quit = true;
		return;
	}
	keycode k[1];
	char key[KEYS_NAME_MAX] = "";
	if (keymap_keys_for(app->setup->km, SCREEN_LOGIN, ACTION_QUIT, k, 1) > 0)
		keys_format(k[0], key);
	char *msg = xasprintf(P_("%zu transaction is waiting; it is sent when the desk is started "
				 "again. %s again quits.",
				 "%zu transactions are waiting; they are sent when the desk is "
				 "started again. %s again quits.",
				 (unsigned long)waiting),
			      waiting, key);
	login_set_message(&app->login, msg, false);
	free(msg);
	app->quit_asked = true;
}

/* The screen's own actions first; what it leaves are the desk's global
 * actions: going to a screen, redraw, log out, lock and quit. */
static void app_do_action(struct app *app, enum action a)
{
	/* A quit question is answered by the very next action. */
	bool asked = app->quit_asked;
	app->quit_asked = false;
	if (asked && a != ACTION_QUIT)
		login_set_message(&app->login, NULL, false);
	if (app_screen_action(app, a))
		return;
	enum ui_screen to = action_screen(a);
	if (to != SCREEN_COUNT) {
		app_open(app, to);
		return;
	}
	switch (a) {
	case ACTION_REDRAW:
		app->repaint = true;
		break;
	case ACTION_LOGOUT:
		app_reset_screens(app);
		app_session_logout(app);
		break;
	case ACTION_LOCK:
		app_lock(app);
		break;
	case ACTION_QUIT:
		app_quit(app, asked);
		break;
	default:
		break;
	}
}

/* The screens a desk without a session may show: the log-in screen and
 * its own help. Every way to a screen passes here (app_do), so that no key
 * or key file reaches another before someone has logged in. */
static bool app_screen_reachable(const struct app *app, enum ui_screen s)
{
	if (app->session)
		return true;
	return s == SCREEN_LOGIN || (s == SCREEN_HELP && app->help.of == SCREEN_LOGIN);
}

static void app_do(struct app *app, enum action a)
{
	if (!app->session && !action_without_session(a))
		return;
	app_do_action(app, a);
	if (!app_screen_reachable(app, app->screen))
		app->screen = SCREEN_LOGIN;
}

/* Below the smallest size the screens are laid out for, the fields are not
 * shown, so nothing may be typed into them: a key quits, repaints or does
 * nothing, and what was typed before stays in its field. */
static void app_deliver_too_small(struct app *app, keycode k)
{
	enum action a = keymap_lookup(app->setup->km, app->screen, k);
	if (a == ACTION_QUIT || a == ACTION_REDRAW)
		app_do(app, a);
}

/* One key, after the Esc prefix was resolved. */
static void app_deliver(struct app *app, keycode k)
{
	app->last_input = clock_now_ms();
	/* A key after the session's end is no work of that session: it reaches
	 * the log-in screen, not the journal. */
	if (app_session_over(app, app->last_input))
		app_session_expire(app);
	app->dirty = true;
	if (frame_too_small(LINES, COLS)) {
		app_deliver_too_small(app, k);
		return;
	}
	/* On a screen with a text field, characters are typing (or scanning). */
	const struct screen_ops *ops = app_ops(app);
	bool typing = ops->takes_text && ops->takes_text(app_self(app), k);
	enum action a = typing ? ACTION_NONE : keymap_lookup(app->setup->km, app->screen, k);
	/* What the staff member's roles do not allow, the key does not do. */
	roles_set_session(app->session);
	if (a != ACTION_NONE && !roles_allow(a))
		a = ACTION_NONE;
	if (a != ACTION_NONE)
		app_do(app, a);
	else
		app_screen_key(app, k);
}

static void app_seq_unknown(const struct app *app)
{
	if (app->setup->cfg->bell)
		beep();
}

/* Reads an escape sequence curses did not know to its end: none of it
 * reaches a field, and its end rings the bell. False when k is not the
 * sequence's and is the caller's. */
static bool app_seq_key(struct app *app, keycode k)
{
	switch (keys_seq_feed(&app->seq, k)) {
	case KEYS_SEQ_MORE:
		app->seq_deadline = clock_now_ms() + APP_ESC_MS;
		return true;
	case KEYS_SEQ_END:
		app_seq_unknown(app);
		return true;
	case KEYS_SEQ_BROKEN:
		app_seq_unknown(app);
		break;
	}
	return false;
}

static void app_key(struct app *app, keycode k)
{
	if (app->seq.active && app_seq_key(app, k))
		return;
	if (app->esc_twin != KEYC_NONE) {
		/* A key right after Esc-x: a scan that began after a lone Esc
		 * (a card starts with 2, an item with 3), not the twin. */
		keycode held = app->esc_twin;
		app->esc_twin = KEYC_NONE;
		app_deliver(app, KEYC_ESC);
		app_deliver(app, held);
	}
	if (app->esc_pending) {
		app->esc_pending = false;
		long long since = clock_now_ms() - (app->esc_deadline - APP_ESC_MS);
		if (k == KEYC_ESC) {
			app_deliver(app, KEYC_ESC);
		} else if (keys_seq_introducer(k) && since <= APP_SEQ_MS) {
			keys_seq_begin(&app->seq, k);
			app->seq_deadline = clock_now_ms() + APP_ESC_MS;
			return;
		} else if (keymap_lookup(app->setup->km, app->screen, k | KEYC_ESC_PREFIX) != ACTION_NONE) {
			app->esc_twin = k;
			app->twin_deadline = clock_now_ms() + APP_BURST_MS;
			return;
		} else {
			app_deliver(app, KEYC_ESC);
			app_deliver(app, k);
			return;
		}
	}
	if (k == KEYC_ESC) {
		app->esc_pending = true;
		app->esc_deadline = clock_now_ms() + APP_ESC_MS;
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
	long long now = clock_now_ms();
	long long next = now + APP_MAX_WAIT_MS;
	if (app->esc_pending && app->esc_deadline < next)
		next = app->esc_deadline;
	if (app->esc_twin != KEYC_NONE && app->twin_deadline < next)
		next = app->twin_deadline;
	if (app->seq.active && app->seq_deadline < next)
		next = app->seq_deadline;
	if (app_idle_applies(app)) {
		long long idle = app->last_input + (long long)app->setup->cfg->idle_lock * 1000;
		if (idle < next)
			next = idle;
	}
	if (app->session && app->session_end_ms > 0 && app->session_end_ms < next)
		next = app->session_end_ms;
	if (app->next_health < next)
		next = app->next_health;
	long long probe = outbox_next_ms(app->offline, now);
	if (probe >= 0 && now + probe < next)
		next = now + probe;
	long long minute = now + (60 - time(NULL) % 60) * 1000LL;
	if (minute < next)
		next = minute;
	return next <= now ? 0 : (int)(next - now);
}

static void app_timers(struct app *app)
{
	long long now = clock_now_ms();
	if (app->esc_pending && now >= app->esc_deadline) {
		app->esc_pending = false;
		app_deliver(app, KEYC_ESC);
	}
	if (app->seq.active && now >= app->seq_deadline) {
		/* a sequence cut short is dropped, not typed */
		app->seq.active = false;
		app_seq_unknown(app);
	}
	if (app->esc_twin != KEYC_NONE && now >= app->twin_deadline) {
		keycode k = app->esc_twin | KEYC_ESC_PREFIX;
		app->esc_twin = KEYC_NONE;
		app_deliver(app, k);
	}
	if (app_session_over(app, now))
		app_session_expire(app);
	if (app_idle_applies(app) &&
	    now - app->last_input >= (long long)app->setup->cfg->idle_lock * 1000)
		app_lock(app);
	if (now >= app->next_health)
		app_session_check_health(app);
	outbox_timers(app->offline, now);
	if (time(NULL) / 60 != app->shown_minute)
		app->dirty = true;
}

/* ---- drawing ---- */

/* For the key line: whether a does anything on screen s just now. */
static bool app_key_live(const void *ctx, enum ui_screen s, enum action a)
{
	const struct app *app = ctx;
	const struct screen_ops *ops = screen_ops_of(s);
	return !ops || !ops->live || ops->live(app->screen_self[s], a);
}

/* What the desk shows instead of a screen while the terminal is too small. */
static void app_draw_too_small(struct app *app)
{
	char quit[KEYS_NAME_MAX];
	keycode k[1];
	quit[0] = '\0';
	if (keymap_keys_for(app->setup->km, app->screen, ACTION_QUIT, k, 1) > 0)
		keys_format(k[0], quit);
	frame_draw_too_small(stdscr, LINES, COLS, quit);
	curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
	app->dirty = false;
}

static void app_draw(struct app *app)
{
	const struct keymap *km = app->setup->km;
	int rows = LINES, cols = COLS;
	if (app->repaint)
		clearok(stdscr, TRUE);
	app->repaint = false;
	werase(stdscr);
	if (frame_too_small(rows, cols)) {
		app_draw_too_small(app);
		return;
	}
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
		.offline = outbox_down(app->offline),
		.waiting = outbox_waiting(app->offline),
		.progress = outbox_progress(app->offline),
		.refused = outbox_refused(app->offline),
		.now = now,
	};
	frame_draw_top(stdscr, cols, &st);
	struct screen_area area = {
		.w = stdscr, .top = 1, .bottom = rows - 2, .cols = cols, .now = now, .cy = -1, .cx = -1,
	};
	app_ops(app)->draw(app_self(app), &area);
	roles_set_session(app->session); /* the key line shows what the roles allow */
	/* refusals, or another's entries, wait on the queue screen: its key
	 * stays on the line */
	bool queued = outbox_refused(app->offline) > 0 ||
		      (app->session && outbox_others(app->offline, NULL) > 0);
	keyline_draw(stdscr, rows - 1, cols, km, app->screen, app_key_live, app,
		     queued ? ACTION_QUEUE : ACTION_NONE);
	if (area.cy >= 0) {
		curs_set(1);
		wmove(stdscr, area.cy, area.cx);
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
	/* Ours, set before curses starts, so that curses does not set its own. */
	sigaction(SIGWINCH, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return true;
}

static void app_signals_stop(void)
{
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGWINCH, SIG_DFL);
	for (int i = 0; i < 2; i++) {
		if (app_pipe[i] >= 0)
			close(app_pipe[i]);
		app_pipe[i] = -1;
	}
}

/* The outbox's bell: a refusal met on replay. */
static void app_bell(void *ctx)
{
	const struct config *cfg = ctx;
	if (cfg->bell)
		beep();
}

static void app_loop(struct app *app)
{
	struct api *api = app->setup->api;
	while (!app->quit && !app_signal && !outbox_fatal(app->offline)) {
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
		if (app_winch) {
			app_winch = 0;
			app_resize(app);
		}
		api_dispatch(api);
		outbox_dispatch(app->offline);
		app_read_keys(app);
		app_timers(app);
		/* The requests the keys started go out now, before the screen is
		 * drawn: the service works on a scan while the desk draws it. */
		api_dispatch(api);
		outbox_dispatch(app->offline);
	}
}

/* The state each screen's row is handed; the circulation screens' is
 * app_circ's to give. */
static void app_place_screens(struct app *app)
{
	app->help.km = app->setup->km;
	app->home = (struct home){ .km = app->setup->km, .session = &app->session,
				   .branches = &app->login.branches };
	app->screen_self[SCREEN_LOGIN] = app;
	app->screen_self[SCREEN_LOCK] = app;
	app->screen_self[SCREEN_HELP] = &app->help;
	app->screen_self[SCREEN_HOME] = &app->home;
	app_circ_place_screens(app->circ, app->screen_self);
	app->screen_self[SCREEN_IDO] = app->ido;
	app->screen_self[SCREEN_IDO_STATS] = app->ido;
	app->screen_self[SCREEN_ENROL] = app->enrol;
	app->screen_self[SCREEN_QUEUE] = &app->queue;
}

bool app_run(const struct app_setup *setup, char **err)
{
	struct app app = { .setup = setup, .screen = SCREEN_LOGIN, .dirty = true };
	/* The journal before the terminal: a desk that cannot keep its
	 * transactions says so on stderr and does not start. */
	char *why = NULL;
	app.offline = outbox_new(setup->cfg, setup->api, &app.session, &app.dirty, app_bell,
				 (void *)setup->cfg, &why);
	if (!app.offline) {
		*err = xasprintf(_("The journal cannot be opened, so the desk does not start: %s"),
				 why ? why : "");
		free(why);
		return false;
	}
	if (!app_signals_start(err)) {
		outbox_free(app.offline);
		return false;
	}
	if (!term_start(setup->colour, err)) {
		term_stop();
		app_signals_stop();
		outbox_free(app.offline);
		return false;
	}
	login_init(&app.login);
	lock_init(&app.lock);
	app.login.training = setup->training;
	app.last_input = clock_now_ms();
	app.circ = app_circ_new(setup, &app.session, &app.login.branches, &app.dirty);
	app.enrol = app_enrol_new(setup, &app.session, &app.login.branches, &app.dirty,
				  app_enrol_to_checkout, &app);
	app.ido = app_ido_new(setup, &app.session, &app.login.branches, &app.dirty);
	app_circ_set_offline(app.circ, app.offline);
	app_ido_set_offline(app.ido, app.offline);
	app_enrol_set_offline(app.enrol, app.offline);
	queue_init(&app.queue, app.offline, setup->km);
	app_place_screens(&app);
	app_session_check_health(&app);
	app_session_fetch_branches(&app);
	app_loop(&app);
	app_circ_free(app.circ);
	app_enrol_free(app.enrol);
	app_ido_free(app.ido);
	app_session_finish(&app);
	/* The terminal first, so that the reason can be read. */
	term_stop();
	app_signals_stop();
	bool good = !outbox_fatal(app.offline);
	if (!good)
		*err = xasprintf(_("The journal failed, so the desk stopped: %s"),
				 outbox_fatal(app.offline));
	queue_free(&app.queue);
	outbox_free(app.offline);
	login_free(&app.login);
	lock_free(&app.lock);
	return good;
}
