/* A patron's loans and holds as the desk sees them, and the search for
 * patrons by name and birth date (GET /patrons/{card}, GET /patrons). The
 * patron itself is found with circ_patron_find (circulation.h). Rows are
 * handed to a callback one at a time; their strings live until it returns. */
#ifndef BALIED_PATRON_H
#define BALIED_PATRON_H

#include "core/date.h"
#include "service/store/store.h"

#include <stdbool.h>
#include <stddef.h>

/* An open loan. */
struct patron_loan {
	const char *item_barcode, *title, *author, *item_type;
	const char *due_on;   /* YYYY-MM-DD */
	bool overdue;         /* due before today */
	int renewals;
};
typedef void (*patron_loan_fn)(void *ctx, const struct patron_loan *loan);

/* Calls fn for each open loan of the patron, by due date and title. today is
 * YYYY-MM-DD. False (logged) when the store fails. */
bool patron_each_loan(struct store *store, long long patron_id, const char *today,
		      patron_loan_fn fn, void *ctx);

/* An open hold. */
struct patron_hold {
	const char *item_barcode, *title, *pickup_branch;
	const char *status;    /* waiting, in_transit or ready */
	const char *pickup_by; /* YYYY-MM-DD once ready, else "" */
	char ready_since[DATE_STR_LEN]; /* the day it became ready, or "" */
};
typedef void (*patron_hold_fn)(void *ctx, const struct patron_hold *hold);

/* Calls fn for each hold ready for pickup, by the time it became ready
 * (status and ready_since set). False (logged) when the store fails. */
bool patron_each_ready_hold(struct store *store, long long patron_id, patron_hold_fn fn,
			    void *ctx);
/* Sets *count to the holds still waiting or in transit. False (logged) when
 * the store fails. */
bool patron_holds_waiting(struct store *store, long long patron_id, int *count);

/* A patron found by the search. */
struct patron_match {
	const char *card, *given_name, *family_name, *birth_date;
	const char *category, *home_branch, *expires_on;
};
typedef void (*patron_match_fn)(void *ctx, const struct patron_match *m);

enum patron_search_status {
	PATRON_SEARCH_OK,
	PATRON_SEARCH_NO_CRITERIA, /* neither a word in q nor a birth date */
	PATRON_SEARCH_FAILED,      /* logged */
};

/*
 * The patrons whose "given family" name holds every word of q (at most the
 * first five words; case-insensitive for ASCII letters; % and _ are just
 * characters) and, when birth_date (YYYY-MM-DD) is not NULL or "", who were
 * born that day: fn for each of at most max, by family name, given name
 * and birth date. *truncated tells whether there were more. q may be NULL.
 */
enum patron_search_status patron_search(struct store *store, const char *q,
					const char *birth_date, size_t max, patron_match_fn fn,
					void *ctx, bool *truncated);

#endif
