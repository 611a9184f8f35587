/* balie killed with SIGKILL at random moments: the real desk in a
 * pseudo-terminal, against a balied of the test's own, scans check-outs and
 * check-ins, online and offline (balied killed after the desk logged in,
 * and started again on the same database after the desk died); at a random moment it is killed
 * and started again, at least 200 times within a time bound. At the end one
 * more desk sends what is left, and then:
 *   - every transaction the desk showed as saved (SAVED, a due date, a
 *     route) is in the journal exactly once and acknowledged by the service;
 *   - no transaction is in the journal twice (each scan is typed once);
 *   - the service applied exactly as many check-outs and check-ins as the
 *     journal has acknowledged (its loan statistics count each one).
 * CRASH_SECONDS (default 180) bounds the loop, CRASH_MIN_CYCLES (default
 * 200) is the least number of cycles; the figures are printed as
 * diagnostics. */
#include "desk.h"
#include "client/journal.h"
#include "offsvc.h"
#include "tap.h"
#include "tuienv.h"
#include "vt.h"
#include "core/clock.h"
#include "core/xalloc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MIN_CYCLES = 200, MAX_ITEMS = 420, MAX_CARDS = 24, START_MS = 30000, STEP_MS = 10000 };

enum item_state { FREE, OUT_TYPED, IN_TYPED };

struct item {
	char code[15];
	enum item_state state;
	bool out_shown, in_shown;
};

struct world {
	struct offsvc *svc;
	char *home;
	char **envp;
	struct item items[MAX_ITEMS];
	size_t n_items;
	char cards[MAX_CARDS][15];
	size_t n_cards;
	unsigned seed;
	size_t next_card;
};

static unsigned rnd(struct world *w, unsigned n)
{
	w->seed = w->seed * 1103515245u + 12345u;
	return (w->seed >> 16) % n;
}

static bool setup(struct world *w)
{
	char *err = NULL;
	w->home = tuienv_home_new(&err);
	if (!w->home) {
		diag("%s", err);
		free(err);
		return false;
	}
	char *conf = xasprintf("branch = CEN\n%srequest_timeout = 2000\nidle_lock = 0\n",
			       offsvc_server_conf(w->svc));
	bool good = tuienv_write(w->home, ".config/balie/balie.conf", conf, &err);
	free(conf);
	if (!good) {
		diag("%s", err);
		free(err);
		return false;
	}
	w->envp = tuienv_envp_new(&(struct tuienv_opts){.home = w->home, .lang = "C.UTF-8"});
	w->n_cards = offsvc_pick_patrons(w->svc, false, w->cards, MAX_CARDS);
	char codes[MAX_ITEMS][15];
	w->n_items = offsvc_pick(w->svc,
		"SELECT i.barcode AS x FROM items i WHERE i.status = 'available'"
		" AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.status IN ('waiting', 'in_transit', 'ready')"
		" AND (h.item_id = i.id OR h.title_id = i.title_id))"
		" ORDER BY i.id",
		codes, MAX_ITEMS);
	for (size_t i = 0; i < w->n_items; i++)
		memcpy(w->items[i].code, codes[i], 15);
	return w->n_cards >= 4 && w->n_items >= 100;
}

static struct vt *desk_up(struct world *w)
{
	const char *argv[] = {tuienv_balie(), NULL};
	char *err = NULL;
	struct vt *vt = vt_spawn(&(struct vt_spawn){.argv = argv, .envp = w->envp}, &err);
	if (!vt) {
		diag("balie: %s", err);
		free(err);
		return NULL;
	}
	if (!vt_wait_text(vt, "beheer", START_MS) || !vt_send(vt, "balie") || !vt_key(vt, "Tab") ||
	    !vt_send(vt, "oefenen") || !vt_key(vt, "Enter")) {
		vt_close(vt);
		return NULL;
	}
	/* A busy machine may miss the deadline of a log-in (the password hash
	 * takes its time); the desk then offers Enter to try again. */
	for (int tries = 0; tries < 5; tries++) {
		for (long long end = clock_now_ms() + STEP_MS; clock_now_ms() < end; vt_pump(vt, 20)) {
			if (!vt_find(vt, "beheer", NULL, NULL))
				return vt;
			if (vt_find(vt, "Press Enter to try again", NULL, NULL))
				break;
		}
		vt_key(vt, "Enter");
		vt_pump(vt, 50);
	}
	vt_dump(vt, stdout);
	vt_close(vt);
	return NULL;
}

/* The row of the screen that shows code's line, or NULL. */
static char *line_of(struct vt *vt, const char *code)
{
	int r;
	return vt_find(vt, code, &r, NULL) ? vt_row_dup(vt, r) : NULL;
}

