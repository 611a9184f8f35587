/* Check out (DESIGN.md section 4): the first scan is the patron's card; the
 * patron panel shows name, category, card expiry, loans, fines, holds ready
 * for pickup and every block before the first item. Then each item scan is
 * a line at once (pending), then its loan (title, due date) or its refusal
 * in words. An overridable refusal offers the override key and asks for a
 * reason; the override then holds for the rest of this patron's visit. The
 * end-patron key ends the visit (the slip key prints the loan slip first);
 * the next card starts fresh. */
#ifndef BALIE_CHECKOUT_H
#define BALIE_CHECKOUT_H

#include "client/circ.h"
#include "client/circ_call.h"
#include "ui/deskctx.h"
#include "ui/screen.h"
#include "ui/widgets/field.h"
#include "ui/widgets/scanlist.h"

#include <curses.h>
#include <stdbool.h>

struct checkin;

struct checkout {
	struct deskctx *ctx;
	struct field scan, reason;
	bool asking_reason;
	char *card;                  /* the visit's card; NULL between patrons */
	unsigned patron_req;         /* the tag of the patron request awaited */
	unsigned visit_mark;         /* the first line of this card's visit (scanlist_next_id) */
	struct circ_patron *patron;  /* the panel; NULL until it arrived */
	bool offline_card;           /* the card was taken offline, without patron data */
	struct scanlist lines;
	char *message;
	bool message_error;
	/* The refusal the override key would act on. */
	unsigned refused_line;
	char *refused_barcode;
	char *refused_words;         /* the refusal's words, without the key's hint */
	char **refused_blocks;
	size_t n_refused_blocks;
	bool offer_override, offer_renewal;
	bool refused_needs_permission; /* overridable by staff with the permission only */
	/* The override given for this visit. */
	char **override_blocks;
	size_t n_override_blocks;
	char *override_reason;
	/* This visit's loans, for the slip. */
	struct circ_loan **loans;
	size_t n_loans;
	char *visit_card;
	long long visit_fines;
	bool slip_wanted;
	unsigned tag_seq;
	/* A due date set by hand for the next item (YYYY-MM-DD, "" none), asked
	 * for in due while asking_due. */
	char due_next[DATE_STR_LEN];
	bool asking_due;
	struct field due;
	/* An item's alert not yet acknowledged (the cancel key), or NULL. */
	char *alert;
	/* A patron's card scanned as an item: the switch key takes it; or NULL. */
	char *switch_card;
	/* Check in's counts, which an item returned first joins; may be NULL. */
	struct checkin *returns;
};

void checkout_init(struct checkout *c, struct deskctx *ctx);
void checkout_free(struct checkout *c);
/* Forgets the patron, the lines and the fields (logging out). */
void checkout_reset(struct checkout *c);

/* An action on this screen; false when it is not one of the screen's. */
bool checkout_action(struct checkout *c, enum action a);
/* True when a does something now (the key line shows only those): the
 * override key while a refusal offers it, the slip key while this visit has
 * loans, the end key during a visit. */
bool checkout_live(const struct checkout *c, enum action a);
/* The replay settled journal entry seq (client/outbox.h): a line shown as
 * saved shows the outcome now, the due date or the refusal. */
void checkout_settled(struct checkout *c, long long seq, struct circ_loan *loan,
		      const struct circ_failure *f);
/* A key that is no action: typing into the field that has the focus. */
bool checkout_key(struct checkout *c, keycode k);
void checkout_draw(const struct checkout *c, WINDOW *w, int top, int bottom, int cols, int *cy,
		   int *cx);

/* Ends the visit shown, if any, and starts one for card, as if it had
 * been scanned: a patron's card scanned where an item was expected. */
void checkout_switch_to(struct checkout *c, const char *card);

/* The desk's words for a patron's card scanned where an item was expected,
 * naming key (the switch key, or "" when none is bound); allocated. */
char *checkout_card_words_dup(const char *key);

/* The screen's row; self is a struct checkout. */
extern const struct screen_ops checkout_ops;

#endif
