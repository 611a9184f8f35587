/* Typed calls through the desk's scan queue (client/scanq.h): as call_start
 * (client/call.h) does for a call of its own, but the request waits its turn
 * behind the scans, so that answers come in the order of the desk's work.
 * A module defines its decoder with QUEUED_DECODER and starts the call with
 * queued_start; the caller sees no method, path or JSON. */
#ifndef BALIE_QUEUED_H
#define BALIE_QUEUED_H

#include "client/call.h"
#include "client/scanq.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

/* Turns reply into done's arguments and calls done with ctx and tag. */
typedef void (*queued_decode_fn)(struct api_reply *reply, call_fn done, void *ctx, unsigned tag);

/* Queues method on path with body (taken; may be NULL; mutating requests get
 * their own Idempotency-Key); when the reply has come, decode gets it with
 * done, ctx and tag. */
void queued_start(struct scanq *q, const char *method, const char *path, cJSON *body,
		  bool mutating, queued_decode_fn decode, call_fn done, void *ctx, unsigned tag);

/*
 * Defines name, the decoder (a queued_decode_fn) of a call whose callback,
 * of type fn_type, gets ctx, the tag and the one struct that decode makes of
 * the body (type *decode(const cJSON *body, char **err)), or NULL and a
 * failure; what names the call for the log ("GET /items/{barcode}").
 */
#define QUEUED_DECODER(name, type, decode, fn_type, what)                             \
	static void name(struct api_reply *reply, call_fn done, void *ctx, unsigned tag)  \
	{                                                                                \
		char *err = NULL;                                                        \
		type *value = reply->outcome == API_OK ? decode(reply->body, &err) : NULL; \
		struct call_failure f;                                                   \
		if (!value)                                                              \
			call_failure_init(&f, reply, what, err);                         \
		((fn_type)done)(ctx, tag, value, value ? NULL : &f);                     \
	}

#endif
