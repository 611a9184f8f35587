/* A fault-injecting HTTP proxy for the tests, on a loopback socket in a
 * thread of the test: it forwards each request to balied on a new
 * connection, reads balied's whole answer, and passes it on, closing the
 * client's connection after each answer. Armed, it closes the client's
 * connection after balied has answered a chosen request but before the
 * answer is passed on: the service committed, the desk never heard. */
#ifndef BALIE_TEST_FAULTPROXY_H
#define BALIE_TEST_FAULTPROXY_H

#include <stdbool.h>

struct faultproxy;

/* Listens on 127.0.0.1 (a free port) and forwards to 127.0.0.1:upstream_port.
 * NULL when it cannot. */
struct faultproxy *faultproxy_start(int upstream_port);
/* Stops the thread and closes everything. */
void faultproxy_stop(struct faultproxy *p);
/* "http://127.0.0.1:PORT" of the proxy. */
const char *faultproxy_url(const struct faultproxy *p);

/* The next request whose first line begins with prefix (such as "POST
 * /api/v1/checkouts") is forwarded and answered by balied, and then the
 * client's connection is closed without the answer. */
void faultproxy_drop_answer_of(struct faultproxy *p, const char *prefix);
/* Answers dropped and requests forwarded so far. */
unsigned faultproxy_dropped(struct faultproxy *p);
unsigned faultproxy_forwarded(struct faultproxy *p);

#endif
