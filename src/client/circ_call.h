/* The circulation calls of the desk (DESIGN.md section 2) as typed calls:
 * check out, check in, renew, a patron by card and the patron search. Each
 * goes through the desk's scan queue (client/scanq.h), so that the answers
 * come in the order of the scans, and check-outs and check-ins through the
 * journal (client/outbox.h). The caller gives plain C values; its callback
 * gets the decoded answer, or NULL and a circ_failure that says why in the
 * desk's words. An answer the desk cannot decode is logged with the
 * decoder's reason (core/log.h) and reaches the callback as a failure
 * whose outcome is API_OK. */
#ifndef BALIE_CIRC_CALL_H
#define BALIE_CIRC_CALL_H

#include "client/call.h"
#include "client/circ.h"
#include "client/outbox.h"
#include "client/scanq.h"
#include "core/errcode.h"

#include <stdbool.h>
#include <stddef.h>

/* Why a call gave no answer; valid during the callback only. */
struct circ_failure {
	/* What went wrong and the desk's words for it (client/call.h): for a
	 * refusal the code's text, for patron_blocked with the blocks it
	 * names; API_OK when the answer could not be decoded. */
	struct call_failure call;
	/* The journal took it (the outcome is API_UNREACHABLE): it is sent
	 * when the service is back; seq is its entry. */
	bool saved;
	long long seq;
	const char *const *blocks; /* API_REFUSED, patron_blocked: the blocks named */
	/* API_REFUSED, item_not_found: what was scanned is a patron's card. */
	bool patron_card;
	size_t n_blocks;
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
/* The same for a check-out: the answer carries the message for the patron
 * once (details.message_now), which the service then marks shown. */
void circ_patron_checkout_start(struct scanq *q, const char *card, circ_patron_fn done,
				void *ctx, unsigned tag);
/* Searches by name, with birth_date (YYYY-MM-DD, may be NULL). */
void circ_search_start(struct scanq *q, const char *query, const char *birth_date,
		       circ_search_fn done, void *ctx, unsigned tag);
/* Lends item barcode to patron card; blocks (n_blocks, NULL for none) and
 * reason make the override. Journaled: offline the failure says saved. */
void circ_checkout_start(struct scanq *q, const char *card, const char *barcode,
			 const char *const *blocks, size_t n_blocks, const char *reason,
			 circ_loan_fn done, void *ctx, unsigned tag);
/* The same with due_on (YYYY-MM-DD, a due date set by hand; NULL: the
 * loan period). */
void circ_checkout_due_start(struct scanq *q, const char *card, const char *barcode,
			     const char *const *blocks, size_t n_blocks, const char *reason,
			     const char *due_on, circ_loan_fn done, void *ctx, unsigned tag);
/* Checks item barcode in. Journaled: offline the failure says saved. */
void circ_checkin_start(struct scanq *q, const char *barcode, circ_checkin_fn done, void *ctx,
			unsigned tag);
/* The same as of effective_on (YYYY-MM-DD, the bookdrop; NULL: now) and,
 * with amnesty, without a fine. */
void circ_checkin_with_start(struct scanq *q, const char *barcode, const char *effective_on,
			     bool amnesty, circ_checkin_fn done, void *ctx, unsigned tag);
/* Renews item barcode; blocks and reason as for a check-out. A renewal
 * needs the service: offline the failure is API_UNREACHABLE. */
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

#endif
