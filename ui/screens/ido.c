#include "ui/screens/ido.h"

#include "core/i18n.h"
#include "ui/widgets/term.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { IDO_FILTER_MAX = 40, IDO_LABEL_W = 22, IDO_MINUTES_DIGITS = 3 };
/* The form's sentence about the minutes names the protocol's limit. */
_Static_assert(IDO_MINUTES_MAX == 480, "the minutes' sentence says 1 to 480");

/* The pick list behind each field; IDO_L_COUNT for the text fields. */
static const enum ido_list_id field_list[IDO_F_COUNT] = {
	[IDO_F_CLASS] = IDO_L_CLASS,
	[IDO_F_TOPIC] = IDO_L_TOPIC,
	[IDO_F_ORGANISATION] = IDO_L_ORGANISATION,
	[IDO_F_HELP] = IDO_L_HELP_KIND,
	[IDO_F_OUTCOME] = IDO_L_OUTCOME,
	[IDO_F_REFERRAL] = IDO_L_REFERRAL_PARTNER,
	[IDO_F_CHANNEL] = IDO_L_CHANNEL,
	[IDO_F_MINUTES] = IDO_L_COUNT,
	[IDO_F_NOTE] = IDO_L_COUNT,
};

static const char *field_label(enum ido_field f)
{
	switch (f) {
	case IDO_F_CLASS: return _("Kind of question");
	case IDO_F_TOPIC: return _("Topics");
	case IDO_F_ORGANISATION: return _("Organisations");
	case IDO_F_HELP: return _("Help given");
	case IDO_F_OUTCOME: return _("Outcome");
	case IDO_F_REFERRAL: return _("Referred to");
	case IDO_F_CHANNEL: return _("Channel");
	case IDO_F_MINUTES: return _("Minutes");
	case IDO_F_NOTE: return _("Note");
	case IDO_F_COUNT: break;
	}
	return "";
}

static void sent_free(struct ido_sent *s);
static void held_free(struct ido_form *f);

static bool list_is_multi(enum ido_list_id l)
{
	return l == IDO_L_TOPIC || l == IDO_L_ORGANISATION || l == IDO_L_HELP_KIND;
}

void ido_form_init(struct ido_form *f)
{
	memset(f, 0, sizeof *f);
	for (unsigned l = 0; l < IDO_L_COUNT; l++)
		field_init(&f->picks[l].filter, IDO_FILTER_MAX, false);
	field_init(&f->minutes, IDO_MINUTES_DIGITS, false);
	field_init(&f->note, IDO_NOTE_MAX, false);
}

void ido_form_free(struct ido_form *f)
{
	for (unsigned l = 0; l < IDO_L_COUNT; l++) {
		field_free(&f->picks[l].filter);
		free(f->picks[l].chosen);
	}
	field_free(&f->minutes);
	field_free(&f->note);
	ido_catalog_free(f->cat);
	sent_free(f->sent);
	free(f->message);
	free(f->note_problem);
	call_retry_forget(&f->retry);
	held_free(f);
	memset(f, 0, sizeof *f);
}

void ido_form_set_message(struct ido_form *f, const char *msg, bool error)
{
	xstrset(&f->message, msg);
	f->message_error = error;
}

static void pick_clear(struct ido_form *f, enum ido_list_id l)
{
	struct ido_pick *p = &f->picks[l];
	size_t n = f->cat ? f->cat->lists[l].n : 0;
	free(p->chosen);
	p->chosen = xcalloc(n + 1, sizeof *p->chosen);
	p->highlight = 0;
	field_clear(&p->filter);
}

static bool pick_any(const struct ido_form *f, enum ido_list_id l)
{
	for (size_t i = 0; f->cat && i < f->cat->lists[l].n; i++)
		if (f->picks[l].chosen[i])
			return true;
	return false;
}

