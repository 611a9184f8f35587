/* The audit log: who did what, when, where and why, for the acts that need
 * accounting for (overrides, account changes). */
#ifndef BALIED_AUDIT_H
#define BALIED_AUDIT_H

#include "session.h"
#include "store.h"

#include <stdbool.h>
#include <time.h>

/* Adds an entry in the caller's transaction. who may be NULL (the balied
 * command line); subject, reason and details (JSON text) may be NULL. */
bool audit_add(struct store *store, const struct session *who, time_t at, const char *action,
	       const char *subject, const char *reason, const char *details);

#endif
