#include "client/outbox.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "client/paths.h"
#include "client/replay.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The failure texts of the replies this module makes itself; a reply is
 * known by the pointer, never by the words. */
static const char saved_failure[] = "saved in the journal, to be sent later";
static const char offline_failure[] = "the desk is offline";
static const char journal_failure[] = "the journal could not be written";
static const char nobody_failure[] = "nobody is logged in";

#define FROM_WAITING_MASK (JOURNAL_MASK(JOURNAL_PENDING) | JOURNAL_MASK(JOURNAL_SENT))

/* A request sent online, until its answer is in the journal. */
struct submit {
	struct outbox *o;
	long long seq;
	unsigned id;
	api_done_fn done;
	void *ctx;
	struct submit *next;
};

/* An answer the outbox decided itself, waiting for outbox_dispatch. */
struct deferred {
	unsigned id;
	const char *failure; /* one of the failure texts above */
	long long seq;       /* saved_failure: the journal entry */
	api_done_fn done;
	void *ctx;
	struct deferred *next;
};

/* The ids of deferred answers lie above the api's own, so that
 * outbox_cancel tells them apart. */
#define OUTBOX_DEFERRED_ID 0x80000000u

struct outbox {
	const struct config *cfg;
	struct api *api;
	struct session_login *const *session;
	bool *dirty;
	outbox_bell_fn bell;
	void *bell_ctx;
	struct deferred *later, *later_tail; /* in the order of their calls */
	unsigned last_deferred;
	struct journal *journal;
	struct replay *replay;
	struct submit *open;   /* sent online, answer awaited */
	bool down;
	size_t waiting, refused;
	char *progress;
	/* What other staff members left waiting in the journal: it is sent
	 * only when they log in again, and the desk says so (others_text). */
	struct journal_staff_count *others;
	size_t n_others;
	char *others_text;
	char *fatal;
	long long counted_ms; /* when the replay's progress last counted the journal */
	long long next_probe;
	long long retry_at;    /* a run that found the journal busy runs again then; 0 none */
	outbox_settled_fn settled; /* the screens' listener, or NULL */
	void *settled_ctx;
	/* Entries this desk showed as saved and has not seen settled: another
	 * balie process on the same journal may send them, so the journal is
	 * read for them (watch_check) as well as the own replay's answers. */
	long long *watch;
	size_t n_watch, cap_watch;
	long long watch_at;    /* when watch_check runs next */
};

static void touch(struct outbox *o)
{
	if (o->dirty)
		*o->dirty = true;
}

static void fail(struct outbox *o, char *err)
{
	if (!o->fatal)
		o->fatal = err ? err : xstrdup(_("The journal could not be written."));
	else
		free(err);
	touch(o);
}

static void watch_add(struct outbox *o, long long seq)
{
	if (o->n_watch == o->cap_watch) {
		o->cap_watch = o->cap_watch ? 2 * o->cap_watch : 16;
		o->watch = xrealloc(o->watch, o->cap_watch * sizeof *o->watch);
	}
	o->watch[o->n_watch++] = seq;
}

static void watch_drop_at(struct outbox *o, size_t i)
{
	o->watch[i] = o->watch[--o->n_watch];
}

static void watch_drop(struct outbox *o, long long seq)
{
	for (size_t i = 0; i < o->n_watch; i++) {
		if (o->watch[i] == seq) {
			watch_drop_at(o, i);
			return;
		}
	}
}

/* The saved entries that were settled meanwhile, by whichever desk sent
 * them, reach the screens as the own replay's answers do. */
static void watch_check(struct outbox *o)
{
	for (size_t i = 0; i < o->n_watch;) {
		long long seq = o->watch[i];
		struct journal_entry *e = NULL;
		char *err = NULL;
		if (!journal_get(o->journal, seq, &e, &err)) {
			fail(o, err);
			return;
		}
		if (e && (e->state == JOURNAL_PENDING || e->state == JOURNAL_SENT)) {
			journal_entry_free(e);
			i++;
			continue;
		}
		watch_drop_at(o, i);
		if (e && o->settled) {
			const char *text = e->answer ? e->answer : "";
			struct api_reply *reply = api_reply_from_bytes(e->status, "application/json",
								      text, strlen(text));
			o->settled(o->settled_ctx, seq, e->state == JOURNAL_ACKNOWLEDGED, reply);
			api_reply_free(reply);
			touch(o);
		}
		journal_entry_free(e);
	}
}

