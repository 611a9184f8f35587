#include "ui/screens/queue.h"

#include "client/journal_desc.h"
#include "core/i18n.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { QUEUE_INPUT_MAX = 200 };

void queue_init(struct queue *q, struct outbox *offline, const struct keymap *km)
{
	*q = (struct queue){ .offline = offline, .km = km };
	field_init(&q->input, QUEUE_INPUT_MAX, false);
}

static void forget_list(struct queue *q)
{
	journal_entries_free(q->list, q->n);
	q->list = NULL;
	q->n = 0;
}

void queue_free(struct queue *q)
{
	forget_list(q);
	field_free(&q->input);
	free(q->message);
}

static void set_message(struct queue *q, const char *msg, bool error)
{
	xstrset(&q->message, msg);
	q->message_error = error;
}

void queue_reload(struct queue *q)
{
	forget_list(q);
	struct journal_entry **all = NULL;
	size_t n = 0;
	char *err = NULL;
	unsigned mask = JOURNAL_MASK(JOURNAL_REFUSED) | JOURNAL_MASK(JOURNAL_PENDING) |
			JOURNAL_MASK(JOURNAL_SENT);
	if (!journal_list_dup(outbox_journal(q->offline), mask, 0, &all, &n, &err)) {
		set_message(q, err, true);
		free(err);
		return;
	}
	q->list = xcalloc(n + 1, sizeof *q->list);
	for (size_t i = 0; i < n; i++) {
		if (outbox_queue_shows(q->offline, all[i]))
			q->list[q->n++] = all[i];
		else
			journal_entry_free(all[i]);
	}
	free(all);
	if (q->cur >= q->n)
		q->cur = q->n ? q->n - 1 : 0;
}

/* ---- what an entry is ---- */

/* occurred_at (UTC) as local dd-mm-jjjj hh:mm. */
static void entry_when(const struct journal_entry *e, char out[32])
{
	struct tm tm = { 0 };
	const char *end = e->occurred_at ? strptime(e->occurred_at, "%Y-%m-%dT%H:%M:%SZ", &tm)
					 : NULL;
	time_t t = end ? timegm(&tm) : (time_t)-1;
	struct tm local;
	if (t == (time_t)-1 || !localtime_r(&t, &local) ||
	    !strftime(out, 32, "%d-%m-%Y %H:%M", &local))
		snprintf(out, 32, "%s", e->occurred_at ? e->occurred_at : "");
}

/* ---- resolving ---- */

static const struct journal_entry *current(const struct queue *q)
{
	return q->cur < q->n ? q->list[q->cur] : NULL;
}

static void start_input(struct queue *q, enum queue_mode mode)
{
	const struct journal_entry *e = current(q);
	if (!e) {
		set_message(q, _("Nothing waits in the queue."), false);
		return;
	}
	if (mode == QUEUE_REASON && e->state != JOURNAL_REFUSED) {
		set_message(q, _("This transaction was not sent: only its own staff member can send "
				 "it. Mark it handled with a note when it was dealt with otherwise."),
			    true);
		return;
	}
	if (mode == QUEUE_REASON) {
		struct journal_desc *d = journal_desc_new(e);
		bool can = journal_desc_overridable(d);
		journal_desc_free(d);
		if (!can) {
			set_message(q, _("This refusal cannot be overridden: mark it handled with a note."),
				    true);
			return;
		}
	}
	q->mode = mode;
	field_clear(&q->input);
	set_message(q, mode == QUEUE_REASON
			       ? _("Why is it overridden? Enter sends, Esc cancels.")
			       : _("What was done about it? Enter saves the note, Esc cancels."),
		    false);
}

