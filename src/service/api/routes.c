#include "service/api/endpoints.h"
#include "service/domain/offline.h"
#include "service/api/router.h"
#include "service/domain/staff.h"

#define ANY_ROLE (ROLE_BALIE | ROLE_IDO | ROLE_BEHEER)

const struct route router_routes[] = {
	/* method, pattern, open, roles, idempotent, prepare, handle */
	{ "GET", "/health", true, 0, false, NULL, ep_health },
	/* The login screen lists the branches before anyone has logged in. */
	{ "GET", "/branches", true, 0, false, NULL, ep_branches },
	/* Logging in and out need no key: a repeated login is just another session. */
	{ "POST", "/session", true, 0, false, NULL, ep_session_create },
	{ "GET", "/session", false, ANY_ROLE, false, NULL, ep_session_show },
	{ "DELETE", "/session", false, ANY_ROLE, false, NULL, ep_session_delete },
	{ "POST", "/staff", false, ROLE_BEHEER, true, ep_staff_prepare, ep_staff_create },
	/* Circulation: the desk and administration, never the IDO volunteers. */
	{ "GET", "/patrons", false, ROLE_BALIE | ROLE_BEHEER, false, NULL, ep_patron_search },
	{ "GET", "/patrons/{card}", false, ROLE_BALIE | ROLE_BEHEER, false, NULL, ep_patron_show },
	{ "POST", "/checkouts", false, ROLE_BALIE | ROLE_BEHEER, true, ep_checkouts_prepare,
	  ep_checkouts_create },
	/* offline_prepare: a replay without the permission is refused before the key is stored */
	{ "POST", "/checkins", false, ROLE_BALIE | ROLE_BEHEER, true, offline_prepare,
	  ep_checkins_create },
	{ "POST", "/renewals", false, ROLE_BALIE | ROLE_BEHEER, true, ep_renewals_prepare,
	  ep_renewals_create },
	/* The IDO question log: no patron data, so the volunteers' role too. */
	{ "GET", "/ido/catalog", false, ANY_ROLE, false, NULL, ep_ido_catalog },
	{ "POST", "/ido/questions", false, ANY_ROLE, true, ep_ido_question_prepare,
	  ep_ido_question_create },
	{ "GET", "/ido/stats", false, ANY_ROLE, false, NULL, ep_ido_stats },
	{ "GET", "/ido/export.csv", false, ROLE_BEHEER, false, NULL, ep_ido_export },
	/* Youth enrolment: the desk and administration, never the IDO volunteers. */
	{ "POST", "/memberships", false, ROLE_BALIE | ROLE_BEHEER, true, ep_memberships_prepare,
	  ep_memberships_create },
	{ "GET", "/memberships/rules", false, ROLE_BALIE | ROLE_BEHEER, false, NULL,
	  ep_memberships_rules },
	{ NULL, NULL, false, 0, false, NULL, NULL },
};
