#include "service/sip2/server.h"

#include "core/i18n.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "service/sip2/link.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct conn;

struct sip2_server {
	const struct sip2_env *env;
	char *db_path;
	int fd;
	int wake[2];            /* a byte in wake[1] ends the accept loop */
	struct sip2_tls *tls;
	locale_t messages;      /* sip2_locale, or (locale_t)0 when it is not installed */
	pthread_t acceptor;
	pthread_mutex_t lock;
	pthread_cond_t gone;    /* a connection ended */
	struct conn *conns;     /* open now */
	unsigned n_conns;
	bool stopping;
};

struct conn {
	struct sip2_server *server;
	int fd;
	struct sip2_link *link; /* once open */
	char address[64];
	struct conn *next;
};

/* ---- one connection ---- */

/* The bytes read but not yet handled. */
struct inbox {
	char buf[SIP2_MESSAGE_MAX + 2];
	size_t len;
	time_t started;          /* when the first byte of the message came */
};

enum read_end { READ_MESSAGE, READ_CLOSED, READ_TOO_LONG, READ_LATE, READ_IDLE, READ_FAILED };

/* The length of the message at the start of in (to its CR), or 0. */
static size_t message_len(const struct inbox *in)
{
	const char *cr = memchr(in->buf, '\r', in->len);
	return cr ? (size_t)(cr - in->buf) : 0;
}

static void inbox_drop(struct inbox *in, size_t n)
{
	memmove(in->buf, in->buf + n, in->len - n);
	in->len -= n;
}

/* Drops the line ends between messages: CR LF, or a lone LF. */
static void inbox_skip_ends(struct inbox *in)
{
	size_t n = 0;
	while (n < in->len && (in->buf[n] == '\n' || in->buf[n] == '\r'))
		n++;
	inbox_drop(in, n);
}

/* Reads until a whole message is at the start of in. */
static enum read_end read_message(struct conn *c, struct inbox *in, size_t *len)
{
	const struct settings *set = c->server->env->settings;
	for (;;) {
		inbox_skip_ends(in);
		*len = message_len(in);
		if (*len > SIP2_MESSAGE_MAX || (!*len && in->len > SIP2_MESSAGE_MAX))
			return READ_TOO_LONG;
		if (*len)
			return READ_MESSAGE;
		if (in->len > SIP2_MESSAGE_MAX)
			return READ_TOO_LONG;
		int timeout = (int)set->sip2_idle_seconds * 1000;
		if (in->len) {
			long left = (long)set->sip2_message_seconds - (long)(time(NULL) - in->started);
			if (left <= 0)
				return READ_LATE;
			timeout = (int)left * 1000;
		}
		ssize_t n = sip2_link_read(c->link, in->buf + in->len, sizeof in->buf - in->len,
					   timeout);
		if (n == -2)
			return in->len ? READ_LATE : READ_IDLE;
		if (n <= 0)
			return n == 0 ? READ_CLOSED : READ_FAILED;
		if (in->len == 0)
			in->started = time(NULL);
		in->len += (size_t)n;
	}
}

static void log_end(const struct conn *c, enum read_end end, size_t pending)
{
	switch (end) {
	case READ_TOO_LONG:
		log_warn("sip2: a message over %d bytes from %s: closing", SIP2_MESSAGE_MAX,
			 c->address);
		break;
	case READ_LATE:
		log_warn("sip2: a message from %s did not end in time: closing", c->address);
		break;
	case READ_IDLE:
		log_info("sip2: %s was idle too long: closing", c->address);
		break;
	case READ_CLOSED:
		if (pending)
			log_info("sip2: %s closed the connection in the middle of a message",
				 c->address);
		else
			log_debug("sip2: %s closed the connection", c->address);
		break;
	default:
		log_info("sip2: the connection of %s failed", c->address);
		break;
	}
}

static void serve_session(struct conn *c, struct store *store)
{
	struct sip2_session s;
	sip2_session_init(&s, c->server->env, store, c->address);
	struct inbox *in = xcalloc(1, sizeof *in);
	size_t len;
	enum read_end end;
	while ((end = read_message(c, in, &len)) == READ_MESSAGE) {
		size_t out_len = 0;
		char *answer = sip2_session_handle(&s, in->buf, len, &out_len);
		inbox_drop(in, len + 1);
		in->started = time(NULL);
		bool sent = !answer || sip2_link_write(c->link, answer, out_len);
		free(answer);
		if (!sent || s.close)
			break;
	}
	if (end != READ_MESSAGE)
		log_end(c, end, in->len);
	free(in);
	sip2_session_clear(&s);
}

