/* The table of API routes and the one path every request takes through it:
 * match, authenticate, check the role, check the Idempotency-Key, parse the
 * body, and run the handler (inside the key's transaction when it needs one). */
#ifndef BALIED_ROUTER_H
#define BALIED_ROUTER_H

#include "service/api/call.h"
#include "service/api/reply.h"

#include <stdbool.h>

struct route {
	const char *method;
	const char *pattern;  /* below /api/v1; a segment "{name}" matches any one segment */
	bool open;            /* callable without a session */
	unsigned roles;       /* a session needs one of these roles (staff.h) */
	bool idempotent;      /* mutating: needs an Idempotency-Key */
	/* Optional: runs first, outside any transaction (for slow work such as
	 * hashing a password), after a repeat of a stored key has been answered.
	 * Returns false after answering in out; such an answer (a refusal of the
	 * body itself) changed nothing and is not stored under the key. */
	bool (*prepare)(struct call *call, struct reply *out);
	/* For an idempotent route runs inside the key's transaction. */
	void (*handle)(struct call *call, struct reply *out);
};

/* The routes of this version, ending with a row whose method is NULL. */
extern const struct route router_routes[];

/*
 * Answers call in out. The caller fills the request part of call; the router
 * fills and frees the rest. Sets *route_pattern to the matched pattern (for
 * the log line, which must not hold card numbers), or "-".
 */
void router_dispatch(struct call *call, struct reply *out, const char **route_pattern);

#endif
