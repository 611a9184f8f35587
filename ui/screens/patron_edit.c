#include "ui/screens/patron_edit.h"

#include "core/i18n.h"
#include "core/pdguard.h"
#include "core/validate.h"
#include "core/xalloc.h"
#include "ui/widgets/term.h"

#include <stdlib.h>
#include <string.h>

enum { EDIT_TEXT_MAX = 280, EDIT_FIELD_MAX = 100 };

/* What the service refuses in a staff note or a message (balied(8)). */
#define PATRON_EDIT_REFUSED (PDGUARD_BIT(PDGUARD_BSN) | PDGUARD_BIT(PDGUARD_EMAIL) | \
			     PDGUARD_BIT(PDGUARD_PHONE) | PDGUARD_BIT(PDGUARD_IBAN))

static const char *field_label(enum patron_call_field f)
{
	switch (f) {
	case PATRON_CALL_GIVEN_NAME: return _("Given name");
	case PATRON_CALL_FAMILY_NAME: return _("Family name");
	case PATRON_CALL_POSTCODE: return _("Postcode");
	case PATRON_CALL_HOUSE_NUMBER: return _("House number");
	case PATRON_CALL_SUFFIX: return _("Suffix");
	case PATRON_CALL_EMAIL: return _("E-mail");
	case PATRON_CALL_PHONE: return _("Phone");
	case PATRON_CALL_FIELDS: break;
	}
	return "";
}

void patron_edit_init(struct patron_edit *e, struct deskctx *ctx,
		      const struct patron_edit_owner *owner)
{
	*e = (struct patron_edit){ .ctx = ctx, .owner = *owner };
	field_init(&e->text, EDIT_TEXT_MAX, false);
	for (unsigned i = 0; i < PATRON_CALL_FIELDS; i++)
		field_init(&e->form[i], EDIT_FIELD_MAX, false);
}

void patron_edit_reset(struct patron_edit *e)
{
	e->mode = PATRON_EDIT_NONE;
	field_clear(&e->text);
	for (unsigned i = 0; i < PATRON_CALL_FIELDS; i++) {
		field_clear(&e->form[i]);
		xstrset(&e->was[i], NULL);
	}
	xstrset(&e->card, NULL);
	patron_call_history_free(e->history);
	e->history = NULL;
	e->req = 0;
	e->focus = 0;
}

void patron_edit_free(struct patron_edit *e)
{
	patron_edit_reset(e);
	field_free(&e->text);
	for (unsigned i = 0; i < PATRON_CALL_FIELDS; i++)
		field_free(&e->form[i]);
}

bool patron_edit_active(const struct patron_edit *e)
{
	return e->mode != PATRON_EDIT_NONE;
}

/* A new tag for the answer awaited: answers to an earlier one are ignored. */
static unsigned next_req(struct patron_edit *e)
{
	if (++e->seq == 0)
		e->seq = 1;
	return e->req = e->seq;
}

/* The desk's words for a refusal: invalid_field names the field and why. */
static char *refusal_dup(const struct call_failure *f)
{
	if (f->outcome == API_UNREACHABLE)
		return call_failure_sentence_dup(_("Changing a patron needs the service; the desk is "
						   "offline."), f);
	if (f->error != ERR_INVALID_FIELD || !f->field)
		return xstrdup(f->text);
	const char *label = f->field;
	for (unsigned i = 0; i < PATRON_CALL_FIELDS; i++)
		if (strcmp(f->field, patron_call_field_name((enum patron_call_field)i)) == 0)
			label = field_label((enum patron_call_field)i);
	const char *why = f->reason ? validate_problem_text(validate_problem_from_name(f->reason))
				    : f->text;
	return xasprintf("%s: %s", label, why);
}

static void on_changed(void *ctx, unsigned tag, const struct call_failure *f)
{
	struct patron_edit *e = ctx;
	deskctx_touch(e->ctx);
	if (tag != e->req)
		return;
	e->req = 0;
	if (f) {
		char *why = refusal_dup(f);
		e->owner.say(e->owner.self, why, true);
		free(why);
		deskctx_attention(e->ctx);
		return; /* the mode stays open: what was typed can be corrected */
	}
	bool erased = e->mode == PATRON_EDIT_ERASE_AGAIN;
	patron_edit_reset(e);
	if (erased) {
		e->owner.erased(e->owner.self);
		e->owner.say(e->owner.self, _("The patron's data were erased."), false);
	} else {
		e->owner.reload(e->owner.self);
		e->owner.say(e->owner.self, _("Saved."), false);
	}
}

