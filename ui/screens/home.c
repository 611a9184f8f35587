#include "ui/screens/home.h"

#include "core/i18n.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

const char *home_role_text(const char *role)
{
	if (strcmp(role, "balie") == 0)
		return _("desk staff");
	if (strcmp(role, "ido") == 0)
		return _("IDO volunteer");
	if (strcmp(role, "beheer") == 0)
		return _("administration");
	return role;
}

static char *home_key_dup(const struct keymap *km, enum action a)
{
	keycode k[4];
	size_t n = keymap_keys_for(km, SCREEN_HOME, a, k, 4);
	if (n == 0)
		return NULL;
	char name[KEYS_NAME_MAX];
	keys_format(k[0], name);
	return xstrdup(name);
}

void home_draw(WINDOW *w, int top, int bottom, int cols, const struct session_login *s,
	       const char *branch_name, const struct keymap *km, time_t now)
{
	int y = top + 1;
	char *line = xasprintf(_("Welcome, %s."), s->name);
	term_text_as(w, y, 4, cols - 5, line, TERM_TITLE);
	free(line);

	char roles[256] = "";
	for (size_t i = 0; i < s->n_roles; i++) {
		if (i > 0)
			strncat(roles, ", ", sizeof roles - strlen(roles) - 1);
		strncat(roles, home_role_text(s->roles[i]), sizeof roles - strlen(roles) - 1);
	}
	y += 2;
	line = xasprintf(_("You are logged in as %s (%s) at %s."), s->username, roles, branch_name);
	term_text(w, y, 4, cols - 5, line);
	free(line);

	char date[32] = "";
	struct tm tm;
	/* TRANSLATORS: the date format (strftime); Dutch writes dd-mm-jjjj: %d-%m-%Y */
	if (localtime_r(&now, &tm))
		strftime(date, sizeof date, _("%Y-%m-%d"), &tm);
	line = xasprintf(_("Today is %s."), date);
	term_text(w, ++y, 4, cols - 5, line);
	free(line);

	char *help = home_key_dup(km, ACTION_HELP);
	char *lock = home_key_dup(km, ACTION_LOCK);
	char *logout = home_key_dup(km, ACTION_LOGOUT);
	y += 2;
	if (help && y <= bottom) {
		line = xasprintf(_("%s shows every key of the desk."), help);
		term_text(w, y++, 4, cols - 5, line);
		free(line);
	}
	if (lock && y <= bottom) {
		line = xasprintf(_("%s locks the desk when you step away."), lock);
		term_text(w, y++, 4, cols - 5, line);
		free(line);
	}
	if (logout && y <= bottom) {
		line = xasprintf(_("%s logs you out."), logout);
		term_text(w, y++, 4, cols - 5, line);
		free(line);
	}
	free(help);
	free(lock);
	free(logout);
}

/* ---- the screen's row (screen.h) ---- */

static void home_op_draw(void *self, struct screen_area *area)
{
	const struct home *h = self;
	const struct session_login *s = *h->session;
	const struct session_branch *b =
		*h->branches ? session_branches_find(*h->branches, s->branch) : NULL;
	home_draw(area->w, area->top, area->bottom, area->cols, s, b ? b->name : s->branch, h->km,
		  area->now);
}

const struct screen_ops home_ops = {
	.draw = home_op_draw,
};
