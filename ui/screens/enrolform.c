#include "ui/screens/enrolform.h"

#include "client/circ.h"
#include "ui/widgets/bigtext.h"
#include "core/i18n.h"
#include "ui/widgets/term.h"
#include "core/validate.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { ENROL_TEXT_MAX = 100, ENROL_FIELD_W = 24, ENROL_DEFAULT_GUARDIAN_AGE = 16 };

/* The relation choices, as sent and as shown. */
static const char *const relation_codes[] = { "parent", "guardian", "other" };
static const char *const relation_labels[] = { N_("parent"), N_("legal guardian"), N_("other") };
enum { N_RELATIONS = 3 };

/* The protocol's name of each field, for refusals. */
static const char *const wire_names[ENROL_N_FIELDS] = {
	"given_name", "family_name", "birth_date", "postcode", "house_number",
	"house_number_suffix", "email", "phone", "membership", "id_checked",
	"guardian.name", "guardian.relation",
	"guardian.phone", "guardian.email", "guardian.consent",
};

static const char *field_label(enum enrol_field f)
{
	switch (f) {
	case ENROL_GIVEN: return _("Given name");
	case ENROL_FAMILY: return _("Family name");
	case ENROL_BIRTH: return _("Date of birth");
	case ENROL_POSTCODE: return _("Postcode");
	case ENROL_HOUSE: return _("House number");
	case ENROL_SUFFIX: return _("Suffix");
	case ENROL_EMAIL: return _("E-mail");
	case ENROL_PHONE: return _("Phone");
	case ENROL_MEMBERSHIP: return _("Membership");
	case ENROL_ID_CHECKED: return _("ID checked");
	case ENROL_G_NAME: return _("Name");
	case ENROL_G_RELATION: return _("Relation");
	case ENROL_G_PHONE: return _("Phone");
	case ENROL_G_EMAIL: return _("E-mail");
	case ENROL_G_CONSENT: return _("Consent");
	case ENROL_N_FIELDS: break;
	}
	return "";
}

static bool is_text_field(enum enrol_field f)
{
	return f != ENROL_G_RELATION && f != ENROL_G_CONSENT && f != ENROL_MEMBERSHIP &&
	       f != ENROL_ID_CHECKED;
}

/* A field that is a yes or no. */
static bool is_yes_no(enum enrol_field f)
{
	return f == ENROL_G_CONSENT || f == ENROL_ID_CHECKED;
}

void enrol_screen_init(struct enrol_screen *e)
{
	*e = (struct enrol_screen){ .age = -1, .guardian_age = ENROL_DEFAULT_GUARDIAN_AGE,
				    .message_field = -1 };
	for (int i = 0; i < ENROL_N_FIELDS; i++)
		field_init(&e->fields[i], ENROL_TEXT_MAX, false);
	field_init(&e->reason, 200, false);
	e->today = date_today();
	e->short_days = ENROL_SHORT_DAYS_DEFAULT;
}

void enrol_screen_free(struct enrol_screen *e)
{
	for (int i = 0; i < ENROL_N_FIELDS; i++) {
		field_free(&e->fields[i]);
		free(e->problem[i]);
	}
	field_free(&e->reason);
	free(e->message);
	for (size_t i = 0; i < e->n_memberships; i++)
		free(e->memberships[i].name);
	enrol_result_free(e->result);
	free(e->result_name);
	free(e->slip_message);
}

void enrol_screen_reset(struct enrol_screen *e)
{
	int guardian_age = e->guardian_age, short_days = e->short_days;
	bool end_at_18 = e->end_at_18;
	struct civil_date today = e->today;
	struct enrol_membership kept[ENROL_MAX_MEMBERSHIPS];
	size_t n_kept = e->n_memberships;
	memcpy(kept, e->memberships, sizeof kept);
	e->n_memberships = 0;
	enrol_screen_free(e);
	enrol_screen_init(e);
	memcpy(e->memberships, kept, sizeof kept);
	e->n_memberships = n_kept;
	e->guardian_age = guardian_age;
	e->today = today;
	e->short_days = short_days;
	e->end_at_18 = end_at_18;
}

void enrol_screen_set_youth_end(struct enrol_screen *e, int short_days, bool end_at_18)
{
	e->short_days = short_days;
	e->end_at_18 = end_at_18;
}