static void on_history(void *ctx, unsigned tag, struct patron_call_history *h,
		       const struct call_failure *f)
{
	struct patron_edit *e = ctx;
	deskctx_touch(e->ctx);
	if (tag != e->req || e->mode != PATRON_EDIT_HISTORY) {
		patron_call_history_free(h);
		return;
	}
	e->req = 0;
	if (!h) {
		char *why = refusal_dup(f);
		e->owner.say(e->owner.self, why, true);
		free(why);
		e->mode = PATRON_EDIT_NONE;
		return;
	}
	patron_call_history_free(e->history);
	e->history = h;
	e->owner.say(e->owner.self, NULL, false);
}

/* Opens mode for p, with the text field holding text (may be NULL). */
static void open_mode(struct patron_edit *e, const struct circ_patron *p,
		      enum patron_edit_mode mode, const char *text, const char *hint)
{
	patron_edit_reset(e);
	e->mode = mode;
	e->card = xstrdup(p->card);
	field_set(&e->text, text ? text : "");
	e->owner.say(e->owner.self, hint, false);
}

static void open_form(struct patron_edit *e, const struct circ_patron *p)
{
	const struct circ_patron_details *d = &p->details;
	open_mode(e, p, PATRON_EDIT_FORM, NULL,
		  _("Change what is wrong; Tab goes to the next field, Enter saves, Esc stops."));
	const char *values[PATRON_CALL_FIELDS] = {
		[PATRON_CALL_GIVEN_NAME] = d->given_name,
		[PATRON_CALL_FAMILY_NAME] = d->family_name,
		[PATRON_CALL_POSTCODE] = d->postcode,
		[PATRON_CALL_HOUSE_NUMBER] = d->house_number,
		[PATRON_CALL_SUFFIX] = d->suffix,
		[PATRON_CALL_EMAIL] = d->email,
		[PATRON_CALL_PHONE] = d->phone,
	};
	for (unsigned i = 0; i < PATRON_CALL_FIELDS; i++) {
		field_set(&e->form[i], values[i] ? values[i] : "");
		e->was[i] = xstrdup(values[i] ? values[i] : "");
	}
}

/* Sends the fields that differ from what the form opened with. */
static void send_form(struct patron_edit *e)
{
	char *now[PATRON_CALL_FIELDS];
	const char *send[PATRON_CALL_FIELDS] = { 0 };
	bool any = false;
	for (unsigned i = 0; i < PATRON_CALL_FIELDS; i++) {
		now[i] = field_text_dup(&e->form[i]);
		if (strcmp(now[i], e->was[i]) != 0) {
			send[i] = now[i];
			any = true;
		}
	}
	if (any)
		patron_call_edit_start(&e->ctx->q, e->card, send, on_changed, e, next_req(e));
	else
		e->owner.say(e->owner.self, _("Nothing was changed."), false);
	for (unsigned i = 0; i < PATRON_CALL_FIELDS; i++)
		free(now[i]);
}

static void send_text(struct patron_edit *e)
{
	char *text = field_text_dup(&e->text);
	bool reason_needed = e->mode == PATRON_EDIT_BLOCK || e->mode == PATRON_EDIT_UNBLOCK;
	if (reason_needed && !*text) {
		e->owner.say(e->owner.self, _("Give a reason."), true);
	} else if (reason_needed) {
		patron_call_block_start(&e->ctx->q, e->card, e->mode == PATRON_EDIT_BLOCK, text,
					on_changed, e, next_req(e));
	} else if (pdguard_scan(text, date_today()) & PATRON_EDIT_REFUSED) {
		/* Checked here first, so the desk says why before it sends; the
		 * service checks again with the same guard. */
		e->owner.say(e->owner.self, _("This looks like a BSN, an IBAN, an e-mail address or "
					      "a phone number: leave it out."),
			     true);
	} else {
		patron_call_text_start(&e->ctx->q, e->card, e->mode == PATRON_EDIT_MESSAGE, text,
				       on_changed, e, next_req(e));
	}
	free(text);
}

