#include "ui/roles.h"

static const struct session_login *roles_current;

/* The actions for every role: nothing in them shows a patron or a loan. */
static bool roles_general(enum action a)
{
	if (action_without_session(a)) /* help, moving about, log in, quit */
		return true;
	switch (a) {
	case ACTION_LOGOUT:
	case ACTION_LOCK:
	case ACTION_IDO:
	case ACTION_IDO_PICK:
	case ACTION_IDO_UP:
	case ACTION_IDO_DOWN:
	case ACTION_IDO_SAVE:
	case ACTION_IDO_END_VISIT:
	case ACTION_IDO_STATS:
	case ACTION_IDO_SHOW:
	case ACTION_QUEUE: /* the queue shows an IDO volunteer only IDO questions */
	case ACTION_QUEUE_RETRY:
	case ACTION_QUEUE_HANDLED:
	case ACTION_QUEUE_UP:
	case ACTION_QUEUE_DOWN:
	case ACTION_QUEUE_CANCEL:
	case ACTION_QUEUE_SEND:
		return true;
	default:
		return false;
	}
}

bool roles_may(const struct session_login *s, enum action a)
{
	if (!s)
		return action_without_session(a);
	if (a == ACTION_IDO_EXPORT)
		return session_has_role(s, "beheer");
	if (a == ACTION_WAIVE && !session_has_permission(s, "waive"))
		return false;
	if (roles_general(a))
		return true;
	return session_has_role(s, "balie") || session_has_role(s, "beheer");
}

bool roles_ido_only(const struct session_login *s)
{
	return s && session_has_role(s, "ido") && !session_has_role(s, "balie") &&
	       !session_has_role(s, "beheer");
}

void roles_set_session(const struct session_login *s)
{
	roles_current = s;
}

bool roles_allow(enum action a)
{
	return roles_may(roles_current, a);
}
