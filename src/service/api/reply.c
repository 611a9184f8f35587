#include "service/api/reply.h"

#include "core/jsonx.h"
#include "service/store/store.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

void reply_json(struct reply *r, unsigned status, cJSON *obj)
{
	free(r->body);
	r->status = status;
	r->body = jsonx_print_dup(obj);
	cJSON_Delete(obj);
}

void reply_empty(struct reply *r, unsigned status)
{
	free(r->body);
	r->status = status;
	r->body = NULL;
}

void reply_error_status(struct reply *r, unsigned status, enum errcode code,
			const char *message, cJSON *details)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *err = cJSON_AddObjectToObject(root, "error");
	cJSON_AddStringToObject(err, "code", errcode_name(code));
	cJSON_AddStringToObject(err, "message", message);
	cJSON_AddItemToObject(err, "details", details ? details : cJSON_CreateObject());
	cJSON_AddBoolToObject(err, "overridable", false);
	reply_json(r, status, root);
}

void reply_error(struct reply *r, enum errcode code, const char *message, cJSON *details)
{
	reply_error_status(r, errcode_http_status(code), code, message, details);
}

void reply_invalid_field(struct reply *r, const char *field, const char *reason)
{
	cJSON *details = cJSON_CreateObject();
	cJSON_AddStringToObject(details, "field", field);
	cJSON_AddStringToObject(details, "reason", reason);
	char *msg = xasprintf("field %s: %s", field, reason);
	reply_error(r, ERR_INVALID_FIELD, msg, details);
	free(msg);
}

void reply_unavailable(struct reply *r)
{
	enum store_fault f = store_thread_fault_take();
	const char *why = "the service cannot reach its database";
	if (f == STORE_FAULT_BUSY) {
		why = "the database is busy: another process holds its write lock; try again";
		r->retry_after = 1;
	} else if (f == STORE_FAULT_FULL) {
		why = "the database is full: its disk has no space left";
	} else if (f == STORE_FAULT_READ_ONLY) {
		why = "the database is read-only: the service cannot write it";
	}
	cJSON *details = cJSON_CreateObject();
	cJSON_AddStringToObject(details, "store", store_fault_name(f));
	reply_error(r, ERR_UNAVAILABLE, why, details);
}

void reply_clear(struct reply *r)
{
	free(r->body);
	memset(r, 0, sizeof *r);
}
