#include "ui/app_enrol.h"

#include "client/outbox.h"
#include "client/enrol.h"
#include "ui/screens/enrolform.h"
#include "core/i18n.h"
#include "client/needsvc.h"
#include "client/slip.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct app_enrol {
	const struct app_setup *setup;
	struct session_login *const *session;
	struct session_branches *const *branches;
	bool *dirty;
	app_enrol_checkout_fn checkout;
	void *checkout_ctx;
	struct enrol_screen form;
	bool have_rules;
	unsigned req_rules, req_send;
	/* The last request that got no answer: sent again unchanged, it keeps
	 * its Idempotency-Key, so that it cannot enrol the child twice. */
	struct call_retry unanswered;
	struct outbox *offline; /* NULL: no journal, never offline */
	char *offline_note;          /* the message put up for an offline desk */
};

struct app_enrol *app_enrol_new(const struct app_setup *setup,
				struct session_login *const *session,
				struct session_branches *const *branches, bool *dirty,
				app_enrol_checkout_fn checkout, void *checkout_ctx)
{
	struct app_enrol *ae = xcalloc(1, sizeof *ae);
	*ae = (struct app_enrol){ .setup = setup, .session = session, .branches = branches,
				  .dirty = dirty, .checkout = checkout, .checkout_ctx = checkout_ctx };
	enrol_screen_init(&ae->form);
	return ae;
}

static void app_enrol_cancel_requests(struct app_enrol *ae)
{
	call_cancel(ae->setup->api, ae->req_rules);
	call_cancel(ae->setup->api, ae->req_send);
	ae->req_rules = ae->req_send = 0;
}

void app_enrol_free(struct app_enrol *ae)
{
	if (!ae)
		return;
	app_enrol_cancel_requests(ae);
	enrol_screen_free(&ae->form);
	call_retry_forget(&ae->unanswered);
	free(ae->offline_note);
	free(ae);
}

void app_enrol_set_offline(struct app_enrol *ae, struct outbox *offline)
{
	ae->offline = offline;
}

/* The key that sends the form ("F12"). */
static void app_enrol_send_key(const struct app_enrol *ae, char key[KEYS_NAME_MAX])
{
	keycode k[2];
	key[0] = '\0';
	if (keymap_keys_for(ae->setup->km, SCREEN_ENROL, ACTION_ENROL_SUBMIT, k, 2) > 0)
		keys_format(k[0], key);
}

/* Says that enrolment needs the service and the desk has none; what was
 * typed stays in the form. error: a send that did not go (or found no
 * service), else the note on opening the screen. */
static void app_enrol_offline_note(struct app_enrol *ae, bool error,
				   const struct call_failure *f)
{
	char key[KEYS_NAME_MAX];
	app_enrol_send_key(ae, key);
	char *msg = error ? xasprintf(_("Enrolment needs the service; the desk is offline. What you "
					"typed is kept: send it again (%s) when the service is back."),
				      key)
			  : xasprintf(_("Enrolment needs the service; the desk is offline. You can "
					"fill in the form and send it (%s) when the service is back."),
				      key);
	char *text = call_failure_sentence_dup(msg, f);
	free(msg);
	enrol_screen_set_message(&ae->form, text, error);
	free(ae->offline_note);
	ae->offline_note = text;
}

/* The offline note goes once the desk is back (at the next key or action). */
static void app_enrol_forget_offline_note(struct app_enrol *ae)
{
	if (!ae->offline_note || needsvc_down(ae->offline))
		return;
	if (ae->form.message && strcmp(ae->form.message, ae->offline_note) == 0)
		enrol_screen_set_message(&ae->form, NULL, false);
	xstrset(&ae->offline_note, NULL);
}

static void app_enrol_reset(struct app_enrol *ae)
{
	app_enrol_cancel_requests(ae);
	enrol_screen_reset(&ae->form);
	ae->have_rules = false;
	call_retry_forget(&ae->unanswered);
}

static void app_enrol_attention(const struct app_enrol *ae)
{
	if (ae->setup->cfg->bell)
		beep();
}

