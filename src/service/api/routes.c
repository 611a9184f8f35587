#include "service/api/endpoints.h"
#include "service/domain/offline.h"
#include "service/api/router.h"
#include "service/domain/staff.h"

#define ANY_ROLE (ROLE_BALIE | ROLE_IDO | ROLE_BEHEER)

/* Fields left out are false, 0 or NULL: a route is closed, takes no key and
 * has no prepare step unless its row says so. */
const struct route router_routes[] = {
	{ .method = "GET", .pattern = "/health", .open = true, .handle = ep_health },
	/* The login screen lists the branches before anyone has logged in. */
	{ .method = "GET", .pattern = "/branches", .open = true, .handle = ep_branches },
	/* Logging in and out need no key: a repeated login is just another session. */
	{ .method = "POST", .pattern = "/session", .open = true, .handle = ep_session_create },
	{ .method = "GET", .pattern = "/session", .roles = ANY_ROLE, .handle = ep_session_show },
	{ .method = "DELETE", .pattern = "/session", .roles = ANY_ROLE,
	  .handle = ep_session_delete },
	{ .method = "POST", .pattern = "/staff", .roles = ROLE_BEHEER, .idempotent = true,
	  .prepare = ep_staff_prepare, .handle = ep_staff_create },
	/* Circulation: the desk and administration, never the IDO volunteers. */
	{ .method = "GET", .pattern = "/patrons", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .handle = ep_patron_search },
	{ .method = "GET", .pattern = "/patrons/{card}", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .handle = ep_patron_show },
	{ .method = "POST", .pattern = "/checkouts", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .idempotent = true, .prepare = ep_checkouts_prepare, .handle = ep_checkouts_create },
	/* offline_prepare: a replay without the permission is refused before the key is stored */
	{ .method = "POST", .pattern = "/checkins", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .idempotent = true, .prepare = offline_prepare, .handle = ep_checkins_create },
	{ .method = "POST", .pattern = "/renewals", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .idempotent = true, .prepare = ep_renewals_prepare, .handle = ep_renewals_create },
	/* The patron's account and the desk's cash-up: the desk and administration. */
	{ .method = "GET", .pattern = "/patrons/{card}/account", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .handle = ep_account_show },
	{ .method = "POST", .pattern = "/payments", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .idempotent = true, .prepare = ep_payments_prepare, .handle = ep_payments_create },
	/* ep_waivers_prepare: without the permission no key is stored */
	{ .method = "POST", .pattern = "/waivers", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .idempotent = true, .prepare = ep_waivers_prepare, .handle = ep_waivers_create },
	{ .method = "GET", .pattern = "/cashup", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .handle = ep_cashup_show },
	{ .method = "GET", .pattern = "/cashup.csv", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .handle = ep_cashup_export },
	/* Holds and the title search: the desk and administration. */
	{ .method = "GET", .pattern = "/titles", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .handle = ep_titles_search },
	{ .method = "POST", .pattern = "/holds", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .idempotent = true, .prepare = ep_holds_prepare, .handle = ep_holds_create },
	{ .method = "DELETE", .pattern = "/holds/{id}", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .idempotent = true, .handle = ep_holds_delete },
	{ .method = "GET", .pattern = "/holdshelf", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .handle = ep_holdshelf_show },
	{ .method = "POST", .pattern = "/holdshelf/clearances", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .idempotent = true, .handle = ep_holdshelf_clear },
	/* The IDO question log: no patron data, so the volunteers' role too. */
	{ .method = "GET", .pattern = "/ido/catalog", .roles = ANY_ROLE, .handle = ep_ido_catalog },
	{ .method = "POST", .pattern = "/ido/questions", .roles = ANY_ROLE, .idempotent = true,
	  .prepare = ep_ido_question_prepare, .handle = ep_ido_question_create },
	{ .method = "GET", .pattern = "/ido/stats", .roles = ANY_ROLE, .handle = ep_ido_stats },
	{ .method = "GET", .pattern = "/ido/export.csv", .roles = ROLE_BEHEER,
	  .handle = ep_ido_export },
	/* Youth enrolment: the desk and administration, never the IDO volunteers. */
	{ .method = "POST", .pattern = "/memberships", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .idempotent = true, .prepare = ep_memberships_prepare, .handle = ep_memberships_create },
	{ .method = "GET", .pattern = "/memberships/rules", .roles = ROLE_BALIE | ROLE_BEHEER,
	  .handle = ep_memberships_rules },
	{ .method = NULL },
};
