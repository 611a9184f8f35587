/* In-house use, "ter inzage" (balie(1)): each item scanned is counted in the
 * anonymous statistics as used in the library, with no loan; each scan is a
 * line, pending, then the title or the refusal. Back returns to the screen
 * it was opened from. */
#ifndef BALIE_INHOUSE_H
#define BALIE_INHOUSE_H

#include "ui/deskctx.h"
#include "ui/screen.h"
#include "ui/widgets/field.h"
#include "ui/widgets/scanlist.h"

struct inhouse {
	struct deskctx *ctx;
	struct field scan;
	struct scanlist lines;
	enum ui_screen from; /* where back goes */
	unsigned counted;
};

void inhouse_init(struct inhouse *h, struct deskctx *ctx);
void inhouse_free(struct inhouse *h);

/* The screen's row; self is a struct inhouse. */
extern const struct screen_ops inhouse_ops;

#endif