void enrol_screen_set_memberships(struct enrol_screen *e, const struct enrol_rules *r)
{
	for (size_t i = 0; i < e->n_memberships; i++)
		free(e->memberships[i].name);
	e->n_memberships = 0;
	for (size_t i = 0; i < r->n_memberships && i < ENROL_MAX_MEMBERSHIPS; i++)
		e->memberships[e->n_memberships++] = (struct enrol_membership){
			.name = xstrdup(r->memberships[i].name),
			.fee_cents = r->memberships[i].fee_cents };
	if (e->membership >= e->n_memberships)
		e->membership = 0;
}

char *enrol_screen_short_dup(const struct enrol_screen *e, const char *send_key)
{
	if (enrol_screen_adult(e))
		return NULL;
	char *text = field_text_dup(&e->fields[ENROL_BIRTH]);
	char *trimmed = validate_trim_dup(text);
	struct civil_date birth;
	bool known = validate_birth_date(trimmed, true, e->today, &birth) == VALIDATE_OK;
	free(text);
	free(trimmed);
	long days = known ? validate_youth_days(birth, e->today) : 0;
	if (!known || days < 1 || days >= e->short_days)
		return NULL;
	char last[DATE_STR_LEN];
	date_format_dutch(validate_youth_last_day(birth), last);
	const char *then = e->end_at_18
		? _("then the member turns 18 and the membership ends; an adult membership is "
		    "taken out separately.")
		: _("then the member turns 18 and it becomes an adult membership.");
	char *msg = xasprintf(P_("This membership runs only %ld day, until %s: %s Press %s again "
				 "to enrol all the same, or correct the date of birth.",
				 "This membership runs only %ld days, until %s: %s Press %s again "
				 "to enrol all the same, or correct the date of birth.",
				 (unsigned long)days),
			      days, last, then, send_key);
	return msg;
}

void enrol_screen_ask_clear(struct enrol_screen *e)
{
	e->state = ENROL_CLEARING;
	enrol_screen_set_message(e, _("Empty the whole form? Everything typed is lost. "
				      "Y: empty it; any other key: keep it."),
				 false);
}

void enrol_screen_answer_clear(struct enrol_screen *e, bool yes)
{
	if (yes)
		enrol_screen_reset(e);
	e->state = ENROL_EDITING;
	enrol_screen_set_message(e, yes ? _("The form is empty: the next member.")
				       : _("Nothing was emptied: the form is as it was."),
				 false);
}

void enrol_screen_set_rules(struct enrol_screen *e, int guardian_age, struct civil_date today)
{
	e->guardian_age = guardian_age;
	e->today = today;
}

void enrol_screen_set_message(struct enrol_screen *e, const char *msg, bool error)
{
	xstrset(&e->message, msg);
	e->message_error = error;
	e->message_field = -1;
}

bool enrol_screen_guardian_shown(const struct enrol_screen *e)
{
	return e->age >= 0 && e->age < e->guardian_age;
}

bool enrol_screen_adult(const struct enrol_screen *e)
{
	return e->age >= VALIDATE_YOUTH_AGE;
}

static bool field_shown(const struct enrol_screen *e, enum enrol_field f)
{
	if (f == ENROL_MEMBERSHIP || f == ENROL_ID_CHECKED)
		return enrol_screen_adult(e);
	return f < ENROL_G_NAME || enrol_screen_guardian_shown(e);
}

static void set_problem(struct enrol_screen *e, enum enrol_field f, const char *text)
{
	xstrset(&e->problem[f], text);
}

/* The desk's words for a problem of a field: plainer than the generic ones
 * where the form of the field can be said. */
static const char *problem_text(enum enrol_field f, enum validate_problem p)
{
	if (p == VALIDATE_FORMAT) {
		switch (f) {
		case ENROL_POSTCODE: return _("Four digits and two letters, like 1234 AB.");
		case ENROL_BIRTH: return _("Type the date as dd-mm-jjjj.");
		case ENROL_PHONE:
		case ENROL_G_PHONE: return _("A Dutch number: 10 digits, or +31.");
		case ENROL_EMAIL:
		case ENROL_G_EMAIL: return _("An address like naam@voorbeeld.nl.");
		case ENROL_HOUSE: return _("Digits only; a letter goes in Suffix.");
		default: break;
		}
	}
	if (f == ENROL_G_CONSENT)
		return _("Consent must be given: press j for yes.");
	if (f == ENROL_ID_CHECKED)
		return _("Check an ID document (legitimatiebewijs), then press j for yes. Never "
			 "note its number.");
	if (f == ENROL_MEMBERSHIP)
		return _("The service offers no adult membership to choose.");
	return validate_problem_text(p);
}

