/* The typed calls of the client (session.h, enrol.h, idolog.h) on top of
 * api.h: each module starts its request with call_start and gives a
 * decoder, which turns the reply into the module's plain struct for the
 * caller's callback, or into a struct call_failure. The caller sees no
 * method, path or JSON. Nothing here waits for the network: the callback
 * comes from api_dispatch, never inside the call that started it. */
#ifndef BALIE_CALL_H
#define BALIE_CALL_H

#include "client/api.h"
#include "core/errcode.h"
#include "core/uuid.h"

#include <stdbool.h>

/* Why a call has no decoded answer: what the desk says and what it acts
 * on. The strings live while the callback runs; copy what you keep. */
struct call_failure {
	/* API_OK: the service answered, but with a body this desk cannot
	 * decode (the decoder's reason is in the log). */
	enum api_outcome outcome;
	enum errcode error;  /* API_REFUSED: the code, ERR_UNKNOWN when new to us */
	bool overridable;    /* API_REFUSED: staff may override with a reason */
	bool setup_problem;  /* API_UNREACHABLE: a certificate or handshake problem,
			      * which needs someone to look at balie.conf */
	const char *text;    /* translated: the desk's words for it, never NULL */
	/* API_REFUSED: the "field" and "reason" of the details (invalid_field),
	 * or NULL. */
	const char *field, *reason;
	long long retry_after; /* rate_limited: seconds to wait, 0 when not said */
};

/* The caller's callback of a typed call, stored in this one type and
 * called by the module's decoder in its own type. */
typedef void (*call_fn)(void);
/* Turns reply into done's arguments and calls done with ctx. */
typedef void (*call_decode_fn)(struct api_reply *reply, call_fn done, void *ctx);

/*
 * Starts method on path (api_start's arguments) and, when the reply has
 * come, calls decode with it, done and ctx. Returns the call's id (never
 * 0): cancel it with call_cancel, not api_cancel.
 */
unsigned call_start(struct api *api, const char *method, const char *path, const cJSON *body,
		    const char *idempotency_key, call_decode_fn decode, call_fn done, void *ctx);
/* Forgets a call of call_start (or any request of api_start): its done
 * will not be called. 0 is no call. */
void call_cancel(struct api *api, unsigned id);

/*
 * Defines name, the decoder (a call_decode_fn) of a typed call whose
 * callback, of type fn_type, gets the one struct that decode makes of the
 * body (type *decode(const cJSON *body, char **err)), or NULL and a
 * failure; what names the call for the log ("GET /health").
 */
#define CALL_DECODER(name, type, decode, fn_type, what)                              \
	static void name(struct api_reply *reply, call_fn done, void *ctx)            \
	{                                                                             \
		char *err = NULL;                                                     \
		type *value = reply->outcome == API_OK ? decode(reply->body, &err) : NULL; \
		struct call_failure f;                                                \
		if (!value)                                                           \
			call_failure_init(&f, reply, what, err);                      \
		((fn_type)done)(ctx, value, value ? NULL : &f);                       \
	}

/*
 * Fills f for a reply that is not API_OK, or for an API_OK whose body the
 * decoder refused: then decode_err is its reason (English, allocated; it
 * is logged with what the call was, e.g. "GET /health", and freed).
 */
void call_failure_init(struct call_failure *f, const struct api_reply *reply, const char *what,
		       char *decode_err);

/* sentence (translated: what needs the service), and for a setup problem
 * f's own words after it, because then it is not the line but balie.conf
 * that needs someone. f may be NULL (no call was made). Allocated. */
char *call_failure_sentence_dup(const char *sentence, const struct call_failure *f);

/* The Idempotency-Key of a mutating call that the desk may send again:
 * a try that got no answer keeps its key while its body is the same, so
 * that the service stores it once. Zero it to start; the caller owns it. */
struct call_retry {
	char *body; /* the body of the last try, or NULL */
	char key[UUID_STR_LEN];
};

/* The key for body: the last try's when body is the same, else a new one
 * (and body is remembered). Valid until the next call or call_retry_forget. */
const char *call_retry_key(struct call_retry *r, const cJSON *body);
/* The last try was answered (or is given up): the next gets a new key. */
void call_retry_forget(struct call_retry *r);

#endif
