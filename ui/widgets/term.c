#include "ui/widgets/term.h"

#include "core/i18n.h"
#include "ui/widgets/utf8.h"
#include "core/xalloc.h"

#include <errno.h>
#include <iconv.h>
#include <langinfo.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static struct {
	bool started;
	bool utf8;
	bool colour;
	iconv_t to_local; /* UTF-8 to the terminal's 8-bit charset */
	attr_t attr[TERM_ROLE_COUNT];
} term = { .to_local = (iconv_t)-1 };

/* Colour pairs: foreground, background (-1 the terminal's own). */
static const struct {
	short fg, bg;
	attr_t extra;
} term_colours[TERM_ROLE_COUNT] = {
	[TERM_NORMAL] = { -1, -1, 0 },
	[TERM_BAR] = { COLOR_WHITE, COLOR_BLUE, 0 },
	[TERM_BAR_KEY] = { COLOR_YELLOW, COLOR_BLUE, A_BOLD },
	[TERM_BAR_MODE] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD },
	[TERM_TITLE] = { -1, -1, A_BOLD },
	[TERM_LABEL] = { -1, -1, 0 },
	[TERM_FIELD] = { -1, -1, A_UNDERLINE },
	[TERM_FIELD_FOCUS] = { COLOR_BLACK, COLOR_CYAN, 0 },
	[TERM_ERROR] = { COLOR_RED, -1, A_BOLD },
	[TERM_NOTE] = { COLOR_GREEN, -1, 0 },
	[TERM_LOCKED] = { COLOR_WHITE, COLOR_RED, A_BOLD },
};

/* Without colour: bold and reverse only, so a monochrome desk still sees what
 * needs attention. */
static const attr_t term_mono[TERM_ROLE_COUNT] = {
	[TERM_NORMAL] = A_NORMAL,
	[TERM_BAR] = A_REVERSE,
	[TERM_BAR_KEY] = A_REVERSE | A_BOLD,
	[TERM_BAR_MODE] = A_BOLD,
	[TERM_TITLE] = A_BOLD,
	[TERM_LABEL] = A_NORMAL,
	[TERM_FIELD] = A_UNDERLINE,
	[TERM_FIELD_FOCUS] = A_REVERSE,
	[TERM_ERROR] = A_BOLD | A_REVERSE,
	[TERM_NOTE] = A_BOLD,
	[TERM_LOCKED] = A_REVERSE | A_BOLD,
};

static void term_setup_attrs(bool colour)
{
	term.colour = colour && has_colors() && start_color() == OK;
	if (term.colour) {
		use_default_colors();
		for (int r = 0; r < TERM_ROLE_COUNT; r++) {
			if (r == TERM_NORMAL) {
				term.attr[r] = A_NORMAL;
				continue;
			}
			init_pair((short)r, term_colours[r].fg, term_colours[r].bg);
			term.attr[r] = (attr_t)COLOR_PAIR(r) | term_colours[r].extra;
		}
	} else {
		memcpy(term.attr, term_mono, sizeof term.attr);
	}
}

bool term_start(bool colour, char **err)
{
	if (term.started)
		return true;
	const char *codeset = nl_langinfo(CODESET);
	term.utf8 = strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "utf8") == 0;
	if (!term.utf8) {
		char target[64];
		snprintf(target, sizeof target, "%s//TRANSLIT", codeset);
		term.to_local = iconv_open(target, "UTF-8");
	}
	if (!isatty(0) || !isatty(1)) {
		*err = xstrdup(_("balie needs a terminal"));
		return false;
	}
	if (!initscr()) {
		*err = xstrdup(_("the terminal cannot be used"));
		return false;
	}
	term.started = true;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* curses would otherwise poll the keyboard between the lines of an
	 * update, to give up on it when keys wait; the loop reads all waiting
	 * keys before it draws anyway, so that is a system call a line for
	 * nothing. */
	typeahead(-1);
	set_escdelay(100);
	term_setup_attrs(colour);
	return true;
}

void term_stop(void)
{
	if (term.started) {
		endwin();
		term.started = false;
	}
	if (term.to_local != (iconv_t)-1) {
		iconv_close(term.to_local);
		term.to_local = (iconv_t)-1;
	}
}

bool term_started(void)
{
	return term.started;
}

attr_t term_attr(enum term_role role)
{
	return role < TERM_ROLE_COUNT ? term.attr[role] : A_NORMAL;
}

void term_use(WINDOW *w, enum term_role role)
{
	wattrset(w, (int)term_attr(role));
}

bool term_is_utf8(void)
{
	return term.utf8;
}

