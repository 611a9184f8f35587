#include "ui/widgets/frame.h"

#include "core/i18n.h"
#include "ui/roles.h"
#include "ui/widgets/term.h"

#include <stdio.h>
#include <string.h>

/* OFFLINE, with the number waiting, or the replay's progress; a training
 * desk says so in front, because practice must never pass for the real thing. */
static void frame_offline_state(const struct frame_status *st, char *buf, size_t size)
{
	char what[80];
	if (st->offline && st->waiting > 0)
		/* TRANSLATORS: the desk's state when the service cannot be reached */
		snprintf(what, sizeof what, P_("OFFLINE (%zu waiting)", "OFFLINE (%zu waiting)",
					       (unsigned long)st->waiting),
			 st->waiting);
	else if (st->offline)
		snprintf(what, sizeof what, "%s", _("OFFLINE"));
	else if (st->progress)
		snprintf(what, sizeof what, "%s", st->progress);
	else
		/* TRANSLATORS: the status line: refusals waiting on the queue screen */
		snprintf(what, sizeof what, P_("%zu refused (queue)", "%zu refused (queue)",
					       (unsigned long)st->refused),
			 st->refused);
	if (st->training)
		snprintf(buf, size, "%s %s", _("TRAINING"), what);
	else
		snprintf(buf, size, "%s", what);
}

/* Draws text in at most width columns; cut text ends in an ellipsis, so
 * that a shortened name does not pass for a whole one. */
static int frame_text_short(WINDOW *w, int x, int width, const char *text)
{
	int tw = term_width(text);
	if (tw <= width)
		return term_text_as(w, 0, x, width, text, TERM_BAR);
	int used = term_text_as(w, 0, x, width - 1, text, TERM_BAR);
	return used + term_text_as(w, 0, x + used, 1, term_is_utf8() ? "\u2026" : "~", TERM_BAR);
}

/* Branch, terminal and staff member left of column end: when they do not
 * fit, the branch is shortened first, then the terminal, and the staff
 * member's name last, since it says who is working at this desk. */
static void frame_draw_who(WINDOW *w, int end, const struct frame_status *st)
{
	const char *parts[3] = { st->branch ? st->branch : "balie", st->terminal, st->staff };
	int width[3] = { 0, 0, 0 }, total = 0, shown = 0;
	for (int i = 0; i < 3; i++) {
		if (!parts[i] || !*parts[i])
			continue;
		width[i] = term_width(parts[i]);
		total += width[i] + (shown++ ? 3 : 0);
	}
	int room = end - 1;
	for (int i = 0; i < 2 && total > room; i++) { /* never the staff name */
		int cut = total - room < width[i] - 1 ? total - room : width[i] - 1;
		if (cut <= 0)
			continue;
		width[i] -= cut;
		total -= cut;
	}
	int x = 1;
	for (int i = 0; i < 3; i++) {
		if (!parts[i] || !*parts[i])
			continue;
		if (x > 1)
			x += term_text_as(w, 0, x, end - x, " | ", TERM_BAR);
		int fit = i == 2 || width[i] > end - x ? end - x : width[i];
		if (fit > 0)
			x += frame_text_short(w, x, fit, parts[i]);
	}
}

void frame_draw_top(WINDOW *w, int cols, const struct frame_status *st)
{
	term_fill(w, 0, 0, cols, TERM_BAR);
	/* The state and the clock sit at the right and always fit. */
	/* TRANSLATORS: the state of a desk on the training service; in Dutch OEFENOMGEVING */
	const char *state = st->training      ? _("TRAINING")
			    : st->unreachable ? _("no connection")
					      : _("online");
	char offline[96];
	if (st->offline || st->progress || st->refused > 0) {
		frame_offline_state(st, offline, sizeof offline);
		state = offline;
	}
	char clock[8] = "";
	struct tm tm;
	if (localtime_r(&st->now, &tm))
		strftime(clock, sizeof clock, "%H:%M", &tm);
	int clock_w = (int)strlen(clock);
	int state_w = term_width(state);
	int right = cols - clock_w - 1;
	term_text_as(w, 0, right, clock_w, clock, TERM_BAR);
	right -= state_w + 2;
	enum term_role state_role = st->training || st->unreachable || st->offline || st->refused
					    ? TERM_BAR_MODE
										    : TERM_BAR;
	if (right > 0)
		term_text_as(w, 0, right, state_w, state, state_role);

	frame_draw_who(w, right - 1, st);
}

bool frame_too_small(int rows, int cols)
{
	return rows < FRAME_MIN_ROWS || cols < FRAME_MIN_COLS;
}

void frame_draw_too_small(WINDOW *w, int rows, int cols, const char *quit_key)
{
	char need[256], what[512];
	/* TRANSLATORS: columns x rows the desk needs, then the terminal's own */
	snprintf(need, sizeof need, _("The terminal is too small: the desk needs %dx%d, this one is %dx%d."),
		 FRAME_MIN_COLS, FRAME_MIN_ROWS, cols, rows);
	if (quit_key && *quit_key)
		/* TRANSLATORS: %s is the key that quits, e.g. F10 */
		snprintf(what, sizeof what, _("%s Make the window larger, or press %s to quit."), need,
			 quit_key);
	else
		snprintf(what, sizeof what, _("%s Make the window larger: what was typed is kept."),
			 need);
	int x = cols > 4 ? 1 : 0;
	int width = cols - 2 * x;
	int height = term_wrap_rows(width, what);
	int y = rows > height ? (rows - height) / 2 : 0;
	term_text_wrap(w, y, x, width, rows - y, what, TERM_ERROR);
}