static bool shows_saved(const char *row)
{
	return row && (strstr(row, "SAVED") || strstr(row, "due ") || strstr(row, "SHELF") ||
		       strstr(row, "TRANSIT"));
}

/* Only a check-out the desk showed as saved is checked in later: one that
 * died before the journal had it was never lent, and its return would be
 * refused (not "on the service"). */
static bool returnable(const struct item *it)
{
	return it->state == OUT_TYPED && it->out_shown;
}

/* One life of the desk: log in, scan, and die at a random moment. */
static bool cycle(struct world *w, bool offline, size_t *typed)
{
	struct vt *vt = desk_up(w);
	if (!vt)
		return false;
	/* Offline: the service goes away (the desk finds the socket closed). */
	if (offline)
		offsvc_kill(w->svc);
	size_t mine[4];
	size_t n = 0, want = 1 + rnd(w, 4), lent = 0;
	for (size_t i = 0; i < w->n_items; i++)
		lent += returnable(&w->items[i]);
	/* Check-ins keep up with check-outs, so that no card reaches its loan
	 * limit (a refusal would not be "on the service"). */
	bool out = lent < 8 || (lent < 40 && rnd(w, 2) == 0);
	if (out) {
		vt_key(vt, "F2");
		vt_send(vt, w->cards[w->next_card++ % w->n_cards]);
		vt_send(vt, "\r");
		/* online the panel, offline the card alone; either way the next scans are items */
		for (long long end = clock_now_ms() + STEP_MS; clock_now_ms() < end; vt_pump(vt, 20))
			if (vt_find(vt, "Card valid until", NULL, NULL) ||
			    vt_find(vt, "no patron data", NULL, NULL) ||
			    vt_find(vt, "NOT", NULL, NULL))
				break;
		for (size_t i = 0; i < w->n_items && n < want; i++)
			if (w->items[i].state == FREE) {
				w->items[i].state = OUT_TYPED;
				mine[n++] = i;
			}
	} else {
		vt_key(vt, "F3");
		for (size_t i = rnd(w, (unsigned)w->n_items); n < want; ) {
			size_t start = i;
			while (!returnable(&w->items[i])) {
				i = (i + 1) % w->n_items;
				if (i == start)
					break;
			}
			if (!returnable(&w->items[i]))
				break;
			w->items[i].state = IN_TYPED;
			mine[n++] = i;
		}
	}
	vt_pump(vt, 0);
	for (size_t i = 0; i < n; i++) {
		vt_send(vt, w->items[mine[i]].code);
		vt_send(vt, "\r");
	}
	*typed += n;
	/* The random moment: anywhere from at once to well after the answers. */
	long long end = clock_now_ms() + rnd(w, 250);
	while (clock_now_ms() < end)
		vt_pump(vt, (int)(end - clock_now_ms()));
	vt_pump(vt, 0);
	/* What the desk shows as saved now is a promise; the kill comes after. */
	for (size_t i = 0; i < n; i++) {
		char *row = line_of(vt, w->items[mine[i]].code);
		if (shows_saved(row)) {
			if (out)
				w->items[mine[i]].out_shown = true;
			else
				w->items[mine[i]].in_shown = true;
		}
		free(row);
	}
	kill(vt_pid(vt), SIGKILL);
	vt_close(vt);
	if (offline && !offsvc_restart(w->svc))
		return false;
	return true;
}

static long long stat_sum(struct world *w, const char *action)
{
	return offsvc_query_int(w->svc,
		"SELECT coalesce(sum(count), 0) FROM loan_stats WHERE action = ?1",
		(const char *const[]){action, NULL});
}

static struct journal *journal_of(struct world *w)
{
	char *path = xasprintf("%s/.local/state/balie/journal.db", w->home);
	char *err = NULL;
	struct journal *j = journal_open(path, "crash-test", &err);
	free(path);
	if (!j) {
		diag("journal: %s", err);
		free(err);
	}
	return j;
}

/* One more desk, left to send everything; true when nothing waits. */
static bool drain(struct world *w)
{
	struct vt *vt = desk_up(w);
	struct journal *j = journal_of(w);
	long waiting = -1;
	for (long long end = clock_now_ms() + 120000; vt && j && clock_now_ms() < end; vt_pump(vt, 100)) {
		char *err = NULL;
		waiting = journal_count_waiting(j, &err);
		free(err);
		if (waiting == 0)
			break;
	}
	if (waiting != 0)
		diag("still waiting in the journal: %ld", waiting);
	journal_close(j);
	if (vt)
		vt_close(vt);
	return vt && waiting == 0;
}

