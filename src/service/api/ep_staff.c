#include "service/api/endpoints.h"

#include "service/domain/audit.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "service/domain/staff.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct new_staff {
	struct staff_fields fields;
	char hash[AUTH_HASH_LEN];
};

static void new_staff_free(void *p)
{
	free(p);
}

static void refuse(struct reply *out, enum staff_problem p)
{
	if (p == STAFF_STORE_FAILED)
		reply_unavailable(out);
	else
		reply_invalid_field(out, staff_problem_field(p), staff_problem_reason(p));
}

/* The roles array; false with *field set when it holds something else. */
static bool read_roles(const cJSON *json, unsigned *roles)
{
	const cJSON *arr = jsonx_array(json, "roles");
	*roles = 0;
	if (!arr)
		return false;
	const cJSON *item;
	cJSON_ArrayForEach(item, arr) {
		unsigned role = cJSON_IsString(item) ? staff_role_from_name(item->valuestring) : 0;
		if (!role)
			return false;
		*roles |= role;
	}
	return *roles != 0;
}

/* Checks the fields and hashes the password before the transaction: the
 * hash takes a tenth of a second, too long to hold the database's lock. */
bool ep_staff_prepare(struct call *call, struct reply *out)
{
	struct new_staff *ns = xcalloc(1, sizeof *ns);
	call->prepared = ns;
	call->prepared_free = new_staff_free;
	struct staff_fields *f = &ns->fields;
	f->username = jsonx_string(call->json, "username");
	f->name = jsonx_string(call->json, "name");
	f->password = jsonx_string(call->json, "password");
	f->branch = jsonx_string(call->json, "branch");
	if (!read_roles(call->json, &f->roles)) {
		reply_invalid_field(out, "roles", jsonx_array(call->json, "roles") ? "unknown"
										    : "missing");
		return false;
	}
	if (!f->branch) {
		reply_invalid_field(out, "branch", "missing");
		return false;
	}
	enum staff_problem p = staff_check(f);
	if (p != STAFF_OK) {
		refuse(out, p);
		return false;
	}
	if (!auth_password_hash(f->password, ns->hash)) {
		reply_unavailable(out);
		return false;
	}
	f->hash = ns->hash;
	return true;
}

void ep_staff_create(struct call *call, struct reply *out)
{
	struct new_staff *ns = call->prepared;
	const struct staff_fields *f = &ns->fields;
	long long id;
	enum staff_problem p = staff_add(call->store, f, &id);
	if (p != STAFF_OK) {
		refuse(out, p);
		return;
	}
	if (!audit_add(call->store, call->session, call->now, "staff_add", f->username, NULL,
		       NULL)) {
		reply_unavailable(out);
		return;
	}
	log_info("staff account \"%s\" added by \"%s\"", f->username, call->session->username);
	cJSON *root = cJSON_CreateObject();
	cJSON *staff = cJSON_AddObjectToObject(root, "staff");
	cJSON_AddStringToObject(staff, "username", f->username);
	cJSON_AddStringToObject(staff, "name", f->name);
	cJSON_AddItemToObject(staff, "roles", staff_roles_json(f->roles));
	cJSON_AddStringToObject(staff, "branch", f->branch);
	cJSON_AddBoolToObject(staff, "disabled", false);
	reply_json(out, 201, root);
}
