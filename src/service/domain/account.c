#include "service/domain/account.h"

#include "core/log.h"

#include <string.h>

static const char *const kind_names[ACCOUNT_CHARGE_KINDS] = {
	[ACCOUNT_OVERDUE_FINE] = "overdue_fine",
	[ACCOUNT_HOLD_FEE] = "hold_fee",
	[ACCOUNT_REPLACEMENT_CARD] = "replacement_card",
	[ACCOUNT_LOST_ITEM] = "lost_item",
	[ACCOUNT_DAMAGED_ITEM] = "damaged_item",
	[ACCOUNT_MEMBERSHIP_FEE] = "membership_fee",
	[ACCOUNT_OTHER] = "other",
};

const char *account_charge_kind_name(enum account_charge_kind kind)
{
	return (unsigned)kind < ACCOUNT_CHARGE_KINDS ? kind_names[kind] : "other";
}

bool account_charge_kind_from_name(const char *name, enum account_charge_kind *kind)
{
	for (unsigned i = 0; name && i < ACCOUNT_CHARGE_KINDS; i++)
		if (strcmp(kind_names[i], name) == 0) {
			*kind = (enum account_charge_kind)i;
			return true;
		}
	return false;
}

static bool failed(struct store *store, const char *what)
{
	log_error("database: %s: %s", what, sqlite3_errmsg(store_db(store)));
	return false;
}

static bool run(struct store *store, sqlite3_stmt *st, const char *what)
{
	bool ok = sqlite3_step(st) == SQLITE_DONE;
	store_done(st);
	return ok || failed(store, what);
}

static void bind_text_or_null(sqlite3_stmt *st, int col, const char *text)
{
	if (text)
		sqlite3_bind_text(st, col, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, col);
}

static void bind_id_or_null(sqlite3_stmt *st, int col, long long id)
{
	if (id)
		sqlite3_bind_int64(st, col, id);
	else
		sqlite3_bind_null(st, col);
}

/* Binds when, where and who to three-plus-one columns from col on. */
static void bind_where(sqlite3_stmt *st, int col, const struct account_where *where)
{
	sqlite3_bind_int64(st, col, (sqlite3_int64)where->now);
	bind_text_or_null(st, col + 1, where->branch && *where->branch ? where->branch : NULL);
	bind_text_or_null(st, col + 2, where->terminal);
	bind_id_or_null(st, col + 3, where->staff_id);
}

bool account_charge_add(struct store *store, const struct account_charge *charge,
			const struct account_where *where, long long *id)
{
	if (charge->amount_cents <= 0)
		return false;
	sqlite3_stmt *st = store_stmt(store,
		"INSERT INTO charges (patron_id, kind, amount_cents, description, item_barcode,"
		" hold_id, created_at, branch_code, terminal, staff_id)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, charge->patron_id);
	sqlite3_bind_text(st, 2, account_charge_kind_name(charge->kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, charge->amount_cents);
	bind_text_or_null(st, 4, charge->description);
	bind_text_or_null(st, 5, charge->item_barcode);
	bind_id_or_null(st, 6, charge->hold_id);
	bind_where(st, 7, where);
	if (!run(store, st, "adding a charge"))
		return false;
	if (id)
		*id = sqlite3_last_insert_rowid(store_db(store));
	return true;
}

long long account_balance(struct store *store, long long patron_id)
{
	sqlite3_stmt *st = store_stmt(store,
		"SELECT coalesce(sum(amount_cents - paid_cents), 0) FROM charges"
		" WHERE patron_id = ? AND paid_cents < amount_cents AND cancelled_at IS NULL");
	sqlite3_bind_int64(st, 1, patron_id);
	long long balance = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		balance = sqlite3_column_int64(st, 0);
	else
		failed(store, "reading a balance");
	store_done(st);
	return balance;
}

/* The paid part of an open (not cancelled) charge of the patron, or -1 when
 * there is none, -2 when the store fails. */
static long long charge_paid(struct store *store, long long patron_id, long long charge_id)
{
	sqlite3_stmt *st = store_stmt(store,
		"SELECT paid_cents FROM charges"
		" WHERE id = ? AND patron_id = ? AND cancelled_at IS NULL");
	sqlite3_bind_int64(st, 1, charge_id);
	sqlite3_bind_int64(st, 2, patron_id);
	int rc = sqlite3_step(st);
	long long paid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? -1 : -2;
	store_done(st);
	if (paid == -2)
		failed(store, "reading a charge");
	return paid;
}

static bool refund_add(struct store *store, long long patron_id, long long charge_id,
		       long long cents, const struct account_where *where)
{
	sqlite3_stmt *st = store_stmt(store,
		"INSERT INTO credits (patron_id, kind, amount_cents, charge_id, created_at,"
		" branch_code, terminal, staff_id)"
		" VALUES (?, 'refund', ?, ?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, patron_id);
	sqlite3_bind_int64(st, 2, cents);
	sqlite3_bind_int64(st, 3, charge_id);
	bind_where(st, 4, where);
	return run(store, st, "adding a refund");
}

enum account_cancel_status account_charge_cancel(struct store *store, long long patron_id,
						 long long charge_id,
						 const struct account_where *where,
						 long long *refunded_cents)
{
	*refunded_cents = 0;
	long long paid = charge_paid(store, patron_id, charge_id);
	if (paid == -1)
		return ACCOUNT_NO_CHARGE;
	if (paid < 0)
		return ACCOUNT_STORE_FAILED;
	sqlite3_stmt *st = store_stmt(store, "UPDATE charges SET cancelled_at = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)where->now);
	sqlite3_bind_int64(st, 2, charge_id);
	if (!run(store, st, "cancelling a charge"))
		return ACCOUNT_STORE_FAILED;
	if (paid > 0 && !refund_add(store, patron_id, charge_id, paid, where))
		return ACCOUNT_STORE_FAILED;
	*refunded_cents = paid;
	return ACCOUNT_CANCELLED;
}
