#include "ui/screens/help.h"

#include "core/i18n.h"
#include "ui/roles.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { HELP_MAX_KEYS = 16, HELP_KEYS_WIDTH = 24 };

/* The help screen names keys in the desk's language; a keys file keeps the
 * English names of balie-keys(5). "key name|" marks the msgid and never
 * shows. */
static const struct {
	keycode k;
	const char *name;
} help_key_names[] = {
	{ KEYC_UP, N_("key name|Up") },         { KEYC_DOWN, N_("key name|Down") },
	{ KEYC_LEFT, N_("key name|Left") },     { KEYC_RIGHT, N_("key name|Right") },
	{ KEYC_PGUP, N_("key name|PgUp") },     { KEYC_PGDN, N_("key name|PgDn") },
	{ KEYC_HOME, N_("key name|Home") },     { KEYC_END, N_("key name|End") },
	{ KEYC_ENTER, N_("key name|Enter") },   { KEYC_TAB, N_("key name|Tab") },
	{ KEYC_BACKTAB, N_("key name|BackTab") }, { KEYC_ESC, N_("key name|Esc") },
	{ KEYC_SPACE, N_("key name|Space") },
};

/* The name of k as the help screen shows it. */
static void help_key_name(keycode k, char buf[KEYS_NAME_MAX])
{
	keycode base = k & ~KEYC_ESC_PREFIX;
	for (size_t i = 0; i < sizeof help_key_names / sizeof help_key_names[0]; i++) {
		if (help_key_names[i].k != base)
			continue;
		const char *t = _(help_key_names[i].name);
		const char *bar = strchr(t, '|');
		if (bar && strncmp(t, "key name|", 9) == 0)
			t = bar + 1;
		/* "Esc-" is the key file's prefix: Escape, then the key. */
		snprintf(buf, KEYS_NAME_MAX, "%s%s", (k & KEYC_ESC_PREFIX) ? "Esc-" : "", t);
		return;
	}
	keys_format(k, buf);
}

/* The text of line i of the list (an action and its keys), or false past the end. */
static bool help_line(const struct help *h, const struct keymap *km, int i, char *keys,
		      size_t keys_size, const char **text)
{
	int n = 0;
	for (unsigned a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		keycode k[HELP_MAX_KEYS];
		size_t count = keymap_keys_for(km, h->of, (enum action)a, k, HELP_MAX_KEYS);
		if (count == 0 || !roles_allow((enum action)a))
			continue;
		if (n++ != i)
			continue;
		keys[0] = '\0';
		for (size_t j = 0; j < count && j < HELP_MAX_KEYS; j++) {
			char name[KEYS_NAME_MAX];
			help_key_name(k[j], name);
			if (strlen(keys) + strlen(name) + 3 >= keys_size)
				break;
			if (j > 0)
				strcat(keys, ", ");
			strcat(keys, name);
		}
		*text = action_help_on((enum action)a, h->of);
		return true;
	}
	if (h->of == SCREEN_LOGIN && n == i) {
		snprintf(keys, keys_size, "%s", _("In a text field"));
		*text = _("Backspace, Delete, Left, Right, Home, End; ^U empties it");
		return true;
	}
	return false;
}

static int help_count(const struct help *h, const struct keymap *km)
{
	char keys[256];
	const char *text;
	int n = 0;
	while (help_line(h, km, n, keys, sizeof keys, &text))
		n++;
	return n;
}

void help_open(struct help *h, enum ui_screen of)
{
	h->of = of;
	h->top = 0;
	h->max_top = -1;
}

void help_action(struct help *h, enum action a, const struct keymap *km, int rows)
{
	int max_top = h->max_top >= 0 ? h->max_top : help_count(h, km) - rows;
	if (max_top < 0)
		max_top = 0;
	int page = rows > 1 ? rows - 1 : 1;
	switch (a) {
	case ACTION_SCROLL_UP: h->top--; break;
	case ACTION_SCROLL_DOWN: h->top++; break;
	case ACTION_PAGE_UP: h->top -= page; break;
	case ACTION_PAGE_DOWN: h->top += page; break;
	case ACTION_TOP: h->top = 0; break;
	case ACTION_BOTTOM: h->top = max_top; break;
	default: break;
	}
	if (h->top > max_top)
		h->top = max_top;
	if (h->top < 0)
		h->top = 0;
}

