#include "service/api/http.h"

#include "service/api/httpframe.h"
#include "service/api/endpoints.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/redact.h"
#include "service/api/router.h"
#include "core/xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* How often the deadline watch looks at the open connections. */
enum { WATCH_INTERVAL_MS = 200 };

#define API_PREFIX "/api/v1"
/* Outside the API: not a desk's call (see ep_metrics). */
#define METRICS_PATH "/metrics"

/* A desk's X-Request-Id is kept when it is 8 to 64 letters, digits, '-'
 * or '_' (a UUID is); anything else is replaced, so that the log holds no
 * text a client chose freely. */
enum { HTTP_REQUEST_ID_MIN = 8, HTTP_REQUEST_ID_MAX = 64, HTTP_REQUEST_ID_BYTES = 16 };

struct http_server {
	struct MHD_Daemon *daemon;
	struct service *svc;
	char *db_path;
	/* Every thread's connection, to close them after the threads are gone. */
	pthread_mutex_t stores_lock;
	struct store **stores;
	size_t n_stores;
	/* The PEM texts of the certificate and key when serving HTTPS. */
	char *tls_cert;
	char *tls_key;
	/* The open connections, for the request deadline (see watch_run). */
	pthread_mutex_t watch_lock;
	pthread_cond_t watch_wake;
	pthread_t watch_thread;
	bool watch_started;
	bool stopping;
	struct watched *watched;
};

/*
 * A connection under the request deadline. libmicrohttpd's own timeout is
 * for silence, so a client that sends a byte a second would hold its
 * connection for ever; the watch gives each request request_deadline
 * seconds, counted from when the connection opened or its previous answer
 * was sent, to arrive in full, and shuts the socket down when it has not
 * (the server then closes it as if the client had gone). An idle
 * keep-alive connection is closed the same way, and the desk reconnects.
 */
struct watched {
	struct watched *next;
	int fd;
	struct timespec since; /* opened, or the previous answer sent */
	bool busy;             /* the whole request is in: the handler is working */
	bool cut;
};

/* The store of this worker thread, opened on its first request. */
static _Thread_local struct store *thread_store;

static struct store *store_for_thread(struct http_server *server)
{
	if (thread_store)
		return thread_store;
	char *err = NULL;
	struct store *store = store_open(server->db_path, &err);
	if (!store) {
		log_error("database: %s", err);
		free(err);
		return NULL;
	}
	pthread_mutex_lock(&server->stores_lock);
	server->stores = xrealloc(server->stores, (server->n_stores + 1) * sizeof *server->stores);
	server->stores[server->n_stores++] = store;
	pthread_mutex_unlock(&server->stores_lock);
	thread_store = store;
	return store;
}

/* What one request collects while its body arrives. */
struct pending {
	char *body;
	size_t len;
	bool too_large;
	bool head_seen; /* the access handler's first call for this request is over */
	struct httpframe_target target;
	struct timespec started;
	/* In this thread's list of requests whose head is not yet handled. */
	struct MHD_Connection *conn;
	struct pending *next_open;
	bool refused_raw; /* answered by the logger, see length_refuse */
	char request_id[HTTP_REQUEST_ID_MAX + 1]; /* in the answer's X-Request-Id and the log */
};

/*
 * The requests of this worker thread that libmicrohttpd may still refuse
 * itself, from the URI log callback to the first call of the handler. Each
 * connection belongs to one thread of the pool, and the library logs a
 * refusal in that thread, so the logger finds the request here.
 */
static _Thread_local struct pending *thread_open;

static void pending_unlist(struct pending *p)
{
	for (struct pending **q = &thread_open; *q; q = &(*q)->next_open) {
		if (*q == p) {
			*q = p->next_open;
			break;
		}
	}
	p->next_open = NULL;
}

static double ms_since(const struct timespec *start);

static struct watched *watched_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return info ? info->socket_context : NULL;
}

