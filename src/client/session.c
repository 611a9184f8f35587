#include "client/session.h"

#include "core/jsonx.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Copies the string member key of obj into *out; false (and *err) when it is
 * missing or not a string. */
static bool take_string(const cJSON *obj, const char *key, char **out, char **err)
{
	const char *s = jsonx_string(obj, key);
	if (!s) {
		*err = xasprintf("\"%s\" is missing or not a string", key);
		return false;
	}
	*out = xstrdup(s);
	return true;
}

/* Copies an array of strings; false (and *err) when it is anything else. */
static bool take_string_list(const cJSON *arr, const char *key, char ***out, size_t *n,
			     char **err)
{
	if (!cJSON_IsArray(arr)) {
		*err = xasprintf("\"%s\" is missing or not a list", key);
		return false;
	}
	size_t count = (size_t)cJSON_GetArraySize(arr);
	*out = xcalloc(count + 1, sizeof **out);
	*n = 0;
	const cJSON *item;
	cJSON_ArrayForEach(item, arr) {
		if (!cJSON_IsString(item)) {
			*err = xasprintf("\"%s\" holds something that is not a string", key);
			return false;
		}
		(*out)[(*n)++] = xstrdup(item->valuestring);
	}
	return true;
}

static void free_string_list(char **list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		free(list[i]);
	free(list);
}

struct session_health *session_health_decode(const cJSON *body, char **err)
{
	struct session_health *h = xcalloc(1, sizeof *h);
	if (!cJSON_IsObject(body)) {
		*err = xstrdup("the health answer is not an object");
	} else if (take_string(body, "status", &h->status, err) &&
		   take_string(body, "version", &h->version, err) &&
		   take_string(body, "time", &h->time, err)) {
		if (jsonx_bool(body, "training", &h->training))
			return h;
		*err = xstrdup("\"training\" is missing or not true or false");
	}
	session_health_free(h);
	return NULL;
}

void session_health_free(struct session_health *h)
{
	if (!h)
		return;
	free(h->status);
	free(h->version);
	free(h->time);
	free(h);
}

/* The optional "permissions": a service before them sends none. */
static bool take_permissions(const cJSON *staff, struct session_login *s, char **err)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(staff, "permissions");
	return !list || take_string_list(list, "permissions", &s->permissions, &s->n_permissions,
					 err);
}

static bool decode_staff(const cJSON *staff, struct session_login *s, char **err)
{
	if (!staff) {
		*err = xstrdup("\"staff\" is missing or not an object");
		return false;
	}
	return take_string(staff, "username", &s->username, err) &&
	       take_string(staff, "name", &s->name, err) &&
	       take_string_list(cJSON_GetObjectItemCaseSensitive(staff, "roles"), "roles",
				&s->roles, &s->n_roles, err) &&
	       take_string(staff, "branch", &s->branch, err) &&
	       take_permissions(staff, s, err);
}

/* The optional "lifetime_seconds": a whole number of seconds, at least one
 * and at most a year; false (and *err) for anything else. */
static bool take_lifetime(const cJSON *body, long long *out, char **err)
{
	enum { LIFETIME_MAX = 366 * 86400 };
	*out = 0;
	if (!cJSON_GetObjectItemCaseSensitive(body, "lifetime_seconds"))
		return true;
	if (jsonx_int(body, "lifetime_seconds", out) && *out >= 1 && *out <= LIFETIME_MAX)
		return true;
	*out = 0;
	*err = xstrdup("\"lifetime_seconds\" is not a whole number of seconds from 1 to a year");
	return false;
}

struct session_login *session_login_decode(const cJSON *body, char **err)
{
	struct session_login *s = xcalloc(1, sizeof *s);
	if (!cJSON_IsObject(body)) {
		*err = xstrdup("the login answer is not an object");
	} else if (take_string(body, "token", &s->token, err) &&
		   take_string(body, "expires_at", &s->expires_at, err) &&
		   take_lifetime(body, &s->lifetime_seconds, err) &&
		   decode_staff(jsonx_object(body, "staff"), s, err)) {
		if (s->token[0] != '\0')
			return s;
		*err = xstrdup("\"token\" is empty");
	}
	session_login_free(s);
	return NULL;
}

void session_login_free(struct session_login *s)
{
	if (!s)
		return;
	if (s->token) /* the token is a secret: do not leave it in freed memory */
		memset(s->token, 0, strlen(s->token));
	free(s->token);
	free(s->expires_at);
	free(s->username);
	free(s->name);
	free_string_list(s->roles, s->n_roles);
	free_string_list(s->permissions, s->n_permissions);
	free(s->branch);
	free(s);
}