static void send_mode(struct patron_edit *e)
{
	if (e->req)
		return; /* the answer to the last is still to come */
	switch (e->mode) {
	case PATRON_EDIT_FORM:
		send_form(e);
		break;
	case PATRON_EDIT_NOTE:
	case PATRON_EDIT_MESSAGE:
	case PATRON_EDIT_BLOCK:
	case PATRON_EDIT_UNBLOCK:
		send_text(e);
		break;
	case PATRON_EDIT_ERASE_AGAIN:
		patron_call_erase_start(&e->ctx->q, e->card, on_changed, e, next_req(e));
		break;
	case PATRON_EDIT_ERASE:
	case PATRON_EDIT_HISTORY:
	case PATRON_EDIT_NONE:
		break;
	}
}

static void ask_erase(struct patron_edit *e, const struct circ_patron *p)
{
	if (e->mode == PATRON_EDIT_ERASE) {
		e->mode = PATRON_EDIT_ERASE_AGAIN;
		e->owner.say(e->owner.self, _("Really erase? This cannot be undone. Enter erases, "
					      "Esc stops."), true);
		return;
	}
	char key[KEYS_NAME_MAX];
	deskctx_key(e->ctx, SCREEN_PATRON, ACTION_PATRON_ERASE, key);
	char *ask = xasprintf(_("Erase all data of %s? Only without loans and without an open "
				"balance. Press %s again to go on, Esc stops."),
			      p->name, key);
	open_mode(e, p, PATRON_EDIT_ERASE, NULL, NULL);
	e->owner.say(e->owner.self, ask, true);
	free(ask);
}

static void keep_history(struct patron_edit *e, const struct circ_patron *p)
{
	patron_edit_reset(e);
	e->card = xstrdup(p->card);
	patron_call_keep_history_start(&e->ctx->q, p->card, !p->details.keep_history, on_changed, e,
				       next_req(e));
}

static void history(struct patron_edit *e, const struct circ_patron *p)
{
	if (e->mode == PATRON_EDIT_HISTORY) {
		patron_edit_reset(e);
		e->owner.say(e->owner.self, NULL, false);
		return;
	}
	open_mode(e, p, PATRON_EDIT_HISTORY, NULL, _("Reading the history..."));
	patron_call_history_start(&e->ctx->q, p->card, on_history, e, next_req(e));
}

/* The actions that open a mode on the patron shown. */
static bool open_action(struct patron_edit *e, const struct circ_patron *p, enum action a)
{
	switch (a) {
	case ACTION_PATRON_EDIT:
		open_form(e, p);
		return true;
	case ACTION_PATRON_NOTE:
		open_mode(e, p, PATRON_EDIT_NOTE, p->details.staff_note,
			  _("The staff note, for desk staff only (no BSN, IBAN, e-mail or phone). "
			    "Enter saves, an empty note clears it, Esc stops."));
		return true;
	case ACTION_PATRON_MESSAGE:
		open_mode(e, p, PATRON_EDIT_MESSAGE, p->details.message,
			  _("A message for the patron, shown once at the next check-out. Enter "
			    "saves, an empty one clears it, Esc stops."));
		return true;
	case ACTION_PATRON_BLOCK:
		open_mode(e, p, p->manual_block ? PATRON_EDIT_UNBLOCK : PATRON_EDIT_BLOCK, NULL,
			  p->manual_block ? _("Why is the block lifted? Enter lifts it, Esc stops.")
					  : _("Why is the patron blocked? Enter blocks, Esc stops."));
		return true;
	case ACTION_PATRON_HISTORY:
		history(e, p);
		return true;
	case ACTION_PATRON_KEEP_HISTORY:
		keep_history(e, p);
		return true;
	case ACTION_PATRON_ERASE:
		ask_erase(e, p);
		return true;
	default:
		return false;
	}
}

bool patron_edit_action(struct patron_edit *e, const struct circ_patron *p, enum action a)
{
	if (p && open_action(e, p, a))
		return true;
	if (!patron_edit_active(e))
		return false;
	switch (a) {
	case ACTION_SCAN:
		send_mode(e);
		return true;
	case ACTION_CANCEL:
		patron_edit_reset(e);
		e->owner.say(e->owner.self, NULL, false);
		return true;
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		if (e->mode == PATRON_EDIT_FORM) {
			int n = PATRON_CALL_FIELDS;
			e->focus = (e->focus + (a == ACTION_NEXT_FIELD ? 1 : n - 1)) % n;
		}
		return true;
	case ACTION_SELECT:
	case ACTION_RENEW_SELECTED:
		return true; /* the loans are out of sight while a mode is open */
	default:
		return false;
	}
}

