/* The item statuses the desk sets with a reason (balied(8), POST
 * /items/{barcode}/status; balied-rules(5)), and the item found again at
 * check-in. items.status keeps what circulation acts on (lost, missing and
 * claimed returned are "missing", damaged and withdrawn "not_loanable");
 * item_statuses keeps what the desk said, why, and for lost the charge.
 *
 * - lost: an item on loan is declared lost: the loan ends without a fine
 *   and the borrower is charged the replacement cost of its type (a charge
 *   of kind lost_item; none when the rules say 0). Not on loan: no charge.
 * - damaged: not for loan; an item on loan is checked in first (it came
 *   back damaged); charge_cents > 0 charges patron_card (kind
 *   damaged_item).
 * - missing, withdrawn: not on loan only.
 * - claimed_returned: on loan only: the loan ends without a fine, and the
 *   patron's count of claims goes up; over the rules' claims_returned_limit
 *   the patron is flagged.
 * - available: ends a status set here (damaged repaired, withdrawn back),
 *   for an item not on loan.
 * Every function runs in the caller's transaction. */
#ifndef BALIED_ITEM_STATUS_H
#define BALIED_ITEM_STATUS_H

#include "service/domain/circulation.h"

#include <stdbool.h>

enum item_status {
	ITEM_LOST,
	ITEM_DAMAGED,
	ITEM_MISSING,
	ITEM_CLAIMED_RETURNED,
	ITEM_WITHDRAWN,
	ITEM_AVAILABLE,
};

/* The wire name ("lost", ...) and back: false when name is none. */
const char *item_status_name(enum item_status s);
bool item_status_from_name(const char *name, enum item_status *out);

struct item_status_req {
	enum item_status status;
	const char *reason;      /* text, at most ITEM_REASON_MAX bytes */
	long long charge_cents;  /* damaged: > 0 to charge patron_card, else 0 */
	const char *patron_card; /* damaged: who is charged; or NULL */
};
enum { ITEM_REASON_MAX = 500 };

enum item_status_result {
	ITEM_STATUS_OK,
	ITEM_STATUS_ITEM_NOT_FOUND,
	ITEM_STATUS_PATRON_NOT_FOUND, /* patron_card */
	ITEM_STATUS_NOT_ON_LOAN,      /* claimed_returned of an item not on loan */
	ITEM_STATUS_ON_LOAN,          /* damaged, missing, withdrawn or available of an item on loan */
	ITEM_STATUS_NO_PATRON,        /* a damaged charge without patron_card */
	ITEM_STATUS_STORE_FAILED,     /* logged */
};

struct item_status_res {
	struct circ_item_rec item;
	char patron_card[CIRC_CODE_LEN]; /* the patron concerned, or "" */
	bool loan_ended;
	long long charge_id;             /* 0: none */
	long long charge_cents;
	unsigned claims_returned;        /* claimed_returned: the patron's count now */
	bool claims_over_limit;
};

enum item_status_result item_status_set(const struct circ_ctx *ctx, const char *barcode,
					const struct item_status_req *req,
					struct item_status_res *res);
void item_status_res_clear(struct item_status_res *res);

/* The claimed returns counted on a patron. False (logged) when the store fails. */
bool item_status_claims(struct store *store, long long patron_id, unsigned *claims);

struct item_found {
	char was[24];            /* the status the desk had set ("missing" when none) */
	long long refunded_cents;
	bool charge_cancelled;   /* lost: its charge was cancelled */
};

/* A missing item checked in (circ_checkin's found): the desk's status ends;
 * a lost item's charge is cancelled, and what was paid of it refunded, when
 * the rules' lost_item_refund says so. */
bool item_status_found(const struct circ_ctx *ctx, long long item_id, struct item_found *out);

#endif
