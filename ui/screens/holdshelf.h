/* The Afhaalkast screen (balie(1), "holdshelf"): the hold shelf of the
 * desk's branch as the service lists it (client/holds_call.h): what to take
 * off today (expired, or cancelled while ready), what waits for its patron,
 * whom to phone (no e-mail address) and who has not been told yet (the
 * notice still in the outbox), each sorted as the shelf is, by initials and
 * the card's last four digits, as on the hold slip. Scanning a listed item
 * confirms it was taken off; its line shows where it goes now, in the words
 * of a check-in, and the slip is printed when it goes on. */
#ifndef BALIE_HOLDSHELF_H
#define BALIE_HOLDSHELF_H

#include "client/holds_call.h"
#include "ui/deskctx.h"
#include "ui/screen.h"
#include "ui/widgets/field.h"
#include "ui/widgets/scanlist.h"

#include <stdbool.h>
#include <stddef.h>

struct checkin;

struct holdshelf {
	struct deskctx *ctx;
	struct checkin *routes; /* its words for a route */
	struct field scan;
	struct scanlist lines;
	struct holds_shelf *shelf;
	unsigned req, gen;
	size_t first;           /* the first row of the lists shown */
	char *message;
	bool message_error;
};

void holdshelf_init(struct holdshelf *h, struct deskctx *ctx, struct checkin *routes);
void holdshelf_free(struct holdshelf *h);
void holdshelf_reset(struct holdshelf *h);

/* The screen's row; self is a struct holdshelf. */
extern const struct screen_ops holdshelf_ops;

#endif
