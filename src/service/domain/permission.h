/* Permissions of staff accounts beyond their roles (table staff_permissions):
 * "override" lets an account lend despite a block, giving a reason;
 * "offline" lets it replay a desk's offline journal (offline.h);
 * "waive" lets it waive charges on a patron's account; "block" lets it set
 * and lift a manual block; "due_date" lets it set a loan's due date by hand;
 * "backdate" lets it check items in as of an earlier day (the bookdrop);
 * "amnesty" lets it check items in without a fine. */
#ifndef BALIED_PERMISSION_H
#define BALIED_PERMISSION_H

#include "service/store/store.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <time.h>

enum permission {
	PERMISSION_OVERRIDE = 1 << 0,
	PERMISSION_OFFLINE = 1 << 1,
	PERMISSION_WAIVE = 1 << 2,
	PERMISSION_BLOCK = 1 << 3,
	PERMISSION_DUE_DATE = 1 << 4,
	PERMISSION_BACKDATE = 1 << 5,
	PERMISSION_AMNESTY = 1 << 6,
};

/* The permission for a name ("override"); 0 when unknown. */
unsigned permission_from_name(const char *name);
/* The permissions of an account as a mask; 0 also when the store fails (logged). */
unsigned permission_of(struct store *store, long long staff_id);
/* A mask as a JSON array of names, in a fixed order. */
cJSON *permission_json(unsigned permissions);
/* Grants a permission (inside the caller's transaction, if any). */
bool permission_grant(struct store *store, long long staff_id, unsigned permission);

enum permission_change_status {
	PERMISSION_CHANGED,       /* also when the account had it, or had it not, already */
	PERMISSION_NO_ACCOUNT,
	PERMISSION_STORE_FAILED,
};
/* Grants or revokes one permission (a single bit) of the account username,
 * with its audit entry, in a transaction of its own. */
enum permission_change_status permission_change(struct store *store, const char *username,
						unsigned permission, bool grant, time_t now);

typedef void (*permission_fn)(void *ctx, const char *username, const char *permission);
/* Calls fn for each permission granted, by user name and permission name.
 * False when the store fails. */
bool permission_each(struct store *store, permission_fn fn, void *ctx);

#endif
