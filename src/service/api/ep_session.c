#include "service/api/endpoints.h"

#include "service/domain/audit.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "core/redact.h"
#include "service/domain/permission.h"
#include "service/domain/staff.h"
#include "service/domain/throttle.h"
#include "service/timefmt.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { TERMINAL_MAX = 64, USERNAME_MAX = 64 };

static cJSON *staff_json(const char *username, const char *name, unsigned roles,
			 const char *branch, unsigned permissions)
{
	cJSON *staff = cJSON_CreateObject();
	cJSON_AddStringToObject(staff, "username", username);
	cJSON_AddStringToObject(staff, "name", name);
	cJSON_AddItemToObject(staff, "roles", staff_roles_json(roles));
	cJSON_AddStringToObject(staff, "branch", branch);
	cJSON_AddItemToObject(staff, "permissions", permission_json(permissions));
	return staff;
}

/* lifetime_seconds lets a desk measure the session on its own clock from
 * the log-in, offline too, where a wrong wall clock would misread expires_at. */
static cJSON *session_json(const char *token, time_t expires_at,
			   const struct settings *settings, cJSON *staff)
{
	char expires[TIMEFMT_INSTANT_LEN];
	timefmt_instant(expires_at, expires);
	cJSON *root = cJSON_CreateObject();
	if (token)
		cJSON_AddStringToObject(root, "token", token);
	cJSON_AddStringToObject(root, "expires_at", expires);
	cJSON_AddNumberToObject(root, "idle_seconds", settings->token_idle_seconds);
	cJSON_AddNumberToObject(root, "lifetime_seconds", settings->token_lifetime_seconds);
	cJSON_AddItemToObject(root, "staff", staff);
	return root;
}

static void refuse_throttled(struct reply *out, unsigned wait)
{
	cJSON *details = cJSON_CreateObject();
	cJSON_AddNumberToObject(details, "retry_after", wait);
	reply_error(out, ERR_RATE_LIMITED, "too many failed logins; wait", details);
	out->retry_after = wait;
}

/* A user name as typed may hold anything, line ends too: only a name of the
 * right form goes into the log. */
static const char *loggable(const char *username)
{
	return staff_username_ok(username) ? username : "(not a user name)";
}

enum { LOG_NAME_LEN = 80 };

/* The same for the log, where a run of digits (a card scanned into the
 * field) shows only its last 4 (core/redact.h). */
static const char *log_name(const char *username, char out[LOG_NAME_LEN])
{
	if (!staff_username_ok(username))
		return loggable(username);
	redact_digits(username, out, LOG_NAME_LEN);
	return out;
}

/* Audits the failure and answers 401, the same for every reason, so that the
 * answer does not tell which user names exist. */
static void refuse_login(struct call *call, struct reply *out, const char *username,
			 long long staff_id, const char *why, unsigned long ticket)
{
	char shown[LOG_NAME_LEN];
	log_info("login refused for \"%s\" from %s: %s", log_name(username, shown), call->address,
		 why);
	/* The try was reserved before the password was checked; now it counts. */
	if (!throttle_settle_failed(call->store, ticket, call->now) ||
	    !audit_add_login(call->store, staff_id, jsonx_string(call->json, "branch"),
			     jsonx_string(call->json, "terminal"), call->address, call->now,
			     "login_failed", loggable(username), why)) {
		reply_unavailable(out);
		return;
	}
	reply_error(out, ERR_UNAUTHORIZED, "wrong user name or password", NULL);
}

/* start_session stores new_hash (when not NULL) in its transaction: the
 * password hashed again with today's parameters, made before the write lock
 * is taken. */
static bool start_session(struct call *call, const struct staff_login *staff,
			  const char *username, const char *branch, const char *terminal,
			  const char *new_hash, char token[AUTH_TOKEN_HEX_LEN], time_t *expires_at)
{
	struct session_lifetimes life = call_lifetimes(call);
	if (!store_begin(call->store))
		return false;
	if ((!new_hash || staff_set_hash(call->store, staff->id, new_hash)) &&
	    throttle_succeeded(call->store, username) &&
	    audit_add_login(call->store, staff->id, branch, terminal, call->address, call->now,
			    "login", username, NULL) &&
	    session_create(call->store, staff->id, branch, terminal, call->address, call->now,
			   &life, token, expires_at) &&
	    store_commit(call->store))
		return true;
	store_rollback(call->store);
	return false;
}

/* What the per-address throttle counts for this login, allocated: the
 * address for TCP; on the Unix socket, where every desk is "local", the
 * peer's user and process and the terminal the login names, so that a
 * scanner at one locked desk does not lock out every desk of the server. */
static char *throttle_key_dup(const struct call *call, const char *terminal)
{
	if (!call->peer)
		return xstrdup(call->address);
	return xasprintf("%s %s terminal %s", call->address, call->peer,
			 terminal ? terminal : "");
}

