/* One SIP2 session: the messages of one kiosk connection, in order. The
 * login (93) names the kiosk account; every other message but the status
 * (99) and the resend (97) needs it. Error detection (AY, AZ) is answered in
 * kind; a bad checksum is answered with 96; 97 gets the last answer again.
 * The messages themselves are the handlers of msg_*.c, through the table in
 * session.c. */
#ifndef BALIED_SIP2_SESSION_H
#define BALIED_SIP2_SESSION_H

#include "service/domain/kiosk.h"
#include "service/domain/rules.h"
#include "service/domain/session.h"
#include "service/settings.h"
#include "service/sip2/codec.h"
#include "service/sip2/sortbin.h"
#include "service/store/idempotency.h"
#include "service/store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* What every SIP2 connection shares; read-only once running. */
struct sip2_env {
	const struct settings *settings;
	struct idempotency *idem;   /* the HTTP API's: one key space */
	const struct rules *rules;
	const struct sip2_sortbins *bins;
	time_t clock_offset;        /* 0 but in tests (testclock.h) */
};

struct sip2_session {
	const struct sip2_env *env;
	struct store *store;        /* this connection's */
	const char *address;        /* the kiosk's address, for the throttle and logs */
	bool logged_in;
	struct session who;         /* the kiosk account, its branch, as a desk's session */
	char charset[KIOSK_CHARSET_LEN];
	char *last;                 /* the last answer as sent, for 97 */
	size_t last_len;
	bool close;                 /* set by a handler: end the connection after answering */
};

void sip2_session_init(struct sip2_session *s, const struct sip2_env *env, struct store *store,
		       const char *address);
void sip2_session_clear(struct sip2_session *s);

/*
 * Handles one message of len bytes (without its CR) and returns the answer
 * as it goes on the wire (allocated, *out_len bytes), or NULL for none (an
 * unknown message, or one before the login: then s->close is set).
 */
char *sip2_session_handle(struct sip2_session *s, const char *raw, size_t len, size_t *out_len);

/* ---- for the handlers (msg_*.c) ---- */

/* The service's now (the test clock included). */
time_t sip2_now(const struct sip2_session *s);
/* The value of field id in UTF-8, newly allocated ("" when absent). */
char *sip2_arg_dup(const struct sip2_session *s, const struct sip2_msg *m, const char *id);
/* A circ_ctx of the kiosk: its branch and account, now. */
void sip2_circ_ctx(const struct sip2_session *s, struct circ_ctx *ctx);

/* A change that must happen once (checkout, checkin, renew, hold, block):
 * fills o with the answer and returns false for a refusal (its changes are
 * rolled back), or sets *store_failed (everything rolled back, nothing
 * kept). Runs inside the transaction of the Idempotency-Key machinery. */
typedef bool (*sip2_change_fn)(struct sip2_session *s, const struct sip2_msg *m,
			       struct sip2_out *o, bool *store_failed);

/*
 * Runs change at most once for this message of this kiosk: its key is made
 * from the kiosk account, the message's bytes and its sequence number, so
 * that a resend (after a timeout, on another connection too) gets the first
 * answer again. Returns the answer (allocated, UTF-8), or NULL when the
 * message cannot be answered now (the store failed, or the same message is
 * being handled on another connection): the kiosk is asked to resend.
 */
char *sip2_once_dup(struct sip2_session *s, const struct sip2_msg *m, sip2_change_fn change);

typedef char *(*sip2_handler_fn)(struct sip2_session *s, const struct sip2_msg *m);

#endif
