/* The cash-up screen ("Kasopmaak"): today's totals of this desk, read from
 * the service when the screen opens: the payments by method (cash, pin)
 * and by kind of charge, refunds paid out, waivers and the net; the
 * print-slip key prints them as a slip. Its functions are cashup_screen_*. */
#ifndef BALIE_CASHUP_SCREEN_H
#define BALIE_CASHUP_SCREEN_H

#include "client/account.h"
#include "ui/deskctx.h"
#include "ui/screen.h"

#include <stdbool.h>

struct cashup_screen {
	struct deskctx *ctx;
	enum ui_screen from;      /* where the back key returns to */
	struct account_cashup *c; /* NULL until it has come */
	unsigned req;
	char *message;
	bool message_error;
};

void cashup_screen_init(struct cashup_screen *s, struct deskctx *ctx);
void cashup_screen_free(struct cashup_screen *s);

/* The screen's row; self is a struct cashup_screen. */
extern const struct screen_ops cashup_screen_ops;

#endif
