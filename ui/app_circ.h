/* The circulation screens in the desk's event loop: check out, check in,
 * renew and patron, with their shared scan queue. The app hands them the
 * actions and keys of their screens and asks them to draw; nothing here
 * waits for the network. */
#ifndef BALIE_APP_CIRC_H
#define BALIE_APP_CIRC_H

#include "ui/actions.h"
#include "ui/app.h"
#include "ui/keys/keys.h"
#include "client/session.h"

#include <curses.h>
#include <stdbool.h>

struct app_circ;

/* Returns the screens' state. session and branches are the app's, read at
 * each use; dirty is set when an answer has changed a screen. */
struct app_circ *app_circ_new(const struct app_setup *setup, struct session_login *const *session,
			      struct session_branches *const *branches, bool *dirty);
/* Forgets every request under way (before the api goes) and frees. */
void app_circ_free(struct app_circ *ac);
struct outbox;
/* From now on check-outs and check-ins go through the journal (client/outbox.h). */
void app_circ_set_offline(struct app_circ *ac, struct outbox *offline);
/* Forgets patrons, lines and requests: a staff member logs out. */
void app_circ_reset(struct app_circ *ac);

/* True for the screens this module draws. */
bool app_circ_is_screen(enum ui_screen s);
/* The screen an action opens (check out, ...), or SCREEN_COUNT for none. */
enum ui_screen app_circ_screen_of(enum action a);
/* An action on one of its screens; false when the screen does not use it. */
bool app_circ_action(struct app_circ *ac, enum ui_screen s, enum action a);
/* True when k on screen s is typing into a field rather than a binding. */
/* False when a does nothing on screen s in its present state (the key line
 * leaves it out). */
bool app_circ_live(const struct app_circ *ac, enum ui_screen s, enum action a);
bool app_circ_takes_text(const struct app_circ *ac, enum ui_screen s, keycode k);
/* A key that is no action on screen s (editing a field). */
void app_circ_key(struct app_circ *ac, enum ui_screen s, keycode k);
void app_circ_draw(const struct app_circ *ac, enum ui_screen s, WINDOW *w, int top, int bottom,
		   int cols, int *cy, int *cx);

#endif
