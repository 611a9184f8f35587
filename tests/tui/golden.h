/* Golden screens: the whole screen (every row of it) compared with a file
 * under tests/tui/screens/, so that a change anywhere on a screen (a word,
 * a column, a frame) shows, not only the words a test looks for. What
 * changes between runs is masked by patterns that the file shows as they
 * are replaced (the clock as "HH:MM"), never by leaving a row out. */
#ifndef BALIE_TUI_GOLDEN_H
#define BALIE_TUI_GOLDEN_H

#include "vt.h"

#include <stdbool.h>

/* Every match of the extended regular expression pattern in row (0-based;
 * -1: every row) is replaced by replacement before the comparison. */
struct golden_mask {
	int row;
	const char *pattern;
	const char *replacement;
};

/* Waits until the screen, masked by masks (ending with {0, NULL, NULL}; may
 * be NULL), equals the file screens/NAME.txt of the source tree
 * (BALIE_SOURCE_ROOT): one line a row, trailing blanks dropped, exactly as
 * many lines as the screen has rows. On the deadline prints, as "# " lines,
 * the expected and the got row by row, marking with '!' each row that
 * differs, and returns false. With BALIE_GOLDEN_UPDATE=1 it waits for the
 * screen to be quiet, writes the file instead and returns true (saying so). */
bool golden_wait(struct vt *vt, const char *name, const struct golden_mask *masks,
		 int deadline_ms);

#endif
