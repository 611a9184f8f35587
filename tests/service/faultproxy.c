#include "faultproxy.h"

#include "core/xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

enum { MSG_MAX = 4 << 20 };

struct faultproxy {
	int listen_fd;
	int upstream_port;
	char url[64];
	pthread_t thread;
	pthread_mutex_t lock;
	bool stop;
	char *drop_prefix;  /* armed: the request line's beginning */
	unsigned dropped, forwarded;
};

/* Reads one HTTP message (head and a Content-Length body) from fd into a new
 * buffer; NULL when the peer closed first or it is too large. */
static char *read_message(int fd, size_t *len)
{
	size_t cap = 8192, n = 0;
	char *buf = xmalloc(cap + 1);
	size_t head = 0, want = 0;
	for (;;) {
		if (head && n >= want) {
			*len = n;
			buf[n] = '\0';
			return buf;
		}
		if (n == cap) {
			if (cap >= MSG_MAX)
				break;
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
		buf[n] = '\0';
		if (!head) {
			char *end = strstr(buf, "\r\n\r\n");
			if (!end)
				continue;
			head = (size_t)(end - buf) + 4;
			size_t body = 0;
			for (char *line = strstr(buf, "\r\n"); line && line < end;
			     line = strstr(line + 2, "\r\n"))
				if (strncasecmp(line + 2, "Content-Length:", 15) == 0)
					body = strtoul(line + 17, NULL, 10);
			want = head + body;
		}
	}
	free(buf);
	return NULL;
}

static bool write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t put = write(fd, buf, len);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			return false;
		buf += put;
		len -= (size_t)put;
	}
	return true;
}

static int connect_upstream(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

/* True (and disarms) when the request is the one to drop the answer of. */
static bool take_drop(struct faultproxy *p, const char *request)
{
	pthread_mutex_lock(&p->lock);
	bool drop = p->drop_prefix && strncmp(request, p->drop_prefix, strlen(p->drop_prefix)) == 0;
	if (drop) {
		free(p->drop_prefix);
		p->drop_prefix = NULL;
		p->dropped++;
	}
	p->forwarded++;
	pthread_mutex_unlock(&p->lock);
	return drop;
}

static void serve(struct faultproxy *p, int client)
{
	size_t len = 0, alen = 0;
	char *request = read_message(client, &len);
	int up = request ? connect_upstream(p->upstream_port) : -1;
	char *answer = up >= 0 && write_all(up, request, len) ? read_message(up, &alen) : NULL;
	if (answer && !take_drop(p, request))
		write_all(client, answer, alen);
	if (up >= 0)
		close(up);
	free(answer);
	free(request);
	close(client);
}

static bool stopping(struct faultproxy *p)
{
	pthread_mutex_lock(&p->lock);
	bool stop = p->stop;
	pthread_mutex_unlock(&p->lock);
	return stop;
}

static void *run(void *arg)
{
	struct faultproxy *p = arg;
	while (!stopping(p)) {
		struct pollfd pfd = { .fd = p->listen_fd, .events = POLLIN };
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		int client = accept4(p->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (client >= 0)
			serve(p, client);
	}
	return NULL;
}

struct faultproxy *faultproxy_start(int upstream_port)
{
	struct faultproxy *p = xcalloc(1, sizeof *p);
	p->upstream_port = upstream_port;
	pthread_mutex_init(&p->lock, NULL);
	p->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t sl = sizeof sa;
	if (p->listen_fd < 0 || bind(p->listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(p->listen_fd, 16) != 0 ||
	    getsockname(p->listen_fd, (struct sockaddr *)&sa, &sl) != 0 ||
	    pthread_create(&p->thread, NULL, run, p) != 0) {
		if (p->listen_fd >= 0)
			close(p->listen_fd);
		free(p);
		return NULL;
	}
	snprintf(p->url, sizeof p->url, "http://127.0.0.1:%d", ntohs(sa.sin_port));
	return p;
}

void faultproxy_stop(struct faultproxy *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	close(p->listen_fd);
	pthread_mutex_destroy(&p->lock);
	free(p->drop_prefix);
	free(p);
}

const char *faultproxy_url(const struct faultproxy *p)
{
	return p->url;
}

void faultproxy_drop_answer_of(struct faultproxy *p, const char *prefix)
{
	pthread_mutex_lock(&p->lock);
	xstrset(&p->drop_prefix, prefix);
	pthread_mutex_unlock(&p->lock);
}

unsigned faultproxy_dropped(struct faultproxy *p)
{
	pthread_mutex_lock(&p->lock);
	unsigned n = p->dropped;
	pthread_mutex_unlock(&p->lock);
	return n;
}

unsigned faultproxy_forwarded(struct faultproxy *p)
{
	pthread_mutex_lock(&p->lock);
	unsigned n = p->forwarded;
	pthread_mutex_unlock(&p->lock);
	return n;
}
