/* Staff accounts: roles, adding, disabling, and what a login needs. Used by
 * the API (POST /staff, POST /session) and the "balied user" command. */
#ifndef BALIED_STAFF_H
#define BALIED_STAFF_H

#include "service/store/store.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

enum staff_role {
	ROLE_BALIE = 1 << 0,  /* desk */
	ROLE_IDO = 1 << 1,    /* volunteer at the IDO */
	ROLE_BEHEER = 1 << 2, /* administration */
	/* A self-service machine or sorter: logs in over SIP2 only
	 * (balied-sip2(7)), never at the HTTP API. */
	ROLE_KIOSK = 1 << 3,
};

/* The role for a name ("balie", "ido", "beheer", "kiosk"); 0 when unknown. */
unsigned staff_role_from_name(const char *name);
/* The roles of a mask as a JSON array of names, in a fixed order. */
cJSON *staff_roles_json(unsigned roles);
/* The roles of a comma-separated list as stored; unknown names are skipped. */
unsigned staff_roles_from_list(const char *list);

enum { STAFF_PASSWORD_MIN = 8 };

struct staff_fields {
	const char *username;
	const char *name;
	const char *password; /* checked and hashed by staff_add unless hash is set */
	const char *hash;     /* an argon2id hash made before, or NULL */
	const char *branch;   /* home branch; may be NULL */
	unsigned roles;
};

enum staff_problem {
	STAFF_OK,
	STAFF_BAD_USERNAME,   /* not 1-64 of a-z 0-9 . _ - */
	STAFF_USERNAME_TAKEN,
	STAFF_BAD_NAME,       /* empty or longer than 200 bytes */
	STAFF_BAD_PASSWORD,   /* shorter than STAFF_PASSWORD_MIN or too long */
	STAFF_NO_ROLES,
	STAFF_UNKNOWN_BRANCH,
	STAFF_STORE_FAILED,   /* logged */
};

/* True when u has the form of a user name (1-64 of a-z 0-9 . _ -). */
bool staff_username_ok(const char *u);

/* Checks the fields that need no database. */
enum staff_problem staff_check(const struct staff_fields *f);
/* The field a problem is about ("username", ...) and an English reason. */
const char *staff_problem_field(enum staff_problem p);
const char *staff_problem_reason(enum staff_problem p);

/* Adds an account (inside the caller's transaction, if any); sets *id. */
enum staff_problem staff_add(struct store *store, const struct staff_fields *f, long long *id);

/* Disables or enables username; a disabled account's sessions end at once.
 * Sets *found to whether the account exists. */
bool staff_set_disabled(struct store *store, const char *username, bool disabled, bool *found);

struct staff_login {
	long long id;
	char *name;
	char *hash;
	char *branch; /* may be NULL */
	unsigned roles;
	bool disabled;
};

/* Reads what a login needs; false when there is no such account. Free the
 * fields with staff_login_clear. */
bool staff_find_login(struct store *store, const char *username, struct staff_login *out);
void staff_login_clear(struct staff_login *l);
/* Replaces the stored password hash of account id (a hash made again with
 * today's parameters at a login). */
bool staff_set_hash(struct store *store, long long id, const char *hash);

/* Calls fn for each account, in user name order. */
typedef void (*staff_each_fn)(void *ctx, const char *username, const char *name,
			      const char *branch, unsigned roles, bool disabled);
bool staff_list(struct store *store, staff_each_fn fn, void *ctx);

/* True when a branch with this code exists. */
bool staff_branch_exists(struct store *store, const char *code);

#endif
