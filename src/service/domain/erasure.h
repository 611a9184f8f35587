/* Erasing a patron (AVG art. 17): on request, from the desk (beheer) or
 * "balied patrons erase", and by the retention rule ("balied patrons
 * retention", retention_months after the membership ended). Only a patron
 * without loans and without an open balance is erased; then everything
 * personal goes: the patron row, guardians, holds (a copy set aside goes on
 * to the next hold or back), notices, the kept reading history, the settled
 * charges and credits. What stays: the anonymous statistics (loan_stats)
 * and an audit row "patron_erase" naming the card, never the name. */
#ifndef BALIED_ERASURE_H
#define BALIED_ERASURE_H

#include "core/date.h"
#include "service/domain/circulation.h"
#include "service/domain/session.h"

#include <stdbool.h>
#include <time.h>

enum erasure_status {
	ERASURE_DONE,
	ERASURE_NOT_FOUND,
	ERASURE_HAS_LOANS,    /* patron_has_loans */
	ERASURE_HAS_BALANCE,  /* patron_has_balance */
	ERASURE_FAILED,       /* logged */
};

/* Why a patron was erased, for the audit row: "request" or "retention". */
enum erasure_cause { ERASURE_ON_REQUEST, ERASURE_BY_RETENTION };

/*
 * Erases the patron with card in the caller's transaction; ctx gives the
 * moment and the desk (holds_cancel runs with it); who may be NULL (the
 * command line). *loans and *balance_cents tell why it was refused.
 */
enum erasure_status erasure_erase(const struct circ_ctx *ctx, const char *card,
				  enum erasure_cause cause, const struct session *who,
				  unsigned *loans, long long *balance_cents);

struct erasure_counts {
	unsigned erased;
	unsigned kept_loans;   /* due, but with loans */
	unsigned kept_balance; /* due, but with an open balance */
};

/* The last day of a membership that ended long enough before day for its
 * data to go: day less months (clamped to the month's last day). */
struct civil_date erasure_cutoff(struct civil_date day, unsigned months);

/*
 * The retention rule as of day: every patron whose membership ended (its
 * expiry date) before erasure_cutoff(day, rules->retention_months) is
 * erased, each in a transaction of its own, so that it is safe while the
 * service runs; those with loans or a balance are counted and kept.
 */
bool erasure_retention(struct store *store, const struct rules *rules, struct civil_date day,
		       time_t now, struct erasure_counts *counts);

#endif
