#include "ui/screens/ido_stats.h"

#include "ui/widgets/barchart.h"
#include "core/i18n.h"
#include "client/paths.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { IDO_STATS_FILE_MAX = 200 };

void ido_stats_init(struct ido_stats_screen *s)
{
	memset(s, 0, sizeof *s);
	field_init(&s->from, 10, false);
	field_init(&s->to, 10, false);
	field_init(&s->file, IDO_STATS_FILE_MAX, false);
}

void ido_stats_free_screen(struct ido_stats_screen *s)
{
	field_free(&s->from);
	field_free(&s->to);
	field_free(&s->file);
	ido_stats_free(s->stats);
	free(s->scope);
	free(s->message);
	memset(s, 0, sizeof *s);
}

void ido_stats_set_message(struct ido_stats_screen *s, const char *msg, bool error)
{
	xstrset(&s->message, msg);
	s->message_error = error;
}

void ido_stats_open(struct ido_stats_screen *s, const char *scope)
{
	struct civil_date today = date_today();
	struct civil_date first = { today.year, today.month, 1 };
	char text[DATE_STR_LEN];
	date_format_dutch(first, text);
	field_set(&s->from, text);
	date_format_dutch(today, text);
	field_set(&s->to, text);
	xstrset(&s->scope, scope);
	s->focus = 0;
	s->exporting = false;
	s->asking_overwrite = s->overwrite_ok = false;
	ido_stats_free(s->stats);
	s->stats = NULL;
	ido_stats_set_message(s, NULL, false);
}

static struct field *focused(struct ido_stats_screen *s)
{
	return s->focus == 0 ? &s->from : s->focus == 1 ? &s->to : &s->file;
}

bool ido_stats_takes_text(const struct ido_stats_screen *s, keycode k)
{
	(void)s;
	return keys_is_text(k);
}

/* The answer to the overwrite question: yes writes over the file, no goes
 * back to its name; the language's own letters (j/n in Dutch) count. */
static enum ido_stats_do answer_overwrite(struct ido_stats_screen *s, keycode k)
{
	char text[2] = { (char)k, '\0' };
	int yes = k < 0x80 ? rpmatch(text) : -1;
	if (yes < 0)
		return IDO_STATS_NOTHING;
	s->asking_overwrite = false;
	if (yes)
		s->overwrite_ok = true;
	ido_stats_set_message(s, yes ? NULL : _("Not overwritten. Type another name, or Esc."),
			      false);
	return yes ? IDO_STATS_EXPORT : IDO_STATS_NOTHING;
}

enum ido_stats_do ido_stats_key(struct ido_stats_screen *s, keycode k)
{
	if (s->asking_overwrite)
		return answer_overwrite(s, k);
	if (s->focus == 2)
		s->overwrite_ok = false; /* another name is asked about again */
	field_key(focused(s), k);
	return IDO_STATS_NOTHING;
}

bool ido_stats_ask_overwrite(struct ido_stats_screen *s, const char *path)
{
	struct stat st;
	if (s->overwrite_ok || stat(path, &st) != 0)
		return false;
	char *msg = xasprintf(_("%s exists. Overwrite it? (y/n)"), path);
	ido_stats_set_message(s, msg, true);
	free(msg);
	s->asking_overwrite = true;
	return true;
}

/* The export directory as the desk shows it: under the home directory with ~/. */
static char *export_dir_shown_dup(void)
{
	char *dir = paths_download_dir_dup(), *home = paths_home_dup();
	size_t n = strlen(home);
	char *shown = NULL;
	if (strcmp(home, "/") != 0 && strncmp(dir, home, n) == 0 && (!dir[n] || dir[n] == '/'))
		shown = xasprintf("~%s/", dir + n);
	else
		shown = xasprintf("%s/", strcmp(dir, "/") == 0 ? "" : dir);
	free(dir);
	free(home);
	return shown;
}

enum ido_stats_do ido_stats_action(struct ido_stats_screen *s, enum action a)
{
	switch (a) {
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		if (!s->exporting)
			s->focus = 1 - s->focus;
		break;
	case ACTION_IDO_SHOW:
		if (s->asking_overwrite)
			break; /* the question wants y or n */
		return s->exporting ? IDO_STATS_EXPORT : IDO_STATS_FETCH;
	case ACTION_IDO_EXPORT: {
		char from[DATE_STR_LEN], to[DATE_STR_LEN];
		if (!ido_stats_period(s, from, to))
			break;
		char *dir = export_dir_shown_dup();
		char *name = xasprintf("%sido-%s-%s.csv", dir, from, to);
		field_set(&s->file, name);
		free(name);
		free(dir);
		s->exporting = true;
		s->asking_overwrite = s->overwrite_ok = false;
		s->focus = 2;
		ido_stats_set_message(s, _("Type the name of the file and press Enter."), false);
		break;
	}
	case ACTION_BACK:
		if (s->asking_overwrite) {
			s->asking_overwrite = false;
			ido_stats_set_message(s, NULL, false);
			break;
		}
		if (!s->exporting)
			return IDO_STATS_LEAVE;
		s->exporting = false;
		s->focus = 0;
		ido_stats_set_message(s, NULL, false);
		break;
	default:
		break;
	}
	return IDO_STATS_NOTHING;
}

