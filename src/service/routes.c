#include "endpoints.h"
#include "router.h"
#include "staff.h"

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
	{ NULL, NULL, false, 0, false, NULL, NULL },
};
