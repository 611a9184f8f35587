/* Payments and waivers: credits that cover open charges of a patron's
 * account (account.h). A payment of an amount covers the charges named, or
 * else the oldest open charges first, each as far as the amount goes (a
 * partial payment leaves the last one partly open); it may never exceed
 * what is open, so there is no credit balance. A waiver covers the whole
 * open part of each charge named. Each is one credit with an allocation
 * per charge covered, and the charges' paid_cents follow their
 * allocations. The functions run inside the caller's transaction and
 * change nothing they report as refused. No card data: a payment by pin
 * records only that it was pin. */
#ifndef BALIED_PAYMENT_H
#define BALIED_PAYMENT_H

#include "service/domain/account.h"
#include "service/store/store.h"

#include <stdbool.h>
#include <stddef.h>

enum payment_method { PAYMENT_CASH, PAYMENT_PIN };
enum { PAYMENT_METHODS = PAYMENT_PIN + 1 };

/* "cash" or "pin", and back: false when name is no method. */
const char *payment_method_name(enum payment_method method);
bool payment_method_from_name(const char *name, enum payment_method *method);

/* What one credit covered of one charge. */
struct payment_cover {
	long long charge_id;
	enum account_charge_kind kind;
	long long amount_cents;
	long long open_cents; /* what is still open of the charge after it */
};

struct payment_result {
	long long credit_id;
	long long amount_cents;       /* the credit's */
	struct payment_cover *covered; /* n_covered, oldest charge first */
	size_t n_covered;
	long long balance_cents;      /* the patron's open balance after it */
	long long open_cents;         /* PAYMENT_OVER_OPEN: what was open to pay */
	long long charge_id;          /* PAYMENT_NO_CHARGE: the charge named */
};
void payment_result_clear(struct payment_result *r);

enum payment_status {
	PAYMENT_OK,
	PAYMENT_NO_CHARGE,   /* a charge named is not an open charge of this patron */
	PAYMENT_OVER_OPEN,   /* the amount is more than is open (of the charges named) */
	PAYMENT_STORE_FAILED, /* logged */
};

/* Pays amount_cents (> 0) by method for the charges (n of them, none:
 * the oldest open first). */
enum payment_status payment_pay(struct store *store, long long patron_id, long long amount_cents,
				enum payment_method method, const long long *charges, size_t n,
				const struct account_where *where, struct payment_result *res);

/* Waives the open part of each of the charges (n > 0) for reason. */
enum payment_status payment_waive(struct store *store, long long patron_id,
				  const long long *charges, size_t n, const char *reason,
				  const struct account_where *where, struct payment_result *res);

#endif