static bool referred(const struct ido_form *f)
{
	const struct ido_entries *e = f->cat ? &f->cat->lists[IDO_L_OUTCOME] : NULL;
	for (size_t i = 0; e && i < e->n; i++)
		if (f->picks[IDO_L_OUTCOME].chosen[i] && strcmp(e->items[i].code, "referred") == 0)
			return true;
	return false;
}

void ido_form_new_visit(struct ido_form *f)
{
	uuid_v4(f->visit_id);
	f->question = 1;
	for (unsigned l = 0; l < IDO_L_COUNT; l++)
		pick_clear(f, (enum ido_list_id)l);
	/* The first entries are the common case: digital government, answered,
	 * walk-in. The minutes are left to the volunteer. */
	static const enum ido_list_id first[] = { IDO_L_CLASS, IDO_L_OUTCOME, IDO_L_CHANNEL };
	for (size_t i = 0; f->cat && i < sizeof first / sizeof first[0]; i++)
		if (f->cat->lists[first[i]].n > 0)
			f->picks[first[i]].chosen[0] = true;
	field_clear(&f->minutes);
	field_clear(&f->note);
	ido_form_note_checked(f, NULL);
	f->focus = IDO_F_CLASS;
	f->end_after_save = false;
}

void ido_form_set_catalog(struct ido_form *f, struct ido_catalog *cat)
{
	ido_catalog_free(f->cat);
	f->cat = cat;
	ido_form_new_visit(f);
}

/* The i-th entry the filter of list l lets through, or -1. */
static long filtered_index(const struct ido_form *f, enum ido_list_id l, size_t i)
{
	char *filter = field_text_dup(&f->picks[l].filter);
	const struct ido_entries *e = &f->cat->lists[l];
	long found = -1;
	size_t n = 0;
	for (size_t k = 0; k < e->n && found < 0; k++) {
		if (*filter && !strcasestr(e->items[k].label, filter))
			continue;
		if (n++ == i)
			found = (long)k;
	}
	free(filter);
	return found;
}

static size_t filtered_count(const struct ido_form *f, enum ido_list_id l)
{
	size_t n = 0;
	while (filtered_index(f, l, n) >= 0)
		n++;
	return n;
}

bool ido_form_takes_text(const struct ido_form *f, keycode k)
{
	if (!keys_is_text(k) || !f->cat)
		return false;
	if (f->focus == IDO_F_MINUTES)
		return k >= '0' && k <= '9';
	return f->focus == IDO_F_NOTE || k != KEYC_SPACE;
}

void ido_form_key(struct ido_form *f, keycode k)
{
	if (!f->cat)
		return;
	if (f->focus == IDO_F_MINUTES) {
		if (!keys_is_text(k) || (k >= '0' && k <= '9'))
			field_key(&f->minutes, k);
	} else if (f->focus == IDO_F_NOTE) {
		field_key(&f->note, k);
		char *note = field_text_dup(&f->note);
		unsigned was = f->note_kinds;
		ido_form_note_checked(f, note);
		free(note);
		/* The refusal of a save is about the note as it was. */
		if (was != 0 && f->note_kinds == 0 && f->message_error)
			ido_form_set_message(f, NULL, false);
	} else {
		struct ido_pick *p = &f->picks[field_list[f->focus]];
		if (field_key(&p->filter, k))
			p->highlight = 0;
	}
}

/* Chooses (single) or toggles (several) the highlighted entry of list l. */
static void pick_highlighted(struct ido_form *f, enum ido_list_id l, bool toggle)
{
	long i = filtered_index(f, l, f->picks[l].highlight);
	if (i < 0)
		return;
	struct ido_pick *p = &f->picks[l];
	if (list_is_multi(l)) {
		p->chosen[i] = toggle ? !p->chosen[i] : true;
	} else {
		memset(p->chosen, 0, f->cat->lists[l].n * sizeof *p->chosen);
		p->chosen[i] = true;
	}
}

static enum ido_field next_focus(const struct ido_form *f, int step)
{
	int i = (int)f->focus;
	do {
		i += step;
	} while (i == IDO_F_REFERRAL && !referred(f));
	if (i < 0)
		i = 0;
	if (i >= IDO_F_COUNT)
		i = IDO_F_COUNT - 1;
	return (enum ido_field)i;
}