static const char *app_enrol_branch_name(const struct app_enrol *ae, const char *code)
{
	const struct session_branch *b =
		*ae->branches ? session_branches_find(*ae->branches, code) : NULL;
	return b ? b->name : code;
}

static void app_enrol_on_rules(void *ctx, struct enrol_rules *r, const struct call_failure *f)
{
	struct app_enrol *ae = ctx;
	ae->req_rules = 0;
	*ae->dirty = true;
	(void)f;
	if (!r)
		return; /* the defaults stay; the service checks again anyway */
	enrol_screen_set_rules(&ae->form, r->guardian_age, r->today);
	enrol_screen_set_youth_end(&ae->form, r->short_days, r->end_at_18);
	enrol_screen_set_memberships(&ae->form, r);
	ae->have_rules = true;
	enrol_rules_free(r);
}

static void app_enrol_open(struct app_enrol *ae)
{
	if (ae->form.state == ENROL_DONE)
		enrol_screen_reset(&ae->form);
	if (ae->form.state == ENROL_EDITING && needsvc_down(ae->offline) && !ae->form.message)
		app_enrol_offline_note(ae, false, NULL);
	app_enrol_forget_offline_note(ae);
	if (!ae->have_rules && !ae->req_rules)
		ae->req_rules = enrol_rules_start(ae->setup->api, app_enrol_on_rules, ae);
}

/* The words for a duplicate_member refusal, allocated. */
static char *app_enrol_duplicate_dup(const struct app_enrol *ae, const struct call_failure *f,
				     const char *cards)
{
	char *msg;
	if (f->overridable) {
		char key[KEYS_NAME_MAX] = "";
		keycode k[2];
		if (keymap_keys_for(ae->setup->km, SCREEN_ENROL, ACTION_OVERRIDE, k, 2) > 0)
			keys_format(k[0], key);
		msg = xasprintf(_("There is already a member with this family name, date of birth and "
				  "postcode (card %s). Check the ID document; %s enrols anyway, with a "
				  "reason."),
				cards ? cards : "?", key);
	} else {
		msg = xasprintf(_("There is already a member with this family name, date of birth and "
				  "postcode (card %s)."),
				cards ? cards : "?");
	}
	return msg;
}

static void app_enrol_on_send(void *ctx, struct enrol_result *r, const struct call_failure *f,
			      const char *cards)
{
	struct app_enrol *ae = ctx;
	struct enrol_screen *e = &ae->form;
	ae->req_send = 0;
	*ae->dirty = true;
	e->state = ENROL_EDITING;
	e->duplicate = false;
	if (!f || f->outcome != API_UNREACHABLE)
		call_retry_forget(&ae->unanswered);
	if (r) {
		field_clear(&e->reason);
		enrol_screen_done(e, r);
		return;
	}
	if (f->outcome == API_OK) {
		enrol_screen_set_message(e, f->text, true);
		app_enrol_attention(ae);
		return;
	}
	if (f->outcome == API_REFUSED && f->error == ERR_DUPLICATE_MEMBER) {
		char *msg = app_enrol_duplicate_dup(ae, f, cards);
		enrol_screen_set_message(e, msg, true);
		free(msg);
		e->duplicate = f->overridable;
	} else if (f->outcome == API_REFUSED && f->error == ERR_INVALID_FIELD) {
		enrol_screen_refused(e, f->field, f->reason, f->text);
	} else if (f->outcome == API_REFUSED) {
		enrol_screen_refused(e, f->field, NULL, f->text);
	} else if (f->outcome == API_UNREACHABLE) {
		if (ae->offline)
			outbox_unreachable(ae->offline);
		app_enrol_offline_note(ae, true, f);
	} else {
		char *msg = xasprintf("%s %s", f->text,
				      _("Nothing typed is lost: send again when the service is back."));
		enrol_screen_set_message(e, msg, true);
		free(msg);
	}
	app_enrol_attention(ae);
}

