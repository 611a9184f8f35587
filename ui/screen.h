/* The table of screens (DESIGN.md section 1; the pattern of tig's view_ops
 * and htop's Panel classes): one row of operations per screen, at the end of
 * the screen's own file. The event loop (app.c) keeps the global actions
 * (switching screens, lock, log out, quit, help, redraw) and hands every
 * other action, key and drawing to the row of the screen shown. A new screen
 * is one file with its row and one line in screen.c. */
#ifndef BALIE_SCREEN_H
#define BALIE_SCREEN_H

#include "ui/actions.h"
#include "ui/keys/keys.h"

#include <curses.h>
#include <stdbool.h>
#include <time.h>

/* Where a screen draws: rows top to bottom of w, cols wide, as at now. The
 * screen puts the cursor's place in cy, cx, or leaves them -1 to hide it. */
struct screen_area {
	WINDOW *w;
	int top, bottom, cols;
	time_t now;
	int cy, cx;
};

/* Each operation is handed the screen's own state as self: what the desk
 * placed for the screen when it started. A NULL operation means the screen
 * has none: nothing to open or forget, no actions or keys of its own, no
 * text field, every action live. draw is never NULL. */
struct screen_ops {
	/* The screen is opened by its action, on screen from. */
	void (*open)(void *self, enum ui_screen from);
	/* A staff member logs out: the screen forgets what it holds. */
	void (*reset)(void *self);
	/* An action on the screen; false when it is not one of the screen's
	 * own, and the desk's global actions get it. *screen is the screen
	 * shown, which the action may change (to the statistics and back). */
	bool (*action)(void *self, enum action a, enum ui_screen *screen);
	/* True when k is typing into a field rather than a key binding. */
	bool (*takes_text)(const void *self, keycode k);
	/* A key that is no action (editing a field). */
	void (*key)(void *self, keycode k);
	/* False when a does nothing in the screen's present state (the key
	 * line leaves it out). */
	bool (*live)(const void *self, enum action a);
	void (*draw)(void *self, struct screen_area *area);
};

/* The row of screen s; NULL for SCREEN_GLOBAL, which is no screen. */
const struct screen_ops *screen_ops_of(enum ui_screen s);

#endif
