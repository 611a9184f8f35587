#include "replay.h"

#include "i18n.h"
#include "jsonx.h"
#include "log.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

struct replay {
	struct api *api;
	struct journal *journal;
	struct replay_hooks hooks;
	bool running;
	unsigned request;      /* the open request of the run, or 0 */
	long long seq;         /* its entry */
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

/* Cancels the open request of the run and gives its entry back to the
 * journal as pending: no answer came for it. */
static void drop_request(struct replay *r)
{
	if (!r->request)
		return;
	api_cancel(r->api, r->request);
	r->request = 0;
	char *err = NULL;
	if (!journal_mark_pending(r->journal, r->seq, &err)) {
		/* it stays "sent" by this process; once it has exited, the next
		 * run sends it again, which the key makes harmless */
		log_warn("journal entry %lld not put back: %s", r->seq, err);
		free(err);
	}
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

static void finish(struct replay *r, enum replay_end end, const char *why)
{
	r->running = false;
	if (r->hooks.finished)
		r->hooks.finished(r->hooks.ctx, end, why);
}

void replay_stop(struct replay *r)
{
	if (!r->running)
		return;
	drop_request(r);
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

static void on_answer(void *ctx, struct api_reply *reply)
{
	struct replay *r = ctx;
	r->request = 0;
	enum replay_verdict v;
	char *err = NULL;
	if (!replay_settle(r->journal, r->seq, reply, false, &v, &err)) {
		finish(r, REPLAY_END_JOURNAL, err);
		free(err);
		return;
	}
	switch (v) {
	case REPLAY_ACKNOWLEDGED:
		if (r->hooks.settled)
			r->hooks.settled(r->hooks.ctx, r->seq, true, reply);
		break;
	case REPLAY_REFUSED:
		if (r->hooks.refused) {
			struct journal_entry *e = NULL;
			if (journal_get(r->journal, r->seq, &e, NULL) && e)
				r->hooks.refused(r->hooks.ctx, e);
			journal_entry_free(e);
		}
		if (r->hooks.settled)
			r->hooks.settled(r->hooks.ctx, r->seq, false, reply);
		break;
	case REPLAY_UNREACHABLE:
		finish(r, REPLAY_END_UNREACHABLE, end_text(REPLAY_END_UNREACHABLE, reply));
		return;
	case REPLAY_BUSY:
		finish(r, REPLAY_END_BUSY, end_text(REPLAY_END_BUSY, reply));
		return;
	case REPLAY_FORBIDDEN:
		finish(r, REPLAY_END_FORBIDDEN, end_text(REPLAY_END_FORBIDDEN, reply));
		return;
	case REPLAY_UNAUTHORIZED:
		finish(r, REPLAY_END_UNAUTHORIZED, end_text(REPLAY_END_UNAUTHORIZED, reply));
		return;
	}
	r->done++;
	report_progress(r);
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
static bool refuse_unreadable(struct replay *r, struct journal_entry *e)
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

static void send_next(struct replay *r)
{
	for (;;) {
		struct journal_entry *e = NULL;
		char *err = NULL;
		switch (journal_claim_next(r->journal, &e, &err)) {
		case JOURNAL_NONE:
			finish(r, REPLAY_END_DONE, NULL);
			return;
		case JOURNAL_BUSY:
			finish(r, REPLAY_END_BUSY, end_text(REPLAY_END_BUSY, NULL));
			return;
		case JOURNAL_ERROR:
			finish(r, REPLAY_END_JOURNAL, err);
			free(err);
			return;
		case JOURNAL_CLAIMED:
			break;
		}
		count_new(r, e->seq);
		cJSON *body = jsonx_parse(e->body, strlen(e->body), NULL);
		if (!body) {
			bool go_on = refuse_unreadable(r, e);
			journal_entry_free(e);
			if (!go_on)
				return;
			continue;
		}
		r->seq = e->seq;
		r->request = api_start(r->api, e->method, e->path, body, e->key, on_answer, r);
		cJSON_Delete(body);
		journal_entry_free(e);
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
