/* A tiny HTTP server for the client tests: it answers each request with a
 * canned reply chosen by the path, including the broken ones a real balied
 * never sends (a connection closed mid-reply, text that is not JSON, a 5xx,
 * escape sequences in strings). It runs in a child process. */
#ifndef BALIE_TEST_FAKESERVER_H
#define BALIE_TEST_FAKESERVER_H

#include <sys/types.h>

struct fakeserver {
	pid_t pid;
	int port;        /* TCP on 127.0.0.1, or 0 */
	char *unix_path; /* or the Unix socket, or NULL */
	char *url;       /* for api_new */
};

/* Starts a server on 127.0.0.1 (a free port) or, with unix_path, on that
 * Unix socket. Returns false when it cannot listen. */
bool fakeserver_start(struct fakeserver *fs, const char *unix_path);
void fakeserver_stop(struct fakeserver *fs);

#endif
