/* The desk with and without the service (DESIGN.md section 4, Offline;
 * issue 6). Every check-out, check-in and IDO question goes through the
 * journal (src/client/journal.h) first. Online it is appended as in flight
 * and sent at once; when the service cannot be reached (no connection, no
 * answer within request_timeout, a 5xx) the desk goes offline: from then on
 * each transaction is appended for the replay and shown as saved, and a
 * probe asks GET /health every few seconds. When the service answers, the
 * journal is replayed in order in the background (src/client/replay.h),
 * with its progress in the status line; what the service refuses on replay
 * waits on the queue screen (F8). A journal that cannot be written stops
 * the desk: app_offline_fatal. */
#ifndef BALIE_APP_OFFLINE_H
#define BALIE_APP_OFFLINE_H

#include "client/api.h"
#include "ui/app_setup.h"
#include "client/journal.h"
#include "client/session.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct app_offline;

/* How often an offline desk asks whether the service is back. */
enum { APP_OFFLINE_PROBE_MS = 1000 };

/*
 * Opens the journal (balie.conf's journal, by default
 * $XDG_STATE_HOME/balie/journal.db) for this desk. session is the app's,
 * read at each use; dirty is set when the status line changed. Returns NULL
 * and sets *err (allocated) when the journal cannot be opened.
 */
struct app_offline *app_offline_new(const struct app_setup *setup,
				    struct session_login *const *session, bool *dirty, char **err);
/* Stops the replay (its entry goes back to pending) and closes the journal. */
void app_offline_free(struct app_offline *o);

/* The journal, for the queue screen. */
struct journal *app_offline_journal(struct app_offline *o);

/* True while the desk works from its journal alone. */
bool app_offline_down(const struct app_offline *o);
/* Transactions in the journal not yet answered. */
size_t app_offline_waiting(const struct app_offline *o);
/* The replay's progress ("sending 3 of 20"); when none runs, the sentence
 * for entries of another staff member ("3 transactions of balie wait: let
 * balie log in"); or NULL. */
const char *app_offline_progress(const struct app_offline *o);
/* The user name of who is logged in, or NULL. */
const char *app_offline_staff(const struct app_offline *o);
/* What the queue screen lists for who is logged in (app_offline_queue_shows):
 * the top line's "n refused" counts the same set. */
size_t app_offline_refused(const struct app_offline *o);
/* True when the queue screen lists e for who is logged in: the member's
 * own refusals (a volunteer with only the ido role: of IDO questions);
 * an administrator (beheer) sees every refusal, and every entry another
 * staff member left waiting, to mark it handled when it was dealt with
 * otherwise (it is then never sent). */
bool app_offline_queue_shows(const struct app_offline *o, const struct journal_entry *e);
/* The staff members other than who is logged in whose entries wait in the
 * journal (sent only when they log in), with how many each; *list (may be
 * NULL) is valid until the next count. */
size_t app_offline_others(const struct app_offline *o, const struct journal_staff_count **list);
/* The desk's sentence for c: "3 transactions of balie wait: let balie log
 * in" (allocated, translated). */
char *app_offline_others_text_dup(const struct journal_staff_count *c);
/* When the journal failed: why (translated), and the desk must stop. */
const char *app_offline_fatal(const struct app_offline *o);

/* A staff member logged in: what a crash or an earlier session of the same
 * member left in the journal is sent now; only that member's entries. */
void app_offline_logged_in(struct app_offline *o);
/* Nobody is logged in any more: the replay stops, nothing more is sent. */
void app_offline_logged_out(struct app_offline *o);
/* The service could not be reached (a lookup or a health check). */
void app_offline_unreachable(struct app_offline *o);

/* Milliseconds until app_offline_timers has work (the probe); -1 none. */
long long app_offline_next_ms(const struct app_offline *o, long long now);
/* Probes the service when it is time. */
void app_offline_timers(struct app_offline *o, long long now);
/* Starts a run of the replay (after a retry from the queue screen). */
void app_offline_kick(struct app_offline *o);

/*
 * Journals a mutating request, with the staff member who is logged in, and
 * sends it, or keeps it for the replay. With nobody logged in nothing is
 * journaled: done gets a failure at once.
 * Online (and with nothing older waiting) it is appended as in flight and
 * sent with its key: done gets the service's answer, and an answer that
 * means "no service" puts the entry back for the replay, takes the desk
 * offline and reaches done as app_offline_reply_saved says. Offline it is
 * appended for the replay and done is called at once, inside this call, with
 * such a reply; then 0 is returned. body is not taken. When the journal
 * fails, done gets a reply that is neither, and app_offline_fatal is set.
 * Returns the api's request id, or 0 when done was called already.
 */
unsigned app_offline_submit(struct app_offline *o, const char *method, const char *path,
			    const cJSON *body, api_done_fn done, void *ctx);
/* Forgets a request of app_offline_submit: its entry goes back to pending,
 * for the replay; done is not called. Any other id is api_cancel'ed. */
void app_offline_cancel(struct app_offline *o, unsigned id);
/* True for the reply of a transaction that is safe in the journal and will
 * be sent when the service is back: the desk shows it as saved. */
bool app_offline_reply_saved(const struct api_reply *reply);
/* The reply a lookup gets at once while the desk is offline. */
void app_offline_reply_offline(struct api_reply *reply);
/* The journal entry (its sequence number) of a saved reply, or 0: the
 * screen keeps it with the line it showed as saved. */
long long app_offline_reply_seq(const struct api_reply *reply);

/* Called when the replay settled entry seq with the service's reply:
 * acknowledged, or refused (it waits on the queue screen), so that a line
 * shown as saved shows the outcome. */
typedef void (*app_offline_settled_fn)(void *ctx, long long seq, bool acknowledged,
				       const struct api_reply *reply);
/* Sets the one listener (NULL: none). */
void app_offline_on_settled(struct app_offline *o, app_offline_settled_fn fn, void *ctx);

#endif
