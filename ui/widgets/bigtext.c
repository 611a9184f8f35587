#include "ui/widgets/bigtext.h"

#include <string.h>

/* Each digit as five rows of three cells, a bit per cell (4, 2, 1 from the left). */
static const unsigned char font[10][BIGTEXT_ROWS] = {
	{ 7, 5, 5, 5, 7 }, { 2, 6, 2, 2, 7 }, { 7, 1, 7, 4, 7 }, { 7, 1, 7, 1, 7 },
	{ 5, 5, 7, 1, 1 }, { 7, 4, 7, 1, 7 }, { 7, 4, 7, 5, 7 }, { 7, 1, 2, 2, 2 },
	{ 7, 5, 7, 5, 7 }, { 7, 5, 7, 1, 7 },
};

/* The column of the n-th digit. */
static int bigtext_column(int n)
{
	return n * 4 + (n / 4) * 1;
}

int bigtext_width(const char *digits)
{
	int n = 0;
	for (const char *c = digits; *c; c++)
		n += *c >= '0' && *c <= '9';
	return n == 0 ? 0 : bigtext_column(n - 1) + 3;
}

void bigtext_draw(WINDOW *w, int y, int x, int width, const char *digits, enum term_role role)
{
	const char *cell = term_is_utf8() ? "\u2588" : "#";
	int n = 0;
	for (const char *c = digits; *c; c++) {
		if (*c < '0' || *c > '9')
			continue;
		int col = bigtext_column(n++);
		if (col + 3 > width)
			return;
		for (int row = 0; row < BIGTEXT_ROWS; row++)
			for (int bit = 0; bit < 3; bit++)
				if (font[*c - '0'][row] & (4 >> bit))
					term_text_as(w, y + row, x + col + bit, 1, cell, role);
	}
}
