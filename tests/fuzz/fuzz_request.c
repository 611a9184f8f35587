/*
 * A request to balied through its router, as http.c hands it over: every
 * route, its authentication, role check, Idempotency-Key, body parsing and
 * the endpoint's own reading and checking of the body, down to its handler
 * and a real SQLite database (a training database in a temporary directory,
 * made once, synchronous off for speed). The database keeps what earlier
 * inputs did, as a running service would.
 *
 * Input: byte 0 picks the route, byte 1 the caller (no token, balie, ido,
 * beheer, a token that does not exist), then up to the first newline the
 * path parameter and query ("21000000001234?q=jan&birth_date=2010-01-01"),
 * and the rest is the body.
 */
#include "service/api/call.h"
#include "fuzz.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "service/api/router.h"
#include "service/training/seed.h"
#include "service/settings.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/balie-fuzz-request-XXXXXX";
static struct settings settings;
static struct rules rules;
static struct service svc;
static struct store *store;
static char tokens[3][80]; /* balie, ido, beheer */
static size_t n_routes;

/* One query argument of "k=v&k=v" (no unescaping: the router sees raw bytes
 * from libmicrohttpd, already unescaped, in the same way). */
struct query {
	char *text;
	char values[8][512]; /* each argument asked for keeps its own copy */
	size_t n;
};

static const char *query_arg(void *ctx, const char *name)
{
	struct query *q = ctx;
	size_t n = strlen(name);
	for (const char *p = q->text; p && *p;) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
			char *value = q->values[q->n++ % 8];
			size_t vlen = len - n - 1;
			if (vlen >= sizeof q->values[0])
				vlen = sizeof q->values[0] - 1;
			memcpy(value, p + n + 1, vlen);
			value[vlen] = '\0';
			return value;
		}
		p = amp ? amp + 1 : NULL;
	}
	return NULL;
}

static void dispatch(const char *method, const char *path, const char *auth, const char *query,
		     const char *body, size_t len, struct reply *out)
{
	char key[UUID_STR_LEN];
	uuid_v4(key);
	struct query *q = xcalloc(1, sizeof *q);
	q->text = query ? xstrdup(query) : NULL;
	struct call call = {
		.svc = &svc,
		.store = store,
		.now = time(NULL),
		.method = method,
		.path = path,
		.body = body,
		.body_len = len,
		.address = "127.0.0.1",
		.authorization = auth,
		.idempotency_key = key,
		.query = query_arg,
		.query_ctx = q,
	};
	const char *pattern;
	router_dispatch(&call, out, &pattern);
	free(q->text);
	free(q);
}

static void login(const char *user, char token[80])
{
	char *body = xasprintf("{\"username\":\"%s\",\"password\":\"%s\",\"branch\":\"CEN\","
			       "\"terminal\":\"fuzz\"}",
			       user, SEED_TRAINING_PASSWORD);
	struct reply out = { 0 };
	dispatch("POST", "/session", NULL, NULL, body, strlen(body), &out);
	cJSON *json = out.body ? jsonx_parse(out.body, strlen(out.body), NULL) : NULL;
	const char *t = jsonx_string(json, "token");
	if (!t) {
		fprintf(stderr, "fuzz_request: cannot log in as %s: %s\n", user,
			out.body ? out.body : "(no body)");
		abort();
	}
	snprintf(token, 80, "Bearer %s", t);
	cJSON_Delete(json);
	reply_clear(&out);
	free(body);
}

static void remove_dir(void)
{
	static const char *const files[] = { "fuzz.db", "fuzz.db-wal", "fuzz.db-shm" };
	store_free(store);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *path = xasprintf("%s/%s", dir, files[i]);
		unlink(path);
		free(path);
	}
	rmdir(dir);
	idempotency_free(svc.idem);
	settings_clear(&settings);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	log_set_level(LOG_ERROR);
	if (!mkdtemp(dir))
		abort();
	settings_init(&settings);
	settings.training = true;
	rules_init(&rules);
	char *db = xasprintf("%s/fuzz.db", dir);
	char *err = NULL;
	store = store_open(db, &err);
	free(db);
	if (!store || !seed_training(store, time(NULL)) ||
	    !store_meta_set(store, "mode", "training") ||
	    !store_exec(store, "PRAGMA synchronous=OFF")) {
		fprintf(stderr, "fuzz_request: %s\n", err ? err : "cannot make the database");
		abort();
	}
	svc = (struct service){ .settings = &settings, .idem = idempotency_new(),
				.training = true, .rules = &rules };
	login("balie", tokens[0]);
	login("ido", tokens[1]);
	login("beheer", tokens[2]);
	while (router_routes[n_routes].method)
		n_routes++;
	atexit(remove_dir);
	return 0;
}

/* The route's pattern with its {param} replaced by param. */
static char *path_of(const char *pattern, const char *param)
{
	const char *open = strchr(pattern, '{');
	if (!open)
		return xstrdup(pattern);
	const char *close = strchr(open, '}');
	return xasprintf("%.*s%s%s", (int)(open - pattern), pattern, param, close + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	const struct route *r = &router_routes[data[0] % n_routes];
	const char *auth = NULL;
	switch (data[1] % 5) {
	case 0: auth = NULL; break;
	case 4: auth = "Bearer 0000000000000000000000000000000000000000000000000000000000000000"; break;
	default: auth = tokens[data[1] % 5 - 1]; break;
	}
	const char *rest = (const char *)data + 2;
	size_t rest_len = size - 2;
	const char *nl = memchr(rest, '\n', rest_len);
	size_t line_len = nl ? (size_t)(nl - rest) : 0;
	char *line = xstrndup(rest, line_len);
	char *query = strchr(line, '?');
	if (query)
		*query++ = '\0';
	/* A path segment from libmicrohttpd never holds '/' after the router's split. */
	char *path = path_of(r->pattern, line);
	const char *body = nl ? nl + 1 : rest;
	size_t body_len = nl ? rest_len - line_len - 1 : rest_len;
	/* http.c hands the router a NUL-terminated copy of the body. */
	char *copy = xmalloc(body_len + 1);
	memcpy(copy, body, body_len);
	copy[body_len] = '\0';
	struct reply out = { 0 };
	dispatch(r->method, path, auth, query, copy, body_len, &out);
	if (getenv("FUZZ_VERBOSE")) /* to see how deep the seeds reach */
		fprintf(stderr, "%s %s -> %u %.200s\n", r->method, path, out.status,
			out.body ? out.body : "");
	if (out.status < 200 || out.status > 599)
		abort(); /* every request gets an answer */
	if (out.status >= 500 && out.status != 503)
		abort(); /* no internal error for anything a client can send */
	reply_clear(&out);
	free(copy);
	free(path);
	free(line);
	return 0;
}
