/* The rows of a training database as SQL (training/seed.c decides what they
 * hold): plain inserts without the rules, audit entries or checks of the
 * domain, for a database that is being filled from empty in one transaction.
 * Each returns false (logged) when the store fails. */
#ifndef BALIED_SEED_SQL_H
#define BALIED_SEED_SQL_H

#include "service/store/store.h"

#include <stdbool.h>
#include <time.h>

bool seed_sql_branch(struct store *store, const char *code, const char *name,
		     const char *open_weekdays);
/* A day the branch is closed; a day it is closed already is left as it is. */
bool seed_sql_closed_date(struct store *store, const char *code, const char *date);

/* An account with one role, created at now. */
bool seed_sql_staff(struct store *store, const char *username, const char *name,
		    const char *hash, const char *branch, const char *role, time_t now);
/* Grants the account username a permission by its name ("override"). */
bool seed_sql_permission(struct store *store, const char *username, const char *permission);

struct seed_sql_patron {
	const char *card, *given_name, *family_name, *birth_date, *postcode;
	int house_number;
	const char *house_number_suffix, *email, *phone; /* may be NULL */
	const char *category, *home_branch, *enrolled_on, *expires_on;
	const char *manual_block;                         /* may be NULL */
	bool keep_history;
};
bool seed_sql_patron(struct store *store, const struct seed_sql_patron *p);

/* An item, and its title: the first item of a title and author makes the
 * title (with year and isbn, which may be 0 and NULL), the others are its
 * copies. */
struct seed_sql_item {
	const char *barcode, *title, *author, *item_type;
	const char *home_branch, *current_branch, *status;
	int year;
	const char *isbn;
};
bool seed_sql_item(struct store *store, const struct seed_sql_item *item);
/* True when item (its id) exists and is not a book: it has the short loan
 * period of audiovisual items. */
bool seed_sql_item_short_loan(struct store *store, unsigned item);

/* Lends item to patron (both ids) at its home branch at loaned_at, due on
 * due (YYYY-MM-DD), and marks it on loan. */
bool seed_sql_loan(struct store *store, unsigned item, unsigned patron, time_t loaned_at,
		   const char *due);
/* Moves the due date of item's loan. */
bool seed_sql_loan_due(struct store *store, unsigned item, const char *due);

/* An unpaid fine for a late return. */
bool seed_sql_fine(struct store *store, unsigned patron, int cents, time_t at);

struct seed_sql_hold {
	unsigned patron, item;
	const char *pickup_branch;
	bool ready;            /* on the hold shelf of its pickup branch; else waiting */
	time_t placed_at;
	time_t ready_since;    /* ready */
	const char *pickup_by; /* ready: YYYY-MM-DD */
};
bool seed_sql_hold(struct store *store, const struct seed_sql_hold *hold);

#endif
