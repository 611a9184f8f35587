#include "ui/app_ido.h"

#include "client/outbox.h"

#include "core/i18n.h"
#include "ui/screens/ido.h"
#include "ui/screens/ido_stats.h"
#include "client/idolog.h"
#include "ui/keys/keymap.h"
#include "client/needsvc.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct app_ido {
	const struct app_setup *setup;
	struct session_login *const *session;
	struct session_branches *const *branches;
	bool *dirty;
	struct ido_form form;
	struct ido_stats_screen stats;
	unsigned req_catalog, req_save, req_stats, req_export;
	struct outbox *offline; /* the journal questions go through, or NULL */
};

void app_ido_set_offline(struct app_ido *ai, struct outbox *offline)
{
	ai->offline = offline;
}

struct app_ido *app_ido_new(const struct app_setup *setup, struct session_login *const *session,
			    struct session_branches *const *branches, bool *dirty)
{
	struct app_ido *ai = xcalloc(1, sizeof *ai);
	ai->setup = setup;
	ai->session = session;
	ai->branches = branches;
	ai->dirty = dirty;
	ido_form_init(&ai->form);
	ido_stats_init(&ai->stats);
	return ai;
}

static void app_ido_cancel(struct app_ido *ai)
{
	unsigned *reqs[] = { &ai->req_catalog, &ai->req_save, &ai->req_stats, &ai->req_export };
	for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
		if (*reqs[i] && reqs[i] == &ai->req_save)
			ido_question_cancel(ai->setup->api, ai->offline, *reqs[i]);
		else if (*reqs[i])
			call_cancel(ai->setup->api, *reqs[i]);
		*reqs[i] = 0;
	}
	ido_form_end_save(&ai->form, true);
	ai->stats.busy = false;
}

void app_ido_free(struct app_ido *ai)
{
	if (!ai)
		return;
	app_ido_cancel(ai);
	ido_form_free(&ai->form);
	ido_stats_free_screen(&ai->stats);
	free(ai);
}

static void app_ido_reset(struct app_ido *ai)
{
	app_ido_cancel(ai);
	ido_form_free(&ai->form);
	ido_form_init(&ai->form);
	ido_stats_free_screen(&ai->stats);
	ido_stats_init(&ai->stats);
}

/* A refusal or failure rings the bell, unless balie.conf says not to. */
static void app_ido_attention(const struct app_ido *ai)
{
	if (ai->setup->cfg->bell)
		beep();
}

static void app_ido_on_catalog(void *ctx, struct ido_catalog *cat, const struct call_failure *f)
{
	struct app_ido *ai = ctx;
	ai->req_catalog = 0;
	*ai->dirty = true;
	if (cat) {
		ido_form_set_catalog(&ai->form, cat);
		ido_form_set_message(&ai->form, NULL, false);
		return;
	}
	char *msg = xasprintf(_("The pick lists could not be loaded. %s Open the IDO screen again to try once more."),
			      f->text);
	ido_form_set_message(&ai->form, msg, true);
	free(msg);
	app_ido_attention(ai);
}

enum ui_screen app_ido_open(struct app_ido *ai)
{
	if (!ai->form.cat && !ai->req_catalog)
		ai->req_catalog = ido_catalog_start(ai->setup->api, app_ido_on_catalog, ai);
	return SCREEN_IDO;
}

/* The words for a refused question: the note's kinds in plain words, or the
 * field the service did not take. */
static char *app_ido_refusal_dup(const struct ido_save_failure *fail)
{
	const struct call_failure *c = &fail->call;
	if (c->outcome == API_REFUSED && c->error == ERR_PERSONAL_DATA_IN_NOTE) {
		char *words = ido_note_problem_dup(fail->note_kinds);
		if (words)
			return words;
	}
	if (c->outcome == API_REFUSED && c->error == ERR_INVALID_FIELD && c->field && c->reason)
		return xasprintf("%s (%s: %s)", c->text, c->field, c->reason);
	if (c->outcome == API_UNREACHABLE)
		return xasprintf(_("%s The question is kept: save it again to try once more."),
				 c->text);
	return xstrdup(c->text);
}

static void app_ido_on_saved(void *ctx, const struct ido_saved *done,
			     const struct ido_save_failure *fail)
{
	struct app_ido *ai = ctx;
	struct ido_form *f = &ai->form;
	ai->req_save = 0;
	*ai->dirty = true;
	int n = f->sent ? f->sent->question : f->question;
	bool ended = f->sent && f->sent->end_visit;
	ido_form_end_save(f, done != NULL);
	if (done && !done->stored) {
		char *msg = xasprintf(_("Question %d saved, will be sent when the service is back."), n);
		ido_form_set_message(f, msg, false);
		free(msg);
		return;
	}
	if (!done) {
		char *msg = app_ido_refusal_dup(fail);
		ido_form_set_message(f, msg, true);
		free(msg);
		app_ido_attention(ai);
		return;
	}
	if (ended) {
		char *msg = xasprintf(P_("Visit ended: %d question saved. A new visit begins.",
					 "Visit ended: %d questions saved. A new visit begins.",
					 (unsigned long)n),
				      n);
		ido_form_set_message(f, msg, false);
		free(msg);
		return;
	}
	char *msg = xasprintf(_("Question %d saved. Question %d of the same visit:"), n, n + 1);
	ido_form_set_message(f, msg, false);
	free(msg);
}

