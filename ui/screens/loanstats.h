/* The loan statistics screen (balie(1)): a period (dd-mm-jjjj, this month so
 * far by default), then the loans, renewals, returns and in-house use of the
 * desk's branch and the loans per item type and per day as horizontal bar
 * charts, as the IDO statistics show theirs. Back returns to the screen it
 * was opened from. */
#ifndef BALIE_LOANSTATS_H
#define BALIE_LOANSTATS_H

#include "client/loan_stats.h"
#include "ui/deskctx.h"
#include "ui/screen.h"
#include "ui/widgets/field.h"

#include <stdbool.h>

struct loanstats {
	struct deskctx *ctx;
	struct field from, to;
	int focus;               /* 0 from, 1 to */
	enum ui_screen back;     /* where back goes */
	struct loan_stats *stats; /* NULL until shown */
	char *message;
	bool message_error;
	unsigned req;            /* the tag of the answer awaited; 0: none */
};

void loanstats_init(struct loanstats *s, struct deskctx *ctx);
void loanstats_free(struct loanstats *s);

/* The screen's row; self is a struct loanstats. */
extern const struct screen_ops loanstats_ops;

#endif
