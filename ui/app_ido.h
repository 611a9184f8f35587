/* The IDO screens in the desk's event loop: the question form and the
 * statistics, with their calls to the service (catalogue, saving a
 * question, statistics, export), and the rows (screen.h) of both screens;
 * nothing here waits for the network. */
#ifndef BALIE_APP_IDO_H
#define BALIE_APP_IDO_H

#include "ui/actions.h"
#include "ui/app_setup.h"
#include "ui/screen.h"
#include "client/session.h"

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
/* Opens the question form (loading the catalogue when needed); returns its screen. */
enum ui_screen app_ido_open(struct app_ido *ai);

/* The rows of the question form and the statistics; self is the struct
 * app_ido. A log-out forgets the visit, the catalogue and the statistics. */
extern const struct screen_ops app_ido_form_ops;
extern const struct screen_ops app_ido_stats_ops;

#endif