/* The user name of who is logged in, or NULL. */
static const char *me(const struct outbox *o)
{
	return *o->session ? (*o->session)->username : NULL;
}

const char *outbox_staff(const struct outbox *o)
{
	return me(o);
}

/* A volunteer at the IDO only: the role that sees only its questions. */
static bool ido_only(const struct outbox *o)
{
	const struct session_login *s = *o->session;
	return s && session_has_role(s, "ido") && !session_has_role(s, "balie") &&
	       !session_has_role(s, "beheer");
}

static bool is_beheer(const struct outbox *o)
{
	return *o->session && session_has_role(*o->session, "beheer");
}

static bool is_waiting(enum journal_state s)
{
	return s == JOURNAL_PENDING || s == JOURNAL_SENT;
}

bool outbox_queue_shows(const struct outbox *o, const struct journal_entry *e)
{
	const char *user = me(o);
	if (!user)
		return false;
	bool mine = strcmp(e->staff, user) == 0;
	if (e->state == JOURNAL_REFUSED)
		return is_beheer(o) ||
		       (mine && (!ido_only(o) || e->kind == JOURNAL_KIND_IDO_QUESTION));
	return is_waiting(e->state) && !mine && is_beheer(o);
}

char *outbox_others_text_dup(const struct journal_staff_count *c)
{
	unsigned long n = (unsigned long)c->n;
	if (!c->staff[0])
		/* TRANSLATORS: entries of an old journal that name nobody */
		return xasprintf(P_("%ld transaction without a staff member waits: "
				    "an administrator resolves it (F8)",
				    "%ld transactions without a staff member wait: "
				    "an administrator resolves them (F8)", n),
				 c->n);
	/* TRANSLATORS: %ld transactions of user %s wait; let %s log in to send them */
	return xasprintf(P_("%ld transaction of %s waits: let %s log in",
			    "%ld transactions of %s wait: let %s log in", n),
			 c->n, c->staff, c->staff);
}

/* What waits for other staff members than who is logged in (everyone's,
 * before anyone is). */
static bool count_others(struct outbox *o, char **err)
{
	struct journal_staff_count *all = NULL;
	size_t n = 0;
	if (!journal_waiting_by_staff_dup(o->journal, &all, &n, err))
		return false;
	const char *user = me(o);
	journal_staff_counts_free(o->others, o->n_others);
	o->others = NULL;
	o->n_others = 0;
	for (size_t i = 0; i < n; i++) {
		if (user && strcmp(all[i].staff, user) == 0) {
			free(all[i].staff);
			continue;
		}
		all[o->n_others++] = all[i];
	}
	o->others = all;
	if (o->n_others == 0) {
		free(all);
		o->others = NULL;
	}
	free(o->others_text);
	/* an administrator has them counted and listed on the queue screen */
	o->others_text = user && o->n_others && !is_beheer(o)
				 ? outbox_others_text_dup(&o->others[0])
				 : NULL;
	return true;
}

/* The refusals the queue screen lists for who is logged in, counted as
 * outbox_queue_shows chooses them, so that the top line and the
 * queue screen count one set. */
static long count_queue(struct outbox *o, char **err)
{
	const char *user = me(o);
	if (!user)
		return 0;
	if (is_beheer(o)) {
		long r = journal_count_for(o->journal, JOURNAL_MASK(JOURNAL_REFUSED), NULL, NULL, err);
		for (size_t i = 0; r >= 0 && i < o->n_others; i++)
			r += o->others[i].n;
		return r;
	}
	return journal_count_for(o->journal, JOURNAL_MASK(JOURNAL_REFUSED), user,
				 ido_only(o) ? "/ido/questions" : NULL, err);
}

/* The counts of the status line, from the journal (shared with other desks):
 * what waits of who is logged in (of anyone before a log-in), and what the
 * queue screen lists. */
static void recount(struct outbox *o)
{
	/* offline, nobody on this host settles anything */
	if (!o->down)
		watch_check(o);
	if (o->fatal)
		return;
	char *err = NULL;
	long w = journal_count_for(o->journal, FROM_WAITING_MASK, me(o), NULL, &err);
	long r = w < 0 || !count_others(o, &err) ? -1 : count_queue(o, &err);
	if (w < 0 || r < 0) {
		fail(o, err);
		return;
	}
	o->waiting = (size_t)w;
	o->refused = (size_t)r;
	touch(o);
}


static void go_down(struct outbox *o)
{
	if (!o->down)
		o->next_probe = clock_now_ms() + OUTBOX_PROBE_MS;
	o->down = true;
	touch(o);
}