static void conn_remove(struct conn *c)
{
	struct sip2_server *server = c->server;
	pthread_mutex_lock(&server->lock);
	for (struct conn **p = &server->conns; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	server->n_conns--;
	pthread_cond_broadcast(&server->gone);
	pthread_mutex_unlock(&server->lock);
}

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	struct sip2_server *server = c->server;
	int deadline_ms = (int)server->env->settings->sip2_message_seconds * 1000;
	struct sip2_link *link = sip2_link_open(c->fd, server->tls, deadline_ms, c->address);
	pthread_mutex_lock(&server->lock);
	c->link = link;
	bool stopping = server->stopping;
	pthread_mutex_unlock(&server->lock);
	/* The kiosks' language, whatever the service's: gettext and iconv's
	 * transliteration read this thread's locale. */
	if (server->messages)
		uselocale(server->messages);
	char *err = NULL;
	struct store *store = link && !stopping ? store_open(server->db_path, &err) : NULL;
	if (link && !stopping && !store) {
		log_error("sip2: cannot open the database: %s", err);
		free(err);
	}
	if (store)
		serve_session(c, store);
	store_free(store);
	pthread_mutex_lock(&server->lock);
	c->link = NULL;
	pthread_mutex_unlock(&server->lock);
	sip2_link_close(link);
	conn_remove(c);
	free(c);
	return NULL;
}

/* ---- accepting ---- */

static void address_of(const struct sockaddr_storage *ss, char out[64])
{
	char host[INET6_ADDRSTRLEN] = "?";
	if (ss->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, host,
			  sizeof host);
	else if (ss->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, host, sizeof host);
	snprintf(out, 64, "%s", host);
}

static void start_conn(struct sip2_server *server, int fd, const struct sockaddr_storage *ss)
{
	struct conn *c = xcalloc(1, sizeof *c);
	c->server = server;
	c->fd = fd;
	address_of(ss, c->address);
	pthread_mutex_lock(&server->lock);
	bool full = server->n_conns >= server->env->settings->sip2_max_connections;
	if (!full) {
		c->next = server->conns;
		server->conns = c;
		server->n_conns++;
	}
	pthread_mutex_unlock(&server->lock);
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (full) {
		log_warn("sip2: %u connections open: closing the new one from %s",
			 server->env->settings->sip2_max_connections, c->address);
	} else if (pthread_create(&t, &attr, conn_main, c) != 0) {
		log_error("sip2: cannot start a thread for %s: closing", c->address);
		conn_remove(c);
		full = true;
	}
	pthread_attr_destroy(&attr);
	if (full) {
		close(fd);
		free(c);
	}
}

static void *accept_main(void *arg)
{
	struct sip2_server *server = arg;
	struct pollfd p[2] = { { .fd = server->fd, .events = POLLIN },
			       { .fd = server->wake[0], .events = POLLIN } };
	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		int fd = accept4(server->fd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		/* An answer is one small write; it must not wait for an ACK. */
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		start_conn(server, fd, &ss);
	}
	return NULL;
}

struct sip2_server *sip2_server_start(const struct sip2_env *env, const char *db_path, int fd,
				      char **err)
{
	const struct settings *set = env->settings;
	if (!set->sip2_tls_cert != !set->sip2_tls_key) {
		*err = xstrdup(_("sip2_tls_cert and sip2_tls_key go together: set both or neither"));
		return NULL;
	}
	struct sip2_server *server = xcalloc(1, sizeof *server);
	server->env = env;
	server->fd = fd;
	server->db_path = xstrdup(db_path);
	if (set->sip2_tls_cert &&
	    !(server->tls = sip2_tls_new(set->sip2_tls_cert, set->sip2_tls_key, err))) {
		free(server->db_path);
		free(server);
		return NULL;
	}
	server->messages = newlocale(LC_MESSAGES_MASK | LC_CTYPE_MASK, set->sip2_locale, (locale_t)0);
	if (!server->messages)
		log_warn("sip2: the locale %s is not installed: screen messages in the service's"
			 " language", set->sip2_locale);
	pthread_mutex_init(&server->lock, NULL);
	pthread_cond_init(&server->gone, NULL);
	if (pipe2(server->wake, O_CLOEXEC) != 0 ||
	    pthread_create(&server->acceptor, NULL, accept_main, server) != 0) {
		*err = xasprintf(_("cannot start the SIP2 listener: %s"), strerror(errno));
		sip2_tls_free(server->tls);
		free(server->db_path);
		free(server);
		return NULL;
	}
	return server;
}

void sip2_server_stop(struct sip2_server *server)
{
	if (!server)
		return;
	if (write(server->wake[1], "x", 1) != 1)
		log_warn("sip2: cannot wake the listener");
	pthread_join(server->acceptor, NULL);
	close(server->fd);
	pthread_mutex_lock(&server->lock);
	server->stopping = true;
	for (struct conn *c = server->conns; c; c = c->next)
		if (c->link)
			sip2_link_shutdown(c->link);
		else
			shutdown(c->fd, SHUT_RDWR);
	while (server->n_conns > 0)
		pthread_cond_wait(&server->gone, &server->lock);
	pthread_mutex_unlock(&server->lock);
	close(server->wake[0]);
	close(server->wake[1]);
	sip2_tls_free(server->tls);
	if (server->messages)
		freelocale(server->messages);
	pthread_mutex_destroy(&server->lock);
	pthread_cond_destroy(&server->gone);
	free(server->db_path);
	free(server);
}
