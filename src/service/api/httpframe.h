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

#endif
