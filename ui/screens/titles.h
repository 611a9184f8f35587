/* The title search (balie(1), "titles"): words of the title or author, or
 * an ISBN; the ranked list shows the copies and how many are on the shelf
 * where. Opened from the patron screen (place-hold) it is for that patron:
 * the place-hold key places a hold on the chosen title, to fetch at the
 * branch shown (the desk's, changed with next-branch / prev-branch), and
 * says the place in the queue; back returns to the patron, looked up again. */
#ifndef BALIE_TITLES_H
#define BALIE_TITLES_H

#include "client/holds_call.h"
#include "ui/deskctx.h"
#include "ui/screen.h"
#include "ui/widgets/field.h"

#include <stdbool.h>
#include <stddef.h>

struct patron;

struct titles {
	struct deskctx *ctx;
	struct field query;
	unsigned req, gen;
	struct holds_titles *found;
	size_t cursor;
	char *message;
	bool message_error;
	/* The patron a hold is for (NULL: a search only), and the screen to go
	 * back to. */
	char *card, *name;
	struct patron *from;
	char *pickup; /* the pickup branch's code, or NULL: the desk's */
	bool placing;
};

void titles_init(struct titles *t, struct deskctx *ctx);
void titles_free(struct titles *t);
void titles_reset(struct titles *t);
/* The search is for patron card (name shown), opened from from. */
void titles_for_patron(struct titles *t, const char *card, const char *name,
		       struct patron *from);

/* The screen's row; self is a struct titles. */
extern const struct screen_ops titles_ops;

#endif
