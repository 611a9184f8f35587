/* Calls replayed from a desk's offline journal (DESIGN.md section 4,
 * Offline): a body with "occurred_at" (RFC 3339 UTC) or "offline":
 * true. Such a replay needs the permission "offline", applies the rules as
 * of occurred_at, and is written to the audit log (action "offline"). */
#ifndef BALIED_OFFLINE_H
#define BALIED_OFFLINE_H

#include "service/api/call.h"
#include "service/api/reply.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <time.h>

struct offline_when {
	time_t at;               /* when it happened: now, or occurred_at */
	bool replay;             /* the body has occurred_at or "offline": true */
	const char *occurred_at; /* as sent (in call->json), or NULL */
};

/*
 * For a route's prepare step, so that a refusal is not stored under the
 * Idempotency-Key (a colleague with the permission may send the same entry
 * later): an offline replay from an account without the permission "offline"
 * is 403 forbidden with details {"permission":"offline"}; "offline" that is
 * not true or false is invalid_field "offline", "invalid". False after
 * answering.
 */
bool offline_permitted(struct call *call, struct reply *out);

/* The prepare step of a route that needs no other: offline_permitted. */
bool offline_prepare(struct call *call, struct reply *out);

/*
 * Reads when the call happened into *w: now, or occurred_at. Not an
 * instant of the calendar ("YYYY-MM-DDTHH:MM:SSZ", a real day and time):
 * invalid_field "occurred_at", "not_an_instant"; more than five minutes
 * ahead of the service's clock: "in_the_future"; further back than the
 * Idempotency-Keys are kept (idempotency_keep_days): "too_old"; a replay
 * whose occurred_at lies outside every session of the caller's staff member
 * at the caller's terminal (a log-in in the audit log, its lifetime
 * token_lifetime_seconds, five minutes of slack on either side):
 * "outside_session". False after answering.
 */
bool offline_read_when(struct call *call, struct reply *out, struct offline_when *w);

/*
 * For a replay (w->replay), adds the audit row of its effect in the caller's
 * transaction: action "offline", the subject (may be NULL), details
 * {"call": the path, "occurred_at"?} with the members of extra (taken; may
 * be NULL). True, and nothing written, for a call that is not a replay.
 */
bool offline_audit(struct call *call, const struct offline_when *w, const char *subject,
		   cJSON *extra);

#endif