/* The age message, shown beside the date of birth. */
static void note_age(struct enrol_screen *e)
{
	if (e->age < 0)
		return;
	char *text = enrol_screen_adult(e)
			     ? xasprintf(P_("%d year: adult membership",
					    "%d years: adult membership",
					    (unsigned long)e->age), e->age)
			     : xasprintf(P_("%d year old", "%d years old", (unsigned long)e->age), e->age);
	set_problem(e, ENROL_BIRTH, text);
	free(text);
}

/* Checks one field; sets or clears its problem. True when it is fine. */
static bool check_field(struct enrol_screen *e, enum enrol_field f)
{
	if (!field_shown(e, f))
		return true;
	if (f == ENROL_G_RELATION)
		return true;
	if (is_yes_no(f) || f == ENROL_MEMBERSHIP) {
		bool fine = f == ENROL_G_CONSENT  ? e->consent
			    : f == ENROL_ID_CHECKED ? e->id_checked
						    : e->n_memberships > 0;
		set_problem(e, f, fine ? NULL : problem_text(f, VALIDATE_MISSING));
		return fine;
	}
	char *text = field_text_dup(&e->fields[f]);
	char *trimmed = validate_trim_dup(text);
	free(text);
	enum validate_problem p = VALIDATE_OK;
	bool optional = f == ENROL_SUFFIX || f == ENROL_EMAIL || f == ENROL_PHONE ||
			f == ENROL_G_PHONE || f == ENROL_G_EMAIL;
	char normal[VALIDATE_POSTCODE_LEN + VALIDATE_PHONE_LEN];
	long number;
	struct civil_date birth;
	if (optional && !*trimmed) {
		p = VALIDATE_OK;
	} else {
		switch (f) {
		case ENROL_GIVEN:
		case ENROL_FAMILY:
		case ENROL_G_NAME:
			p = validate_name(trimmed);
			break;
		case ENROL_BIRTH:
			p = validate_birth_date(trimmed, true, e->today, &birth);
			e->age = p == VALIDATE_OK ? date_age_on(birth, e->today) : -1;
			break;
		case ENROL_POSTCODE:
			p = validate_postcode(trimmed, normal);
			if (p == VALIDATE_OK)
				field_set(&e->fields[f], normal);
			break;
		case ENROL_HOUSE:
			p = validate_house_number(trimmed, &number);
			break;
		case ENROL_SUFFIX:
			p = validate_house_suffix_normal(trimmed, normal);
			if (p == VALIDATE_OK)
				field_set(&e->fields[f], normal);
			break;
		case ENROL_EMAIL:
		case ENROL_G_EMAIL:
			p = validate_email(trimmed);
			break;
		case ENROL_PHONE:
		case ENROL_G_PHONE:
			p = validate_phone(trimmed, normal);
			break;
		default:
			break;
		}
	}
	free(trimmed);
	set_problem(e, f, p == VALIDATE_OK ? NULL : problem_text(f, p));
	if (f == ENROL_BIRTH && p == VALIDATE_OK)
		note_age(e);
	return p == VALIDATE_OK;
}

static enum enrol_field step(const struct enrol_screen *e, enum enrol_field f, bool forward)
{
	int n = ENROL_N_FIELDS;
	int i = (int)f;
	do
		i = forward ? (i + 1) % n : (i + n - 1) % n;
	while (!field_shown(e, (enum enrol_field)i));
	return (enum enrol_field)i;
}

bool enrol_screen_move(struct enrol_screen *e, bool forward)
{
	enum enrol_field left = e->focus;
	bool fine = check_field(e, left);
	/* The whole text below the form too: beside the field it may be cut. */
	if (!fine) {
		enrol_screen_set_message(e, e->problem[left], true);
		e->message_field = (int)left;
	} else if (fine && e->message_field == (int)left) {
		enrol_screen_set_message(e, NULL, false);
	}
	e->focus = step(e, left, forward);
	return fine;
}

bool enrol_screen_check_all(struct enrol_screen *e)
{
	int first = -1;
	for (int i = 0; i < ENROL_N_FIELDS; i++)
		if (!check_field(e, (enum enrol_field)i) && first < 0)
			first = i;
	if (first >= 0)
		e->focus = (enum enrol_field)first;
	return first < 0;
}

