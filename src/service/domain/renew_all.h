/* Renew all (balied(8), POST /renewals/all): every open loan of a patron
 * renewed as POST /renewals would renew it, one after another in the
 * caller's transaction, by due date; each loan's outcome is handed to a
 * callback, renewed or refused with its circulation status. A refused loan
 * changes nothing (circ_renew). No override: a blocked patron's loans are
 * each refused with the blocks. */
#ifndef BALIED_RENEW_ALL_H
#define BALIED_RENEW_ALL_H

#include "service/domain/circulation.h"

#include <stdbool.h>

/* One loan's outcome: CIRC_OK (res has the new due date, or unchanged) or
 * the refusal; res lives until the callback returns. */
typedef void (*renew_all_fn)(void *ctx, enum circ_status s, const struct circ_renewal_res *res);

/* CIRC_OK after every loan of card was tried (a refused one too),
 * CIRC_PATRON_NOT_FOUND, or CIRC_STORE_FAILED (logged): then the caller
 * rolls back. */
enum circ_status renew_all(const struct circ_ctx *ctx, const char *card, renew_all_fn fn,
			   void *fn_ctx);

#endif
