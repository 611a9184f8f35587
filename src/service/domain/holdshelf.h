/* The hold shelf of one branch as the desk works it (balied(8), GET
 * /holdshelf and POST /holdshelf/clearances): what to pull off today (the
 * copies of holds that expired or were cancelled while ready, until the desk
 * confirms it took them off), what waits for its patron, who is to be phoned
 * (no e-mail address) and who has not been told yet (the notice still waits
 * in the outbox). Rows come sorted as the shelf is: by the patron's initials,
 * then the last four digits of the card, as on the hold slip. */
#ifndef BALIED_HOLDSHELF_H
#define BALIED_HOLDSHELF_H

#include "service/domain/circulation.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum holdshelf_list {
	HOLDSHELF_EXPIRED,  /* to pull off: expired or cancelled while on the shelf */
	HOLDSHELF_WAITING,  /* ready, waiting for the patron */
	HOLDSHELF_TO_PHONE, /* ready, the patron has no e-mail address */
	HOLDSHELF_NOT_TOLD, /* ready, its notice not sent yet */
	HOLDSHELF_LISTS
};

/* One copy on the shelf; the strings live while the callback runs. */
struct holdshelf_row {
	enum holdshelf_list list;
	long long hold_id;
	const char *item_barcode, *title, *status, *pickup_by;
	const char *initials;   /* as on the hold slip */
	const char *card_last4;
	const char *name;       /* "given family": to phone or not told, else NULL */
	const char *phone;      /* to phone: may be NULL */
	bool told;              /* waiting: its notice was sent */
};
typedef void (*holdshelf_fn)(void *ctx, const struct holdshelf_row *row);

/* Calls fn for each row of every list of branch, list by list, each sorted
 * as the shelf is. The to-pull list keeps holds that ended since since (an
 * instant). False (logged) when the store fails. */
bool holdshelf_each(struct store *store, const char *branch, time_t since, holdshelf_fn fn,
		    void *ctx);

enum holdshelf_status {
	HOLDSHELF_OK,
	HOLDSHELF_ITEM_NOT_FOUND,
	HOLDSHELF_NOT_LISTED, /* the item is not on the to-pull list of the desk's branch */
	HOLDSHELF_STORE_FAILED,
};

/* The desk at ctx->branch took barcode off the shelf: its to-pull row is
 * cleared and res tells where the copy goes now (its state since the hold
 * ended: the next hold's shelf, in transit, or back on the shelf), with
 * res->item's barcode and title (free with circ_checkin_res_clear). In the
 * caller's transaction. */
enum holdshelf_status holdshelf_clear(const struct circ_ctx *ctx, const char *barcode,
				      struct circ_checkin_res *res);

#endif