bool enrol_screen_takes_text(const struct enrol_screen *e, keycode k)
{
	if (e->state == ENROL_REASON || e->state == ENROL_CLEARING)
		return keys_is_text(k);
	if (e->state != ENROL_EDITING)
		return false;
	if (!is_text_field(e->focus))
		return k == KEYC_SPACE || k == 'j' || k == 'J' || k == 'n' || k == 'N' || k == 'y' ||
		       k == 'Y';
	return keys_is_text(k);
}

bool enrol_screen_key(struct enrol_screen *e, keycode k)
{
	if (e->state == ENROL_REASON)
		return field_key(&e->reason, k);
	if (e->state == ENROL_CLEARING) {
		enrol_screen_answer_clear(e, k == 'j' || k == 'J' || k == 'y' || k == 'Y');
		return true;
	}
	if (e->state != ENROL_EDITING)
		return false;
	/* A change to the form is checked again, the length of the membership too. */
	e->short_warned = false;
	if (e->focus == ENROL_G_RELATION) {
		if (k == KEYC_SPACE || k == KEYC_RIGHT)
			e->relation = (e->relation + 1) % N_RELATIONS;
		else if (k == KEYC_LEFT)
			e->relation = (e->relation + N_RELATIONS - 1) % N_RELATIONS;
		else
			return false;
		return true;
	}
	if (e->focus == ENROL_MEMBERSHIP) {
		unsigned n = (unsigned)e->n_memberships;
		if (n > 0 && (k == KEYC_SPACE || k == KEYC_RIGHT))
			e->membership = (e->membership + 1) % n;
		else if (n > 0 && k == KEYC_LEFT)
			e->membership = (e->membership + n - 1) % n;
		else
			return false;
		return true;
	}
	if (is_yes_no(e->focus)) {
		bool *yes = e->focus == ENROL_G_CONSENT ? &e->consent : &e->id_checked;
		if (k == KEYC_SPACE)
			*yes = !*yes;
		else if (k == 'j' || k == 'J' || k == 'y' || k == 'Y')
			*yes = true;
		else if (k == 'n' || k == 'N')
			*yes = false;
		else
			return false;
		if (*yes)
			set_problem(e, e->focus, NULL);
		return true;
	}
	bool took = field_key(&e->fields[e->focus], k);
	/* A changed date of birth is checked again when it is left. */
	if (took && e->focus == ENROL_BIRTH && e->age >= 0) {
		e->age = -1;
		set_problem(e, ENROL_BIRTH, NULL);
		if (e->message_error)
			enrol_screen_set_message(e, NULL, false);
	}
	return took;
}

static char *text_of(const struct enrol_screen *e, enum enrol_field f)
{
	char *s = field_text_dup(&e->fields[f]);
	char *t = validate_trim_dup(s);
	free(s);
	return t;
}

void enrol_screen_form_fill(const struct enrol_screen *e, const char *branch,
			    const char *override_reason, struct enrol_screen_form *out)
{
	memset(out, 0, sizeof *out);
	char **t = out->text;
	for (int i = 0; i < ENROL_N_FIELDS; i++)
		if (is_text_field((enum enrol_field)i))
			t[i] = text_of(e, (enum enrol_field)i);
	struct civil_date birth;
	if (date_parse_dutch(t[ENROL_BIRTH], &birth))
		date_format_iso(birth, out->birth_iso);
	out->form = (struct enrol_form){
		.given_name = t[ENROL_GIVEN], .family_name = t[ENROL_FAMILY],
		.birth_date = out->birth_iso,
		.postcode = t[ENROL_POSTCODE], .house_number = t[ENROL_HOUSE],
		.suffix = t[ENROL_SUFFIX], .email = t[ENROL_EMAIL], .phone = t[ENROL_PHONE],
		.branch = branch, .guardian = enrol_screen_guardian_shown(e),
		.guardian_name = t[ENROL_G_NAME], .guardian_relation = relation_codes[e->relation],
		.guardian_phone = t[ENROL_G_PHONE], .guardian_email = t[ENROL_G_EMAIL],
		.consent = e->consent, .override_reason = override_reason,
		.adult = enrol_screen_adult(e),
		.membership = e->membership < e->n_memberships ? e->memberships[e->membership].name
							       : NULL,
		.id_checked = e->id_checked,
	};
}