bool patron_edit_live(const struct patron_edit *e, const struct circ_patron *p, enum action a)
{
	switch (a) {
	case ACTION_PATRON_EDIT:
	case ACTION_PATRON_NOTE:
	case ACTION_PATRON_MESSAGE:
	case ACTION_PATRON_BLOCK:
	case ACTION_PATRON_HISTORY:
	case ACTION_PATRON_KEEP_HISTORY:
	case ACTION_PATRON_ERASE:
		return p != NULL && e->req == 0;
	default:
		return true;
	}
}

bool patron_edit_key(struct patron_edit *e, keycode k)
{
	switch (e->mode) {
	case PATRON_EDIT_FORM:
		return field_key(&e->form[e->focus], k);
	case PATRON_EDIT_NOTE:
	case PATRON_EDIT_MESSAGE:
	case PATRON_EDIT_BLOCK:
	case PATRON_EDIT_UNBLOCK:
		return field_key(&e->text, k);
	default:
		return false;
	}
}

static void draw_form(const struct patron_edit *e, WINDOW *w, int y, int bottom, int cols,
		      int *cy, int *cx)
{
	term_text_as(w, y++, 2, cols - 3, _("Change the patron"), TERM_TITLE);
	for (unsigned i = 0; i < PATRON_CALL_FIELDS && y <= bottom; i++, y++) {
		term_text_as(w, y, 4, 16, field_label((enum patron_call_field)i), TERM_LABEL);
		int x = field_draw(&e->form[i], w, y, 21, cols - 23, e->focus == (int)i);
		if (e->focus == (int)i) {
			*cy = y;
			*cx = x;
		}
	}
}

static void draw_text(const struct patron_edit *e, WINDOW *w, int y, int cols, int *cy, int *cx)
{
	const char *label = e->mode == PATRON_EDIT_NOTE      ? _("Note")
			    : e->mode == PATRON_EDIT_MESSAGE ? _("Message")
							     : _("Reason");
	term_text_as(w, y, 2, cols - 3, label, TERM_LABEL);
	int x = 2 + term_width(label) + 1;
	*cx = field_draw(&e->text, w, y, x, cols - x - 2, true);
	*cy = y;
}

static void draw_history(const struct patron_edit *e, WINDOW *w, int y, int bottom, int cols)
{
	term_text_as(w, y++, 2, cols - 3, _("Reading history (the last returned first)"),
		     TERM_TITLE);
	if (e->history && e->history->n == 0 && y <= bottom)
		term_text_as(w, y, 4, cols - 5, _("No loans kept."), TERM_LABEL);
	for (size_t i = 0; e->history && i < e->history->n && y <= bottom; i++, y++) {
		const struct patron_call_past *l = &e->history->loans[i];
		char day[DATE_STR_LEN + 16];
		deskctx_date(l->returned_on, day);
		term_text(w, y, 4, 11, day);
		term_text(w, y, 16, 15, l->item_barcode);
		term_text(w, y, 32, cols - 33, l->title);
	}
}

void patron_edit_draw(const struct patron_edit *e, WINDOW *w, int y, int bottom, int cols,
		      int *cy, int *cx)
{
	if (y > bottom)
		return;
	switch (e->mode) {
	case PATRON_EDIT_FORM:
		draw_form(e, w, y, bottom, cols, cy, cx);
		break;
	case PATRON_EDIT_NOTE:
	case PATRON_EDIT_MESSAGE:
	case PATRON_EDIT_BLOCK:
	case PATRON_EDIT_UNBLOCK:
		draw_text(e, w, y, cols, cy, cx);
		break;
	case PATRON_EDIT_HISTORY:
		draw_history(e, w, y, bottom, cols);
		break;
	case PATRON_EDIT_ERASE:
	case PATRON_EDIT_ERASE_AGAIN:
	case PATRON_EDIT_NONE:
		break;
	}
}
