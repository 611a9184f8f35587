/* The rules of circulation applied (DESIGN.md section 3, balied-rules(5)):
 * checking out with blocks and overrides, checking in with fines and the
 * route of the item, renewing. Each operation runs inside the caller's
 * transaction and changes nothing it reports as refused (the caller rolls
 * back on a refusal anyway). No JSON here: the endpoints (ep_circulation.c)
 * turn the results into answers. */
#ifndef BALIED_CIRCULATION_H
#define BALIED_CIRCULATION_H

#include "core/date.h"
#include "service/domain/rules.h"
#include "service/store/store.h"

#include <stdbool.h>
#include <time.h>

enum { CIRC_DATE_LEN = 11, CIRC_CODE_LEN = 17, CIRC_INITIALS_LEN = 24 };

/* Where and when an operation happens. */
struct circ_ctx {
	struct store *store;
	const struct rules *rules;
	time_t now;
	char today[CIRC_DATE_LEN];  /* the local date of now */
	const char *branch;         /* the desk's branch: where the item is now */
	long long staff_id;
	const char *terminal;       /* the desk's terminal, or NULL (a job) */
};

/* Fills today from now. */
void circ_ctx_init(struct circ_ctx *ctx, struct store *store, const struct rules *rules,
		   time_t now, const char *branch, long long staff_id);

enum circ_block {
	CIRC_BLOCK_CARD_EXPIRED = 1 << 0,
	CIRC_BLOCK_FINES_OVER_LIMIT = 1 << 1,
	CIRC_BLOCK_MANUAL = 1 << 2,
	CIRC_BLOCK_MAX_LOANS = 1 << 3,
};
enum { CIRC_BLOCK_ALL = 0xf };
/* Not a block of the patron: an override naming "item_on_hold_for_other"
 * lends an item held for another patron (a loan the desk made offline: the
 * item has left already); the hold stays for that patron. */
enum { CIRC_OVERRIDE_HOLD = 1 << 4 };

/* The wire name of one block bit ("card_expired", ...), and back (0 when unknown). */
const char *circ_block_name(unsigned bit);
unsigned circ_block_from_name(const char *name);

enum circ_status {
	CIRC_OK,
	CIRC_PATRON_NOT_FOUND,
	CIRC_ITEM_NOT_FOUND,
	CIRC_ITEM_NOT_LOANABLE,
	CIRC_ITEM_ON_HOLD_FOR_OTHER,
	CIRC_ALREADY_ON_LOAN,         /* to the same patron */
	CIRC_PATRON_BLOCKED,
	CIRC_RENEWAL_LIMIT,
	CIRC_RENEWAL_BLOCKED_BY_HOLD,
	CIRC_NOT_ON_LOAN,
	CIRC_LOAN_STARTED_LATER,      /* a replay from before the item's open loan began */
	CIRC_STORE_FAILED,            /* logged */
};

struct circ_patron_rec {
	long long id;
	char *card, *given_name, *family_name, *birth_date;
	char *category;     /* "youth" or "adult" */
	char *home_branch;
	char *expires_on;
	char *manual_block; /* the reason of a block by hand, or NULL */
	bool keep_history;
	unsigned loans;     /* open loans */
	long long fines_cents; /* unpaid */
};

/* "check_digit" for 14 digits whose last is not the Luhn digit of the rest
 * (a misread or mistyped card), else NULL: any other code is looked up
 * and is not found (a card is 14 digits). */
const char *circ_card_problem(const char *card);

/* Finds a patron by card: CIRC_OK, CIRC_PATRON_NOT_FOUND or CIRC_STORE_FAILED.
 * Free with circ_patron_clear. */
enum circ_status circ_patron_find(struct store *store, const char *card,
				  struct circ_patron_rec *out);
void circ_patron_clear(struct circ_patron_rec *p);
/* The blocks in force for p today (a mask of enum circ_block). */
unsigned circ_patron_blocks(const struct circ_ctx *ctx, const struct circ_patron_rec *p);

/* The fine a loan of a patron of category due on due_on would cost if it
 * came back today: what is accruing, not charged (0 when not overdue). */
long long circ_fine_accruing(const struct circ_ctx *ctx, const char *due_on, const char *category);

struct circ_item_rec {
	long long id;
	long long title_id;
	char *barcode, *title, *author, *type, *home_branch, *current_branch, *status;
};
void circ_item_clear(struct circ_item_rec *i);
/* Sets the item's status and puts it at the desk's branch. False (logged)
 * when the store fails. */
bool circ_item_set(const struct circ_ctx *ctx, long long item_id, const char *status);

/* The open weekdays of branch ("" when unknown), and whether branch is open
 * on d (its weekdays and closed days). */
