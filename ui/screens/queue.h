/* The offline queue (F8; DESIGN.md section 4, Offline): the transactions the
 * service refused when the journal was replayed, oldest first, each with
 * what it was, when it happened at the desk and the refusal in words.
 * Nothing leaves it silently: the desk either retries the chosen one with
 * an override and a reason (a new journal entry with a new key) or marks it
 * handled with a note. Each staff member sees the own refusals; a
 * volunteer with only the ido role sees only IDO questions, the only ones
 * that desk can act on. What other staff members left waiting is named
 * ("3 transactions of balie wait: let balie log in"); an administrator
 * (beheer) sees everyone's refusals and those waiting entries as well, and
 * may mark one handled with a note, after which it is never sent (the list
 * is outbox_queue_shows's, the count on the top line the same). */
#ifndef BALIE_QUEUE_H
#define BALIE_QUEUE_H

#include "ui/actions.h"
#include "client/outbox.h"
#include "ui/widgets/field.h"
#include "client/journal.h"
#include "ui/keys/keymap.h"
#include "ui/keys/keys.h"
#include "ui/screen.h"

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

enum queue_mode { QUEUE_BROWSE, QUEUE_REASON, QUEUE_NOTE };

struct queue {
	struct outbox *offline;
	const struct keymap *km;
	struct journal_entry **list;
	size_t n, cur;
	enum queue_mode mode;
	struct field input;
	char *message;
	bool message_error;
};

void queue_init(struct queue *q, struct outbox *offline, const struct keymap *km);
void queue_free(struct queue *q);
/* Reads the entries from the journal again (on opening the screen, and
 * after each change), for who is logged in now. */
void queue_reload(struct queue *q);
/* An action on the queue screen; false when it is not one of its own. */
bool queue_action(struct queue *q, enum action a);
/* True when k types into the reason or note. */
bool queue_takes_text(const struct queue *q, keycode k);
void queue_key(struct queue *q, keycode k);
void queue_draw(const struct queue *q, WINDOW *w, int top, int bottom, int cols, int *cy, int *cx);

/* The queue screen's row; self is a struct queue. */
extern const struct screen_ops queue_ops;

#endif
