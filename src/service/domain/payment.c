#include "service/domain/payment.h"

#include "core/log.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const method_names[PAYMENT_METHODS] = {
	[PAYMENT_CASH] = "cash",
	[PAYMENT_PIN] = "pin",
};

const char *payment_method_name(enum payment_method method)
{
	return (unsigned)method < PAYMENT_METHODS ? method_names[method] : "cash";
}

bool payment_method_from_name(const char *name, enum payment_method *method)
{
	for (unsigned i = 0; name && i < PAYMENT_METHODS; i++)
		if (strcmp(method_names[i], name) == 0) {
			*method = (enum payment_method)i;
			return true;
		}
	return false;
}

void payment_result_clear(struct payment_result *r)
{
	free(r->covered);
	memset(r, 0, sizeof *r);
}

static bool named(const long long *charges, size_t n, long long id)
{
	for (size_t i = 0; i < n; i++)
		if (charges[i] == id)
			return true;
	return false;
}

/* The open charges of the patron, oldest first, that are among charges (all
 * when n is 0), into res->covered with what is open of each as open_cents
 * and amount_cents 0. */
static bool open_charges(struct store *store, long long patron_id, const long long *charges,
			 size_t n, struct payment_result *res)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT id, kind, amount_cents - paid_cents FROM charges"
		" WHERE patron_id = ? AND paid_cents < amount_cents AND cancelled_at IS NULL"
		" ORDER BY created_at, id");
	db_bind_int64(st, 1, patron_id);
	int rc;
	size_t cap = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		long long id = db_column_int64(st, 0);
		if (n && !named(charges, n, id))
			continue;
		if (res->n_covered == cap) {
			cap = cap ? cap * 2 : 8;
			res->covered = xrealloc(res->covered, cap * sizeof *res->covered);
		}
		struct payment_cover *c = &res->covered[res->n_covered++];
		*c = (struct payment_cover){ .charge_id = id,
					     .open_cents = db_column_int64(st, 2) };
		account_charge_kind_from_name(db_column_text(st, 1), &c->kind);
	}
	store_done(st);
	return rc == DB_DONE || store_failed(store, "reading open charges");
}

/* The first of charges that is not open, or 0. */
static long long missing_charge(const long long *charges, size_t n,
				const struct payment_result *res)
{
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t j = 0; j < res->n_covered && !found; j++)
			found = res->covered[j].charge_id == charges[i];
		if (!found)
			return charges[i];
	}
	return 0;
}

static void bind_text_or_null(struct db_stmt *st, int col, const char *text)
{
	if (text && *text)
		db_bind_text(st, col, text, -1);
	else
		db_bind_null(st, col);
}

static bool credit_add(struct store *store, long long patron_id, const char *kind,
		       const char *method, const char *reason, const struct account_where *where,
		       struct payment_result *res)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO credits (patron_id, kind, method, amount_cents, reason, created_at,"
		" branch_code, terminal, staff_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	db_bind_int64(st, 1, patron_id);
	db_bind_text(st, 2, kind, -1);
	bind_text_or_null(st, 3, method);
	db_bind_int64(st, 4, res->amount_cents);
	bind_text_or_null(st, 5, reason);
	db_bind_int64(st, 6, (long long)where->now);
	bind_text_or_null(st, 7, where->branch);
	bind_text_or_null(st, 8, where->terminal);
	if (where->staff_id)
		db_bind_int64(st, 9, where->staff_id);
	else
		db_bind_null(st, 9);
	bool ok = db_step(st) == DB_DONE;
	store_done(st);
	if (!ok)
		return store_failed(store, "adding a credit");
	res->credit_id = store_last_id(store);
	return true;
}

