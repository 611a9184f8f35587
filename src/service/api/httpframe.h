/* The strict reading of a request's framing, before any body is read or any
 * route runs: the checks libmicrohttpd 0.9.75 does not make (or answers with
 * its own reply written twice), so that no request with ambiguous framing is
 * answered and no second request is read from its bytes. */
#ifndef BALIED_HTTPFRAME_H
#define BALIED_HTTPFRAME_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

/* The request target as it arrived, taken from libmicrohttpd's URI log
 * callback before it is unescaped or split at '?'. */
struct httpframe_target {
	const char *raw; /* points into the connection's buffer; only compared */
	size_t len;      /* strlen(raw) at that time */
	bool nul_escape; /* holds %00 */
};

/* Records the target of a request (uri as the URI log callback gets it). */
void httpframe_target_take(struct httpframe_target *t, const char *uri);

/*
 * Checks the head of the request that conn has just received in full:
 * method, target, version and header fields. Returns NULL when the framing
 * is unambiguous, or a static English message naming what is wrong (the
 * request must then be refused with 400 and the connection closed).
 */
const char *httpframe_problem(struct MHD_Connection *conn, const char *method,
			      const char *version, const struct httpframe_target *t);

/*
 * When libmicrohttpd 0.9.75 refuses a Content-Length itself it calls no
 * handler of balied and writes its own answer's head twice; it only logs.
 * These let the logger answer in its place on a plain connection.
 */

/* The status of the refusal that the libmicrohttpd log line fmt (its format
 * string) announces: 400 for a Content-Length that is not a number, 413 for
 * one beyond 64 bits, or 0 when fmt is any other line. */
unsigned httpframe_length_status(const char *fmt);

/* Whether conn is the connection such a refusal with status is being made
 * for right now: its head is in, no answer is queued, it has no
 * Transfer-Encoding and a Content-Length libmicrohttpd refuses so. */
bool httpframe_length_refused(struct MHD_Connection *conn, unsigned status);

/*
 * Writes one whole answer, status with the JSON body and Connection: close,
 * to the socket fd without waiting, then shuts its sending side so that
 * nothing libmicrohttpd writes after it reaches the client. Returns false
 * when the answer did not go whole; when not a byte went, the socket is
 * left as it was.
 */
bool httpframe_refuse_raw(int fd, unsigned status, const char *body);

#endif
