/* Digits in large type (five rows, three columns each), for the number the
 * desk must read out or copy: a new member's card. Blocks on a UTF-8
 * terminal, '#' on an 8-bit one. */
#ifndef BALIE_BIGTEXT_H
#define BALIE_BIGTEXT_H

#include "ui/widgets/term.h"

#include <curses.h>

enum { BIGTEXT_ROWS = 5 };

/* The columns digits takes (a blank column between digits, two between
 * groups of four for reading aloud). */
int bigtext_width(const char *digits);
/* Draws digits from row y, column x, in role's attribute; anything else than
 * a digit is skipped. Nothing is drawn beyond width columns. */
void bigtext_draw(WINDOW *w, int y, int x, int width, const char *digits, enum term_role role);

#endif
