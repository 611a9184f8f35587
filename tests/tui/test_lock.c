/* The idle lock: with idle_lock = 2 the desk locks itself two seconds after
 * the last key, a wrong password leaves it locked, the right one opens it.
 * A scanner at the locked desk: six scans (cards, item barcodes, and
 * bursts of another shape) are each refused with "The desk is locked:
 * unlock it first", none reaches the service as a failed log-in (its
 * login_failures table stays empty), and the password then unlocks.
 * Passwords are typed at a person's pace (PERSON_MS a key): a line that
 * comes as fast as a scanner types is no password at the lock. */
#include "circref.h"
#include "desk.h"
#include "offsvc.h"
#include "tap.h"
#include "core/clock.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PERSON_MS = 120 };

/* The lock key's control twin locks at once; idle_lock = 0 never locks. */
static void test_lock_key(void)
{
	static const struct desk_file files[] = {
		{".config/balie/balie.conf", "idle_lock = 0\n"},
		{NULL, NULL},
	};
	struct desk *d = desk_start(&(struct desk_opts){.files = files});
	if (!ok(d != NULL, "balie starts with idle_lock = 0"))
		return;
	if (ok(vt_wait_text(d->vt, "beheer", DESK_START_MS), "the login screen comes up")) {
		desk_type_login(d, "balie", "oefenen");
		ok(vt_wait_text(d->vt, "You are logged in as balie", DESK_STEP_MS), "logged in");
		vt_send(d->vt, "\x0b"); /* ^K */
		ok(vt_wait_text(d->vt, "Locked", DESK_STEP_MS), "^K locks the desk");
		vt_type(d->vt, "oefenen\r", PERSON_MS);
		ok(vt_wait_gone(d->vt, "Locked", DESK_STEP_MS) &&
			   vt_wait_text(d->vt, "You are logged in as balie", DESK_STEP_MS),
		   "the password unlocks it");
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

static void test_idle_lock(void)
{
	static const struct desk_file files[] = {
		{".config/balie/balie.conf", "idle_lock = 2\n"},
		{NULL, NULL},
	};
	struct desk *d = desk_start(&(struct desk_opts){.files = files});
	if (!ok(d != NULL, "balie starts with idle_lock = 2"))
		return;
	if (ok(vt_wait_text(d->vt, "Password", DESK_START_MS), "the login screen comes up")) {
		desk_type_login(d, "balie", "oefenen");
		long long sent = clock_now_ms();
		int row = -1;
		ok(vt_wait_text(d->vt, "You are logged in as balie", DESK_STEP_MS) &&
			   vt_find(d->vt, "You are logged in as balie", &row, NULL),
		   "logged in");
		char *before = vt_row_dup(d->vt, row);
		ok(vt_wait_text(d->vt, "Locked", DESK_STEP_MS), "the desk locks by itself");
		long long waited = clock_now_ms() - sent;
		diag("locked %lld ms after the last key", waited);
		ok(waited >= 1500, "not before the idle time (%lld ms)", waited);
		ok(vt_wait_text(d->vt, "The desk is locked by", DESK_STEP_MS), "it says who locked it");
		ok(vt_wait_gone(d->vt, "You are logged in", DESK_STEP_MS), "the desk is covered");

		vt_type(d->vt, "xyzzy42\r", PERSON_MS);
		ok(vt_wait_text(d->vt, "Wrong", DESK_STEP_MS), "a wrong password is refused");
		ok(vt_find(d->vt, "Locked", NULL, NULL), "the desk stays locked");
		ok(!vt_find(d->vt, "xyzzy42", NULL, NULL), "the typed password is not shown");

		vt_type(d->vt, "oefenen\r", PERSON_MS);
		ok(vt_wait_gone(d->vt, "Locked", DESK_STEP_MS), "the right password unlocks");
		char *after = vt_row_dup(d->vt, row);
		is_str(after, before, "the desk is back as it was");
		free(after);
		free(before);
		ok(vt_wait_text(d->vt, "Locked", DESK_STEP_MS), "and it locks again when left idle");
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

#define SCAN_REFUSED "The desk is locked: unlock it first"

static void test_scans_at_lock(void)
{
	struct offsvc *s = offsvc_start();
	if (!ok(s != NULL, "balied serves on its own socket and database"))
		return;
	char *conf = xasprintf("%sidle_lock = 0\n", offsvc_server_conf(s));
	struct desk *d = circref_desk("CEN", NULL, conf, NULL);
	free(conf);
	if (ok(d != NULL, "the desk logs in to that service")) {
		struct vt *vt = d->vt;
		vt_send(vt, "\x0b"); /* ^K */
		ok(vt_wait_text(vt, "Locked", DESK_STEP_MS), "^K locks the desk");
		long long before = offsvc_query_int(s, "SELECT count(*) FROM login_failures", NULL);
		char codes[6][15];
		circref_card(1, codes[0]);
		circref_item(1, codes[1]);
		circref_card(2, codes[2]);
		circref_item(2, codes[3]);
		snprintf(codes[4], sizeof codes[4], "%s", "ABC-123-XYZ"); /* a burst, no code */
		snprintf(codes[5], sizeof codes[5], "%s", "oefenen");     /* even the password */
		bool all = true;
		for (int i = 0; i < 6; i++) {
			unsigned bells = vt_bells(vt);
			vt_scan(vt, codes[i]);
			bool refused = vt_wait_bells(vt, bells + 1, DESK_STEP_MS) &&
				       vt_wait_text(vt, SCAN_REFUSED, DESK_STEP_MS) &&
				       !vt_find(vt, "Wrong", NULL, NULL) &&
				       !vt_find(vt, "Too many", NULL, NULL);
			if (!refused)
				diag("scan %d (%s) was not refused as a scan", i + 1, codes[i]);
			all = all && refused;
		}
		ok(all, "each of 6 scans at the lock: \"" SCAN_REFUSED "\" and the bell");
		ok(vt_find(vt, "Locked", NULL, NULL), "the desk stays locked");
		long long after = offsvc_query_int(s, "SELECT count(*) FROM login_failures", NULL);
		ok(before == 0 && after == 0,
		   "the service counted no failed log-in for them (%lld, then %lld)", before, after);
		vt_type(vt, "oefenen\r", PERSON_MS);
		ok(vt_wait_gone(vt, "Locked", DESK_STEP_MS) &&
			   vt_wait_text(vt, "You are logged in as balie", DESK_STEP_MS),
		   "the password typed by a person unlocks it");
		ok(desk_stop(d), "balie ended cleanly and left nothing running");
	}
	ok(offsvc_stop(s), "balied stops and nothing is left");
}

int main(void)
{
	test_scans_at_lock();
	test_idle_lock();
	test_lock_key();
	return tap_done();
}
