/* The log-in screen: user name, hidden password, and the branch chosen from
 * GET /branches. It holds what was typed; the app does the network. */
#ifndef BALIE_LOGIN_H
#define BALIE_LOGIN_H

#include "ui/actions.h"
#include "ui/widgets/field.h"
#include "client/session.h"

#include <curses.h>
#include <stdbool.h>

enum login_focus { LOGIN_USER, LOGIN_PASSWORD, LOGIN_BRANCH, LOGIN_N_FIELDS };

struct login {
	struct field user, password;
	enum login_focus focus;
	struct session_branches *branches; /* NULL until they have arrived */
	size_t branch;
	char *message;      /* what the desk should read, or NULL */
	bool message_error;
	bool busy;          /* a request is on its way */
	bool send_waiting;  /* Enter came before the branches: log in when they arrive */
	bool training;      /* list the training accounts */
};

/* What the app should do after an action. */
enum login_request { LOGIN_NOTHING, LOGIN_SEND, LOGIN_FETCH_BRANCHES };

void login_init(struct login *l);
void login_free(struct login *l);
/* Forgets the password (and with all, the user name) for the next person. */
void login_reset(struct login *l, bool all);
/* Takes b; selects the branch with code preselect when there is one. */
void login_set_branches(struct login *l, struct session_branches *b, const char *preselect);
/* Sets the message (copied; NULL clears it). */
void login_set_message(struct login *l, const char *msg, bool error);
/* The chosen branch, or NULL. */
const struct session_branch *login_branch(const struct login *l);

enum login_request login_action(struct login *l, enum action a);
/* A key that is no action: typing into the field that has the focus, or
 * Left/Right on the branch. False when nothing took it. */
bool login_key(struct login *l, keycode k);
/* Draws rows top..bottom (inclusive); sets the cursor position. */
void login_draw(const struct login *l, WINDOW *w, int top, int bottom, int cols, int *cy, int *cx);

#endif
