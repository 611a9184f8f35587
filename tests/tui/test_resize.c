/* A resize never loses what was typed (DESIGN.md section 4): half a login
 * is typed at 80x24, the terminal grows to 100x30 and shrinks back, the
 * rest is typed, and the login must succeed with both halves. Below 80x24
 * the desk says what size it needs (in the desk's language), shows no
 * cursor and takes no typing, only quit; back at 80x24 the field holds what
 * was typed before. */
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

/* Shrinks to 40x12: the notice, no cursor, and typing goes nowhere. */
static void too_small_takes_nothing(struct desk *d)
{
	int row = -1;
	vt_find(d->vt, "User name", &row, NULL);
	vt_send(d->vt, "balie");
	ok(row >= 0 && vt_wait_row(d->vt, row, "balie", DESK_STEP_MS), "the user name is typed");
	ok(vt_resize(d->vt, 12, 40) && vt_wait_text(d->vt, "too small", DESK_STEP_MS),
	   "at 40x12 the desk says the terminal is too small");
	ok(vt_wait_text(d->vt, "80x24", DESK_STEP_MS) && vt_wait_text(d->vt, "40x12", DESK_STEP_MS),
	   "with the size it needs and the size it has");
	ok(vt_wait_text(d->vt, "F10", DESK_STEP_MS), "and the key that quits");
	int r = -1, c = -1;
	ok(!vt_find(d->vt, "User name", &r, &c), "no field is shown");
	ok(!vt_cursor_visible(d->vt), "no cursor is shown");
	vt_send(d->vt, "xyz");
	vt_key(d->vt, "Tab");
	vt_send(d->vt, "pw");
	vt_key(d->vt, "Enter");
	vt_wait_quiet(d->vt, 300, DESK_STEP_MS);
	ok(vt_resize(d->vt, 24, 80) && vt_wait_text(d->vt, "User name", DESK_STEP_MS),
	   "back at 80x24 the login screen is drawn again");
	/* The text may come before the cursor's move: let the redraw end. */
	vt_wait_quiet(d->vt, 200, DESK_STEP_MS);
	vt_find(d->vt, "User name", &row, NULL);
	char *line = row >= 0 ? vt_row_dup(d->vt, row) : NULL;
	ok(line && strstr(line, "balie") && !strstr(line, "xyz"),
	   "the user name typed before is kept, the keys typed at 40x12 are not in it: %s",
	   line ? line : "");
	free(line);
	ok(!vt_find(d->vt, "logged in", &r, &c) && !vt_find(d->vt, "****", &r, &c),
	   "nothing was sent or typed into the password field at 40x12");
	int crow = -1, ccol = -1;
	vt_cursor(d->vt, &crow, &ccol);
	ok(vt_cursor_visible(d->vt) && crow == row, "the cursor is in the user-name field again (row %d)",
	   crow);
}

static void test_too_small(void)
{
	struct desk *d = desk_start(&(struct desk_opts){0});
	if (!ok(d != NULL, "balie starts"))
		return;
	if (ok(vt_wait_text(d->vt, "Password", DESK_START_MS), "the login screen comes up"))
		too_small_takes_nothing(d);
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

/* Started at 40x12 in Dutch: the notice is Dutch, and F10 quits. */
static void test_too_small_dutch(void)
{
	if (!ok(desk_need_locale("nl_NL.UTF-8"), "the Dutch locale exists"))
		return;
	struct desk *d = desk_start(&(struct desk_opts){ .lang = "nl_NL.UTF-8", .rows = 12, .cols = 40 });
	if (!ok(d != NULL, "balie starts at 40x12"))
		return;
	ok(vt_wait_text(d->vt, "te klein", DESK_START_MS) && vt_wait_text(d->vt, "80x24", DESK_STEP_MS),
	   "at 40x12 the desk says in Dutch that the terminal is too small");
	ok(vt_key(d->vt, "F10") && vt_wait_exit(d->vt, DESK_STEP_MS, NULL), "F10 quits");
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

int main(void)
{
	test_too_small();
	test_too_small_dutch();
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
