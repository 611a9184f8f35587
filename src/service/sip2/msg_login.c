/* 93 login and 99 SC status. A kiosk logs in with its own staff account of
 * the role kiosk (CN, CO), at the branch CP names or else the account's
 * own; the login is throttled and audited as a desk's is. */
#include "service/sip2/messages.h"

#include "service/domain/audit.h"
#include "service/domain/auth.h"
#include "service/domain/staff.h"
#include "service/domain/throttle.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static char *login_answer(bool ok)
{
	return xstrdup(ok ? "941" : "940");
}

/* The branch of the login: CP when it is a branch, else the account's. */
static char *login_branch_dup(struct sip2_session *s, const char *location,
			      const struct staff_login *staff)
{
	if (*location && staff_branch_exists(s->store, location))
		return xstrdup(location);
	return staff->branch ? xstrdup(staff->branch) : NULL;
}

static bool login_store(struct sip2_session *s, const struct staff_login *staff,
			const char *username, const char *branch)
{
	if (!store_begin(s->store))
		return false;
	if (throttle_succeeded(s->store, username) &&
	    audit_add_login(s->store, staff->id, branch, "sip2", s->address, sip2_now(s),
			    "login", username, NULL) &&
	    store_commit(s->store))
		return true;
	store_rollback(s->store);
	return false;
}

static void session_set(struct sip2_session *s, const struct staff_login *staff,
			const char *username, char *branch)
{
	free(s->who.username);
	free(s->who.name);
	free(s->who.branch);
	free(s->who.terminal);
	s->who.staff_id = staff->id;
	s->who.username = xstrdup(username);
	s->who.name = xstrdup(staff->name);
	s->who.branch = branch;
	s->who.terminal = xstrdup("sip2");
	s->who.roles = staff->roles;
	s->logged_in = true;
	if (!kiosk_charset(s->store, staff->id, s->charset))
		memcpy(s->charset, "UTF-8", 6);
}

/* Why a login fails, for the log and the audit; NULL when it may go on. */
static const char *refusal(bool found, enum auth_verdict v, const struct staff_login *staff)
{
	if (!found)
		return "no such account";
	if (v != AUTH_MATCH)
		return "wrong password";
	if (staff->disabled)
		return "disabled";
	if (!(staff->roles & ROLE_KIOSK))
		return "not a kiosk account";
	return NULL;
}

static char *login_with(struct sip2_session *s, const char *username, const char *password,
			const char *location)
{
	const struct settings *set = s->env->settings;
	struct throttle_rule rule = { set->login_max_failures, set->login_window_seconds };
	unsigned long ticket;
	time_t now = sip2_now(s);
	if (throttle_reserve(s->store, &rule, username, s->address, now, &ticket)) {
		log_warn("sip2: login throttled from %s", s->address);
		return login_answer(false);
	}
	struct staff_login staff;
	bool found = staff_find_login(s->store, username, &staff);
	bool rehash;
	enum auth_verdict v = auth_password_check(found ? staff.hash : NULL, password, &rehash);
	if (v == AUTH_BUSY) {
		throttle_release(ticket);
		staff_login_clear(&staff);
		return NULL;
	}
	const char *why = refusal(found, v, &staff);
	char *branch = why ? NULL : login_branch_dup(s, location, &staff);
	if (!why && !branch)
		why = "no branch";
	bool ok = !why && login_store(s, &staff, username, branch);
	if (why) {
		const char *shown = staff_username_ok(username) ? username : "(not a user name)";
		log_info("sip2: login refused for \"%s\" from %s: %s", shown, s->address, why);
		throttle_settle_failed(s->store, ticket, now);
		audit_add_login(s->store, found ? staff.id : 0, NULL, "sip2", s->address, now,
				"login_failed", shown, why);
	} else {
		throttle_release(ticket);
	}
	if (ok) {
		log_info("sip2: login of \"%s\" at %s from %s", username, branch, s->address);
		session_set(s, &staff, username, branch);
	} else {
		free(branch);
	}
	staff_login_clear(&staff);
	return why || ok ? login_answer(ok) : NULL;
}

char *sip2_msg_login(struct sip2_session *s, const struct sip2_msg *m)
{
	char *username = sip2_arg_dup(s, m, "CN");
	char *password = sip2_arg_dup(s, m, "CO");
	char *location = sip2_arg_dup(s, m, "CP");
	char *answer = strlen(username) > 64 || strlen(password) > AUTH_PASSWORD_MAX
			       ? login_answer(false)
			       : login_with(s, username, password, location);
	sodium_memzero(password, strlen(password));
	free(password);
	free(username);
	free(location);
	return answer;
}

char *sip2_msg_status(struct sip2_session *s, const struct sip2_msg *m)
{
	(void)m;
	char bx[17], now[SIP2_DATE_LEN];
	sip2_supported_messages(bx);
	sip2_date(sip2_now(s), now);
	struct sip2_out o;
	sip2_out_init(&o, "98");
	/* Online, check-in and check-out, the ACS renews, no status update, no
	 * offline; a timeout of 10 s (in tenths), 3 retries. */
	sip2_out_fixed(&o, "YYYYNN100003");
	sip2_out_fixed(&o, now);
	sip2_out_fixed(&o, "2.00");
	sip2_out_field(&o, "AO", s->logged_in ? s->who.branch : "");
	sip2_out_field(&o, "AM", "balie");
	sip2_out_field(&o, "BX", bx);
	return sip2_out_take(&o);
}
