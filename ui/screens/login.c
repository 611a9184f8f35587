#include "ui/screens/login.h"

#include "core/i18n.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { LOGIN_FIELD_MAX = 64, LOGIN_FIELD_WIDTH = 30 };

void login_init(struct login *l)
{
	*l = (struct login){ 0 };
	field_init(&l->user, LOGIN_FIELD_MAX, false);
	field_init(&l->password, LOGIN_FIELD_MAX * 4, true);
}

void login_free(struct login *l)
{
	field_free(&l->user);
	field_free(&l->password);
	session_branches_free(l->branches);
	free(l->message);
}

void login_reset(struct login *l, bool all)
{
	field_clear(&l->password);
	if (all)
		field_clear(&l->user);
	l->focus = all || field_is_empty(&l->user) ? LOGIN_USER : LOGIN_PASSWORD;
	l->busy = false;
	l->send_waiting = false;
}

void login_set_branches(struct login *l, struct session_branches *b, const char *preselect)
{
	session_branches_free(l->branches);
	l->branches = b;
	l->branch = 0;
	for (size_t i = 0; preselect && i < b->n; i++)
		if (strcmp(b->items[i].code, preselect) == 0)
			l->branch = i;
}

void login_set_message(struct login *l, const char *msg, bool error)
{
	xstrset(&l->message, msg);
	l->message_error = error;
}

const struct session_branch *login_branch(const struct login *l)
{
	return l->branches && l->branch < l->branches->n ? &l->branches->items[l->branch] : NULL;
}

static void login_step_branch(struct login *l, bool forward)
{
	if (!l->branches || l->branches->n == 0)
		return;
	size_t n = l->branches->n;
	l->branch = forward ? (l->branch + 1) % n : (l->branch + n - 1) % n;
}

enum login_request login_action(struct login *l, enum action a)
{
	switch (a) {
	case ACTION_NEXT_FIELD:
		l->focus = (enum login_focus)((l->focus + 1) % LOGIN_N_FIELDS);
		return LOGIN_NOTHING;
	case ACTION_PREV_FIELD:
		l->focus = (enum login_focus)((l->focus + LOGIN_N_FIELDS - 1) % LOGIN_N_FIELDS);
		return LOGIN_NOTHING;
	case ACTION_NEXT_BRANCH:
	case ACTION_PREV_BRANCH:
		login_step_branch(l, a == ACTION_NEXT_BRANCH);
		return LOGIN_NOTHING;
	case ACTION_SUBMIT:
		if (l->busy)
			return LOGIN_NOTHING;
		/* Enter after the user name goes on to the password, as people type. */
		if (field_is_empty(&l->user)) {
			l->focus = LOGIN_USER;
			return LOGIN_NOTHING;
		}
		if (field_is_empty(&l->password)) {
			l->focus = LOGIN_PASSWORD;
			return LOGIN_NOTHING;
		}
		if (l->branches)
			return LOGIN_SEND;
		l->send_waiting = true;
		return LOGIN_FETCH_BRANCHES;
	default:
		return LOGIN_NOTHING;
	}
}

bool login_key(struct login *l, keycode k)
{
	switch (l->focus) {
	case LOGIN_USER:
		return field_key(&l->user, k);
	case LOGIN_PASSWORD:
		return field_key(&l->password, k);
	case LOGIN_BRANCH:
		if (k == KEYC_LEFT || k == KEYC_RIGHT || k == KEYC_SPACE) {
			login_step_branch(l, k != KEYC_LEFT);
			return true;
		}
		return false;
	case LOGIN_N_FIELDS:
		break;
	}
	return false;
}

static void login_draw_training(WINDOW *w, int y, int bottom, int cols)
{
	static const struct {
		const char *user;
		const char *role;
	} accounts[] = {
		{ "balie", N_("desk staff") },
		{ "ido", N_("IDO volunteer") },
		{ "beheer", N_("administration") },
	};
	if (y > bottom)
		return;
	term_text_as(w, y++, 4, cols - 5, _("Training environment: practise with one of these accounts."),
		     TERM_NOTE);
	char *pw = xasprintf(_("The password of each is: %s"), "oefenen");
	if (y <= bottom)
		term_text_as(w, y++, 4, cols - 5, pw, TERM_NOTE);
	free(pw);
	for (size_t i = 0; i < 3 && y <= bottom; i++, y++) {
		term_text_as(w, y, 6, 10, accounts[i].user, TERM_TITLE);
		term_text(w, y, 16, cols - 17, _(accounts[i].role));
	}
}

void login_draw(const struct login *l, WINDOW *w, int top, int bottom, int cols, int *cy, int *cx)
{
	const char *labels[LOGIN_N_FIELDS] = { _("User name"), _("Password"), _("Branch") };
	int label_w = 0;
	for (int i = 0; i < LOGIN_N_FIELDS; i++)
		if (term_width(labels[i]) > label_w)
			label_w = term_width(labels[i]);
	int fx = 4 + label_w + 2;
	int fw = cols - fx - 2 < LOGIN_FIELD_WIDTH ? cols - fx - 2 : LOGIN_FIELD_WIDTH;
	int y = top + 1;
	term_text_as(w, y, 4, cols - 5, _("Log in to balie"), TERM_TITLE);
	*cy = *cx = -1;
	for (int i = 0; i < LOGIN_N_FIELDS; i++) {
		y += 2;
		if (y > bottom)
			return;
		bool focus = l->focus == (enum login_focus)i;
		term_text_as(w, y, 4, label_w + 1, labels[i], focus ? TERM_TITLE : TERM_LABEL);
		if (i == LOGIN_BRANCH) {
			const struct session_branch *b = login_branch(l);
			const char *name = b                  ? b->name
					   : l->message_error ? _("(not available)")
							      : _("(loading the branches...)");
			char *shown = b ? xasprintf("< %s >", name) : xstrdup(name);
			term_text_as(w, y, fx, cols - fx - 1, shown, focus ? TERM_FIELD_FOCUS : TERM_LABEL);
			free(shown);
			continue;
		}
		const struct field *f = i == LOGIN_USER ? &l->user : &l->password;
		int col = field_draw(f, w, y, fx, fw, focus);
		if (focus) {
			*cy = y;
			*cx = col;
		}
	}
	y += 2;
	int used = 1;
	if (y <= bottom && (l->busy || l->message)) {
		const char *msg = l->busy ? _("Logging in...") : l->message;
		used = term_text_wrap(w, y, 4, cols - 5, bottom - y + 1 < 3 ? bottom - y + 1 : 3, msg,
				      l->message_error && !l->busy ? TERM_ERROR : TERM_NOTE);
	}
	if (l->training)
		login_draw_training(w, y + used + 1, bottom, cols);
}
