#include "queue.h"

#include "circ.h"
#include "errcode.h"
#include "i18n.h"
#include "jsonx.h"
#include "term.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { QUEUE_INPUT_MAX = 200, QUEUE_ROWS_EACH = 2 };

void queue_init(struct queue *q, struct app_offline *offline, const struct keymap *km)
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

void queue_reload(struct queue *q, bool ido_only)
{
	q->ido_only = ido_only;
	forget_list(q);
	struct journal_entry **all = NULL;
	size_t n = 0;
	char *err = NULL;
	if (!journal_list_dup(app_offline_journal(q->offline), JOURNAL_MASK(JOURNAL_REFUSED), 0,
			      &all, &n, &err)) {
		set_message(q, err, true);
		free(err);
		return;
	}
	q->list = xcalloc(n + 1, sizeof *q->list);
	for (size_t i = 0; i < n; i++) {
		bool ido = strcmp(all[i]->path, "/ido/questions") == 0;
		if (ido_only && !ido)
			journal_entry_free(all[i]);
		else
			q->list[q->n++] = all[i];
	}
	free(all);
	if (q->cur >= q->n)
		q->cur = q->n ? q->n - 1 : 0;
}

/* ---- what an entry is ---- */

/* The error object of a refused entry's answer, in *doc (free it). */
static const cJSON *entry_error(const struct journal_entry *e, cJSON **doc)
{
	*doc = e->answer ? cJSON_Parse(e->answer) : NULL;
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(*doc, "error");
	return cJSON_IsObject(err) ? err : NULL;
}

/* True when the refusal err names field in its details. */
static bool entry_field_is(const cJSON *err, const char *field)
{
	const char *named = jsonx_string(cJSON_GetObjectItemCaseSensitive(err, "details"), "field");
	return named && strcmp(named, field) == 0;
}

/* The refusal in words, allocated. */
static char *entry_reason_dup(const struct journal_entry *e)
{
	cJSON *doc;
	const cJSON *err = entry_error(e, &doc);
	const char *code = err ? jsonx_string(err, "code") : NULL;
	char *out;
	if (!code) {
		out = xasprintf(_("refused (status %ld)"), e->status);
	} else if (strcmp(code, "patron_blocked") == 0) {
		out = xstrdup(errcode_text(ERR_PATRON_BLOCKED));
		size_t len = strlen(out);
		if (len && out[len - 1] == '.')
			out[len - 1] = '\0';
		const cJSON *details = cJSON_GetObjectItemCaseSensitive(err, "details");
		const cJSON *b;
		bool first = true;
		cJSON_ArrayForEach(b, jsonx_array(details, "blocks")) {
			if (!cJSON_IsString(b))
				continue;
			char *more = xasprintf(first ? "%s: %s" : "%s, %s", out,
					       circ_block_text(b->valuestring));
			free(out);
			out = more;
			first = false;
		}
		char *done = xasprintf("%s.", out);
		free(out);
		out = done;
	} else if (strcmp(code, "invalid_field") == 0 &&
		   entry_field_is(err, "occurred_at")) {
		/* Its time is the desk's own clock: the desk must hear that. */
		out = xstrdup(_("The desk's clock was wrong when this was saved: the service does"
				" not accept its time (too old, in the future or no real date)."));
	} else {
		out = xstrdup(errcode_text(errcode_from_name(code)));
	}
	cJSON_Delete(doc);
	return out;
}

/* The blocks an override must name, allocated; 0 when it cannot be overridden. */
static size_t entry_blocks_dup(const struct journal_entry *e, char ***out)
{
	*out = NULL;
	cJSON *doc;
	const cJSON *err = entry_error(e, &doc);
	const char *code = err ? jsonx_string(err, "code") : NULL;
	const cJSON *ov = err ? cJSON_GetObjectItemCaseSensitive(err, "overridable") : NULL;
	size_t n = 0;
	if (code && cJSON_IsTrue(ov) && strcmp(e->path, "/checkouts") == 0) {
		if (strcmp(code, "patron_blocked") == 0) {
			n = 0;
			*out = circ_refusal_blocks_dup(cJSON_GetObjectItemCaseSensitive(err, "details"),
						       &n);
		} else {
			*out = xcalloc(2, sizeof **out);
			(*out)[0] = xstrdup(code);
			n = 1;
		}
	}
	cJSON_Delete(doc);
	return n;
}

