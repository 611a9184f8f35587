/* What the patron screen changes (balie(1), "The patron screen"): the edit
 * form of the patron's name, address and contact details, the staff note,
 * the message for the patron, a block by hand or lifting it (each with a
 * reason), the reading-history choice and the kept history, and erasure
 * (administration; asked twice). One of them at a time replaces the loans
 * below the patron; Enter sends, Esc stops. */
#ifndef BALIE_PATRON_EDIT_H
#define BALIE_PATRON_EDIT_H

#include "client/circ.h"
#include "client/patron_call.h"
#include "ui/deskctx.h"
#include "ui/widgets/field.h"

#include <curses.h>
#include <stdbool.h>

enum patron_edit_mode {
	PATRON_EDIT_NONE,
	PATRON_EDIT_FORM,
	PATRON_EDIT_NOTE,
	PATRON_EDIT_MESSAGE,
	PATRON_EDIT_BLOCK,
	PATRON_EDIT_UNBLOCK,
	PATRON_EDIT_ERASE,       /* asked once: the erase key again goes on */
	PATRON_EDIT_ERASE_AGAIN, /* asked twice: Enter erases */
	PATRON_EDIT_HISTORY,
};

/* What the editor tells the patron screen. */
struct patron_edit_owner {
	void *self;
	/* A line for the screen's message row (translated). */
	void (*say)(void *self, const char *text, bool error);
	/* The patron changed: read it again. */
	void (*reload)(void *self);
	/* The patron was erased: forget it. */
	void (*erased)(void *self);
};

struct patron_edit {
	struct deskctx *ctx;
	struct patron_edit_owner owner;
	enum patron_edit_mode mode;
	struct field text;                      /* note, message or reason */
	struct field form[PATRON_CALL_FIELDS];
	char *was[PATRON_CALL_FIELDS];          /* the form's values as opened */
	int focus;
	char *card;                             /* the patron being changed */
	struct patron_call_history *history;
	unsigned req;                           /* the answer awaited, 0 for none */
	unsigned seq;
};

void patron_edit_init(struct patron_edit *e, struct deskctx *ctx,
		      const struct patron_edit_owner *owner);
void patron_edit_free(struct patron_edit *e);
/* Stops what is under way; an answer still to come is ignored. */
void patron_edit_reset(struct patron_edit *e);
/* True while one of the modes is open. */
bool patron_edit_active(const struct patron_edit *e);

/* An action while patron p is shown (NULL: none); false when it is not the
 * editor's. */
bool patron_edit_action(struct patron_edit *e, const struct circ_patron *p, enum action a);
/* True when a does something now. */
bool patron_edit_live(const struct patron_edit *e, const struct circ_patron *p, enum action a);
/* A key typed into the open field; false when there is none. */
bool patron_edit_key(struct patron_edit *e, keycode k);
/* Draws the open mode from row y to bottom; sets *cy, *cx to the field's
 * cursor (left alone when there is none). */
void patron_edit_draw(const struct patron_edit *e, WINDOW *w, int y, int bottom, int cols,
		      int *cy, int *cx);

#endif
