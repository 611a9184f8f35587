/* The locked desk: the screen is covered and only the password of the staff
 * member who is logged in unlocks it (the app checks it with a new POST
 * /session for the same user). */
#ifndef BALIE_LOCK_H
#define BALIE_LOCK_H

#include "field.h"

#include <curses.h>
#include <stdbool.h>

struct lock {
	struct field password;
	char *message; /* an error, or NULL */
	bool busy;     /* the password is being checked */
};

void lock_init(struct lock *l);
void lock_free(struct lock *l);
/* Empties the password and the message, for a fresh lock. */
void lock_reset(struct lock *l);
void lock_set_message(struct lock *l, const char *msg);
/* Draws rows top..bottom for the staff member name (username); sets the cursor. */
void lock_draw(const struct lock *l, WINDOW *w, int top, int bottom, int cols, const char *name,
	       const char *username, int *cy, int *cx);

#endif
