/* TLS is always verified: a server whose certificate the client cannot
 * verify, or whose name does not match, is unreachable; with ca_file the same
 * server is reached. The server is "openssl s_server" ($OPENSSL) with a
 * certificate of the test CA (tests/tls/testca.h), for the name localhost
 * only. */
#include "client/api.h"
#include "tap.h"
#include "testca.h"
#include "core/clock.h"
#include "core/xalloc.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/balie-test-tls-XXXXXX";

/* Starts s_server on a free port of 127.0.0.1; returns its pid, sets *port. */
static pid_t start_server(const char *openssl, const char *cert, const char *key, int *port,
			  int *out_fd)
{
	int fds[2];
	if (pipe(fds) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		freopen("/dev/null", "w", stderr);
		execl(openssl, "openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", cert, "-key",
		      key, "-www", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	*out_fd = fds[0];
	char buf[512];
	size_t len = 0;
	long deadline = clock_now_ms() + 10000;
	*port = 0;
	while (*port == 0 && len < sizeof buf - 1 && clock_now_ms() < deadline) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		if (poll(&p, 1, (int)(deadline - clock_now_ms())) <= 0)
			continue;
		ssize_t n = read(fds[0], buf + len, sizeof buf - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		const char *accept = strstr(buf, "ACCEPT 127.0.0.1:");
		if (accept && strchr(accept, '\n'))
			*port = atoi(accept + strlen("ACCEPT 127.0.0.1:"));
	}
	return pid;
}

int main(void)
{
	const char *openssl = getenv("OPENSSL");
	if (!openssl || !mkdtemp(tmpdir)) {
		ok(false, "OPENSSL is set and a temporary directory can be made");
		return tap_done();
	}
	char *cert = xasprintf("%s/server.pem", tmpdir);
	char *key = xasprintf("%s/server.key", tmpdir);
	char *ca = xasprintf("%s/ca.pem", tmpdir);
	int port = 0, out_fd = -1;
	pid_t pid = -1;
	if (ok(testca_make(openssl, tmpdir), "a certificate for localhost"))
		pid = start_server(openssl, cert, key, &port, &out_fd);
	if (ok(pid > 0 && port > 0, "openssl s_server listens on port %d", port)) {
		char *url = xasprintf("https://localhost:%d", port);
		struct api_reply *r = testca_health(url, NULL);
		ok(r && r->outcome == API_UNREACHABLE && r->status == 0,
		   "a certificate the system does not trust is refused (%s)",
		   r && r->failure ? r->failure : "");
		is_str(r ? api_reply_text(r) : NULL,
		       "The service's certificate is not trusted by this desk (see ca_file in balie.conf).",
		       "the desk says the certificate is not trusted");
		api_reply_free(r);

		r = testca_health(url, ca);
		ok(r && r->status == 200 && r->outcome == API_BAD_ANSWER,
		   "with ca_file the same server is reached (its HTML page is no answer of ours)");
		api_reply_free(r);
		free(url);

		url = xasprintf("https://127.0.0.1:%d", port);
		r = testca_health(url, ca);
		ok(r && r->outcome == API_UNREACHABLE && r->status == 0,
		   "a certificate for another name is refused, even with ca_file (%s)",
		   r && r->failure ? r->failure : "");
		is_str(r ? api_reply_text(r) : NULL,
		       "The service's certificate is for another name than the server in balie.conf.",
		       "the desk says the certificate is for another name");
		api_reply_free(r);
		free(url);
	}
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
	if (out_fd >= 0)
		close(out_fd);
	testca_remove(tmpdir);
	free(cert);
	free(key);
	free(ca);
	return tap_done();
}
