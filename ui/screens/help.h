/* The help screen: every key that does something on the screen it was
 * opened from, with the help text of its action, generated from the key map. */
#ifndef BALIE_HELP_H
#define BALIE_HELP_H

#include "ui/actions.h"
#include "ui/keys/keymap.h"
#include "ui/screen.h"

#include <curses.h>
#include <stdbool.h>

struct help {
	enum ui_screen of; /* the screen whose keys are shown */
	int top;           /* the first entry shown */
	int max_top;       /* the last top that still fills the list, from the
			    * last drawing (entries wrap); -1 before it */
	const struct keymap *km; /* the bindings shown, for the screen's row */
};

void help_open(struct help *h, enum ui_screen of);
/* Scrolls for a help action; rows is the height of the list. */
void help_action(struct help *h, enum action a, const struct keymap *km, int rows);
void help_draw(struct help *h, WINDOW *w, int top, int bottom, int cols, const struct keymap *km);

/* The help screen's row; self is a struct help with its km set. */
extern const struct screen_ops help_ops;

#endif