static void send_input(struct queue *q)
{
	const struct journal_entry *e = current(q);
	char *text = field_text_dup(&q->input);
	if (!e || !text[0]) {
		free(text);
		set_message(q, q->mode == QUEUE_REASON ? _("Give a reason for the override.")
						       : _("Give a note."),
			    true);
		return;
	}
	struct journal *j = outbox_journal(q->offline);
	char *err = NULL;
	bool good;
	const char *done;
	if (q->mode == QUEUE_REASON) {
		struct journal_desc *d = journal_desc_new(e);
		struct journal_entry *retry = NULL;
		/* the retry is the decision of who gives the reason: sent in
		 * that member's session */
		good = journal_retry_override(j, e->seq, (const char *const *)d->blocks, d->n_blocks,
					      text, outbox_staff(q->offline), &retry, &err);
		journal_entry_free(retry);
		journal_desc_free(d);
		done = _("Sent again with the override.");
	} else {
		good = journal_mark_handled(j, e->seq, text, &err);
		done = _("Marked as handled.");
	}
	free(text);
	q->mode = QUEUE_BROWSE;
	field_clear(&q->input);
	if (!good) {
		set_message(q, err, true);
		free(err);
		return;
	}
	set_message(q, done, false);
	outbox_kick(q->offline);
	queue_reload(q);
}

bool queue_action(struct queue *q, enum action a)
{
	switch (a) {
	case ACTION_QUEUE_UP:
		if (q->mode == QUEUE_BROWSE && q->cur > 0)
			q->cur--;
		return true;
	case ACTION_QUEUE_DOWN:
		if (q->mode == QUEUE_BROWSE && q->cur + 1 < q->n)
			q->cur++;
		return true;
	case ACTION_QUEUE_RETRY:
		if (q->mode == QUEUE_BROWSE)
			start_input(q, QUEUE_REASON);
		return true;
	case ACTION_QUEUE_HANDLED:
		if (q->mode == QUEUE_BROWSE)
			start_input(q, QUEUE_NOTE);
		return true;
	case ACTION_QUEUE_SEND:
		if (q->mode != QUEUE_BROWSE)
			send_input(q);
		return true;
	case ACTION_QUEUE_CANCEL:
		q->mode = QUEUE_BROWSE;
		field_clear(&q->input);
		set_message(q, NULL, false);
		return true;
	default:
		return false;
	}
}

bool queue_takes_text(const struct queue *q, keycode k)
{
	return q->mode != QUEUE_BROWSE && keys_is_text(k);
}

void queue_key(struct queue *q, keycode k)
{
	if (q->mode != QUEUE_BROWSE)
		field_key(&q->input, k);
}

/* ---- drawing ---- */

/* Why entry e is in the list: the service's refusal, or, for an
 * administrator, whose log-in an unsent entry waits for. */
static char *entry_why_dup(const struct journal_entry *e, const struct journal_desc *d)
{
	if (e->state == JOURNAL_REFUSED)
		return xstrdup(d->reason);
	if (e->staff[0])
		return xasprintf(_("not sent: waits for %s to log in"), e->staff);
	return xstrdup(_("not sent: made before the journal named the staff member"));
}

/* The rows of entry i: its line and its reason, each wrapped at cols. When
 * w is NULL only counts them; else draws them from row y, at most rows. */
static int draw_entry(const struct queue *q, size_t i, WINDOW *w, int y, int rows, int cols)
{
	const struct journal_entry *e = q->list[i];
	char when[32];
	entry_when(e, when);
	struct journal_desc *d = journal_desc_new(e);
	char *line = xasprintf("%s  %s", when, d->what);
	char *reason = entry_why_dup(e, d);
	int used;
	if (!w) {
		used = term_wrap_rows(cols - 4, line) + term_wrap_rows(cols - 6, reason);
	} else {
		term_text_as(w, y, 1, 1, i == q->cur ? ">" : " ", TERM_TITLE);
		used = term_text_wrap(w, y, 3, cols - 4, rows, line,
				      i == q->cur ? TERM_TITLE : TERM_NORMAL);
		used += term_text_wrap(w, y + used, 5, cols - 6, rows - used, reason, TERM_ERROR);
	}
	free(reason);
	free(line);
	journal_desc_free(d);
	return used;
}

/* The title and the count beside it, or under it when both do not fit;
 * returns the rows used. */
