/* The idle lock: with idle_lock = 2 the desk locks itself two seconds after
 * the last key, a wrong password leaves it locked, the right one opens it. */
#include "desk.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

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
		vt_send(d->vt, "oefenen\r");
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
		long long sent = vt_now_ms();
		int row = -1;
		ok(vt_wait_text(d->vt, "You are logged in as balie", DESK_STEP_MS) &&
			   vt_find(d->vt, "You are logged in as balie", &row, NULL),
		   "logged in");
		char *before = vt_row_dup(d->vt, row);
		ok(vt_wait_text(d->vt, "Locked", DESK_STEP_MS), "the desk locks by itself");
		long long waited = vt_now_ms() - sent;
		diag("locked %lld ms after the last key", waited);
		ok(waited >= 1500, "not before the idle time (%lld ms)", waited);
		ok(vt_wait_text(d->vt, "The desk is locked by", DESK_STEP_MS), "it says who locked it");
		ok(vt_wait_gone(d->vt, "You are logged in", DESK_STEP_MS), "the desk is covered");

		vt_send(d->vt, "xyzzy42\r");
		ok(vt_wait_text(d->vt, "Wrong", DESK_STEP_MS), "a wrong password is refused");
		ok(vt_find(d->vt, "Locked", NULL, NULL), "the desk stays locked");
		ok(!vt_find(d->vt, "xyzzy42", NULL, NULL), "the typed password is not shown");

		vt_send(d->vt, "oefenen\r");
		ok(vt_wait_gone(d->vt, "Locked", DESK_STEP_MS), "the right password unlocks");
		char *after = vt_row_dup(d->vt, row);
		is_str(after, before, "the desk is back as it was");
		free(after);
		free(before);
		ok(vt_wait_text(d->vt, "Locked", DESK_STEP_MS), "and it locks again when left idle");
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

int main(void)
{
	test_idle_lock();
	test_lock_key();
	return tap_done();
}
