#include "client/replay.h"

#include "client/journal_batch.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { REPLAY_BATCH = 64, REPLAY_FLUSH_MS = 250 };

struct replay {
	struct api *api;
	struct journal *journal;
	struct replay_hooks hooks;
	bool running;
	unsigned request;      /* the open request of the run (for batch[at]), or 0 */
	/* The entries claimed at once (journal_claim_batch), sent one after
	 * the other: batch[at] is the one in flight or next. Their answers
	 * wait in answers and are written together (flush): a few journal
	 * transactions per batch instead of two per entry. */
	struct journal_entry *batch[REPLAY_BATCH];
	size_t n_batch, at;
	struct journal_answer answers[REPLAY_BATCH];
	size_t n_answers;
	long long flushed_ms;  /* when answers were last written */
	unsigned probe;        /* the open probe, or 0 */
	bool probe_auto_start;
	size_t done, total;
	long long newest_seq;  /* the highest sequence counted in total */
};

struct replay *replay_new(struct api *api, struct journal *journal,
			  const struct replay_hooks *hooks)
{
	struct replay *r = xcalloc(1, sizeof *r);
	r->api = api;
	r->journal = journal;
	if (hooks)
		r->hooks = *hooks;
	return r;
}

static void forget_answers(struct replay *r)
{
	for (size_t i = 0; i < r->n_answers; i++) {
		free((char *)r->answers[i].answer);
	}
	r->n_answers = 0;
}

static void forget_batch(struct replay *r)
{
	for (size_t i = 0; i < r->n_batch; i++)
		journal_entry_free(r->batch[i]);
	r->n_batch = r->at = 0;
}

/* Writes the answers that wait and, with them, gives the claimed entries
 * not answered back to the journal as pending (when give_back). Calls no
 * hook. False (and *err) when the journal failed. */
static bool write_answers(struct replay *r, bool give_back, char **err)
{
	size_t n = r->n_answers;
	for (size_t i = r->at; give_back && i < r->n_batch; i++)
		r->answers[n++] = (struct journal_answer){ .seq = r->batch[i]->seq,
							   .state = JOURNAL_PENDING };
	bool ok = journal_settle_batch(r->journal, r->answers, n, err);
	if (give_back) {
		for (size_t i = r->at; i < r->n_batch; i++)
			journal_entry_free(r->batch[i]);
		r->n_batch = r->at;
	}
	return ok;
}

/* Cancels the open request of the run and gives the entries claimed and not
 * answered back to the journal as pending, writing the answers that came. */
static void drop_request(struct replay *r)
{
	if (r->request) {
		api_cancel(r->api, r->request);
		r->request = 0;
	}
	char *err = NULL;
	if (!write_answers(r, true, &err)) {
		/* they stay "sent" by this process; once it has exited, the next
		 * run sends them again, which the keys make harmless */
		log_warn("journal entries not put back: %s", err);
		free(err);
	}
	forget_answers(r);
	forget_batch(r);
}

void replay_free(struct replay *r)
{
	if (!r)
		return;
	drop_request(r);
	if (r->probe)
		api_cancel(r->api, r->probe);
	free(r);
}

bool replay_running(const struct replay *r)
{
	return r->running;
}

/* The hooks for the answers written (refused to the queue screen, each
 * settled), in their order; then they are forgotten. */
static void tell(struct replay *r)
{
	size_t n = r->n_answers;
	for (size_t i = 0; i < n; i++) {
		const struct journal_answer *a = &r->answers[i];
		bool acknowledged = a->state == JOURNAL_ACKNOWLEDGED;
		if (!acknowledged && r->hooks.refused) {
			struct journal_entry *e = NULL;
			if (journal_get(r->journal, a->seq, &e, NULL) && e)
				r->hooks.refused(r->hooks.ctx, e);
			journal_entry_free(e);
		}
		if (r->hooks.settled) {
			/* the answer again from its stored text: the api frees its
			 * own reply when the callback returns */
			const char *text = a->answer ? a->answer : "";
			struct api_reply *reply = api_reply_from_bytes(a->status, "application/json",
								      text, strlen(text));
			r->hooks.settled(r->hooks.ctx, a->seq, acknowledged, reply);
			api_reply_free(reply);
		}
	}
	forget_answers(r);
}

/* Ends the run: the answers that came are written and told, the entries
 * claimed and not answered go back to pending (not when the journal has
 * failed already: then nothing more is written). */
