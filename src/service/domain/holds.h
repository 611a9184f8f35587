/* Holds (balied-rules(5), balied(8)): placing one on a title (any copy) or
 * on one item, the queue, cancelling, the copy a check-in hands to the
 * oldest waiting hold it can fill, and the daily expiry of the hold shelf.
 * Every function runs inside the caller's transaction (holds_expire runs
 * its own) on the circ_ctx of the desk (circulation.h). No JSON here: the
 * endpoints (ep_holds.c) turn results into answers. */
#ifndef BALIED_HOLDS_H
#define BALIED_HOLDS_H

#include "service/domain/circulation.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum { HOLDS_TITLE_LEN = 256, HOLDS_CODE_LEN = 33 };

/* The first hold in line for a copy. */
struct holds_first {
	long long id;            /* 0 when there is none */
	long long patron_id;
	char pickup_branch[CIRC_CODE_LEN];
	char status[16];
	char initials[CIRC_INITIALS_LEN];
	char card4[CIRC_CARD4_LEN];    /* the last 4 digits of the patron's card */
	char pickup_by[CIRC_DATE_LEN]; /* ready: the last day to fetch it */
};

enum holds_first_scope {
	HOLDS_SHELF = 1 << 0, /* a hold the copy waits on the shelf for counts too */
	HOLDS_TITLE = 1 << 1, /* and waiting holds on the copy's title (any copy) */
};

/* The hold first in line for item: one set aside for this copy (in transit,
 * or ready when scope has HOLDS_SHELF) before any waiting one, then the
 * oldest waiting hold on this item, or on its title with HOLDS_TITLE. False
 * (logged) when the store fails. */
bool holds_first_for(const struct circ_ctx *ctx, const struct circ_item_rec *item,
		     unsigned scope, struct holds_first *out);

/* Sets a hold's status; item_id (0: unchanged) is the copy it now has, and
 * pickup_by (NULL: unchanged) its last day on the shelf. fulfilled, cancelled
 * and expired also set when it ended. False (logged) when the store fails. */
bool holds_set(const struct circ_ctx *ctx, long long hold_id, const char *status,
	       long long item_id, const char *pickup_by);

/* A check-out of item to patron_id, who had no hold on this very copy:
 * fulfils the patron's oldest waiting hold on its title, if any (*fulfilled). */
bool holds_fulfil_own(const struct circ_ctx *ctx, long long patron_id,
		      const struct circ_item_rec *item, bool *fulfilled);

/* The last day on the hold shelf of branch for a copy ready today: today
 * plus the rules' hold_pickup_days open days of that branch. */
void holds_pickup_by(const struct circ_ctx *ctx, const char *branch, char out[CIRC_DATE_LEN]);

/* Where item goes from the desk's branch, and its new state (res->route and
 * the fields of the route): to the first hold in line (HOLDS_TITLE) on this
 * shelf or in transit to its pickup branch, else home or on the shelf. */
bool holds_route_item(const struct circ_ctx *ctx, const struct circ_item_rec *item,
		      struct circ_checkin_res *res);

enum holds_status {
	HOLDS_OK,
	HOLDS_PATRON_NOT_FOUND,
	HOLDS_TITLE_NOT_FOUND,
	HOLDS_ITEM_NOT_FOUND,
	HOLDS_BRANCH_NOT_FOUND,   /* the pickup branch */
	HOLDS_PATRON_BLOCKED,
	HOLDS_ON_LOAN,            /* the patron has this item or a copy of the title */
	HOLDS_DUPLICATE,          /* an open hold of the patron on the same title */
	HOLDS_LIMIT,
	HOLDS_NOT_FOUND,          /* no open hold with this id for this patron */
	HOLDS_STORE_FAILED,       /* logged */
};

struct holds_place_req {
	const char *card;
	long long title_id;       /* a title-level hold, or 0 */
	const char *item_barcode; /* an item-level hold, or NULL */
	const char *pickup_branch;
	unsigned override_blocks; /* the patron's blocks the desk overrides */
};

/* A hold as the desk shows it. */
struct holds_hold {
	long long id;
	long long title_id;
	char title[HOLDS_TITLE_LEN], author[HOLDS_TITLE_LEN];
	char item_barcode[HOLDS_CODE_LEN]; /* item-level or set aside; else "" */
	char pickup_branch[CIRC_CODE_LEN];
	char status[16];
	char pickup_by[CIRC_DATE_LEN];     /* ready or expired; else "" */
	unsigned place;                    /* in the queue of its title, 1 first; 0 once
					    * a copy is set aside */
	long long fee_cents;
	bool told;                         /* ready: its notice was sent */
};

struct holds_place_res {
	struct circ_patron_rec patron;
	struct holds_hold hold;   /* OK */
	unsigned blocks;          /* PATRON_BLOCKED: the blocks in force */
	unsigned overridden;      /* OK: the blocks overridden */
	unsigned limit;           /* LIMIT: the patron's limit */
};

/* Places a hold with the rules of balied-rules(5): blocks (but the loan
 * limit) refuse it unless overridden, no hold on what the patron has on
 * loan, one open hold per title, at most hold_limit_*; the fee of the
 * patron's category is recorded on the hold. */
enum holds_status holds_place(const struct circ_ctx *ctx, const struct holds_place_req *req,
			      struct holds_place_res *res);
void holds_place_res_clear(struct holds_place_res *res);

/* The cancel reasons: patron_request, staff, other. */
bool holds_reason_ok(const char *reason);

/* Cancels the open hold hold_id of the patron with card (HOLDS_NOT_FOUND for
 * another patron's): the next in its queue moves up; a copy set aside on the
 * shelf for it goes to the next hold or back (res->route). *out is the hold
 * as it was. */
enum holds_status holds_cancel(const struct circ_ctx *ctx, const char *card, long long hold_id,
			       const char *reason, struct holds_hold *out,
			       struct circ_checkin_res *route);

struct holds_expire_counts {
	unsigned expired;   /* ready holds past their pickup_by */
	unsigned passed_on; /* of their copies, given to the next hold */
};

/* Expires the ready holds whose pickup_by is before day (YYYY-MM-DD); each
 * copy goes to the next hold in line or back, as a check-in at its pickup
 * branch would send it. One transaction per batch of holds, so that a store
 * with several nodes can take its lock around each. False (logged) when the
 * store fails; the batches committed before stay. */
bool holds_expire(struct store *store, const struct rules *rules, const char *day, time_t now,
		  struct holds_expire_counts *counts);

/* Calls fn for each hold of the patron that is open (waiting, in transit,
 * ready) or expired since since (an instant), by the time it was placed.
 * False (logged) when the store fails. */
typedef void (*holds_fn)(void *ctx, const struct holds_hold *hold);
bool holds_each_of_patron(struct store *store, long long patron_id, time_t since, holds_fn fn,
			  void *ctx);

#endif