/* ---- the replay's hooks ---- */

enum { OUTBOX_COUNT_MS = 200, OUTBOX_WATCH_MS = 1000 };

static void on_progress(void *ctx, size_t done, size_t total)
{
	struct outbox *o = ctx;
	free(o->progress);
	/* TRANSLATORS: the status line while the journal is sent: done of total */
	o->progress = xasprintf(_("sending %zu of %zu"), done, total);
	/* Counting the journal after each of thousands of answers would cost
	 * more than sending them; the status line is read, not raced. The
	 * end of the run counts again (on_finished). */
	long long now = clock_now_ms();
	if (now - o->counted_ms >= OUTBOX_COUNT_MS || done == total) {
		o->counted_ms = now;
		recount(o);
	} else {
		touch(o);
	}
}

static void on_refused(void *ctx, const struct journal_entry *e)
{
	struct outbox *o = ctx;
	(void)e;
	if (o->bell)
		o->bell(o->bell_ctx);
	recount(o);
}

static void on_settled(void *ctx, long long seq, bool acknowledged,
		       const struct api_reply *reply)
{
	struct outbox *o = ctx;
	watch_drop(o, seq);
	if (o->settled)
		o->settled(o->settled_ctx, seq, acknowledged, reply);
	touch(o);
}

static void on_finished(void *ctx, enum replay_end end, const char *why)
{
	struct outbox *o = ctx;
	free(o->progress);
	o->progress = NULL;
	o->retry_at = 0;
	switch (end) {
	case REPLAY_END_DONE:
		o->down = false;
		break;
	case REPLAY_END_UNREACHABLE:
		go_down(o);
		break;
	case REPLAY_END_BUSY:
		/* Another desk on this journal has the oldest entry in flight, or
		 * the service asked to wait: the service is there, so the desk
		 * does not say OFFLINE; it says why it waits and tries again. */
		o->down = false;
		o->retry_at = clock_now_ms() + OUTBOX_PROBE_MS;
		/* TRANSLATORS: the status line, short: another desk on this
		 * journal (or the service) is busy with the oldest entry */
		o->progress = xstrdup(_("journal busy, trying again"));
		break;
	case REPLAY_END_JOURNAL:
		fail(o, xstrdup(why ? why : _("The journal could not be written.")));
		return;
	case REPLAY_END_FORBIDDEN:
	case REPLAY_END_UNAUTHORIZED:
		/* Nothing more is sent until someone who may logs in. */
		if (why)
			o->progress = xstrdup(why);
		break;
	case REPLAY_END_STOPPED:
		break;
	}
	recount(o);
}

static void on_probed(void *ctx, bool reachable)
{
	struct outbox *o = ctx;
	/* Another desk on this journal may have saved or sent entries since:
	 * the count is read again at each probe, so that the status line
	 * says what waits in the file, not only what this desk did. */
	recount(o);
	if (reachable && !replay_running(o->replay) && o->waiting == 0)
		o->down = false;
	touch(o);
}

/* ---- life ---- */

struct outbox *outbox_new(const struct config *cfg, struct api *api,
			  struct session_login *const *session, bool *dirty, outbox_bell_fn bell,
			  void *bell_ctx, char **err)
{
	char *path = cfg->journal ? paths_expand_dup(cfg->journal)
				  : paths_app_file_dup(PATHS_STATE, "journal.db", true, err);
	if (!path)
		return NULL;
	struct journal *j = journal_open(path, cfg->terminal ? cfg->terminal : "", err);
	free(path);
	if (!j)
		return NULL;
	struct outbox *o = xcalloc(1, sizeof *o);
	o->cfg = cfg;
	o->api = api;
	o->session = session;
	o->dirty = dirty;
	o->bell = bell;
	o->bell_ctx = bell_ctx;
	o->journal = j;
	journal_claim_for(j, NULL); /* nothing is sent before someone logs in */
	o->replay = replay_new(api, j,
			       &(struct replay_hooks){ .ctx = o, .progress = on_progress,
						       .refused = on_refused,
						       .settled = on_settled,
						       .finished = on_finished,
						       .probed = on_probed });
	recount(o);
	return o;
}

