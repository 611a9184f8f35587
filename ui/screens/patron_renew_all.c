#include "ui/screens/patron_renew_all.h"

#include "client/renew_all.h"
#include "core/i18n.h"
#include "ui/screens/renew.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static void set_message(struct patron *p, char *msg, bool error)
{
	free(p->message);
	p->message = msg;
	p->message_error = error;
}

/* The line of the loan with barcode says what its renewal did. */
static void show_outcome(struct patron *p, const struct renew_all_loan *l)
{
	for (size_t i = 0; i < p->p->n_loans; i++) {
		if (strcmp(p->p->loans[i].item_barcode, l->loan.item_barcode) != 0)
			continue;
		struct patron_loan_state *st = &p->loans[i];
		char *outcome, *detail;
		if (l->renewed) {
			renew_outcome(&l->loan, NULL, &outcome, &detail);
			free(detail);
			p->p->loans[i].overdue = false;
		} else {
			/* TRANSLATORS: a loan renew all could not renew: the reason */
			outcome = xasprintf(_("NOT RENEWED: %s"), errcode_text(l->error));
		}
		free(st->outcome);
		st->outcome = outcome;
		st->attention = !l->renewed;
		st->selected = false;
	}
}

static void on_renew_all(void *ctx, unsigned tag, struct renew_all *r,
			 const struct call_failure *f)
{
	struct patron *p = ctx;
	deskctx_touch(p->ctx);
	if (tag != p->gen || !p->p) {
		renew_all_free(r);
		return; /* another patron is shown now */
	}
	if (!r) {
		for (size_t i = 0; i < p->p->n_loans; i++)
			xstrset(&p->loans[i].outcome, NULL);
		set_message(p, xstrdup(f->outcome == API_UNREACHABLE
					       ? _("Renewing needs the service; the desk is offline.")
					       : f->text),
			    true);
		deskctx_attention(p->ctx);
		return;
	}
	for (size_t i = 0; i < r->n; i++)
		show_outcome(p, &r->loans[i]);
	/* TRANSLATORS: after renew all: how many loans were renewed, and how many not */
	char *renewed = xasprintf(P_("%zu loan renewed", "%zu loans renewed",
				     (unsigned long)r->renewed), r->renewed);
	char *msg = r->not_renewed == 0
			    ? xasprintf("%s.", renewed)
			    : xasprintf(P_("%s; %zu could not be renewed.",
					   "%s; %zu could not be renewed.",
					   (unsigned long)r->not_renewed),
					renewed, r->not_renewed);
	free(renewed);
	set_message(p, msg, r->not_renewed > 0);
	if (r->not_renewed > 0)
		deskctx_attention(p->ctx);
	renew_all_free(r);
}

void patron_renew_all_start(struct patron *p)
{
	if (p->view != PATRON_SHOW || !p->p || p->p->n_loans == 0) {
		set_message(p, xstrdup(_("Open a patron with loans first.")), false);
		return;
	}
	for (size_t i = 0; i < p->p->n_loans; i++) {
		xstrset(&p->loans[i].outcome, _("..."));
		p->loans[i].attention = false;
	}
	set_message(p, xstrdup(_("Renewing every loan...")), false);
	renew_all_start(&p->ctx->q, p->p->card, on_renew_all, p, p->gen);
}