/* "Check out 3100... to card 2100...", allocated. */
static char *entry_what_dup(const struct journal_entry *e)
{
	cJSON *body = cJSON_Parse(e->body);
	const char *item = jsonx_string(body, "item_barcode");
	const char *card = jsonx_string(body, "patron_card");
	char *out;
	if (strcmp(e->path, "/checkouts") == 0)
		out = xasprintf(_("Check out %s to card %s"), item ? item : "?", card ? card : "?");
	else if (strcmp(e->path, "/checkins") == 0)
		out = xasprintf(_("Check in %s"), item ? item : "?");
	else if (strcmp(e->path, "/ido/questions") == 0)
		out = xstrdup(_("IDO question"));
	else
		out = xasprintf("%s %s", e->method, e->path);
	cJSON_Delete(body);
	return out;
}

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
	if (mode == QUEUE_REASON) {
		char **blocks;
		size_t n = entry_blocks_dup(e, &blocks);
		for (size_t i = 0; i < n; i++)
			free(blocks[i]);
		free(blocks);
		if (n == 0) {
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
	struct journal *j = app_offline_journal(q->offline);
	char *err = NULL;
	bool good;
	const char *done;
	if (q->mode == QUEUE_REASON) {
		char **blocks;
		size_t n = entry_blocks_dup(e, &blocks);
		struct journal_entry *retry = NULL;
		good = journal_retry_override(j, e->seq, (const char *const *)blocks, n, text,
					      e->staff, &retry, &err);
		journal_entry_free(retry);
		for (size_t i = 0; i < n; i++)
			free(blocks[i]);
		free(blocks);
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
	app_offline_kick(q->offline);
	queue_reload(q, q->ido_only);
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

static void draw_entry(const struct queue *q, size_t i, WINDOW *w, int y, int cols)
{
	const struct journal_entry *e = q->list[i];
	char when[32];
	entry_when(e, when);
	char *what = entry_what_dup(e);
	char *line = xasprintf("%s  %s", when, what);
	term_text_as(w, y, 1, 1, i == q->cur ? ">" : " ", TERM_TITLE);
	term_text_as(w, y, 3, cols - 4, line, i == q->cur ? TERM_TITLE : TERM_NORMAL);
	free(line);
	free(what);
	char *reason = entry_reason_dup(e);
	term_text_as(w, y + 1, 5, cols - 6, reason, TERM_ERROR);
	free(reason);
}

void queue_draw(const struct queue *q, WINDOW *w, int top, int bottom, int cols, int *cy, int *cx)
{
	const char *title = _("Offline queue: refused when sent later");
	term_text_as(w, top, 1, cols - 2, title, TERM_TITLE);
	char *count = xasprintf(P_("%zu waits for the desk", "%zu wait for the desk",
				   (unsigned long)q->n),
				q->n);
	int tw = term_width(title);
	if (tw + 6 < cols)
		term_text_as(w, top, tw + 4, cols - tw - 5, count, TERM_LABEL);
	free(count);
	int y = top + 1;
	if (q->mode != QUEUE_BROWSE) {
		const char *label = q->mode == QUEUE_REASON ? _("Reason") : _("Note");
		term_text_as(w, y, 2, cols - 3, label, TERM_LABEL);
		int fx = 2 + term_width(label) + 1;
		*cx = field_draw(&q->input, w, y, fx, cols - fx - 2, true);
		*cy = y;
	} else if (q->n == 0) {
		term_text_as(w, y, 2, cols - 3, _("Nothing waits: every transaction was accepted."),
			     TERM_LABEL);
	}
	y++;
	if (q->message && y <= bottom)
		term_text_as(w, y, 2, cols - 3, q->message, q->message_error ? TERM_ERROR : TERM_NOTE);
	y++;
	if (y <= bottom)
		term_hline(w, y++, 0, cols);
	int fits = (bottom - y + 1) / QUEUE_ROWS_EACH;
	if (fits < 1)
		return;
	size_t first = q->cur >= (size_t)fits ? q->cur - (size_t)fits + 1 : 0;
	for (size_t i = first; i < q->n && y + 1 <= bottom; i++, y += QUEUE_ROWS_EACH)
		draw_entry(q, i, w, y, cols);
}
