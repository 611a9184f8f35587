/* The desk's own traffic with the service (app_session.c): the health
 * check, the branches, log-in, unlock and log-out; and the rows of the two
 * screens that lead to it, the log-in screen and the locked desk. */
#ifndef BALIE_APP_SESSION_H
#define BALIE_APP_SESSION_H

#include "ui/screen.h"

#include <stdbool.h>

struct app;

/* The name of the branch with code, or the code when it is not in the list. */
const char *app_branch_name(const struct app *app, const char *code);

/* GET /health now, and again after APP_HEALTH_MS. */
void app_session_check_health(struct app *app);
/* GET /branches for the log-in screen, unless it is under way. */
void app_session_fetch_branches(struct app *app);
/* POST /session with what the log-in screen holds. */
void app_session_login(struct app *app);
/* POST /session for the staff member of the locked desk, with the typed password. */
void app_session_unlock(struct app *app);
/* DELETE /session and back to the log-in screen. */
void app_session_logout(struct app *app);
/* Whether the session's lifetime has run out by now (clock_now_ms). */
bool app_session_over(const struct app *app, long long now);
/* The session's lifetime ran out: back to the log-in screen with a
 * sentence; the journal keeps what was saved, and the screens keep what
 * was typed for the same staff member's next log-in. */
void app_session_expire(struct app *app);
/* Cancels what is under way and logs out, before the desk closes. */
void app_session_finish(struct app *app);

/* The rows of the log-in screen and the locked desk; self is the app. */
extern const struct screen_ops app_session_login_ops;
extern const struct screen_ops app_session_lock_ops;

#endif
