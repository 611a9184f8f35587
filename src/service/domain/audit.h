/* The audit log: who did what, when, where and why, for the acts that need
 * accounting for (overrides, account changes). */
#ifndef BALIED_AUDIT_H
#define BALIED_AUDIT_H

#include "service/domain/session.h"
#include "service/store/store.h"

#include <stdbool.h>
#include <time.h>

/* Adds an entry in the caller's transaction. who may be NULL (the balied
 * command line); subject, reason and details (JSON text) may be NULL. */
bool audit_add(struct store *store, const struct session *who, time_t at, const char *action,
	       const char *subject, const char *reason, const char *details);

/* A login or a failed login, before there is a session: staff_id 0 for a
 * name without an account; branch and terminal as the desk sent them (may be
 * NULL); the client address goes into details. Never the password. */
bool audit_add_login(struct store *store, long long staff_id, const char *branch,
		     const char *terminal, const char *address, time_t at, const char *action,
		     const char *subject, const char *reason);

enum audit_found { AUDIT_FOUND, AUDIT_NOT_FOUND, AUDIT_STORE_FAILED };

/*
 * Whether staff_id logged in successfully (a "login" row of
 * audit_add_login) at terminal at some login_at with
 * login_at - slack <= at <= login_at + lifetime + slack: whether the
 * moment at lies within one of that person's sessions at that desk.
 */
enum audit_found audit_session_covers(struct store *store, long long staff_id,
				      const char *terminal, time_t at, unsigned lifetime,
				      unsigned slack);

#endif
