/* Attention and its fallback (DESIGN.md section 4): an error rings the bell
 * and is in colour, as are the bars; with NO_COLOR they are in bold and
 * reverse video instead. */
#include "desk.h"
#include "tap.h"

#include <stdlib.h>

#define WRONG "Wrong user name or password"

/* Refuses a login and returns the attributes of the message and of the
 * top bar's first cell. */
static bool refused_login(struct desk *d, struct vt_attr *msg, struct vt_attr *bar)
{
	if (!ok(vt_wait_text(d->vt, "beheer", DESK_START_MS), "the login screen comes up"))
		return false;
	unsigned bells = vt_bells(d->vt);
	desk_type_login(d, "balie", "xyzzy42");
	int row = -1, col = -1;
	bool shown = vt_wait_text(d->vt, WRONG, DESK_STEP_MS) &&
		     vt_find(d->vt, WRONG, &row, &col);
	if (!ok(shown, "the refusal is shown"))
		return false;
	ok(vt_wait_bells(d->vt, bells + 1, DESK_STEP_MS), "the refusal rings the bell");
	return ok(vt_attr_at(d->vt, row, col, msg) && vt_attr_at(d->vt, 0, 0, bar),
		  "attributes read");
}

static void test_colour(void)
{
	struct desk *d = desk_start(&(struct desk_opts){0});
	struct vt_attr msg, bar;
	if (ok(d != NULL, "balie starts") && refused_login(d, &msg, &bar)) {
		ok(msg.fg == 1 && msg.bold, "the error is bold red (fg %d, bold %d)", msg.fg,
		   msg.bold);
		ok(bar.bg == 4 && !bar.reverse, "the top bar is blue (bg %d, reverse %d)", bar.bg,
		   bar.reverse);
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

static void test_no_color(void)
{
	struct desk *d = desk_start(&(struct desk_opts){.no_color = true});
	struct vt_attr msg, bar;
	if (ok(d != NULL, "balie starts with NO_COLOR") && refused_login(d, &msg, &bar)) {
		ok(msg.fg == -1 && msg.bg == -1, "the error has no colour (fg %d, bg %d)", msg.fg,
		   msg.bg);
		ok(msg.bold && msg.reverse, "but is bold and reverse (bold %d, reverse %d)",
		   msg.bold, msg.reverse);
		ok(bar.fg == -1 && bar.bg == -1 && bar.reverse,
		   "the top bar is in reverse video (fg %d, bg %d, reverse %d)", bar.fg, bar.bg,
		   bar.reverse);
	}
	ok(desk_stop(d), "balie ended cleanly and left nothing running");
}

int main(void)
{
	test_colour();
	test_no_color();
	return tap_done();
}