/* Leaving a pick list with a filter typed takes the highlighted entry: type
 * "toe", Enter, and Toeslagen is chosen. A single list with nothing chosen
 * takes it too. */
static void leave_field(struct ido_form *f)
{
	enum ido_list_id l = field_list[f->focus];
	if (l == IDO_L_COUNT)
		return;
	struct ido_pick *p = &f->picks[l];
	if (!field_is_empty(&p->filter) || (!list_is_multi(l) && !pick_any(f, l)))
		pick_highlighted(f, l, false);
	field_clear(&p->filter);
	p->highlight = 0;
}

enum ido_form_do ido_form_action(struct ido_form *f, enum action a)
{
	if (!f->cat)
		return IDO_DO_NOTHING;
	enum ido_list_id l = field_list[f->focus];
	switch (a) {
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		leave_field(f);
		f->focus = next_focus(f, a == ACTION_NEXT_FIELD ? 1 : -1);
		break;
	case ACTION_IDO_PICK:
		if (l != IDO_L_COUNT)
			pick_highlighted(f, l, true);
		break;
	case ACTION_IDO_UP:
		if (l != IDO_L_COUNT && f->picks[l].highlight > 0)
			f->picks[l].highlight--;
		break;
	case ACTION_IDO_DOWN:
		if (l != IDO_L_COUNT && f->picks[l].highlight + 1 < filtered_count(f, l))
			f->picks[l].highlight++;
		break;
	case ACTION_IDO_SAVE:
	case ACTION_IDO_END_VISIT:
		if (f->busy) {
			ido_form_set_message(f, _("The question before is still being saved."), true);
			break;
		}
		leave_field(f);
		f->end_after_save = a == ACTION_IDO_END_VISIT;
		/* An untouched form ends the visit without a question. */
		if (f->end_after_save && !pick_any(f, IDO_L_TOPIC) && field_is_empty(&f->note))
			return IDO_DO_END_VISIT;
		return IDO_DO_SAVE;
	default:
		break;
	}
	return IDO_DO_NOTHING;
}

/* The codes chosen in list l, pointing into the catalogue. */
static const char **chosen_codes(const struct ido_form *f, enum ido_list_id l, size_t *n)
{
	const struct ido_entries *e = &f->cat->lists[l];
	const char **codes = xcalloc(e->n + 1, sizeof *codes);
	*n = 0;
	for (size_t i = 0; i < e->n; i++)
		if (f->picks[l].chosen[i])
			codes[(*n)++] = e->items[i].code;
	return codes;
}

static bool form_complete(struct ido_form *f)
{
	const char *why = NULL;
	enum ido_field where = f->focus;
	long minutes = field_is_empty(&f->minutes) ? 0 : wcstol(f->minutes.text, NULL, 10);
	if (!pick_any(f, IDO_L_CLASS))
		why = _("Choose the kind of question."), where = IDO_F_CLASS;
	else if (!pick_any(f, IDO_L_TOPIC))
		why = _("Choose at least one topic."), where = IDO_F_TOPIC;
	else if (!pick_any(f, IDO_L_OUTCOME))
		why = _("Choose the outcome."), where = IDO_F_OUTCOME;
	else if (referred(f) && !pick_any(f, IDO_L_REFERRAL_PARTNER))
		why = _("Choose where the citizen was referred to."), where = IDO_F_REFERRAL;
	else if (!pick_any(f, IDO_L_CHANNEL))
		why = _("Choose the channel."), where = IDO_F_CHANNEL;
	else if (minutes < 1 || minutes > IDO_MINUTES_MAX)
		why = _("Fill in the minutes spent (1 to 480)."), where = IDO_F_MINUTES;
	else if (f->note_problem)
		why = f->note_problem, where = IDO_F_NOTE;
	if (!why)
		return true;
	ido_form_set_message(f, why, true);
	f->focus = where;
	return false;
}

