/* A membership renewed and a lost or stolen card replaced, as the desk sends
 * and reads them (POST /memberships/{card}/renewal, POST
 * /patrons/{card}/replacement; balied(8)). Both need the service: nothing
 * here is journaled. Decoders work like enrol.h's. */
#ifndef BALIE_MEMBERCARD_H
#define BALIE_MEMBERCARD_H

#include "client/api.h"
#include "client/call.h"
#include "client/enrol.h"
#include "core/date.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

struct membercard_renewal {
	char *category;          /* "youth" or "adult" */
	char *membership;        /* adult: the category renewed, else NULL */
	struct civil_date expires_on;
	long long fee_cents;     /* charged to the account; 0 for youth */
};

struct membercard_renewal *membercard_renewal_decode(const cJSON *body, char **err);
void membercard_renewal_free(struct membercard_renewal *r);

enum membercard_reason { MEMBERCARD_LOST, MEMBERCARD_STOLEN };

struct membercard_replacement {
	struct enrol_result card;    /* the new card, as a welcome slip shows it */
	char *given_name, *family_name;
};

struct membercard_replacement *membercard_replacement_decode(const cJSON *body, char **err);
void membercard_replacement_free(struct membercard_replacement *r);

/* For a membership_not_due refusal: the date from which it may be renewed
 * (false when the reply does not say). */
bool membercard_due_from(const struct api_reply *reply, struct civil_date *due);
/* For a card_replaced refusal, the desk's words (allocated): that the card
 * was replaced, why, and the last digits of the card in use now; NULL for
 * another reply. */
char *membercard_replaced_text_dup(const struct api_reply *reply);

/* The typed calls (call.h); the callback owns what it gets or gets NULL and
 * f. retry keeps the Idempotency-Key of a try that got no answer for the
 * same card (and reason). For membership_not_due, due is the first day a
 * renewal is taken (else NULL). */
typedef void (*membercard_renewal_fn)(void *ctx, struct membercard_renewal *r,
				      const struct call_failure *f, const struct civil_date *due);
unsigned membercard_renew_start(struct api *api, const char *card, struct call_retry *retry,
				membercard_renewal_fn done, void *ctx);
/* For card_replaced, replaced says so in the desk's words (else NULL). */
typedef void (*membercard_replacement_fn)(void *ctx, struct membercard_replacement *r,
					  const struct call_failure *f, const char *replaced);
unsigned membercard_replace_start(struct api *api, const char *card,
				  enum membercard_reason reason, struct call_retry *retry,
				  membercard_replacement_fn done, void *ctx);

#endif