void enrol_screen_form_clear(struct enrol_screen_form *f)
{
	for (int i = 0; i < ENROL_N_FIELDS; i++)
		free(f->text[i]);
	memset(f, 0, sizeof *f);
}

void enrol_screen_refused(struct enrol_screen *e, const char *field, const char *reason,
			  const char *text)
{
	for (int i = 0; field && i < ENROL_N_FIELDS; i++) {
		/* "guardian" alone is the guardian part: its first field. */
		bool match = strcmp(wire_names[i], field) == 0 ||
			     (strcmp(field, "guardian") == 0 && i == ENROL_G_NAME);
		if (match && field_shown(e, (enum enrol_field)i)) {
			if (reason)
				text = problem_text((enum enrol_field)i,
						    validate_problem_from_name(reason));
			set_problem(e, (enum enrol_field)i, text);
			e->focus = (enum enrol_field)i;
			enrol_screen_set_message(e, text, true);
			return;
		}
	}
	enrol_screen_set_message(e, text, true);
}

void enrol_screen_done(struct enrol_screen *e, struct enrol_result *r)
{
	char *given = text_of(e, ENROL_GIVEN), *family = text_of(e, ENROL_FAMILY);
	free(e->result_name);
	e->result_name = xasprintf("%s %s", given, family);
	free(given);
	free(family);
	enrol_result_free(e->result);
	e->result = r;
	e->state = ENROL_DONE;
	enrol_screen_set_message(e, NULL, false);
}

/* ---- drawing ---- */

static int label_width(void)
{
	int w = 0;
	for (int i = 0; i < ENROL_N_FIELDS; i++)
		if (term_width(field_label((enum enrol_field)i)) > w)
			w = term_width(field_label((enum enrol_field)i));
	return w;
}

static void draw_done(const struct enrol_screen *e, WINDOW *w, int top, int bottom, int cols,
		      const char *keys_hint)
{
	int y = top + 1;
	const struct enrol_result *r = e->result;
	char *title = NULL, money[32];
	circ_money(r->fee_cents, money);
	if (r->membership)
		title = xasprintf(_("Enrolled: adult membership %s, %s charged to the account"),
				  r->membership, money);
	term_text_as(w, y, 2, cols - 3,
		     title ? title : _("Enrolled: youth membership, free of charge"), TERM_TITLE);
	free(title);
	y += 2;
	char *line = xasprintf(_("Member: %s"), e->result_name ? e->result_name : "");
	term_text(w, y++, 2, cols - 3, line);
	free(line);
	line = xasprintf(_("Card number: %s"), e->result->card);
	term_text(w, y++, 2, cols - 3, line);
	free(line);
	char date[DATE_STR_LEN];
	date_format_dutch(e->result->expires_on, date);
	line = r->membership ? xasprintf(_("Valid until: %s"), date)
			     : xasprintf(_("Valid until: %s (the day before the 18th birthday)"), date);
	term_text(w, y++, 2, cols - 3, line);
	free(line);
	y++;
	if (y + BIGTEXT_ROWS <= bottom && bigtext_width(e->result->card) <= cols - 4)
		bigtext_draw(w, y, 2, cols - 3, e->result->card, TERM_TITLE);
	y += BIGTEXT_ROWS + 1;
	if (e->slip_message && y <= bottom)
		y += term_text_wrap(w, y, 2, cols - 3, bottom - y + 1, e->slip_message, TERM_NOTE);
	if (keys_hint && y <= bottom)
		term_text_wrap(w, y, 2, cols - 3, bottom - y + 1, keys_hint, TERM_NOTE);
}

static void draw_value(const struct enrol_screen *e, enum enrol_field f, WINDOW *w, int y, int x,
		       bool focus)
{
	enum term_role role = focus ? TERM_FIELD_FOCUS : TERM_FIELD;
	term_fill(w, y, x, ENROL_FIELD_W, role);
	char *shown;
	if (f == ENROL_G_RELATION) {
		shown = xasprintf("< %s >", _(relation_labels[e->relation]));
	} else if (f == ENROL_MEMBERSHIP && e->membership < e->n_memberships) {
		char money[32];
		circ_money(e->memberships[e->membership].fee_cents, money);
		/* TRANSLATORS: an adult membership and its yearly fee: "< basis, €25.00 >" */
		shown = xasprintf(_("< %s, %s >"), e->memberships[e->membership].name, money);
	} else if (f == ENROL_MEMBERSHIP) {
		shown = xstrdup(_("(none offered)"));
	} else if (f == ENROL_ID_CHECKED) {
		shown = xstrdup(e->id_checked ? _("yes, ID document seen") : _("no"));
	} else {
		shown = xstrdup(e->consent ? _("yes, consent given") : _("no"));
	}
	term_text_as(w, y, x, ENROL_FIELD_W, shown, role);
	free(shown);
}

