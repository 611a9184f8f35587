#include "ui/actions.h"

#include <string.h>

struct action_info {
	const char *name;
	const char *label;
	const char *help;
	unsigned screens;
};

static const struct action_info action_table[ACTION_COUNT] = {
	[ACTION_NONE] = { NULL, "", "", 0 },
#define ACTION_ROW(e, id, lbl, hlp, scr) [ACTION_##e] = { id, lbl, hlp, scr },
	BALIE_ACTIONS(ACTION_ROW)
#undef ACTION_ROW
};

static const struct {
	const char *name;
	const char *text;
} screen_table[SCREEN_COUNT] = {
#define SCREEN_ROW(e, id, txt) [SCREEN_##e] = { id, txt },
	BALIE_SCREENS(SCREEN_ROW)
#undef SCREEN_ROW
};

const char *action_name(enum action a)
{
	return a < ACTION_COUNT ? action_table[a].name : NULL;
}

const char *action_label(enum action a)
{
	return a > ACTION_NONE && a < ACTION_COUNT ? _(action_table[a].label) : "";
}

bool action_label_translated(enum action a)
{
	return a > ACTION_NONE && a < ACTION_COUNT &&
	       _(action_table[a].label) != action_table[a].label;
}

const char *action_help(enum action a)
{
	return a > ACTION_NONE && a < ACTION_COUNT ? _(action_table[a].help) : "";
}

const char *action_help_on(enum action a, enum ui_screen s)
{
	static const struct {
		enum action a;
		enum ui_screen s;
		const char *help;
	} own[] = {
#define SCREEN_HELP_ROW(e, scr, hlp) { ACTION_##e, SCREEN_##scr, hlp },
		BALIE_SCREEN_HELP(SCREEN_HELP_ROW)
#undef SCREEN_HELP_ROW
	};
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
		if (own[i].a == a && own[i].s == s)
			return _(own[i].help);
	return action_help(a);
}

enum action action_from_name(const char *name)
{
	for (unsigned a = ACTION_NONE + 1; a < ACTION_COUNT; a++)
		if (strcmp(action_table[a].name, name) == 0)
			return (enum action)a;
	return ACTION_NONE;
}

bool action_works_on(enum action a, enum ui_screen s)
{
	return a > ACTION_NONE && a < ACTION_COUNT && s < SCREEN_COUNT &&
	       (action_table[a].screens & (1u << s)) != 0;
}

bool action_scrolls(enum action a)
{
	switch (a) {
	case ACTION_SCROLL_UP:
	case ACTION_SCROLL_DOWN:
	case ACTION_PAGE_UP:
	case ACTION_PAGE_DOWN:
	case ACTION_TOP:
	case ACTION_BOTTOM:
		return true;
	default:
		return false;
	}
}

bool action_without_session(enum action a)
{
	switch (a) {
	case ACTION_HELP:
	case ACTION_BACK:
	case ACTION_REDRAW:
	case ACTION_QUIT:
	case ACTION_SUBMIT:
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
	case ACTION_NEXT_BRANCH:
	case ACTION_PREV_BRANCH:
		return true;
	default:
		return action_scrolls(a);
	}
}

enum ui_screen action_screen(enum action a)
{
	switch (a) {
	case ACTION_HELP:
		return SCREEN_HELP;
	case ACTION_CHECKOUT:
		return SCREEN_CHECKOUT;
	case ACTION_CHECKIN:
		return SCREEN_CHECKIN;
	case ACTION_RENEW:
		return SCREEN_RENEW;
	case ACTION_PATRON:
		return SCREEN_PATRON;
	case ACTION_IDO:
		return SCREEN_IDO;
	case ACTION_ENROL:
		return SCREEN_ENROL;
	case ACTION_QUEUE:
		return SCREEN_QUEUE;
	case ACTION_TITLES:
		return SCREEN_TITLES;
	case ACTION_HOLDSHELF:
		return SCREEN_HOLDSHELF;
	case ACTION_CASHUP:
		return SCREEN_CASHUP;
	default:
		return SCREEN_COUNT;
	}
}

const char *screen_name(enum ui_screen s)
{
	return s < SCREEN_COUNT ? screen_table[s].name : "?";
}

const char *screen_text(enum ui_screen s)
{
	return s < SCREEN_COUNT ? _(screen_table[s].text) : "";
}

bool screen_from_name(const char *name, enum ui_screen *out)
{
	for (unsigned s = 0; s < SCREEN_COUNT; s++) {
		if (strcmp(screen_table[s].name, name) == 0) {
			*out = (enum ui_screen)s;
			return true;
		}
	}
	return false;
}
