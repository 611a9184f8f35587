/* The item look-up (balie(1)): a barcode typed or scanned, or the item
 * scanned last at check out or check in when the look-up key is pressed
 * there, shown as the service has it: title, author, type, status (and the
 * reason the desk gave), home and current branch, due date and borrower
 * while on loan, the holds waiting on its title, its last check-in and its
 * note (in the attention role when the note is an alert). The status key
 * sets the item's status (lost, damaged, missing, claimed returned,
 * withdrawn, available) with a reason; the due-date key gives a loan
 * another due date. Back returns to the screen it was opened from. */
#ifndef BALIE_ITEM_SCREEN_H
#define BALIE_ITEM_SCREEN_H

#include "client/item.h"
#include "ui/deskctx.h"
#include "ui/screen.h"
#include "ui/widgets/field.h"

#include <stdbool.h>

struct item {
	struct deskctx *ctx;
	struct field scan;
	enum ui_screen from;    /* where back goes */
	struct item_info *info; /* the item shown, or NULL */
	char *message;          /* or NULL */
	bool message_error;
	unsigned req;           /* the tag of the look-up awaited; 0: none */
	bool looking;           /* the message says the look-up is under way */
	/* What the desk is asked: nothing, the status (a digit) and its reason,
	 * or a new due date and its reason. */
	enum item_asking { ITEM_ASK_NONE, ITEM_ASK_STATUS, ITEM_ASK_STATUS_REASON, ITEM_ASK_DUE,
			   ITEM_ASK_DUE_REASON } asking;
	struct field choice, reason, due;
};

void item_init(struct item *it, struct deskctx *ctx);
void item_free(struct item *it);
/* Looks barcode up and shows it when the answer comes. */
void item_lookup(struct item *it, const char *barcode);

/* The screen's row; self is a struct item. */
extern const struct screen_ops item_ops;

#endif
