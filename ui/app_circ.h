/* The circulation screens in the desk's event loop: check out, check in,
 * renew and patron, with their shared scan queue, and the patron's account
 * and the desk's cash-up beside them. Their rows (screen.h) are
 * in their own files; this module makes their state and the context they
 * share, and places it for the rows. Nothing here waits for the network. */
#ifndef BALIE_APP_CIRC_H
#define BALIE_APP_CIRC_H

#include "ui/actions.h"
#include "ui/app_setup.h"
#include "client/session.h"

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
/* Puts each circulation screen's state at its screen in self, for its row. */
void app_circ_place_screens(struct app_circ *ac, void *self[SCREEN_COUNT]);

#endif
