/* The locked desk: the screen is covered and only the password of the staff
 * member who is logged in unlocks it (the app checks it with a new POST
 * /session for the same user). A line a scanner sent is no password: it is
 * refused at the desk and never sent, so that scans at a locked desk do
 * not count as failed log-ins (lock_line_is_scan). */
#ifndef BALIE_LOCK_H
#define BALIE_LOCK_H

#include "ui/widgets/field.h"
#include "ui/keys/keys.h"

#include <curses.h>
#include <stdbool.h>

struct lock {
	struct field password;
	char *message; /* an error, or NULL */
	bool busy;     /* the password is being checked */
	long long first_ms, last_ms; /* when the first and the last key of the line came */
	size_t keys;   /* text keys typed into the line */
};

/* A line typed faster than this many ms a key on average came from a
 * scanner: a scanner sends a key every few ms, a person far slower (the
 * burst window of the Esc twins, ui/app.c, is the same figure). */
enum { LOCK_SCAN_MS = 35, LOCK_SCAN_MIN_KEYS = 4 };

void lock_init(struct lock *l);
void lock_free(struct lock *l);
/* Empties the password and the message, for a fresh lock. */
void lock_reset(struct lock *l);
void lock_set_message(struct lock *l, const char *msg);
/* A key that is no action, at now (ms, a clock that only goes forward):
 * typing into the password, timed for lock_line_is_scan. */
void lock_key(struct lock *l, keycode k, long long now);
/* True when the line in the field is a scan, not a password: it came in a
 * burst (LOCK_SCAN_MIN_KEYS or more keys at less than LOCK_SCAN_MS a key,
 * Enter included), or it has the shape of a card or an item barcode (14
 * digits with a valid Luhn check digit). */
bool lock_line_is_scan(const struct lock *l, long long now);
/* Refuses a scanned line: the field is emptied and the lock says to
 * unlock first. */
void lock_refuse_scan(struct lock *l);
/* Draws rows top..bottom for the staff member name (username); sets the cursor. */
void lock_draw(const struct lock *l, WINDOW *w, int top, int bottom, int cols, const char *name,
	       const char *username, int *cy, int *cx);

#endif
