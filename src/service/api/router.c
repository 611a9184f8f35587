#include "service/api/router.h"

#include "core/jsonx.h"
#include "core/log.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct session_lifetimes call_lifetimes(const struct call *call)
{
	return (struct session_lifetimes){
		.idle_seconds = call->svc->settings->token_idle_seconds,
		.absolute_seconds = call->svc->settings->token_lifetime_seconds,
	};
}

/* True when path fits pattern; the {...} segments are copied to params. */
static bool match(const char *pattern, const char *path, char **params, size_t *n_params)
{
	size_t n = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			goto no;
		p++, s++;
		const char *pend = strchrnul(p, '/');
		const char *send = strchrnul(s, '/');
		if (*p == '{') {
			if (send == s || n == CALL_MAX_PARAMS)
				goto no;
			params[n++] = xstrndup(s, (size_t)(send - s));
		} else if (pend - p != send - s || strncmp(p, s, (size_t)(pend - p)) != 0) {
			goto no;
		}
		p = pend, s = send;
	}
	if (*p || *s)
		goto no;
	*n_params = n;
	return true;
no:
	for (size_t i = 0; i < n; i++)
		free(params[i]);
	return false;
}

static const struct route *find_route(struct call *call, struct reply *out)
{
	bool path_known = false;
	for (const struct route *r = router_routes; r->method; r++) {
		char *params[CALL_MAX_PARAMS];
		size_t n = 0;
		if (!match(r->pattern, call->path, params, &n))
			continue;
		if (strcmp(r->method, call->method) == 0) {
			memcpy(call->params, params, n * sizeof *params);
			call->n_params = n;
			return r;
		}
		for (size_t i = 0; i < n; i++)
			free(params[i]);
		if (strlen(out->allow) + strlen(r->method) + 3 < sizeof out->allow) {
			if (path_known)
				strcat(out->allow, ", ");
			strcat(out->allow, r->method);
		}
		path_known = true;
	}
	if (path_known) {
		cJSON *details = cJSON_CreateObject();
		cJSON_AddStringToObject(details, "method", call->method);
		reply_error_status(out, 405, ERR_BAD_REQUEST,
				   "this method is not allowed on this path", details);
	} else {
		out->allow[0] = '\0';
		reply_error(out, ERR_NOT_FOUND, "no such endpoint", NULL);
	}
	return NULL;
}

static bool authenticate(struct call *call, const struct route *r, struct reply *out)
{
	const char *auth = call->authorization;
	const char *token = NULL;
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0)
		token = auth + 7;
	struct session_lifetimes life = call_lifetimes(call);
	switch (session_find(call->store, token, call->now, &life, &call->session)) {
	case SESSION_VALID:
		break;
	case SESSION_NONE:
		reply_error(out, ERR_UNAUTHORIZED, "no valid session; log in first", NULL);
		return false;
	case SESSION_STORE_FAILED:
		reply_unavailable(out);
		return false;
	}
	if (!(call->session->roles & r->roles)) {
		reply_error(out, ERR_FORBIDDEN, "the account's roles do not allow this call", NULL);
		return false;
	}
	return true;
}

static bool check_key(struct call *call, struct reply *out)
{
	const char *key = call->idempotency_key;
	if (key && uuid_is_valid(key))
		return true;
	cJSON *details = cJSON_CreateObject();
	cJSON_AddStringToObject(details, "header", "Idempotency-Key");
	reply_error(out, ERR_BAD_REQUEST,
		    key ? "the Idempotency-Key is not a UUID" : "an Idempotency-Key is required",
		    details);
	return false;
}

/* True when a JSON string in body holds the escape \u0000 (a raw NUL byte is
 * refused before this): cJSON would end the string there, so "balie\u0000x"
 * would be read as "balie" and a note would be checked and stored only up to
 * the NUL. (An escaped backslash before "u0000" is text, not the escape.) */
static bool has_nul_escape(const char *body, size_t len)
{
	for (size_t i = 0; i + 6 <= len; i++) {
		if (body[i] != '\\')
			continue;
		if (strncasecmp(body + i + 1, "u0000", 5) == 0)
			return true;
		i++; /* skip what the backslash escapes */
	}
	return false;
}