static void finish(struct replay *r, enum replay_end end, const char *why)
{
	if (r->request) {
		api_cancel(r->api, r->request);
		r->request = 0;
	}
	char *err = NULL;
	if (end != REPLAY_END_JOURNAL && !write_answers(r, true, &err)) {
		end = REPLAY_END_JOURNAL;
		why = err;
	}
	if (end == REPLAY_END_JOURNAL)
		forget_answers(r);
	else
		tell(r);
	forget_batch(r);
	r->running = false;
	if (r->hooks.finished)
		r->hooks.finished(r->hooks.ctx, end, why);
	free(err);
}

void replay_stop(struct replay *r)
{
	if (!r->running)
		return;
	finish(r, REPLAY_END_STOPPED, NULL);
}

enum replay_verdict replay_judge(const struct api_reply *reply)
{
	switch (reply->outcome) {
	case API_OK:
		return REPLAY_ACKNOWLEDGED;
	case API_UNREACHABLE:
	case API_BAD_ANSWER:
		return REPLAY_UNREACHABLE;
	case API_REFUSED:
		break;
	}
	if (reply->status == 401)
		return REPLAY_UNAUTHORIZED;
	if (reply->status == 429 ||
	    (reply->error_code && strcmp(reply->error_code, "request_in_progress") == 0))
		return REPLAY_BUSY;
	if (reply->status == 403) {
		const char *perm = jsonx_string(reply->error_details, "permission");
		if (perm && strcmp(perm, "offline") == 0)
			return REPLAY_FORBIDDEN;
	}
	if (reply->status >= 500) /* the api calls these unreachable; be safe */
		return REPLAY_UNREACHABLE;
	return REPLAY_REFUSED;
}

bool replay_settle(struct journal *journal, long long seq, const struct api_reply *reply,
		   bool online, enum replay_verdict *verdict, char **err)
{
	enum replay_verdict v = replay_judge(reply);
	if (verdict)
		*verdict = v;
	if (v != REPLAY_ACKNOWLEDGED && v != REPLAY_REFUSED)
		return journal_mark_pending(journal, seq, err);
	enum journal_state state = v == REPLAY_ACKNOWLEDGED ? JOURNAL_ACKNOWLEDGED
				   : online                 ? JOURNAL_HANDLED
							    : JOURNAL_REFUSED;
	char *answer = reply->body ? jsonx_print_dup(reply->body) : NULL;
	bool ok = journal_mark_answered(journal, seq, state, reply->status, answer, err);
	free(answer);
	return ok;
}

static void send_next(struct replay *r);

/* The sentence for the status line when a run ends early. */
static const char *end_text(enum replay_end end, const struct api_reply *reply)
{
	switch (end) {
	case REPLAY_END_UNREACHABLE:
		return reply ? api_reply_text(reply) : _("The service cannot be reached.");
	case REPLAY_END_BUSY:
		return _("The journal is being sent already; it is tried again shortly.");
	case REPLAY_END_FORBIDDEN:
		return _("This account may not send the offline journal; log in as a colleague "
			 "with the offline permission.");
	case REPLAY_END_UNAUTHORIZED:
		return _("The session has ended; log in again to send the journal.");
	case REPLAY_END_DONE:
	case REPLAY_END_JOURNAL:
	case REPLAY_END_STOPPED:
		break;
	}
	return NULL;
}

static void report_progress(struct replay *r)
{
	if (r->hooks.progress)
		r->hooks.progress(r->hooks.ctx, r->done, r->total);
}


/* Writes the answers that came and tells the desk; false when the journal
 * failed (the run has ended). */
static bool flush(struct replay *r)
{
	r->flushed_ms = clock_now_ms();
	if (r->n_answers == 0)
		return true;
	char *err = NULL;
	if (!write_answers(r, false, &err)) {
		finish(r, REPLAY_END_JOURNAL, err);
		free(err);
		return false;
	}
	tell(r);
	return true;
}

static enum replay_end end_of(enum replay_verdict v)
{
	switch (v) {
	case REPLAY_BUSY:
		return REPLAY_END_BUSY;
	case REPLAY_FORBIDDEN:
		return REPLAY_END_FORBIDDEN;
	case REPLAY_UNAUTHORIZED:
		return REPLAY_END_UNAUTHORIZED;
	case REPLAY_ACKNOWLEDGED:
	case REPLAY_REFUSED:
	case REPLAY_UNREACHABLE:
		break;
	}
	return REPLAY_END_UNREACHABLE;
}

