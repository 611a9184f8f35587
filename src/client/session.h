/* The session calls (GET /health, POST /session, DELETE /session, GET
 * /branches): typed calls (call.h) whose callbacks get plain structs, and
 * the decoders of their bodies. Every string is owned and was sanitised
 * when the reply arrived (api.c). A decoder refuses a body with a missing
 * or mistyped field: it returns NULL and sets *err (allocated, English, for
 * the log). */
#ifndef BALIE_SESSION_H
#define BALIE_SESSION_H

#include "client/call.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct session_health {
	char *status;  /* "ok" */
	char *version;
	char *time;    /* RFC 3339 UTC */
	bool training;
};

struct session_health *session_health_decode(const cJSON *body, char **err);
void session_health_free(struct session_health *h);

struct session_login {
	char *token;
	char *expires_at;
	/* The session's whole lifetime from the log-in ("lifetime_seconds"),
	 * for the desk to measure on its own steady clock; 0 when the service
	 * does not say (an older balied), and then the desk does not end the
	 * session on its own. */
	long long lifetime_seconds;
	char *username;
	char *name;
	char **roles;
	size_t n_roles;
	char **permissions; /* "waive", ...: what the desk shows the keys of */
	size_t n_permissions;
	char *branch;
};

struct session_login *session_login_decode(const cJSON *body, char **err);
void session_login_free(struct session_login *s);
bool session_has_role(const struct session_login *s, const char *role);
bool session_has_permission(const struct session_login *s, const char *permission);

/* Returns a new body for POST /session; free with cJSON_Delete. */
cJSON *session_login_body_new(const char *username, const char *password, const char *branch,
			      const char *terminal);

struct session_branch {
	char *code;
	char *name;
	bool open_weekday[8]; /* ISO weekdays: [1] Monday .. [7] Sunday; [0] unused */
	char **closed_dates;  /* YYYY-MM-DD */
	size_t n_closed_dates;
};

struct session_branches {
	struct session_branch *items;
	size_t n;
};

struct session_branches *session_branches_decode(const cJSON *body, char **err);
void session_branches_free(struct session_branches *b);
/* The branch with code, or NULL. */
const struct session_branch *session_branches_find(const struct session_branches *b,
						   const char *code);

/* The typed calls. Each callback gets the decoded answer, which it owns
 * (free it with its _free), or NULL and f. Each returns the call's id
 * (never 0) for call_cancel. */
typedef void (*session_health_fn)(void *ctx, struct session_health *h,
				  const struct call_failure *f);
unsigned session_health_start(struct api *api, session_health_fn done, void *ctx);

typedef void (*session_branches_fn)(void *ctx, struct session_branches *b,
				    const struct call_failure *f);
unsigned session_branches_start(struct api *api, session_branches_fn done, void *ctx);

/* Logs in (the api's token is not sent: set it to NULL first); the
 * password is not kept. */
typedef void (*session_login_fn)(void *ctx, struct session_login *s,
				 const struct call_failure *f);
unsigned session_login_start(struct api *api, const char *username, const char *password,
			     const char *branch, const char *terminal, session_login_fn done,
			     void *ctx);

/* Ends the session of the api's token now; nobody waits for the answer. */
void session_logout_start(struct api *api);
/* The same, waiting for the answer at most the api's timeout: for a desk
 * that is closing. */
void session_logout(struct api *api);

#endif
