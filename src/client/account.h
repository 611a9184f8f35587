/* The patron's account as the desk reads and changes it (GET
 * /patrons/{card}/account, POST /payments, POST /waivers) and the desk's
 * cash-up (GET /cashup; balied(8)): decoders into plain structs with owned
 * strings (NULL and *err, allocated, English, for a body that is not what
 * the protocol says) and typed calls (call.h). Amounts are cents. */
#ifndef BALIE_ACCOUNT_H
#define BALIE_ACCOUNT_H

#include "client/api.h"
#include "client/call.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* An open charge. */
struct account_charge {
	char *id;
	char *kind;         /* overdue_fine, hold_fee, ... */
	char *what;         /* the item's title, or the description, or "" */
	char *created_on;   /* YYYY-MM-DD (the day of created_at, UTC), or "" */
	long long amount_cents, open_cents;
};

struct account_overdue {
	char *title, *due_on;
	long long fine_cents;
};

struct account {
	char *card;
	long long balance_cents;
	long long accruing_cents;
	struct account_charge *charges; /* the open ones, newest first */
	size_t n_charges;
	struct account_overdue *accruing;
	size_t n_accruing;
};

struct account *account_decode(const cJSON *body, char **err);
void account_free(struct account *a);

/* The desk's words for a kind of charge, translated ("Overdue fine"). */
const char *account_kind_text(const char *kind);

/* What a payment or waiver covered of one charge. */
struct account_cover {
	char *kind;
	long long amount_cents, open_cents;
};

/* The answer of a payment or a waiver. */
struct account_credit {
	char *id;
	char *method;            /* "cash" or "pin"; "" for a waiver */
	long long amount_cents;
	struct account_cover *covered;
	size_t n_covered;
	long long balance_cents; /* after it */
	bool fines_block;        /* fines_over_limit is still among the blocks */
};

struct account_credit *account_credit_decode(const cJSON *body, char **err);
void account_credit_free(struct account_credit *c);

/* The cash-up of one desk for one day. */
struct account_cashup {
	char *date, *branch, *terminal; /* terminal "" for every desk */
	long long payments, payments_cents;
	long long cash_cents, pin_cents, cash_count, pin_count;
	char **kinds;                   /* the kinds with an amount, and their amounts */
	long long *kind_cents;
	size_t n_kinds;
	long long refunds, refunds_cents, waivers, waivers_cents, net_cents;
};

struct account_cashup *account_cashup_decode(const cJSON *body, char **err);
void account_cashup_free(struct account_cashup *c);

/* The typed calls: the callback owns what it gets (free it with its
 * _free), or gets NULL and f. Each returns the call's id for call_cancel. */
typedef void (*account_fn)(void *ctx, struct account *a, const struct call_failure *f);
/* The open charges of card and what accrues. */
unsigned account_start(struct api *api, const char *card, account_fn done, void *ctx);

typedef void (*account_credit_fn)(void *ctx, struct account_credit *c,
				  const struct call_failure *f);
/* Pays amount_cents by method ("cash" or "pin") for the oldest open charges
 * of card, with retry's Idempotency-Key (call.h), so that a try that got no
 * answer is paid once. */
unsigned account_pay_start(struct api *api, const char *card, long long amount_cents,
			   const char *method, struct call_retry *retry, account_credit_fn done,
			   void *ctx);
/* Waives the charges ids (n > 0) of card for reason. */
unsigned account_waive_start(struct api *api, const char *card, char *const *ids, size_t n,
			     const char *reason, struct call_retry *retry, account_credit_fn done,
			     void *ctx);

typedef void (*account_cashup_fn)(void *ctx, struct account_cashup *c,
				  const struct call_failure *f);
/* Today's cash-up of this desk. */
unsigned account_cashup_start(struct api *api, account_cashup_fn done, void *ctx);

#endif
