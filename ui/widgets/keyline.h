/* The bottom line of every screen: its function keys and their labels, from
 * the key map. At 80 columns not every key fits, so they go in this order:
 * the screen's own keys, then log out and lock (always), then the keys of the
 * other screens as room allows, with shorter labels where that makes them
 * fit. A key that does nothing in the screen's present state is left out.
 * urgent (ACTION_NONE for none) is an action whose key ranks with log out
 * and lock: the offline queue while refusals wait on it. */
#ifndef BALIE_KEYLINE_H
#define BALIE_KEYLINE_H

#include "ui/actions.h"
#include "ui/keys/keymap.h"

#include <curses.h>
#include <stdbool.h>

/* True when action a does something on screen s right now. */
typedef bool (*keyline_live_fn)(const void *ctx, enum ui_screen s, enum action a);

/* live may be NULL: every bound key counts as live. */
void keyline_draw(WINDOW *w, int row, int cols, const struct keymap *km, enum ui_screen s,
		  keyline_live_fn live, const void *ctx, enum action urgent);

/* The short label of a on the key line (translated), or its label. */
const char *keyline_short_label(enum action a);

#endif