static void app_enrol_send(struct app_enrol *ae, const char *override_reason)
{
	struct enrol_screen *e = &ae->form;
	if (!*ae->session || ae->req_send)
		return;
	if (needsvc_down(ae->offline)) {
		/* Not sent; the form (and a reason typed) stays as it is. */
		app_enrol_offline_note(ae, true, NULL);
		app_enrol_attention(ae);
		return;
	}
	struct enrol_screen_form form;
	enrol_screen_form_fill(e, (*ae->session)->branch, override_reason, &form);
	ae->req_send = enrol_send_start(ae->setup->api, &form.form, &ae->unanswered,
					app_enrol_on_send, ae);
	enrol_screen_form_clear(&form);
	e->state = ENROL_SENDING;
	enrol_screen_set_message(e, NULL, false);
}

static void app_enrol_submit(struct app_enrol *ae)
{
	struct enrol_screen *e = &ae->form;
	if (e->state != ENROL_EDITING)
		return;
	if (!enrol_screen_check_all(e)) {
		enrol_screen_set_message(e, _("Not sent: correct the field marked in red."), true);
		app_enrol_attention(ae);
		return;
	}
	if (!e->short_warned) {
		/* A membership of a few days surprises the family: the desk says
		 * so, and the same key once more sends it. */
		char key[KEYS_NAME_MAX];
		app_enrol_send_key(ae, key);
		char *warning = enrol_screen_short_dup(e, key);
		if (warning) {
			e->short_warned = true;
			enrol_screen_set_message(e, warning, true);
			free(warning);
			app_enrol_attention(ae);
			return;
		}
	}
	app_enrol_send(ae, NULL);
}

static void app_enrol_print(struct app_enrol *ae)
{
	struct enrol_screen *e = &ae->form;
	const struct config *cfg = ae->setup->cfg;
	if (!cfg->print_command) {
		xstrset(&e->slip_message, _("No print command is set in balie.conf."));
		return;
	}
	const char *given = e->result_name ? e->result_name : "";
	char *first = xstrdup(given);
	char *space = strchr(first, ' ');
	const char *family = space ? space + 1 : "";
	if (space)
		*space = '\0';
	const char *branch = *ae->session ? app_enrol_branch_name(ae, (*ae->session)->branch) : "";
	struct slip *s = enrol_slip_new(cfg->print_width, branch, first, family, e->result,
					e->today);
	char *err = NULL;
	if (slip_print(s, cfg->print_command, cfg->print_charset, &err)) {
		xstrset(&e->slip_message, _("The welcome slip was printed."));
	} else {
		char *msg = xasprintf(_("The welcome slip could not be printed: %s"), err);
		xstrset(&e->slip_message, msg);
		free(msg);
		app_enrol_attention(ae);
	}
	free(err);
	slip_free(s);
	free(first);
}

static bool app_enrol_reason_action(struct app_enrol *ae, enum action a)
{
	struct enrol_screen *e = &ae->form;
	switch (a) {
	case ACTION_NEXT_FIELD:
	case ACTION_ENROL_SUBMIT: {
		char *reason = field_text_dup(&e->reason);
		if (reason[strspn(reason, " ")] == '\0') {
			enrol_screen_set_message(e, _("Give the reason for enrolling anyway."), true);
			app_enrol_attention(ae);
		} else {
			app_enrol_send(ae, reason);
		}
		free(reason);
		return true;
	}
	case ACTION_CANCEL:
		e->state = ENROL_EDITING;
		enrol_screen_set_message(e, NULL, false);
		return true;
	default:
		return false;
	}
}

static bool app_enrol_action(struct app_enrol *ae, enum action a)
{
	struct enrol_screen *e = &ae->form;
	app_enrol_forget_offline_note(ae);
	if (e->state == ENROL_REASON)
		return app_enrol_reason_action(ae, a);
	if (e->state == ENROL_CLEARING) {
		/* Any key but yes keeps the form, an action key too. */
		enrol_screen_answer_clear(e, false);
		return true;
	}
	if (e->state == ENROL_DONE) {
		switch (a) {
		case ACTION_CHECKOUT:
			if (ae->checkout && e->result)
				ae->checkout(ae->checkout_ctx, e->result->card);
			return true;
		case ACTION_PRINT_SLIP:
			app_enrol_print(ae);
			return true;
		case ACTION_ENROL:
			app_enrol_open(ae);
			return true;
		default:
			return false;
		}
	}
	switch (a) {
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		if (e->state == ENROL_EDITING && !enrol_screen_move(e, a == ACTION_NEXT_FIELD))
			app_enrol_attention(ae);
		return true;
	case ACTION_ENROL_SUBMIT:
		app_enrol_submit(ae);
		return true;
	case ACTION_ENROL_CLEAR:
		if (e->state == ENROL_EDITING)
			enrol_screen_ask_clear(e);
		return true;
	case ACTION_OVERRIDE:
		if (e->state == ENROL_EDITING && e->duplicate) {
			e->state = ENROL_REASON;
			field_clear(&e->reason);
			enrol_screen_set_message(e, _("Why is this a new member? Type the reason and press Enter."),
						 false);
		}
		return true;
	case ACTION_ENROL:
		app_enrol_open(ae);
		return true;
	default:
		return false;
	}
}

