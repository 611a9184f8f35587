/* The state of the desk, shared by the event loop (app.c) and its traffic
 * with the service (app_session.c); no other module sees it. */
#ifndef BALIE_APP_STATE_H
#define BALIE_APP_STATE_H

#include "ui/app.h"
#include "ui/app_circ.h"
#include "ui/app_enrol.h"
#include "ui/app_ido.h"
#include "client/outbox.h"
#include "ui/screens/help.h"
#include "ui/screens/lock.h"
#include "ui/screens/login.h"
#include "ui/screens/queue.h"
#include "client/session.h"

#include <stdbool.h>
#include <time.h>

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
	struct app_circ *circ;         /* check out, check in, renew, patron */
	struct app_enrol *enrol;       /* youth enrolment */
	struct app_ido *ido;           /* the IDO question log and its statistics */
	struct outbox *offline;   /* the journal, going offline and back */
	struct queue queue;            /* the offline queue screen (F8) */
	bool unreachable;
	bool quit;
	bool quit_asked;  /* the desk said what waits; the quit key again quits */
	bool dirty, repaint;
	bool esc_pending;
	long long esc_deadline;
	keycode esc_twin;        /* Esc then this key, held for the burst window */
	long long twin_deadline;
	struct keys_seq seq;     /* an escape sequence curses did not know, being read */
	long long seq_deadline;
	long long last_input;
	long long next_health;
	time_t shown_minute;
	unsigned req_health, req_branches, req_login, req_unlock;
};

/* The name of the branch with code, or the code when it is not in the list. */
const char *app_branch_name(const struct app *app, const char *code);

/* GET /health now, and again after APP_HEALTH_MS. */
void app_session_check_health(struct app *app);
/* GET /branches for the log-in screen, unless it is under way. */
void app_session_fetch_branches(struct app *app);
/* POST /session with what the log-in screen holds. */
void app_session_login(struct app *app);
/* POST /session for the staff member of the locked desk, with the typed password. */
void app_session_unlock(struct app *app);
/* DELETE /session and back to the log-in screen. */
void app_session_logout(struct app *app);
/* Cancels what is under way and logs out, before the desk closes. */
void app_session_finish(struct app *app);

#endif
