#include "ui/screens/lock.h"

#include "core/i18n.h"
#include "core/luhn.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

void lock_init(struct lock *l)
{
	*l = (struct lock){ 0 };
	field_init(&l->password, 256, true);
}

void lock_free(struct lock *l)
{
	field_free(&l->password);
	free(l->message);
}

/* Empties the password and forgets how it was typed. */
static void lock_clear_line(struct lock *l)
{
	field_clear(&l->password);
	l->keys = 0;
	l->first_ms = l->last_ms = 0;
}

void lock_reset(struct lock *l)
{
	lock_clear_line(l);
	xstrset(&l->message, NULL);
	l->busy = false;
}

void lock_key(struct lock *l, keycode k, long long now)
{
	/* a line emptied (by ^U, or after a wrong password) starts afresh */
	if (field_is_empty(&l->password))
		l->keys = 0;
	if (!field_key(&l->password, k) || !keys_is_text(k))
		return;
	if (l->keys++ == 0)
		l->first_ms = now;
	l->last_ms = now;
}

/* 14 digits whose last is the Luhn check digit: a card or an item barcode. */
static bool lock_code_shape(const char *s)
{
	return strlen(s) == 14 && luhn_valid(s);
}

bool lock_line_is_scan(const struct lock *l, long long now)
{
	char *text = field_text_dup(&l->password);
	bool shape = lock_code_shape(text);
	explicit_bzero(text, strlen(text));
	free(text);
	if (shape)
		return true;
	/* keys typed, and Enter: as many gaps as keys */
	return l->keys >= LOCK_SCAN_MIN_KEYS &&
	       now - l->first_ms < (long long)l->keys * LOCK_SCAN_MS;
}

void lock_refuse_scan(struct lock *l)
{
	lock_clear_line(l);
	xstrset(&l->message, _("The desk is locked: unlock it first"));
}

void lock_set_message(struct lock *l, const char *msg)
{
	xstrset(&l->message, msg);
}

void lock_draw(const struct lock *l, WINDOW *w, int top, int bottom, int cols, const char *name,
	       const char *username, int *cy, int *cx)
{
	/* Cover everything that was on the screen. */
	for (int y = top; y <= bottom; y++)
		term_fill(w, y, 0, cols, TERM_NORMAL);
	int y = top + (bottom - top) / 3;
	const char *title = _("Locked");
	int tw = term_width(title) + 4;
	int tx = (cols - tw) / 2 > 0 ? (cols - tw) / 2 : 0;
	term_fill(w, y, tx, tw, TERM_LOCKED);
	term_text_as(w, y, tx + 2, tw - 4, title, TERM_LOCKED);
	y += 2;
	char *who = xasprintf(_("The desk is locked by %s (%s)."), name, username);
	term_text(w, y, 4, cols - 5, who);
	free(who);
	y += 2;
	const char *label = _("Password");
	int lw = term_width(label);
	term_text_as(w, y, 4, lw + 1, label, TERM_TITLE);
	int fw = cols - (4 + lw + 2) - 2 < 30 ? cols - (4 + lw + 2) - 2 : 30;
	*cx = field_draw(&l->password, w, y, 4 + lw + 2, fw, true);
	*cy = y;
	y += 2;
	if (y <= bottom && l->busy)
		term_text_as(w, y, 4, cols - 5, _("Checking the password..."), TERM_NOTE);
	else if (y <= bottom && l->message)
		term_text_wrap(w, y, 4, cols - 5, bottom - y + 1, l->message, TERM_ERROR);
}