static bool app_enrol_live(const struct app_enrol *ae, enum action a)
{
	enum enrol_state st = ae->form.state;
	switch (a) {
	case ACTION_ENROL_SUBMIT:
		return st == ENROL_EDITING || st == ENROL_REASON;
	case ACTION_ENROL_CLEAR:
		return st == ENROL_EDITING;
	case ACTION_OVERRIDE:
		return st == ENROL_EDITING && ae->form.duplicate;
	case ACTION_PRINT_SLIP:
		return st == ENROL_DONE;
	default:
		return true;
	}
}

static bool app_enrol_takes_text(const struct app_enrol *ae, keycode k)
{
	return enrol_screen_takes_text(&ae->form, k);
}

static void app_enrol_key(struct app_enrol *ae, keycode k)
{
	app_enrol_forget_offline_note(ae);
	enrol_screen_key(&ae->form, k);
}

static void app_enrol_draw(const struct app_enrol *ae, WINDOW *w, int top, int bottom, int cols,
			   int *cy, int *cx)
{
	char *hint = NULL;
	if (ae->form.state == ENROL_DONE) {
		const struct keymap *km = ae->setup->km;
		char k1[KEYS_NAME_MAX] = "", k2[KEYS_NAME_MAX] = "", k3[KEYS_NAME_MAX] = "";
		keycode k[2];
		if (keymap_keys_for(km, SCREEN_ENROL, ACTION_CHECKOUT, k, 2) > 0)
			keys_format(k[0], k1);
		if (keymap_keys_for(km, SCREEN_ENROL, ACTION_PRINT_SLIP, k, 2) > 0)
			keys_format(k[0], k2);
		if (keymap_keys_for(km, SCREEN_ENROL, ACTION_ENROL, k, 2) > 0)
			keys_format(k[0], k3);
		hint = xasprintf(_("%s: check out to this member now. %s: print the welcome slip. "
				   "%s: enrol the next member."),
				 k1, k2, k3);
	}
	enrol_screen_draw(&ae->form, w, top, bottom, cols, hint, cy, cx);
	free(hint);
}

/* ---- the enrolment screen's row (screen.h) ---- */

static void app_enrol_op_open(void *self, enum ui_screen from)
{
	(void)from;
	app_enrol_open(self);
}

static void app_enrol_op_reset(void *self)
{
	app_enrol_reset(self);
}

static bool app_enrol_op_action(void *self, enum action a, enum ui_screen *screen)
{
	(void)screen;
	return app_enrol_action(self, a);
}

static bool app_enrol_op_takes_text(const void *self, keycode k)
{
	return app_enrol_takes_text(self, k);
}

static void app_enrol_op_key(void *self, keycode k)
{
	app_enrol_key(self, k);
}

static bool app_enrol_op_live(const void *self, enum action a)
{
	return app_enrol_live(self, a);
}

static void app_enrol_op_draw(void *self, struct screen_area *area)
{
	app_enrol_draw(self, area->w, area->top, area->bottom, area->cols, &area->cy, &area->cx);
}

const struct screen_ops app_enrol_ops = {
	.open = app_enrol_op_open,
	.reset = app_enrol_op_reset,
	.action = app_enrol_op_action,
	.takes_text = app_enrol_op_takes_text,
	.key = app_enrol_op_key,
	.live = app_enrol_op_live,
	.draw = app_enrol_op_draw,
};