/* Frees what the last question of the form held. */
static void held_free(struct ido_form *f)
{
	for (unsigned l = 0; l < IDO_L_COUNT; l++) {
		free(f->held_codes[l]);
		f->held_codes[l] = NULL;
	}
	free(f->held_note);
	f->held_note = NULL;
}

bool ido_form_question(struct ido_form *f, struct ido_question *q, const char **key)
{
	if (!f->cat || !form_complete(f))
		return false;
	held_free(f);
	size_t n[IDO_L_COUNT];
	for (unsigned l = 0; l < IDO_L_COUNT; l++)
		f->held_codes[l] = chosen_codes(f, (enum ido_list_id)l, &n[l]);
	const char **const *codes = f->held_codes;
	f->held_note = field_text_dup(&f->note);
	*q = (struct ido_question){
		.visit_id = f->visit_id,
		.class_code = codes[IDO_L_CLASS][0],
		.topics = codes[IDO_L_TOPIC],
		.n_topics = n[IDO_L_TOPIC],
		.organisations = codes[IDO_L_ORGANISATION],
		.n_organisations = n[IDO_L_ORGANISATION],
		.help = codes[IDO_L_HELP_KIND],
		.n_help = n[IDO_L_HELP_KIND],
		.outcome = codes[IDO_L_OUTCOME][0],
		.referred_to = referred(f) ? codes[IDO_L_REFERRAL_PARTNER][0] : NULL,
		.minutes = wcstol(f->minutes.text, NULL, 10),
		.channel = codes[IDO_L_CHANNEL][0],
		.note = f->held_note,
	};
	*key = ido_question_key(&f->retry, q);
	return true;
}

static void sent_free(struct ido_sent *s)
{
	if (!s)
		return;
	for (unsigned l = 0; l < IDO_L_COUNT; l++)
		free(s->chosen[l]);
	free(s->minutes);
	free(s->note);
	free(s);
}

void ido_form_begin_save(struct ido_form *f)
{
	struct ido_sent *s = xcalloc(1, sizeof *s);
	for (unsigned l = 0; l < IDO_L_COUNT; l++) {
		size_t n = f->cat->lists[l].n;
		s->chosen[l] = xcalloc(n + 1, sizeof *s->chosen[l]);
		memcpy(s->chosen[l], f->picks[l].chosen, n * sizeof *s->chosen[l]);
	}
	s->minutes = field_text_dup(&f->minutes);
	s->note = field_text_dup(&f->note);
	memcpy(s->visit_id, f->visit_id, sizeof s->visit_id);
	s->question = f->question;
	s->end_visit = f->end_after_save;
	sent_free(f->sent);
	f->sent = s;
	f->busy = true;
	if (s->end_visit)
		ido_form_new_visit(f);
	else
		ido_form_saved(f);
}

void ido_form_end_save(struct ido_form *f, bool taken)
{
	struct ido_sent *s = f->sent;
	f->sent = NULL;
	f->busy = false;
	if (!s)
		return;
	if (taken) {
		call_retry_forget(&f->retry);
	} else {
		for (unsigned l = 0; l < IDO_L_COUNT; l++) {
			free(f->picks[l].chosen);
			f->picks[l].chosen = s->chosen[l];
			s->chosen[l] = NULL;
			field_clear(&f->picks[l].filter);
			f->picks[l].highlight = 0;
		}
		field_set(&f->minutes, s->minutes);
		field_set(&f->note, s->note);
		ido_form_note_checked(f, s->note);
		memcpy(f->visit_id, s->visit_id, sizeof f->visit_id);
		f->question = s->question;
		f->end_after_save = s->end_visit;
		f->focus = IDO_F_TOPIC;
	}
	sent_free(s);
}

void ido_form_saved(struct ido_form *f)
{
	f->question++;
	pick_clear(f, IDO_L_TOPIC);
	pick_clear(f, IDO_L_ORGANISATION);
	field_clear(&f->note);
	ido_form_note_checked(f, NULL);
	f->focus = IDO_F_TOPIC;
}

