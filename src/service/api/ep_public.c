#include "service/api/endpoints.h"

#include "build_config.h"
#include "service/domain/branch.h"
#include "service/timefmt.h"

void ep_health(struct call *call, struct reply *out)
{
	char now[TIMEFMT_INSTANT_LEN];
	timefmt_instant(call->now, now);
	/* Busy is a passing state: a balancer must not take the node out for a
	 * writer that waits; a store that cannot be written fails the check. */
	enum store_fault f = store_health(call->store);
	bool failing = f != STORE_FAULT_NONE && f != STORE_FAULT_BUSY;
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "status", failing ? "failing" : "ok");
	cJSON_AddStringToObject(root, "store", store_fault_name(f));
	cJSON_AddStringToObject(root, "version", BALIE_VERSION);
	cJSON_AddStringToObject(root, "time", now);
	cJSON_AddBoolToObject(root, "training", call->svc->training);
	reply_json(out, failing ? 503 : 200, root);
}

static cJSON *weekdays_json(const char *digits)
{
	cJSON *arr = cJSON_CreateArray();
	for (const char *d = digits; *d; d++)
		cJSON_AddItemToArray(arr, cJSON_CreateNumber(*d - '0'));
	return arr;
}

struct branches_ctx {
	struct call *call;
	cJSON *list;
	char today[TIMEFMT_DATE_LEN];
	bool ok;
};

static void add_closed_date(void *ctx, const char *date)
{
	cJSON_AddItemToArray(ctx, cJSON_CreateString(date));
}

/* Closed dates from today on: the desk needs the future, not the past. */
static void add_branch(void *ctx, const struct branch_row *row)
{
	struct branches_ctx *bc = ctx;
	if (!bc->ok)
		return;
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "code", row->code);
	cJSON_AddStringToObject(b, "name", row->name);
	cJSON_AddItemToObject(b, "open_weekdays", weekdays_json(row->open_weekdays));
	cJSON *dates = cJSON_AddArrayToObject(b, "closed_dates");
	bc->ok = branch_each_closed_from(bc->call->store, row->code, bc->today, add_closed_date,
					 dates);
	cJSON_AddItemToArray(bc->list, b);
}

void ep_branches(struct call *call, struct reply *out)
{
	cJSON *root = cJSON_CreateObject();
	struct branches_ctx bc = { .call = call, .list = cJSON_AddArrayToObject(root, "branches"),
				   .ok = true };
	timefmt_date(call->now, bc.today);
	if (!branch_each(call->store, add_branch, &bc) || !bc.ok) {
		cJSON_Delete(root);
		reply_unavailable(out);
		return;
	}
	reply_json(out, 200, root);
}
