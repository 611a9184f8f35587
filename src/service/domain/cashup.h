/* The cash-up ("kasopmaak") of a desk or a branch for one day: what the
 * payments taken there came to, by method (cash, pin) and by the kind of
 * charge they covered, with the refunds paid out and the waivers granted
 * there beside them. The day is a local date (Europe/Amsterdam), from its
 * midnight to the next. Payments always add up: the totals by method and
 * those by kind each sum to payments_cents. */
#ifndef BALIED_CASHUP_H
#define BALIED_CASHUP_H

#include "core/date.h"
#include "service/domain/account.h"
#include "service/domain/payment.h"
#include "service/store/store.h"

#include <stdbool.h>

struct cashup_query {
	struct civil_date day;
	const char *branch;
	const char *terminal; /* NULL: every desk of the branch */
};

struct cashup_totals {
	long long payments, payments_cents;
	long long method_count[PAYMENT_METHODS], method_cents[PAYMENT_METHODS];
	long long kind_cents[ACCOUNT_CHARGE_KINDS];
	long long refunds, refunds_cents;
	long long waivers, waivers_cents;
};

/* The totals of q into *out. False (logged) when the store fails. */
bool cashup_totals(struct store *store, const struct cashup_query *q, struct cashup_totals *out);

/* The payments of one desk of the branch that day. */
struct cashup_desk {
	const char *terminal; /* "" for credits without one (a job) */
	long long payments;
	long long method_cents[PAYMENT_METHODS];
};
typedef void (*cashup_desk_fn)(void *ctx, const struct cashup_desk *desk);

/* Calls fn for each desk of q's branch that took payments on q's day, by
 * terminal (q->terminal is not looked at). False (logged) when the store
 * fails. */
bool cashup_each_desk(struct store *store, const struct cashup_query *q, cashup_desk_fn fn,
		      void *ctx);

#endif
