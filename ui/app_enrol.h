/* The enrolment screen in the desk's event loop: it fetches the rules
 * (GET /memberships/rules) when the screen opens, sends the form
 * (POST /memberships, a new Idempotency-Key each time), puts the answer on
 * the form, prints the welcome slip on request, and hands a new member's
 * card to the check-out screen. Nothing here waits for the network. */
#ifndef BALIE_APP_ENROL_H
#define BALIE_APP_ENROL_H

#include "ui/actions.h"
#include "ui/app.h"
#include "ui/keys/keys.h"
#include "client/session.h"

#include <curses.h>
#include <stdbool.h>

struct app_enrol;

/* Called with a new member's card when the desk goes on to check out. */
typedef void (*app_enrol_checkout_fn)(void *ctx, const char *card);

/* session and branches are the app's, read at each use; dirty is set when
 * an answer changed the screen. */
struct app_enrol *app_enrol_new(const struct app_setup *setup,
				struct session_login *const *session,
				struct session_branches *const *branches, bool *dirty,
				app_enrol_checkout_fn checkout, void *checkout_ctx);
/* Forgets requests under way and frees. */
void app_enrol_free(struct app_enrol *ae);
/* Forgets the form and the rules: a staff member logs out. */
void app_enrol_reset(struct app_enrol *ae);
struct outbox;
/* The desk's offline state (client/outbox.h): an enrolment needs the
 * service, and says so while the desk is offline, keeping the form. */
void app_enrol_set_offline(struct app_enrol *ae, struct outbox *offline);

/* The screen opens (F6): a finished enrolment makes room for the next. */
void app_enrol_open(struct app_enrol *ae);
/* An action on the enrolment screen; false when it is not one of its own. */
bool app_enrol_action(struct app_enrol *ae, enum action a);
/* True when k is typing into the form rather than a binding. */
/* False when a does nothing in the form's present state (the key line
 * leaves it out). */
bool app_enrol_live(const struct app_enrol *ae, enum action a);
bool app_enrol_takes_text(const struct app_enrol *ae, keycode k);
void app_enrol_key(struct app_enrol *ae, keycode k);
void app_enrol_draw(const struct app_enrol *ae, WINDOW *w, int top, int bottom, int cols,
		    int *cy, int *cx);

#endif