/* Checks the body of a login; false after answering. */
static bool login_fields_ok(struct call *call, struct reply *out)
{
	const char *username = jsonx_string(call->json, "username");
	const char *branch = jsonx_string(call->json, "branch");
	const char *terminal = jsonx_string(call->json, "terminal");
	const char *password = jsonx_string(call->json, "password");
	const char *field = !username || !*username ? "username"
			    : !password		    ? "password"
			    : !branch || !*branch   ? "branch"
						    : NULL;
	if (field) {
		reply_invalid_field(out, field, "missing");
		return false;
	}
	if (terminal && strlen(terminal) > TERMINAL_MAX) {
		reply_invalid_field(out, "terminal", "too_long");
		return false;
	}
	if (!staff_branch_exists(call->store, branch)) {
		reply_invalid_field(out, "branch", "unknown");
		return false;
	}
	if (strlen(username) > USERNAME_MAX || strlen(password) > AUTH_PASSWORD_MAX) {
		reply_error(out, ERR_UNAUTHORIZED, "wrong user name or password", NULL);
		return false;
	}
	return true;
}

void ep_session_create(struct call *call, struct reply *out)
{
	if (!login_fields_ok(call, out))
		return;
	const char *username = jsonx_string(call->json, "username");
	const char *password = jsonx_string(call->json, "password");
	const char *branch = jsonx_string(call->json, "branch");
	const char *terminal = jsonx_string(call->json, "terminal");

	struct throttle_rule rule = { call->svc->settings->login_max_failures,
				      call->svc->settings->login_window_seconds };
	unsigned long ticket;
	char *key = throttle_key_dup(call, terminal);
	unsigned wait = throttle_reserve(call->store, &rule, username, key, call->now, &ticket);
	free(key);
	if (wait) {
		char shown[LOG_NAME_LEN];
		log_warn("login throttled for \"%s\" from %s", log_name(username, shown),
			 call->address);
		refuse_throttled(out, wait);
		return;
	}

	struct staff_login staff;
	bool found = staff_find_login(call->store, username, &staff);
	bool rehash;
	enum auth_verdict verdict = auth_password_check(found ? staff.hash : NULL, password, &rehash);
	if (verdict == AUTH_BUSY) {
		/* No answer about the password: the try does not count. */
		throttle_release(ticket);
		staff_login_clear(&staff);
		char shown[LOG_NAME_LEN];
		log_warn("login of \"%s\" from %s: too many password checks at once",
			 log_name(username, shown), call->address);
		reply_error(out, ERR_UNAVAILABLE, "too many logins at once; try again", NULL);
		out->retry_after = 1;
		return;
	}
	bool right = verdict == AUTH_MATCH;
	if (!found || !right || staff.disabled) {
		refuse_login(call, out, username, found ? staff.id : 0,
			     !found ? "no such account" : !right ? "wrong password" : "disabled",
			     ticket);
		staff_login_clear(&staff);
		return;
	}
	if (staff.roles & ROLE_KIOSK) {
		/* A kiosk speaks SIP2 (balied-sip2(7)); its account is no desk's. */
		throttle_release(ticket);
		staff_login_clear(&staff);
		log_info("login refused for \"%s\" from %s: a kiosk account", username,
			 call->address);
		cJSON *details = cJSON_CreateObject();
		cJSON_AddStringToObject(details, "role", "kiosk");
		reply_error(out, ERR_FORBIDDEN, "a kiosk account logs in over SIP2 only", details);
		return;
	}
	char token[AUTH_TOKEN_HEX_LEN];
	time_t expires_at;
	char new_hash[AUTH_HASH_LEN];
	bool rehashed = rehash && !staff.disabled && auth_password_hash(password, new_hash);
	bool started = start_session(call, &staff, username, branch, terminal ? terminal : "",
				     rehashed ? new_hash : NULL, token, &expires_at);
	if (started && rehashed)
		log_info("password hash of \"%s\" made again with the current parameters",
			 username);
	throttle_release(ticket);
	if (!started) {
		staff_login_clear(&staff);
		reply_unavailable(out);
		return;
	}
	log_info("login of \"%s\" at %s from %s", username, branch, call->address);
	reply_json(out, 201,
		   session_json(token, expires_at, call->svc->settings,
				staff_json(username, staff.name, staff.roles, branch,
					   permission_of(call->store, staff.id))));
	sodium_memzero(token, sizeof token);
	staff_login_clear(&staff);
}

void ep_session_show(struct call *call, struct reply *out)
{
	const struct session *s = call->session;
	reply_json(out, 200,
		   session_json(NULL, s->expires_at, call->svc->settings,
				staff_json(s->username, s->name, s->roles, s->branch,
					   permission_of(call->store, s->staff_id))));
}

void ep_session_delete(struct call *call, struct reply *out)
{
	if (!session_delete(call->store, call->session->token_hash)) {
		reply_unavailable(out);
		return;
	}
	log_info("logout of \"%s\"", call->session->username);
	reply_empty(out, 204);
}
