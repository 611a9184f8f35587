#include "ui/screens/patron_membership.h"

#include "client/circ.h"
#include "client/enrol.h"
#include "client/membercard.h"
#include "client/needsvc.h"
#include "client/outbox.h"
#include "core/i18n.h"
#include "core/xalloc.h"
#include "ui/screens/patron.h"

#include <stdlib.h>
#include <string.h>

static void say(struct patron *p, const char *msg, bool error)
{
	xstrset(&p->message, msg);
	p->message_error = error;
	if (error)
		deskctx_attention(p->ctx);
	deskctx_touch(p->ctx);
}

void patron_membership_reset(struct patron *p)
{
	struct patron_membership *m = &p->membership;
	call_cancel(p->ctx->q.api, m->req);
	m->req = 0;
	m->asking = false;
	xstrset(&m->card, NULL);
	call_retry_forget(&m->retry);
}

bool patron_membership_asking(const struct patron *p)
{
	return p->membership.asking;
}

/* The patron shown, when a call may go: not while one is under way, and
 * not offline (then the screen says so). */
static const char *card_to_send(struct patron *p, const char *offline_text)
{
	if (p->view != PATRON_SHOW || !p->p) {
		say(p, _("Open a patron first."), false);
		return NULL;
	}
	if (p->membership.req)
		return NULL;
	if (needsvc_down(p->ctx->q.offline)) {
		say(p, offline_text, true);
		return NULL;
	}
	return p->p->card;
}

/* The desk's words for a refusal; due is the first day of a renewal. */
static char *refusal_dup(const struct call_failure *f, const struct civil_date *due,
			 const char *replaced, const char *offline_text)
{
	if (replaced)
		return xstrdup(replaced);
	if (f->outcome == API_UNREACHABLE)
		return call_failure_sentence_dup(offline_text, f);
	if (due) {
		char from[DATE_STR_LEN];
		date_format_dutch(*due, from);
		return xasprintf(_("This membership cannot be renewed yet: from %s on."), from);
	}
	if (f->outcome == API_REFUSED && f->error == ERR_NOT_ELIGIBLE_AGE)
		return xstrdup(_("A youth membership runs to the 18th birthday and is not renewed "
				 "beyond it; from 18 enrol an adult membership instead."));
	return xstrdup(f->text);
}

/* A call that found no service takes the desk offline, as every other
 * call does: the next one says so without trying. */
static void went_offline(struct patron *p, const struct call_failure *f)
{
	if (f->outcome == API_UNREACHABLE && p->ctx->q.offline)
		outbox_unreachable(p->ctx->q.offline);
}

static const char *renew_offline_text(void)
{
	return _("Renewing a membership needs the service; the desk is offline.");
}

static const char *replace_offline_text(void)
{
	return _("Replacing a card needs the service; the desk is offline.");
}

/* The answer came: its key is spent unless no service answered, and a
 * failure is said in the desk's words. True when there is a result. */
static bool answered(struct patron *p, bool got, const struct call_failure *f,
		     const struct civil_date *due, const char *replaced, const char *offline_text)
{
	p->membership.req = 0;
	if (!f || f->outcome != API_UNREACHABLE)
		call_retry_forget(&p->membership.retry);
	if (got)
		return true;
	went_offline(p, f);
	char *msg = refusal_dup(f, due, replaced, offline_text);
	say(p, msg, true);
	free(msg);
	return false;
}

static void on_renewal(void *ctx, struct membercard_renewal *r, const struct call_failure *f,
		       const struct civil_date *due)
{
	struct patron *p = ctx;
	if (!answered(p, r != NULL, f, due, NULL, renew_offline_text()))
		return;
	char until[DATE_STR_LEN], money[32];
	date_format_dutch(r->expires_on, until);
	circ_money(r->fee_cents, money);
	char *msg = r->fee_cents > 0
			    ? xasprintf(_("Membership %s renewed until %s; %s charged to the account."),
					r->membership ? r->membership : "", until, money)
			    : xasprintf(_("Membership renewed until %s, free of charge."), until);
	/* Shown again, so that the expiry and a card_expired block are as now. */
	patron_open_card(p, p->membership.card, msg);
	free(msg);
	membercard_renewal_free(r);
}

static void renew(struct patron *p)
{
	const char *card = card_to_send(p, renew_offline_text());
	if (!card)
		return;
	xstrset(&p->membership.card, card);
	p->membership.req = membercard_renew_start(p->ctx->q.api, card, &p->membership.retry,
						   on_renewal, p);
	say(p, _("Renewing the membership..."), false);
}

static void ask_reason(struct patron *p)
{
	if (!card_to_send(p, replace_offline_text()))
		return;
	p->membership.asking = true;
	char *msg = xasprintf(_("Replace the card of %s: 1 lost, 2 stolen; any other key keeps "
				"the card."), p->p->name);
	say(p, msg, false);
	free(msg);
}

/* The welcome slip of the new card; NULL, or why it was not printed. */
static char *print_slip(struct patron *p, const struct membercard_replacement *r)
{
	const char *here = deskctx_here(p->ctx);
	struct slip *s = enrol_slip_new(p->ctx->cfg->print_width, deskctx_branch_name(p->ctx, here),
					r->given_name, r->family_name, &r->card, date_today());
	return deskctx_print(p->ctx, s);
}

static void on_replacement(void *ctx, struct membercard_replacement *r,
			   const struct call_failure *f, const char *replaced)
{
	struct patron *p = ctx;
	if (!answered(p, r != NULL, f, NULL, replaced, replace_offline_text()))
		return;
	char money[32];
	circ_money(r->card.fee_cents, money);
	char *printed = print_slip(p, r);
	/* One row of the screen: short words. */
	const char *slip = printed ? printed
			   : p->ctx->cfg->print_command ? _("Welcome slip printed.")
							: _("No print command for the slip.");
	char *msg = r->card.fee_cents > 0
			    ? xasprintf(_("New card %s, old blocked; %s charged. %s"), r->card.card,
					money, slip)
			    : xasprintf(_("New card %s, old blocked; no fee. %s"), r->card.card,
					slip);
	patron_open_card(p, r->card.card, msg);
	free(msg);
	free(printed);
	membercard_replacement_free(r);
}

void patron_membership_key(struct patron *p, keycode k)
{
	struct patron_membership *m = &p->membership;
	m->asking = false;
	if ((k != '1' && k != '2') || !p->p) {
		say(p, _("The card was not replaced."), false);
		return;
	}
	xstrset(&m->card, p->p->card);
	m->req = membercard_replace_start(p->ctx->q.api, p->p->card,
					  k == '1' ? MEMBERCARD_LOST : MEMBERCARD_STOLEN, &m->retry,
					  on_replacement, p);
	say(p, _("Replacing the card..."), false);
}

bool patron_membership_action(struct patron *p, enum action a)
{
	if (a == ACTION_RENEW_MEMBERSHIP)
		renew(p);
	else if (a == ACTION_REPLACE_CARD)
		ask_reason(p);
	else
		return false;
	return true;
}
