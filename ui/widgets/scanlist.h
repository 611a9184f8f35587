/* The lines of a scanning screen (check out, check in, renew): each scan
 * becomes a line at once, pending, and later gets its result. A line has
 * three columns: what was scanned, the outcome in a few large words, and
 * the detail (title, refusal). Lines that need the desk's action are drawn
 * in the attention role. Only the newest lines that fit are drawn, the
 * newest at the bottom, so a new scan moves the list up by one row (which
 * curses sends as a scroll, not a repaint). */
#ifndef BALIE_SCANLIST_H
#define BALIE_SCANLIST_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

enum scanline_state {
	SCANLINE_PENDING,
	SCANLINE_DONE,      /* a result that needs nothing more */
	SCANLINE_NOTE,      /* a result worth a look, in the note role */
	SCANLINE_ATTENTION, /* a refusal or a route the desk must act on */
};

struct scanline {
	unsigned id;
	enum scanline_state state;
	char *scanned;
	char *outcome;
	char *detail;
	long long seq;      /* a saved line's journal entry, until settled; else 0 */
};

struct scanlist {
	struct scanline *lines;
	size_t n, cap;
	unsigned next_id;
};

void scanlist_init(struct scanlist *l);
void scanlist_free(struct scanlist *l);
void scanlist_clear(struct scanlist *l);
/* The id the next line will get: a mark for scanlist_clear_before. */
unsigned scanlist_next_id(const struct scanlist *l);
/* Removes the lines added before the mark, keeping those added since (a new
 * patron's answer ends the previous visit's lines, not the items scanned
 * for the new one while it was looked up). */
void scanlist_clear_before(struct scanlist *l, unsigned mark);
/* Removes every line that has its result, keeping those still pending (the
 * end of a visit: the next patron must not read the previous one's titles,
 * and an answer on its way still shows). */
void scanlist_clear_finished(struct scanlist *l);
/* Adds a pending line for scanned; returns its id (never 0). */
unsigned scanlist_add(struct scanlist *l, const char *scanned);
/* Adds a finished line at once (a refusal at the desk). */
unsigned scanlist_add_done(struct scanlist *l, const char *scanned, enum scanline_state st,
			   const char *outcome, const char *detail);
/* Sets the result of line id (copied); false when it is gone. */
bool scanlist_set(struct scanlist *l, unsigned id, enum scanline_state st, const char *outcome,
		  const char *detail);
struct scanline *scanlist_find(struct scanlist *l, unsigned id);
/* The line showing journal entry seq as saved, or NULL (seq 0: NULL). */
struct scanline *scanlist_find_seq(struct scanlist *l, long long seq);
size_t scanlist_pending(const struct scanlist *l);

/* Draws the newest lines in rows top..bottom (inclusive), cols wide. */
void scanlist_draw(const struct scanlist *l, WINDOW *w, int top, int bottom, int cols);

#endif
