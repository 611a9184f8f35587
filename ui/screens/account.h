/* The account screen ("Afrekenen"), opened from the patron screen: the
 * patron's open charges and balance, the fines still accruing on overdue
 * loans (shown as such, not charged); pay (the amount defaults to the
 * balance, cash or pin), which prints a receipt when balie.conf has a
 * print command; waive the selected charges with a reason (the key is
 * shown only to staff with the permission waive; the service enforces it).
 * Its functions are account_screen_*, apart from the client's account_*. */
#ifndef BALIE_ACCOUNT_SCREEN_H
#define BALIE_ACCOUNT_SCREEN_H

#include "client/account.h"
#include "ui/deskctx.h"
#include "ui/screen.h"
#include "ui/widgets/field.h"

#include <stdbool.h>

enum account_screen_mode { ACCOUNT_LIST, ACCOUNT_PAY, ACCOUNT_WAIVE };

struct patron;

struct account_screen {
	struct deskctx *ctx;
	struct patron *patron;  /* looked up again when the desk goes back to it */
	char *card, *name;
	struct account *a;      /* NULL until it has come */
	bool *selected;         /* per open charge */
	size_t cursor;
	enum account_screen_mode mode;
	struct field amount, reason;
	bool pin;               /* the method chosen: pin, else cash */
	bool fines_blocked;     /* the patron is blocked for fines */
	bool reading;           /* the message says the account is being read */
	unsigned req;           /* the call under way, or 0 */
	struct call_retry retry;
	char *message;
	bool message_error;
};

void account_screen_init(struct account_screen *s, struct deskctx *ctx, struct patron *patron);
void account_screen_free(struct account_screen *s);
/* Shows the account of card (name as the patron screen shows it) and
 * fetches it; fines_blocked: the patron is blocked for fines now, so that a
 * payment that lifts the block says so. */
void account_screen_show(struct account_screen *s, const char *card, const char *name,
			 bool fines_blocked);

/* The screen's row; self is a struct account_screen. */
extern const struct screen_ops account_screen_ops;

#endif