int main(void)
{
	const char *secs = getenv("CRASH_SECONDS");
	const char *least = getenv("CRASH_MIN_CYCLES");
	unsigned min_cycles = least && atoi(least) > 0 ? (unsigned)atoi(least) : MIN_CYCLES;
	long long bound = (secs && atoi(secs) > 0 ? atoi(secs) : 180) * 1000LL;
	struct world w = {.seed = (unsigned)time(NULL)};
	diag("seed %u", w.seed);
	w.svc = offsvc_start();
	if (!ok(w.svc != NULL, "balied serves on its own socket and database"))
		return tap_done();
	bool ready = setup(&w);
	if (!ok(ready, "patrons and free items to use (%zu, %zu)", w.n_cards, w.n_items)) {
		offsvc_stop(w.svc);
		return tap_done();
	}
	long long out0 = stat_sum(&w, "checkout"), in0 = stat_sum(&w, "checkin");
	long long start = clock_now_ms();
	unsigned cycles = 0, failed = 0, offline_cycles = 0;
	size_t typed = 0;
	while (clock_now_ms() - start < bound && failed < 5) {
		bool offline = rnd(&w, 3) == 0;
		if (cycle(&w, offline, &typed)) {
			cycles++;
			offline_cycles += offline;
		} else {
			failed++;
		}
		if (cycles >= min_cycles)
			break;
	}
	diag("kill cycles: %u (%u offline) in %.1f s; scans typed: %zu", cycles, offline_cycles,
	     (double)(clock_now_ms() - start) / 1000.0, typed);
	ok(failed == 0, "every restart of the desk came up and logged in (%u failed)", failed);
	ok(cycles >= min_cycles, "at least %u kill cycles (%u)", min_cycles, cycles);
	ok(drain(&w), "one more desk sends everything the journal holds");

	struct journal *j = journal_of(&w);
	struct journal_entry **all = NULL;
	size_t n = 0;
	char *err = NULL;
	bool listed = j && journal_list_dup(j, ~0u, 0, &all, &n, &err);
	free(err);
	ok(listed, "the journal can be read (%zu entries)", n);
	size_t twice = 0, shown = 0, shown_ok = 0, ack_out = 0, ack_in = 0;
	for (size_t i = 0; listed && i < w.n_items; i++) {
		struct item *it = &w.items[i];
		for (int kind = 0; kind < 2; kind++) {
			const char *path = kind == 0 ? "/checkouts" : "/checkins";
			bool was_shown = kind == 0 ? it->out_shown : it->in_shown;
			size_t found = 0;
			bool acked = false;
			const struct journal_entry *last = NULL;
			for (size_t e = 0; e < n; e++) {
				if (strcmp(all[e]->path, path) != 0 || !strstr(all[e]->body, it->code))
					continue;
				found++;
				last = all[e];
				acked = all[e]->state == JOURNAL_ACKNOWLEDGED;
			}
			twice += found > 1;
			if (found > 1)
				diag("%s %s is in the journal %zu times", path, it->code, found);
			if (was_shown) {
				shown++;
				shown_ok += found == 1 && acked;
				if (!(found == 1 && acked))
					diag("%s %s was shown as saved: %zu in the journal, %s %ld %s",
					     path, it->code, found,
					     last ? journal_state_name(last->state) : "-",
					     last ? last->status : 0L,
					     last && last->answer ? last->answer : "");
			}
		}
	}
	for (size_t e = 0; e < n; e++) {
		if (all[e]->state != JOURNAL_ACKNOWLEDGED)
			continue;
		ack_out += strcmp(all[e]->path, "/checkouts") == 0;
		ack_in += strcmp(all[e]->path, "/checkins") == 0;
	}
	long long applied_out = stat_sum(&w, "checkout") - out0;
	long long applied_in = stat_sum(&w, "checkin") - in0;
	diag("transactions checked: %zu shown as saved, %zu journaled (%zu check-outs and %zu "
	     "check-ins acknowledged); the service applied %lld and %lld",
	     shown, n, ack_out, ack_in, applied_out, applied_in);
	ok(shown > 0 && shown_ok == shown,
	   "every transaction shown as saved is on the service exactly once (%zu of %zu)", shown_ok,
	   shown);
	ok(twice == 0, "no transaction is in the journal twice");
	ok(applied_out == (long long)ack_out && applied_in == (long long)ack_in,
	   "the service applied each acknowledged transaction once: check-outs %lld = %zu, "
	   "check-ins %lld = %zu",
	   applied_out, ack_out, applied_in, ack_in);
	journal_entries_free(all, n);
	journal_close(j);
	tuienv_envp_free(w.envp);
	ok(tuienv_strays(w.home, STEP_MS) == 0, "no desk is left running");
	tuienv_home_remove(w.home);
	free(w.home);
	ok(offsvc_stop(w.svc), "balied stops and nothing is left");
	return tap_done();
}
