/* Horizontal bar charts in the terminal: a label, a bar as long as its
 * count allows, and the count. Bars are U+2588 on a UTF-8 terminal and '#'
 * on an 8-bit one. */
#ifndef BALIE_BARCHART_H
#define BALIE_BARCHART_H

#include "idolog.h"

#include <curses.h>

/*
 * Draws the entries of e (most first) from row y in at most rows rows of
 * width columns at x, each bar scaled to the largest count. When not all
 * fit, the last row says how many more there are. Returns the rows used.
 */
int barchart_draw(WINDOW *w, int y, int x, int width, int rows, const struct ido_entries *e);

#endif
