#include "http.h"

#include "i18n.h"
#include "log.h"
#include "router.h"
#include "xalloc.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

enum { HTTP_CONNECTION_TIMEOUT = 120, HTTP_CONNECTION_LIMIT = 1024 };

#define API_PREFIX "/api/v1"

struct http_server {
	struct MHD_Daemon *daemon;
	struct service *svc;
	char *db_path;
	/* Every thread's connection, to close them after the threads are gone. */
	pthread_mutex_t stores_lock;
	struct store **stores;
	size_t n_stores;
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
	struct timespec started;
};

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

static const char *query_arg(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, struct reply *r)
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
	enum MHD_Result ret = MHD_queue_response(conn, r->status, resp);
	MHD_destroy_response(resp);
	reply_clear(r);
	return ret;
}

static double ms_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static void answer(struct http_server *server, struct MHD_Connection *conn, const char *url,
		   const char *method, struct pending *p, struct reply *out)
{
	const char *pattern = "-";
	char address[INET6_ADDRSTRLEN];
	client_address(conn, address, sizeof address);
	if (p->too_large) {
		cJSON *details = cJSON_CreateObject();
		cJSON_AddNumberToObject(details, "max_bytes", HTTP_MAX_BODY);
		reply_error_status(out, 413, ERR_BAD_REQUEST, "the body is too large", details);
	} else if (strncmp(url, API_PREFIX "/", sizeof API_PREFIX) != 0) {
		reply_error(out, ERR_NOT_FOUND, "no such endpoint", NULL);
	} else {
		struct store *store = store_for_thread(server);
		if (!store) {
			reply_unavailable(out);
		} else {
			struct call call = {
				.svc = server->svc,
				.store = store,
				.now = time(NULL) + server->svc->clock_offset,
				.method = method,
				.path = url + strlen(API_PREFIX),
				.body = p->body,
				.body_len = p->len,
				.address = address,
				.authorization = MHD_lookup_connection_value(
					conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
				.idempotency_key = MHD_lookup_connection_value(
					conn, MHD_HEADER_KIND, "Idempotency-Key"),
				.query = query_arg,
				.query_ctx = conn,
			};
			router_dispatch(&call, out, &pattern);
		}
	}
	/* The route's pattern, never the path: a path may hold a card number. */
	log_debug("%s %s %u %.1f ms %s", method, pattern, out->status, ms_since(&p->started),
		  address);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct http_server *server = cls;
	struct pending *p = *con_cls;
	(void)version;
	if (!p) {
		p = xcalloc(1, sizeof *p);
		clock_gettime(CLOCK_MONOTONIC, &p->started);
		*con_cls = p;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > HTTP_MAX_BODY) {
			/* Answer at once rather than read what will be refused. */
			p->too_large = true;
			struct reply out = { 0 };
			answer(server, conn, url, method, p, &out);
			return send_reply(conn, &out);
		}
		return MHD_YES;
	}
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
	answer(server, conn, url, method, p, &out);
	return send_reply(conn, &out);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)conn, (void)toe;
	struct pending *p = *con_cls;
	if (p) {
		free(p->body);
		free(p);
		*con_cls = NULL;
	}
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char *line = xvasprintf(fmt, ap);
	size_t len = strlen(line);
	if (len && line[len - 1] == '\n')
		line[len - 1] = '\0';
	log_warn("http: %s", line);
	free(line);
}

struct http_server *http_start(struct service *svc, const char *db_path, int listen_fd,
			       unsigned threads, char **err)
{
	struct http_server *server = xcalloc(1, sizeof *server);
	server->svc = svc;
	server->db_path = xstrdup(db_path);
	pthread_mutex_init(&server->stores_lock, NULL);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
			 MHD_USE_ERROR_LOG;
	server->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, server,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		MHD_OPTION_LISTEN_SOCKET, listen_fd,
		MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0u,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_CONNECTION_TIMEOUT,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONNECTION_LIMIT,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_END);
	if (!server->daemon) {
		*err = xstrdup(_("cannot start the HTTP server"));
		pthread_mutex_destroy(&server->stores_lock);
		free(server->db_path);
		free(server);
		return NULL;
	}
	return server;
}

void http_stop(struct http_server *server)
{
	if (!server)
		return;
	MHD_stop_daemon(server->daemon);
	for (size_t i = 0; i < server->n_stores; i++)
		store_free(server->stores[i]);
	free(server->stores);
	pthread_mutex_destroy(&server->stores_lock);
	free(server->db_path);
	free(server);
}
