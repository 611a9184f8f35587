#include <stdbool.h>

#include "fakeserver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

enum { FS_HEAD_MAX = 16384, FS_BODY_MAX = 65536 };

struct fs_request {
	char method[16];
	char path[256];
	char authorization[256];
	char idempotency_key[128];
	char content_type[128];
	char accept[128];
	char body[FS_BODY_MAX];
};

/* The JSON that /evil and /login-evil carry: escape sequences, C1 and bidi
 * controls, a tab and an invalid UTF-8 byte, in values and in a key. */
#define FS_EVIL_NAME "Jan\\u001b]0;pwned\\u0007 de Vries\\u009b31m\\u202eevil"

static void send_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void reply(int fd, const char *status, const char *type, const char *body)
{
	char head[512];
	int n = snprintf(head, sizeof head,
			 "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n", status,
			 type, strlen(body));
	send_all(fd, head, (size_t)n);
	send_all(fd, body, strlen(body));
}

static void header_value(const char *head, const char *name, char *out, size_t size)
{
	out[0] = '\0';
	size_t nlen = strlen(name);
	for (const char *line = strstr(head, "\r\n"); line; line = strstr(line + 2, "\r\n")) {
		const char *h = line + 2;
		if (strncasecmp(h, name, nlen) == 0 && h[nlen] == ':') {
			h += nlen + 1;
			while (*h == ' ')
				h++;
			size_t len = strcspn(h, "\r");
			if (len >= size)
				len = size - 1;
			memcpy(out, h, len);
			out[len] = '\0';
			return;
		}
	}
}

/* Reads one request; false when the client closed the connection. */
static bool read_request(int fd, struct fs_request *req)
{
	static char buf[FS_HEAD_MAX + FS_BODY_MAX];
	size_t len = 0;
	char *end = NULL;
	while (!end) {
		if (len >= FS_HEAD_MAX)
			return false;
		ssize_t n = recv(fd, buf + len, FS_HEAD_MAX - len, 0);
		if (n <= 0)
			return false;
		len += (size_t)n;
		buf[len] = '\0';
		end = strstr(buf, "\r\n\r\n");
	}
	*end = '\0';
	memset(req, 0, sizeof *req);
	if (sscanf(buf, "%15s %255s", req->method, req->path) != 2)
		return false;
	header_value(buf, "Authorization", req->authorization, sizeof req->authorization);
	header_value(buf, "Idempotency-Key", req->idempotency_key, sizeof req->idempotency_key);
	header_value(buf, "Content-Type", req->content_type, sizeof req->content_type);
	header_value(buf, "Accept", req->accept, sizeof req->accept);
	char cl[32];
	header_value(buf, "Content-Length", cl, sizeof cl);
	size_t want = cl[0] ? strtoul(cl, NULL, 10) : 0;
	if (want >= FS_BODY_MAX)
		return false;
	size_t have = len - (size_t)(end + 4 - buf);
	memcpy(req->body, end + 4, have);
	while (have < want) {
		ssize_t n = recv(fd, req->body + have, want - have, 0);
		if (n <= 0)
			return false;
		have += (size_t)n;
	}
	req->body[want] = '\0';
	return true;
}

