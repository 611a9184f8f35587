/* The hold calls of the desk as typed calls (balied(8)): the title search,
 * placing a hold, cancelling one, the hold shelf of the desk's branch and
 * the clearance of a copy taken off it. Each goes through the desk's scan
 * queue (client/scanq.h), so that answers come in the order asked; none is
 * journaled: holds need the service, and offline the failure's outcome is
 * API_UNREACHABLE. The callback gets the decoded answer to keep (free it
 * with its _free) or NULL and the failure (valid during the call only);
 * every string is owned and was sanitised when the reply arrived. */
#ifndef BALIE_HOLDS_CALL_H
#define BALIE_HOLDS_CALL_H

#include "client/circ.h"
#include "client/circ_call.h"
#include "client/scanq.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* The copies of a title at one branch. */
struct holds_branch {
	char *branch;
	long long copies, on_shelf;
};

struct holds_title {
	char *id, *title, *author;
	char *isbn;        /* or "" */
	long long year;    /* 0 when unknown */
	long long copies, on_shelf;
	struct holds_branch *branches;
	size_t n_branches;
};

struct holds_titles {
	struct holds_title *items;
	size_t n;
	bool truncated;
};

/* A hold as placed or as it was when cancelled. */
struct holds_hold {
	char *id, *title, *author, *status, *pickup_branch;
	char *pickup_by;   /* or "" */
	long long place;   /* in the queue of its title, 1 first; 0 once a copy is set aside */
	long long fee_cents;
};

/* The answer of a cancel: the hold, and the route of its copy when it was
 * on the hold shelf (has_route). */
struct holds_cancelled {
	struct holds_hold hold;
	bool has_route;
	struct circ_checkin route; /* barcode and title "" */
};

enum holds_shelf_list { HOLDS_TO_PULL, HOLDS_WAITING, HOLDS_TO_PHONE, HOLDS_NOT_TOLD,
			HOLDS_SHELF_LISTS };

struct holds_shelf_row {
	char *hold_id, *item_barcode, *title, *status, *pickup_by, *initials, *card_last4;
	char *name, *phone; /* "" when not given */
	bool told;
};

struct holds_shelf {
	char *branch;
	struct holds_shelf_row *rows[HOLDS_SHELF_LISTS];
	size_t n[HOLDS_SHELF_LISTS];
};

/* Decoders (the answers' shapes in balied(8)); NULL and *err (allocated,
 * English) for a body that is not one. */
struct holds_titles *holds_titles_decode(const cJSON *body, char **err);
void holds_titles_free(struct holds_titles *t);
struct holds_hold *holds_hold_decode(const cJSON *body, char **err);
void holds_hold_free(struct holds_hold *h);
struct holds_cancelled *holds_cancelled_decode(const cJSON *body, char **err);
void holds_cancelled_free(struct holds_cancelled *c);
struct holds_shelf *holds_shelf_decode(const cJSON *body, char **err);
void holds_shelf_free(struct holds_shelf *s);

typedef void (*holds_titles_fn)(void *ctx, unsigned tag, struct holds_titles *t,
				const struct circ_failure *f);
typedef void (*holds_hold_fn)(void *ctx, unsigned tag, struct holds_hold *h,
			      const struct circ_failure *f);
typedef void (*holds_cancelled_fn)(void *ctx, unsigned tag, struct holds_cancelled *c,
				   const struct circ_failure *f);
typedef void (*holds_shelf_fn)(void *ctx, unsigned tag, struct holds_shelf *s,
			       const struct circ_failure *f);
/* The clearance's answer is a check-in's (client/circ.h). */
typedef circ_checkin_fn holds_cleared_fn;

/* Titles for words of the title or author, or an ISBN (GET /titles). */
void holds_titles_start(struct scanq *q, const char *query, holds_titles_fn done, void *ctx,
			unsigned tag);
/* A hold of patron card on title title_id, to fetch at pickup_branch. */
void holds_place_start(struct scanq *q, const char *card, const char *title_id,
		       const char *pickup_branch, holds_hold_fn done, void *ctx, unsigned tag);
/* Cancels hold_id of patron card for reason (patron_request, staff, other). */
void holds_cancel_start(struct scanq *q, const char *card, const char *hold_id,
			const char *reason, holds_cancelled_fn done, void *ctx, unsigned tag);
/* The hold shelf of the desk's branch. */
void holds_shelf_start(struct scanq *q, holds_shelf_fn done, void *ctx, unsigned tag);
/* The copy barcode was taken off the shelf: where it goes now. */
void holds_clear_start(struct scanq *q, const char *barcode, holds_cleared_fn done, void *ctx,
		       unsigned tag);

#endif
