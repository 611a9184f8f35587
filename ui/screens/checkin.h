/* Check in (DESIGN.md section 4): continuous scanning; each line shows the
 * title and the route in large plain words: back on the shelf, to the hold
 * shelf for the patron's initials, or in transit to a branch. A route that
 * needs the desk's action rings the bell and is shown in the attention
 * role; fines collected on return are shown; hold and transit slips are
 * printed when balie.conf has a print command. */
#ifndef BALIE_CHECKIN_H
#define BALIE_CHECKIN_H

#include "client/circ_call.h"
#include "ui/deskctx.h"
#include "ui/screen.h"
#include "ui/widgets/field.h"
#include "ui/widgets/scanlist.h"

#include <curses.h>
#include <stdbool.h>

struct checkin {
	struct deskctx *ctx;
	struct field scan;
	struct scanlist lines;
	char *message;
	bool message_error;
	unsigned n_in, n_hold, n_transit;
	long long fines_cents;
};

void checkin_init(struct checkin *c, struct deskctx *ctx);
void checkin_free(struct checkin *c);
void checkin_reset(struct checkin *c);
bool checkin_action(struct checkin *c, enum action a);
/* The replay settled journal entry seq (client/outbox.h): a line shown as
 * saved shows the outcome now, the route or the refusal. */
void checkin_settled(struct checkin *c, long long seq, struct circ_checkin *r,
		     const struct circ_failure *f);
bool checkin_key(struct checkin *c, keycode k);
void checkin_draw(const struct checkin *c, WINDOW *w, int top, int bottom, int cols, int *cy,
		  int *cx);

/* An item on loan to another patron that check out took in first: it is
 * counted as checked in, with the fine that return charged. */
void checkin_count_return(struct checkin *c, long long fine_cents);

/* The route of r in the large plain words of a check-in (the hold shelf
 * screen shows its routes so too); allocated. */
char *checkin_route_dup(const struct checkin *c, const struct circ_checkin *r);

/* The screen's row; self is a struct checkin. */
extern const struct screen_ops checkin_ops;

#endif
