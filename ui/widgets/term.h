/* The terminal: ncursesw set up for the locale's charset, the desk's colours
 * (with a bold/reverse fallback for monochrome terminals and NO_COLOR), and
 * text drawn clipped by display width. On an 8-bit terminal (ISO-8859-1/15)
 * the program's UTF-8 is converted with iconv, transliterated where needed,
 * and lines are drawn with ASCII. */
#ifndef BALIE_TERM_H
#define BALIE_TERM_H

#include <curses.h>
#include <stdbool.h>

enum term_role {
	TERM_NORMAL,
	TERM_BAR,      /* the top and bottom lines */
	TERM_BAR_KEY,  /* a key name on the bottom line */
	TERM_BAR_MODE, /* the state on the top line: OEFENOMGEVING */
	TERM_TITLE,
	TERM_LABEL,
	TERM_FIELD,
	TERM_FIELD_FOCUS,
	TERM_ERROR,    /* something the desk must act on */
	TERM_NOTE,
	TERM_LOCKED,
	TERM_ROLE_COUNT
};

/*
 * Starts curses on the terminal. colour: false when the configuration or
 * NO_COLOR said no. Returns false and sets *err (allocated) when the
 * terminal cannot be used.
 */
bool term_start(bool colour, char **err);
/* Restores the terminal; safe to call more than once and before term_start. */
void term_stop(void);
bool term_started(void);

/* The attribute for a role, with colour or without. */
attr_t term_attr(enum term_role role);
/* Sets the attribute of role on window w. */
void term_use(WINDOW *w, enum term_role role);

/* True when the terminal speaks UTF-8. */
bool term_is_utf8(void);

/* The display width of UTF-8 text as this terminal will show it. */
int term_width(const char *utf8);

/*
 * Draws UTF-8 text at row y, column x, in at most width columns (by display
 * width, never by bytes), with the window's current attribute. Returns the
 * number of columns used.
 */
int term_text(WINDOW *w, int y, int x, int width, const char *utf8);
/* The same in role's attribute. */
int term_text_as(WINDOW *w, int y, int x, int width, const char *utf8, enum term_role role);
/*
 * Draws UTF-8 text from row y in at most rows rows of width columns, broken
 * as utf8_wrap breaks it (at spaces, an amount kept with its currency sign,
 * a word wider than a row going on in the next), in role's attribute.
 * Returns the number of rows used. Every message a screen shows is drawn
 * with it, in the rows term_wrap_rows says it needs.
 */
int term_text_wrap(WINDOW *w, int y, int x, int width, int rows, const char *utf8,
		   enum term_role role);
/* The rows term_text_wrap needs for all of utf8 at width columns. */
int term_wrap_rows(int width, const char *utf8);
/* Fills width columns of row y from x with blanks in role's attribute. */
void term_fill(WINDOW *w, int y, int x, int width, enum term_role role);
/* A horizontal line: U+2500 on UTF-8, '-' on an 8-bit terminal. */
void term_hline(WINDOW *w, int y, int x, int width);

#endif
