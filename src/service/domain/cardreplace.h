/* A replacement for a lost or stolen card: the patron gets a new card number
 * (as an enrolment makes them), the old number is blocked with the reason and
 * stays known, so that a scan of it is told the card was replaced. Loans,
 * holds and the account are the patron's, not the card's: they stay. */
#ifndef BALIED_CARDREPLACE_H
#define BALIED_CARDREPLACE_H

#include "core/date.h"
#include "core/validate.h"
#include "service/domain/membership.h"
#include "service/domain/rules.h"
#include "service/domain/session.h"
#include "service/store/store.h"

#include <stdbool.h>
#include <time.h>

enum cardreplace_reason { CARDREPLACE_LOST, CARDREPLACE_STOLEN };

/* "lost" or "stolen", and back: false for any other name. */
const char *cardreplace_reason_name(enum cardreplace_reason reason);
bool cardreplace_reason_from_name(const char *name, enum cardreplace_reason *reason);

enum { CARDREPLACE_LAST_DIGITS = 4 };

/* What a replaced card says when it is scanned: the last digits of the card
 * that replaced it (the patron's card now) and why it was replaced. */
struct cardreplace_old {
	char new_last[CARDREPLACE_LAST_DIGITS + 1];
	enum cardreplace_reason reason;
};

/* 1 when card is a replaced card (*old set), 0 when it is not, -1 when the
 * store failed (logged). */
int cardreplace_find_old(struct store *store, const char *card, struct cardreplace_old *old);

struct cardreplace_result {
	char card[MEMBERSHIP_CARD_LEN];     /* the new card */
	char given_name[VALIDATE_NAME_MAX + 1];
	char family_name[VALIDATE_NAME_MAX + 1];
	char category[8];
	char expires_on[DATE_STR_LEN];
	unsigned fee_cents;                 /* replacement_card_fee of the category */
	long long charge_id;                /* 0 when the fee is 0 */
};

enum cardreplace_outcome {
	CARDREPLACE_DONE,
	CARDREPLACE_NO_PATRON,        /* no patron has this card (it may be replaced already) */
	CARDREPLACE_CARDS_EXHAUSTED,  /* the prefix has no numbers left (logged) */
	CARDREPLACE_STORE_FAILED,     /* logged */
};

/*
 * Replaces the card in the caller's transaction: the next card number of
 * rules->card_prefix becomes the patron's, the old one is kept as replaced
 * with the reason, the replacement fee of the patron's category is charged
 * (replacement_card) at who's desk, and the audit log says who and why.
 */
enum cardreplace_outcome cardreplace_replace(struct store *store, const struct rules *rules,
					     const char *card, enum cardreplace_reason reason,
					     const struct session *who, time_t now,
					     struct cardreplace_result *out);

#endif