static void watch_mark(struct http_server *server, struct MHD_Connection *conn, bool busy)
{
	struct watched *w = watched_of(conn);
	if (!w)
		return;
	pthread_mutex_lock(&server->watch_lock);
	w->busy = busy;
	if (!busy)
		clock_gettime(CLOCK_MONOTONIC, &w->since);
	pthread_mutex_unlock(&server->watch_lock);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct http_server *server = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *info =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct watched *w = xcalloc(1, sizeof *w);
		w->fd = info ? info->connect_fd : -1;
		clock_gettime(CLOCK_MONOTONIC, &w->since);
		pthread_mutex_lock(&server->watch_lock);
		w->next = server->watched;
		server->watched = w;
		pthread_mutex_unlock(&server->watch_lock);
		*socket_context = w;
		return;
	}
	struct watched *w = *socket_context;
	if (!w)
		return;
	pthread_mutex_lock(&server->watch_lock);
	for (struct watched **p = &server->watched; *p; p = &(*p)->next) {
		if (*p == w) {
			*p = w->next;
			break;
		}
	}
	pthread_mutex_unlock(&server->watch_lock);
	free(w);
	*socket_context = NULL;
}

static void *watch_run(void *arg)
{
	struct http_server *server = arg;
	double deadline_ms = 1000.0 * server->svc->settings->request_deadline_seconds;
	pthread_mutex_lock(&server->watch_lock);
	while (!server->stopping) {
		for (struct watched *w = server->watched; w; w = w->next) {
			if (!w->busy && !w->cut && w->fd >= 0 && ms_since(&w->since) > deadline_ms) {
				/* The fd stays open (the server closes it): no reuse race. */
				shutdown(w->fd, SHUT_RDWR);
				w->cut = true;
			}
		}
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += WATCH_INTERVAL_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&server->watch_wake, &server->watch_lock, &until);
	}
	pthread_mutex_unlock(&server->watch_lock);
	return NULL;
}

static void client_address(struct MHD_Connection *conn, char *out, size_t len)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;
	snprintf(out, len, "local");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)len);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
			  (socklen_t)len);
}

/* On the Unix socket every desk is "local": the peer's credentials tell the
 * desks of one terminal server apart, for the login throttle. Empty for TCP
 * or when the kernel does not say. */
static void client_peer(struct MHD_Connection *conn, char *out, size_t len)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct ucred cred;
	socklen_t clen = sizeof cred;
	struct sockaddr_storage sa;
	socklen_t salen = sizeof sa;
	out[0] = '\0';
	if (info && getsockname(info->connect_fd, (struct sockaddr *)&sa, &salen) == 0 &&
	    sa.ss_family == AF_UNIX &&
	    getsockopt(info->connect_fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) == 0)
		snprintf(out, len, "uid %u pid %d", (unsigned)cred.uid, (int)cred.pid);
}