static void app_ido_save(struct app_ido *ai)
{
	const char *key;
	struct ido_question q;
	if (!ido_form_question(&ai->form, &q, &key)) {
		app_ido_attention(ai);
		return;
	}
	ido_form_set_message(&ai->form, NULL, false);
	/* q points into the form, which the save then clears: sent first (its
	 * answer never comes inside the call) */
	ai->req_save = ido_question_start(ai->setup->api, ai->offline, &q, key, app_ido_on_saved,
					  ai);
	ido_form_begin_save(&ai->form);
}

/* The statistics (or their export) need the service: said plainly, the
 * period typed stays; a reply that found no service takes the desk offline. */
static void app_ido_stats_offline(struct app_ido *ai, bool export,
				  const struct call_failure *f)
{
	if (f && ai->offline)
		outbox_unreachable(ai->offline);
	char *msg = call_failure_sentence_dup(export ? _("Exporting the IDO statistics needs the service; "
							 "the desk is offline.")
						     : _("The IDO statistics need the service; the desk is "
							 "offline."),
					      f);
	ido_stats_set_message(&ai->stats, msg, true);
	free(msg);
	app_ido_attention(ai);
}

static void app_ido_on_stats(void *ctx, struct ido_stats *st, const struct call_failure *f)
{
	struct app_ido *ai = ctx;
	struct ido_stats_screen *s = &ai->stats;
	ai->req_stats = 0;
	s->busy = false;
	*ai->dirty = true;
	if (!st && f->outcome == API_UNREACHABLE) {
		app_ido_stats_offline(ai, false, f);
		return;
	}
	if (!st) {
		ido_stats_set_message(s, f->text, true);
		app_ido_attention(ai);
		return;
	}
	char from[DATE_STR_LEN], to[DATE_STR_LEN];
	if (!ido_stats_period(s, from, to))
		from[0] = to[0] = '\0';
	ido_stats_set(s, st, from, to);
	ido_stats_set_message(s, NULL, false);
}

static void app_ido_fetch_stats(struct app_ido *ai)
{
	char from[DATE_STR_LEN], to[DATE_STR_LEN];
	if (ai->req_stats || !ido_stats_period(&ai->stats, from, to))
		return;
	if (needsvc_down(ai->offline)) {
		app_ido_stats_offline(ai, false, NULL);
		return;
	}
	ai->stats.busy = true;
	ai->req_stats = ido_stats_start(ai->setup->api, from, to, app_ido_on_stats, ai);
}

static void app_ido_on_export(void *ctx, const char *text, size_t len,
			      const struct call_failure *f)
{
	struct app_ido *ai = ctx;
	struct ido_stats_screen *s = &ai->stats;
	ai->req_export = 0;
	s->busy = false;
	*ai->dirty = true;
	if (f && f->outcome == API_UNREACHABLE) {
		app_ido_stats_offline(ai, true, f);
		return;
	}
	if (!text) {
		ido_stats_set_message(s, f->text, true);
		app_ido_attention(ai);
		return;
	}
	char *path = ido_stats_file_dup(s);
	char *err = NULL;
	if (!ido_export_write(path, text, len, s->overwrite_ok, &err)) {
		ido_stats_set_message(s, err, true);
		free(err);
		app_ido_attention(ai);
	} else {
		size_t rows = 0;
		for (size_t i = 0; i < len; i++)
			rows += text[i] == '\n';
		rows = rows > 0 ? rows - 1 : 0; /* the header */
		char *msg = xasprintf(P_("Exported %zu row to %s.", "Exported %zu rows to %s.", rows),
				      rows, path);
		ido_stats_set_message(s, msg, false);
		free(msg);
		s->exporting = false;
		s->overwrite_ok = false;
		s->focus = 0;
	}
	free(path);
}

static void app_ido_export(struct app_ido *ai)
{
	char from[DATE_STR_LEN], to[DATE_STR_LEN];
	if (ai->req_export || !ido_stats_period(&ai->stats, from, to))
		return;
	char *file = ido_stats_file_dup(&ai->stats);
	bool ask = ido_stats_ask_overwrite(&ai->stats, file);
	free(file);
	if (ask)
		return;
	if (needsvc_down(ai->offline)) {
		app_ido_stats_offline(ai, true, NULL);
		return;
	}
	ai->stats.busy = true;
	ai->req_export = ido_export_start(ai->setup->api, from, to, app_ido_on_export, ai);
}

