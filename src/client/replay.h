/*
 * Replaying the journal (journal.h) to the service, in the background
 * (DESIGN.md section 4, Offline).
 *
 * A replay sends the waiting entries one at a time in sequence order
 * through the api's event loop (api_start; never blocking), each with its
 * own Idempotency-Key and its body exactly as journaled (an offline entry's
 * body already holds "occurred_at" and "offline": true). Per answer:
 *   2xx, or the stored answer of a repeated key   -> acknowledged, go on
 *   4xx refusing the transaction                  -> refused (kept with the
 *        answer for the queue screen), go on with the next
 *   no connection, no answer in time, 5xx, an answer that is not the
 *        protocol                                  -> back to pending; the run
 *        ends with REPLAY_END_UNREACHABLE (the desk goes offline)
 *   401 (the session ended), 403 naming the permission "offline", 409
 *        request_in_progress, 429 rate_limited     -> back to pending; the run
 *        ends (see enum replay_end), nothing is marked refused
 *
 * Crash recovery is the same run: on start-up the desk starts a replay, and
 * entries left pending or sent by a process that died are sent again with
 * their own keys; the service's idempotency store answers a repeat.
 *
 * While a run is going on, or while entries wait, the desk appends new
 * transactions with JOURNAL_OFFLINE and calls replay_start (which does
 * nothing when a run is going on: the run picks them up), so that the order
 * of transactions on one item is kept.
 */
#ifndef BALIE_REPLAY_H
#define BALIE_REPLAY_H

#include "client/api.h"
#include "client/journal.h"

#include <stdbool.h>
#include <stddef.h>

enum replay_end {
	REPLAY_END_DONE,         /* nothing waits any more */
	REPLAY_END_UNREACHABLE,  /* no connection, timeout or 5xx: go offline, probe */
	REPLAY_END_BUSY,         /* 409 request_in_progress, 429, or the next entry is
				  * in flight from another balie process: try again later */
	REPLAY_END_FORBIDDEN,    /* 403: this account lacks the "offline" permission */
	REPLAY_END_UNAUTHORIZED, /* 401: the session ended; log in again, then start */
	REPLAY_END_JOURNAL,      /* the journal failed: the desk must stop (why says why) */
	REPLAY_END_STOPPED,      /* replay_stop or replay_free */
};

struct replay_hooks {
	void *ctx;
	/* After each entry is settled: done of total in this run (total grows
	 * when entries are appended during the run). May be NULL. */
	void (*progress)(void *ctx, size_t done, size_t total);
	/* An entry was refused on replay; it now waits on the queue screen.
	 * May be NULL. The entry is freed after the call. */
	void (*refused)(void *ctx, const struct journal_entry *e);
	/* Entry seq was settled on replay with reply: acknowledged (true) or
	 * refused (false, after refused). A desk that showed it as saved shows
	 * the outcome now. May be NULL. */
	void (*settled)(void *ctx, long long seq, bool acknowledged,
			const struct api_reply *reply);
	/* The run ended. why is a translated sentence for the status line (NULL
	 * for REPLAY_END_DONE and REPLAY_END_STOPPED). May be NULL. */
	void (*finished)(void *ctx, enum replay_end end, const char *why);
	/* The answer of replay_probe: reachable is true when GET /health
	 * answered 2xx. May be NULL. */
	void (*probed)(void *ctx, bool reachable);
};

/* Neither api nor journal is taken; both must outlive the replay. hooks is
 * copied; a hook must not free the replay (free it after api_dispatch
 * returns). Free with replay_free (which cancels an open request and puts its
 * entry back to pending, without calling finished). */
struct replay *replay_new(struct api *api, struct journal *journal,
			  const struct replay_hooks *hooks);
void replay_free(struct replay *r);

/*
 * Starts a run (asynchronous: the answers come through api_dispatch). Does
 * nothing when a run is going on. When nothing waits the run ends at once,
 * inside this call, with finished(REPLAY_END_DONE).
 */
void replay_start(struct replay *r);
/* Ends a run: the open request is cancelled and its entry goes back to
 * pending; finished(REPLAY_END_STOPPED) is called. */
void replay_stop(struct replay *r);
bool replay_running(const struct replay *r);

/* Sends GET /health (asynchronous) and calls hooks->probed with the
 * outcome. Does nothing while a probe is open. When auto_start is true and
 * the service answered, a run is started too. */
void replay_probe(struct replay *r, bool auto_start);

/* What the desk does with an answer, the rules above in one place: the
 * online path (send right after journal_append with JOURNAL_ONLINE) uses it
 * as well. */
enum replay_verdict {
	REPLAY_ACKNOWLEDGED, /* 2xx */
	REPLAY_REFUSED,      /* a 4xx refusing this transaction */
	REPLAY_UNREACHABLE,  /* send again later; the desk goes offline */
	REPLAY_BUSY,         /* send again a little later */
	REPLAY_FORBIDDEN,    /* 403 for the "offline" permission */
	REPLAY_UNAUTHORIZED, /* 401 */
};
enum replay_verdict replay_judge(const struct api_reply *reply);

/*
 * Records reply for entry seq in the journal by its verdict (returned in
 * *verdict when not NULL): acknowledged; refused (online false: to the
 * queue screen) or handled (online true: the desk shows the refusal itself,
 * nothing waits); anything else back to pending. The answer stored is the
 * reply's body as JSON text. False with *err when the journal failed: the
 * desk must stop.
 */
bool replay_settle(struct journal *journal, long long seq, const struct api_reply *reply,
		   bool online, enum replay_verdict *verdict, char **err);

#endif