/* The text as wide characters this terminal can show: on an 8-bit terminal
 * through iconv (transliterated), then back from the locale's charset. */
static wchar_t *term_wide_dup(const char *utf8, size_t *n)
{
	if (term.utf8 || term.to_local == (iconv_t)-1)
		return utf8_to_wide_dup(utf8, n);
	size_t inlen = strlen(utf8);
	size_t cap = inlen * 4 + 8;
	char *local = xmalloc(cap);
	char *in = (char *)utf8, *out = local;
	size_t inleft = inlen, outleft = cap - 1;
	iconv(term.to_local, NULL, NULL, NULL, NULL);
	while (inleft > 0) {
		if (iconv(term.to_local, &in, &inleft, &out, &outleft) != (size_t)-1)
			break;
		if (errno == E2BIG || outleft < 2)
			break;
		/* A character with no transliteration: show '?' and go on. */
		*out++ = '?';
		outleft--;
		in++;
		inleft--;
		while (inleft > 0 && ((unsigned char)*in & 0xc0) == 0x80) {
			in++;
			inleft--;
		}
	}
	*out = '\0';
	wchar_t *w = xcalloc(strlen(local) + 1, sizeof *w);
	size_t count = mbstowcs(w, local, strlen(local) + 1);
	if (count == (size_t)-1)
		count = 0;
	w[count] = L'\0';
	free(local);
	*n = count;
	return w;
}

int term_width(const char *utf8)
{
	size_t n;
	wchar_t *w = term_wide_dup(utf8, &n);
	int width = 0;
	for (size_t i = 0; i < n; i++)
		width += utf8_char_width(w[i]);
	free(w);
	return width;
}

/* Draws count wide characters at y, x; what the terminal cannot show is '?'. */
static void term_wide_draw(WINDOW *w, int y, int x, wchar_t *wide, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (wcwidth(wide[i]) < 0)
			wide[i] = L'?';
	mvwaddnwstr(w, y, x, wide, (int)count);
}

int term_text(WINDOW *w, int y, int x, int width, const char *utf8)
{
	if (width <= 0 || !utf8)
		return 0;
	size_t n;
	wchar_t *wide = term_wide_dup(utf8, &n);
	int used = 0;
	size_t count = 0;
	for (; count < n; count++) {
		int cw = utf8_char_width(wide[count]);
		if (used + cw > width)
			break;
		used += cw;
	}
	term_wide_draw(w, y, x, wide, count);
	free(wide);
	return used;
}

int term_text_as(WINDOW *w, int y, int x, int width, const char *utf8, enum term_role role)
{
	attr_t old = getattrs(w);
	term_use(w, role);
	int used = term_text(w, y, x, width, utf8);
	wattrset(w, (int)old);
	return used;
}

int term_wrap_rows(int width, const char *utf8)
{
	if (width <= 0 || !utf8)
		return 0;
	size_t n;
	wchar_t *wide = term_wide_dup(utf8, &n);
	size_t rows = utf8_wrap(wide, n, width, NULL, 0);
	free(wide);
	return rows > INT_MAX ? INT_MAX : (int)rows;
}

int term_text_wrap(WINDOW *w, int y, int x, int width, int rows, const char *utf8,
		   enum term_role role)
{
	if (width <= 0 || rows <= 0 || !utf8)
		return 0;
	size_t n;
	wchar_t *wide = term_wide_dup(utf8, &n);
	struct utf8_row *row = xcalloc((size_t)rows, sizeof *row);
	size_t need = utf8_wrap(wide, n, width, row, (size_t)rows);
	int used = need < (size_t)rows ? (int)need : rows;
	attr_t old = getattrs(w);
	term_use(w, role);
	for (int r = 0; r < used; r++)
		term_wide_draw(w, y + r, x, wide + row[r].start, row[r].end - row[r].start);
	wattrset(w, (int)old);
	free(row);
	free(wide);
	return used;
}

void term_fill(WINDOW *w, int y, int x, int width, enum term_role role)
{
	if (width <= 0)
		return;
	attr_t old = getattrs(w);
	term_use(w, role);
	mvwhline(w, y, x, ' ', width);
	wattrset(w, (int)old);
}

void term_hline(WINDOW *w, int y, int x, int width)
{
	if (width <= 0)
		return;
	if (!term.utf8) {
		mvwhline(w, y, x, '-', width);
		return;
	}
	/* U+2500 itself rather than the terminal's alternate character set,
	 * which terminal multiplexers and ssh chains often get wrong. */
	cchar_t line;
	const wchar_t box[] = { 0x2500, L'\0' };
	setcchar(&line, box, getattrs(w), 0, NULL);
	mvwhline_set(w, y, x, &line, width);
}