void outbox_free(struct outbox *o)
{
	if (!o)
		return;
	replay_free(o->replay);
	while (o->open) {
		struct submit *s = o->open;
		o->open = s->next;
		api_cancel(o->api, s->id);
		char *err = NULL;
		if (!journal_mark_pending(o->journal, s->seq, &err))
			free(err);
		free(s);
	}
	while (o->later) {
		struct deferred *d = o->later;
		o->later = d->next;
		free(d);
	}
	journal_close(o->journal);
	free(o->watch);
	free(o->progress);
	free(o->fatal);
	journal_staff_counts_free(o->others, o->n_others);
	free(o->others_text);
	free(o);
}

struct journal *outbox_journal(struct outbox *o)
{
	return o->journal;
}

bool outbox_down(const struct outbox *o)
{
	return o->down;
}

size_t outbox_waiting(const struct outbox *o)
{
	return o->waiting;
}

const char *outbox_progress(const struct outbox *o)
{
	return o->progress ? o->progress : o->others_text;
}

size_t outbox_others(const struct outbox *o, const struct journal_staff_count **list)
{
	if (list)
		*list = o->others;
	return o->n_others;
}

size_t outbox_refused(const struct outbox *o)
{
	return o->refused;
}

const char *outbox_fatal(const struct outbox *o)
{
	return o->fatal;
}

void outbox_logged_in(struct outbox *o)
{
	journal_claim_for(o->journal, me(o));
	recount(o);
	if (o->waiting > 0)
		replay_start(o->replay);
}

void outbox_logged_out(struct outbox *o)
{
	replay_stop(o->replay);
	journal_claim_for(o->journal, NULL);
	recount(o);
}

void outbox_unreachable(struct outbox *o)
{
	go_down(o);
}

void outbox_kick(struct outbox *o)
{
	recount(o);
	if (*o->session && !o->down)
		replay_start(o->replay);
}

long long outbox_next_ms(const struct outbox *o, long long now)
{
	if (o->later)
		return 0;
	long long next = o->down ? o->next_probe : o->retry_at > 0 ? o->retry_at : -1;
	if (!o->down && o->n_watch > 0 && (next < 0 || o->watch_at < next))
		next = o->watch_at;
	if (next < 0)
		return -1;
	return next > now ? next - now : 0;
}

void outbox_timers(struct outbox *o, long long now)
{
	if (!o->down && o->n_watch > 0 && now >= o->watch_at) {
		o->watch_at = now + OUTBOX_WATCH_MS;
		recount(o);
	}
	if (!o->down && o->retry_at > 0 && now >= o->retry_at) {
		o->retry_at = 0;
		if (*o->session)
			replay_start(o->replay);
		return;
	}
	if (!o->down || now < o->next_probe)
		return;
	o->next_probe = now + OUTBOX_PROBE_MS;
	/* Only a logged-in desk has a token to send the journal with. */
	replay_probe(o->replay, *o->session != NULL);
}

/* ---- sending through the journal ---- */

bool outbox_reply_saved(const struct api_reply *reply)
{
	return reply && reply->outcome == API_UNREACHABLE && reply->failure == saved_failure;
}

/* The body carries the entry's sequence number (outbox_reply_seq). */
static void call_saved(struct outbox *o, api_done_fn done, void *ctx, long long seq)
{
	watch_add(o, seq);
	struct api_reply r = { .outcome = API_UNREACHABLE, .failure = saved_failure,
			       .body = cJSON_CreateObject() };
	cJSON_AddNumberToObject(r.body, "journal_seq", (double)seq);
	done(ctx, &r);
	cJSON_Delete(r.body);
}

/* Keeps an answer for outbox_dispatch; returns its id. */
static unsigned defer(struct outbox *o, const char *failure, long long seq, api_done_fn done,
		      void *ctx)
{
	struct deferred *d = xcalloc(1, sizeof *d);
	o->last_deferred = (o->last_deferred + 1) & ~OUTBOX_DEFERRED_ID;
	*d = (struct deferred){ .id = OUTBOX_DEFERRED_ID | o->last_deferred, .failure = failure,
				.seq = seq, .done = done, .ctx = ctx };
	if (o->later_tail)
		o->later_tail->next = d;
	else
		o->later = d;
	o->later_tail = d;
	return d->id;
}

static bool forget_deferred(struct outbox *o, unsigned id)
{
	struct deferred *prev = NULL;
	for (struct deferred *d = o->later; d; prev = d, d = d->next) {
		if (d->id != id)
			continue;
		if (prev)
			prev->next = d->next;
		else
			o->later = d->next;
		if (o->later_tail == d)
			o->later_tail = prev;
		free(d);
		return true;
	}
	return false;
}

