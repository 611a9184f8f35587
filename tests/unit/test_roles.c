/* Which actions the desk offers to which roles: a volunteer with only the
 * ido role reaches the IDO screens and the general keys and nothing of the
 * circulation or enrolment; balie reaches everything but the export;
 * beheer everything. An action nobody classified is for balie and beheer;
 * waiving charges only with the permission waive. */
#include "ui/roles.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static struct session_login *login_with(const char *role1, const char *role2)
{
	char **roles = calloc(2, sizeof *roles);
	struct session_login *s = calloc(1, sizeof *s);
	roles[0] = (char *)role1;
	roles[1] = (char *)role2;
	s->roles = roles;
	s->n_roles = role2 ? 2 : 1;
	return s;
}

int main(void)
{
	struct session_login *ido = login_with("ido", NULL);
	struct session_login *balie = login_with("balie", NULL);
	struct session_login *beheer = login_with("beheer", NULL);
	struct session_login *both = login_with("balie", "ido");

	static const enum action everyone[] = {
		ACTION_HELP, ACTION_LOGOUT, ACTION_LOCK, ACTION_REDRAW, ACTION_IDO,
		ACTION_IDO_SAVE, ACTION_IDO_END_VISIT, ACTION_IDO_STATS, ACTION_IDO_PICK,
		ACTION_IDO_SHOW, ACTION_NEXT_FIELD, ACTION_BACK,
	};
	for (size_t i = 0; i < sizeof everyone / sizeof everyone[0]; i++)
		ok(roles_may(ido, everyone[i]) && roles_may(balie, everyone[i]) &&
			   roles_may(beheer, everyone[i]),
		   "every role may %s", action_name(everyone[i]));

	/* Every action that is neither IDO nor general is out of the volunteer's reach. */
	for (unsigned a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		static const char *const general[] = {
			"help", "redraw", "logout", "lock", "quit", "next-field", "prev-field",
			"submit", "next-branch", "prev-branch", "back", "scroll-up", "scroll-down",
			"page-up", "page-down", "top", "bottom",
		};
		const char *name = action_name((enum action)a);
		bool known = strncmp(name, "ido", 3) == 0;
		/* The offline queue is every role's; it shows a volunteer only IDO questions. */
		known = known || strncmp(name, "queue", 5) == 0;
		for (size_t i = 0; i < sizeof general / sizeof general[0]; i++)
			known = known || strcmp(general[i], name) == 0;
		if (roles_may(ido, (enum action)a)) {
			ok(known, "ido may %s, which is IDO or general", name);
		}
	}
	static const char *const circulation[] = { "checkout", "checkin", "renew", "patron",
						   "enrol", "scan", "override", "print-slip" };
	for (size_t i = 0; i < sizeof circulation / sizeof circulation[0]; i++) {
		enum action a = action_from_name(circulation[i]);
		if (a == ACTION_NONE) {
			diag("%s is not an action of this build", circulation[i]);
			continue;
		}
		ok(!roles_may(ido, a) && roles_may(balie, a) && roles_may(beheer, a) &&
			   roles_may(both, a),
		   "%s: balie and beheer, not ido", circulation[i]);
	}
	ok(!roles_may(ido, ACTION_IDO_EXPORT) && !roles_may(balie, ACTION_IDO_EXPORT) &&
		   roles_may(beheer, ACTION_IDO_EXPORT),
	   "only beheer may export");
	ok(roles_may(balie, ACTION_PAY) && roles_may(beheer, ACTION_CASHUP) &&
		   !roles_may(ido, ACTION_PAY) && !roles_may(ido, ACTION_CASHUP),
	   "paying and the cash-up: balie and beheer, not ido");
	char *waive[] = { (char *)"override", (char *)"waive" };
	ok(!roles_may(balie, ACTION_WAIVE) && !roles_may(beheer, ACTION_WAIVE),
	   "waiving is not offered without the permission waive");
	balie->permissions = waive;
	balie->n_permissions = 2;
	ido->permissions = waive;
	ido->n_permissions = 2;
	ok(roles_may(balie, ACTION_WAIVE) && !roles_may(ido, ACTION_WAIVE),
	   "with it, to balie; never to ido");
	balie->permissions = ido->permissions = NULL;
	balie->n_permissions = ido->n_permissions = 0;
	ok(roles_may(NULL, ACTION_QUIT) && roles_may(NULL, ACTION_SUBMIT),
	   "before anyone logs in the log-in screen's actions work");
	ok(roles_ido_only(ido) && !roles_ido_only(both) && !roles_ido_only(balie) &&
		   !roles_ido_only(NULL),
	   "only a login with the ido role alone is ido-only");
	roles_set_session(ido);
	ok(!roles_allow(ACTION_CHECKOUT) && roles_allow(ACTION_IDO), "roles_allow follows the session");
	roles_set_session(NULL);
	ok(!roles_allow(ACTION_CHECKOUT) && !roles_allow(ACTION_QUEUE) && !roles_allow(ACTION_LOCK) &&
		   roles_allow(ACTION_HELP) && roles_allow(ACTION_BACK),
	   "with nobody logged in only the log-in screen's actions, help and quit are allowed");
	struct session_login *all[] = { ido, balie, beheer, both };
	for (size_t i = 0; i < 4; i++) {
		free(all[i]->roles);
		free(all[i]);
	}
	return tap_done();
}