/* The rows text takes broken at spaces into rows of width columns, as
 * term_text_wrap breaks it. */
static int help_text_rows(const char *text, int width)
{
	if (width <= 0)
		return 1;
	int rows = 1, used = 0;
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, " ");
		char *word = xstrndup(p, n);
		int w = term_width(word);
		free(word);
		if (used > 0 && used + 1 + w > width) {
			rows++;
			used = 0;
		}
		used += (used > 0 ? 1 : 0) + w;
		p += n;
	}
	return rows;
}

/* The rows entry i takes: its text wrapped under the text column, and a row
 * of its own for keys wider than the key column. */
static int help_entry_rows(const struct help *h, const struct keymap *km, int i, int key_w,
			   int text_w)
{
	char keys[256];
	const char *text;
	if (!help_line(h, km, i, keys, sizeof keys, &text))
		return 0;
	return (term_width(keys) + 2 > key_w ? 1 : 0) + help_text_rows(text, text_w);
}

void help_draw(struct help *h, WINDOW *w, int top, int bottom, int cols, const struct keymap *km)
{
	char *title = xasprintf(_("Key bindings: %s"), screen_text(h->of));
	int title_rows = term_text_wrap(w, top + 1, 2, cols - 3, 2, title, TERM_TITLE);
	free(title);
	term_hline(w, top + 1 + title_rows, 2, cols - 4);
	int first = top + 2 + title_rows, rows = bottom - first + 1;
	char keys[256];
	const char *text;
	/* The key column is as wide as its widest entry, within limits; the
	 * text wraps under its own column. */
	int key_w = 0, count = 0;
	for (int i = 0; help_line(h, km, i, keys, sizeof keys, &text); i++, count++)
		if (term_width(keys) > key_w)
			key_w = term_width(keys);
	key_w = key_w + 2 > HELP_KEYS_WIDTH ? HELP_KEYS_WIDTH : key_w + 2;
	int text_x = 2 + key_w, text_w = cols - text_x - 1;
	/* The last top from which the entries to the end fill the list. */
	int below = 0;
	h->max_top = count;
	while (h->max_top > 0 &&
	       below + help_entry_rows(h, km, h->max_top - 1, key_w, text_w) <= rows) {
		below += help_entry_rows(h, km, h->max_top - 1, key_w, text_w);
		h->max_top--;
	}
	help_action(h, ACTION_NONE, km, rows); /* clamps after a resize */
	int y = first, i = h->top;
	for (; y <= bottom && help_line(h, km, i, keys, sizeof keys, &text); i++) {
		int used = term_text_as(w, y, 2, cols - 3, keys, TERM_TITLE);
		if (used + 2 > key_w)
			y++;
		y += term_text_wrap(w, y, text_x, text_w, bottom - y + 1, text, TERM_NORMAL);
	}
	if (i < count && rows > 0)
		term_text_as(w, bottom, cols - 4, 3, "...", TERM_NOTE);
}

/* ---- the screen's row (screen.h) ---- */

static void help_op_open(void *self, enum ui_screen from)
{
	help_open(self, from);
}

/* The list's height on the screen: the rows between the title and the key line. */
static int help_rows(void)
{
	return LINES - 5 > 1 ? LINES - 5 : 1;
}

static bool help_op_action(void *self, enum action a, enum ui_screen *screen)
{
	struct help *h = self;
	if (a == ACTION_BACK) {
		*screen = h->of;
		return true;
	}
	if (!action_scrolls(a))
		return false;
	help_action(h, a, h->km, help_rows());
	return true;
}

static void help_op_draw(void *self, struct screen_area *area)
{
	struct help *h = self;
	help_draw(h, area->w, area->top, area->bottom, area->cols, h->km);
}

const struct screen_ops help_ops = {
	.open = help_op_open,
	.action = help_op_action,
	.draw = help_op_draw,
};
