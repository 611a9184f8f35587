/* What the desk shows after logging in: a welcome with the staff member's
 * name, roles and branch, and the keys that matter now. */
#ifndef BALIE_HOME_H
#define BALIE_HOME_H

#include "ui/keys/keymap.h"
#include "client/session.h"

#include <curses.h>
#include <time.h>

void home_draw(WINDOW *w, int top, int bottom, int cols, const struct session_login *s,
	       const char *branch_name, const struct keymap *km, time_t now);
/* The translated words for a role ("balie" is desk staff). */
const char *home_role_text(const char *role);

#endif
