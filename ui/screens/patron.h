/* The patron screen (DESIGN.md section 4): find a patron by card, or by
 * name and date of birth; show the loans with their due dates (overdue
 * marked), the holds (waiting with their place in the queue, in transit,
 * ready with the last day to fetch them, expired), the fines and the
 * blocks; select loans (Space) and renew them (the renew-selected key);
 * find a title to place a hold on (place-hold, the title screen) and cancel
 * the hold under the cursor with a reason (cancel-hold); the account key
 * opens the patron's account (ui/screens/account.h). The cursor runs over
 * the loans, then the holds. */
#ifndef BALIE_PATRON_H
#define BALIE_PATRON_H

#include "client/circ.h"
#include "ui/deskctx.h"
#include "ui/screen.h"
#include "ui/widgets/field.h"

#include <curses.h>
#include <stdbool.h>

enum patron_view { PATRON_SEARCH, PATRON_RESULTS, PATRON_SHOW };

struct patron_loan_state {
	bool selected;
	bool attention;
	char *outcome; /* the renewal's outcome, or NULL */
};

struct titles;
struct account_screen;

struct patron {
	struct deskctx *ctx;
	struct titles *titles;  /* the title screen a hold is placed from */
	struct account_screen *account; /* the account key opens it */
	/* cancel-hold asks the reason: the hold's index, or -1 */
	long cancel_at;
	struct field query, birth;
	int focus; /* 0: card or name, 1: date of birth */
	enum patron_view view;
	unsigned req, gen;
	struct circ_search *found;
	struct circ_patron *p;
	struct patron_loan_state *loans;
	size_t cursor;
	char *message;
	bool message_error;
	bool keep_message; /* the next lookup keeps the message (a cancel's outcome) */
	/* What the lookup under way was typed as: given back to the fields
	 * when it finds no service, so that nothing typed is lost. */
	char *asked_query, *asked_birth;
};

void patron_init(struct patron *p, struct deskctx *ctx);
void patron_free(struct patron *p);
void patron_reset(struct patron *p);
/* Looks the patron shown up again (after a hold was placed). */
void patron_reopen(struct patron *p);
bool patron_action(struct patron *p, enum action a);
bool patron_key(struct patron *p, keycode k);
/* True when a does something now: selecting and renewing while a patron
 * with loans is open. */
bool patron_live(const struct patron *p, enum action a);
/* False when k is a key the screen uses itself now (Space selects a loan
 * while the search field is empty). */
bool patron_takes_text(const struct patron *p, keycode k);
/* Looks card up and shows it (again: after the account screen). */
void patron_lookup(struct patron *p, const char *card);
void patron_draw(const struct patron *p, WINDOW *w, int top, int bottom, int cols, int *cy,
		 int *cx);

/* The screen's row; self is a struct patron. */
extern const struct screen_ops patron_ops;

#endif
