/* The frame around every screen: the top status line (branch, terminal,
 * staff member, state, clock); the bottom line with the function keys is
 * keyline.h. */
#ifndef BALIE_FRAME_H
#define BALIE_FRAME_H

#include "ui/actions.h"
#include "ui/keys/keymap.h"

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct frame_status {
	const char *branch;   /* the branch's name, or NULL before login */
	const char *terminal;
	const char *staff;    /* the staff member's name, or NULL */
	bool training;
	bool unreachable;     /* the last request found no service */
	bool offline;         /* the desk works from its journal (client/outbox.h) */
	size_t waiting;       /* offline: transactions in the journal not yet sent */
	const char *progress; /* replaying the journal: "sending 3 of 20", or NULL */
	size_t refused;       /* refusals waiting on the queue screen */
	time_t now;
};

void frame_draw_top(WINDOW *w, int cols, const struct frame_status *st);

/* The smallest terminal every screen is laid out for (DESIGN.md: 80x24). */
enum { FRAME_MIN_ROWS = 24, FRAME_MIN_COLS = 80 };
/* True when a rows x cols terminal is smaller than that: the desk then shows
 * frame_draw_too_small instead of a screen and takes no input but quit. */
bool frame_too_small(int rows, int cols);
/* Covers the whole window with the size the desk needs and the size it has;
 * quit_key is the key that quits here ("" when none does). */
void frame_draw_too_small(WINDOW *w, int rows, int cols, const char *quit_key);

#endif
