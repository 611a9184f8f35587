/* The head of the patron screen: who the patron is (name, card, category,
 * expiry, fines, what accrues, blocks, date of birth, address and contact
 * details, note and message) and the holds a service without the list of
 * holds gives; and the one line of a hold, as the list under the loans
 * shows it too. */
#ifndef BALIE_PATRON_HEAD_H
#define BALIE_PATRON_HEAD_H

#include "client/circ.h"
#include "ui/deskctx.h"

#include <curses.h>
#include <stdbool.h>

/* "Hold: <title>, ready in Zuid (until 05-12-2026)", or without "Hold: "
 * under the list's own heading (listed); allocated. */
char *patron_hold_line_dup(const struct circ_hold *h, const struct deskctx *ctx, bool listed);
/* True for a hold ready to fetch (also one of a service that gives no status). */
bool patron_hold_ready(const struct circ_hold *h);
/* Draws the head of patron c from row y; returns the row after it. */
int patron_head_draw(const struct circ_patron *c, const struct deskctx *ctx, WINDOW *w, int y,
		     int cols);

#endif
