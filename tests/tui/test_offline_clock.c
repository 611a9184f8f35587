/* A check-out saved offline at a desk whose clock had been reset (the
 * journal says it happened on 1 January 2001): on replay the service refuses
 * its occurred_at, and the desk's queue screen shows the refusal with its
 * reason in words, in Dutch for a Dutch desk. */
#include "circref.h"
#include "desk.h"
#include "offsvc.h"
#include "tap.h"
#include "core/xalloc.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define BRANCH "CEN"

/* Moves the time of every waiting entry of the desk's journal, and the
 * occurred_at in its body, to 2001, as a desk with a reset clock writes it. */
static bool reset_clock_of_journal(const char *home)
{
	char *path = xasprintf("%s/.local/state/balie/journal.db", home);
	sqlite3 *db;
	bool ok = sqlite3_open(path, &db) == SQLITE_OK && sqlite3_busy_timeout(db, 5000) == 0 &&
		  sqlite3_exec(db,
			       "UPDATE entries SET body = replace(body, occurred_at,"
			       " '2001-01-01T10:00:00Z'), occurred_at = '2001-01-01T10:00:00Z'"
			       " WHERE state = 'pending'",
			       NULL, NULL, NULL) == SQLITE_OK &&
		  sqlite3_changes(db) >= 1;
	if (!ok)
		diag("journal: %s", sqlite3_errmsg(db));
	sqlite3_close(db);
	free(path);
	return ok;
}

int main(void)
{
	if (!ok(desk_need_locale("nl_NL.UTF-8"), "the Dutch locale is there"))
		return tap_done();
	struct offsvc *s = offsvc_start();
	if (!ok(s != NULL, "balied serves on its own socket and database"))
		return tap_done();
	char cards[1][15], items[1][15];
	size_t nc = offsvc_pick(s,
		"SELECT p.card AS x FROM patrons p WHERE p.expires_on > date('now', '+1 day')"
		" AND p.category = 'adult' AND p.manual_block IS NULL ORDER BY p.id", cards, 1);
	size_t ni = offsvc_pick_items(s, false, items, 1);
	char *more = xasprintf("%srequest_timeout = 1000\n", offsvc_server_conf(s));
	struct desk *d = nc == 1 && ni == 1 ? circref_desk(BRANCH, "nl_NL.UTF-8", more, NULL) : NULL;
	free(more);
	if (ok(d != NULL, "a Dutch desk logs in to that service")) {
		struct vt *vt = d->vt;
		offsvc_kill(s);
		vt_key(vt, "F2");
		vt_scan(vt, cards[0]);
		ok(vt_wait_row(vt, 0, "OFFLINE", DESK_STEP_MS), "the service is gone: offline");
		vt_scan(vt, items[0]);
		ok(circref_wait_row2(vt, items[0], "BEWAARD", DESK_STEP_MS),
		   "an item lent offline is saved");
		ok(reset_clock_of_journal(d->home),
		   "the journal says it happened on 1 January 2001 (a reset clock)");
		ok(offsvc_restart(s), "balied starts again");
		ok(vt_wait_gone(vt, "OFFLINE", 30000), "the journal is sent");
		vt_key(vt, "F8");
		ok(vt_wait_text(vt, "De klok van deze balie stond verkeerd", DESK_STEP_MS),
		   "F8: the refused check-out is on the queue screen, and why, in Dutch");
		ok(offsvc_open_loans(s, items[0], cards[0]) == 0,
		   "the refused check-out is not on the service");
		vt_key(vt, "F1");
		ok(vt_wait_text(vt, "Sneltoetsen: de wachtrij", DESK_STEP_MS) &&
			   vt_wait_row(vt, 3, "verstuurd", DESK_STEP_MS),
		   "F1 there: the help's title is whole at 80 columns (it wraps)");
		vt_key(vt, "F1");
		ok(desk_stop(d), "the desk stops cleanly");
	}
	ok(offsvc_stop(s), "balied stops and nothing is left");
	return tap_done();
}
