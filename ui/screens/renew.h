/* Renew (DESIGN.md section 4) by item barcode: each scan is a line, pending,
 * then the new due date or the refusal in words (a hold waiting, the
 * renewal limit, a blocked patron). A blocked patron's refusal offers the
 * override key to staff with the permission, as check out does: it asks a
 * reason and sends that one renewal again with the override. */
#ifndef BALIE_RENEW_H
#define BALIE_RENEW_H

#include "client/circ_call.h"
#include "ui/deskctx.h"
#include "ui/screen.h"
#include "ui/widgets/field.h"
#include "ui/widgets/scanlist.h"

#include <curses.h>
#include <stdbool.h>

struct renew {
	struct deskctx *ctx;
	struct field scan, reason;
	struct scanlist lines;
	bool asking_reason;
	char *message;          /* or NULL */
	bool message_error;
	/* The refusal the override key would act on (refused_line 0: none). */
	unsigned refused_line;
	char *refused_barcode;
	char **refused_blocks;
	size_t n_refused_blocks;
};

void renew_init(struct renew *r, struct deskctx *ctx);
void renew_free(struct renew *r);
void renew_reset(struct renew *r);
bool renew_action(struct renew *r, enum action a);
bool renew_key(struct renew *r, keycode k);
void renew_draw(const struct renew *r, WINDOW *w, int top, int bottom, int cols, int *cy,
		int *cx);

/* The outcome and detail words for a renewal's answer (loan, or NULL and
 * f, as circ_renew_start gives them; for the check-out and patron screens'
 * renewals too); allocated. True when it was renewed. */
bool renew_outcome(const struct circ_loan *loan, const struct circ_failure *f, char **outcome,
		   char **detail);

/* The screen's row; self is a struct renew. */
extern const struct screen_ops renew_ops;

#endif
