/* The state of the desk, shared by the event loop (app.c) and its traffic
 * with the service (app_session.c); no other module sees it. It needs only
 * the setup (app_setup.h), not the loop's header, so that app_session.c does
 * not depend on app.c. */
#ifndef BALIE_APP_STATE_H
#define BALIE_APP_STATE_H

#include "ui/app_setup.h"
#include "ui/app_circ.h"
#include "ui/app_enrol.h"
#include "ui/app_ido.h"
#include "client/outbox.h"
#include "ui/screen.h"
#include "ui/screens/help.h"
#include "ui/screens/home.h"
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
	struct home home;
	/* The state each screen's row (screen.h) is handed, by screen. */
	void *screen_self[SCREEN_COUNT];
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
	/* The session's end on the steady clock, counted from when its log-in
	 * (or unlock) was sent, so that the desk ends it no later than the
	 * service does, offline too, whatever the wall clock does; 0: none. */
	long long login_sent_ms;
	long long session_end_ms;
	/* Whose work the screens still hold after their session ran out, for
	 * their next log-in (another's clears it), and on which screen. */
	char *kept_for;
	enum ui_screen kept_screen;
	time_t shown_minute;
	unsigned req_health, req_branches, req_login, req_unlock;
};

/* Every screen forgets what it holds: a staff member logs out, or another
 * one logs in after a session ended. */
void app_reset_screens(struct app *app);

#endif
