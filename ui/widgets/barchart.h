/* Horizontal bar charts in the terminal: a label, a bar as long as its
 * count allows, and the count. Bars are U+2588 on a UTF-8 terminal and '#'
 * on an 8-bit one. */
#ifndef BALIE_BARCHART_H
#define BALIE_BARCHART_H

#include "client/idolog.h"

#include <curses.h>

/*
 * Draws the entries of e (most first) from row y in at most rows rows of
 * width columns at x, each bar scaled to the largest count; a label too long
 * for its column goes on in the rows below. When not all fit, the last rows
 * say how many more there are and name them. Returns the rows used.
 */
int barchart_draw(WINDOW *w, int y, int x, int width, int rows, const struct ido_entries *e);

/* The rows barchart_draw needs to show every entry of e with its bar. */
int barchart_rows(int width, const struct ido_entries *e);

#endif
