/* The circulation calls of the desk (DESIGN.md section 2) as typed calls:
 * check out, check in, renew, a patron by card and the patron search. Each
 * goes through the desk's scan queue (client/scanq.h), so that the answers
 * come in the order of the scans, and check-outs and check-ins through the
 * journal (client/outbox.h). The caller gives plain C values; its callback
 * gets the decoded answer, or NULL and a circ_failure that says why in the
 * desk's words. An answer the desk cannot decode is logged with the
 * decoder's reason (core/log.h) and reaches the callback as
 * CIRC_UNDECODABLE. */
#ifndef BALIE_CIRC_CALL_H
#define BALIE_CIRC_CALL_H

#include "client/circ.h"
#include "client/outbox.h"
#include "client/scanq.h"
#include "core/errcode.h"

#include <stdbool.h>
#include <stddef.h>

enum circ_failure_kind {
	CIRC_REFUSED,     /* the service said no: error, overridable, blocks */
	CIRC_UNREACHABLE, /* no service: offline, no connection, no answer in time */
	CIRC_SAVED,       /* safe in the journal, sent when the service is back: seq */
	CIRC_UNDECODABLE, /* an answer that is not what the protocol says */
};

/* Why a call gave no answer; valid during the callback only. */
struct circ_failure {
	enum circ_failure_kind kind;
	/* The desk's words, translated: a refusal's text (for patron_blocked
	 * with the blocks it names), api_undecodable_text(), or why the
	 * service could not be reached. */
	const char *text;
	/* CIRC_UNREACHABLE for a certificate or handshake problem: then it is
	 * not the line but the set-up that needs someone (client/needsvc.h). */
	bool setup_problem;
	enum errcode error;   /* CIRC_REFUSED: the code, ERR_UNKNOWN when new */
	bool overridable;     /* CIRC_REFUSED: staff may override with a reason */
	const char *const *blocks; /* CIRC_REFUSED, patron_blocked: the blocks named */
	size_t n_blocks;
	long long seq;        /* CIRC_SAVED: the journal entry */
};

/* The callbacks get the answer to keep (free it with its _free) or NULL and
 * the failure; tag is the caller's, as given. */
typedef void (*circ_patron_fn)(void *ctx, unsigned tag, struct circ_patron *p,
			       const struct circ_failure *f);
typedef void (*circ_search_fn)(void *ctx, unsigned tag, struct circ_search *s,
			       const struct circ_failure *f);
typedef void (*circ_loan_fn)(void *ctx, unsigned tag, struct circ_loan *loan,
			     const struct circ_failure *f);
typedef void (*circ_checkin_fn)(void *ctx, unsigned tag, struct circ_checkin *c,
				const struct circ_failure *f);

/* Looks patron card up (GET /patrons/{card}). */
void circ_patron_start(struct scanq *q, const char *card, circ_patron_fn done, void *ctx,
		       unsigned tag);
/* Searches by name, with birth_date (YYYY-MM-DD, may be NULL). */
void circ_search_start(struct scanq *q, const char *query, const char *birth_date,
		       circ_search_fn done, void *ctx, unsigned tag);
/* Lends item barcode to patron card; blocks (n_blocks, NULL for none) and
 * reason make the override. Journaled: offline done gets CIRC_SAVED. */
void circ_checkout_start(struct scanq *q, const char *card, const char *barcode,
			 const char *const *blocks, size_t n_blocks, const char *reason,
			 circ_loan_fn done, void *ctx, unsigned tag);
/* Checks item barcode in. Journaled: offline done gets CIRC_SAVED. */
void circ_checkin_start(struct scanq *q, const char *barcode, circ_checkin_fn done, void *ctx,
			unsigned tag);
/* Renews item barcode; blocks and reason as for a check-out. A renewal
 * needs the service: offline done gets CIRC_UNREACHABLE. */
void circ_renew_start(struct scanq *q, const char *barcode, const char *const *blocks,
		      size_t n_blocks, const char *reason, circ_loan_fn done, void *ctx,
		      unsigned tag);

/* What the replay got for a check-out or check-in shown as saved (seq):
 * each hook gets the answer decoded as its kind (NULL and the failure when
 * it is not one, or was refused); a hook that does not know seq frees it
 * and ignores it. */
struct circ_settled_hooks {
	void *ctx;
	void (*loan)(void *ctx, long long seq, struct circ_loan *loan,
		     const struct circ_failure *f);
	void (*checkin)(void *ctx, long long seq, struct circ_checkin *c,
			const struct circ_failure *f);
};
/* From now on the outbox's settled entries reach hooks (kept by pointer:
 * it must outlive the outbox's use of it). */
void circ_settled_watch(struct outbox *o, const struct circ_settled_hooks *hooks);

/* The desk's words for a refused reply: the code's text, and for
 * patron_blocked the blocks it names. Allocated. */
char *circ_refusal_text_dup(const struct api_reply *reply);

#endif
