/* A one-line text field: what was typed stays in the field (a resize only
 * changes how much of it is shown). Editing keys: characters, Backspace,
 * Delete, Left, Right, Home, End, ^A (start), ^E (end), ^U (empty it). */
#ifndef BALIE_FIELD_H
#define BALIE_FIELD_H

#include "ui/keys/keys.h"

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

struct field {
	wchar_t *text;
	size_t len, cursor, max;
	bool hidden; /* a password: shown as '*' */
};

void field_init(struct field *f, size_t max_chars, bool hidden);
void field_free(struct field *f);
void field_clear(struct field *f);
bool field_is_empty(const struct field *f);
/* Returns the text in UTF-8, newly allocated. */
char *field_text_dup(const struct field *f);
/* Replaces the text with UTF-8 s, the cursor at its end. */
void field_set(struct field *f, const char *s);
/* Applies an editing key; false when the key is not one. */
bool field_key(struct field *f, keycode k);
/* Draws the field in width columns at (y, x); returns the cursor's column. */
int field_draw(const struct field *f, WINDOW *w, int y, int x, int width, bool focus);

#endif