/* The row of each shown field (-1: not shown, or below the screen), as
 * enrol_screen_draw lays them out; returns the row after the last field. */
static int field_rows(const struct enrol_screen *e, int y, int bottom, int row_of[ENROL_N_FIELDS])
{
	for (int i = 0; i < ENROL_N_FIELDS; i++) {
		enum enrol_field f = (enum enrol_field)i;
		row_of[i] = -1;
		if (!field_shown(e, f) || y > bottom)
			continue;
		if (f == ENROL_G_NAME)
			y += 2; /* a blank row and the heading of the guardian part */
		if (y <= bottom)
			row_of[i] = y++;
	}
	return y;
}

/* The rows the problem of f may take beside the form: down to the next row
 * with a problem of its own; after the last field, down to the screen's end. */
static int problem_rows(const struct enrol_screen *e, const int row_of[ENROL_N_FIELDS],
			enum enrol_field f, int bottom)
{
	int until = bottom + 1;
	for (int g = (int)f + 1; g < ENROL_N_FIELDS; g++) {
		if (row_of[g] >= 0 && e->problem[g]) {
			until = row_of[g];
			break;
		}
	}
	return until - row_of[f];
}

void enrol_screen_draw(const struct enrol_screen *e, WINDOW *w, int top, int bottom, int cols,
		       const char *keys_hint, int *cy, int *cx)
{
	*cy = *cx = -1;
	if (e->state == ENROL_DONE && e->result) {
		draw_done(e, w, top, bottom, cols, keys_hint);
		return;
	}
	int y = top + 1;
	term_text_as(w, y, 2, cols - 3,
		     enrol_screen_adult(e) ? _("Enrol: adult membership (a yearly fee)")
					     : _("Enrol: youth membership (free under 18)"),
		     TERM_TITLE);
	int lw = label_width();
	int fx = 2 + lw + 2, px = fx + ENROL_FIELD_W + 2;
	y += 2;
	int row_of[ENROL_N_FIELDS];
	int after = field_rows(e, y, bottom, row_of);
	for (int i = 0; i < ENROL_N_FIELDS; i++) {
		enum enrol_field f = (enum enrol_field)i;
		if (row_of[i] < 0)
			continue;
		y = row_of[i];
		if (f == ENROL_G_NAME)
			term_text_as(w, y - 1, 2, cols - 3, _("Parent or guardian"), TERM_TITLE);
		bool focus = e->focus == f && e->state == ENROL_EDITING;
		term_text_as(w, y, 2, lw, field_label(f), focus ? TERM_TITLE : TERM_LABEL);
		if (is_text_field(f)) {
			int col = field_draw(&e->fields[f], w, y, fx, ENROL_FIELD_W, focus);
			if (focus) {
				*cy = y;
				*cx = col;
			}
		} else {
			draw_value(e, f, w, y, fx, focus);
			if (focus) {
				*cy = y;
				*cx = fx;
			}
		}
		/* A long problem wraps beside the fields below it, whole. */
		if (e->problem[f] && px < cols - 2) {
			bool info = f == ENROL_BIRTH && e->age >= 0;
			int used = term_text_wrap(w, y, px, cols - px - 1, problem_rows(e, row_of, f, bottom),
						  e->problem[f], info ? TERM_NOTE : TERM_ERROR);
			if (y + used > after)
				after = y + used;
		}
	}
	y = after;
	y++;
	if (e->state == ENROL_REASON && y <= bottom) {
		term_text_as(w, y, 2, lw, _("Reason"), TERM_TITLE);
		int width = cols - fx - 2 > 10 ? cols - fx - 2 : 10;
		*cx = field_draw(&e->reason, w, y, fx, width, true);
		*cy = y;
		y++;
	}
	const char *msg = e->state == ENROL_SENDING ? _("Enrolling...") : e->message;
	if (msg && y <= bottom)
		term_text_wrap(w, y, 2, cols - 3, bottom - y + 1, msg,
			       e->message_error && e->state != ENROL_SENDING ? TERM_ERROR : TERM_NOTE);
}
