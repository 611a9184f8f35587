/* What the patron screen does for the membership and the card of the patron
 * it shows: renew the membership (the new expiry and the fee charged), and
 * replace a lost or stolen card (the reason asked with one key, a new card
 * number, the welcome slip printed, the patron shown again under the new
 * card). Both need the service: offline each says so and sends nothing. */
#ifndef BALIE_PATRON_MEMBERSHIP_H
#define BALIE_PATRON_MEMBERSHIP_H

#include "client/call.h"
#include "ui/actions.h"
#include "ui/keys/keymap.h"

#include <stdbool.h>

struct patron;

struct patron_membership {
	unsigned req;          /* the call under way, or 0 */
	bool asking;           /* waiting for the reason of a replacement */
	char *card;            /* the card the call is for */
	struct call_retry retry;
};

void patron_membership_reset(struct patron *p);
/* ACTION_RENEW_MEMBERSHIP and ACTION_REPLACE_CARD; false for another. */
bool patron_membership_action(struct patron *p, enum action a);
/* True when the screen waits for the reason of a replacement: then every
 * key is patron_membership_key's. */
bool patron_membership_asking(const struct patron *p);
/* The reason: 1 lost, 2 stolen; any other key keeps the card. */
void patron_membership_key(struct patron *p, keycode k);

#endif
