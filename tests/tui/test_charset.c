/* The terminal's charset (DESIGN.md section 4): on UTF-8 the desk draws
 * lines with box-drawing characters; on an ASCII terminal (LANG=C) with
 * ASCII, and not one byte above 0x7f reaches the terminal. */
#include "desk.h"
#include "tap.h"

#include <stdlib.h>

#define HELP_TITLE "Key bindings:"

/* Opens help on the login screen and waits for its rule. */
static bool help_with_rule(struct desk *d, const char *rule)
{
	if (!ok(vt_wait_text(d->vt, "beheer", DESK_START_MS), "the login screen comes up"))
		return false;
	vt_send(d->vt, "\x1b" "1");
	return ok(vt_wait_text(d->vt, HELP_TITLE, DESK_STEP_MS) &&
			  vt_wait_text(d->vt, rule, DESK_STEP_MS),
		  "the help screen's rule is drawn with \"%s\"", rule);
}

int main(void)
{
	struct desk *d = desk_start(&(struct desk_opts){.lang = "C.UTF-8"});
	if (ok(d != NULL, "balie starts under C.UTF-8"))
		help_with_rule(d, "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80");
	ok(desk_stop(d), "balie ended cleanly and left nothing running");

	d = desk_start(&(struct desk_opts){.lang = "C"});
	if (ok(d != NULL, "balie starts under C (ASCII)") && help_with_rule(d, "----")) {
		vt_key(d->vt, "F1");
		desk_type_login(d, "balie", "oefenen");
		ok(vt_wait_text(d->vt, "You are logged in as balie", DESK_STEP_MS), "logged in");
		ok(vt_high_bytes(d->vt) == 0, "no byte above 0x7f was written (%zu were)",
		   vt_high_bytes(d->vt));
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
	return tap_done();
}
