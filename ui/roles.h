/* Who may use which action at the desk (DESIGN.md section 5: the service
 * enforces the roles, the desk only hides what a role cannot use). The IDO
 * actions and the general ones (help, lock, log out, moving about) are for
 * every role; everything else (check out, check in, renew, patron, enrol,
 * and any action not named here) is for balie and beheer only; the CSV
 * export and erasing a patron are for beheer. A desk logged in with only
 * the ido role therefore sees and reaches only the IDO screens. */
#ifndef BALIE_ROLES_H
#define BALIE_ROLES_H

#include "ui/actions.h"
#include "client/session.h"

#include <stdbool.h>

/* True when the staff member of s may use action a; before anyone has
 * logged in (s NULL) only action_without_session's: the log-in screen's
 * own, its help and quit. */
bool roles_may(const struct session_login *s, enum action a);

/* True when s has the ido role and neither balie nor beheer. */
bool roles_ido_only(const struct session_login *s);

/* The session the function-key line, the help screen and the key dispatch
 * ask about; set by the event loop whenever it changes (NULL: nobody). */
void roles_set_session(const struct session_login *s);
/* roles_may for the session set with roles_set_session. */
bool roles_allow(enum action a);

#endif
