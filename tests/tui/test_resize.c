/* A resize never loses what was typed (DESIGN.md section 4): half a login
 * is typed at 80x24, the terminal grows to 100x30 and shrinks back, the
 * rest is typed, and the login must succeed with both halves. */
#include "desk.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* Resizes and waits until the bottom line (the function keys) is redrawn
 * on the new last row: the desk has laid itself out again. */
static bool resize_to(struct desk *d, int rows, int cols, const char *bottom)
{
	bool sent = vt_resize(d->vt, rows, cols);
	return ok(sent && vt_wait_row(d->vt, rows - 1, bottom, DESK_STEP_MS),
		  "resized to %dx%d: the function keys are on the last row", cols, rows);
}

/* The row of the label, and whether it holds want. */
static bool field_holds(struct desk *d, const char *label, const char *want)
{
	int row = -1;
	if (!vt_find(d->vt, label, &row, NULL))
		return false;
	return vt_wait_row(d->vt, row, want, DESK_STEP_MS);
}

int main(void)
{
	struct desk *d = desk_start(&(struct desk_opts){0});
	if (!ok(d != NULL, "balie starts"))
		return tap_done();
	if (ok(vt_wait_text(d->vt, "Password", DESK_START_MS), "the login screen comes up") &&
	    ok(vt_wait_row(d->vt, 23, "F1 Help", DESK_STEP_MS), "the function keys at the bottom")) {
		char *bottom = vt_row_dup(d->vt, 23);
		char *whole_bottom = vt_row_dup(d->vt, 23);
		/* The first key names (e.g. "F1 Help") identify the line, whatever
		 * else fits at each width. */
		bottom[strlen("F1 Help")] = '\0';
		vt_send(d->vt, "balie");
		vt_key(d->vt, "Tab");
		vt_send(d->vt, "oefe");
		ok(field_holds(d, "User name", "balie"), "the user name is typed");
		/* The password field shows a mask character per key; the echo is
		 * complete when the cursor stands after the fourth. */
		int prow = -1, pcol = -1;
		ok(field_holds(d, "Password", "****") && vt_find(d->vt, "****", &prow, &pcol) &&
			   vt_wait_cursor(d->vt, prow, pcol + 4, DESK_STEP_MS),
		   "four password keys are taken");
		pcol += 4;

		resize_to(d, 30, 100, bottom);
		ok(field_holds(d, "User name", "balie"), "100x30 keeps the user name");
		ok(vt_wait_text(d->vt, "Branch", DESK_STEP_MS), "and shows the whole form");
		vt_send(d->vt, "n");
		resize_to(d, 24, 80, bottom);
		vt_wait_row(d->vt, 23, whole_bottom, DESK_STEP_MS);
		char *again = vt_row_dup(d->vt, 23);
		is_str(again, whole_bottom, "the bottom line at 80x24 is as it was");
		free(again);
		free(whole_bottom);
		ok(field_holds(d, "User name", "balie"), "80x24 again keeps the user name");
		ok(vt_wait_cursor(d->vt, prow, pcol + 1, DESK_STEP_MS),
		   "the cursor is back in the password field, one key on");
		char *pline = vt_row_dup(d->vt, prow);
		ok(!strstr(pline, "oefe"), "the password is not shown: %s", pline);
		free(pline);
		vt_send(d->vt, "en");
		vt_key(d->vt, "Enter");
		ok(vt_wait_text(d->vt, "You are logged in as balie", DESK_STEP_MS),
		   "the login with both halves of the password succeeds");
		free(bottom);
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
	return tap_done();
}