/* What the statistics count: one's own branch, or every branch for beheer. */
static void app_ido_open_stats(struct app_ido *ai)
{
	const struct session_login *s = *ai->session;
	const char *scope = _("all branches");
	if (s && !session_has_role(s, "beheer")) {
		const struct session_branch *b = session_branches_find(*ai->branches, s->branch);
		scope = b ? b->name : s->branch;
	}
	ido_stats_open(&ai->stats, scope);
	app_ido_fetch_stats(ai);
}

/* ---- the rows of the question form and the statistics (screen.h) ---- */

static bool app_ido_form_action(void *self, enum action a, enum ui_screen *screen)
{
	struct app_ido *ai = self;
	if (a == ACTION_IDO_STATS) {
		app_ido_open_stats(ai);
		*screen = SCREEN_IDO_STATS;
		return true;
	}
	switch (ido_form_action(&ai->form, a)) {
	case IDO_DO_SAVE:
		app_ido_save(ai);
		break;
	case IDO_DO_END_VISIT:
		ido_form_new_visit(&ai->form);
		ido_form_set_message(&ai->form, _("Visit ended. A new visit begins."), false);
		break;
	case IDO_DO_NOTHING:
		break;
	}
	return a == ACTION_NEXT_FIELD || a == ACTION_PREV_FIELD || a == ACTION_IDO_PICK ||
	       a == ACTION_IDO_UP || a == ACTION_IDO_DOWN || a == ACTION_IDO_SAVE ||
	       a == ACTION_IDO_END_VISIT;
}

static bool app_ido_stats_action(void *self, enum action a, enum ui_screen *screen)
{
	struct app_ido *ai = self;
	switch (a) {
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
	case ACTION_IDO_SHOW:
	case ACTION_IDO_EXPORT:
	case ACTION_BACK:
		break;
	default:
		return false;
	}
	switch (ido_stats_action(&ai->stats, a)) {
	case IDO_STATS_FETCH:
		app_ido_fetch_stats(ai);
		break;
	case IDO_STATS_EXPORT:
		app_ido_export(ai);
		break;
	case IDO_STATS_LEAVE:
		*screen = SCREEN_IDO;
		break;
	case IDO_STATS_NOTHING:
		break;
	}
	return true;
}

static bool app_ido_form_takes_text(const void *self, keycode k)
{
	const struct app_ido *ai = self;
	return ido_form_takes_text(&ai->form, k);
}

static bool app_ido_stats_takes_text(const void *self, keycode k)
{
	const struct app_ido *ai = self;
	return ido_stats_takes_text(&ai->stats, k);
}

static void app_ido_form_key(void *self, keycode k)
{
	struct app_ido *ai = self;
	ido_form_key(&ai->form, k);
}

static void app_ido_stats_key(void *self, keycode k)
{
	struct app_ido *ai = self;
	if (ido_stats_key(&ai->stats, k) == IDO_STATS_EXPORT)
		app_ido_export(ai);
}

/* The statistics have no function key: their key is named on the title row. */
static void app_ido_draw_stats_key(const struct app_ido *ai, WINDOW *w, int top, int cols)
{
	keycode keys[4];
	size_t n = keymap_keys_for(ai->setup->km, SCREEN_IDO, ACTION_IDO_STATS, keys, 4);
	if (n == 0)
		return;
	/* A function key, else a control key (^W), reads best. */
	keycode k = keys[0];
	for (size_t i = 0; i < n && i < 4; i++)
		if (keys_function_number(keys[i]) || keys[i] < KEYC_SPACE) {
			k = keys[i];
			break;
		}
	char name[KEYS_NAME_MAX];
	keys_format(k, name);
	char *hint = xasprintf("%s %s", name, action_label(ACTION_IDO_STATS));
	int width = term_width(hint);
	if (width + 2 < cols / 3)
		term_text_as(w, top, cols - width - 2, width, hint, TERM_NOTE);
	free(hint);
}

static void app_ido_form_draw(void *self, struct screen_area *area)
{
	struct app_ido *ai = self;
	ido_form_draw(&ai->form, area->w, area->top, area->bottom, area->cols, &area->cy, &area->cx);
	app_ido_draw_stats_key(ai, area->w, area->top, area->cols);
}

static void app_ido_stats_draw(void *self, struct screen_area *area)
{
	struct app_ido *ai = self;
	ido_stats_draw(&ai->stats, area->w, area->top, area->bottom, area->cols, &area->cy,
		       &area->cx);
}

static void app_ido_form_open(void *self, enum ui_screen from)
{
	(void)from;
	(void)app_ido_open(self);
}

static void app_ido_form_reset(void *self)
{
	app_ido_reset(self);
}

const struct screen_ops app_ido_form_ops = {
	.open = app_ido_form_open,
	.reset = app_ido_form_reset,
	.action = app_ido_form_action,
	.takes_text = app_ido_form_takes_text,
	.key = app_ido_form_key,
	.draw = app_ido_form_draw,
};

/* The statistics are forgotten with the form: app_ido_reset forgets both. */
const struct screen_ops app_ido_stats_ops = {
	.action = app_ido_stats_action,
	.takes_text = app_ido_stats_takes_text,
	.key = app_ido_stats_key,
	.draw = app_ido_stats_draw,
};
