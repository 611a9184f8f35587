/* One API call on its way through balied: the request as received, the
 * caller's session, and the service-wide state it may use. */
#ifndef BALIED_CALL_H
#define BALIED_CALL_H

#include "service/store/idempotency.h"
#include "service/api/reply.h"
#include "service/domain/rules.h"
#include "service/domain/session.h"
#include "service/settings.h"
#include "service/store/store.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* What every thread of the service shares; read-only once running, but for
 * the in-flight key set, which has its own lock. */
struct service {
	const struct settings *settings;
	struct idempotency *idem;
	bool training;
	const struct rules *rules;
	time_t clock_offset; /* 0 but in tests (testclock.h) */
	const char *metrics_token; /* of metrics_token_file; NULL: GET /metrics is off */
};

enum { CALL_MAX_PARAMS = 4 };

struct call {
	struct service *svc;
	struct store *store;
	time_t now;

	/* The request. */
	const char *method;
	const char *path;          /* below /api/v1, without the query */
	const char *body;          /* raw bytes; body_len of them */
	size_t body_len;
	const char *address;       /* the client's address, for throttling and logs */
	const char *peer;          /* Unix socket: "uid U pid P" of the peer; else NULL */
	const char *authorization; /* the Authorization header, or NULL */
	const char *idempotency_key;
	/* A query argument by name, or NULL. */
	const char *(*query)(void *query_ctx, const char *name);
	void *query_ctx;

	/* Filled in by the router. */
	cJSON *json;               /* the parsed body, an object; NULL for none */
	struct session *session;   /* NULL on routes open to anyone */
	char *params[CALL_MAX_PARAMS]; /* the {...} parts of the path, in order */
	size_t n_params;
	/* What a route's prepare step made for its handler, and how to free it. */
	void *prepared;
	void (*prepared_free)(void *prepared);
};

/* The session lifetimes from the settings. */
struct session_lifetimes call_lifetimes(const struct call *call);

#endif
