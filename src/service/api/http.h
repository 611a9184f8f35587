/* balied's HTTP server: libmicrohttpd with an internal pool of threads on
 * epoll, each thread with its own SQLite connection, bodies read up to a cap,
 * every request handed to the router. */
#ifndef BALIED_HTTP_H
#define BALIED_HTTP_H

#include "service/api/call.h"

#include <stdbool.h>

enum { HTTP_MAX_BODY = 64 * 1024 };

struct http_server;

/*
 * Starts serving on listen_fd (which the server takes over) with threads
 * worker threads, opening db_path once per thread. Returns NULL and sets
 * *err (allocated, translated) on failure.
 */
struct http_server *http_start(struct service *svc, const char *db_path, int listen_fd,
			       unsigned threads, char **err);
/* Stops accepting, finishes the requests in hand, closes the connections. */
void http_stop(struct http_server *server);

#endif
