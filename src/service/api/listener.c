#include "service/api/listener.h"

#include "core/i18n.h"
#include "core/xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

enum { LISTEN_BACKLOG = 512 };

/* Splits "host:port" or "[v6]:port"; false when it has no port. */
static bool split_addr(const char *addr_port, char **host, char **port)
{
	const char *colon;
	if (addr_port[0] == '[') {
		const char *close = strchr(addr_port, ']');
		if (!close || close[1] != ':')
			return false;
		*host = xstrndup(addr_port + 1, (size_t)(close - addr_port - 1));
		colon = close + 1;
	} else {
		colon = strrchr(addr_port, ':');
		if (!colon)
			return false;
		*host = xstrndup(addr_port, (size_t)(colon - addr_port));
	}
	*port = xstrdup(colon + 1);
	if (**host == '\0' || **port == '\0') {
		free(*host);
		free(*port);
		return false;
	}
	return true;
}

static bool listen_nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);
	return listen(fd, LISTEN_BACKLOG) == 0 && flags >= 0 &&
	       fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

static void show_url(int fd, char *shown, size_t shown_len)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	getsockname(fd, (struct sockaddr *)&ss, &len);
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
		port = ntohs(a->sin6_port);
		snprintf(shown, shown_len, "http://[%s]:%u", host, port);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
		port = ntohs(a->sin_port);
		snprintf(shown, shown_len, "http://%s:%u", host, port);
	}
}

int listener_tcp(const char *addr_port, char *shown, size_t shown_len, char **err)
{
	char *host, *port;
	if (!split_addr(addr_port, &host, &port)) {
		*err = xasprintf(_("\"%s\" is not ADDRESS:PORT"), addr_port);
		return -1;
	}
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0) {
		*err = xasprintf(_("cannot listen on %s: %s"), addr_port, gai_strerror(rc));
		free(host);
		free(port);
		return -1;
	}
	int fd = -1, saved = 0;
	for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			saved = errno;
			continue;
		}
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || !listen_nonblocking(fd)) {
			saved = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		*err = xasprintf(_("cannot listen on %s: %s"), addr_port, strerror(saved));
	else
		show_url(fd, shown, shown_len);
	free(host);
	free(port);
	return fd;
}

/* True when something answers on the socket at path. */
static bool socket_is_live(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	bool live = connect(fd, (const struct sockaddr *)sun, sizeof *sun) == 0;
	close(fd);
	return live;
}

int listener_unix(const char *path, unsigned mode, char **err)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof sun.sun_path) {
		*err = xasprintf(_("the socket path %s is too long"), path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			*err = xasprintf(_("%s exists and is not a socket"), path);
			return -1;
		}
		if (socket_is_live(&sun)) {
			*err = xasprintf(_("another service is listening on %s"), path);
			return -1;
		}
		unlink(path);
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*err = xasprintf(_("cannot listen on %s: %s"), path, strerror(errno));
		return -1;
	}
	/* Made with no permissions at all, then opened up: never a moment in
	 * which others could connect. */
	mode_t old = umask(0777);
	int rc = bind(fd, (struct sockaddr *)&sun, sizeof sun);
	umask(old);
	if (rc != 0 || chmod(path, (mode_t)mode) != 0 || !listen_nonblocking(fd)) {
		*err = xasprintf(_("cannot listen on %s: %s"), path, strerror(errno));
		close(fd);
		if (rc == 0)
			unlink(path);
		return -1;
	}
	return fd;
}
