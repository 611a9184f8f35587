#include "ui/screens/patron_head.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "ui/widgets/term.h"

#include <stdlib.h>
#include <string.h>

enum { PATRON_HOLD_ROWS = 3 /* then "... and 2 more holds" */ };

char *patron_hold_line_dup(const struct circ_hold *h, const struct deskctx *ctx, bool listed)
{
	char by[DATE_STR_LEN + 16];
	deskctx_date(h->pickup_by, by);
	char *state = circ_hold_state_dup(h, deskctx_branch_name(ctx, h->branch), by);
	char *line = listed ? xasprintf("%s, %s", h->title, state)
			    /* TRANSLATORS: "Hold: <title>, ready in Zuid (until 05-12-2026)" */
			    : xasprintf(_("Hold: %s, %s"), h->title, state);
	free(state);
	if (h->not_told) {
		/* TRANSLATORS: first on the row of a ready hold whose patron was not
		 * sent the notice yet (it waits in the outbox, or there is no
		 * e-mail address): the desk may phone */
		char *marked = xasprintf(_("(not told) %s"), line);
		free(line);
		line = marked;
	}
	return line;
}

bool patron_hold_ready(const struct circ_hold *h)
{
	return !h->status || !*h->status || strcmp(h->status, "ready") == 0;
}

/* The date of birth, address and contact details, the reading-history
 * choice, and the staff note and the message when there are any. */
static int draw_details(const struct circ_patron_details *d, WINDOW *w, int y, int cols)
{
	char born[DATE_STR_LEN + 16];
	deskctx_date(d->birth_date, born);
	char *address = xasprintf("%s %s%s%s", d->postcode, d->house_number, *d->suffix ? " " : "",
				  d->suffix);
	const char *history = d->keep_history ? _("kept") : _("not kept");
	char *line = xasprintf(_("Born %s   Address: %s   Reading history: %s"), born, address,
			       history);
	term_text(w, y++, 2, cols - 3, line);
	free(line);
	free(address);
	line = xasprintf(_("E-mail: %s   Phone: %s"), *d->email ? d->email : "-",
			 *d->phone ? d->phone : "-");
	term_text(w, y++, 2, cols - 3, line);
	free(line);
	if (*d->staff_note) {
		line = xasprintf(_("Note: %s"), d->staff_note);
		term_text_as(w, y++, 2, cols - 3, line, TERM_NOTE);
		free(line);
	}
	if (*d->message) {
		line = xasprintf(_("Message for the patron: %s"), d->message);
		term_text_as(w, y++, 2, cols - 3, line, TERM_NOTE);
		free(line);
	}
	return y;
}

int patron_head_draw(const struct circ_patron *c, const struct deskctx *ctx, WINDOW *w, int y,
		     int cols)
{
	const char *cat = strcmp(c->category, "youth") == 0 ? _("youth") : _("adult");
	char *line = xasprintf("%s  (%s, %s)", c->name, cat, c->card);
	term_text_as(w, y++, 2, cols - 3, line, TERM_TITLE);
	free(line);
	char exp[DATE_STR_LEN + 16], money[32];
	deskctx_date(c->expires_on, exp);
	circ_money(c->fines_cents, money);
	line = xasprintf(_("Card valid until %s   Fines: %s   Branch: %s"), exp, money,
			 deskctx_branch_name(ctx, c->home_branch));
	term_text(w, y++, 2, cols - 3, line);
	free(line);
	if (c->accruing_fines_cents > 0) {
		circ_money(c->accruing_fines_cents, money);
		line = xasprintf(_("Still accruing on overdue loans: %s (not charged yet)"), money);
		term_text_as(w, y++, 2, cols - 3, line, TERM_NOTE);
		free(line);
	}
	char *blocks = circ_blocks_line_dup(c);
	if (blocks)
		term_text_as(w, y++, 2, cols - 3, blocks, TERM_ERROR);
	free(blocks);
	y = draw_details(&c->details, w, y, cols);
	/* The holds are in the list under the loans; a service without
	 * "holds" gives the ready ones, shown here. */
	const struct circ_hold *holds = c->holds_ready;
	size_t n = c->n_holds ? 0 : c->n_holds_ready;
	for (size_t i = 0; i < n && i < PATRON_HOLD_ROWS; i++) {
		line = patron_hold_line_dup(&holds[i], ctx, false);
		term_text_as(w, y++, 2, cols - 3, line, patron_hold_ready(&holds[i]) ? TERM_NOTE : TERM_NORMAL);
		free(line);
	}
	if (n > PATRON_HOLD_ROWS) {
		line = xasprintf(P_("... and %zu more hold", "... and %zu more holds",
				    (unsigned long)(n - PATRON_HOLD_ROWS)),
				 n - PATRON_HOLD_ROWS);
		term_text_as(w, y++, 2, cols - 3, line, TERM_NOTE);
		free(line);
	}
	return y;
}