static const char *query_arg(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

/* The desk's request id when it has the strict shape, else a new random one. */
static void request_id_take(struct MHD_Connection *conn, char *out)
{
	const char *given = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
	size_t len = given ? strlen(given) : 0;
	if (len >= HTTP_REQUEST_ID_MIN && len <= HTTP_REQUEST_ID_MAX &&
	    strspn(given, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
		    len) {
		memcpy(out, given, len + 1);
		return;
	}
	unsigned char raw[HTTP_REQUEST_ID_BYTES];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, HTTP_REQUEST_ID_MAX + 1, raw, sizeof raw);
}

static enum MHD_Result send_reply_closing(struct MHD_Connection *conn, struct reply *r,
					  bool close_after, const char *request_id)
{
	size_t len = r->body ? strlen(r->body) : 0;
	struct MHD_Response *resp;
	if (len) {
		resp = MHD_create_response_from_buffer(len, r->body, MHD_RESPMEM_MUST_FREE);
		r->body = NULL;
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					r->content_type ? r->content_type
							: "application/json; charset=utf-8");
	} else {
		resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (r->retry_after) {
		char secs[16];
		snprintf(secs, sizeof secs, "%u", r->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, secs);
	}
	if (r->allow[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	if (r->replayed)
		MHD_add_response_header(resp, "Idempotent-Replayed", "true");
	MHD_add_response_header(resp, "X-Request-Id", request_id);
	/* libmicrohttpd closes the connection after a response that says so,
	 * and reads nothing more from it. */
	if (close_after)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ret = MHD_queue_response(conn, r->status, resp);
	MHD_destroy_response(resp);
	reply_clear(r);
	return ret;
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, struct reply *r,
				  const char *request_id)
{
	return send_reply_closing(conn, r, false, request_id);
}

static void reply_too_large(struct reply *out)
{
	cJSON *details = cJSON_CreateObject();
	cJSON_AddNumberToObject(details, "max_bytes", HTTP_MAX_BODY);
	reply_error_status(out, 413, ERR_BAD_REQUEST, "the body is too large", details);
}

static double ms_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

/* The request's line in the log and its count in the metrics: the route's
 * pattern, never the path, which may hold a card number; no address. */
static void request_done(const char *method, const char *pattern, unsigned status,
			 const struct pending *p)
{
	double ms = ms_since(&p->started);
	ep_metrics_request(method, pattern, status, ms / 1e3);
	const struct log_field fields[] = {
		LOG_TEXT("id", p->request_id), LOG_TEXT("method", method),
		LOG_TEXT("route", pattern),    LOG_NUMBER("status", status),
		LOG_NUMBER("duration_ms", ms),
	};
	log_fields(LOG_INFO, "request", fields, sizeof fields / sizeof *fields);
}

static void answer(struct http_server *server, struct MHD_Connection *conn, const char *url,
		   const char *method, struct pending *p, struct reply *out)
{
	const char *pattern = "-";
	char address[INET6_ADDRSTRLEN];
	client_address(conn, address, sizeof address);
	char peer[64];
	client_peer(conn, peer, sizeof peer);
	bool metrics = strcmp(url, METRICS_PATH) == 0;
	if (p->too_large) {
		reply_too_large(out);
	} else if (!metrics && strncmp(url, API_PREFIX "/", sizeof API_PREFIX) != 0) {
		reply_error(out, ERR_NOT_FOUND, "no such endpoint", NULL);
	} else {
		store_thread_fault_take(); /* what an earlier request met */
		struct store *store = store_for_thread(server);
		if (!store) {
			reply_unavailable(out);
		} else {
			struct call call = {
				.svc = server->svc,
				.store = store,
				.now = time(NULL) + server->svc->clock_offset,
				.method = method,
				.path = metrics ? url : url + strlen(API_PREFIX),
				.body = p->body,
				.body_len = p->len,
				.address = address,
				.peer = peer[0] ? peer : NULL,
				.authorization = MHD_lookup_connection_value(
					conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
				.idempotency_key = MHD_lookup_connection_value(
					conn, MHD_HEADER_KIND, "Idempotency-Key"),
				.query = query_arg,
				.query_ctx = conn,
			};
			if (metrics) {
				ep_metrics(&call, out);
				pattern = METRICS_PATH;
			} else {
				router_dispatch(&call, out, &pattern);
			}
		}
	}
	request_done(method, pattern, out->status, p);
}

/* The request begins: its state, and its target as it came (see httpframe). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	struct pending *p = xcalloc(1, sizeof *p);
	clock_gettime(CLOCK_MONOTONIC, &p->started);
	httpframe_target_take(&p->target, uri);
	p->conn = conn;
	p->next_open = thread_open;
	thread_open = p;
	return p;
}

/*
 * The first call for a request, with its head and none of its body: a head
 * whose framing is ambiguous is refused and the connection closed, so that
 * no route runs and no second request is read from what follows; a body
 * that will be refused for its size is refused before it is read.
 */
static enum MHD_Result on_head(struct http_server *server, struct MHD_Connection *conn,
			       const char *url, const char *method, const char *version,
			       struct pending *p)
{
	p->head_seen = true;
	pending_unlist(p);
	request_id_take(conn, p->request_id);
	struct reply out = { 0 };
	const char *problem = httpframe_problem(conn, method, version, &p->target);
	if (problem) {
		reply_error_status(&out, 400, ERR_BAD_REQUEST, problem, NULL);
		log_debug("refused a request: %s", problem);
		request_done(method, "-", out.status, p);
		return send_reply_closing(conn, &out, true, p->request_id);
	}
	const char *cl =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) > HTTP_MAX_BODY) {
		p->too_large = true;
		answer(server, conn, url, method, p, &out);
		return send_reply_closing(conn, &out, true, p->request_id);
	}
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct http_server *server = cls;
	struct pending *p = *con_cls;
	if (!p)
		return MHD_NO; /* on_uri made it for every request */
	if (!p->head_seen)
		return on_head(server, conn, url, method, version, p);
	if (*upload_data_size) {
		if (!p->too_large && p->len + *upload_data_size <= HTTP_MAX_BODY) {
			p->body = xrealloc(p->body, p->len + *upload_data_size + 1);
			memcpy(p->body + p->len, upload_data, *upload_data_size);
			p->len += *upload_data_size;
			p->body[p->len] = '\0';
		} else {
			p->too_large = true;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	struct reply out = { 0 };
	watch_mark(server, conn, true);
	answer(server, conn, url, method, p, &out);
	enum MHD_Result ret = send_reply(conn, &out, p->request_id);
	watch_mark(server, conn, false);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)conn, (void)toe;
	struct pending *p = *con_cls;
	if (p) {
		pending_unlist(p);
		free(p->body);
		free(p);
		*con_cls = NULL;
	}
}

/*
 * libmicrohttpd 0.9.75 refuses a Content-Length it cannot read with its own
 * answer, whose head it writes twice, and calls no handler: only this
 * logger runs, in the connection's thread (see httpframe_length_status).
 * balied answers in its place: it writes its own refusal to the socket and
 * shuts the sending side, so the library's later write fails and it closes.
 * Only when exactly one request of this thread fits; otherwise, and over
 * TLS (the library's bytes are inside the session), the library answers.
 */
static void length_refuse(const struct http_server *server, unsigned status)
{
	if (server->tls_cert)
		return;
	struct pending *found = NULL;
	for (struct pending *p = thread_open; p; p = p->next_open) {
		if (p->refused_raw || !httpframe_length_refused(p->conn, status))
			continue;
		if (found)
			return;
		found = p;
	}
	const union MHD_ConnectionInfo *info =
		found ? MHD_get_connection_info(found->conn, MHD_CONNECTION_INFO_CONNECTION_FD)
		      : NULL;
	if (!info)
		return;
	found->refused_raw = true;
	struct reply out = { 0 };
	const char *problem = "Content-Length is not a plain number";
	if (status == 413)
		reply_too_large(&out);
	else
		reply_error_status(&out, 400, ERR_BAD_REQUEST, problem, NULL);
	bool whole = httpframe_refuse_raw(info->connect_fd, status, out.body);
	log_debug("refused a request: %s%s", status == 413 ? "the body is too large" : problem,
		  whole ? "" : " (the answer did not go whole)");
	reply_clear(&out);
}

/*
 * libmicrohttpd 0.9.75 names the request's path in the lines about a failed
 * send ("... for the request for `%s'. Error: %s"), which follow every
 * refusal length_refuse makes; a path may hold a card number. The copy of
 * fmt prints nothing for that argument. NULL when fmt names no path.
 */
static char *mhd_format_pathless_dup(const char *fmt)
{
	static const char *const marks[] = { "request for `%s'", "request for %s" };
	for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
		const char *at = strstr(fmt, marks[i]);
		if (at) {
			size_t conv = (size_t)(strstr(at, "%s") - fmt);
			return xasprintf("%.*s%%.0s(a path)%s", (int)conv, fmt, fmt + conv + 2);
		}
	}
	return NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	unsigned status = httpframe_length_status(fmt);
	char *pathless = mhd_format_pathless_dup(fmt);
	/* The format is the library's own (its path printed as "%.0s"): it
	 * cannot be a literal here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	char *line = xvasprintf(pathless ? pathless : fmt, ap);
#pragma GCC diagnostic pop
	free(pathless);
	size_t len = strlen(line);
	if (len && line[len - 1] == '\n')
		line[len - 1] = '\0';
	/* The library may quote a client's bytes: no card number goes through. */
	char shown[1024];
	redact_digits(line, shown, sizeof shown);
	log_warn("http: %s", shown);
	free(line);
	if (status)
		length_refuse(cls, status);
}

/* The whole of a PEM file, or NULL and *err. */
static char *read_pem_dup(const char *path, char **err)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		*err = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
		return NULL;
	}
	size_t cap = 4096, len = 0, got;
	char *text = xmalloc(cap);
	while ((got = fread(text + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (len + 1 == cap)
			text = xrealloc(text, cap *= 2);
	}
	fclose(f);
	text[len] = '\0';
	if (!strstr(text, "-----BEGIN ")) {
		*err = xasprintf(_("%s is not a PEM file"), path);
		free(text);
		return NULL;
	}
	return text;
}

/* Reads the certificate and key named in the settings, when there are any. */
static bool load_tls(struct http_server *server, const struct settings *s, char **err)
{
	if (!s->tls_cert && !s->tls_key)
		return true;
	if (!s->tls_cert || !s->tls_key) {
		*err = xstrdup(_("tls_cert and tls_key go together: set both or neither"));
		return false;
	}
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		*err = xstrdup(_("this libmicrohttpd was built without TLS"));
		return false;
	}
	server->tls_cert = read_pem_dup(s->tls_cert, err);
	server->tls_key = server->tls_cert ? read_pem_dup(s->tls_key, err) : NULL;
	return server->tls_key != NULL;
}

static void server_free(struct http_server *server)
{
	for (size_t i = 0; i < server->n_stores; i++)
		store_free(server->stores[i]);
	free(server->stores);
	pthread_mutex_destroy(&server->stores_lock);
	pthread_mutex_destroy(&server->watch_lock);
	pthread_cond_destroy(&server->watch_wake);
	if (server->tls_key)
		sodium_memzero(server->tls_key, strlen(server->tls_key));
	free(server->tls_key);
	free(server->tls_cert);
	free(server->db_path);
	free(server);
}

struct http_server *http_start(struct service *svc, const char *db_path, int listen_fd,
			       unsigned threads, char **err)
{
	const struct settings *s = svc->settings;
	struct http_server *server = xcalloc(1, sizeof *server);
	server->svc = svc;
	server->db_path = xstrdup(db_path);
	pthread_mutex_init(&server->stores_lock, NULL);
	pthread_mutex_init(&server->watch_lock, NULL);
	pthread_cond_init(&server->watch_wake, NULL);
	if (!load_tls(server, s, err)) {
		server_free(server);
		return NULL;
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
			 MHD_USE_ERROR_LOG | (server->tls_cert ? MHD_USE_TLS : 0u);
	struct MHD_OptionItem tls[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, server->tls_cert },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, server->tls_key },
		{ MHD_OPTION_END, 0, NULL },
	};
	server->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, server,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, server,
		MHD_OPTION_LISTEN_SOCKET, listen_fd,
		MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0u,
		MHD_OPTION_CONNECTION_TIMEOUT, s->idle_timeout_seconds,
		MHD_OPTION_CONNECTION_LIMIT, s->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, s->max_connections_per_address,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, server,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
		MHD_OPTION_ARRAY, server->tls_cert ? tls : tls + 2,
		MHD_OPTION_END);
	if (!server->daemon) {
		*err = xstrdup(server->tls_cert
			? _("cannot start the HTTPS server (is tls_key the key of tls_cert?)")
			: _("cannot start the HTTP server"));
		server_free(server);
		return NULL;
	}
	server->watch_started = pthread_create(&server->watch_thread, NULL, watch_run, server) == 0;
	return server;
}

void http_stop(struct http_server *server)
{
	if (!server)
		return;
	if (server->watch_started) {
		pthread_mutex_lock(&server->watch_lock);
		server->stopping = true;
		pthread_cond_signal(&server->watch_wake);
		pthread_mutex_unlock(&server->watch_lock);
		pthread_join(server->watch_thread, NULL);
	}
	MHD_stop_daemon(server->daemon);
	server_free(server);
}