void outbox_dispatch(struct outbox *o)
{
	/* A done may call again (the scan queue sends its next): that answer
	 * is delivered in this run too, after those before it. */
	while (o->later) {
		struct deferred *d = o->later;
		o->later = d->next;
		if (!o->later)
			o->later_tail = NULL;
		if (d->failure == saved_failure) {
			call_saved(o, d->done, d->ctx, d->seq);
		} else {
			struct api_reply r = { .outcome = API_UNREACHABLE, .failure = d->failure };
			d->done(d->ctx, &r);
		}
		free(d);
	}
}

unsigned outbox_answer_offline(struct outbox *o, api_done_fn done, void *ctx)
{
	return defer(o, offline_failure, 0, done, ctx);
}

long long outbox_reply_seq(const struct api_reply *reply)
{
	if (!outbox_reply_saved(reply) || !reply->body)
		return 0;
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(reply->body, "journal_seq");
	return cJSON_IsNumber(n) ? (long long)n->valuedouble : 0;
}

void outbox_on_settled(struct outbox *o, outbox_settled_fn fn, void *ctx)
{
	o->settled = fn;
	o->settled_ctx = ctx;
}

static void forget_submit(struct outbox *o, struct submit *s)
{
	for (struct submit **p = &o->open; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	free(s);
}

static void on_answer(void *ctx, struct api_reply *reply)
{
	struct submit *s = ctx;
	struct outbox *o = s->o;
	api_done_fn done = s->done;
	void *dctx = s->ctx;
	long long seq = s->seq;
	forget_submit(o, s);
	enum replay_verdict v;
	char *err = NULL;
	if (!replay_settle(o->journal, seq, reply, true, &v, &err)) {
		fail(o, err);
		struct api_reply r = { .outcome = API_UNREACHABLE, .failure = journal_failure };
		done(dctx, &r);
		return;
	}
	if (v == REPLAY_UNREACHABLE || v == REPLAY_BUSY) {
		go_down(o);
		recount(o);
		call_saved(o, done, dctx, seq);
		return;
	}
	if (v == REPLAY_FORBIDDEN || v == REPLAY_UNAUTHORIZED) {
		/* Back to pending: the replay sends it once someone may. */
		recount(o);
		call_saved(o, done, dctx, seq);
		return;
	}
	done(dctx, reply);
}

unsigned outbox_submit(struct outbox *o, const char *method, const char *path,
		       const cJSON *body, api_done_fn done, void *ctx)
{
	if (o->fatal)
		return defer(o, journal_failure, 0, done, ctx);
	const char *staff = me(o);
	if (!staff)
		/* no entry without its staff member: nothing is journaled or sent */
		return defer(o, nobody_failure, 0, done, ctx);
	/* Online only when nothing older of this staff member waits, so that
	 * the order holds. */
	bool online = !o->down && !replay_running(o->replay) && o->waiting == 0;
	struct journal_entry *e = NULL;
	char *err = NULL;
	if (!journal_append(o->journal, online ? JOURNAL_ONLINE : JOURNAL_OFFLINE, staff, method,
			    path, body, NULL, &e, &err)) {
		fail(o, err);
		return defer(o, journal_failure, 0, done, ctx);
	}
	if (!online) {
		long long seq = e->seq;
		journal_entry_free(e);
		recount(o);
		if (*o->session && !o->down)
			replay_start(o->replay);
		return defer(o, saved_failure, seq, done, ctx);
	}
	/* The bytes the journal holds are the bytes sent, now and on any resend. */
	cJSON *sent = cJSON_Parse(e->body);
	struct submit *s = xcalloc(1, sizeof *s);
	*s = (struct submit){ .o = o, .seq = e->seq, .done = done, .ctx = ctx, .next = o->open };
	o->open = s;
	s->id = api_start(o->api, method, path, sent, e->key, on_answer, s);
	cJSON_Delete(sent);
	journal_entry_free(e);
	return s->id;
}

void outbox_cancel(struct outbox *o, unsigned id)
{
	/* a saved entry stays pending in the journal: only its answer goes */
	if ((id & OUTBOX_DEFERRED_ID) && forget_deferred(o, id))
		return;
	for (struct submit *s = o->open; s; s = s->next) {
		if (s->id != id)
			continue;
		api_cancel(o->api, id);
		char *err = NULL;
		if (!journal_mark_pending(o->journal, s->seq, &err))
			fail(o, err);
		forget_submit(o, s);
		recount(o);
		return;
	}
	api_cancel(o->api, id);
}
