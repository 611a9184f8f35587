/* The frame around every screen: the top status line (branch, terminal,
 * staff member, state, clock); the bottom line with the function keys is
 * keyline.h. */
#ifndef BALIE_FRAME_H
#define BALIE_FRAME_H

#include "actions.h"
#include "keymap.h"

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
	bool offline;         /* the desk works from its journal (app_offline.h) */
	size_t waiting;       /* offline: transactions in the journal not yet sent */
	const char *progress; /* replaying the journal: "sending 3 of 20", or NULL */
	size_t refused;       /* refusals waiting on the queue screen */
	time_t now;
};

void frame_draw_top(WINDOW *w, int cols, const struct frame_status *st);

#endif