bool session_has_permission(const struct session_login *s, const char *permission)
{
	for (size_t i = 0; s && i < s->n_permissions; i++)
		if (strcmp(s->permissions[i], permission) == 0)
			return true;
	return false;
}

bool session_has_role(const struct session_login *s, const char *role)
{
	for (size_t i = 0; s && i < s->n_roles; i++)
		if (strcmp(s->roles[i], role) == 0)
			return true;
	return false;
}

cJSON *session_login_body_new(const char *username, const char *password, const char *branch,
			      const char *terminal)
{
	cJSON *body = cJSON_CreateObject();
	if (!body || !cJSON_AddStringToObject(body, "username", username) ||
	    !cJSON_AddStringToObject(body, "password", password) ||
	    !cJSON_AddStringToObject(body, "branch", branch) ||
	    !cJSON_AddStringToObject(body, "terminal", terminal))
		abort(); /* cJSON fails only when out of memory */
	return body;
}

static bool decode_weekdays(const cJSON *arr, struct session_branch *b, char **err)
{
	if (!arr) {
		*err = xstrdup("\"open_weekdays\" is missing or not a list");
		return false;
	}
	const cJSON *day;
	cJSON_ArrayForEach(day, arr) {
		double d = cJSON_IsNumber(day) ? day->valuedouble : 0;
		if (d < 1 || d > 7 || d != (double)(int)d) {
			*err = xstrdup("\"open_weekdays\" holds something that is not a weekday 1-7");
			return false;
		}
		b->open_weekday[(int)d] = true;
	}
	return true;
}

static bool decode_branch(const cJSON *item, struct session_branch *b, char **err)
{
	if (!cJSON_IsObject(item)) {
		*err = xstrdup("a branch is not an object");
		return false;
	}
	if (!take_string(item, "code", &b->code, err) || !take_string(item, "name", &b->name, err) ||
	    !decode_weekdays(jsonx_array(item, "open_weekdays"), b, err))
		return false;
	const cJSON *closed = cJSON_GetObjectItemCaseSensitive(item, "closed_dates");
	if (!closed) /* optional: a branch may have no closed dates */
		return true;
	return take_string_list(closed, "closed_dates", &b->closed_dates, &b->n_closed_dates, err);
}

struct session_branches *session_branches_decode(const cJSON *body, char **err)
{
	const cJSON *arr = jsonx_array(body, "branches");
	if (!arr) {
		*err = xstrdup("\"branches\" is missing or not a list");
		return NULL;
	}
	struct session_branches *list = xcalloc(1, sizeof *list);
	list->items = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *list->items);
	const cJSON *item;
	cJSON_ArrayForEach(item, arr) {
		if (!decode_branch(item, &list->items[list->n++], err)) {
			session_branches_free(list);
			return NULL;
		}
	}
	return list;
}

void session_branches_free(struct session_branches *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		free(b->items[i].code);
		free(b->items[i].name);
		free_string_list(b->items[i].closed_dates, b->items[i].n_closed_dates);
	}
	free(b->items);
	free(b);
}

const struct session_branch *session_branches_find(const struct session_branches *b,
						   const char *code)
{
	for (size_t i = 0; b && code && i < b->n; i++)
		if (strcmp(b->items[i].code, code) == 0)
			return &b->items[i];
	return NULL;
}

CALL_DECODER(session_on_health, struct session_health, session_health_decode, session_health_fn,
	     "GET /health")

unsigned session_health_start(struct api *api, session_health_fn done, void *ctx)
{
	return call_start(api, "GET", "/health", NULL, NULL, session_on_health, (call_fn)done, ctx);
}

CALL_DECODER(session_on_branches, struct session_branches, session_branches_decode,
	     session_branches_fn, "GET /branches")

unsigned session_branches_start(struct api *api, session_branches_fn done, void *ctx)
{
	return call_start(api, "GET", "/branches", NULL, NULL, session_on_branches, (call_fn)done,
			  ctx);
}

CALL_DECODER(session_on_login, struct session_login, session_login_decode, session_login_fn,
	     "POST /session")

unsigned session_login_start(struct api *api, const char *username, const char *password,
			     const char *branch, const char *terminal, session_login_fn done,
			     void *ctx)
{
	cJSON *body = session_login_body_new(username, password, branch, terminal);
	unsigned id = call_start(api, "POST", "/session", body, NULL, session_on_login,
				 (call_fn)done, ctx);
	cJSON_Delete(body);
	return id;
}

void session_logout_start(struct api *api)
{
	api_start(api, "DELETE", "/session", NULL, NULL, NULL, NULL);
}

void session_logout(struct api *api)
{
	api_reply_free(api_call(api, "DELETE", "/session", NULL, NULL));
}