void circ_branch_weekdays(const struct circ_ctx *ctx, const char *branch, char out[8]);
bool circ_branch_open_on(const struct circ_ctx *ctx, const char *branch, const char *weekdays,
			 struct civil_date d);

/* The due date of an item of type lent today at the desk's branch: the loan
 * period, moved to the branch's next open day. */
void circ_due_date(const struct circ_ctx *ctx, const char *item_type, char out[CIRC_DATE_LEN]);

struct circ_checkout_req {
	const char *card;
	const char *barcode;
	unsigned override_blocks; /* blocks the desk overrides (with a reason) */
};

struct circ_checkout_res {
	struct circ_patron_rec patron;
	struct circ_item_rec item;
	char due_on[CIRC_DATE_LEN];   /* OK, and ALREADY_ON_LOAN: the current due date */
	unsigned renewals;            /* ALREADY_ON_LOAN */
	unsigned blocks;              /* PATRON_BLOCKED: all blocks in force */
	unsigned overridden;          /* OK: the blocks that were overridden */
	bool returned_first;          /* OK: the item was on loan to someone else */
	long long returned_fine_cents;/* the fine that return cost its borrower */
	bool hold_fulfilled;          /* OK: the patron's own hold on the item */
	time_t loan_started_at;       /* LOAN_STARTED_LATER: when the open loan began */
};

enum circ_status circ_checkout(const struct circ_ctx *ctx, const struct circ_checkout_req *req,
			       struct circ_checkout_res *res);
void circ_checkout_res_clear(struct circ_checkout_res *res);

enum circ_route_action { CIRC_ROUTE_SHELVE, CIRC_ROUTE_HOLD_SHELF, CIRC_ROUTE_TRANSIT };
/* "shelve", "hold_shelf", "transit" */
const char *circ_route_name(enum circ_route_action a);

struct circ_checkin_res {
	struct circ_item_rec item;
	bool was_on_loan;             /* false: an item in transit that arrived */
	bool found;                   /* a missing item turned up: available again */
	/* Checked in here already (in transit from here, or on the hold shelf):
	 * nothing changed, the route is the one it has. */
	bool again;
	long long fine_cents;
	long days_overdue;
	char due_on[CIRC_DATE_LEN];   /* of the returned loan, or "" */
	enum circ_route_action route;
	char route_branch[CIRC_CODE_LEN];   /* hold_shelf: pickup branch; transit: destination */
	char hold_for[CIRC_INITIALS_LEN];   /* hold_shelf: the patron's initials */
	char pickup_by[CIRC_DATE_LEN];      /* hold_shelf: the last day to fetch it */
	time_t loan_started_at;             /* LOAN_STARTED_LATER: when the open loan began */
};

/* A check-in: an item on loan is returned; one in transit arrives; a
 * missing one is found (found); one in transit from here or on the hold
 * shelf is answered with its route unchanged (again). */
enum circ_status circ_checkin(const struct circ_ctx *ctx, const char *barcode,
			      struct circ_checkin_res *res);
void circ_checkin_res_clear(struct circ_checkin_res *res);

struct circ_renewal_res {
	struct circ_patron_rec patron; /* the borrower */
	struct circ_item_rec item;
	char due_on[CIRC_DATE_LEN];
	unsigned renewals;            /* after this one */
	unsigned max_renewals;
	long long fine_cents;         /* charged now for the days already overdue */
	/* OK: the due date would not move (renewed already today): nothing was
	 * counted or charged. */
	bool unchanged;
	unsigned blocks;              /* PATRON_BLOCKED: the blocks in force */
	unsigned overridden;          /* OK: the blocks that were overridden */
	time_t loan_started_at;       /* LOAN_STARTED_LATER: when the open loan began */
};

/* The blocks of a patron that refuse a renewal: those of a check-out but
 * the number of loans (a renewal lends nothing more). */
enum { CIRC_RENEWAL_BLOCKS = CIRC_BLOCK_ALL & ~CIRC_BLOCK_MAX_LOANS };

/* Renews the open loan of barcode; override_blocks (enum circ_block) are
 * the borrower's blocks the desk overrides with a reason. */
enum circ_status circ_renew(const struct circ_ctx *ctx, const char *barcode,
			    unsigned override_blocks, struct circ_renewal_res *res);
void circ_renewal_res_clear(struct circ_renewal_res *res);

/* The initials a hold shelf shows ("D.B." for Daan van den Berg): the first
 * letter of the given name and of the family name without its prefixes. */
void circ_initials(const char *given_name, const char *family_name,
		   char out[CIRC_INITIALS_LEN]);

#endif