bool ido_stats_period(struct ido_stats_screen *s, char from[DATE_STR_LEN], char to[DATE_STR_LEN])
{
	char *a = field_text_dup(&s->from), *b = field_text_dup(&s->to);
	struct civil_date d1, d2;
	bool ok1 = date_parse_dutch(a, &d1), ok2 = date_parse_dutch(b, &d2);
	free(a);
	free(b);
	if (!ok1 || !ok2) {
		s->focus = ok1 ? 1 : 0;
		ido_stats_set_message(s, _("Type the dates as dd-mm-yyyy."), true);
		return false;
	}
	if (date_compare(d1, d2) > 0) {
		s->focus = 1;
		ido_stats_set_message(s, _("The period ends before it begins."), true);
		return false;
	}
	date_format_iso(d1, from);
	date_format_iso(d2, to);
	return true;
}

void ido_stats_set(struct ido_stats_screen *s, struct ido_stats *st, const char *from,
		   const char *to)
{
	ido_stats_free(s->stats);
	s->stats = st;
	snprintf(s->shown_from, sizeof s->shown_from, "%s", from);
	snprintf(s->shown_to, sizeof s->shown_to, "%s", to);
}

char *ido_stats_file_dup(const struct ido_stats_screen *s)
{
	char *name = field_text_dup(&s->file);
	char *full = paths_expand_dup(name);
	free(name);
	/* A bare name goes where exports go, never where the desk was started;
	 * the message after an export names the whole path written. */
	if (full[0] && full[0] != '/') {
		char *dir = paths_download_dir_dup();
		char *in = xasprintf("%s/%s", strcmp(dir, "/") == 0 ? "" : dir, full);
		free(dir);
		free(full);
		return in;
	}
	return full;
}

static void draw_chart(struct ido_stats_screen *s, WINDOW *w, int *y, int rows, int cols,
		       const char *title, enum ido_list_id l)
{
	if (rows < 2)
		return;
	term_text_as(w, (*y)++, 2, cols - 3, title, TERM_LABEL);
	if (s->stats->by[l].n == 0) {
		term_text_as(w, (*y)++, 4, cols - 6, _("none"), TERM_NOTE);
		return;
	}
	*y += barchart_draw(w, *y, 4, cols - 6, rows - 1, &s->stats->by[l]);
}

/* The rows of the topic chart (its title included) out of rows for both:
 * what one chart does not need, the other gets. */
static int chart_split(const struct ido_stats_screen *s, int rows, int cols)
{
	int nt = barchart_rows(cols - 6, &s->stats->by[IDO_L_TOPIC]);
	int no = barchart_rows(cols - 6, &s->stats->by[IDO_L_ORGANISATION]);
	int need_t = 1 + (nt ? nt : 1), need_o = 1 + (no ? no : 1);
	if (need_t + need_o <= rows || need_o <= rows / 2)
		return rows - need_o > need_t ? need_t : rows - need_o;
	if (need_t <= (rows + 1) / 2)
		return need_t;
	return (rows + 1) / 2;
}

void ido_stats_draw(struct ido_stats_screen *s, WINDOW *w, int top, int bottom, int cols,
		    int *cy, int *cx)
{
	char *title = xasprintf(_("IDO statistics: %s"), s->scope ? s->scope : "");
	term_text_as(w, top, 2, cols - 3, title, TERM_TITLE);
	free(title);
	int y = top + 1;
	int x = 2 + term_text_as(w, y, 2, 10, _("From"), TERM_LABEL) + 1;
	int c = field_draw(&s->from, w, y, x, 11, s->focus == 0);
	if (s->focus == 0)
		*cy = y, *cx = c;
	x += 13;
	/* TRANSLATORS: the period's end, which it includes: "t/m" */
	x += term_text_as(w, y, x, 10, _("through"), TERM_LABEL) + 1;
	c = field_draw(&s->to, w, y, x, 11, s->focus == 1);
	if (s->focus == 1)
		*cy = y, *cx = c;
	/* At the bottom: the file name while exporting, and the message in
	 * the rows it needs (an export names its whole path); two rows at
	 * least, so that the charts do not move for a short message. */
	const char *msg = s->busy ? _("Asking the service...") : s->message;
	int msg_rows = msg ? term_wrap_rows(cols - 4, msg) : 0;
	int low = bottom - msg_rows + 1 - (s->exporting ? 1 : 0);
	if (low > bottom - 1)
		low = bottom - 1;
	if (low < y + 1)
		low = y + 1;
	if (s->exporting) {
		int fx = 2 + term_text_as(w, low, 2, 20, _("Save as"), TERM_LABEL) + 1;
		c = field_draw(&s->file, w, low, fx, cols - fx - 2, true);
		*cy = low, *cx = c;
	}
	int msg_y = s->exporting ? low + 1 : low;
	if (msg)
		term_text_wrap(w, msg_y, 2, cols - 4, bottom - msg_y + 1, msg,
			       s->message_error ? TERM_ERROR : TERM_NOTE);
	if (!s->stats)
		return;
	y += 2;
	char *questions = xasprintf(P_("%ld question", "%ld questions", (unsigned long)s->stats->total),
				    s->stats->total);
	char *minutes = xasprintf(P_("%ld minute", "%ld minutes", (unsigned long)s->stats->minutes),
				  s->stats->minutes);
	/* TRANSLATORS: "4 questions, 60 minutes in all" */
	char *totals = xasprintf(_("%s, %s in all"), questions, minutes);
	term_text_as(w, y++, 2, cols - 3, totals, TERM_TITLE);
	free(totals);
	free(questions);
	free(minutes);
	int last = low - 1;
	int topic_rows = chart_split(s, last - y, cols);
	draw_chart(s, w, &y, topic_rows, cols, _("Per topic"), IDO_L_TOPIC);
	draw_chart(s, w, &y, last - y, cols, _("Per organisation"), IDO_L_ORGANISATION);
}