/* The words for a note with one kind of personal data. */
static const char *note_problem_one(enum pdguard_kind kind)
{
	switch (kind) {
	case PDGUARD_BSN:
		return _("The note holds a number that looks like a citizen service number (BSN). "
			 "The question log must stay anonymous: leave the number out.");
	case PDGUARD_EMAIL:
		return _("The note holds an e-mail address. The question log must stay "
			 "anonymous: leave the address out.");
	case PDGUARD_PHONE:
		return _("The note holds a phone number. The question log must stay anonymous: "
			 "leave the number out.");
	case PDGUARD_IBAN:
		return _("The note holds a bank account number (IBAN). The question log must stay "
			 "anonymous: leave the number out.");
	case PDGUARD_POSTCODE:
		return _("The note holds a postcode. The question log must stay anonymous: "
			 "leave the postcode out.");
	case PDGUARD_BIRTH_DATE:
		return _("The note holds a date that could be a date of birth. The question log "
			 "must stay anonymous: leave the date out, or write only the month and year.");
	case PDGUARD_NONE:
	case PDGUARD_KIND_COUNT:
		break;
	}
	return "";
}

/* Each kind in a few words, for a note with several kinds. */
static const char *note_kind_words(enum pdguard_kind kind)
{
	static const char *const words[PDGUARD_KIND_COUNT] = {
		[PDGUARD_BSN] = N_("a citizen service number (BSN)"),
		[PDGUARD_EMAIL] = N_("an e-mail address"),
		[PDGUARD_PHONE] = N_("a phone number"),
		[PDGUARD_IBAN] = N_("a bank account number (IBAN)"),
		[PDGUARD_POSTCODE] = N_("a postcode"),
		[PDGUARD_BIRTH_DATE] = N_("a date that could be a date of birth"),
	};
	return (unsigned)kind < PDGUARD_KIND_COUNT && words[kind] ? _(words[kind]) : "";
}

char *ido_note_problem_dup(unsigned kinds)
{
	enum pdguard_kind first = pdguard_first(kinds);
	if (first == PDGUARD_NONE)
		return NULL;
	if (kinds == PDGUARD_BIT(first))
		return xstrdup(note_problem_one(first));
	char *list = pdguard_join_dup(kinds, note_kind_words);
	char *text = xasprintf(_("The note holds %s. The question log must stay anonymous: "
				 "leave them out."),
			       list);
	free(list);
	return text;
}

void ido_form_note_checked(struct ido_form *f, const char *note)
{
	f->note_kinds = note ? pdguard_scan(note, date_today()) : 0;
	free(f->note_problem);
	f->note_problem = ido_note_problem_dup(f->note_kinds);
}

/* "Belastingaangifte, Toeslagen" for the chosen entries of list l. */
static char *summary_dup(const struct ido_form *f, enum ido_list_id l)
{
	char *s = xstrdup("");
	const struct ido_entries *e = &f->cat->lists[l];
	for (size_t i = 0; i < e->n; i++) {
		if (!f->picks[l].chosen[i])
			continue;
		char *t = xasprintf("%s%s%s", s, *s ? ", " : "", e->items[i].label);
		free(s);
		s = t;
	}
	return s;
}

static void draw_field(struct ido_form *f, WINDOW *w, int y, int cols, enum ido_field i,
		       int *cy, int *cx)
{
	bool focus = f->focus == i;
	term_text_as(w, y, 2, IDO_LABEL_W - 1, field_label(i), focus ? TERM_TITLE : TERM_LABEL);
	int x = 2 + IDO_LABEL_W, width = cols - x - 1;
	if (i == IDO_F_MINUTES || i == IDO_F_NOTE) {
		struct field *fld = i == IDO_F_MINUTES ? &f->minutes : &f->note;
		int c = field_draw(fld, w, y, x, i == IDO_F_MINUTES ? 5 : width, focus);
		if (focus)
			*cy = y, *cx = c;
		return;
	}
	enum ido_list_id l = field_list[i];
	if (i == IDO_F_REFERRAL && !referred(f)) {
		term_text_as(w, y, x, width, _("(only when referred)"), TERM_NOTE);
		return;
	}
	if (focus) {
		int c = field_draw(&f->picks[l].filter, w, y, x, 12, true);
		*cy = y, *cx = c;
		x += 13, width -= 13;
	}
	char *s = summary_dup(f, l);
	term_text(w, y, x, width, s);
	free(s);
}

