#include "offline.h"

#include "audit.h"
#include "jsonx.h"
#include "permission.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Five minutes of slack for a desk's clock running ahead. */
enum { FUTURE_SLACK = 300 };

/* occurred_at as a time, or (time_t)-1 when it is no instant. */
static time_t occurred_time(const char *at)
{
	struct tm tm = { 0 };
	const char *end = at ? strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	return end && !*end ? timegm(&tm) : (time_t)-1;
}

/* A replay: "offline": true, or an occurred_at more than FUTURE_SLACK
 * before now. A desk journals every transaction with the moment it
 * happened, online ones too; sent at once, that moment is now (within the
 * same slack as a clock ahead), and the call is no replay. */
static bool is_replay(const struct call *call)
{
	const cJSON *off = cJSON_GetObjectItemCaseSensitive(call->json, "offline");
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(call->json, "occurred_at");
	if (cJSON_IsTrue(off))
		return true;
	if (!at)
		return false;
	time_t t = occurred_time(cJSON_GetStringValue(at));
	return t == (time_t)-1 || t < call->now - FUTURE_SLACK;
}

bool offline_permitted(struct call *call, struct reply *out)
{
	const cJSON *off = cJSON_GetObjectItemCaseSensitive(call->json, "offline");
	if (off && !cJSON_IsBool(off)) {
		reply_invalid_field(out, "offline", "invalid");
		return false;
	}
	if (!is_replay(call) ||
	    (permission_of(call->store, call->session->staff_id) & PERMISSION_OFFLINE))
		return true;
	cJSON *details = cJSON_CreateObject();
	cJSON_AddStringToObject(details, "permission", "offline");
	reply_error(out, ERR_FORBIDDEN, "replaying an offline journal needs the offline permission",
		    details);
	return false;
}

bool offline_prepare(struct call *call, struct reply *out)
{
	return offline_permitted(call, out);
}

bool offline_read_when(struct call *call, struct reply *out, struct offline_when *w)
{
	w->at = call->now;
	w->replay = is_replay(call);
	w->occurred_at = jsonx_string(call->json, "occurred_at");
	if (!w->occurred_at) {
		if (cJSON_GetObjectItemCaseSensitive(call->json, "occurred_at")) {
			reply_invalid_field(out, "occurred_at", "not_an_instant");
			return false;
		}
		return true;
	}
	time_t t = occurred_time(w->occurred_at);
	if (t == (time_t)-1) {
		reply_invalid_field(out, "occurred_at", "not_an_instant");
		return false;
	}
	if (t > call->now + FUTURE_SLACK) {
		reply_invalid_field(out, "occurred_at", "in_the_future");
		return false;
	}
	w->at = t;
	return true;
}

bool offline_audit(struct call *call, const struct offline_when *w, const char *subject,
		   cJSON *extra)
{
	if (!w->replay) {
		cJSON_Delete(extra);
		return true;
	}
	cJSON *d = extra ? extra : cJSON_CreateObject();
	cJSON_AddStringToObject(d, "call", call->path);
	if (w->occurred_at)
		cJSON_AddStringToObject(d, "occurred_at", w->occurred_at);
	char *details = jsonx_print_dup(d);
	cJSON_Delete(d);
	bool ok = audit_add(call->store, call->session, call->now, "offline", subject, NULL,
			    details);
	free(details);
	return ok;
}
