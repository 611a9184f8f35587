#include "sip2_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

unsigned sip2c_port_from_log(const char *log)
{
	const char *p = strstr(log, "sip2: listening on ");
	if (!p)
		return 0;
	p = strchr(p + strlen("sip2: listening on "), ':');
	return p ? (unsigned)strtoul(p + 1, NULL, 10) : 0;
}

int sip2c_connect(unsigned port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

void sip2c_checksum(const char *buf, size_t len, char out[5])
{
	unsigned sum = 0;
	for (size_t i = 0; i < len; i++)
		sum += (unsigned char)buf[i];
	sum = (~sum + 1) & 0xffff;
	snprintf(out, 5, "%04X", sum);
}

char *sip2c_with_checksum_dup(const char *msg, int seq)
{
	size_t n = strlen(msg);
	char *out = malloc(n + 16);
	snprintf(out, n + 16, "%sAY%dAZ", msg, seq);
	sip2c_checksum(out, n + 5, out + n + 5);
	return out;
}

bool sip2c_send_raw(int fd, const char *bytes, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, bytes, len, MSG_NOSIGNAL);
		if (n <= 0)
			return false;
		bytes += n;
		len -= (size_t)n;
	}
	return true;
}

/* In one write: a second small one would wait for the first's ACK (Nagle). */
bool sip2c_send(int fd, const char *msg)
{
	size_t n = strlen(msg);
	char *line = malloc(n + 1);
	memcpy(line, msg, n);
	line[n] = '\r';
	bool sent = sip2c_send_raw(fd, line, n + 1);
	free(line);
	return sent;
}

static long long ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One byte at a time: an answer is short, and nothing after its CR may be
 * taken from the next one. */
char *sip2c_read_dup(int fd, int timeout_ms, bool *closed)
{
	long long until = ms_now() + timeout_ms;
	size_t cap = 256, len = 0;
	char *buf = malloc(cap);
	if (closed)
		*closed = false;
	for (;;) {
		long long left = until - ms_now();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		char c;
		ssize_t n = recv(fd, &c, 1, 0);
		if (n <= 0) {
			if (closed)
				*closed = true;
			break;
		}
		if (c == '\r') {
			buf[len] = '\0';
			return buf;
		}
		if (len + 2 > cap)
			buf = realloc(buf, cap *= 2);
		buf[len++] = c;
	}
	free(buf);
	return NULL;
}

char *sip2c_call_dup(int fd, const char *msg)
{
	return sip2c_send(fd, msg) ? sip2c_read_dup(fd, 10000, NULL) : NULL;
}

bool sip2c_checksum_ok(const char *answer)
{
	size_t n = strlen(answer);
	if (n < 6 || strncmp(answer + n - 6, "AZ", 2) != 0)
		return false;
	char want[5];
	sip2c_checksum(answer, n - 4, want);
	return strcmp(want, answer + n - 4) == 0;
}

/* Calls fn on each field of the variable part: the pieces between '|'. */
static const char *field_at(const char *answer, size_t fixed_len, const char *id,
			    unsigned skip, size_t *len)
{
	if (strlen(answer) < 2 + fixed_len)
		return NULL;
	const char *p = answer + 2 + fixed_len;
	while (*p) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n >= 2 && strncmp(p, id, 2) == 0 && skip-- == 0) {
			*len = n - 2;
			return p + 2;
		}
		p += n + (bar ? 1 : 0);
	}
	return NULL;
}

char *sip2c_field_dup(const char *answer, size_t fixed_len, const char *id)
{
	size_t len;
	const char *v = field_at(answer, fixed_len, id, 0, &len);
	return v ? strndup(v, len) : NULL;
}

unsigned sip2c_field_count(const char *answer, size_t fixed_len, const char *id)
{
	unsigned n = 0;
	size_t len;
	while (field_at(answer, fixed_len, id, n, &len))
		n++;
	return n;
}

void sip2c_now(char out[19])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 19, "%Y%m%d    %H%M%S", &tm);
}

int sip2c_login(unsigned port, const char *user, const char *password, const char *location)
{
	int fd = sip2c_connect(port);
	if (fd < 0)
		return -1;
	char msg[256];
	snprintf(msg, sizeof msg, "9300CN%s|CO%s|CP%s|", user, password, location);
	char *answer = sip2c_call_dup(fd, msg);
	bool in = answer && strcmp(answer, "941") == 0;
	free(answer);
	if (!in) {
		close(fd);
		return -1;
	}
	return fd;
}
