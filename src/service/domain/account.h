/* The patron's account: charges (what the patron owes, each of a kind) and
 * credits (payments, waivers, refunds) that cover them, in integer cents.
 * A charge is paid when the credits allocated to it cover its amount; the
 * open balance is what the charges not cancelled still lack. Every row names
 * when, where (branch and terminal) and who (staff member); a job or a
 * migration leaves where and who empty. The functions run inside the
 * caller's transaction, if any. */
#ifndef BALIED_ACCOUNT_H
#define BALIED_ACCOUNT_H

#include "service/store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum account_charge_kind {
	ACCOUNT_OVERDUE_FINE,
	ACCOUNT_HOLD_FEE,
	ACCOUNT_REPLACEMENT_CARD,
	ACCOUNT_LOST_ITEM,
	ACCOUNT_DAMAGED_ITEM,
	ACCOUNT_MEMBERSHIP_FEE,
	ACCOUNT_OTHER,
};
enum { ACCOUNT_CHARGE_KINDS = ACCOUNT_OTHER + 1 };

/* The wire and database name of a kind ("overdue_fine", ...), and back:
 * false when name is no kind. */
const char *account_charge_kind_name(enum account_charge_kind kind);
bool account_charge_kind_from_name(const char *name, enum account_charge_kind *kind);

/* When, where and by whom: branch, terminal NULL and staff_id 0 for a job. */
struct account_where {
	time_t now;
	const char *branch;
	const char *terminal;
	long long staff_id;
};

struct account_charge {
	long long patron_id;
	enum account_charge_kind kind;
	long long amount_cents;     /* > 0 */
	const char *description;    /* NULL, or the text of an "other" charge */
	const char *item_barcode;   /* NULL, or the item it is for */
	long long hold_id;          /* 0, or the hold a hold fee is for */
};

/* Adds a charge; its id in *id when id is not NULL. False when the amount is
 * not positive or the store fails (logged). */
bool account_charge_add(struct store *store, const struct account_charge *charge,
			const struct account_where *where, long long *id);

/* The patron's open balance in cents (charges less what covers them), or -1
 * when the store fails (logged). */
long long account_balance(struct store *store, long long patron_id);

/* A charge as the account lists it; strings live until the callback returns. */
struct account_charge_row {
	long long id;
	const char *kind;           /* a kind's name */
	long long amount_cents;
	long long paid_cents;       /* covered by payments */
	long long waived_cents;     /* covered by waivers */
	long long open_cents;       /* 0 when covered or cancelled */
	time_t created_at;
	const char *description;    /* NULL when none */
	const char *item_barcode;   /* NULL when none */
	const char *title;          /* the item's title, NULL when none */
	bool cancelled;
};
typedef void (*account_charge_fn)(void *ctx, const struct account_charge_row *row);

/* Calls fn for at most limit charges of the patron, newest first; open_only
 * leaves out those covered or cancelled. *truncated says whether there were
 * more. False (logged) when the store fails. */
bool account_each_charge(struct store *store, long long patron_id, bool open_only, size_t limit,
			 account_charge_fn fn, void *ctx, bool *truncated);

/* A credit (payment, waiver or refund) as the account lists it. */
struct account_credit_row {
	long long id;
	const char *kind;           /* payment, waiver or refund */
	const char *method;         /* cash or pin for a payment, else NULL */
	long long amount_cents;
	time_t created_at;
	const char *reason;         /* a waiver's, else NULL */
	const char *branch, *terminal; /* NULL for a job */
};
typedef void (*account_credit_fn)(void *ctx, const struct account_credit_row *row);

/* Calls fn for at most limit credits of the patron, newest first, as
 * account_each_charge does. */
bool account_each_credit(struct store *store, long long patron_id, size_t limit,
			 account_credit_fn fn, void *ctx, bool *truncated);

enum account_cancel_status {
	ACCOUNT_CANCELLED,
	ACCOUNT_NO_CHARGE,       /* no such charge of this patron, or cancelled already */
	ACCOUNT_STORE_FAILED,
};
/* Cancels a charge that should not have been (a lost item found): what is
 * still open of it is no longer owed, and what was paid of it is refunded, a
 * credit of kind "refund" of that amount; *refunded_cents says how much (0
 * when nothing was paid). */
enum account_cancel_status account_charge_cancel(struct store *store, long long patron_id,
						 long long charge_id,
						 const struct account_where *where,
						 long long *refunded_cents);

#endif
