/* The enrolment screen in the desk's event loop: it fetches the rules
 * (GET /memberships/rules) when the screen opens, sends the form
 * (POST /memberships, a new Idempotency-Key each time), puts the answer on
 * the form, prints the welcome slip on request, and hands a new member's
 * card to the check-out screen; and the screen's row (screen.h). Nothing here
 * waits for the network. */
#ifndef BALIE_APP_ENROL_H
#define BALIE_APP_ENROL_H

#include "ui/actions.h"
#include "ui/app_setup.h"
#include "ui/screen.h"
#include "client/session.h"

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
struct outbox;
/* The desk's offline state (client/outbox.h): an enrolment needs the
 * service, and says so while the desk is offline, keeping the form. */
void app_enrol_set_offline(struct app_enrol *ae, struct outbox *offline);

/* The enrolment screen's row; self is the struct app_enrol. Opening the
 * screen (F6) makes room for the next enrolment after a finished one; a
 * log-out forgets the form and the rules. */
extern const struct screen_ops app_enrol_ops;

#endif
