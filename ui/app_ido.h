/* The IDO screens in the desk's event loop: the question form and the
 * statistics, with their calls to the service (catalogue, saving a
 * question, statistics, export). Shaped like app_circ.h: the app hands them
 * the actions and keys of their screens and asks them to draw; nothing here
 * waits for the network. */
#ifndef BALIE_APP_IDO_H
#define BALIE_APP_IDO_H

#include "ui/actions.h"
#include "ui/app.h"
#include "ui/keys/keys.h"
#include "client/session.h"

#include <curses.h>
#include <stdbool.h>

struct app_ido;

/* Returns the screens' state. session and branches are the app's, read at
 * each use; dirty is set when an answer has changed a screen. */
struct app_ido *app_ido_new(const struct app_setup *setup, struct session_login *const *session,
			    struct session_branches *const *branches, bool *dirty);
/* Forgets every request under way (before the api goes) and frees. */
void app_ido_free(struct app_ido *ai);
struct outbox;
/* From now on questions go through the journal (client/outbox.h). */
void app_ido_set_offline(struct app_ido *ai, struct outbox *offline);
/* Forgets the visit, the catalogue and the statistics: a staff member logs out. */
void app_ido_reset(struct app_ido *ai);

/* True for the screens this module draws. */
bool app_ido_is_screen(enum ui_screen s);
/* Opens the question form (loading the catalogue when needed); returns its screen. */
enum ui_screen app_ido_open(struct app_ido *ai);
/* An action on one of its screens; false when the screen does not use it.
 * *screen may be changed (to the statistics and back). */
bool app_ido_action(struct app_ido *ai, enum ui_screen *screen, enum action a);
/* True when k on screen s is typing into a field rather than a binding. */
bool app_ido_takes_text(const struct app_ido *ai, enum ui_screen s, keycode k);
/* A key that is no action on screen s (editing a field). */
void app_ido_key(struct app_ido *ai, enum ui_screen s, keycode k);
void app_ido_draw(struct app_ido *ai, enum ui_screen s, WINDOW *w, int top, int bottom, int cols,
		  int *cy, int *cx);

#endif