static int draw_title(const struct queue *q, WINDOW *w, int top, int cols)
{
	const char *title = _("Offline queue: refused when sent later");
	int used = term_text_wrap(w, top, 1, cols - 2, 3, title, TERM_TITLE);
	char *count = xasprintf(P_("%zu waits for the desk", "%zu wait for the desk",
				   (unsigned long)q->n),
				q->n);
	int tw = term_width(title);
	if (used == 1 && tw + 4 + term_width(count) < cols - 1)
		term_text_as(w, top, tw + 4, cols - tw - 5, count, TERM_LABEL);
	else
		used += term_text_wrap(w, top + used, 1, cols - 2, 2, count, TERM_LABEL);
	free(count);
	return used;
}

/* The sentences for what other staff members left waiting, from row y;
 * returns the next row. An administrator has them in the list itself. */
static int draw_others(const struct queue *q, WINDOW *w, int y, int bottom, int cols)
{
	const struct journal_staff_count *others = NULL;
	size_t n = outbox_others(q->offline, &others);
	const char *me = outbox_staff(q->offline);
	for (size_t i = 0; i < n && y <= bottom; i++) {
		bool listed = false;
		for (size_t k = 0; k < q->n && !listed; k++)
			listed = q->list[k]->state != JOURNAL_REFUSED &&
				 strcmp(q->list[k]->staff, others[i].staff) == 0;
		if (listed || !me)
			continue;
		char *line = outbox_others_text_dup(&others[i]);
		term_text_as(w, y++, 2, cols - 3, line, TERM_NOTE);
		free(line);
	}
	return y;
}

/* The first entry to draw in rows so that the current one is shown. */
static size_t first_shown(const struct queue *q, int rows, int cols)
{
	if (q->n == 0)
		return 0;
	size_t first = q->cur < q->n ? q->cur : q->n - 1;
	int used = draw_entry(q, first, NULL, 0, 0, cols);
	while (first > 0) {
		int h = draw_entry(q, first - 1, NULL, 0, 0, cols);
		if (used + h > rows)
			break;
		used += h;
		first--;
	}
	return first;
}

void queue_draw(const struct queue *q, WINDOW *w, int top, int bottom, int cols, int *cy, int *cx)
{
	int y = top + draw_title(q, w, top, cols);
	if (q->mode != QUEUE_BROWSE) {
		const char *label = q->mode == QUEUE_REASON ? _("Reason") : _("Note");
		term_text_as(w, y, 2, cols - 3, label, TERM_LABEL);
		int fx = 2 + term_width(label) + 1;
		*cx = field_draw(&q->input, w, y, fx, cols - fx - 2, true);
		*cy = y;
		y++;
	} else if (q->n == 0 && outbox_others(q->offline, NULL) == 0) {
		y += term_text_wrap(w, y, 2, cols - 3, bottom - y + 1,
				    _("Nothing waits: every transaction was accepted."), TERM_LABEL);
	} else {
		y++;
	}
	if (q->message && y <= bottom)
		y += term_text_wrap(w, y, 2, cols - 3, bottom - y + 1, q->message,
				    q->message_error ? TERM_ERROR : TERM_NOTE);
	else
		y++;
	y = draw_others(q, w, y, bottom, cols);
	if (y <= bottom)
		term_hline(w, y++, 0, cols);
	if (y > bottom)
		return;
	for (size_t i = first_shown(q, bottom - y + 1, cols); i < q->n && y <= bottom; i++)
		y += draw_entry(q, i, w, y, bottom - y + 1, cols);
}

/* ---- the screen's row (screen.h) ---- */

static void queue_op_open(void *self, enum ui_screen from)
{
	(void)from;
	queue_reload(self);
}

static bool queue_op_action(void *self, enum action a, enum ui_screen *screen)
{
	(void)screen;
	return queue_action(self, a);
}

static bool queue_op_takes_text(const void *self, keycode k)
{
	return queue_takes_text(self, k);
}

static void queue_op_key(void *self, keycode k)
{
	queue_key(self, k);
}

static void queue_op_draw(void *self, struct screen_area *area)
{
	queue_draw(self, area->w, area->top, area->bottom, area->cols, &area->cy, &area->cx);
}

const struct screen_ops queue_ops = {
	.open = queue_op_open,
	.action = queue_op_action,
	.takes_text = queue_op_takes_text,
	.key = queue_op_key,
	.draw = queue_op_draw,
};