static bool parse_body(struct call *call, struct reply *out)
{
	if (call->body_len == 0)
		return true;
	if (memchr(call->body, '\0', call->body_len) || has_nul_escape(call->body, call->body_len)) {
		cJSON *details = cJSON_CreateObject();
		cJSON_AddStringToObject(details, "reason", "nul_in_string");
		reply_error(out, ERR_BAD_REQUEST, "a string in the body holds a NUL character",
			    details);
		return false;
	}
	cJSON *json = jsonx_parse(call->body, call->body_len, NULL);
	if (!json || !cJSON_IsObject(json)) {
		cJSON_Delete(json);
		cJSON *details = cJSON_CreateObject();
		cJSON_AddStringToObject(details, "reason", "invalid_json");
		reply_error(out, ERR_BAD_REQUEST, "the body is not a JSON object", details);
		return false;
	}
	call->json = json;
	return true;
}

struct keyed {
	struct call *call;
	const struct route *route;
};

static void run_keyed(void *ctx, struct store *store, struct idem_response *resp)
{
	struct keyed *k = ctx;
	struct reply r = { 0 };
	(void)store; /* the same as k->call->store */
	k->route->handle(k->call, &r);
	resp->status = r.status;
	resp->body = r.body ? r.body : xstrdup("");
}

static void idem_request_of(const struct call *call, struct idem_request *req)
{
	*req = (struct idem_request){
		.key = call->idempotency_key,
		.method = call->method,
		.path = call->path,
		.body = call->body,
		.body_len = call->body_len,
		.staff_id = call->session ? call->session->staff_id : 0,
	};
}

/* Answers for an outcome other than "go on"; false for IDEM_NEW. */
static bool answer_outcome(enum idem_outcome outcome, struct idem_response *resp,
			   struct reply *out)
{
	switch (outcome) {
	case IDEM_NEW:
		return false;
	case IDEM_DONE:
	case IDEM_REPLAYED:
		out->status = resp->status;
		out->body = resp->body;
		out->replayed = resp->replayed;
		break;
	case IDEM_KEY_REUSED:
		reply_error(out, ERR_IDEMPOTENCY_KEY_REUSED,
			    "this Idempotency-Key was used for another request", NULL);
		break;
	case IDEM_IN_PROGRESS:
		reply_error(out, ERR_REQUEST_IN_PROGRESS,
			    "a request with this Idempotency-Key is being processed", NULL);
		break;
	case IDEM_FAILED:
		reply_unavailable(out);
		break;
	}
	return true;
}

/* A repeat is answered before the route's prepare step, which may be slow or
 * refuse a body that the stored answer already covers. */
static void dispatch_keyed(struct call *call, const struct route *r, struct reply *out)
{
	struct idem_request req;
	struct idem_response resp;
	idem_request_of(call, &req);
	if (answer_outcome(idempotency_check(call->svc->idem, call->store, &req, &resp), &resp,
			   out))
		return;
	if (r->prepare && !r->prepare(call, out))
		return;
	struct keyed k = { call, r };
	answer_outcome(idempotency_run(call->svc->idem, call->store, &req, run_keyed, &k, &resp),
		       &resp, out);
}

void router_dispatch(struct call *call, struct reply *out, const char **route_pattern)
{
	*route_pattern = "-";
	const struct route *r = find_route(call, out);
	if (!r)
		return;
	*route_pattern = r->pattern;
	if ((r->open || authenticate(call, r, out)) &&
	    (!r->idempotent || check_key(call, out)) && parse_body(call, out)) {
		if (r->idempotent)
			dispatch_keyed(call, r, out);
		else if (!r->prepare || r->prepare(call, out))
			r->handle(call, out);
	}
	if (call->prepared_free)
		call->prepared_free(call->prepared);
	cJSON_Delete(call->json);
	session_free(call->session);
	for (size_t i = 0; i < call->n_params; i++)
		free(call->params[i]);
}