static bool allocate(struct store *store, long long credit_id, const struct payment_cover *c)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO credit_allocations (credit_id, charge_id, amount_cents) VALUES (?, ?, ?)");
	db_bind_int64(st, 1, credit_id);
	db_bind_int64(st, 2, c->charge_id);
	db_bind_int64(st, 3, c->amount_cents);
	bool ok = db_step(st) == DB_DONE;
	store_done(st);
	if (!ok)
		return store_failed(store, "allocating a credit");
	st = store_stmt(store, "UPDATE charges SET paid_cents = paid_cents + ? WHERE id = ?");
	db_bind_int64(st, 1, c->amount_cents);
	db_bind_int64(st, 2, c->charge_id);
	ok = db_step(st) == DB_DONE;
	store_done(st);
	return ok || store_failed(store, "covering a charge");
}

/* Drops the charges the credit does not reach (amount_cents 0). */
static void drop_uncovered(struct payment_result *res)
{
	size_t k = 0;
	for (size_t i = 0; i < res->n_covered; i++)
		if (res->covered[i].amount_cents > 0)
			res->covered[k++] = res->covered[i];
	res->n_covered = k;
}

/* The credit of res->amount_cents with its allocations (res->covered) and
 * the balance after it. */
static enum payment_status credit_record(struct store *store, long long patron_id,
					 const char *kind, const char *method,
					 const char *reason, const struct account_where *where,
					 struct payment_result *res)
{
	drop_uncovered(res);
	if (!credit_add(store, patron_id, kind, method, reason, where, res))
		return PAYMENT_STORE_FAILED;
	for (size_t i = 0; i < res->n_covered; i++)
		if (!allocate(store, res->credit_id, &res->covered[i]))
			return PAYMENT_STORE_FAILED;
	res->balance_cents = account_balance(store, patron_id);
	return res->balance_cents < 0 ? PAYMENT_STORE_FAILED : PAYMENT_OK;
}

/* Reads the open charges and checks that every one named is among them. */
static enum payment_status charges_read(struct store *store, long long patron_id,
					const long long *charges, size_t n,
					struct payment_result *res)
{
	memset(res, 0, sizeof *res);
	if (!open_charges(store, patron_id, charges, n, res))
		return PAYMENT_STORE_FAILED;
	res->charge_id = missing_charge(charges, n, res);
	return res->charge_id ? PAYMENT_NO_CHARGE : PAYMENT_OK;
}

enum payment_status payment_pay(struct store *store, long long patron_id, long long amount_cents,
				enum payment_method method, const long long *charges, size_t n,
				const struct account_where *where, struct payment_result *res)
{
	enum payment_status s = charges_read(store, patron_id, charges, n, res);
	if (s != PAYMENT_OK)
		return s;
	for (size_t i = 0; i < res->n_covered; i++)
		res->open_cents += res->covered[i].open_cents;
	if (amount_cents <= 0 || amount_cents > res->open_cents)
		return PAYMENT_OVER_OPEN;
	long long left = amount_cents;
	for (size_t i = 0; i < res->n_covered && left > 0; i++) {
		struct payment_cover *c = &res->covered[i];
		c->amount_cents = left < c->open_cents ? left : c->open_cents;
		c->open_cents -= c->amount_cents;
		left -= c->amount_cents;
	}
	res->amount_cents = amount_cents;
	return credit_record(store, patron_id, "payment", payment_method_name(method), NULL, where,
			     res);
}

enum payment_status payment_waive(struct store *store, long long patron_id,
				  const long long *charges, size_t n, const char *reason,
				  const struct account_where *where, struct payment_result *res)
{
	if (n == 0) {
		memset(res, 0, sizeof *res);
		return PAYMENT_NO_CHARGE;
	}
	enum payment_status s = charges_read(store, patron_id, charges, n, res);
	if (s != PAYMENT_OK)
		return s;
	for (size_t i = 0; i < res->n_covered; i++) {
		struct payment_cover *c = &res->covered[i];
		c->amount_cents = c->open_cents;
		c->open_cents = 0;
		res->amount_cents += c->amount_cents;
	}
	return credit_record(store, patron_id, "waiver", NULL, reason, where, res);
}
