/* The desk with and without the service (DESIGN.md section 4,
 * Offline). Every check-out, check-in and IDO question goes through the
 * journal (src/client/journal.h) first. Online it is appended as in flight
 * and sent at once; when the service cannot be reached (no connection, no
 * answer within request_timeout, a 5xx) the desk goes offline: from then on
 * each transaction is appended for the replay and shown as saved, and a
 * probe asks GET /health every few seconds. When the service answers, the
 * journal is replayed in order in the background (src/client/replay.h),
 * with its progress in the status line; what the service refuses on replay
 * waits on the queue screen (F8). A journal that cannot be written stops
 * the desk: outbox_fatal. */
#ifndef BALIE_OUTBOX_H
#define BALIE_OUTBOX_H

#include "client/api.h"
#include "client/config.h"
#include "client/journal.h"
#include "client/session.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct outbox;

/* How often an offline desk asks whether the service is back. */
enum { OUTBOX_PROBE_MS = 1000 };

/* Asks for the desk's attention (the bell) when the replay met a refusal;
 * the desk decides whether and how (balie.conf's bell). */
typedef void (*outbox_bell_fn)(void *ctx);

/*
 * Opens the journal (cfg's journal, by default
 * $XDG_STATE_HOME/balie/journal.db) for this desk, sending through api;
 * cfg and api are the caller's and outlive the outbox. session is the
 * desk's, read at each use; dirty is set when the status line changed; bell
 * (may be NULL) is called with bell_ctx. Returns NULL and sets *err
 * (allocated) when the journal cannot be opened.
 */
struct outbox *outbox_new(const struct config *cfg, struct api *api,
			  struct session_login *const *session, bool *dirty, outbox_bell_fn bell,
			  void *bell_ctx, char **err);
/* Stops the replay (its entry goes back to pending) and closes the journal. */
void outbox_free(struct outbox *o);

/* The journal, for the queue screen. */
struct journal *outbox_journal(struct outbox *o);

/* True while the desk works from its journal alone. */
bool outbox_down(const struct outbox *o);
/* Transactions in the journal not yet answered. */
size_t outbox_waiting(const struct outbox *o);
/* The replay's progress ("sending 3 of 20"); when none runs, the sentence
 * for entries of another staff member ("3 transactions of balie wait: let
 * balie log in"); or NULL. */
const char *outbox_progress(const struct outbox *o);
/* The user name of who is logged in, or NULL. */
const char *outbox_staff(const struct outbox *o);
/* What the queue screen lists for who is logged in (outbox_queue_shows):
 * the top line's "n refused" counts the same set. */
size_t outbox_refused(const struct outbox *o);
/* True when the queue screen lists e for who is logged in: the member's
 * own refusals (a volunteer with only the ido role: of IDO questions);
 * an administrator (beheer) sees every refusal, and every entry another
 * staff member left waiting, to mark it handled when it was dealt with
 * otherwise (it is then never sent). */
bool outbox_queue_shows(const struct outbox *o, const struct journal_entry *e);
/* The staff members other than who is logged in whose entries wait in the
 * journal (sent only when they log in), with how many each; *list (may be
 * NULL) is valid until the next count. */
size_t outbox_others(const struct outbox *o, const struct journal_staff_count **list);
/* The desk's sentence for c: "3 transactions of balie wait: let balie log
 * in" (allocated, translated). */
char *outbox_others_text_dup(const struct journal_staff_count *c);
/* When the journal failed: why (translated), and the desk must stop. */
const char *outbox_fatal(const struct outbox *o);

/* A staff member logged in: what a crash or an earlier session of the same
 * member left in the journal is sent now; only that member's entries. */
void outbox_logged_in(struct outbox *o);
/* Nobody is logged in any more: the replay stops, nothing more is sent. */
void outbox_logged_out(struct outbox *o);
/* The service could not be reached (a lookup or a health check). */
void outbox_unreachable(struct outbox *o);

/* Milliseconds until outbox_timers or outbox_dispatch has work (the probe,
 * an answer to deliver: 0); -1 none. */
long long outbox_next_ms(const struct outbox *o, long long now);
/* Probes the service when it is time. */
void outbox_timers(struct outbox *o, long long now);
/* Delivers the answers the outbox decided itself (saved in the journal,
 * the desk is offline, the journal failed, nobody logged in), in the order
 * of their calls, each to its done. The event loop calls it after
 * api_dispatch: such an answer never comes inside the call that asked. */
void outbox_dispatch(struct outbox *o);
/* Starts a run of the replay (after a retry from the queue screen). */
void outbox_kick(struct outbox *o);

/*
 * Journals a mutating request, with the staff member who is logged in, and
 * sends it, or keeps it for the replay. With nobody logged in nothing is
 * journaled: done gets a failure from outbox_dispatch.
 * Online (and with nothing older waiting) it is appended as in flight and
 * sent with its key: done gets the service's answer, and an answer that
 * means "no service" puts the entry back for the replay, takes the desk
 * offline and reaches done as outbox_reply_saved says. Offline it is
 * appended for the replay and done gets such a reply from outbox_dispatch.
 * body is not taken. When the journal fails, done gets a reply that is
 * neither, and outbox_fatal is set. done is never called inside this call.
 * Returns the request's id (never 0), for outbox_cancel.
 */
unsigned outbox_submit(struct outbox *o, const char *method, const char *path,
		       const cJSON *body, api_done_fn done, void *ctx);
/* The answer "the desk is offline" for a lookup, to done from
 * outbox_dispatch. Returns its id (never 0), for outbox_cancel. */
unsigned outbox_answer_offline(struct outbox *o, api_done_fn done, void *ctx);
/* Forgets a request of outbox_submit or outbox_answer_offline: a sent
 * entry goes back to pending, for the replay; done is not called. Any
 * other id is api_cancel'ed. */
void outbox_cancel(struct outbox *o, unsigned id);
/* True for the reply of a transaction that is safe in the journal and will
 * be sent when the service is back: the desk shows it as saved. */
bool outbox_reply_saved(const struct api_reply *reply);
/* The journal entry (its sequence number) of a saved reply, or 0: the
 * screen keeps it with the line it showed as saved. */
long long outbox_reply_seq(const struct api_reply *reply);

/* Called when the replay settled entry seq with the service's reply:
 * acknowledged, or refused (it waits on the queue screen), so that a line
 * shown as saved shows the outcome. */
typedef void (*outbox_settled_fn)(void *ctx, long long seq, bool acknowledged,
				  const struct api_reply *reply);
/* Sets the one listener (NULL: none). */
void outbox_on_settled(struct outbox *o, outbox_settled_fn fn, void *ctx);

#endif
