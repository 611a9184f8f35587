/* What the desk shows after logging in: a welcome with the staff member's
 * name, roles and branch, and the keys that matter now. */
#ifndef BALIE_HOME_H
#define BALIE_HOME_H

#include "ui/keys/keymap.h"
#include "ui/screen.h"
#include "client/session.h"

#include <curses.h>
#include <time.h>

/* What the home screen's row reads at each drawing: the app's own, which
 * change with each log-in. */
struct home {
	const struct keymap *km;
	struct session_login *const *session;      /* *session is not NULL on this screen */
	struct session_branches *const *branches;  /* *branches may be NULL */
};

void home_draw(WINDOW *w, int top, int bottom, int cols, const struct session_login *s,
	       const char *branch_name, const struct keymap *km, time_t now);
/* The translated words for a role ("balie" is desk staff). */
const char *home_role_text(const char *role);

/* The home screen's row; self is a struct home. */
extern const struct screen_ops home_ops;

#endif
