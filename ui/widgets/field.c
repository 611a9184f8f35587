#include "ui/widgets/field.h"

#include "ui/widgets/term.h"
#include "ui/widgets/utf8.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

void field_init(struct field *f, size_t max_chars, bool hidden)
{
	*f = (struct field){ .max = max_chars, .hidden = hidden };
	f->text = xcalloc(max_chars + 1, sizeof *f->text);
}

void field_free(struct field *f)
{
	if (f->text)
		memset(f->text, 0, (f->max + 1) * sizeof *f->text); /* passwords */
	free(f->text);
	f->text = NULL;
}

void field_clear(struct field *f)
{
	memset(f->text, 0, (f->max + 1) * sizeof *f->text);
	f->len = f->cursor = 0;
}

bool field_is_empty(const struct field *f)
{
	return f->len == 0;
}

char *field_text_dup(const struct field *f)
{
	return utf8_from_wide_dup(f->text, f->len);
}

void field_set(struct field *f, const char *s)
{
	size_t n;
	wchar_t *w = utf8_to_wide_dup(s, &n);
	field_clear(f);
	if (n > f->max)
		n = f->max;
	memcpy(f->text, w, n * sizeof *w);
	f->len = f->cursor = n;
	free(w);
}

static void field_insert(struct field *f, wchar_t c)
{
	if (f->len >= f->max)
		return;
	memmove(&f->text[f->cursor + 1], &f->text[f->cursor], (f->len - f->cursor) * sizeof c);
	f->text[f->cursor++] = c;
	f->len++;
}

static void field_delete_at(struct field *f, size_t at)
{
	memmove(&f->text[at], &f->text[at + 1], (f->len - at - 1) * sizeof *f->text);
	f->text[--f->len] = L'\0';
}

bool field_key(struct field *f, keycode k)
{
	if (keys_is_text(k)) {
		field_insert(f, (wchar_t)k);
		return true;
	}
	switch (k) {
	case KEYC_BACKSPACE:
		if (f->cursor > 0)
			field_delete_at(f, --f->cursor);
		return true;
	case KEYC_DELETE:
		if (f->cursor < f->len)
			field_delete_at(f, f->cursor);
		return true;
	case KEYC_LEFT:
		if (f->cursor > 0)
			f->cursor--;
		return true;
	case KEYC_RIGHT:
		if (f->cursor < f->len)
			f->cursor++;
		return true;
	case KEYC_HOME:
	case 'A' & 0x1f:
		f->cursor = 0;
		return true;
	case KEYC_END:
	case 'E' & 0x1f:
		f->cursor = f->len;
		return true;
	case 'U' & 0x1f:
		field_clear(f);
		return true;
	default:
		return false;
	}
}

static int field_cw(const struct field *f, size_t i)
{
	if (f->hidden)
		return 1;
	int cw = wcwidth(f->text[i]);
	return cw < 0 ? 1 : cw;
}

int field_draw(const struct field *f, WINDOW *w, int y, int x, int width, bool focus)
{
	if (width < 2)
		return x;
	term_fill(w, y, x, width, focus ? TERM_FIELD_FOCUS : TERM_FIELD);
	/* Show the part around the cursor: start so that the cursor fits. */
	size_t start = 0;
	int before = 0;
	for (size_t i = 0; i < f->cursor; i++)
		before += field_cw(f, i);
	while (before > width - 1 && start < f->cursor)
		before -= field_cw(f, start++);
	attr_t old = getattrs(w);
	term_use(w, focus ? TERM_FIELD_FOCUS : TERM_FIELD);
	int col = 0;
	for (size_t i = start; i < f->len; i++) {
		int cw = field_cw(f, i);
		if (col + cw > width)
			break;
		wchar_t c = f->hidden ? L'*' : f->text[i];
		if (!f->hidden && wcwidth(c) < 0)
			c = L'?';
		mvwaddnwstr(w, y, x + col, &c, 1);
		col += cw;
	}
	wattrset(w, (int)old);
	return x + before;
}