static void on_answer(void *ctx, struct api_reply *reply)
{
	struct replay *r = ctx;
	r->request = 0;
	enum replay_verdict v = replay_judge(reply);
	if (v != REPLAY_ACKNOWLEDGED && v != REPLAY_REFUSED) {
		/* this entry and the rest of the batch go back to pending */
		enum replay_end end = end_of(v);
		finish(r, end, end_text(end, reply));
		return;
	}
	const struct journal_entry *e = r->batch[r->at++];
	r->answers[r->n_answers] = (struct journal_answer){
		.seq = e->seq,
		.state = v == REPLAY_ACKNOWLEDGED ? JOURNAL_ACKNOWLEDGED : JOURNAL_REFUSED,
		.status = reply->status,
		.answer = reply->body ? jsonx_print_dup(reply->body) : NULL,
	};
	r->n_answers++;
	r->done++;
	report_progress(r);
	/* Written when the batch is through, and at least every
	 * REPLAY_FLUSH_MS, so that a slow line still shows each outcome soon. */
	if ((r->at == r->n_batch || clock_now_ms() - r->flushed_ms >= REPLAY_FLUSH_MS) && !flush(r))
		return;
	send_next(r);
}

/* Counts entries appended since the run began into total. */
static void count_new(struct replay *r, long long seq)
{
	if (seq <= r->newest_seq)
		return;
	r->newest_seq = journal_last_seq(r->journal, NULL);
	long waiting = journal_count_waiting(r->journal, NULL);
	if (waiting >= 0 && r->done + (size_t)waiting > r->total)
		r->total = r->done + (size_t)waiting;
}

/* An entry whose stored body is not JSON cannot be sent as it was
 * journaled; it goes to the queue screen rather than vanish. */
static bool refuse_unreadable(struct replay *r, const struct journal_entry *e)
{
	char *err = NULL;
	log_error("journal entry %lld has a body that is not JSON", e->seq);
	if (!journal_mark_answered(r->journal, e->seq, JOURNAL_REFUSED, 0, NULL, &err)) {
		finish(r, REPLAY_END_JOURNAL, err);
		free(err);
		return false;
	}
	if (r->hooks.refused)
		r->hooks.refused(r->hooks.ctx, e);
	r->done++;
	report_progress(r);
	return true;
}

/* Claims the next batch; false when the run has ended (nothing waits, the
 * next entry is another process's, or the journal failed). */
static bool claim(struct replay *r)
{
	if (!flush(r))
		return false;
	forget_batch(r);
	char *err = NULL;
	size_t n = 0;
	switch (journal_claim_batch(r->journal, REPLAY_BATCH, r->batch, &n, &err)) {
	case JOURNAL_CLAIMED:
		r->n_batch = n;
		r->at = 0;
		return true;
	case JOURNAL_NONE:
		finish(r, REPLAY_END_DONE, NULL);
		break;
	case JOURNAL_BUSY:
		finish(r, REPLAY_END_BUSY, end_text(REPLAY_END_BUSY, NULL));
		break;
	case JOURNAL_ERROR:
		finish(r, REPLAY_END_JOURNAL, err);
		free(err);
		break;
	}
	return false;
}

static void send_next(struct replay *r)
{
	for (;;) {
		if (r->at == r->n_batch && !claim(r))
			return;
		const struct journal_entry *e = r->batch[r->at];
		count_new(r, e->seq);
		cJSON *body = jsonx_parse(e->body, strlen(e->body), NULL);
		if (!body) {
			r->at++;
			if (!refuse_unreadable(r, e))
				return;
			continue;
		}
		r->request = api_start(r->api, e->method, e->path, body, e->key, on_answer, r);
		cJSON_Delete(body);
		return;
	}
}

void replay_start(struct replay *r)
{
	if (r->running)
		return;
	r->running = true;
	r->done = 0;
	long waiting = journal_count_waiting(r->journal, NULL);
	r->total = waiting > 0 ? (size_t)waiting : 0;
	/* entries appended from now on are counted as they are claimed */
	r->newest_seq = journal_last_seq(r->journal, NULL);
	r->flushed_ms = clock_now_ms();
	send_next(r);
}

static void on_probe(void *ctx, struct api_reply *reply)
{
	struct replay *r = ctx;
	r->probe = 0;
	bool reachable = reply->outcome == API_OK;
	if (r->hooks.probed)
		r->hooks.probed(r->hooks.ctx, reachable);
	if (reachable && r->probe_auto_start)
		replay_start(r);
}

void replay_probe(struct replay *r, bool auto_start)
{
	r->probe_auto_start = auto_start;
	if (r->probe)
		return;
	r->probe = api_start(r->api, "GET", "/health", NULL, NULL, on_probe, r);
}
