/*
 * The check-in's options (balied(8), POST /checkins): a backdated check-in
 * (the bookdrop emptied in the morning counts as returned on the last day
 * the branch was open) and amnesty (no fine). Each needs its permission and
 * is audited.
 *
 * Details of the protocol decided here (also in balied(8)):
 * - "effective_on": a date YYYY-MM-DD before today (of occurred_at, for a
 *   replay), at most 31 days back: the check-in happens as of the end of
 *   that day, so its fine is counted to that day and the rules apply as of
 *   then (as for a replay's occurred_at). Otherwise invalid_field
 *   "effective_on" with "invalid", "not_before_today" or "too_old". It needs
 *   the permission backdate.
 * - "amnesty": true checks in without a fine; the answer's fine_cents is 0
 *   and fine_waived_cents what it would have been. It needs the permission
 *   amnesty. Not a boolean: invalid_field "amnesty", "invalid".
 * - Without the permission: 403 forbidden, details {"permission"}, answered
 *   before the Idempotency-Key machinery (a colleague may send it).
 * - The audit rows: action "backdate" (details {"item_barcode",
 *   "effective_on"}) and "amnesty" (details {"item_barcode",
 *   "fine_waived_cents"}), the barcode as subject.
 */
#include "service/api/endpoints.h"

#include "service/domain/audit.h"
#include "service/domain/offline.h"
#include "service/domain/permission.h"
#include "core/date.h"
#include "core/jsonx.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { BACKDATE_MAX_DAYS = 31 };

static bool permitted(struct call *call, unsigned permission, const char *name,
		      struct reply *out)
{
	if (permission_of(call->store, call->session->staff_id) & permission)
		return true;
	cJSON *details = cJSON_CreateObject();
	cJSON_AddStringToObject(details, "permission", name);
	reply_error(out, ERR_FORBIDDEN, "this check-in needs a permission", details);
	return false;
}

bool ep_checkins_prepare(struct call *call, struct reply *out)
{
	if (!offline_permitted(call, out))
		return false;
	const cJSON *amnesty = cJSON_GetObjectItemCaseSensitive(call->json, "amnesty");
	if (amnesty && !cJSON_IsBool(amnesty)) {
		reply_invalid_field(out, "amnesty", "invalid");
		return false;
	}
	return (!cJSON_GetObjectItemCaseSensitive(call->json, "effective_on") ||
		permitted(call, PERMISSION_BACKDATE, "backdate", out)) &&
	       (!cJSON_IsTrue(amnesty) || permitted(call, PERMISSION_AMNESTY, "amnesty", out));
}

/* The end of day d in the local zone (Europe/Amsterdam). */
static time_t end_of_day(struct civil_date d)
{
	struct tm tm = { .tm_year = d.year - 1900, .tm_mon = d.month - 1, .tm_mday = d.day,
			 .tm_hour = 23, .tm_min = 59, .tm_sec = 59, .tm_isdst = -1 };
	return mktime(&tm);
}

bool ep_checkin_options_read(struct call *call, const struct offline_when *when,
			     struct checkin_options *o, struct reply *out)
{
	*o = (struct checkin_options){ .at = when->at };
	o->amnesty = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(call->json, "amnesty"));
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(call->json, "effective_on");
	if (!m)
		return true;
	struct civil_date d;
	if (!cJSON_IsString(m) || !date_parse_iso(m->valuestring, &d)) {
		reply_invalid_field(out, "effective_on", "invalid");
		return false;
	}
	long back = date_to_days(date_of_time(when->at)) - date_to_days(d);
	if (back <= 0 || back > BACKDATE_MAX_DAYS) {
		reply_invalid_field(out, "effective_on", back <= 0 ? "not_before_today" : "too_old");
		return false;
	}
	o->effective_on = m->valuestring;
	o->at = end_of_day(d);
	return true;
}

static bool audit_one(struct call *call, const char *action, const char *barcode, cJSON *d)
{
	cJSON_AddStringToObject(d, "item_barcode", barcode);
	char *details = jsonx_print_dup(d);
	cJSON_Delete(d);
	bool ok = audit_add(call->store, call->session, call->now, action, barcode, NULL, details);
	free(details);
	return ok;
}

bool ep_checkin_options_audit(struct call *call, const struct checkin_options *o,
			      const struct circ_checkin_res *res)
{
	if (o->effective_on) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "effective_on", o->effective_on);
		if (!audit_one(call, "backdate", res->item.barcode, d))
			return false;
	}
	if (!o->amnesty || !res->was_on_loan)
		return true;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddNumberToObject(d, "fine_waived_cents", (double)res->fine_waived_cents);
	return audit_one(call, "amnesty", res->item.barcode, d);
}