static void json_escape_into(char *out, size_t size, const char *s)
{
	size_t o = 0;
	for (; *s && o + 8 < size; s++) {
		if (*s == '"' || *s == '\\') {
			out[o++] = '\\';
			out[o++] = *s;
		} else if ((unsigned char)*s < 0x20) {
			o += (size_t)snprintf(out + o, size - o, "\\u%04x", *s);
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
}

static void reply_echo(int fd, const struct fs_request *req)
{
	static char body[FS_BODY_MAX * 2 + 2048];
	static char escaped[FS_BODY_MAX * 2];
	json_escape_into(escaped, sizeof escaped, req->body);
	snprintf(body, sizeof body,
		 "{\"method\":\"%s\",\"path\":\"%s\",\"authorization\":\"%s\","
		 "\"idempotency_key\":\"%s\",\"content_type\":\"%s\",\"accept\":\"%s\","
		 "\"body\":\"%s\",\"connection\":%d}",
		 req->method, req->path, req->authorization, req->idempotency_key,
		 req->content_type, req->accept, escaped, (int)getpid());
	reply(fd, "200 OK", "application/json", body);
}

static void reply_stream(int fd, bool chunked)
{
	const char *head = chunked ? "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
				     "Transfer-Encoding: chunked\r\n\r\n"
				   : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
				     "Content-Length: 4000000\r\n\r\n";
	send_all(fd, head, strlen(head));
	static char block[8192];
	memset(block, 'a', sizeof block);
	for (int i = 0; i < 500; i++) {
		if (chunked) {
			char size[32];
			int n = snprintf(size, sizeof size, "%zx\r\n", sizeof block);
			send_all(fd, size, (size_t)n);
		}
		send_all(fd, block, sizeof block);
		if (chunked)
			send_all(fd, "\r\n", 2);
	}
}

/* Returns false when the connection should be closed after this reply. */
static bool answer(int fd, const struct fs_request *req)
{
	const char *p = req->path;
	if (strcmp(p, "/api/v1/echo") == 0) {
		reply_echo(fd, req);
	} else if (strcmp(p, "/api/v1/evil") == 0) {
		reply(fd, "200 OK", "application/json",
		      "{\"name\":\"" FS_EVIL_NAME "\",\"ke\\u001by\":\"v\",\"tab\":\"a\\tb\","
		      "\"bad\":\"CEN\xff\",\"list\":[\"\\u202ex\",{\"deep\":\"\\u001b[2J\"}]}");
	} else if (strcmp(p, "/api/v1/login-evil") == 0) {
		reply(fd, "201 Created", "application/json",
		      "{\"token\":\"t0k3n\",\"expires_at\":\"2026-01-01T00:00:00Z\","
		      "\"staff\":{\"username\":\"balie\",\"name\":\"" FS_EVIL_NAME "\","
		      "\"roles\":[\"balie\\u0085\"],\"branch\":\"CEN\xff\"}}");
	} else if (strcmp(p, "/api/v1/close-mid") == 0) {
		const char *part = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
				   "Content-Length: 100\r\n\r\n{\"status\":";
		send_all(fd, part, strlen(part));
		return false;
	} else if (strcmp(p, "/api/v1/close-now") == 0) {
		return false;
	} else if (strcmp(p, "/api/v1/not-json") == 0) {
		reply(fd, "200 OK", "text/plain", "Hello, this is not JSON.\n");
	} else if (strcmp(p, "/api/v1/500") == 0) {
		reply(fd, "500 Internal Server Error", "application/json",
		      "{\"error\":{\"code\":\"unavailable\",\"message\":\"boom\",\"overridable\":false}}");
	} else if (strcmp(p, "/api/v1/503-html") == 0) {
		reply(fd, "503 Service Unavailable", "text/html", "<h1>down</h1>");
	} else if (strcmp(p, "/api/v1/refuse") == 0) {
		reply(fd, "409 Conflict", "application/json",
		      "{\"error\":{\"code\":\"patron_blocked\",\"message\":\"Patron is blocked\\u001b[5m\","
		      "\"details\":{\"blocks\":[\"card_expired\"]},\"overridable\":true}}");
	} else if (strcmp(p, "/api/v1/refuse-new") == 0) {
		reply(fd, "409 Conflict", "application/json",
		      "{\"error\":{\"code\":\"brand_new_code\",\"message\":\"New\"}}");
	} else if (strcmp(p, "/api/v1/404-html") == 0) {
		reply(fd, "404 Not Found", "text/html", "<h1>no</h1>");
	} else if (strcmp(p, "/api/v1/422-no-error") == 0) {
		reply(fd, "422 Unprocessable Entity", "application/json", "{\"foo\":1}");
	} else if (strcmp(p, "/api/v1/big") == 0) {
		reply_stream(fd, false);
		return false;
	} else if (strcmp(p, "/api/v1/big-chunked") == 0) {
		reply_stream(fd, true);
		return false;
	} else if (strcmp(p, "/api/v1/slow") == 0) {
		char c;
		while (recv(fd, &c, 1, 0) > 0)
			; /* never answers: waits until the client gives up */
		return false;
	} else if (strcmp(p, "/api/v1/drip") == 0) {
		/* Headers, then a byte of the body every 100 ms: never silent,
		 * never done. */
		const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
				   "Content-Length: 100000\r\n\r\n[";
		send_all(fd, head, strlen(head));
		for (int i = 0; i < 600 && send(fd, "1", 1, MSG_NOSIGNAL) == 1; i++)
			usleep(100 * 1000);
		return false;
	} else if (strcmp(p, "/api/v1/huge-header") == 0) {
		/* A header line larger than any reply of ours would have. */
		const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Filler: ";
		send_all(fd, head, strlen(head));
		static char filler[8192];
		memset(filler, 'h', sizeof filler);
		for (int i = 0; i < 128; i++)
			send_all(fd, filler, sizeof filler);
		send_all(fd, "\r\nContent-Length: 2\r\n\r\n{}", 27);
		return false;
	} else if (strcmp(p, "/api/v1/204") == 0) {
		send_all(fd, "HTTP/1.1 204 No Content\r\n\r\n", 27);
	} else if (strcmp(p, "/api/v1/redirect") == 0) {
		const char *r = "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/\r\n"
				"Content-Length: 0\r\n\r\n";
		send_all(fd, r, strlen(r));
	} else if (strcmp(p, "/api/v1/health") == 0) {
		/* A health answer without its "version": JSON, but not the protocol. */
		reply(fd, "200 OK", "application/json", "{\"status\":\"ok\",\"training\":false}");
	} else if (strcmp(p, "/api/v1/deep") == 0) {
		char deep[200];
		memset(deep, '[', 40);
		memset(deep + 40, ']', 40);
		deep[80] = '\0';
		reply(fd, "200 OK", "application/json", deep);
	} else {
		reply(fd, "404 Not Found", "application/json",
		      "{\"error\":{\"code\":\"not_found\",\"message\":\"No such path\"}}");
	}
	return true;
}

static void serve_connection(int fd)
{
	struct fs_request *req = malloc(sizeof *req);
	while (req && read_request(fd, req) && answer(fd, req))
		;
	free(req);
	close(fd);
}

static void serve(int listen_fd)
{
	signal(SIGCHLD, SIG_IGN); /* connection children need no waiting for */
	for (;;) {
		int fd = accept(listen_fd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		pid_t pid = fork();
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(listen_fd);
			serve_connection(fd);
			_exit(0);
		}
		close(fd);
	}
}

static int listen_tcp(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = 0 };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof sa;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

static int listen_unix(const char *path)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (fd < 0 || strlen(path) >= sizeof sa.sun_path) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	strcpy(sa.sun_path, path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 64) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

bool fakeserver_start(struct fakeserver *fs, const char *unix_path)
{
	memset(fs, 0, sizeof *fs);
	int fd = unix_path ? listen_unix(unix_path) : listen_tcp(&fs->port);
	if (fd < 0)
		return false;
	char buf[300];
	if (unix_path)
		snprintf(buf, sizeof buf, "unix:%s", unix_path);
	else
		snprintf(buf, sizeof buf, "http://127.0.0.1:%d", fs->port);
	fs->url = strdup(buf);
	fs->unix_path = unix_path ? strdup(unix_path) : NULL;
	fs->pid = fork();
	if (fs->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		serve(fd);
	}
	close(fd);
	return fs->pid > 0;
}

void fakeserver_stop(struct fakeserver *fs)
{
	if (fs->pid > 0) {
		kill(fs->pid, SIGKILL);
		waitpid(fs->pid, NULL, 0);
	}
	if (fs->unix_path)
		unlink(fs->unix_path);
	free(fs->unix_path);
	free(fs->url);
	memset(fs, 0, sizeof *fs);
}
