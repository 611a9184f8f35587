/* The table of screens (ui/screen.h): every screen has its row, each row can
 * draw, and every action that opens a screen opens one that has a row. */
#include "ui/actions.h"
#include "ui/screen.h"
#include "tap.h"

int main(void)
{
	ok(screen_ops_of(SCREEN_GLOBAL) == NULL, "\"global\" is no screen and has no row");
	for (unsigned s = SCREEN_GLOBAL + 1; s < SCREEN_COUNT; s++) {
		const struct screen_ops *ops = screen_ops_of((enum ui_screen)s);
		ok(ops && ops->draw, "the screen %s has its row, and it draws",
		   screen_name((enum ui_screen)s));
	}
	for (unsigned a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		enum ui_screen s = action_screen((enum action)a);
		if (s == SCREEN_COUNT)
			continue;
		ok(screen_ops_of(s) != NULL && action_works_on((enum action)a, SCREEN_GLOBAL),
		   "%s opens the screen %s, which has a row, from any screen",
		   action_name((enum action)a), screen_name(s));
	}
	ok(action_screen(ACTION_QUIT) == SCREEN_COUNT && action_screen(ACTION_LOCK) == SCREEN_COUNT,
	   "quit and lock open no screen of the table");
	return tap_done();
}
