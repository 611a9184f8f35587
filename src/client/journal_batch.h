/* The replay's side of the journal (client/journal.h): claiming the
 * waiting entries of the claimant in order, in batches, and settling them
 * with the service's answers, many in one transaction. Marks made here are
 * written without an fsync of their own (client/journal.h says why). */
#ifndef BALIE_JOURNAL_BATCH_H
#define BALIE_JOURNAL_BATCH_H

#include "client/journal.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Records the service's answer to entry seq: state is JOURNAL_ACKNOWLEDGED
 * (a 2xx), JOURNAL_REFUSED (a 4xx on replay: to the queue screen) or
 * JOURNAL_HANDLED (a 4xx the desk has shown online, so nothing waits).
 * answer (JSON text) may be NULL. An acknowledged entry stays acknowledged
 * (a second answer is ignored, true); other illegal moves are errors.
 */
bool journal_mark_answered(struct journal *j, long long seq, enum journal_state state,
			   long status, const char *answer, char **err);

/*
 * The replay's answers to several entries in one transaction, in order (a
 * crash loses none of the service's work: an entry whose answer was not
 * written is sent again under its key). state is JOURNAL_ACKNOWLEDGED,
 * JOURNAL_REFUSED or JOURNAL_HANDLED with status and answer (JSON text,
 * may be NULL) as journal_mark_answered takes them, or JOURNAL_PENDING:
 * no answer came, send it again. All or none are written.
 */
struct journal_answer {
	long long seq;
	enum journal_state state;
	long status;
	const char *answer;
};
bool journal_settle_batch(struct journal *j, const struct journal_answer *answers, size_t n,
			  char **err);

enum journal_claim {
	JOURNAL_CLAIMED, /* *out is the entry, now sent and owned by this process */
	JOURNAL_NONE,    /* nothing waits */
	JOURNAL_BUSY,    /* the first entry waiting is in flight from another live process */
	JOURNAL_ERROR,   /* *err is set */
};

/*
 * For the replay: claims the waiting entry with the lowest sequence (pending,
 * or sent by a process that no longer runs) of the claimant (journal_claim_for) by marking it sent, owned by
 * this process, one more attempt. Keeps the order: when the lowest waiting
 * entry is in flight from another live process, nothing is claimed.
 */
enum journal_claim journal_claim_next(struct journal *j, struct journal_entry **out, char **err);

/*
 * journal_claim_next for up to max entries at once, in one transaction:
 * out (room for max) gets the first waiting entries in sequence order,
 * *n of them, up to the first that is in flight from a live process.
 * JOURNAL_CLAIMED when *n > 0; JOURNAL_BUSY when the very first waiting
 * entry is in flight. Free each entry with journal_entry_free.
 */
enum journal_claim journal_claim_batch(struct journal *j, size_t max, struct journal_entry **out,
				       size_t *n, char **err);

#endif
