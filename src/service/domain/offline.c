#include "service/domain/offline.h"

#include "service/domain/audit.h"
#include "core/jsonx.h"
#include "service/domain/permission.h"
#include "core/xalloc.h"
#include "service/settings.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Five minutes of slack for a desk's clock running ahead. */
enum { FUTURE_SLACK = 300 };

/* "YYYY-MM-DDTHH:MM:SSZ" as an instant, or -1 when it is not one: strptime
 * and timegm take 30 February as 2 March, so the fields must survive the
 * round trip through gmtime_r unchanged. */
static time_t instant_parse(const char *text)
{
	if (!text)
		return (time_t)-1;
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	for (size_t i = 0; i < sizeof shape - 1; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)text[i]) : text[i] != shape[i])
			return (time_t)-1;
	struct tm tm = { 0 };
	const char *end = strptime(text, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return (time_t)-1;
	struct tm want = tm;
	time_t t = timegm(&tm);
	struct tm back;
	if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_year != want.tm_year ||
	    back.tm_mon != want.tm_mon || back.tm_mday != want.tm_mday ||
	    back.tm_hour != want.tm_hour || back.tm_min != want.tm_min ||
	    back.tm_sec != want.tm_sec)
		return (time_t)-1;
	return t;
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
	time_t t = instant_parse(cJSON_GetStringValue(at));
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

/* Work without a log-in is no one's work: a replayed moment must lie within
 * a session of the caller's staff member at the caller's terminal (the desk
 * replays under the same person's current session at the same desk). The
 * slack is the one for a desk clock ahead, on either side. False after
 * answering. */
static bool within_session(const struct call *call, time_t t, struct reply *out)
{
	const struct session *s = call->session;
	switch (audit_session_covers(call->store, s->staff_id, s->terminal, t,
				     call->svc->settings->token_lifetime_seconds, FUTURE_SLACK)) {
	case AUDIT_FOUND:
		return true;
	case AUDIT_NOT_FOUND:
		reply_invalid_field(out, "occurred_at", "outside_session");
		return false;
	case AUDIT_STORE_FAILED:
		break;
	}
	reply_unavailable(out);
	return false;
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
	time_t t = instant_parse(w->occurred_at);
	if (t == (time_t)-1) {
		reply_invalid_field(out, "occurred_at", "not_an_instant");
		return false;
	}
	if (t > call->now + FUTURE_SLACK) {
		reply_invalid_field(out, "occurred_at", "in_the_future");
		return false;
	}
	/* A desk whose clock was reset would lend as of years ago and fine on
	 * return; and past the key lifetime a repeat could no longer be known. */
	if (t < call->now - (time_t)call->svc->settings->idempotency_keep_days * 86400) {
		reply_invalid_field(out, "occurred_at", "too_old");
		return false;
	}
	if (w->replay && !within_session(call, t, out))
		return false;
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
