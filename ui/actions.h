/* Everything a key can do, defined once (DESIGN.md section 4): the enum, the
 * help screen, the function-key line, `balie --keys` and balie-keys(5) all
 * come from these tables. */
#ifndef BALIE_ACTIONS_H
#define BALIE_ACTIONS_H

#include "i18n.h"

#include <stdbool.h>

/* The screens a binding can name; "global" applies on every screen where the
 * action works, unless the screen binds the same key itself.
 * X(enum name, name in key files, what the screen is, in English) */
#define BALIE_SCREENS(X) \
	X(GLOBAL, "global", N_("every screen")) \
	X(LOGIN, "login", N_("the log-in screen")) \
	X(LOCK, "lock", N_("the locked desk")) \
	X(HELP, "help", N_("the key bindings")) \
	X(HOME, "home", N_("the desk after logging in"))

enum ui_screen {
#define SCREEN_ENUM(name, id, text) SCREEN_##name,
	BALIE_SCREENS(SCREEN_ENUM)
#undef SCREEN_ENUM
	SCREEN_COUNT
};

#define ON(s) (1u << SCREEN_##s)
#define ON_LOGGED_IN (ON(HOME) | ON(HELP))

/* X(enum name, name in key files, short label for the function-key line,
 *   help text, the screens where it works) */
#define BALIE_ACTIONS(X) \
	X(HELP, "help", N_("Help"), N_("Show the key bindings of this screen"), \
	  ON(GLOBAL) | ON(LOGIN) | ON(HOME)) \
	X(REDRAW, "redraw", N_("Redraw"), N_("Repaint the whole screen"), \
	  ON(GLOBAL) | ON(LOGIN) | ON(LOCK) | ON(HELP) | ON(HOME)) \
	X(LOGOUT, "logout", N_("Log out"), N_("Log out and return to the log-in screen"), \
	  ON(GLOBAL) | ON(LOCK) | ON_LOGGED_IN) \
	X(LOCK, "lock", N_("Lock"), N_("Lock the desk until your password is given again"), \
	  ON(GLOBAL) | ON_LOGGED_IN) \
	X(QUIT, "quit", N_("Quit"), N_("Leave balie"), ON(GLOBAL) | ON(LOGIN)) \
	X(NEXT_FIELD, "next-field", N_("Next"), N_("Go to the next field"), ON(LOGIN)) \
	X(PREV_FIELD, "prev-field", N_("Previous"), N_("Go to the previous field"), ON(LOGIN)) \
	X(SUBMIT, "submit", N_("OK"), N_("Log in, or unlock the desk, with what was typed"), \
	  ON(LOGIN) | ON(LOCK)) \
	X(NEXT_BRANCH, "next-branch", N_("Branch"), N_("Choose the next branch"), ON(LOGIN)) \
	X(PREV_BRANCH, "prev-branch", N_("Branch"), N_("Choose the previous branch"), ON(LOGIN)) \
	X(BACK, "back", N_("Back"), N_("Return to the previous screen"), ON(HELP)) \
	X(SCROLL_UP, "scroll-up", N_("Up"), N_("Scroll up one line"), ON(HELP)) \
	X(SCROLL_DOWN, "scroll-down", N_("Down"), N_("Scroll down one line"), ON(HELP)) \
	X(PAGE_UP, "page-up", N_("Page up"), N_("Scroll up one page"), ON(HELP)) \
	X(PAGE_DOWN, "page-down", N_("Page down"), N_("Scroll down one page"), ON(HELP)) \
	X(TOP, "top", N_("Top"), N_("Go to the top"), ON(HELP)) \
	X(BOTTOM, "bottom", N_("End"), N_("Go to the end"), ON(HELP))

enum action {
	ACTION_NONE,
#define ACTION_ENUM(name, id, label, help, screens) ACTION_##name,
	BALIE_ACTIONS(ACTION_ENUM)
#undef ACTION_ENUM
	ACTION_COUNT
};

/* The name used in key files ("help"); NULL for ACTION_NONE. */
const char *action_name(enum action a);
/* The short label and the help text, translated. */
const char *action_label(enum action a);
const char *action_help(enum action a);
/* ACTION_NONE when name is not an action. */
enum action action_from_name(const char *name);
/* True when the action does something on screen s (or may be bound globally,
 * for SCREEN_GLOBAL). */
bool action_works_on(enum action a, enum ui_screen s);

const char *screen_name(enum ui_screen s);
/* The English description of a screen, translated. */
const char *screen_text(enum ui_screen s);
/* False when name is not a screen. */
bool screen_from_name(const char *name, enum ui_screen *out);

#endif
