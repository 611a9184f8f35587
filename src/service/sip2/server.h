/* balied's SIP2 listener (balied-sip2(7)): one thread per kiosk connection,
 * at most sip2_max_connections at once (one more is closed with a log
 * line); each with its own store connection and session. A message must
 * arrive whole within sip2_message_seconds of its first byte and be at most
 * SIP2_MESSAGE_MAX bytes; a connection silent for sip2_idle_seconds is
 * closed. Messages end in CR; CR LF is taken too. */
#ifndef BALIED_SIP2_SERVER_H
#define BALIED_SIP2_SERVER_H

#include "service/sip2/session.h"

enum { SIP2_MESSAGE_MAX = 4096 };

struct sip2_server;

/*
 * Serves the listening socket fd (which it owns) with env (which must live
 * until sip2_server_stop) on the database at db_path; with tls_cert and
 * tls_key set, over TLS. NULL and *err (allocated, translated) when it
 * cannot start.
 */
struct sip2_server *sip2_server_start(const struct sip2_env *env, const char *db_path, int fd,
				      char **err);
/* Closes the listener and every connection, waits for their threads, frees. */
void sip2_server_stop(struct sip2_server *server);

#endif
