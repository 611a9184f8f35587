#include "ui/deskctx.h"

#include "client/circ.h"
#include "core/i18n.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <curses.h>
#include <stdio.h>
#include <wchar.h>
#include <stdlib.h>
#include <string.h>

static bool closed_on(const struct session_branch *b, struct civil_date d)
{
	char iso[DATE_STR_LEN];
	date_format_iso(d, iso);
	for (size_t i = 0; i < b->n_closed_dates; i++)
		if (strcmp(b->closed_dates[i], iso) == 0)
			return true;
	return !b->open_weekday[date_weekday(d)];
}

struct civil_date deskctx_last_open_day(const struct deskctx *c)
{
	struct civil_date yesterday = date_add_days(date_today(), -1);
	const struct session_branch *b =
		*c->branches ? session_branches_find(*c->branches, deskctx_here(c)) : NULL;
	for (long back = 0; b && back < 31; back++) {
		struct civil_date d = date_add_days(yesterday, -back);
		if (!closed_on(b, d))
			return d;
	}
	return yesterday;
}

void deskctx_alert_set(const struct deskctx *c, char **alert, const char *title,
		       const char *note)
{
	free(*alert);
	*alert = xasprintf("%s: %s", title, note);
	deskctx_attention(c);
}

int deskctx_alert_draw(const struct deskctx *c, enum ui_screen s, const char *alert, WINDOW *w,
		       int y, int bottom, int cols)
{
	if (!alert || y > bottom)
		return 0;
	char key[KEYS_NAME_MAX];
	deskctx_key(c, s, ACTION_CANCEL, key);
	/* TRANSLATORS: an item's alert, until acknowledged: the title and the
	 * note, then the key that acknowledges it */
	char *text = xasprintf(_("ATTENTION %s (%s: seen)"), alert, key);
	int rows = term_text_wrap(w, y, 2, cols - 3, bottom - y + 1, text, TERM_ERROR);
	free(text);
	return rows;
}

void deskctx_item_scanned(struct deskctx *c, const char *barcode)
{
	snprintf(c->last_item, sizeof c->last_item, "%s", barcode);
}

const char *deskctx_here(const struct deskctx *c)
{
	return *c->session ? (*c->session)->branch : "";
}

const char *deskctx_branch_name(const struct deskctx *c, const char *code)
{
	const struct session_branch *b = *c->branches ? session_branches_find(*c->branches, code)
						      : NULL;
	return b ? b->name : code;
}

void deskctx_attention(const struct deskctx *c)
{
	if (c->cfg->bell)
		beep();
}

void deskctx_touch(const struct deskctx *c)
{
	if (c->dirty)
		*c->dirty = true;
}

bool deskctx_scan_takes_text(const void *self, keycode k)
{
	(void)self;
	return keys_is_text(k);
}

void deskctx_key(const struct deskctx *c, enum ui_screen s, enum action a,
		 char buf[KEYS_NAME_MAX])
{
	keycode k[2];
	buf[0] = '\0';
	if (keymap_keys_for(c->km, s, a, k, 2) > 0)
		keys_format(k[0], buf);
}

char *deskctx_print(const struct deskctx *c, struct slip *s)
{
	char *err = NULL;
	if (s && c->cfg->print_command && *c->cfg->print_command &&
	    !slip_print(s, c->cfg->print_command,
			c->cfg->print_charset ? c->cfg->print_charset : "CP858", &err)) {
		char *msg = xasprintf(_("The slip was not printed. %s"), err);
		free(err);
		err = msg;
	}
	slip_free(s);
	return err;
}

void deskctx_date(const char *iso, char out[DATE_STR_LEN + 16])
{
	struct civil_date d;
	if (iso && date_parse_iso(iso, &d))
		date_format_dutch(d, out);
	else
		snprintf(out, DATE_STR_LEN + 16, "%s", iso ? iso : "");
}

int deskctx_scan_draw(const struct field *f, WINDOW *w, int y, int x, int width)
{
	if (width < 4)
		return x;
	int inner = width - 2;
	mvwaddch(w, y, x, '[');
	mvwaddch(w, y, x + width - 1, ']');
	/* Show the part around the cursor, as field_draw does. */
	size_t start = 0;
	int before = 0;
	for (size_t i = 0; i < f->cursor; i++)
		before += wcwidth(f->text[i]) > 0 ? wcwidth(f->text[i]) : 1;
	while (before > inner - 1 && start < f->cursor) {
		int cw = wcwidth(f->text[start]);
		before -= cw > 0 ? cw : 1;
		start++;
	}
	int col = 0;
	for (size_t i = start; i < f->len; i++) {
		int cw = wcwidth(f->text[i]);
		wchar_t c = cw < 0 ? L'?' : f->text[i];
		cw = cw < 0 ? 1 : cw;
		if (col + cw > inner)
			break;
		mvwaddnwstr(w, y, x + 1 + col, &c, 1);
		col += cw;
	}
	return x + 1 + before;
}

int deskctx_scan_header_draw(const struct field *f, WINDOW *w, int y, int cols,
			     const char *title, const char *label)
{
	term_text_as(w, y, 1, cols - 2, title, TERM_TITLE);
	int lx = 2 + term_width(title) + 2;
	term_text_as(w, y, lx, cols - lx, label, TERM_LABEL);
	int fx = lx + term_width(label) + 1;
	int fw = cols - fx - 2 < 34 ? cols - fx - 2 : 34;
	return deskctx_scan_draw(f, w, y, fx, fw);
}

char *deskctx_take_scan_dup(const struct deskctx *c, struct field *f, struct scanlist *lines)
{
	char *text = field_text_dup(f);
	field_clear(f);
	if (!text[0]) {
		free(text);
		return NULL;
	}
	if (!circ_barcode_plausible(text)) {
		scanlist_add_done(lines, strlen(text) > 14 ? "?" : text, SCANLINE_ATTENTION,
				  _("NOT SENT"), circ_barcode_problem(text));
		deskctx_attention(c);
		free(text);
		return NULL;
	}
	return text;
}