/* The list of the focused pick field, scrolled to its highlight. */
static void draw_list(struct ido_form *f, WINDOW *w, int y, int rows, int cols)
{
	enum ido_list_id l = field_list[f->focus];
	if (l == IDO_L_COUNT || (f->focus == IDO_F_REFERRAL && !referred(f))) {
		const char *hint = f->focus == IDO_F_NOTE
			? _("No names, citizen service numbers, addresses, phone numbers or e-mail "
			    "addresses: the question log is anonymous.")
			: _("Type the minutes spent on this question.");
		term_text_wrap(w, y, 4, cols - 6, rows, hint, TERM_NOTE);
		return;
	}
	size_t n = filtered_count(f, l), hl = f->picks[l].highlight;
	size_t first = hl >= (size_t)rows ? hl - (size_t)rows + 1 : 0;
	if (n == 0)
		term_text_as(w, y, 4, cols - 6, _("Nothing in the list matches what you typed."),
			     TERM_NOTE);
	for (int r = 0; r < rows && first + (size_t)r < n; r++) {
		long k = filtered_index(f, l, first + (size_t)r);
		bool on = f->picks[l].chosen[k];
		const char *mark = list_is_multi(l) ? (on ? "[x] " : "[ ] ") : (on ? "(*) " : "( ) ");
		char *line = xasprintf("%s%s", mark, f->cat->lists[l].items[k].label);
		bool hi = first + (size_t)r == hl;
		if (hi)
			term_fill(w, y + r, 4, cols - 6, TERM_FIELD_FOCUS);
		term_text_as(w, y + r, 4, cols - 6, line, hi ? TERM_FIELD_FOCUS : TERM_NORMAL);
		free(line);
	}
}

void ido_form_draw(struct ido_form *f, WINDOW *w, int top, int bottom, int cols, int *cy,
		   int *cx)
{
	char *title = xasprintf(_("IDO question log: question %d of this visit"), f->question);
	term_text_as(w, top, 2, cols - 3, title, TERM_TITLE);
	free(title);
	if (!f->cat) {
		term_text_wrap(w, top + 2, 2, cols - 4, bottom - top - 1,
			       f->message ? f->message : _("Loading the pick lists..."),
			       f->message_error ? TERM_ERROR : TERM_NOTE);
		return;
	}
	int y = top + 1;
	for (int i = 0; i < IDO_F_COUNT && y <= bottom; i++, y++)
		draw_field(f, w, y, cols, (enum ido_field)i, cy, cx);
	const char *msg = f->note_problem ? f->note_problem
			  : f->busy ? _("Saving the question before...") : f->message;
	bool error = f->note_problem || (!f->busy && f->message_error);
	/* the message in the rows it needs, two at least, so that the list
	 * does not move for a short one */
	int msg_rows = msg ? term_wrap_rows(cols - 4, msg) : 0, list_top = y + 1;
	if (msg_rows < 2)
		msg_rows = 2;
	if (msg_rows > bottom - list_top + 1)
		msg_rows = bottom - list_top + 1;
	term_hline(w, y, 2, cols - 4);
	int list_rows = bottom - msg_rows - list_top + 1;
	if (list_rows > 0)
		draw_list(f, w, list_top, list_rows, cols);
	if (msg)
		term_text_wrap(w, bottom - msg_rows + 1, 2, cols - 4, msg_rows, msg,
			       error ? TERM_ERROR : TERM_NOTE);
}
