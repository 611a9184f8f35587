/* Notices to patrons: the outbox (DESIGN.md section 8, the hold-ready notice
 * by e-mail). A notice is written into the outbox in the transaction that
 * changes what it tells about, so a rollback takes the notice with it and a
 * commit keeps both; the sender (mail/sender.h) takes due rows out later.
 * The text is the library's, in Dutch, whatever the locale of balied or of a
 * desk: the patrons are told in Dutch. */
#ifndef BALIED_NOTICES_H
#define BALIED_NOTICES_H

#include "service/store/store.h"

#include <stdbool.h>
#include <time.h>

/*
 * Writes the notice that hold_id is ready, inside the caller's transaction,
 * with the title of its item, the name of its pickup branch and its pickup_by
 * date (which the hold must have by now). A patron without an e-mail address
 * gets no row: the hold is on the to-phone list instead. False (logged, no
 * personal data) when the store fails.
 */
bool notices_hold_ready(struct store *store, long long hold_id, time_t now);

/* One notice taken from the outbox to be sent. */
struct notice {
	long long id;
	char *to, *subject, *body; /* allocated: free with notice_clear */
	long long created_at;
	unsigned attempts;         /* with this one */
};
void notice_clear(struct notice *n);

/*
 * Takes the oldest due notice (not sent, next_attempt_at at or before now)
 * in a transaction of its own, counts the attempt and sets its next attempt
 * to now + the back-off (retry_seconds, doubling with each attempt, at most
 * an hour), before anything is sent: a sender that dies while sending tries
 * again only after that. Returns 1 and fills out, 0 when none is due, -1 when
 * the store fails (logged).
 */
int notices_take_due(struct store *store, time_t now, unsigned retry_seconds, struct notice *out);
/* The mail server accepted notice id. */
bool notices_mark_sent(struct store *store, long long id, time_t now);
/* Sending failed with error (no personal data: curl's message); the notice
 * waits for its next attempt. */
bool notices_mark_failed(struct store *store, long long id, const char *error);
/* The next moment a notice is due, or 0 when none waits; -1 when the store fails. */
long long notices_next_due(struct store *store);
/* How many notices wait to be sent; -1 when the store fails. */
long long notices_waiting(struct store *store);

/* A ready hold whose patron has no e-mail address: the desk phones them. */
struct notice_phone {
	const char *card, *given_name, *family_name, *phone; /* phone may be NULL */
	const char *title, *pickup_branch, *pickup_by;
	long long hold_id;
};
typedef void (*notices_phone_fn)(void *ctx, const struct notice_phone *row);

/*
 * Calls fn for each ready hold with pickup branch branch (NULL: every
 * branch) whose patron has no e-mail address and no notice was written for,
 * ordered by pickup_by, then by hold. The row is valid during the call only.
 * False when the store fails (logged).
 */
bool notices_to_phone(struct store *store, const char *branch, notices_phone_fn fn, void *ctx);

#endif
